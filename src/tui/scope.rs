//! Narrowing the requirement tree (`N`): every requirement, those of one
//! session of the audit plan, or those the auditor audits ("mine"). The
//! tree shows, and j/k/g/G move within, the requirements in scope; the
//! finder still searches everything (going to a requirement outside the
//! scope widens it to all).

use std::collections::HashSet;

use crate::audit::AuditRecord;
use crate::audit::identity::Uid;
use crate::checklist::{Catalog, ReqRef};

use super::model::Model;

/// Which requirements the tree shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    All,
    /// The requirements of one session of the plan (by its uid, so that a
    /// session added before it keeps the scope on the same one).
    Session(Uid),
    /// The requirements the model's author audits (assigned, or in a
    /// session of theirs).
    Mine,
}

impl Scope {
    /// The requirements in scope; `None` for all of them.
    pub fn requirements(
        &self,
        record: &AuditRecord,
        catalog: &Catalog,
        author: &str,
    ) -> Option<HashSet<ReqRef>> {
        match self {
            Scope::All => None,
            Scope::Session(uid) => Some(
                record
                    .sessions()
                    .iter()
                    .find(|s| s.uid == *uid)
                    .map(|s| s.requirements.iter().cloned().collect())
                    .unwrap_or_default(),
            ),
            Scope::Mine => Some(record.mine(catalog, author).into_iter().collect()),
        }
    }

    /// What the title bar says ("session 3", "mine"); `None` for all.
    pub fn words(&self, record: &AuditRecord) -> Option<String> {
        match self {
            Scope::All => None,
            Scope::Session(uid) => Some(
                record
                    .sessions()
                    .iter()
                    .position(|s| s.uid == *uid)
                    .map_or("a removed session".into(), |i| format!("session {}", i + 1)),
            ),
            Scope::Mine => Some("mine".into()),
        }
    }
}

/// Narrow the tree to `scope`, unless it holds no requirement (the message
/// line then says why and the tree stays as it was). Returns whether it
/// narrowed.
pub fn narrow(model: &mut Model, scope: Scope, empty: &str) -> bool {
    let none = scope
        .requirements(&model.record, &model.catalog, &model.author)
        .is_some_and(|reqs| reqs.is_empty());
    if none {
        model.message = Some(empty.to_string());
        return false;
    }
    model.scope = scope;
    model.rebuild_rows();
    // Onto a requirement in scope, if the cursor is on none.
    if model.current().is_none()
        && let Some(at) = model
            .rows
            .iter()
            .position(|r| matches!(r, super::model::Row::Requirement(_)))
    {
        model.cursor = at;
    }
    model.item = None;
    model.detail_scroll = 0;
    true
}

/// `N`: all → the session under way → mine → all, skipping a scope that
/// would be empty (the message line says so).
pub fn cycle(model: &mut Model) {
    let now = model.clock.naive_local();
    let session_now = model.record.session_at(now).map(|(_, s)| s.uid.clone());
    let mine = "no requirement is yours: o assigns one, or the plan's sessions name you";
    match (&model.scope, session_now) {
        (Scope::All, Some(uid)) => {
            if !narrow(
                model,
                Scope::Session(uid),
                "the session under way names no requirement",
            ) {
                narrow(model, Scope::Mine, mine);
            }
        }
        (Scope::All, None) => {
            if !narrow(model, Scope::Mine, mine) {
                model.message = Some(
                    "no session is under way now and no requirement is yours: the tree shows all"
                        .into(),
                );
            }
        }
        (Scope::Session(_), _) => {
            if !narrow(model, Scope::Mine, mine) {
                narrow(model, Scope::All, "");
            }
        }
        (Scope::Mine, _) => {
            narrow(model, Scope::All, "");
        }
    }
}
