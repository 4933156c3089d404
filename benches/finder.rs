//! Per-keystroke latency of the `/` finder over an evidence bundle of
//! 100,000 paths (and 1,000,000), with all three shipped checklists, 200
//! findings and 300 interview notes. Budget: one 16 ms frame per key.
//!
//! Backends: fuzzy-matcher's SkimMatcherV2 (`skim`, kept here only for the
//! comparison) and nucleo-matcher (`nucleo`, what `fieldaudit::finder`
//! uses), each driven by the finder's own search core:
//! - `1t`: one thread, every item a candidate;
//! - `2t-narrow`: two threads, candidates narrowed to the matches of the
//!   query one key shorter (what the finder's worker does while typing).
//!
//! Run: `cargo bench --bench finder` (about three minutes of measuring on a
//! 2-core machine, after the build). Only nucleo: `-- nucleo`; only the 100k
//! set: `-- 100k/`. Two-thread figures mean little while other work keeps
//! the second core busy: compare the `min` of each sample set.

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use fieldaudit::audit::{AuditRecord, Edit, Grade};
use fieldaudit::finder::{
    Corpus, Engine, Evidence, Finder, Kind, LIMIT, Nucleo, Text, search_with,
};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

const QUERIES: [&str; 6] = ["r", "ri", "ris", "risk", "riskreg", "contract supplier"];

/// fuzzy-matcher's skim algorithm, smart case; each word matched on its own
/// and the scores added, like the nucleo engine.
struct Skim(SkimMatcherV2);

impl Engine for Skim {
    type Needle = Vec<String>;
    type Scratch = ();

    fn needle(&self, query: &str) -> Vec<String> {
        query.split_whitespace().map(str::to_string).collect()
    }

    fn scratch(&self) {}

    fn score(&self, needle: &Vec<String>, _: &mut (), haystack: &Text, _: Kind) -> Option<u32> {
        let mut total = 0u32;
        for word in needle {
            let s = self.0.fuzzy_match(haystack.as_str(), word)?;
            total = total.saturating_add(u32::try_from(s.max(0)).unwrap_or(u32::MAX));
        }
        Some(total)
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const DEPTS: &[&str] = &[
    "finance",
    "hr",
    "it",
    "legal",
    "operations",
    "procurement",
    "security",
    "quality",
    "data-science",
    "ai-governance",
    "customer-support",
    "marketing",
];
const SECTIONS: &[&str] = &[
    "01-governance",
    "02-policies",
    "03-risk",
    "04-operations",
    "05-suppliers",
    "06-people",
    "07-systems",
    "08-incidents",
    "09-internal-audit",
    "10-management-review",
];
const SYSTEMS: &[&str] = &[
    "crm",
    "erp",
    "hr-portal",
    "scoring-api",
    "chatbot",
    "data-lake",
    "vpn",
    "sso",
    "ticketing",
    "model-gateway",
];
const DOCS: &[&str] = &[
    "msa",
    "dpa",
    "sow",
    "nda",
    "sla",
    "order-form",
    "amendment",
    "security-schedule",
];
const POLICIES: &[&str] = &[
    "ai",
    "acceptable-use",
    "access-control",
    "data-retention",
    "information-security",
    "incident-response",
    "change-management",
    "supplier-management",
    "model-lifecycle",
    "human-oversight",
];
const TOPICS: &[&str] = &[
    "ai-risk-register",
    "impact-assessment",
    "statement-of-applicability",
    "training-matrix",
    "org-chart",
    "objectives",
    "kpi-dashboard",
    "management-review-minutes",
    "internal-audit-report",
    "corrective-actions",
    "data-inventory",
    "model-card",
    "bias-evaluation",
    "supplier-evaluation",
    "competence-records",
];
const EXTS: &[&str] = &[
    "pdf", "docx", "xlsx", "pptx", "md", "csv", "txt", "png", "eml",
];
const MODELS: &[&str] = &[
    "credit-scoring",
    "churn",
    "triage",
    "fraud",
    "forecast",
    "summariser",
];

/// `count` evidence paths such as a real auditee's bundle could hold.
fn evidence_paths(count: usize) -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..count)
        .map(|_| {
            let year = 2023 + rng.below(4);
            let month = 1 + rng.below(12);
            let day = 1 + rng.below(28);
            match rng.below(100) {
                0..=19 => format!(
                    "{year}/{}/contracts/supplier-{:04}/{}-v{}{}.pdf",
                    rng.pick(DEPTS),
                    rng.below(2000),
                    rng.pick(DOCS),
                    1 + rng.below(5),
                    if rng.below(2) == 0 { "-signed" } else { "" }
                ),
                20..=49 => {
                    let system = rng.pick(SYSTEMS);
                    format!(
                        "{year}/{}/logs/{system}/{year}-{month:02}-{day:02}/{system}-{}-{:02}.log",
                        rng.pick(DEPTS),
                        ["access", "audit", "error", "inference"][rng.below(4)],
                        rng.below(24)
                    )
                }
                50..=59 => format!(
                    "{}/{}/{}-policy-v{}.{}",
                    rng.pick(SECTIONS),
                    rng.pick(DEPTS),
                    rng.pick(POLICIES),
                    1 + rng.below(9),
                    ["docx", "pdf"][rng.below(2)]
                ),
                60..=74 => format!(
                    "{}/{}/{}-{year}-q{}.{}",
                    rng.pick(SECTIONS),
                    rng.pick(DEPTS),
                    rng.pick(TOPICS),
                    1 + rng.below(4),
                    rng.pick(EXTS)
                ),
                75..=84 => format!(
                    "{year}/ai/models/{}/v{}/eval/run-{:05}/{}",
                    rng.pick(MODELS),
                    1 + rng.below(12),
                    rng.below(100_000),
                    [
                        "metrics.json",
                        "confusion-matrix.png",
                        "fairness-report.html",
                        "config.yaml"
                    ][rng.below(4)]
                ),
                85..=92 => format!(
                    "{year}/{}/people/employee-{:05}/{}.pdf",
                    rng.pick(DEPTS),
                    rng.below(20_000),
                    [
                        "training-certificate",
                        "nda-signed",
                        "role-description",
                        "awareness-quiz"
                    ][rng.below(4)]
                ),
                _ => format!(
                    "08-incidents/{year}/inc-{:05}/{}.{}",
                    rng.below(50_000),
                    [
                        "timeline",
                        "root-cause",
                        "customer-notice",
                        "lessons-learned"
                    ][rng.below(4)],
                    rng.pick(EXTS)
                ),
            }
        })
        .collect()
}

fn record() -> AuditRecord {
    let (mut record, who, reqs) = common::integrated_audit();
    for i in 0..200 {
        Edit::AddFinding {
            grade: Grade::ALL[i % Grade::ALL.len()],
            requirements: vec![reqs[i % reqs.len()].clone()],
            statement: format!(
                "Finding {i}: records of the last risk review could not be shown for the sampled system."
            ),
            objective_evidence: None,
        }
        .apply(&mut record, &who)
        .expect("finding");
    }
    for i in 0..NOTES {
        Edit::AddNote {
            req: reqs[(i * 7) % reqs.len()].clone(),
            text: format!(
                "Interview {i}: the {} lead walked through how the {} model is reviewed before release; \
                 sign-off minutes were shown for the last two quarters.",
                DEPTS[i % DEPTS.len()],
                MODELS[i % MODELS.len()]
            ),
            interviewee: Some(format!("{} {}", FIRST[i % FIRST.len()], LAST[i % LAST.len()])),
            internal: false,
        }
        .apply(&mut record, &who)
        .expect("note");
    }
    record
}

/// Interview notes in the record: a long audit's worth.
const NOTES: usize = 300;
const FIRST: &[&str] = &["Eleanor", "Tom", "Priya", "Sam", "Ana", "Kofi", "Mei"];
const LAST: &[&str] = &["Marsh", "Okafor", "Shah", "Reid", "Costa", "Mensah"];

fn corpus(paths: usize) -> Arc<Corpus> {
    let record = record();
    let catalog = record.catalog().expect("catalog");
    let evidence = Arc::new(Evidence::new(evidence_paths(paths)));
    Arc::new(Corpus::new(&catalog, &record, evidence))
}

/// The query one key shorter, if it is not empty.
fn one_key_shorter(query: &str) -> Option<&str> {
    let mut chars = query.char_indices();
    let (last, _) = chars.next_back()?;
    let shorter = &query[..last];
    (!shorter.trim().is_empty()).then_some(shorter)
}

fn bench_engine<E: Engine>(c: &mut Criterion, set: &str, name: &str, engine: &E, corpus: &Corpus) {
    let mut group = c.benchmark_group(format!("{set}/{name}"));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for query in QUERIES {
        let id = query.replace(' ', "_");
        group.bench_function(format!("1t/{id}"), |b| {
            b.iter(|| black_box(search_with(engine, corpus, query, None, LIMIT, 1)))
        });
        let within = one_key_shorter(query)
            .map(|shorter| search_with(engine, corpus, shorter, None, usize::MAX, 2).1);
        group.bench_function(format!("2t-narrow/{id}"), |b| {
            b.iter(|| {
                black_box(search_with(
                    engine,
                    corpus,
                    query,
                    within.as_deref(),
                    LIMIT,
                    2,
                ))
            })
        });
    }
    group.finish();
}

/// The whole worker round trip: each key of `riskreg` submitted and its
/// results awaited (narrowing as the worker does).
fn bench_typing(c: &mut Criterion, set: &str, corpus: &Arc<Corpus>) {
    let mut group = c.benchmark_group(format!("{set}/finder"));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    let mut finder = Finder::new(Arc::clone(corpus));
    group.bench_function("typing-riskreg-7-keys", |b| {
        b.iter(|| {
            for end in 1..="riskreg".len() {
                finder.submit(&"riskreg"[..end]);
                black_box(
                    finder
                        .wait_results(Duration::from_secs(60))
                        .expect("results"),
                );
            }
        })
    });
    group.finish();
}

fn finder(c: &mut Criterion) {
    let skim = Skim(SkimMatcherV2::default());
    for (set, paths) in [("100k", 100_000), ("1m", 1_000_000)] {
        let corpus = corpus(paths);
        bench_engine(c, set, "nucleo", &Nucleo, &corpus);
        bench_engine(c, set, "skim", &skim, &corpus);
        bench_typing(c, set, &corpus);
    }
}

criterion_group!(benches, finder);
criterion_main!(benches);
