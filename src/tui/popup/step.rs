//! The follow-up step forms (from the follow-up screen): the auditee's
//! response (`R`), accepting or returning the plan (`a`/`x`), the action
//! reported done (`i`) and the verification (`v`). Each saves one
//! follow-up edit; the library refuses a step out of order, and the
//! refusal stays in the message line with the form open.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui_textarea::{Input, Key};

use super::form::{self, TextField, cycle};
use super::{Next, Outcome};
use crate::audit::lifecycle::{Lifecycle, Outcome as Verdict, Response};
use crate::audit::{Edit, Family, Finding, FindingId};
use crate::text::{clipped, shown};
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// Which step the form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepFormKind {
    Respond,
    Accept,
    Return,
    Implemented,
    Verify,
}

/// The planned date's label, which says how to write it.
const PLANNED: &str = "Planned date YYYY-MM-DD";

pub struct StepForm {
    pub id: FindingId,
    pub kind: StepFormKind,
    /// The text fields, in screen order.
    pub fields: Vec<TextField>,
    /// The verdicts that fit the finding (verify only; empty otherwise).
    pub outcomes: Vec<Verdict>,
    pub outcome: Option<Verdict>,
    /// Index into the rows: the outcome (when there is one), then the fields.
    pub focus: usize,
    /// What the form is about, shown above its fields.
    context: Vec<String>,
}

impl StepForm {
    /// The verdicts for a finding of `family`: effective, not effective or
    /// not yet due for an NC; resolved or not for an area of concern.
    pub fn outcomes(family: Family) -> Vec<Verdict> {
        Verdict::ALL
            .iter()
            .copied()
            .filter(|o| o.fits(family))
            .collect()
    }

    pub fn new(kind: StepFormKind, finding: &Finding, life: &Lifecycle) -> StepForm {
        let id = finding.id;
        let field = |label, text: &str| TextField::new(label, text, true);
        let plan = life.response.as_ref();
        let fields = match kind {
            // A revised response starts from the last one.
            StepFormKind::Respond => vec![
                field("Correction", plan.map_or("", |p| p.correction.as_str())),
                field("Root cause", plan.map_or("", |p| p.root_cause.as_str())),
                field(
                    "Corrective action",
                    plan.map_or("", |p| p.corrective_action.as_str()),
                ),
                TextField::new(
                    "Owner",
                    plan.and_then(|p| p.owner.as_deref()).unwrap_or_default(),
                    false,
                ),
                TextField::new(
                    PLANNED,
                    &plan.map(|p| p.planned_date.to_string()).unwrap_or_default(),
                    false,
                ),
            ],
            StepFormKind::Accept | StepFormKind::Return | StepFormKind::Implemented => {
                vec![field("Comment", "")]
            }
            StepFormKind::Verify => vec![field("Objective evidence", "")],
        };
        let outcomes = match kind {
            StepFormKind::Verify => StepForm::outcomes(id.family),
            _ => Vec::new(),
        };
        let mut context = vec![format!(
            "{id} {}: {}",
            finding.grade.label(),
            finding.statement
        )];
        if kind != StepFormKind::Respond
            && let Some(p) = plan
        {
            context.push(format!("Correction: {}", p.correction));
            context.push(format!("Root cause: {}", p.root_cause));
            context.push(format!(
                "Corrective action: {} (planned {}{})",
                p.corrective_action,
                p.planned_date,
                p.owner
                    .as_deref()
                    .map(|o| format!(", owner {o}"))
                    .unwrap_or_default()
            ));
        }
        context.push(format!("State: {}", life.state.words()));
        StepForm {
            id,
            kind,
            fields,
            outcome: outcomes.first().copied(),
            outcomes,
            focus: 0,
            context,
        }
    }

    fn rows(&self) -> usize {
        self.fields.len() + usize::from(self.outcome.is_some())
    }

    /// The text field with the focus (None on the outcome row).
    fn focused_field(&self) -> Option<usize> {
        match self.outcome {
            Some(_) => self.focus.checked_sub(1),
            None => Some(self.focus),
        }
    }

    pub fn mode(&self) -> Mode {
        match self.focused_field() {
            None => Mode::Choice,
            Some(_) => Mode::Form,
        }
    }

    /// The outcome is chosen afresh every time, so only text counts.
    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(TextField::is_changed)
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => return form::close(self.is_dirty()),
            Action::Submit => return self.submit(model),
            Action::NextField => self.focus = (self.focus + 1) % self.rows(),
            Action::PrevField => self.focus = (self.focus + self.rows() - 1) % self.rows(),
            Action::ChoicePrev | Action::ChoiceNext => {
                if let Some(now) = self.outcome {
                    let forward = action == Action::ChoiceNext;
                    self.outcome = Some(cycle(&self.outcomes, now, forward));
                }
            }
            _ => {}
        }
        Outcome::stay()
    }

    pub fn typed(&mut self, input: Input) {
        let Some(i) = self.focused_field() else {
            return;
        };
        let Some(field) = self.fields.get_mut(i) else {
            return;
        };
        // Enter in a one-line field moves on.
        if input.key == Key::Enter && !field.multiline {
            self.focus = (self.focus + 1) % self.rows();
        } else {
            field.area.input(input);
        }
    }

    fn text(&self, i: usize) -> String {
        self.fields.get(i).map(TextField::text).unwrap_or_default()
    }

    /// The form as an edit; a planned date that does not parse is refused.
    fn as_edit(&self) -> Result<Edit, String> {
        let id = self.id;
        Ok(match self.kind {
            StepFormKind::Respond => Edit::Respond {
                id,
                response: Response {
                    correction: self.text(0),
                    root_cause: self.text(1),
                    corrective_action: self.text(2),
                    owner: Some(self.text(3)).filter(|o| !o.is_empty()),
                    planned_date: planned_date(&self.text(4))?,
                },
            },
            StepFormKind::Accept | StepFormKind::Return => Edit::Review {
                id,
                accept: self.kind == StepFormKind::Accept,
                comment: self.text(0),
            },
            StepFormKind::Implemented => Edit::Implemented {
                id,
                comment: self.text(0),
                evidence: Vec::new(),
            },
            StepFormKind::Verify => Edit::Verify {
                id,
                outcome: self
                    .outcome
                    .ok_or_else(|| format!("{id} takes no verification verdict"))?,
                objective_evidence: self.text(0),
                evidence: Vec::new(),
            },
        })
    }

    /// Ctrl-S: save; on success the message line says where it now stands.
    fn submit(&mut self, model: &mut Model) -> Outcome {
        let outcome = form::save(model, self.as_edit());
        if matches!(outcome.next, Next::Close) {
            let state = model.record.lifecycle(self.id).state.words();
            model.message = Some(format!("{}: {state}", self.id));
        }
        outcome
    }

    fn title(&self) -> String {
        let what = match self.kind {
            StepFormKind::Respond => "The auditee's response to",
            StepFormKind::Accept => "Accept the plan for",
            StepFormKind::Return => "Return the plan for",
            StepFormKind::Implemented => "The action reported done for",
            StepFormKind::Verify => "Verify",
        };
        format!(" {what} {} ", self.id)
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let boxes = self.fields.iter().filter(|f| f.multiline).count() as u16;
        let lines = self.fields.len() as u16 - boxes + u16::from(self.outcome.is_some());
        let context = self.context.len() as u16;
        let height = 2 + context + boxes * 4 + lines + 1 + 2;
        let rect = form::form_rect(area, height);
        let mut rows = vec![Constraint::Length(context)];
        if self.outcome.is_some() {
            rows.push(Constraint::Length(1));
        }
        let last_box = self.fields.iter().rposition(|f| f.multiline);
        for (i, f) in self.fields.iter().enumerate() {
            rows.push(match (f.multiline, Some(i) == last_box) {
                (true, true) => Constraint::Min(4),
                (true, false) => Constraint::Length(4),
                (false, _) => Constraint::Length(1),
            });
        }
        rows.push(Constraint::Length(1));
        let [inside] = form::frame_form(frame, rect, &self.title(), [Constraint::Min(1)]);
        let areas = Layout::vertical(rows).split(inside);
        let width = usize::from(inside.width);
        let context_lines: Vec<Line> = self
            .context
            .iter()
            .map(|l| Line::styled(clipped(&shown(l), width), theme.dim()))
            .collect();
        frame.render_widget(ratatui::widgets::Paragraph::new(context_lines), areas[0]);
        let label_width = 24.min(inside.width / 3);
        let mut next = 1;
        if let Some(chosen) = self.outcome {
            let words: Vec<(String, bool)> = self
                .outcomes
                .iter()
                .map(|o| (o.as_str().replace('-', " "), *o == chosen))
                .collect();
            let words = words.iter().map(|(w, c)| (w.as_str(), *c));
            let focused = top && self.focus == 0;
            let line = areas[next];
            form::labelled_choice(
                frame,
                "Verdict ←/→",
                words,
                focused,
                theme,
                line,
                label_width,
            );
            next += 1;
        }
        for (i, f) in self.fields.iter().enumerate() {
            let focused = top && self.focused_field() == Some(i);
            let line = areas[next + i];
            if f.multiline {
                form::field(frame, f, focused, theme, line);
            } else {
                form::labelled_field(frame, f, focused, theme, line, label_width);
            }
        }
        if let Some(hint) = areas.last() {
            form::hint(frame, theme, *hint);
        }
    }
}

/// The planned date as typed: YYYY-MM-DD, and required.
fn planned_date(text: &str) -> Result<NaiveDate, String> {
    if text.is_empty() {
        return Err("a response needs its planned date, written YYYY-MM-DD".into());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        format!(
            "the planned date '{}' is not written YYYY-MM-DD",
            shown(text)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_planned_date_is_refused_in_words_unless_written_yyyy_mm_dd() {
        assert_eq!(
            planned_date("2027-04-01").map(|d| d.to_string()),
            Ok("2027-04-01".to_string())
        );
        let refused = planned_date("1/4/2027").unwrap_err();
        assert!(
            refused.contains("'1/4/2027'") && refused.contains("YYYY-MM-DD"),
            "{refused}"
        );
        assert!(
            planned_date("")
                .unwrap_err()
                .contains("needs its planned date")
        );
    }

    #[test]
    fn verify_offers_only_the_verdicts_that_fit_the_family() {
        assert_eq!(
            StepForm::outcomes(Family::Nc),
            [
                Verdict::Effective,
                Verdict::NotEffective,
                Verdict::NotYetDue
            ]
        );
        assert_eq!(
            StepForm::outcomes(Family::Aoc),
            [Verdict::Resolved, Verdict::NotResolved]
        );
    }
}
