//! The requirements screen, the main one: the requirement tree ([`tree`])
//! and the current requirement's detail ([`detail`]); verdicts, notes and
//! findings start here.

pub mod detail;
pub mod tree;

use super::evidence;
use crate::audit::{Edit, LinkTarget, Verdict};
use crate::checklist::ReqRef;
use crate::tui::action::Action;
use crate::tui::model::{Item, Model, Row, SaveState};
use crate::tui::popup::finder;
use crate::tui::popup::{
    AssignForm, AttachForm, CollectedFiles, ConcludeForm, Confirm, DeclareForm, FindingForm,
    JustifyForm, MetaForm, NoteForm, OnYes, Popup, ReportForm,
};
use crate::tui::update::{Effect, commit};

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

/// A key's action on the requirements screen (and the evidence screen's
/// keys it shares).
pub fn act(model: &mut Model, action: Action) -> Vec<Effect> {
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
        Action::SetVerdict(verdict) => return set_verdict(model, verdict),
        Action::AddNote => {
            if let Some(req) = model.current().cloned() {
                model.popups.push(Popup::Note(Box::new(NoteForm::new(req))));
            }
        }
        Action::NewFinding => {
            if let Some(req) = model.current().cloned() {
                model.popups.push(Popup::Finding(Box::new(FindingForm::new(
                    req,
                    &model.record,
                ))));
            }
        }
        Action::OpenFinder => return finder::open_everything(model),
        Action::ToggleHelp => {
            model.overlay_scroll = 0;
            model.popups.push(Popup::Help(model.mode()));
        }
        Action::ToggleDashboard => {
            model.overlay_scroll = 0;
            model.popups.push(Popup::Dashboard);
        }
        Action::ToggleEvidence => return evidence::show(model),
        Action::ToggleFollowUp => super::follow_up::toggle(model),
        Action::ToggleSample => return toggle_sample(model),
        Action::TogglePlan => super::plan::toggle(model),
        Action::ToggleConflicts => super::conflicts::toggle(model),
        Action::Narrow => crate::tui::scope::cycle(model),
        Action::Assign => match model.current().cloned() {
            Some(req) => {
                let form = AssignForm::new(model, req);
                model.popups.push(Popup::Assign(Box::new(form)));
            }
            None => model.message = Some("move to a requirement first".into()),
        },
        Action::EditMeta => model
            .popups
            .push(Popup::Meta(Box::new(MetaForm::new(&model.record.meta)))),
        Action::ViewCollected => {
            let files = CollectedFiles::new(&model.record);
            model.popups.push(Popup::Collected(Box::new(files)));
        }
        Action::DeclareImplementation => {
            if let Some(req) = model.current().cloned() {
                let declared = model.record.assessment(&req).and_then(|a| a.implementation);
                let form = DeclareForm::new(req, declared);
                model.popups.push(Popup::Declare(Box::new(form)));
            }
        }
        Action::Conclude => model
            .popups
            .push(Popup::Conclude(Box::new(ConcludeForm::new(&model.record)))),
        Action::EditReport => model
            .popups
            .push(Popup::Report(Box::new(ReportForm::new(&model.record.meta)))),
        Action::SignOff => return vec![Effect::LookAround],
        Action::Attach => match (model.item, model.current()) {
            (Some(Item::Finding(id)), _) => model.popups.push(Popup::Attach(Box::new(
                AttachForm::new(LinkTarget::Finding(id)),
            ))),
            (_, Some(req)) => model.popups.push(Popup::Attach(Box::new(AttachForm::new(
                LinkTarget::Requirement(req.clone()),
            )))),
            (_, None) => model.message = Some("choose a requirement first".into()),
        },
        Action::NextItem => {
            let items = model.items();
            model.item = match model.item.and_then(|i| items.iter().position(|x| *x == i)) {
                Some(at) if at + 1 < items.len() => Some(items[at + 1]),
                Some(_) => None,
                None => items.first().copied(),
            };
        }
        Action::EditItem => edit_item(model),
        Action::DeleteItem => delete_item(model),
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

/// `c`/`x`/`u` set the verdict at once; `a` asks why first.
fn set_verdict(model: &mut Model, verdict: Verdict) -> Vec<Effect> {
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
        let form = JustifyForm::new(req, &existing);
        model.popups.push(Popup::Justify(Box::new(form)));
        return Vec::new();
    }
    let edit = Edit::SetVerdict {
        req,
        verdict,
        justification: None,
    };
    commit(model, edit).unwrap_or_default()
}

/// `s` on a surveillance audit: put the requirement in this visit's
/// sample, or take it out (the library refuses it on other audits, and
/// for a requirement every visit covers).
fn toggle_sample(model: &mut Model) -> Vec<Effect> {
    let Some(req) = model.current().cloned() else {
        model.message = Some("move to a requirement first".into());
        return Vec::new();
    };
    let sampled = !model.record.in_visit(&model.catalog, &req);
    let effects = commit(model, Edit::SetSampled { req, sampled }).unwrap_or_default();
    if !effects.is_empty() {
        model.message = Some(tree::visit_words(model));
    }
    effects
}

/// Who wrote the selected note (None when the item is not a note).
fn note_owner(model: &Model, req: &ReqRef, item: Item) -> Option<String> {
    let Item::Note(id) = item else { return None };
    model
        .record
        .assessment(req)
        .and_then(|a| a.notes.iter().find(|n| n.id == id))
        .map(|n| n.by.clone())
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
            let interviewee = note.interviewee.as_deref().unwrap_or_default();
            let form = NoteForm::edit(
                req.clone(),
                Some(id),
                &note.text,
                interviewee,
                note.internal,
            );
            model.popups.push(Popup::Note(Box::new(form)));
        }
        Item::Finding(id) => {
            let Some(f) = model.record.findings.iter().find(|f| f.id == id) else {
                return;
            };
            let form = FindingForm::edit(f, req, &model.record);
            model.popups.push(Popup::Finding(Box::new(form)));
        }
    }
}

/// Del: ask before removing the selected note (the auditor's own) or
/// finding.
fn delete_item(model: &mut Model) {
    let (Some(req), Some(item)) = (model.current().cloned(), model.item) else {
        model.message = Some("select a note or finding with Tab first".into());
        return;
    };
    if let Some(owner) = note_owner(model, &req, item)
        && owner != model.author
    {
        model.message = Some(format!(
            "that note is {owner}'s; you can delete only your own notes"
        ));
        return;
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
