//! The follow-up screen (`f`): every nonconformity and area of concern,
//! those carried from the previous report first, with its state, its due
//! date and this audit's verdict; keys here open the forms that record the
//! next step (a response, the plan's review, the action done, the
//! verification, raising it again). Its drawing is in [`draw`].

pub mod draw;

use crate::audit::lifecycle::{self, Outcome, Response, State, StepKind};
use crate::audit::{FindingId, Grade};
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::{Model, Screen};
use crate::tui::popup::step::{StepForm, StepFormKind};
use crate::tui::popup::{FindingForm, History, Popup};
use crate::tui::update::Effect;

/// Show the follow-up screen, or go back to the requirements.
pub fn toggle(model: &mut Model) {
    model.screen = match model.screen {
        Screen::FollowUp => Screen::Requirements,
        _ => Screen::FollowUp,
    };
    model.detail_scroll = 0;
}

/// Show the follow-up screen with `id` selected (when it is listed).
pub fn show(model: &mut Model, id: FindingId) {
    model.screen = Screen::FollowUp;
    model.detail_scroll = 0;
    if let Some(at) = listed(model).iter().position(|f| *f == id) {
        model.follow_up = at;
    }
}

/// The findings the screen lists, in its order (carried first): their ids.
pub fn listed(model: &Model) -> Vec<FindingId> {
    model
        .record
        .follow_ups(model.clock.date_naive())
        .iter()
        .map(|f| f.finding.id)
        .collect()
}

/// The selected row (the cursor kept within the list, which a reload may
/// have shortened).
pub fn selected_index(model: &Model, len: usize) -> usize {
    model.follow_up.min(len.saturating_sub(1))
}

/// The finding on the selected row, if any is listed.
pub fn selected(model: &Model) -> Option<FindingId> {
    let ids = listed(model);
    ids.get(selected_index(model, ids.len())).copied()
}

/// Whether `M` applies to the finding: a minor NC found not effective
/// (fieldaudit proposes it as major), or an area of concern found not
/// resolved (which may be raised as an NC).
pub fn may_raise_again(model: &Model, id: FindingId) -> bool {
    model.record.proposes_major(id)
        || (id.family == crate::audit::Family::Aoc
            && model.record.lifecycle(id).state == State::NotResolved)
}

pub fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::ToggleFollowUp => toggle(model),
        Action::ListDown
        | Action::ListUp
        | Action::PageDown
        | Action::PageUp
        | Action::FirstRequirement
        | Action::LastRequirement => {
            let last = listed(model).len().saturating_sub(1);
            let at = model.follow_up.min(last);
            let page = model.page.max(1);
            model.follow_up = match action {
                Action::ListDown => at + 1,
                Action::ListUp => at.saturating_sub(1),
                Action::PageDown => at.saturating_add(page),
                Action::PageUp => at.saturating_sub(page),
                Action::FirstRequirement => 0,
                _ => last,
            }
            .min(last);
            model.detail_scroll = 0;
        }
        Action::ScrollDown => model.detail_scroll = model.detail_scroll.saturating_add(5),
        Action::ScrollUp => model.detail_scroll = model.detail_scroll.saturating_sub(5),
        Action::ToggleHelp => {
            model.overlay_scroll = 0;
            model.popups.push(Popup::Help(Mode::FollowUp));
        }
        Action::ShowHistory => {
            if let Some(id) = chosen(model) {
                model.overlay_scroll = 0;
                model.popups.push(Popup::History(History { id }));
            }
        }
        Action::Respond => open_step(model, StepFormKind::Respond),
        Action::AcceptPlan => open_step(model, StepFormKind::Accept),
        Action::ReturnPlan => open_step(model, StepFormKind::Return),
        Action::ReportImplemented => open_step(model, StepFormKind::Implemented),
        Action::Verify => open_step(model, StepFormKind::Verify),
        Action::RaiseAgain => raise_again(model),
        _ => {}
    }
    Vec::new()
}

/// The selected finding, or a message saying there is none.
fn chosen(model: &mut Model) -> Option<FindingId> {
    let id = selected(model);
    if id.is_none() {
        model.message = Some("there is no nonconformity or area of concern to follow up".into());
    }
    id
}

/// Open the form for a step, unless the finding's state refuses the step
/// (the refusal, in the library's words, goes to the message line before
/// anything is typed).
fn open_step(model: &mut Model, kind: StepFormKind) {
    let Some(id) = chosen(model) else { return };
    let life = model.record.lifecycle(id);
    if let Err(refused) = lifecycle::next(id, id.family, life.state, &probe(kind, id)) {
        model.message = Some(refused.to_string());
        return;
    }
    let Some(finding) = model.record.all_findings().find(|f| f.id == id) else {
        return;
    };
    let form = StepForm::new(kind, finding, &life);
    model.popups.push(Popup::Step(Box::new(form)));
}

/// A step of this kind with placeholder fields: what the state machine is
/// asked whether it would take (it looks at the kind, not the words).
fn probe(kind: StepFormKind, id: FindingId) -> StepKind {
    let text = String::new;
    match kind {
        StepFormKind::Respond => StepKind::Response(Response {
            correction: text(),
            root_cause: text(),
            corrective_action: text(),
            owner: None,
            planned_date: chrono::NaiveDate::MIN,
        }),
        StepFormKind::Accept => StepKind::PlanAccepted { comment: text() },
        StepFormKind::Return => StepKind::PlanReturned { comment: text() },
        StepFormKind::Implemented => StepKind::Implemented {
            comment: text(),
            evidence: Vec::new(),
        },
        StepFormKind::Verify => StepKind::Verified {
            outcome: StepForm::outcomes(id.family)
                .first()
                .copied()
                .unwrap_or(Outcome::Effective),
            objective_evidence: text(),
            evidence: Vec::new(),
        },
    }
}

/// `M`: the new-finding form, prefilled to raise the finding again.
fn raise_again(model: &mut Model) {
    let Some(id) = chosen(model) else { return };
    if !may_raise_again(model, id) {
        let state = model.record.lifecycle(id).state.words();
        model.message = Some(format!(
            "{id} is {state}: M raises again a minor NC verified not effective (as major) or an area of concern not resolved (as an NC)"
        ));
        return;
    }
    let Some(finding) = model.record.all_findings().find(|f| f.id == id) else {
        return;
    };
    let grade = match id.family {
        crate::audit::Family::Aoc => Grade::Minor,
        _ => Grade::Major,
    };
    match FindingForm::raise_again(finding, grade, &model.record) {
        Some(form) => model.popups.push(Popup::Finding(Box::new(form))),
        None => model.message = Some(format!("{id} names no requirement to raise it on")),
    }
}
