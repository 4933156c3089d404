//! Matching: the [`Engine`] the search drives ([`Nucleo`] in the finder),
//! and the search itself — over every item or an earlier query's matches,
//! in chunks spread over threads, abandoned as soon as a newer query waits,
//! with only the best `limit` kept in a bounded heap.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher};

use super::corpus::Corpus;
use super::haystack::{Engine, Kind, Text};

/// Candidates matched between two checks for a newer query.
const CHUNK: usize = 4096;

/// Below this many candidates one thread is quicker than two.
const PARALLEL_FROM: usize = 16_384;

/// nucleo-matcher: each word of the query matched as a fuzzy atom, smart
/// case, smart Unicode normalisation; scores of the words add up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nucleo;

/// A matcher for prose and one configured for paths.
pub struct NucleoScratch {
    text: Matcher,
    path: Matcher,
}

impl Engine for Nucleo {
    type Needle = Vec<Atom>;
    type Scratch = NucleoScratch;

    fn needle(&self, query: &str) -> Vec<Atom> {
        query
            .split_whitespace()
            .map(|word| {
                Atom::new(
                    word,
                    CaseMatching::Smart,
                    Normalization::Smart,
                    AtomKind::Fuzzy,
                    false,
                )
            })
            .collect()
    }

    fn scratch(&self) -> NucleoScratch {
        NucleoScratch {
            text: Matcher::new(Config::DEFAULT),
            path: Matcher::new(Config::DEFAULT.match_paths()),
        }
    }

    fn score(
        &self,
        needle: &Vec<Atom>,
        scratch: &mut NucleoScratch,
        haystack: &Text,
        kind: Kind,
    ) -> Option<u32> {
        let matcher = match kind {
            Kind::Text => &mut scratch.text,
            Kind::Path => &mut scratch.path,
        };
        let haystack = haystack.utf32();
        let mut total = 0u32;
        for atom in needle {
            total = total.saturating_add(u32::from(atom.score(haystack, matcher)?));
        }
        Some(total)
    }
}

/// The candidates of one search: every item, or an earlier query's matches.
#[derive(Clone, Copy)]
enum Candidates<'a> {
    All(usize),
    Within(&'a [u32]),
}

impl Candidates<'_> {
    fn len(self) -> usize {
        match self {
            Candidates::All(n) => n,
            Candidates::Within(s) => s.len(),
        }
    }

    fn get(self, i: usize) -> usize {
        match self {
            Candidates::All(_) => i,
            Candidates::Within(s) => s[i] as usize,
        }
    }
}

/// Ranking key: higher score first, then lower index.
type Key = (u32, Reverse<u32>);

/// The best `limit` keys seen, in a min-heap.
struct Best {
    heap: BinaryHeap<Reverse<Key>>,
    limit: usize,
}

impl Best {
    fn new(limit: usize) -> Best {
        Best {
            heap: BinaryHeap::with_capacity(limit.saturating_add(1).min(4096)),
            limit,
        }
    }

    fn offer(&mut self, key: Key) {
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(key));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && key > worst.0
        {
            *worst = Reverse(key);
        }
    }
}

/// What a chunked pass over the candidates found.
struct Found {
    /// (chunk number, matching item indices in candidate order)
    chunks: Vec<(usize, Vec<u32>)>,
    best: Best,
}

/// One search's outcome: the best hits, best first, and every match in
/// item order (to narrow the next query to).
pub type Outcome = (Vec<(u32, u32)>, Vec<u32>);

/// Search `corpus` with nucleo-matcher on every core (at most 4).
///
/// Returns the best `limit` `(item index, score)` pairs, best first, and the
/// indices of every matching item in ascending order. With `within`, only
/// those items (ascending; an earlier query's matches) are candidates: that
/// gives the same result as a fresh search when `query` extends the earlier
/// query. An empty query gives the requirements in checklist order.
pub fn search(corpus: &Corpus, query: &str, within: Option<&[u32]>, limit: usize) -> Outcome {
    search_with(&Nucleo, corpus, query, within, limit, default_threads())
}

/// [`search`] with another engine, on `threads` threads (1: this one only).
pub fn search_with<E: Engine>(
    engine: &E,
    corpus: &Corpus,
    query: &str,
    within: Option<&[u32]>,
    limit: usize,
    threads: usize,
) -> Outcome {
    run(engine, corpus, query, within, limit, threads, &|| false).unwrap_or_default()
}

pub(super) fn default_threads() -> usize {
    thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// The search; `None` once `stale()` says a newer query is waiting.
pub(super) fn run<E: Engine>(
    engine: &E,
    corpus: &Corpus,
    query: &str,
    within: Option<&[u32]>,
    limit: usize,
    threads: usize,
    stale: &(dyn Fn() -> bool + Sync),
) -> Option<Outcome> {
    let query = query.trim();
    if query.is_empty() {
        let n = u32::try_from(corpus.requirement_count()).unwrap_or(u32::MAX);
        let top = (0..n).take(limit).map(|i| (i, 0)).collect();
        return Some((top, (0..n).collect()));
    }
    let needle = engine.needle(query);
    let candidates = match within {
        Some(set) => Candidates::Within(set),
        None => Candidates::All(corpus.len()),
    };
    let chunk_count = candidates.len().div_ceil(CHUNK);
    let next = AtomicUsize::new(0);
    let abandoned = AtomicBool::new(false);
    let pass = || -> Found {
        let mut scratch = engine.scratch();
        let mut found = Found {
            chunks: Vec::new(),
            best: Best::new(limit),
        };
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            if c >= chunk_count || abandoned.load(Ordering::Relaxed) {
                break;
            }
            if stale() {
                abandoned.store(true, Ordering::Relaxed);
                break;
            }
            let end = ((c + 1) * CHUNK).min(candidates.len());
            let mut matched = Vec::new();
            for i in c * CHUNK..end {
                let index = candidates.get(i);
                if let Some(score) = corpus.score(engine, &needle, &mut scratch, index, query) {
                    // Corpora beyond u32::MAX items are not supported.
                    let index = u32::try_from(index).unwrap_or(u32::MAX);
                    matched.push(index);
                    found.best.offer((score, Reverse(index)));
                }
            }
            found.chunks.push((c, matched));
        }
        found
    };
    let helpers = if candidates.len() >= PARALLEL_FROM {
        threads.saturating_sub(1)
    } else {
        0
    };
    let mut passes = Vec::with_capacity(helpers + 1);
    if helpers == 0 {
        passes.push(pass());
    } else {
        thread::scope(|s| {
            // A helper's panic is caught by the worker: keep it from the terminal's hook.
            let quiet_pass = || {
                let _quiet = crate::evidence::preview::QuietPanics::enter();
                pass()
            };
            let spawned: Vec<_> = (0..helpers).map(|_| s.spawn(quiet_pass)).collect();
            passes.push(pass());
            for h in spawned {
                match h.join() {
                    Ok(found) => passes.push(found),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
    }
    if abandoned.load(Ordering::Relaxed) {
        return None;
    }
    let mut chunks: Vec<(usize, Vec<u32>)> = Vec::with_capacity(chunk_count);
    let mut best: Vec<Key> = Vec::new();
    for found in passes {
        chunks.extend(found.chunks);
        best.extend(found.best.heap.into_iter().map(|Reverse(k)| k));
    }
    chunks.sort_unstable_by_key(|(c, _)| *c);
    let all: Vec<u32> = chunks.into_iter().flat_map(|(_, m)| m).collect();
    best.sort_unstable_by(|a, b| b.cmp(a));
    best.truncate(limit);
    let top = best.into_iter().map(|(s, Reverse(i))| (i, s)).collect();
    Some((top, all))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finder::fixtures::{ALL, corpus, paths};
    use crate::finder::{LIMIT, Target};

    #[test]
    fn evidence_paths_match_as_subsequences_of_the_whole_path() {
        let mut ev = paths(3000);
        ev.push("03-risk/ai-risk-register.xlsx".into());
        let (_, _, c) = corpus(&["iso42001-2023"], ev);
        let (top, all) = search(&c, "riskreg", None, LIMIT);
        let last = u32::try_from(c.len() - 1).unwrap();
        assert!(all.contains(&last));
        assert_eq!(
            c.hit(last, 0).unwrap().target,
            Target::Evidence("03-risk/ai-risk-register.xlsx".into())
        );
        let hits = c.hits(&top);
        assert_eq!(hits.len(), LIMIT);
        for h in &hits {
            if let Target::Evidence(p) = &h.target {
                assert!(p.contains("risk") && p.contains("reg"), "{p}");
            }
        }
        let (top, _) = search(&c, "03-risk/ai-riskreg", None, 1);
        assert_eq!(top[0].0, last);
        // Words match separately, anywhere in the path; contiguous matches
        // rank first.
        let (top, _) = search(&c, "msa team-004", None, 3);
        for h in c.hits(&top) {
            assert!(h.label.contains("team-004/supplier-msa"), "{h:?}");
        }
        // Smart case: upper case in the query must match upper case.
        assert!(search(&c, "RISKREG", None, LIMIT).0.is_empty());
    }

    #[test]
    fn narrowing_gives_the_same_results_as_a_fresh_search() {
        let (_, _, c) = corpus(&ALL, paths(40_000));
        let sequences: [&[&str]; 4] = [
            &["r", "ri", "ris", "risk", "riskr", "riskreg"],
            &[
                "s",
                "su",
                "sup",
                "supplier",
                "supplier ",
                "supplier m",
                "supplier msa",
            ],
            &["6", "6.", "6.1", "6.1.", "6.1.2"],
            &["Nc", "Nc-", "Nc-0"],
        ];
        for seq in sequences {
            let mut prev: Option<Vec<u32>> = None;
            for q in seq {
                let fresh = search(&c, q, None, LIMIT);
                let narrowed = search(&c, q, prev.as_deref(), LIMIT);
                assert_eq!(fresh, narrowed, "{q}");
                for threads in [1, 2, 3] {
                    assert_eq!(
                        search_with(&Nucleo, &c, q, prev.as_deref(), LIMIT, threads),
                        fresh,
                        "{q} on {threads} threads"
                    );
                }
                prev = Some(fresh.1);
            }
        }
    }

    #[test]
    fn a_corpus_of_200_000_items_is_searched() {
        let (_, _, c) = corpus(&ALL, paths(200_000));
        assert!(c.len() > 200_000);
        let (top, all) = search(&c, "contract supplier", None, LIMIT);
        assert!(top.len() <= LIMIT);
        assert!(all.len() >= top.len());
        let (top, all) = search(&c, "ai-policy", None, LIMIT);
        assert_eq!(top.len(), LIMIT);
        assert!(all.len() > 10_000);
    }
}
