//! The evidence screen's state and behaviour: the bundle's listing, hashes
//! arriving from the background, the selected file and its preview.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::audit::{EvidenceLink, LinkTarget};
use crate::evidence::preview::Preview;
use crate::evidence::{Bundle, Entry, Listing};

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
