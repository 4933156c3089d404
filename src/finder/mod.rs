//! The `/` finder: requirements, findings, interview notes and the
//! auditee's evidence bundle paths, fuzzy-matched off the UI thread.
//!
//! A [`Corpus`] is built once (requirements, findings, notes, and an [`Evidence`]
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
//!
//! One job per file:
//! - `haystack`: what is matched — a [`Text`] of some [`Kind`], and the
//!   [`Engine`] trait that scores one (shared by `corpus` and `engine`);
//! - `corpus`: what is searched — the [`Corpus`] and its shared [`Evidence`]
//!   listing, and what each item is scored on (an id typed exactly, title,
//!   questions at half, finding statement, note interviewee and text, path);
//! - `engine`: matching — [`Nucleo`], the search
//!   over every item or an earlier query's matches, in chunks spread over
//!   threads and abandoned for a newer query, and the bounded heap of the
//!   best;
//! - `worker`: the background thread — [`Finder`] and its [`Results`], the
//!   one-job inbox, generations, and the trail of completed queries it
//!   narrows from.
//!
//! What the parts share lives here: [`LIMIT`], [`EXACT`], [`Hit`] and
//! [`Target`].

mod corpus;
mod engine;
mod haystack;
mod worker;

pub use corpus::{Corpus, Evidence};
pub use engine::{Nucleo, NucleoScratch, Outcome, search, search_with};
pub use haystack::{Engine, Kind, Text};
#[cfg(test)]
pub(crate) use worker::PANIC_WHILE_MATCHING;
pub use worker::{Finder, Results};

/// What a finder entry leads to (shared with the synchronous search).
/// Something the finder can jump to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Requirement(crate::checklist::ReqRef),
    Finding(crate::audit::FindingId),
    /// An interview note, by the requirement it is on and its id.
    Note {
        req: crate::checklist::ReqRef,
        id: u32,
    },
    /// A file of the evidence bundle, by its bundle path.
    Evidence(String),
}

/// At most this many hits come back per query: more than a screen shows.
pub const LIMIT: usize = 200;

/// The score of an id typed exactly; no fuzzy score reaches it.
pub const EXACT: u32 = u32::MAX;

/// One result: where it leads, the line shown for it, and its score
/// ([`EXACT`] for an id typed exactly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub target: Target,
    pub label: String,
    pub score: u32,
}

/// Records, evidence listings and corpora for the parts' tests.
#[cfg(test)]
mod fixtures {
    use std::sync::Arc;

    use super::{Corpus, Evidence, Target};
    use crate::audit::{AuditRecord, AuditType, Change, Criterion, Meta};
    use crate::checklist::Catalog;

    pub(super) const ALL: [&str; 3] = ["iso42001-2023", "iso27001-2022", "iso9001-2015"];

    pub(super) fn record(ids: &[&str]) -> AuditRecord {
        let meta = Meta::new("A", AuditType::Stage2);
        let criteria = ids
            .iter()
            .map(|i| Criterion::Builtin(i.to_string()))
            .collect();
        AuditRecord::new(meta, criteria, None, &Change::now("t"))
    }

    pub(super) fn paths(n: usize) -> Vec<String> {
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

    pub(super) fn corpus(ids: &[&str], evidence: Vec<String>) -> (Catalog, AuditRecord, Corpus) {
        let r = record(ids);
        let cat = r.catalog().unwrap();
        let c = Corpus::new(&cat, &r, Arc::new(Evidence::new(evidence)));
        (cat, r, c)
    }

    pub(super) fn targets(corpus: &Corpus, top: &[(u32, u32)]) -> Vec<Target> {
        corpus.hits(top).into_iter().map(|h| h.target).collect()
    }
}

#[cfg(test)]
mod tests {
    //! What spans the parts: the engine's search and the worker's results
    //! agreeing on the limit and on the empty query.

    use std::cmp::Reverse;
    use std::sync::Arc;
    use std::time::Duration;

    use super::fixtures::{ALL, corpus, paths, targets};
    use super::*;

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
}
