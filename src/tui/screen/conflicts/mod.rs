//! The conflicts screen (`X`): every field a merge left with two or more
//! values, each value numbered with who set it and when; a digit (1–9) or
//! Enter on a value row settles the field with that value. Its drawing is
//! in [`draw`].

pub mod draw;

use crate::audit::Edit;
use crate::audit::conflict::Choice;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::{Model, Screen};
use crate::tui::popup::Popup;
use crate::tui::update::{Effect, commit};

/// Show the conflicts screen, or go back to the requirements.
pub fn toggle(model: &mut Model) {
    model.screen = match model.screen {
        Screen::Conflicts => Screen::Requirements,
        _ => Screen::Conflicts,
    };
}

/// Every value row, in order: (conflict index, value index).
pub fn value_rows(model: &Model) -> Vec<(usize, usize)> {
    model
        .record
        .conflicts
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| (0..c.values.len()).map(move |vi| (ci, vi)))
        .collect()
}

/// The selected value row, kept within the list (a resolution or a reload
/// may have shortened it).
pub fn selected(model: &Model) -> Option<(usize, usize)> {
    let rows = value_rows(model);
    rows.get(model.conflict_cursor.min(rows.len().saturating_sub(1)))
        .copied()
}

pub fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    let last = value_rows(model).len().saturating_sub(1);
    let at = model.conflict_cursor.min(last);
    match action {
        Action::ToggleConflicts => toggle(model),
        Action::ListDown => model.conflict_cursor = (at + 1).min(last),
        Action::ListUp => model.conflict_cursor = at.saturating_sub(1),
        Action::FirstRequirement => model.conflict_cursor = 0,
        Action::LastRequirement => model.conflict_cursor = last,
        Action::ToggleHelp => {
            model.overlay_scroll = 0;
            model.popups.push(Popup::Help(Mode::Conflicts));
        }
        Action::Submit => {
            if let Some((_, vi)) = selected(model) {
                return take(model, vi + 1);
            }
        }
        Action::TakeValue(n) => return take(model, usize::from(n)),
        _ => {}
    }
    Vec::new()
}

/// Settle the conflict under the cursor with its value `n` (1-based).
fn take(model: &mut Model, n: usize) -> Vec<Effect> {
    let Some((ci, _)) = selected(model) else {
        model.message = Some("no conflict is open".into());
        return Vec::new();
    };
    let Some(conflict) = model.record.conflicts.get(ci) else {
        return Vec::new();
    };
    let shown = model
        .record
        .conflicts_shown()
        .get(ci)
        .map_or_else(|| conflict.path.clone(), |(p, _)| p.clone());
    let edit = Edit::Resolve {
        path: conflict.path.clone(),
        choice: Choice::Take(n),
    };
    match commit(model, edit) {
        Ok(effects) => {
            model.message = Some(format!(
                "{} settled with value {n}",
                crate::text::shown(&shown)
            ));
            // Onto the first value of the conflict that took its place.
            let rows = value_rows(model);
            model.conflict_cursor = rows
                .iter()
                .position(|(c, _)| *c >= ci)
                .unwrap_or(rows.len().saturating_sub(1));
            effects
        }
        // commit() put the reason in the message.
        Err(_) => Vec::new(),
    }
}
