//! The `/` finder: requirements, findings and the auditee's evidence bundle
//! paths, fuzzy-matched off the UI thread.
//!
//! A [`Corpus`] is built once (requirements, findings, and an [`Evidence`]
//! listing shared by `Arc`, so rebuilding after a finding changes does not
//! copy 100,000 paths). A [`Finder`] owns a worker thread: [`Finder::submit`]
//! returns at once with a generation number, and [`Finder::try_results`]
//! hands back the newest query's results once they are ready; results of
//! queries typed over are never handed back.
//!
//! Matching is nucleo-matcher's fuzzy algorithm, each whitespace-separated
//! word matched on its own, smart case (all lower case ignores case). The
//! worker spreads a large candidate set over the machine's cores, abandons a
//! query as soon as a newer one is submitted, and narrows: when the new query
//! extends an earlier one, only that query's matches are matched again.
//! Only the best [`LIMIT`] are ranked (a bounded heap, not a sort of every
//! match).
//!
//! The synchronous core, [`search`], is public for benches and tests;
//! [`search_with`] drives any [`Engine`], so the bench can compare others.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

use crate::audit::{AuditRecord, FindingId};
use crate::checklist::{Catalog, ReqRef};

/// At most this many hits come back per query: more than a screen shows.
pub const LIMIT: usize = 200;

/// The score of an id typed exactly; no fuzzy score reaches it.
pub const EXACT: u32 = u32::MAX;

/// Candidates matched between two checks for a newer query.
const CHUNK: usize = 4096;

/// Below this many candidates one thread is quicker than two.
const PARALLEL_FROM: usize = 16_384;

/// Completed queries remembered for narrowing (each one's matches are a
/// subset of the one below it).
const TRAIL_DEPTH: usize = 32;

/// What a finder entry leads to (shared with the synchronous search).
pub use crate::search::Target;

/// One result: where it leads, the line shown for it, and its score
/// ([`EXACT`] for an id typed exactly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub target: Target,
    pub label: String,
    pub score: u32,
}

/// A haystack: the text, and its characters when it is not ASCII (nucleo
/// matches on characters).
#[derive(Clone, PartialEq, Eq)]
pub struct Text {
    text: Box<str>,
    wide: Option<Box<[char]>>,
}

impl Text {
    pub fn new(text: &str) -> Text {
        let wide = match Utf32String::from(text) {
            Utf32String::Ascii(_) => None,
            Utf32String::Unicode(chars) => Some(chars),
        };
        Text {
            text: text.into(),
            wide,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn utf32(&self) -> Utf32Str<'_> {
        match &self.wide {
            None => Utf32Str::Ascii(self.text.as_bytes()),
            Some(chars) => Utf32Str::Unicode(chars),
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

/// What a haystack is: prose (titles, statements) or a bundle path, which
/// matchers may score differently (path separators as word boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Path,
}

/// The evidence bundle's paths, in listing order. Large and immutable:
/// share it by `Arc` between corpora.
#[derive(Debug, Default)]
pub struct Evidence {
    paths: Vec<Text>,
}

impl Evidence {
    pub fn new<S: AsRef<str>>(paths: impl IntoIterator<Item = S>) -> Evidence {
        Evidence {
            paths: paths.into_iter().map(|p| Text::new(p.as_ref())).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

#[derive(Debug)]
struct ReqItem {
    req: ReqRef,
    /// `iso42001-2023:6.1.2`
    qualified: String,
    label: String,
    /// "id title"
    title: Text,
    questions: Vec<Text>,
}

#[derive(Debug)]
struct FindingItem {
    id: FindingId,
    /// `NC-001`
    id_text: String,
    label: String,
    /// "id grade statement"
    text: Text,
}

/// Everything the finder searches, immutable once built. Items are indexed
/// requirements first (checklist order), then findings, then evidence paths;
/// equal scores keep that order.
#[derive(Debug)]
pub struct Corpus {
    requirements: Vec<ReqItem>,
    findings: Vec<FindingItem>,
    evidence: Arc<Evidence>,
}

impl Corpus {
    /// Requirements of `catalog` (id and title; questions count half), the
    /// findings of `record` (id, grade, statement) and the evidence paths.
    pub fn new(catalog: &Catalog, record: &AuditRecord, evidence: Arc<Evidence>) -> Corpus {
        let qualify = catalog.checklists().len() > 1;
        let requirements = catalog
            .requirements()
            .map(|(r, _, req)| {
                let qualified = r.to_string();
                let label = if qualify {
                    format!("{qualified}  {}", req.title)
                } else {
                    format!("{}  {}", req.id, req.title)
                };
                ReqItem {
                    title: Text::new(&format!("{} {}", req.id, req.title)),
                    questions: req.questions.iter().map(|q| Text::new(q)).collect(),
                    qualified,
                    label,
                    req: r,
                }
            })
            .collect();
        let findings = record
            .findings
            .iter()
            .map(|f| {
                let id_text = f.id.to_string();
                FindingItem {
                    id: f.id,
                    label: format!(
                        "{id_text}  {}",
                        f.statement.lines().next().unwrap_or_default()
                    ),
                    text: Text::new(&format!("{id_text} {} {}", f.grade.label(), f.statement)),
                    id_text,
                }
            })
            .collect();
        Corpus {
            requirements,
            findings,
            evidence,
        }
    }

    /// The evidence listing, to build the next corpus with.
    pub fn evidence(&self) -> &Arc<Evidence> {
        &self.evidence
    }

    /// Number of items (requirements, findings and paths).
    pub fn len(&self) -> usize {
        self.requirements.len() + self.findings.len() + self.evidence.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of requirements (the first items).
    pub fn requirement_count(&self) -> usize {
        self.requirements.len()
    }

    /// The hit for item `index`, if there is such an item.
    pub fn hit(&self, index: u32, score: u32) -> Option<Hit> {
        let i = index as usize;
        let nr = self.requirements.len();
        let nf = self.findings.len();
        let (target, label) = if let Some(r) = self.requirements.get(i) {
            (Target::Requirement(r.req.clone()), r.label.clone())
        } else if let Some(f) = self.findings.get(i - nr) {
            (Target::Finding(f.id), f.label.clone())
        } else {
            let path = self.evidence.paths.get(i - nr - nf)?.as_str().to_string();
            let label = format!("file  {path}");
            (Target::Evidence(path), label)
        };
        Some(Hit {
            target,
            label,
            score,
        })
    }

    /// The hits for `(index, score)` pairs, in order.
    pub fn hits(&self, top: &[(u32, u32)]) -> Vec<Hit> {
        top.iter().filter_map(|&(i, s)| self.hit(i, s)).collect()
    }

    /// Item `index` scored against `query` (trimmed, not empty).
    fn score<E: Engine>(
        &self,
        engine: &E,
        needle: &E::Needle,
        scratch: &mut E::Scratch,
        index: usize,
        query: &str,
    ) -> Option<u32> {
        let nr = self.requirements.len();
        let nf = self.findings.len();
        if let Some(r) = self.requirements.get(index) {
            if r.req.id.eq_ignore_ascii_case(query) || r.qualified.eq_ignore_ascii_case(query) {
                return Some(EXACT);
            }
            let on_title = engine.score(needle, scratch, &r.title, Kind::Text);
            let on_questions = r
                .questions
                .iter()
                .filter_map(|q| engine.score(needle, scratch, q, Kind::Text))
                .max()
                .map(|s| s / 2);
            let fuzzy = on_title.max(on_questions);
            // An id being typed always matches, whatever its case, so that a
            // longer query never matches outside a shorter one's matches.
            let typing_id = starts_with_ignore_case(&r.req.id, query)
                || starts_with_ignore_case(&r.qualified, query);
            return fuzzy.map(|s| s.min(EXACT - 1)).or(typing_id.then_some(0));
        }
        if let Some(f) = self.findings.get(index - nr) {
            if f.id_text.eq_ignore_ascii_case(query) {
                return Some(EXACT);
            }
            let fuzzy = engine.score(needle, scratch, &f.text, Kind::Text);
            return fuzzy
                .map(|s| s.min(EXACT - 1))
                .or(starts_with_ignore_case(&f.id_text, query).then_some(0));
        }
        let path = self.evidence.paths.get(index - nr - nf)?;
        engine
            .score(needle, scratch, path, Kind::Path)
            .map(|s| s.min(EXACT - 1))
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// A fuzzy matcher the search core can drive.
pub trait Engine: Sync {
    /// A query prepared for matching.
    type Needle: Sync;
    /// Per-thread working memory.
    type Scratch;
    /// Prepare `query` (trimmed, not empty).
    fn needle(&self, query: &str) -> Self::Needle;
    fn scratch(&self) -> Self::Scratch;
    /// The score of `haystack`, higher is better; `None` if it does not match.
    fn score(
        &self,
        needle: &Self::Needle,
        scratch: &mut Self::Scratch,
        haystack: &Text,
        kind: Kind,
    ) -> Option<u32>;
}

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

fn default_threads() -> usize {
    thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// The search; `None` once `stale()` says a newer query is waiting.
fn run<E: Engine>(
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
        let n = u32::try_from(corpus.requirements.len()).unwrap_or(u32::MAX);
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
            let spawned: Vec<_> = (0..helpers).map(|_| s.spawn(pass)).collect();
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

/// The finished results of one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    pub generation: u64,
    pub query: String,
    /// Every item the query matches (for the empty query: the requirements).
    pub total_matches: usize,
    /// The best [`LIMIT`] at most, best first.
    pub top: Vec<Hit>,
    /// Time from the worker picking the query up to the results.
    pub elapsed: Duration,
    /// Whether an earlier query's matches were the candidates.
    pub narrowed: bool,
}

struct Job {
    generation: u64,
    query: String,
    corpus: Arc<Corpus>,
}

#[derive(Default)]
struct Inbox {
    job: Option<Job>,
    shutdown: bool,
}

struct Shared {
    /// The newest generation submitted; the worker abandons any other.
    latest: AtomicU64,
    inbox: Mutex<Inbox>,
    job_ready: Condvar,
    outbox: Mutex<Option<Results>>,
    results_ready: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A background matcher: queries go in without waiting, results of the
/// newest query come out when ready, results of older ones never do.
pub struct Finder {
    shared: Arc<Shared>,
    corpus: Arc<Corpus>,
    generation: u64,
    last_query: Option<String>,
    worker: Option<JoinHandle<()>>,
    /// Narrowing state when no worker thread could be started.
    inline_trail: Trail,
}

impl Finder {
    /// A finder over `corpus`, with its worker thread started. Should the
    /// thread not start, queries are matched on the caller's thread.
    pub fn new(corpus: Arc<Corpus>) -> Finder {
        let shared = Arc::new(Shared {
            latest: AtomicU64::new(0),
            inbox: Mutex::new(Inbox::default()),
            job_ready: Condvar::new(),
            outbox: Mutex::new(None),
            results_ready: Condvar::new(),
        });
        let threads = default_threads();
        let for_worker = Arc::clone(&shared);
        let worker = thread::Builder::new()
            .name("finder".into())
            .spawn(move || work(&for_worker, threads))
            .ok();
        Finder {
            shared,
            corpus,
            generation: 0,
            last_query: None,
            worker,
            inline_trail: Trail::default(),
        }
    }

    pub fn corpus(&self) -> &Arc<Corpus> {
        &self.corpus
    }

    /// Search `corpus` from now on (findings changed, evidence listed). The
    /// last query, if any, is submitted again: its generation is returned.
    pub fn set_corpus(&mut self, corpus: Arc<Corpus>) -> Option<u64> {
        self.corpus = corpus;
        let query = self.last_query.clone()?;
        Some(self.submit(&query))
    }

    /// Queue `query`, superseding any query not finished yet; returns its
    /// generation. Does not wait for matching.
    pub fn submit(&mut self, query: &str) -> u64 {
        self.generation += 1;
        let generation = self.generation;
        self.last_query = Some(query.to_string());
        self.shared.latest.store(generation, Ordering::SeqCst);
        let job = Job {
            generation,
            query: query.to_string(),
            corpus: Arc::clone(&self.corpus),
        };
        if self.worker.is_some() {
            lock(&self.shared.inbox).job = Some(job);
            self.shared.job_ready.notify_one();
        } else {
            let never = || false;
            let results = answer(&job, &mut self.inline_trail, 1, &never);
            *lock(&self.shared.outbox) = results;
        }
        generation
    }

    /// The generation of the newest query submitted (0: none yet).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The newest query's results, once, if they are ready. Never waits for
    /// matching.
    pub fn try_results(&mut self) -> Option<Results> {
        let mut outbox = lock(&self.shared.outbox);
        self.take_current(&mut outbox)
    }

    /// The newest query's results, waiting up to `timeout` for them.
    pub fn wait_results(&mut self, timeout: Duration) -> Option<Results> {
        let deadline = Instant::now() + timeout;
        let mut outbox = lock(&self.shared.outbox);
        loop {
            if let Some(results) = self.take_current(&mut outbox) {
                return Some(results);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            outbox = self
                .shared
                .results_ready
                .wait_timeout(outbox, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn take_current(&self, outbox: &mut Option<Results>) -> Option<Results> {
        match outbox.take() {
            Some(r) if r.generation == self.generation => Some(r),
            // Stale: a newer query was submitted since.
            _ => None,
        }
    }
}

impl Drop for Finder {
    fn drop(&mut self) {
        self.shared.latest.store(u64::MAX, Ordering::SeqCst);
        lock(&self.shared.inbox).shutdown = true;
        self.shared.job_ready.notify_all();
        if let Some(worker) = self.worker.take() {
            // A worker that panicked has nothing left to clean up.
            let _ = worker.join();
        }
    }
}

/// Completed queries and their matches, each query extending the one below,
/// for one corpus.
#[derive(Default)]
struct Trail {
    corpus: Option<Arc<Corpus>>,
    steps: Vec<(String, Vec<u32>)>,
}

impl Trail {
    /// The matches of the longest remembered query that `query` extends,
    /// forgetting those it does not extend.
    fn base(&mut self, corpus: &Arc<Corpus>, query: &str) -> Option<&[u32]> {
        if !self.corpus.as_ref().is_some_and(|c| Arc::ptr_eq(c, corpus)) {
            self.corpus = Some(Arc::clone(corpus));
            self.steps.clear();
        }
        while let Some((prev, _)) = self.steps.last() {
            if query.starts_with(prev.as_str()) {
                break;
            }
            self.steps.pop();
        }
        self.steps.last().map(|(_, m)| m.as_slice())
    }

    fn push(&mut self, query: &str, matches: Vec<u32>) {
        if query.trim().is_empty() || self.steps.last().is_some_and(|(q, _)| q == query) {
            return;
        }
        if self.steps.len() >= TRAIL_DEPTH {
            self.steps.remove(0);
        }
        self.steps.push((query.to_string(), matches));
    }
}

/// Match one job; `None` if abandoned for a newer one.
fn answer(
    job: &Job,
    trail: &mut Trail,
    threads: usize,
    stale: &(dyn Fn() -> bool + Sync),
) -> Option<Results> {
    let started = Instant::now();
    let within = trail.base(&job.corpus, &job.query);
    let narrowed = within.is_some();
    let (top, all) = run(
        &Nucleo,
        &job.corpus,
        &job.query,
        within,
        LIMIT,
        threads,
        stale,
    )?;
    let results = Results {
        generation: job.generation,
        query: job.query.clone(),
        total_matches: all.len(),
        top: job.corpus.hits(&top),
        elapsed: started.elapsed(),
        narrowed,
    };
    trail.push(&job.query, all);
    Some(results)
}

fn work(shared: &Shared, threads: usize) {
    let mut trail = Trail::default();
    loop {
        let job = {
            let mut inbox = lock(&shared.inbox);
            loop {
                if inbox.shutdown {
                    return;
                }
                if let Some(job) = inbox.job.take() {
                    break job;
                }
                inbox = shared
                    .job_ready
                    .wait(inbox)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let stale = || shared.latest.load(Ordering::Relaxed) != job.generation;
        if stale() {
            continue;
        }
        if let Some(results) = answer(&job, &mut trail, threads, &stale)
            && !stale()
        {
            *lock(&shared.outbox) = Some(results);
            shared.results_ready.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditType, Change, Criterion, Grade, Meta};

    const ALL: [&str; 3] = ["iso42001-2023", "iso27001-2022", "iso9001-2015"];

    fn record(ids: &[&str]) -> AuditRecord {
        let meta = Meta::new("A", AuditType::Stage2);
        let criteria = ids
            .iter()
            .map(|i| Criterion::Builtin(i.to_string()))
            .collect();
        AuditRecord::new(meta, criteria, None, &Change::now("t"))
    }

    fn paths(n: usize) -> Vec<String> {
        let dirs = ["01-policy", "02-scope", "03-risk", "04-ops", "05-logs"];
        let names = [
            "ai-policy.pdf",
            "ai-risk-register.xlsx",
            "access.log",
            "supplier-msa-signed.pdf",
            "minutes.docx",
            "model-card.md",
            "training-records.csv",
        ];
        (0..n)
            .map(|i| {
                format!(
                    "{}/team-{:03}/{}-{i}",
                    dirs[i % dirs.len()],
                    (i / 7) % 500,
                    names[(i / 3) % names.len()]
                )
            })
            .collect()
    }

    fn corpus(ids: &[&str], evidence: Vec<String>) -> (Catalog, AuditRecord, Corpus) {
        let r = record(ids);
        let cat = r.catalog().unwrap();
        let c = Corpus::new(&cat, &r, Arc::new(Evidence::new(evidence)));
        (cat, r, c)
    }

    fn targets(corpus: &Corpus, top: &[(u32, u32)]) -> Vec<Target> {
        corpus.hits(top).into_iter().map(|h| h.target).collect()
    }

    #[test]
    fn an_exact_requirement_id_comes_first() {
        let (_, _, c) = corpus(&ALL, paths(5000));
        let (top, _) = search(&c, "6.1.2", None, LIMIT);
        assert_eq!(
            targets(&c, &top)[0],
            Target::Requirement(ReqRef::new("iso42001-2023", "6.1.2"))
        );
        assert_eq!(top[0].1, EXACT);
        for q in [
            "iso27001-2022:6.1.2",
            "ISO27001-2022:6.1.2",
            " iso27001-2022:6.1.2 ",
        ] {
            let (top, _) = search(&c, q, None, LIMIT);
            assert_eq!(
                targets(&c, &top)[0],
                Target::Requirement(ReqRef::new("iso27001-2022", "6.1.2")),
                "{q}"
            );
        }
        let (top, _) = search(&c, "a.5.2", None, LIMIT);
        assert_eq!(
            targets(&c, &top)[0],
            Target::Requirement(ReqRef::new("iso42001-2023", "A.5.2"))
        );
    }

    #[test]
    fn an_exact_finding_id_comes_first() {
        let mut r = record(&ALL);
        let cat = r.catalog().unwrap();
        let req = ReqRef::new("iso42001-2023", "A.7.4");
        let mut ids = Vec::new();
        for i in 0..12 {
            ids.push(
                r.add_finding(
                    &Change::now("t"),
                    Grade::Minor,
                    vec![req.clone()],
                    format!("Stale training labels NC-001 in sample {i}"),
                    None,
                )
                .unwrap(),
            );
        }
        let c = Corpus::new(&cat, &r, Arc::new(Evidence::new(paths(1000))));
        for q in ["NC-001", "nc-001", "NC-010"] {
            let (top, _) = search(&c, q, None, LIMIT);
            let first = targets(&c, &top)[0].clone();
            assert_eq!(
                first.clone(),
                Target::Finding(q.to_uppercase().parse().unwrap())
            );
            assert!(ids.iter().any(|id| first == Target::Finding(*id)));
        }
        let (top, _) = search(&c, "stale labels", None, LIMIT);
        assert!(matches!(targets(&c, &top)[0], Target::Finding(_)));
    }

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
    fn non_ascii_paths_match() {
        let ev = vec![
            "Ärzte/Übersicht-Qualität.pdf".to_string(),
            "plain.txt".into(),
        ];
        let (_, _, c) = corpus(&["iso42001-2023"], ev);
        let (top, _) = search(&c, "ubersicht", None, LIMIT);
        assert_eq!(
            targets(&c, &top),
            vec![Target::Evidence("Ärzte/Übersicht-Qualität.pdf".into())]
        );
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
    fn the_finder_narrows_and_agrees_with_search() {
        let (_, _, c) = corpus(&ALL, paths(30_000));
        let c = Arc::new(c);
        let mut finder = Finder::new(Arc::clone(&c));
        for (q, narrowed) in [
            ("ri", false),
            ("risk", true),
            ("risk reg", true),
            ("risk", true),
            ("ris", true),
            ("x", false),
        ] {
            let generation = finder.submit(q);
            let r = finder.wait_results(Duration::from_secs(60)).unwrap();
            assert_eq!((r.generation, r.query.as_str()), (generation, q));
            assert_eq!(r.narrowed, narrowed, "{q}");
            let (top, all) = search(&c, q, None, LIMIT);
            assert_eq!(r.total_matches, all.len(), "{q}");
            assert_eq!(r.top, c.hits(&top), "{q}");
        }
        // A new corpus is searched afresh with the last query.
        let (_, _, other) = corpus(&["iso42001-2023"], paths(10));
        let generation = finder.set_corpus(Arc::new(other)).unwrap();
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert_eq!(
            (r.generation, r.query.as_str(), r.narrowed),
            (generation, "x", false)
        );
    }

    #[test]
    fn results_of_superseded_queries_are_dropped() {
        let (_, _, c) = corpus(&ALL, paths(200_000));
        let mut finder = Finder::new(Arc::new(c));
        let typed = ["c", "co", "con", "cont", "contr", "contra", "supplier msa"];
        let mut last = 0;
        for q in typed {
            last = finder.submit(q);
        }
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert_eq!((r.generation, r.query.as_str()), (last, "supplier msa"));
        assert!(finder.try_results().is_none(), "taken once");
        // Results finished for an older generation are never handed out.
        let stale = finder.submit("minutes");
        thread::sleep(Duration::from_millis(50));
        let newest = finder.submit("model card");
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert_eq!(r.generation, newest);
        assert_ne!(r.generation, stale);
        thread::sleep(Duration::from_millis(50));
        assert!(finder.try_results().is_none());
        assert!(finder.wait_results(Duration::from_millis(10)).is_none());
    }

    #[test]
    fn try_results_does_not_wait() {
        let (_, _, c) = corpus(&ALL, paths(200_000));
        let mut finder = Finder::new(Arc::new(c));
        let generation = finder.submit("team");
        let got = loop {
            if let Some(r) = finder.try_results() {
                break r;
            }
            thread::sleep(Duration::from_millis(1));
        };
        assert_eq!(got.generation, generation);
    }

    #[test]
    fn the_limit_is_respected_and_every_match_counted() {
        let ev = paths(10_000);
        let expected = ev.iter().filter(|p| p.contains("minutes")).count();
        let (_, _, c) = corpus(&["iso42001-2023"], ev);
        let (top, all) = search(&c, "minutes.docx", None, 50);
        assert_eq!(top.len(), 50);
        assert_eq!(all.len(), expected);
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert!(
            top.windows(2)
                .all(|w| (w[0].1, Reverse(w[0].0)) > (w[1].1, Reverse(w[1].0)))
        );
        // The best 50 are the first 50 of a full ranking.
        let mut full = search(&c, "minutes.docx", None, usize::MAX).0;
        assert_eq!(full.len(), expected);
        full.truncate(50);
        assert_eq!(top, full);
        let mut finder = Finder::new(Arc::new(c));
        finder.submit("minutes.docx");
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert_eq!((r.top.len(), r.total_matches), (LIMIT, expected));
    }

    #[test]
    fn an_empty_query_lists_the_requirements_only() {
        let (cat, _, c) = corpus(&ALL, paths(1000));
        let order: Vec<Target> = cat
            .requirements()
            .map(|(r, _, _)| Target::Requirement(r))
            .collect();
        for q in ["", "   "] {
            let (top, all) = search(&c, q, None, usize::MAX);
            assert_eq!(targets(&c, &top), order);
            assert_eq!(all.len(), order.len());
        }
        let (top, _) = search(&c, "", None, 10);
        assert_eq!(targets(&c, &top), order[..10]);
        let mut finder = Finder::new(Arc::new(c));
        finder.submit("");
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert_eq!(r.total_matches, order.len());
        assert_eq!(r.top.len(), order.len().min(LIMIT));
        assert!(
            r.top
                .iter()
                .all(|h| matches!(h.target, Target::Requirement(_)))
        );
        // Typing on from nothing is a fresh search.
        finder.submit("r");
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert!(!r.narrowed);
        assert!(
            r.top
                .iter()
                .any(|h| matches!(h.target, Target::Evidence(_)))
        );
    }

    #[test]
    fn labels_match_search_find() {
        let (cat, r, c) = corpus(&ALL, Vec::new());
        let (top, _) = search(&c, "impact assessment", None, 10);
        let old = crate::search::find(&cat, &r, "impact assessment", 10);
        let labels: Vec<String> = c.hits(&top).into_iter().map(|h| h.label).collect();
        assert!(old.iter().any(|h| labels.contains(&h.label)), "{labels:?}");
        let (top, _) = search(&c, "", None, 3);
        let old = crate::search::find(&cat, &r, "", 3);
        assert_eq!(
            c.hits(&top)
                .into_iter()
                .map(|h| (h.target, h.label))
                .collect::<Vec<_>>(),
            old.into_iter()
                .map(|h| (h.target, h.label))
                .collect::<Vec<_>>()
        );
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
