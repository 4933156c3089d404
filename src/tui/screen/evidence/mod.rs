//! The evidence screen (`b`): the bundle's listing, hashes arriving from
//! the background, the selected file and its preview; its keys here, its
//! drawing in [`draw`].

pub mod draw;
pub mod pane;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::audit::{EvidenceLink, LinkTarget};
use crate::evidence::preview::Preview;
use crate::evidence::{Bundle, Entry, Listing};
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::{Item, Model, Screen};
use crate::tui::popup::{Notice, Popup};
use crate::tui::update::Effect;
use pane::{Focus, Pane};

/// How a cited file compares with the bundle as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// Same hash as when linked.
    Unchanged,
    /// The file's content changed since it was linked.
    Changed,
    /// The file is no longer in the bundle (or cannot be read).
    Missing,
    /// Not hashed yet (or no bundle open).
    Unknown,
}

/// The opened bundle as the screen shows it.
pub struct EvidenceView {
    pub bundle: Bundle,
    pub listing: Listing,
    /// Hex SHA-256 per path, as hashing results arrive.
    pub hashes: HashMap<String, Result<String, String>>,
    /// Bytes hashed so far, updated by the hashing workers.
    pub progress: Arc<AtomicU64>,
    pub hashing: bool,
    /// Index into `listing.entries`.
    pub cursor: usize,
    /// Preview of the file under the cursor (path, result), once read.
    pub preview: Option<(
        String,
        Result<Preview, crate::evidence::preview::PreviewError>,
    )>,
    /// Where the preview is scrolled to, and a search in it.
    pub pane: Pane,
}

impl EvidenceView {
    pub fn new(bundle: Bundle, listing: Listing, progress: Arc<AtomicU64>) -> EvidenceView {
        EvidenceView {
            bundle,
            listing,
            hashes: HashMap::new(),
            progress,
            hashing: true,
            cursor: 0,
            preview: None,
            pane: Pane::default(),
        }
    }

    /// Where the keys go: the file tree, the preview, or a query typed
    /// into the preview's search.
    pub fn mode(&self) -> Mode {
        match (self.pane.focus, &self.pane.search) {
            (Focus::Preview, Some(search)) if search.typing => Mode::PreviewSearch,
            (Focus::Preview, _) => Mode::EvidencePreview,
            (Focus::Files, _) => Mode::Evidence,
        }
    }

    /// The preview of the selected file, once read.
    pub fn shown_preview(&self) -> Option<&Preview> {
        let entry = self.selected()?;
        match &self.preview {
            Some((path, Ok(preview))) if *path == entry.path => Some(preview),
            _ => None,
        }
    }

    /// The preview shown (if any) and the pane's state, to change the one
    /// while reading the other.
    pub fn preview_and_pane(&mut self) -> (Option<&Preview>, &mut Pane) {
        let path = self
            .listing
            .entries
            .get(self.cursor)
            .map(|e| e.path.as_str());
        let preview = match (&self.preview, path) {
            (Some((shown, Ok(preview))), Some(path)) if shown == path => Some(preview),
            _ => None,
        };
        (preview, &mut self.pane)
    }

    /// A preview arrived for `path`: show it from its start (the focus
    /// stays where it was).
    pub fn previewed(
        &mut self,
        path: String,
        result: Result<Preview, crate::evidence::preview::PreviewError>,
    ) {
        self.preview = Some((path, result));
        self.pane = Pane {
            focus: self.pane.focus,
            ..Pane::default()
        };
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.listing.entries.get(self.cursor)
    }

    /// Hashing progress in whole percent.
    pub fn percent(&self) -> u64 {
        let total = self.listing.total_bytes();
        (self.progress.load(Ordering::Relaxed) * 100)
            .checked_div(total)
            .unwrap_or(100)
            .min(100)
    }

    /// Compare a link with the bundle's current content.
    pub fn state_of(&self, link: &EvidenceLink) -> LinkState {
        // Not from the bundle: `fieldaudit evidence check` re-hashes it.
        if link.collected.is_some() {
            return LinkState::Unknown;
        }
        if self.listing.get(&link.path).is_none() {
            return LinkState::Missing;
        }
        match self.hashes.get(&link.path) {
            Some(Ok(sha)) if *sha == link.sha256 => LinkState::Unchanged,
            Some(Ok(_)) => LinkState::Changed,
            Some(Err(_)) => LinkState::Missing,
            None => LinkState::Unknown,
        }
    }

    pub fn select(&mut self, path: &str) -> bool {
        match self.listing.entries.iter().position(|e| e.path == path) {
            Some(i) => {
                self.cursor = i;
                true
            }
            None => false,
        }
    }
}

/// What the evidence screen asks the event loop to do.
#[derive(Debug, Clone)]
pub enum EvidenceWork {
    /// Read a bounded preview of an entry.
    Preview(Entry),
    /// Hash an entry now (if the background hash has not reached it) and link it.
    PinAndLink(Entry, LinkTarget),
}

/// Switch to the evidence screen (or say why there is none).
pub fn show(model: &mut Model) -> Vec<Effect> {
    if model.evidence.is_none() {
        model.message = Some(match (&model.evidence_error, &model.record.evidence_bundle) {
            (Some(e), _) => e.clone(),
            (None, Some(_)) => "the evidence bundle is still being listed…".into(),
            (None, None) => "this audit has no evidence bundle: quit and run `fieldaudit open AUDIT.ron --evidence PATH`".into(),
        });
        return Vec::new();
    }
    model.screen = Screen::Evidence;
    preview_selected(model)
}

/// Ask for a preview of the file under the evidence cursor, unless shown.
pub fn preview_selected(model: &mut Model) -> Vec<Effect> {
    let Some(view) = model.evidence.as_mut() else {
        return Vec::new();
    };
    let Some(entry) = view.selected().cloned() else {
        return Vec::new();
    };
    if view.preview.as_ref().is_some_and(|(p, _)| *p == entry.path) {
        return Vec::new();
    }
    view.preview = None;
    vec![Effect::Evidence(EvidenceWork::Preview(entry))]
}

/// A key's action on the evidence screen: for the file tree, the preview,
/// or the preview's search, as the focus is; the rest are the main screen's.
pub fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    let Some(view) = model.evidence.as_mut() else {
        model.screen = Screen::Requirements;
        return Vec::new();
    };
    match view.mode() {
        Mode::PreviewSearch => {
            match action {
                Action::Submit => view.pane.confirm_search(),
                Action::Close => view.pane.search = None,
                _ => {}
            }
            Vec::new()
        }
        Mode::EvidencePreview => preview_act(model, action),
        _ => files_act(model, action),
    }
}

/// A key's action with the file tree focused.
fn files_act(model: &mut Model, action: Action) -> Vec<Effect> {
    let page = model.page.max(1);
    let Some(view) = model.evidence.as_mut() else {
        return Vec::new();
    };
    let last = view.listing.entries.len().saturating_sub(1);
    match action {
        Action::SwitchPane => {
            view.pane.focus = Focus::Preview;
            return Vec::new();
        }
        Action::NextRequirement => view.cursor = (view.cursor + 1).min(last),
        Action::PrevRequirement => view.cursor = view.cursor.saturating_sub(1),
        Action::FirstRequirement => view.cursor = 0,
        Action::LastRequirement => view.cursor = last,
        Action::PageDown => view.cursor = (view.cursor + page).min(last),
        Action::PageUp => view.cursor = view.cursor.saturating_sub(page),
        Action::ScrollDown | Action::ScrollUp => {
            let by = if action == Action::ScrollDown { 5 } else { -5 };
            if let (Some(preview), pane) = view.preview_and_pane() {
                pane.step(preview, by, preview_page(page));
            }
            return Vec::new();
        }
        Action::ToggleEvidence => {
            model.screen = Screen::Requirements;
            return Vec::new();
        }
        Action::LinkEvidence => return link(model),
        other => return super::requirements::act(model, other),
    }
    preview_selected(model)
}

/// `l`: hash the selected file and cite it for the selected finding, or
/// else the current requirement.
fn link(model: &mut Model) -> Vec<Effect> {
    let Some(entry) = model.evidence.as_ref().and_then(|v| v.selected().cloned()) else {
        model.message = Some("the bundle has no files to link".into());
        return Vec::new();
    };
    let target = match (model.item, model.current()) {
        (Some(Item::Finding(id)), _) => LinkTarget::Finding(id),
        (_, Some(req)) => LinkTarget::Requirement(req.clone()),
        (_, None) => {
            model.message = Some("choose a requirement first (b goes back)".into());
            return Vec::new();
        }
    };
    model.message = Some(format!("hashing {} to link it to {target}…", entry.path));
    vec![Effect::Evidence(EvidenceWork::PinAndLink(entry, target))]
}

/// Rows of a table that fit the preview pane, for a tree page of `page`:
/// less the file's line, the table's title and its header.
fn preview_page(page: usize) -> usize {
    page.saturating_sub(3).max(1)
}

/// A key's action with the preview focused; keys it does not take (`l`,
/// `b`, `?`, `q`, …) work as on the file tree.
fn preview_act(model: &mut Model, action: Action) -> Vec<Effect> {
    let page = preview_page(model.page);
    let Some(view) = model.evidence.as_mut() else {
        return Vec::new();
    };
    let (preview, pane) = view.preview_and_pane();
    let Some(preview) = preview else {
        return match action {
            Action::SwitchPane | Action::Close => {
                pane.focus = Focus::Files;
                Vec::new()
            }
            Action::SearchPreview | Action::ShowRow | Action::NextHit | Action::PrevHit => {
                model.message =
                    Some("nothing to look through yet: the preview is not shown".into());
                Vec::new()
            }
            other => files_act(model, other),
        };
    };
    let last = pane::len(preview) as isize;
    match action {
        Action::SwitchPane | Action::Close => pane.focus = Focus::Files,
        Action::SearchPreview => pane.start_search(),
        Action::NextHit | Action::PrevHit => {
            if !pane.next_hit(action == Action::NextHit, page) {
                model.message = Some("no search matches: / searches the preview".into());
            }
        }
        Action::ListDown => pane.step(preview, 1, page),
        Action::ListUp => pane.step(preview, -1, page),
        Action::ScrollDown => pane.step(preview, 5, page),
        Action::ScrollUp => pane.step(preview, -5, page),
        Action::PageDown => pane.step(preview, page as isize, page),
        Action::PageUp => pane.step(preview, -(page as isize), page),
        Action::FirstRequirement => pane.step(preview, -last, page),
        Action::LastRequirement => pane.step(preview, last, page),
        Action::ColumnsLeft | Action::ColumnsRight => {
            pane.columns(preview, action == Action::ColumnsRight)
        }
        Action::ShowRow => match row_notice(preview, pane.at) {
            Some(notice) => model.popups.push(Popup::Notice(notice)),
            None => {
                model.message =
                    Some("Enter shows a table's row in full; this preview is text".into())
            }
        },
        other => return files_act(model, other),
    }
    Vec::new()
}

/// A table row's cells in full, each with its column's name; None when the
/// preview is text.
fn row_notice(preview: &Preview, at: usize) -> Option<Notice> {
    let at = pane::rows(preview).get(at).copied()?;
    let table = &preview.tables[at.table];
    let lines = table
        .record(at.row)
        .into_iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    Some(Notice {
        title: format!(" {} — row {} ", table.title, at.row + 1),
        lines,
    })
}

/// Typed text: the query of a search in the preview.
pub fn typed(model: &mut Model, input: ratatui_textarea::Input) -> Vec<Effect> {
    let page = preview_page(model.page);
    if let Some(view) = model.evidence.as_mut() {
        let (preview, pane) = view.preview_and_pane();
        pane.typed(preview, input, page);
    }
    Vec::new()
}
