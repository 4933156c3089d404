//! The evidence screen (`b`): the bundle's listing, hashes arriving from
//! the background, the selected file and its preview; its keys here, its
//! drawing in [`draw`].

pub mod draw;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::audit::{EvidenceLink, LinkTarget};
use crate::evidence::preview::Preview;
use crate::evidence::{Bundle, Entry, Listing};
use crate::tui::action::Action;
use crate::tui::model::{Item, Model, Screen};
use crate::tui::update::Effect;

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
    pub preview_scroll: u16,
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
            preview_scroll: 0,
        }
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

/// A key's action on the evidence screen; the rest are the main screen's.
pub fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    let page = model.page.max(1);
    let Some(view) = model.evidence.as_mut() else {
        model.screen = Screen::Requirements;
        return Vec::new();
    };
    let last = view.listing.entries.len().saturating_sub(1);
    match action {
        Action::NextRequirement => view.cursor = (view.cursor + 1).min(last),
        Action::PrevRequirement => view.cursor = view.cursor.saturating_sub(1),
        Action::FirstRequirement => view.cursor = 0,
        Action::LastRequirement => view.cursor = last,
        Action::PageDown => view.cursor = (view.cursor + page).min(last),
        Action::PageUp => view.cursor = view.cursor.saturating_sub(page),
        Action::ScrollDown => {
            view.preview_scroll = view.preview_scroll.saturating_add(5);
            return Vec::new();
        }
        Action::ScrollUp => {
            view.preview_scroll = view.preview_scroll.saturating_sub(5);
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
