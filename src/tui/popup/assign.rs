//! Assigning a requirement to a team member (`o`): a choice over the team,
//! or "(the plan's)" to leave it to the auditors of the sessions that
//! cover it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Outcome;
use super::form;
use crate::audit::Edit;
use crate::checklist::ReqRef;
use crate::tui::action::Action;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// What the choice shows for "no one directly".
pub const THE_PLANS: &str = "(the plan's)";

pub struct AssignForm {
    pub req: ReqRef,
    /// `None` (the plan's), then the team's names in team order.
    pub choices: Vec<Option<String>>,
    /// Index into `choices`.
    pub chosen: usize,
    original: usize,
}

impl AssignForm {
    /// The form for `req`, on its current assignment.
    pub fn new(model: &Model, req: ReqRef) -> AssignForm {
        let mut choices = vec![None];
        choices.extend(model.record.meta.team.iter().map(|m| Some(m.name.clone())));
        let now = model.record.plan.assigned.get(&req).cloned();
        let chosen = choices.iter().position(|c| *c == now).unwrap_or(0);
        AssignForm {
            req,
            choices,
            chosen,
            original: chosen,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.chosen != self.original
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => form::close(self.is_dirty()),
            Action::Submit => form::save(
                model,
                Ok(Edit::Assign {
                    req: self.req.clone(),
                    auditor: self.choices.get(self.chosen).cloned().flatten(),
                }),
            ),
            Action::ChoicePrev | Action::ChoiceNext => {
                let n = self.choices.len().max(1);
                self.chosen = if action == Action::ChoiceNext {
                    (self.chosen + 1) % n
                } else {
                    (self.chosen + n - 1) % n
                };
                Outcome::stay()
            }
            _ => Outcome::stay(),
        }
    }

    pub fn draw(&self, model: &Model, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = form::form_rect(area, 5);
        let [choice, by_plan, help] = form::frame_form(
            frame,
            rect,
            &format!(" Who audits {} ", self.req),
            [
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Length(1),
            ],
        );
        let names: Vec<String> = self
            .choices
            .iter()
            .map(|c| crate::text::shown(c.as_deref().unwrap_or(THE_PLANS)).into_owned())
            .collect();
        let words = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i == self.chosen));
        form::labelled_choice(frame, "Auditor ←/→", words, top, theme, choice, 14);
        // What "(the plan's)" means for this requirement.
        let sessions: Vec<&str> = model
            .record
            .sessions()
            .iter()
            .filter(|s| s.requirements.contains(&self.req))
            .flat_map(|s| s.auditors.iter().map(String::as_str))
            .collect();
        let plan = if sessions.is_empty() {
            "The plan's sessions name no auditor for it.".to_string()
        } else {
            format!(
                "The plan's sessions: {}",
                crate::text::shown(&sessions.join(", "))
            )
        };
        frame.render_widget(Paragraph::new(Line::styled(plan, theme.dim())), by_plan);
        form::hint(frame, theme, help);
    }
}
