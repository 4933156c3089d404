//! The `/` finder's background worker as the run loop owns it. `update`
//! asks for a search with [`Effect::Find`](super::update::Effect::Find),
//! naming its request with a number of its own; the host hands the query to
//! the worker ([`crate::finder::Finder`], started on first use) and turns
//! what comes back into [`Msg::Found`] and [`Msg::FinderFailed`], so that
//! `update` never starts a thread or waits for one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::update::Msg;
use crate::finder::{Corpus, Finder, Results};

/// Owns the finder's worker and remembers which request each of its
/// generations answers.
#[derive(Default)]
pub struct FinderHost {
    finder: Option<Finder>,
    /// `(worker generation, request)` of the newest query handed over.
    newest: Option<(u64, u64)>,
    /// The newest worker generation whose results were passed on.
    delivered: u64,
}

impl FinderHost {
    pub fn new() -> FinderHost {
        FinderHost::default()
    }

    /// Search `query` (over `corpus`, if given: a new corpus replaces the
    /// one searched so far) for `update`'s request `request`.
    pub fn find(&mut self, corpus: Option<Arc<Corpus>>, query: &str, request: u64) {
        let finder = match (self.finder.as_mut(), corpus) {
            (Some(finder), Some(corpus)) => {
                finder.set_corpus(corpus);
                finder
            }
            (Some(finder), None) => finder,
            (None, Some(corpus)) => self.finder.insert(Finder::new(corpus)),
            // Nothing to search yet: the finder opens with a corpus.
            (None, None) => return,
        };
        let generation = finder.submit(query);
        self.newest = Some((generation, request));
    }

    /// What is ready now, as messages for `update`; never waits.
    pub fn poll(&mut self) -> Vec<Msg> {
        let results = self.finder.as_mut().and_then(Finder::try_results);
        self.messages(results)
    }

    /// Wait up to `timeout` for the answer to the newest request (for tests
    /// and benchmarks that drive `update` without a run loop).
    pub fn wait(&mut self, timeout: Duration) -> Vec<Msg> {
        let deadline = Instant::now() + timeout;
        let mut out = Vec::new();
        if self
            .newest
            .is_none_or(|(generation, _)| generation <= self.delivered)
        {
            // Answered already (or nothing asked): nothing to wait for.
            return out;
        }
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let results = self.finder.as_mut().and_then(|f| f.wait_results(left));
            let answered = results
                .as_ref()
                .zip(self.newest)
                .is_some_and(|(r, (generation, _))| r.generation >= generation);
            let got = results.is_some();
            out.extend(self.messages(results));
            if answered || !got {
                break;
            }
        }
        out
    }

    fn messages(&mut self, results: Option<Results>) -> Vec<Msg> {
        let mut out = Vec::new();
        if let Some(why) = self.finder.as_mut().and_then(Finder::take_failure) {
            out.push(Msg::FinderFailed(why));
        }
        if let (Some(results), Some((generation, request))) = (results, self.newest) {
            self.delivered = self.delivered.max(results.generation);
            // Results of a query since superseded answer no request that
            // is still waited for (requests count from 1).
            let request = if results.generation >= generation {
                request
            } else {
                0
            };
            out.push(Msg::Found {
                request,
                total: results.total_matches,
                hits: results.top,
            });
        }
        out
    }
}
