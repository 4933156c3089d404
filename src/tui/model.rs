//! Everything the screen shows, and nothing the terminal owns.

use std::collections::HashSet;
use std::path::PathBuf;

use super::keymap::Mode;
use super::popup::Popup;
use crate::audit::{AuditRecord, Change, Edit, FindingId, Timestamp};
use crate::checklist::{Catalog, ReqRef};

/// One line of the requirement tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A checklist heading (only when the audit has several).
    Checklist(usize),
    /// A clause or control group: checklist index, section index.
    Section(usize, usize),
    Requirement(ReqRef),
}

/// How the last save went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Everything confirmed is on disk.
    Saved(Option<Timestamp>),
    /// Edits are on their way to disk.
    Saving(usize),
    /// Edits that could not be written; kept in memory, retried with Ctrl-R.
    Failed { message: String, unsaved: usize },
}

/// An edit sent to the store and not yet confirmed written.
#[derive(Debug, Clone)]
pub struct Pending {
    pub seq: u64,
    pub edit: Edit,
    pub change: Change,
}

/// The selected note or finding under the current requirement (Tab cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Note(u32),
    Finding(FindingId),
}

/// Which screen the main area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Requirements,
    Evidence,
    /// The follow-up of NCs and areas of concern, previous and current.
    FollowUp,
    /// The audit plan: the sessions by day, the one under way marked.
    Plan,
    /// The merge conflicts still open, each with its values.
    Conflicts,
}

pub struct Model {
    pub path: PathBuf,
    pub screen: Screen,
    /// The auditee's bundle once listed (None before, or without one).
    pub evidence: Option<super::screen::evidence::EvidenceView>,
    /// Why the bundle could not be opened, if it could not.
    pub evidence_error: Option<String>,
    /// The selected row of the follow-up screen (an index into
    /// `record.follow_ups`).
    pub follow_up: usize,
    /// The selected session of the plan screen (index into its sessions).
    pub plan_cursor: usize,
    /// The selected value row of the conflicts screen.
    pub conflict_cursor: usize,
    /// Which requirements the tree shows (`N`).
    pub scope: super::scope::Scope,
    /// The bundle's paths, shared with the finder's corpus.
    pub evidence_index: std::sync::Arc<crate::finder::Evidence>,
    /// The number of the newest search asked of the finder.
    pub finder_requests: u64,
    pub record: AuditRecord,
    pub catalog: Catalog,
    pub author: String,
    /// The time of the newest [`Msg::Tick`](super::update::Msg::Tick): the
    /// time an edit made now is recorded with.
    pub clock: crate::audit::Timestamp,
    pub collapsed: HashSet<(usize, usize)>,
    pub rows: Vec<Row>,
    /// Index into `rows`.
    pub cursor: usize,
    /// Rows visible in the tree pane at the last draw (for paging).
    pub page: usize,
    pub item: Option<Item>,
    /// Lines the detail pane is scrolled down.
    pub detail_scroll: u16,
    /// Lines the help or dashboard overlay is scrolled down.
    pub overlay_scroll: u16,
    pub popups: Vec<Popup>,
    pub pending: Vec<Pending>,
    pub failed: Vec<Pending>,
    pub save: SaveState,
    pub message: Option<String>,
    pub quit: bool,
    pub next_seq: u64,
}

impl Model {
    pub fn new(path: PathBuf, record: AuditRecord, catalog: Catalog, author: String) -> Model {
        let mut model = Model {
            path,
            screen: Screen::Requirements,
            evidence: None,
            evidence_error: None,
            follow_up: 0,
            plan_cursor: 0,
            conflict_cursor: 0,
            scope: super::scope::Scope::All,
            evidence_index: std::sync::Arc::new(crate::finder::Evidence::new(Vec::<String>::new())),
            finder_requests: 0,
            record,
            catalog,
            author,
            // Until the run loop's first tick.
            clock: crate::audit::now(),
            collapsed: HashSet::new(),
            rows: Vec::new(),
            cursor: 0,
            page: 20,
            item: None,
            detail_scroll: 0,
            overlay_scroll: 0,
            popups: Vec::new(),
            pending: Vec::new(),
            failed: Vec::new(),
            save: SaveState::Saved(None),
            message: None,
            quit: false,
            next_seq: 1,
        };
        model.rebuild_rows();
        model.cursor = model
            .rows
            .iter()
            .position(|r| matches!(r, Row::Requirement(_)))
            .unwrap_or(0);
        model
    }

    pub fn mode(&self) -> Mode {
        match (self.popups.last(), self.screen) {
            (Some(popup), _) => popup.mode(),
            (None, Screen::Requirements) => Mode::Main,
            (None, Screen::Evidence) => self.evidence.as_ref().map_or(Mode::Evidence, |v| v.mode()),
            (None, Screen::FollowUp) => Mode::FollowUp,
            (None, Screen::Plan) => Mode::Plan,
            (None, Screen::Conflicts) => Mode::Conflicts,
        }
    }

    /// Recompute the visible tree rows after folding.
    pub fn rebuild_rows(&mut self) {
        let current = self.rows.get(self.cursor).cloned();
        let several = self.catalog.checklists().len() > 1;
        // Narrowed (`N`): only the requirements in scope, and their sections.
        let mut only = self
            .scope
            .requirements(&self.record, &self.catalog, &self.author);
        // The scope lost its last requirement (its session removed, or
        // reassigned on another laptop): show all again, and say why.
        if only.as_ref().is_some_and(|only| only.is_empty()) {
            self.message = Some("the narrowed tree has no requirement left: it shows all".into());
            self.scope = super::scope::Scope::All;
            only = None;
        }
        let mut rows = Vec::new();
        for (ci, checklist) in self.catalog.checklists().iter().enumerate() {
            let heading = rows.len();
            if several {
                rows.push(Row::Checklist(ci));
            }
            for (si, section) in checklist.sections.iter().enumerate() {
                let reqs: Vec<ReqRef> = section
                    .requirements
                    .iter()
                    .map(|r| ReqRef::new(&checklist.id, &r.id))
                    .filter(|r| only.as_ref().is_none_or(|only| only.contains(r)))
                    .collect();
                if reqs.is_empty() && only.is_some() {
                    continue;
                }
                rows.push(Row::Section(ci, si));
                if !self.collapsed.contains(&(ci, si)) {
                    rows.extend(reqs.into_iter().map(Row::Requirement));
                }
            }
            if only.is_some() && rows.len() == heading + usize::from(several) {
                rows.truncate(heading);
            }
        }
        self.rows = rows;
        if let Some(current) = current {
            self.cursor = self.position_of(&current).unwrap_or(self.cursor);
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    fn position_of(&self, row: &Row) -> Option<usize> {
        self.rows.iter().position(|r| r == row)
    }

    /// The requirement under the cursor, if the cursor is on one.
    pub fn current(&self) -> Option<&ReqRef> {
        match self.rows.get(self.cursor) {
            Some(Row::Requirement(r)) => Some(r),
            _ => None,
        }
    }

    /// Section (checklist index, section index) of the row under the cursor.
    pub fn current_section(&self) -> Option<(usize, usize)> {
        self.rows
            .get(..=self.cursor)
            .unwrap_or(&self.rows)
            .iter()
            .rev()
            .find_map(|r| match r {
                Row::Section(ci, si) => Some((*ci, *si)),
                _ => None,
            })
    }

    /// Move the cursor to a requirement, unfolding its section (and
    /// widening a narrowed tree that leaves it out).
    pub fn jump_to(&mut self, req: &ReqRef) {
        // Outside the narrowed tree: show all again.
        if self
            .scope
            .requirements(&self.record, &self.catalog, &self.author)
            .is_some_and(|only| !only.contains(req))
        {
            self.scope = super::scope::Scope::All;
        }
        for (ci, c) in self.catalog.checklists().iter().enumerate() {
            if c.id != req.checklist {
                continue;
            }
            for (si, s) in c.sections.iter().enumerate() {
                if s.requirements.iter().any(|r| r.id == req.id) {
                    self.collapsed.remove(&(ci, si));
                }
            }
        }
        self.rebuild_rows();
        if let Some(at) = self.position_of(&Row::Requirement(req.clone())) {
            self.cursor = at;
        }
        self.item = None;
    }

    /// Findings that name a requirement.
    pub fn findings_on<'a>(
        &'a self,
        req: &'a ReqRef,
    ) -> impl Iterator<Item = &'a crate::audit::Finding> {
        self.record
            .findings
            .iter()
            .filter(move |f| f.requirements.contains(req))
    }

    /// Notes then findings of the current requirement, for Tab to cycle.
    pub fn items(&self) -> Vec<Item> {
        let Some(req) = self.current() else {
            return Vec::new();
        };
        let notes = self
            .record
            .assessment(req)
            .map(|a| a.notes.iter().map(|n| Item::Note(n.id)).collect::<Vec<_>>())
            .unwrap_or_default();
        notes
            .into_iter()
            .chain(self.findings_on(req).map(|f| Item::Finding(f.id)))
            .collect()
    }
}
