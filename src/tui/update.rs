//! `update(&mut Model, Msg) -> Vec<Effect>`: all behaviour, no I/O.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use ratatui_textarea::Input;

use super::action::Action;
use super::model::{Model, Pending, SaveState, Screen};
use super::popup::{self, Popup, SignOffForm};
use super::screen;
use super::screen::evidence::{EvidenceView, EvidenceWork};
use crate::audit::{AuditError, AuditRecord, Change, Edit, LinkTarget, Timestamp};
use crate::evidence::preview::Preview;
use crate::evidence::{Bundle, Listing};
use crate::finder::Hit;

/// What reaches `update`.
#[derive(Debug)]
pub enum Msg {
    Action(Action),
    /// A key no binding took: text for the focused field (ratatui-textarea's
    /// own input type, so the terminal library's types stay in the run loop
    /// and the keymap).
    Type(Input),
    /// The store wrote an edit; here is the record as it now is on disk.
    Saved {
        seq: u64,
        record: Box<AuditRecord>,
        /// When it was written.
        at: Timestamp,
    },
    /// The store could not write an edit.
    SaveFailed {
        seq: u64,
        message: String,
    },
    /// The record changed on disk (another fieldaudit wrote it).
    Reloaded(Box<AuditRecord>),
    /// The evidence bundle was listed (hashing then goes on in the background).
    EvidenceOpened {
        result: Result<Box<(Bundle, Listing)>, crate::evidence::BundleError>,
        progress: Arc<AtomicU64>,
    },
    /// Background hashing finished: hex SHA-256 per path.
    EvidenceHashed(Vec<(String, Result<String, String>)>),
    /// A collected file's preview was read.
    PreviewedCollected {
        sha256: String,
        result: Result<Preview, crate::evidence::preview::PreviewError>,
    },
    /// A preview was read.
    Previewed {
        path: String,
        result: Result<Preview, crate::evidence::preview::PreviewError>,
    },
    /// The finder's answer to request `request` (0: to a query since
    /// superseded; its results are shown while the newest is matched).
    Found {
        request: u64,
        /// How many items the query matches in all.
        total: usize,
        hits: Vec<Hit>,
    },
    /// The finder's worker failed on an internal error and was restarted.
    FinderFailed(String),
    /// A file was hashed for linking.
    Pinned {
        path: String,
        /// The SHA-256 (hex) and size, or why the file could not be read.
        result: Result<(String, u64), crate::evidence::BundleError>,
        target: LinkTarget,
    },
    /// The record on disk changed and no longer reads.
    DiskError(Box<crate::audit::StoreError>),
    /// The packer finished (or failed, or was cancelled).
    Packed(Result<Box<crate::report::signoff::Outcome>, super::signoff::PackFailure>),
    /// The time now, from the run loop: it comes before every message that
    /// may change the record, so that an edit carries the time it was made.
    Tick(Timestamp),
    /// The terminal is this big (at start and after every resize).
    Resize {
        width: u16,
        height: u16,
    },
    /// What the sign-off form starts from, found by the run loop.
    LookedAround(super::signoff::Surroundings),
    /// Whether a file has the report's name (`taken`), found by the run loop.
    ReportNameChecked {
        path: std::path::PathBuf,
        taken: bool,
    },
    /// The folder the attach form's path points into was listed (for Tab
    /// on `typed`): entry names, folders ending in `/`.
    Listed {
        typed: String,
        result: Result<Vec<String>, String>,
    },
    /// A collected file was copied beside the record (or refused).
    Attached {
        target: LinkTarget,
        caption: Option<String>,
        result: Result<crate::evidence::collected::Stored, String>,
    },
}

/// Work for the event loop to do outside `update`.
#[derive(Debug, Clone)]
pub enum Effect {
    Save(Pending),
    Evidence(EvidenceWork),
    /// Pack (and sign) the report on a worker.
    Pack(super::signoff::PackJob),
    /// Search `query` in the finder (over `corpus` from now on, if given),
    /// answering with [`Msg::Found`] for `request`.
    Find {
        corpus: Option<Arc<crate::finder::Corpus>>,
        query: String,
        request: u64,
    },
    /// Find the report names, key and home folder the sign-off form starts
    /// from, and send them back as [`Msg::LookedAround`].
    LookAround,
    /// See whether a file has this name (the report about to be packed);
    /// answer with [`Msg::ReportNameChecked`].
    CheckReportName(std::path::PathBuf),
    /// List the folder `typed` points into; answer with [`Msg::Listed`].
    ListFolder {
        typed: String,
    },
    /// Copy `file` into the folder beside the record and answer with
    /// [`Msg::Attached`].
    Attach {
        file: std::path::PathBuf,
        target: LinkTarget,
        caption: Option<String>,
    },
    /// Read a preview of a file the auditor collected (stored by SHA-256
    /// beside the record; `name` tells its kind); answer with
    /// [`Msg::PreviewedCollected`].
    PreviewCollected {
        sha256: String,
        name: String,
        size: u64,
    },
}

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Action(action) => {
            model.message = None;
            act(model, action)
        }
        Msg::Type(input) if model.popups.is_empty() => screen::evidence::typed(model, input),
        Msg::Type(input) => popup::typed(model, input),
        Msg::Saved { seq, record, at } => {
            saved(model, seq, *record, at);
            Vec::new()
        }
        Msg::EvidenceOpened { result, progress } => {
            match result {
                Ok(opened) => {
                    let (bundle, listing) = *opened;
                    model.evidence_index = Arc::new(crate::finder::Evidence::new(
                        listing.entries.iter().map(|e| &e.path),
                    ));
                    model.evidence = Some(EvidenceView::new(bundle, listing, progress));
                    model.evidence_error = None;
                }
                Err(e) => model.evidence_error = Some(e.to_string()),
            }
            Vec::new()
        }
        Msg::Found {
            request,
            total,
            hits,
        } => popup::finder::found(model, request, total, hits),
        Msg::FinderFailed(why) => {
            model.message = Some(format!(
                "the finder failed on an internal error ({why}) and was restarted; type on to search again, and please report it"
            ));
            Vec::new()
        }
        Msg::ReportNameChecked { path, taken } => popup::signoff::name_checked(model, &path, taken),
        Msg::LookedAround(around) => {
            let form = SignOffForm::open(model, around);
            model.popups.push(Popup::SignOff(Box::new(form)));
            Vec::new()
        }
        Msg::Tick(now) => {
            model.clock = now;
            Vec::new()
        }
        Msg::Resize { width, height } => {
            model.page = super::view::page_height(width, height);
            Vec::new()
        }
        Msg::EvidenceHashed(hashes) => {
            if let Some(view) = model.evidence.as_mut() {
                view.hashes.extend(hashes);
                view.hashing = false;
            }
            Vec::new()
        }
        Msg::PreviewedCollected { sha256, result } => {
            if let Some(Popup::Collected(c)) = model.popups.last_mut() {
                c.previewed(sha256, result);
            }
            Vec::new()
        }
        Msg::Previewed { path, result } => {
            if let Some(view) = model.evidence.as_mut()
                && view.selected().is_some_and(|e| e.path == path)
            {
                view.previewed(path, result);
            }
            Vec::new()
        }
        Msg::Pinned {
            path,
            result,
            target,
        } => match result {
            Ok((sha256, size)) => {
                if let Some(view) = model.evidence.as_mut() {
                    view.hashes.insert(path.clone(), Ok(sha256.clone()));
                }
                let edit = Edit::LinkEvidence {
                    target: target.clone(),
                    path: path.clone(),
                    sha256,
                    size,
                };
                model.message = None;
                match commit(model, edit) {
                    Ok(effects) => {
                        model.message = Some(format!("linked {path} to {target}"));
                        effects
                    }
                    // commit() put the reason in the message.
                    Err(_) => Vec::new(),
                }
            }
            Err(e) => {
                model.message = Some(format!("{path} not linked: {e}"));
                Vec::new()
            }
        },
        Msg::Listed { typed, result } => popup::attach::listed(model, &typed, result),
        Msg::Attached {
            target,
            caption,
            result,
        } => attached(model, target, caption, result),
        Msg::Reloaded(record) => {
            show_disk_record(model, *record);
            Vec::new()
        }
        Msg::DiskError(error) => {
            model.message = Some(format!(
                "the record on disk changed and cannot be read; your screen is kept: {}",
                error.to_string().replace('\n', " ")
            ));
            Vec::new()
        }
        Msg::Packed(result) => {
            if let Some(record) = popup::packing::finished(model, result) {
                show_disk_record(model, record);
            }
            Vec::new()
        }
        Msg::SaveFailed { seq, message } => {
            if let Some(at) = model.pending.iter().position(|p| p.seq == seq) {
                let p = model.pending.remove(at);
                model.failed.push(p);
            }
            model.save = SaveState::Failed {
                message,
                unsaved: model.failed.len(),
            };
            Vec::new()
        }
    }
}

/// Cite a file the run loop copied beside the record.
fn attached(
    model: &mut Model,
    target: LinkTarget,
    caption: Option<String>,
    result: Result<crate::evidence::collected::Stored, String>,
) -> Vec<Effect> {
    let stored = match result {
        Ok(stored) => stored,
        Err(why) => {
            model.message = Some(format!("not attached: {}", crate::text::shown(&why)));
            return Vec::new();
        }
    };
    let name = crate::text::shown(&stored.original_name).into_owned();
    let edit = Edit::AttachCollected {
        target: target.clone(),
        sha256: stored.sha256,
        size: stored.size,
        original_name: stored.original_name,
        caption,
    };
    match commit(model, edit) {
        Ok(effects) => {
            model.message = Some(format!("attached {name} to {target}"));
            effects
        }
        // commit() put the reason in the message.
        Err(_) => Vec::new(),
    }
}

fn saved(model: &mut Model, seq: u64, record: AuditRecord, at: Timestamp) {
    model.pending.retain(|p| p.seq != seq);
    show_disk_record(model, record);
    model.save = if !model.failed.is_empty() {
        SaveState::Failed {
            message: "some changes are not saved".into(),
            unsaved: model.failed.len(),
        }
    } else if model.pending.is_empty() {
        SaveState::Saved(Some(at))
    } else {
        SaveState::Saving(model.pending.len())
    };
}

/// Show the record as it is on disk (it may hold other processes' changes),
/// with the edits still on their way, or failed, replayed on top.
fn show_disk_record(model: &mut Model, record: AuditRecord) {
    let mut shown = record;
    for p in model.pending.iter().chain(&model.failed) {
        let _ = p.edit.apply(&mut shown, &p.change);
    }
    model.record = shown;
    // A narrowed tree follows the plan as it now is.
    model.rebuild_rows();
    // The selected note or finding may have gone.
    if model.item.is_some_and(|i| !model.items().contains(&i)) {
        model.item = None;
    }
}

/// Apply an edit in memory and queue it for the store. On refusal the
/// message is shown and nothing changes (the caller keeps its form open).
pub(crate) fn commit(model: &mut Model, edit: Edit) -> Result<Vec<Effect>, AuditError> {
    let change = Change {
        by: model.author.clone(),
        at: model.clock,
    };
    match edit.apply(&mut model.record, &change) {
        Ok(_) => {
            let pending = Pending {
                seq: model.next_seq,
                edit,
                change,
            };
            model.next_seq += 1;
            model.pending.push(pending.clone());
            model.save = SaveState::Saving(model.pending.len());
            Ok(vec![Effect::Save(pending)])
        }
        Err(e) => {
            model.message = Some(e.to_string());
            Err(e)
        }
    }
}

/// A key's action goes to the top popup, or else to the screen.
fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    if !model.popups.is_empty() {
        return popup::act(model, action);
    }
    // A signed-off record says so at the key, before any typing.
    if action.changes_the_record()
        && let Err(locked) = model.record.ensure_open()
    {
        model.message = Some(locked.to_string());
        return Vec::new();
    }
    match model.screen {
        Screen::Requirements => screen::requirements::act(model, action),
        Screen::Evidence => screen::evidence::act(model, action),
        Screen::FollowUp => screen::follow_up::act(model, action),
        Screen::Plan => screen::plan::act(model, action),
        Screen::Conflicts => screen::conflicts::act(model, action),
    }
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
