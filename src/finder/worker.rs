//! The background thread behind [`Finder`]: a newest-only inbox ([`Latest`]) holding the
//! newest query, generations so that results of superseded queries are never
//! handed back, and the trail of completed queries that narrows each search
//! to an earlier query's matches.
//!
//! A panic while matching does not silence the finder: the worker catches it,
//! forgets its trail and waits for the next query; should the thread die all
//! the same, the finder starts a new one (which takes up any query still
//! queued). Either way [`Finder::take_failure`] says what happened, once.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::corpus::Corpus;
use super::engine::{Nucleo, default_threads, run};
use super::{Hit, LIMIT};
use crate::evidence::preview::{QuietPanics, panic_message};
use crate::latest::Latest;

/// Completed queries remembered for narrowing (each one's matches are a
/// subset of the one below it).
const TRAIL_DEPTH: usize = 32;

/// How long a wait for results goes without checking that the worker lives.
const LIFE_CHECK: Duration = Duration::from_millis(50);

/// Under test, a query that makes matching panic (as a bug in the engine would).
#[cfg(test)]
pub(crate) const PANIC_WHILE_MATCHING: &str = "test:panic-while-matching";
/// Under test, a query that makes the worker thread itself die.
#[cfg(test)]
const KILL_THE_WORKER: &str = "\u{1}kill the worker";

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

struct Shared {
    /// The newest generation submitted; the worker abandons any other.
    latest: AtomicU64,
    /// The newest query not yet picked up (an older one is dropped).
    inbox: Latest<Job>,
    outbox: Mutex<Option<Results>>,
    results_ready: Condvar,
    /// Why matching last failed, until [`Finder::take_failure`] reports it.
    failure: Mutex<Option<String>>,
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
    worker: Option<JoinHandle<()>>,
    /// Threads the worker spreads one query over.
    threads: usize,
    /// Narrowing state when no worker thread could be started.
    inline_trail: Trail,
}

/// Starts a worker thread on `shared`; `None` if the system would not.
fn spawn_worker(shared: &Arc<Shared>, threads: usize) -> Option<JoinHandle<()>> {
    let for_worker = Arc::clone(shared);
    thread::Builder::new()
        .name("finder".into())
        .spawn(move || work(&for_worker, threads))
        .ok()
}

impl Finder {
    /// A finder over `corpus`, with its worker thread started. Should the
    /// thread not start, queries are matched on the caller's thread.
    pub fn new(corpus: Arc<Corpus>) -> Finder {
        let shared = Arc::new(Shared {
            latest: AtomicU64::new(0),
            inbox: Latest::default(),
            outbox: Mutex::new(None),
            results_ready: Condvar::new(),
            failure: Mutex::new(None),
        });
        let threads = default_threads();
        let worker = spawn_worker(&shared, threads);
        Finder {
            shared,
            corpus,
            generation: 0,
            worker,
            threads,
            inline_trail: Trail::default(),
        }
    }

    /// Why matching failed since the last call, if it did: the worker has
    /// been restarted and the next query is matched as usual. Report it.
    pub fn take_failure(&mut self) -> Option<String> {
        self.restart_if_dead();
        lock(&self.shared.failure).take()
    }

    /// Starts a new worker if the thread has died, recording why; a query
    /// still queued is then matched by the new one (or here, if no thread
    /// can be started).
    fn restart_if_dead(&mut self) {
        if !self.worker.as_ref().is_some_and(JoinHandle::is_finished) {
            return;
        }
        if let Some(dead) = self.worker.take() {
            let why = match dead.join() {
                Err(payload) => panic_message(&*payload),
                Ok(()) => "the worker stopped".to_string(),
            };
            *lock(&self.shared.failure) = Some(why);
        }
        self.worker = spawn_worker(&self.shared, self.threads);
        if self.worker.is_none()
            && let Some(job) = self.shared.inbox.try_take()
        {
            self.answer_inline(&job);
        }
    }

    /// Matches `job` on the caller's thread.
    fn answer_inline(&mut self, job: &Job) {
        let never = || false;
        let results = panic::catch_unwind(AssertUnwindSafe(|| {
            answer(job, &mut self.inline_trail, 1, &never)
        }));
        match results {
            Ok(results) => *lock(&self.shared.outbox) = results,
            Err(payload) => {
                self.inline_trail = Trail::default();
                *lock(&self.shared.failure) = Some(panic_message(&*payload));
            }
        }
    }

    pub fn corpus(&self) -> &Arc<Corpus> {
        &self.corpus
    }

    /// Search `corpus` from the next [`Finder::submit`] on (findings
    /// changed, evidence listed); the next query is matched afresh, not
    /// narrowed from matches in the old corpus.
    pub fn set_corpus(&mut self, corpus: Arc<Corpus>) {
        self.corpus = corpus;
    }

    /// Queue `query`, superseding any query not finished yet; returns its
    /// generation. Does not wait for matching.
    pub fn submit(&mut self, query: &str) -> u64 {
        self.restart_if_dead();
        self.generation += 1;
        let generation = self.generation;
        self.shared.latest.store(generation, Ordering::SeqCst);
        let job = Job {
            generation,
            query: query.to_string(),
            corpus: Arc::clone(&self.corpus),
        };
        if self.worker.is_some() {
            self.shared.inbox.put(job);
        } else {
            self.answer_inline(&job);
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
        self.restart_if_dead();
        let mut outbox = lock(&self.shared.outbox);
        self.take_current(&mut outbox)
    }

    /// The newest query's results, waiting up to `timeout` for them.
    pub fn wait_results(&mut self, timeout: Duration) -> Option<Results> {
        // No deadline at all for a timeout too long to add to now.
        let deadline = Instant::now().checked_add(timeout);
        loop {
            self.restart_if_dead();
            let shared = Arc::clone(&self.shared);
            let mut outbox = lock(&shared.outbox);
            if let Some(results) = self.take_current(&mut outbox) {
                return Some(results);
            }
            let left = deadline.map_or(Duration::MAX, |d| {
                d.saturating_duration_since(Instant::now())
            });
            if left.is_zero() {
                return None;
            }
            // Wake up now and then to see that the worker still lives.
            drop(
                shared
                    .results_ready
                    .wait_timeout(outbox, left.min(LIFE_CHECK))
                    .unwrap_or_else(PoisonError::into_inner),
            );
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
        self.shared.inbox.close();
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
    #[cfg(test)]
    if job.query == PANIC_WHILE_MATCHING {
        panic!("the engine failed on this query (test)");
    }
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
    // Panics here are caught (or end the thread, which the finder notices):
    // they must not reach the terminal's panic hook.
    let _quiet = QuietPanics::enter();
    let mut trail = Trail::default();
    loop {
        // None once the finder is dropped.
        let Some(job) = shared.inbox.take() else {
            return;
        };
        #[cfg(test)]
        if job.query == KILL_THE_WORKER {
            panic!("the worker thread died (test)");
        }
        let stale = || shared.latest.load(Ordering::Relaxed) != job.generation;
        if stale() {
            continue;
        }
        let answered = panic::catch_unwind(AssertUnwindSafe(|| {
            answer(&job, &mut trail, threads, &stale)
        }));
        match answered {
            Ok(Some(results)) if !stale() => {
                *lock(&shared.outbox) = Some(results);
                shared.results_ready.notify_all();
            }
            Ok(_) => {}
            Err(payload) => {
                // Start afresh: the trail may be half updated.
                trail = Trail::default();
                *lock(&shared.failure) = Some(panic_message(&*payload));
                shared.results_ready.notify_all();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finder::fixtures::{ALL, corpus, paths};
    use crate::finder::search;

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
        // A new corpus is searched afresh, even by a query that extends the last.
        let (_, _, other) = corpus(&["iso42001-2023"], paths(10));
        finder.set_corpus(Arc::new(other));
        let generation = finder.submit("x");
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

    /// Waits up to a minute for the finder to report a failure.
    fn failure_of(finder: &mut Finder) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(why) = finder.take_failure() {
                return why;
            }
            thread::sleep(Duration::from_millis(5));
        }
        panic!("no failure reported");
    }

    #[test]
    fn a_panic_while_matching_is_reported_and_the_next_query_answered() {
        let (_, _, c) = corpus(&ALL, paths(1000));
        let c = Arc::new(c);
        let mut finder = Finder::new(Arc::clone(&c));
        assert!(finder.take_failure().is_none());
        finder.submit("risk");
        finder.wait_results(Duration::from_secs(60)).unwrap();
        finder.submit(PANIC_WHILE_MATCHING);
        assert_eq!(
            failure_of(&mut finder),
            "the engine failed on this query (test)"
        );
        assert!(finder.take_failure().is_none(), "reported once");
        // The next query is matched afresh (the trail was forgotten).
        let generation = finder.submit("risk reg");
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert_eq!((r.generation, r.narrowed), (generation, false));
        let (top, all) = search(&c, "risk reg", None, LIMIT);
        assert_eq!((r.total_matches, r.top.clone()), (all.len(), c.hits(&top)));
    }

    #[test]
    fn a_dead_worker_is_restarted_and_takes_up_the_queued_query() {
        let (_, _, c) = corpus(&ALL, paths(1000));
        let c = Arc::new(c);
        let mut finder = Finder::new(Arc::clone(&c));
        finder.submit(KILL_THE_WORKER);
        let first = finder.worker.as_ref().map(|w| w.thread().id());
        // Until the thread has died, wait; then queue a query it never saw.
        while !finder.worker.as_ref().is_some_and(JoinHandle::is_finished) {
            thread::sleep(Duration::from_millis(1));
        }
        finder.generation += 1;
        let generation = finder.generation;
        finder.shared.latest.store(generation, Ordering::SeqCst);
        finder.shared.inbox.put(Job {
            generation,
            query: "minutes".into(),
            corpus: Arc::clone(&c),
        });
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert_eq!((r.generation, r.query.as_str()), (generation, "minutes"));
        assert_ne!(finder.worker.as_ref().map(|w| w.thread().id()), first);
        assert_eq!(
            finder.take_failure().as_deref(),
            Some("the worker thread died (test)")
        );
        // And it goes on answering.
        let generation = finder.submit("model card");
        let r = finder.wait_results(Duration::from_secs(60)).unwrap();
        assert_eq!(r.generation, generation);
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
}
