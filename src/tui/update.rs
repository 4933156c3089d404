//! `update(&mut Model, Msg) -> Vec<Effect>`: all behaviour, no I/O.

use ratatui_textarea::{Input, Key, TextArea};

use super::action::Action;
use super::keymap::Mode;
use super::model::*;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use super::evidence::{EvidenceView, EvidenceWork};
use crate::audit::{AuditError, AuditRecord, Change, Edit, Grade, LinkTarget, Timestamp, Verdict};
use crate::evidence::preview::Preview;
use crate::evidence::{Bundle, Listing};
use crate::finder::{Hit, Target};

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
}

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Action(action) => {
            model.message = None;
            act(model, action)
        }
        Msg::Type(input) => type_input(model, input),
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
        } => found(model, request, total, hits),
        Msg::FinderFailed(why) => {
            model.message = Some(format!(
                "the finder failed on an internal error ({why}) and was restarted; type on to search again, and please report it"
            ));
            Vec::new()
        }
        Msg::ReportNameChecked { path, taken } => super::signoff::submit(model, &path, taken)
            .map(Effect::Pack)
            .into_iter()
            .collect(),
        Msg::LookedAround(around) => {
            super::signoff::open(model, around);
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
        Msg::Previewed { path, result } => {
            if let Some(view) = model.evidence.as_mut()
                && view.selected().is_some_and(|e| e.path == path)
            {
                view.preview = Some((path, result));
                view.preview_scroll = 0;
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
            if let Some(record) = super::signoff::packed(model, result) {
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
    // The selected note or finding may have gone.
    if model.item.is_some_and(|i| !model.items().contains(&i)) {
        model.item = None;
    }
}

/// Apply an edit in memory and queue it for the store. On refusal the
/// message is shown and nothing changes (the caller keeps its form open).
fn commit(model: &mut Model, edit: Edit) -> Result<Vec<Effect>, AuditError> {
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

fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    match model.mode() {
        Mode::Main => main_action(model, action),
        Mode::Evidence => evidence_action(model, action),
        _ => popup_action(model, action),
    }
}

fn move_cursor(model: &mut Model, to: usize) {
    model.cursor = to.min(model.rows.len().saturating_sub(1));
    model.item = None;
    model.detail_scroll = 0;
}

fn next_requirement(model: &Model, from: usize, forward: bool) -> Option<usize> {
    let is_req = |i: &usize| matches!(model.rows[*i], Row::Requirement(_));
    if forward {
        (from + 1..model.rows.len()).find(is_req)
    } else {
        (0..from).rev().find(is_req)
    }
}

fn main_action(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit if !model.failed.is_empty() => {
            model.popups.push(Popup::Confirm(Confirm {
                question: format!(
                    "{} change(s) could not be saved. Quit and lose them?",
                    model.failed.len()
                ),
                on_yes: OnYes::Quit,
            }));
        }
        Action::Quit => model.quit = true,
        Action::NextRequirement | Action::PrevRequirement => {
            let forward = action == Action::NextRequirement;
            let next = next_requirement(model, model.cursor, forward)
                .or_else(|| (!forward).then_some(0).filter(|_| model.cursor > 0));
            if let Some(to) = next {
                move_cursor(model, to);
            }
        }
        Action::ScrollDown => model.detail_scroll = model.detail_scroll.saturating_add(5),
        Action::ScrollUp => model.detail_scroll = model.detail_scroll.saturating_sub(5),
        Action::FirstRequirement => move_cursor(model, 0),
        Action::LastRequirement => move_cursor(model, model.rows.len().saturating_sub(1)),
        Action::PageDown => move_cursor(model, model.cursor + model.page.max(1)),
        Action::PageUp => move_cursor(model, model.cursor.saturating_sub(model.page.max(1))),
        Action::Collapse => {
            if let Some((ci, si)) = model.current_section() {
                if model.collapsed.insert((ci, si)) {
                    model.rebuild_rows();
                }
                if let Some(at) = model.rows.iter().position(|r| *r == Row::Section(ci, si)) {
                    move_cursor(model, at);
                }
            }
        }
        Action::Expand => {
            if let Some(Row::Section(ci, si)) = model.rows.get(model.cursor).cloned() {
                model.collapsed.remove(&(ci, si));
                model.rebuild_rows();
            }
        }
        Action::SetVerdict(verdict) => {
            let Some(req) = model.current().cloned() else {
                model.message = Some("move to a requirement first".into());
                return Vec::new();
            };
            if verdict == Verdict::NotApplicable {
                let existing = model
                    .record
                    .assessment(&req)
                    .and_then(|a| a.justification.clone())
                    .unwrap_or_default();
                model.popups.push(Popup::Justify(Box::new(JustifyForm {
                    req,
                    text: TextField::new("Why is it not applicable?", &existing, true),
                    original: existing,
                })));
            } else {
                let edit = Edit::SetVerdict {
                    req,
                    verdict,
                    justification: None,
                };
                return commit(model, edit).unwrap_or_default();
            }
        }
        Action::AddNote => {
            if let Some(req) = model.current().cloned() {
                model.popups.push(Popup::Note(Box::new(NoteForm {
                    req,
                    editing: None,
                    text: TextField::new("Note", "", true),
                    interviewee: TextField::new("Interviewee", "", false),
                    focus: Field::Text,
                    original: String::new(),
                })));
            }
        }
        Action::NewFinding => {
            if let Some(req) = model.current().cloned() {
                model.popups.push(Popup::Finding(Box::new(finding_form(
                    req,
                    None,
                    Grade::Minor,
                    "",
                    "",
                    "",
                ))));
            }
        }
        Action::OpenFinder => return open_finder(model),
        Action::ToggleHelp => {
            model.overlay_scroll = 0;
            model.popups.push(Popup::Help);
        }
        Action::ToggleDashboard => {
            model.overlay_scroll = 0;
            model.popups.push(Popup::Dashboard);
        }
        Action::ToggleEvidence => return show_evidence(model),
        Action::EditMeta => model
            .popups
            .push(Popup::Meta(Box::new(MetaForm::new(&model.record.meta)))),
        Action::SignOff => return vec![Effect::LookAround],
        Action::NextItem => {
            let items = model.items();
            model.item = match model.item.and_then(|i| items.iter().position(|x| *x == i)) {
                Some(at) if at + 1 < items.len() => Some(items[at + 1]),
                Some(_) => None,
                None => items.first().copied(),
            };
        }
        Action::EditItem => edit_item(model),
        Action::DeleteItem => {
            let (Some(req), Some(item)) = (model.current().cloned(), model.item) else {
                model.message = Some("select a note or finding with Tab first".into());
                return Vec::new();
            };
            if let Some(owner) = note_owner(model, &req, item)
                && owner != model.author
            {
                model.message = Some(format!(
                    "that note is {owner}'s; you can delete only your own notes"
                ));
                return Vec::new();
            }
            let (question, edit) = match item {
                Item::Note(id) => (format!("Delete note {id}?"), Edit::RemoveNote { req, id }),
                Item::Finding(id) => (format!("Remove finding {id}?"), Edit::RemoveFinding { id }),
            };
            model.popups.push(Popup::Confirm(Confirm {
                question,
                on_yes: OnYes::Apply(Box::new(edit)),
            }));
        }
        Action::RetrySave => {
            let failed = std::mem::take(&mut model.failed);
            model.save = SaveState::Saving(model.pending.len() + failed.len());
            model.pending.extend(failed.iter().cloned());
            return failed.into_iter().map(Effect::Save).collect();
        }
        _ => {}
    }
    Vec::new()
}

/// Who wrote the selected note (None when the item is not a note).
fn note_owner(model: &Model, req: &crate::checklist::ReqRef, item: Item) -> Option<String> {
    let Item::Note(id) = item else { return None };
    model
        .record
        .assessment(req)
        .and_then(|a| a.notes.iter().find(|n| n.id == id))
        .map(|n| n.by.clone())
}

fn finding_form(
    req: crate::checklist::ReqRef,
    editing: Option<crate::audit::FindingId>,
    grade: Grade,
    statement: &str,
    evidence: &str,
    also: &str,
) -> FindingForm {
    FindingForm {
        req,
        editing,
        grade,
        statement: TextField::new("Statement", statement, true),
        evidence: TextField::new("Objective evidence", evidence, true),
        also: TextField::new(
            "Also concerns (ids, one per line; Ctrl-F finds one)",
            also,
            true,
        ),
        focus: Field::Statement,
        original: (grade, statement.into(), evidence.into(), also.into()),
    }
}

fn edit_item(model: &mut Model) {
    let (Some(req), Some(item)) = (model.current().cloned(), model.item) else {
        model.message = Some("select a note or finding with Tab first".into());
        return;
    };
    match item {
        Item::Note(id) => {
            let Some(note) = model
                .record
                .assessment(&req)
                .and_then(|a| a.notes.iter().find(|n| n.id == id))
            else {
                return;
            };
            if note.by != model.author {
                model.message = Some(format!(
                    "note {id} is {}'s; you can edit only your own notes",
                    note.by
                ));
                return;
            }
            let text = note.text.clone();
            let interviewee = note.interviewee.clone().unwrap_or_default();
            model.popups.push(Popup::Note(Box::new(NoteForm {
                req,
                editing: Some(id),
                text: TextField::new("Note", &text, true),
                interviewee: TextField::new("Interviewee", &interviewee, false),
                focus: Field::Text,
                original: text,
            })));
        }
        Item::Finding(id) => {
            let Some(f) = model.record.findings.iter().find(|f| f.id == id) else {
                return;
            };
            let also: Vec<String> = f
                .requirements
                .iter()
                .skip(1)
                .map(ToString::to_string)
                .collect();
            let form = finding_form(
                f.requirements.first().cloned().unwrap_or(req),
                Some(id),
                f.grade,
                &f.statement,
                f.objective_evidence.as_deref().unwrap_or_default(),
                &also.join("\n"),
            );
            model.popups.push(Popup::Finding(Box::new(form)));
        }
    }
}

/// Whether closing the top popup would lose typed text.
fn dirty(popup: &Popup) -> bool {
    match popup {
        Popup::Note(f) => f.text.text() != f.original.trim(),
        Popup::Justify(f) => f.text.text() != f.original.trim(),
        Popup::Meta(f) => f.is_dirty(),
        Popup::Finding(f) => {
            (
                f.grade,
                f.statement.text(),
                f.evidence.text(),
                f.also.text(),
            ) != (
                f.original.0,
                f.original.1.trim().to_string(),
                f.original.2.trim().to_string(),
                f.original.3.trim().to_string(),
            )
        }
        _ => false,
    }
}

fn popup_action(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Close if matches!(model.popups.last(), Some(Popup::Packing(_))) => {
            super::signoff::cancel(model);
        }
        Action::GoToMissing => super::signoff::go_to_missing(model),
        Action::Close => {
            if model.popups.last().is_some_and(dirty) {
                model.popups.push(Popup::Confirm(Confirm {
                    question: "Discard what you typed?".into(),
                    on_yes: OnYes::DiscardForm,
                }));
            } else {
                model.popups.pop();
            }
        }
        Action::No => {
            model.popups.pop();
        }
        Action::Yes => {
            if let Some(Popup::Confirm(confirm)) = model.popups.pop() {
                match confirm.on_yes {
                    OnYes::DiscardForm => {
                        model.popups.pop();
                    }
                    OnYes::Quit => {
                        model.failed.clear();
                        model.quit = true;
                    }
                    OnYes::Apply(edit) => {
                        model.item = None;
                        return commit(model, *edit).unwrap_or_default();
                    }
                }
            }
        }
        Action::Submit => return submit(model),
        Action::ScrollDown => model.overlay_scroll = model.overlay_scroll.saturating_add(5),
        Action::ScrollUp => model.overlay_scroll = model.overlay_scroll.saturating_sub(5),
        Action::PickRequirement => {
            if let Some(Popup::Finding(f)) = model.popups.last_mut() {
                f.focus = Field::Also;
                // The same engine and ranking as `/`, over requirements only.
                let corpus = Arc::new(crate::finder::Corpus::requirements_only(&model.catalog));
                return open_finder_over(model, corpus, true);
            }
        }
        Action::NextField | Action::PrevField => {
            let forward = action == Action::NextField;
            match model.popups.last_mut() {
                Some(Popup::Note(f)) => {
                    f.focus = if f.focus == Field::Text {
                        Field::Interviewee
                    } else {
                        Field::Text
                    };
                }
                Some(Popup::Meta(f)) => {
                    let n = MetaForm::ORDER.len();
                    f.focus_on(if forward {
                        f.focus + 1
                    } else {
                        f.focus + n - 1
                    });
                }
                Some(Popup::SignOff(f)) => f.move_focus(forward),
                Some(Popup::Finding(f)) => {
                    let order = [Field::Grade, Field::Statement, Field::Evidence, Field::Also];
                    let at = order.iter().position(|x| *x == f.focus).unwrap_or(0);
                    let n = order.len();
                    f.focus = order[if forward {
                        (at + 1) % n
                    } else {
                        (at + n - 1) % n
                    }];
                }
                _ => {}
            }
        }
        Action::ChoicePrev | Action::ChoiceNext => {
            if let Some(Popup::SignOff(f)) = model.popups.last_mut() {
                super::signoff::toggle_kind(f);
            }
            if let Some(Popup::Meta(f)) = model.popups.last_mut() {
                let all = crate::audit::AuditType::ALL;
                let at = all.iter().position(|t| *t == f.audit_type).unwrap_or(0);
                let n = all.len();
                f.audit_type = all[if action == Action::ChoiceNext {
                    (at + 1) % n
                } else {
                    (at + n - 1) % n
                }];
            }
            if let Some(Popup::Finding(f)) = model.popups.last_mut() {
                let all = Grade::ALL;
                let at = all.iter().position(|g| *g == f.grade).unwrap_or(0);
                let n = all.len();
                f.grade = all[if action == Action::ChoiceNext {
                    (at + 1) % n
                } else {
                    (at + n - 1) % n
                }];
            }
        }
        Action::ListUp | Action::ListDown => {
            if let Some(Popup::Finder(f)) = model.popups.last_mut() {
                f.selected = if action == Action::ListDown {
                    (f.selected + 1).min(f.hits.len().saturating_sub(1))
                } else {
                    f.selected.saturating_sub(1)
                };
            }
        }
        _ => {}
    }
    Vec::new()
}

fn submit(model: &mut Model) -> Vec<Effect> {
    match model.popups.last() {
        Some(Popup::Finder(f)) if f.waiting.is_some() => {
            // Act on the query as typed, not on the results of an older
            // one: once its results are in.
            if let Some(Popup::Finder(f)) = model.popups.last_mut() {
                f.enter_pending = true;
            }
            Vec::new()
        }
        Some(Popup::Finder(f)) if f.pick => submit_pick(model),
        Some(Popup::Finder(_)) => submit_finder(model),
        Some(Popup::SignOff(_)) => super::signoff::check_name(model).into_iter().collect(),
        Some(_) => submit_form(model),
        None => Vec::new(),
    }
}

/// Enter in the requirement picker: add the choice to the finding form below.
fn submit_pick(model: &mut Model) -> Vec<Effect> {
    let Some(Popup::Finder(f)) = model.popups.pop() else {
        return Vec::new();
    };
    let target = f.hits.get(f.selected).map(|h| h.target.clone());
    if let (Some(Target::Requirement(r)), Some(Popup::Finding(form))) =
        (target, model.popups.last_mut())
    {
        let mut lines: Vec<String> = form.also.text().lines().map(str::to_string).collect();
        if r != form.req && !lines.contains(&r.to_string()) {
            lines.push(r.to_string());
        }
        form.also = TextField::new(form.also.label, &lines.join("\n"), true);
    }
    Vec::new()
}

/// Enter in the finder: go to the requirement, finding or file.
fn submit_finder(model: &mut Model) -> Vec<Effect> {
    let Some(Popup::Finder(f)) = model.popups.pop() else {
        return Vec::new();
    };
    match f.hits.get(f.selected).map(|h| h.target.clone()) {
        Some(Target::Requirement(r)) => model.jump_to(&r),
        Some(Target::Evidence(path)) => {
            if let Some(view) = model.evidence.as_mut() {
                view.select(&path);
            }
            model.screen = super::model::Screen::Evidence;
            return preview_selected(model);
        }
        Some(Target::Finding(id)) => {
            if let Some(r) = model
                .record
                .findings
                .iter()
                .find(|x| x.id == id)
                .and_then(|x| x.requirements.first().cloned())
            {
                model.jump_to(&r);
                model.item = Some(Item::Finding(id));
            }
        }
        Some(Target::Note { req, id }) => {
            model.jump_to(&req);
            model.item = Some(Item::Note(id));
        }
        None => model.message = Some("nothing matches".into()),
    }
    Vec::new()
}

/// Ctrl-S in a form: turn it into an edit and commit it.
fn submit_form(model: &mut Model) -> Vec<Effect> {
    let Some(top) = model.popups.last() else {
        return Vec::new();
    };
    let edit = match top {
        Popup::Meta(f) => match meta_edit(f) {
            Ok(edit) => Edit::SetMeta(edit),
            Err(message) => {
                model.message = Some(message);
                return Vec::new();
            }
        },
        Popup::Justify(f) => Edit::SetVerdict {
            req: f.req.clone(),
            verdict: Verdict::NotApplicable,
            justification: Some(f.text.text()),
        },
        Popup::Note(f) => match f.editing {
            None => Edit::AddNote {
                req: f.req.clone(),
                text: f.text.text(),
                interviewee: Some(f.interviewee.text()),
            },
            Some(id) => Edit::EditNote {
                req: f.req.clone(),
                id,
                text: f.text.text(),
            },
        },
        Popup::Finding(f) => {
            let mut requirements = vec![f.req.clone()];
            for line in f
                .also
                .text()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                match model.catalog.resolve(line) {
                    Ok(r) => requirements.push(r),
                    Err(e) => {
                        model.message = Some(e.to_string().replace('\n', " "));
                        return Vec::new();
                    }
                }
            }
            let evidence = Some(f.evidence.text());
            match f.editing {
                None => Edit::AddFinding {
                    grade: f.grade,
                    requirements,
                    statement: f.statement.text(),
                    objective_evidence: evidence,
                },
                Some(id) => Edit::EditFinding {
                    id,
                    grade: Some(f.grade),
                    statement: Some(f.statement.text()),
                    objective_evidence: evidence,
                },
            }
        }
        _ => return Vec::new(),
    };
    match commit(model, edit) {
        Ok(effects) => {
            model.popups.pop();
            effects
        }
        // Refused (e.g. empty statement): the form stays open with the text.
        Err(_) => Vec::new(),
    }
}

/// Feed typed input to the focused text field; refresh finder results.
fn type_input(model: &mut Model, input: Input) -> Vec<Effect> {
    let enter = input.key == Key::Enter;
    let mut effects = Vec::new();
    match model.popups.last_mut() {
        // Enter and control keys belong to the finder, not its query.
        Some(Popup::Finder(f)) if !enter && !input.ctrl => {
            f.query.input(input);
            let query = f.query.lines().join("");
            // Matching runs in the background; results arrive as a message.
            model.finder_requests += 1;
            let request = model.finder_requests;
            f.waiting = Some(request);
            f.enter_pending = false;
            effects.push(Effect::Find {
                corpus: None,
                query,
                request,
            });
        }
        Some(Popup::Justify(f)) => {
            f.text.area.input(input);
        }
        Some(Popup::SignOff(f)) => {
            if let Some(field) = f.field_mut(f.focus) {
                field.area.input(input);
                f.error = None;
            }
        }
        Some(Popup::Meta(f)) => {
            if let Some(i) = MetaForm::field_index(f.focused()) {
                if enter {
                    f.focus_on(f.focus + 1);
                } else {
                    f.fields[i].area.input(input);
                }
            }
        }
        Some(Popup::Note(f)) => {
            let field = if f.focus == Field::Text {
                &mut f.text
            } else {
                &mut f.interviewee
            };
            if enter && !field.multiline {
                f.focus = Field::Text;
            } else {
                field.area.input(input);
            }
        }
        Some(Popup::Finding(f)) => {
            let field = match f.focus {
                Field::Statement => &mut f.statement,
                Field::Evidence => &mut f.evidence,
                Field::Also => &mut f.also,
                _ => return effects,
            };
            field.area.input(input);
        }
        _ => {}
    }
    effects
}

/// The metadata form as an edit; a date that does not parse is refused.
fn meta_edit(f: &MetaForm) -> Result<crate::audit::MetaEdit, String> {
    // An emptied date field clears the date.
    let date = |row: MetaField, name: &str| -> Result<Option<chrono::NaiveDate>, String> {
        let text = f.value(row);
        if text.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("the {name} date '{text}' is not written YYYY-MM-DD"))
    };
    let list = |row: MetaField| -> Vec<String> {
        f.value(row)
            .split([',', ';'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    Ok(crate::audit::MetaEdit {
        client: Some(f.value(MetaField::Client)),
        site: Some(f.value(MetaField::Site)),
        scope: Some(f.value(MetaField::Scope)),
        audit_type: Some(f.audit_type),
        start: Some(date(MetaField::Start, "start")?),
        end: Some(date(MetaField::End, "end")?),
        lead_auditor: Some(f.value(MetaField::LeadAuditor)),
        auditors: Some(list(MetaField::Auditors)),
        auditee_reps: Some(list(MetaField::AuditeeReps)),
        certification_body: Some(f.value(MetaField::CertificationBody)),
        accreditation: Some(f.value(MetaField::Accreditation)),
    })
}

/// Switch to the evidence screen (or say why there is none).
fn show_evidence(model: &mut Model) -> Vec<Effect> {
    if model.evidence.is_none() {
        model.message = Some(match (&model.evidence_error, &model.record.evidence_bundle) {
            (Some(e), _) => e.clone(),
            (None, Some(_)) => "the evidence bundle is still being listed…".into(),
            (None, None) => "this audit has no evidence bundle: quit and run `fieldaudit open AUDIT.ron --evidence PATH`".into(),
        });
        return Vec::new();
    }
    model.screen = super::model::Screen::Evidence;
    preview_selected(model)
}

/// Ask for a preview of the file under the evidence cursor, unless shown.
fn preview_selected(model: &mut Model) -> Vec<Effect> {
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

fn evidence_action(model: &mut Model, action: Action) -> Vec<Effect> {
    let page = model.page.max(1);
    let Some(view) = model.evidence.as_mut() else {
        model.screen = super::model::Screen::Requirements;
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
            model.screen = super::model::Screen::Requirements;
            return Vec::new();
        }
        Action::LinkEvidence => {
            let Some(entry) = view.selected().cloned() else {
                model.message = Some("the bundle has no files to link".into());
                return Vec::new();
            };
            let target = match (model.item, model.current()) {
                (Some(super::model::Item::Finding(id)), _) => LinkTarget::Finding(id),
                (_, Some(req)) => LinkTarget::Requirement(req.clone()),
                (_, None) => {
                    model.message = Some("choose a requirement first (b goes back)".into());
                    return Vec::new();
                }
            };
            model.message = Some(format!("hashing {} to link it to {target}…", entry.path));
            return vec![Effect::Evidence(EvidenceWork::PinAndLink(entry, target))];
        }
        other => return main_action(model, other),
    }
    preview_selected(model)
}

/// Open the finder over requirements, findings and the bundle's paths.
fn open_finder(model: &mut Model) -> Vec<Effect> {
    let corpus = Arc::new(crate::finder::Corpus::new(
        &model.catalog,
        &model.record,
        Arc::clone(&model.evidence_index),
    ));
    open_finder_over(model, corpus, false)
}

/// Open the finder popup over `corpus`; `pick`: choosing a further
/// requirement for the finding form underneath.
fn open_finder_over(
    model: &mut Model,
    corpus: Arc<crate::finder::Corpus>,
    pick: bool,
) -> Vec<Effect> {
    model.finder_requests += 1;
    let request = model.finder_requests;
    model.popups.push(Popup::Finder(Box::new(Finder {
        query: TextArea::default(),
        hits: Vec::new(),
        total: 0,
        waiting: Some(request),
        enter_pending: false,
        selected: 0,
        pick,
    })));
    vec![Effect::Find {
        corpus: Some(corpus),
        query: String::new(),
        request,
    }]
}

/// The finder answered request `request`: show its results, and act on an
/// Enter that waited for them.
fn found(model: &mut Model, request: u64, total: usize, hits: Vec<Hit>) -> Vec<Effect> {
    let Some(Popup::Finder(f)) = model.popups.last_mut() else {
        return Vec::new();
    };
    let Some(waiting) = f.waiting else {
        return Vec::new();
    };
    if request >= waiting {
        f.waiting = None;
    }
    f.total = total;
    f.hits = hits;
    f.selected = 0;
    if f.waiting.is_none() && f.enter_pending {
        return submit(model);
    }
    Vec::new()
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
