//! A small fuzzing engine on the stable toolchain: proptest generates the
//! inputs (mutations of real seed files, or whole structures), runs each
//! through a check until a time budget is spent, and shrinks a failure to a
//! small case before reporting it with the seed that replays it.
//!
//! - `FIELDAUDIT_FUZZ_SECONDS`: the budget per target (default 3).
//! - `FIELDAUDIT_FUZZ_SEED`: replay a run (printed by every run).
#![allow(dead_code)]

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// The time each target may run.
pub fn budget() -> Duration {
    let secs = std::env::var("FIELDAUDIT_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(3.0);
    Duration::from_secs_f64(secs)
}

fn seed() -> u64 {
    std::env::var("FIELDAUDIT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
        })
}

/// Run `check` on values of `strategy` until the budget is spent (at least
/// one batch); panics with the shrunk failing value. Returns the number of
/// cases run.
pub fn run_for<S>(
    name: &str,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> u64
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    const BATCH: u32 = 16;
    let seed = seed();
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases: BATCH,
        failure_persistence: None,
        max_shrink_time: 60_000,
        max_shrink_iters: 10_000,
        ..Config::default()
    };
    // A runner counts its successes for good: each batch gets a fresh one,
    // with an RNG forked from the seeded one so a seed replays the run.
    let mut seeded = TestRunner::new_with_rng(
        config.clone(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &key),
    );
    let deadline = Instant::now() + budget();
    let mut cases = 0u64;
    loop {
        let mut runner = TestRunner::new_with_rng(config.clone(), seeded.new_rng());
        if let Err(e) = runner.run(&strategy, &check) {
            panic!("fuzz {name}: {e}\n(replay with FIELDAUDIT_FUZZ_SEED={seed})");
        }
        cases += u64::from(BATCH);
        if Instant::now() >= deadline {
            break;
        }
    }
    eprintln!("fuzz {name}: {cases} cases, seed {seed}");
    cases
}

/// One change to a seed file.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Flip one bit.
    Flip(Index, u8),
    /// Overwrite a byte.
    Set(Index, u8),
    /// Write a boundary value (0, 0xFF.., 0x7F.., 0x80..) as 1, 2, 4 or 8
    /// little-endian bytes: sizes, counts and offsets.
    Boundary(Index, u8, u8),
    /// Remove up to 64 bytes.
    Delete(Index, u8),
    /// Copy up to 255 bytes from one place to another (duplicates keys,
    /// entries, records).
    Duplicate(Index, u8, Index),
    /// Insert a token of the file's language.
    Token(Index, Index),
    /// Insert arbitrary bytes.
    Insert(Index, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| Mutation::Flip(i, b)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        2 => (any::<Index>(), 0u8..4, 0u8..4).prop_map(|(i, w, v)| Mutation::Boundary(i, w, v)),
        1 => (any::<Index>(), 1u8..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        2 => (any::<Index>(), 1u8..=255, any::<Index>()).prop_map(|(i, n, t)| Mutation::Duplicate(i, n, t)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::Token(i, t)),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Insert(i, b)),
    ]
}

/// Which seed, and what to do to it.
pub fn mutations(seeds: usize) -> impl Strategy<Value = (usize, Vec<Mutation>)> {
    (0..seeds, prop::collection::vec(mutation(), 1..6))
}

/// Apply `m` to `data`; `tokens` is the dictionary for [`Mutation::Token`].
pub fn apply(data: &mut Vec<u8>, m: &Mutation, tokens: &[&[u8]]) {
    let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len) };
    match m {
        Mutation::Flip(i, bit) if !data.is_empty() => {
            let at = at(i, data.len());
            data[at] ^= 1 << bit;
        }
        Mutation::Set(i, b) if !data.is_empty() => {
            let at = at(i, data.len());
            data[at] = *b;
        }
        Mutation::Boundary(i, width, value) => {
            let width = 1usize << width;
            let bytes: [u8; 8] = match value {
                0 => [0; 8],
                1 => [0xFF; 8],
                2 => {
                    let mut b = [0xFF; 8];
                    b[width - 1] = 0x7F;
                    b
                }
                _ => {
                    let mut b = [0; 8];
                    b[width - 1] = 0x80;
                    b
                }
            };
            if data.len() >= width {
                let at = at(i, data.len() - width + 1);
                data[at..at + width].copy_from_slice(&bytes[..width]);
            }
        }
        Mutation::Delete(i, n) if !data.is_empty() => {
            let at = at(i, data.len());
            let end = (at + usize::from(*n)).min(data.len());
            data.drain(at..end);
        }
        Mutation::Duplicate(i, n, to) if !data.is_empty() => {
            let from = at(i, data.len());
            let end = (from + usize::from(*n)).min(data.len());
            let chunk = data[from..end].to_vec();
            let to = at(to, data.len() + 1);
            data.splice(to..to, chunk);
        }
        Mutation::Token(i, t) if !tokens.is_empty() => {
            let token = tokens[t.index(tokens.len())];
            let to = at(i, data.len() + 1);
            data.splice(to..to, token.iter().copied());
        }
        Mutation::Insert(i, bytes) => {
            let to = at(i, data.len() + 1);
            data.splice(to..to, bytes.iter().copied());
        }
        _ => {}
    }
}

/// `seeds[which]` with `changes` applied.
pub fn mutate(
    seeds: &[Vec<u8>],
    (which, changes): &(usize, Vec<Mutation>),
    tokens: &[&[u8]],
) -> Vec<u8> {
    let mut data = seeds[*which].clone();
    for m in changes {
        apply(&mut data, m, tokens);
    }
    data
}

/// Tokens of RON records and checklists: the syntax, the names of the
/// record's parts, and values at the edges.
pub const RON_TOKENS: &[&[u8]] = &[
    b"(", b")", b"[", b"]", b"{", b"}", b",", b":", b"\"", b"Some(", b"None", b"\\u{0}",
    b"\x1b[2J", b"\xc2\x9b", b"\xff", b"4294967295", b"18446744073709551616", b"-1",
    b"format_version: 3,", b"format_version: 4,", b"format_version: 99,",
    b"team: [Member(name: \"A\", role: lead_auditor)],", b"lead_auditor: \"A\",", b"role: observer", b"\"NC-001\"", b"\"NC-4294967295\"",
    b"\"iso42001-2023:6.1.2\": Assessment(verdict: Conforming, justification: None, notes: [], evidence: []),",
    b"id: 1,", b"note: 4294967295", b"nc: 4294967295", b"unknown_field: 1,", b"Custom(",
    b"Builtin(\"iso42001-2023\")", b"//", b"/*", b"r#\"", b"'", b"\n",
];

/// Tokens of zips: record signatures and extra-field ids.
pub const ZIP_TOKENS: &[&[u8]] = &[
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"PK\x06\x07",
    b"\x75\x70",
    b"\x01\x00",
    b"\x00\x08",
    b"report.html",
    b"MANIFEST.sha256",
    b"../",
    b"/",
];
