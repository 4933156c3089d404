//! The plan screen (`p`): the audit plan's sessions by day, the one under
//! way now marked `▶ now`; Enter narrows the requirement tree to the
//! selected session's requirements. Its drawing is in [`draw`].

pub mod draw;

use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::{Model, Screen};
use crate::tui::popup::Popup;
use crate::tui::scope::{self, Scope};
use crate::tui::update::Effect;

/// Show the plan screen (on the session under way, if one is), or go back
/// to the requirements.
pub fn toggle(model: &mut Model) {
    if model.screen == Screen::Plan {
        model.screen = Screen::Requirements;
        return;
    }
    model.screen = Screen::Plan;
    if let Some((number, _)) = now(model) {
        model.plan_cursor = number - 1;
    }
}

/// The session under way at the model's clock (its local time): its
/// number (1-based) and the session.
pub fn now(model: &Model) -> Option<(usize, &crate::audit::plan::Session)> {
    model.record.session_at(model.clock.naive_local())
}

/// The selected session's index, kept within the plan (a reload may have
/// shortened it).
pub fn selected_index(model: &Model) -> usize {
    model
        .plan_cursor
        .min(model.record.sessions().len().saturating_sub(1))
}

pub fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    let last = model.record.sessions().len().saturating_sub(1);
    let at = selected_index(model);
    match action {
        Action::TogglePlan => toggle(model),
        Action::ListDown => model.plan_cursor = (at + 1).min(last),
        Action::ListUp => model.plan_cursor = at.saturating_sub(1),
        Action::FirstRequirement => model.plan_cursor = 0,
        Action::LastRequirement => model.plan_cursor = last,
        Action::ToggleHelp => {
            model.overlay_scroll = 0;
            model.popups.push(Popup::Help(Mode::Plan));
        }
        Action::Submit => open_session(model, at),
        _ => {}
    }
    Vec::new()
}

/// Enter: the requirement tree narrowed to the session's requirements.
fn open_session(model: &mut Model, at: usize) {
    let Some(session) = model.record.sessions().get(at) else {
        model.message = Some("the plan has no session: fieldaudit plan add makes one".into());
        return;
    };
    let uid = session.uid.clone();
    let empty = format!("session {} names no requirement", at + 1);
    if scope::narrow(model, Scope::Session(uid), &empty) {
        model.screen = Screen::Requirements;
    }
}
