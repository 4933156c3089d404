//! The conclusion form (`C`): the team's recommendation, chosen among the
//! options of the audit type (starting at the one fieldaudit proposes from
//! the findings), the reasoning, and the conclusions on the scope, the
//! system's effectiveness and the audit objectives.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::Input;

use super::Outcome;
use super::form::{self, TextField, cycle};
use crate::audit::conclusion::{Conclusion, Recommendation};
use crate::audit::{AuditRecord, Edit};
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// Which part of the form has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcludeField {
    Recommendation,
    Reasoning,
    Scope,
    Effectiveness,
    Objectives,
}

impl ConcludeField {
    const ORDER: [ConcludeField; 5] = [
        ConcludeField::Recommendation,
        ConcludeField::Reasoning,
        ConcludeField::Scope,
        ConcludeField::Effectiveness,
        ConcludeField::Objectives,
    ];
}

/// Yes, no, or not said.
const ANSWERS: [Option<bool>; 3] = [None, Some(true), Some(false)];

pub struct ConcludeForm {
    pub options: [Recommendation; 3],
    pub recommendation: Recommendation,
    /// What fieldaudit proposes from the findings.
    pub proposed: Recommendation,
    pub reasoning: TextField,
    pub scope_appropriate: Option<bool>,
    pub effectiveness: TextField,
    pub objectives_met: Option<bool>,
    pub focus: ConcludeField,
    original: (Recommendation, Option<bool>, Option<bool>),
}

impl ConcludeForm {
    /// The form, from the conclusion recorded or else the proposal.
    pub fn new(record: &AuditRecord) -> ConcludeForm {
        let options = Recommendation::options(record.meta.audit_type);
        let proposed = Recommendation::proposed(record);
        let c = record.conclusion.as_ref();
        let recommendation = c
            .map(|c| c.recommendation)
            .filter(|r| options.contains(r))
            .unwrap_or(proposed);
        let (scope, objectives) =
            c.map_or((None, None), |c| (c.scope_appropriate, c.objectives_met));
        ConcludeForm {
            options,
            recommendation,
            proposed,
            reasoning: TextField::new("Reasoning", c.map_or("", |c| c.reasoning.as_str()), true),
            scope_appropriate: scope,
            effectiveness: TextField::new(
                "Effectiveness (internal audit, management review)",
                c.and_then(|c| c.effectiveness.as_deref())
                    .unwrap_or_default(),
                true,
            ),
            objectives_met: objectives,
            focus: ConcludeField::Recommendation,
            original: (recommendation, scope, objectives),
        }
    }

    pub fn mode(&self) -> Mode {
        match self.focus {
            ConcludeField::Reasoning | ConcludeField::Effectiveness => Mode::Form,
            _ => Mode::Choice,
        }
    }

    pub fn is_dirty(&self) -> bool {
        (
            self.recommendation,
            self.scope_appropriate,
            self.objectives_met,
        ) != self.original
            || self.reasoning.is_changed()
            || self.effectiveness.is_changed()
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => return form::close(self.is_dirty()),
            Action::Submit => return form::save(model, Ok(self.as_edit())),
            Action::NextField | Action::PrevField => {
                let forward = action == Action::NextField;
                self.focus = cycle(&ConcludeField::ORDER, self.focus, forward);
            }
            Action::ChoicePrev | Action::ChoiceNext => {
                let forward = action == Action::ChoiceNext;
                match self.focus {
                    ConcludeField::Recommendation => {
                        self.recommendation = cycle(&self.options, self.recommendation, forward)
                    }
                    ConcludeField::Scope => {
                        self.scope_appropriate = cycle(&ANSWERS, self.scope_appropriate, forward)
                    }
                    ConcludeField::Objectives => {
                        self.objectives_met = cycle(&ANSWERS, self.objectives_met, forward)
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        Outcome::stay()
    }

    pub fn typed(&mut self, input: Input) {
        match self.focus {
            ConcludeField::Reasoning => self.reasoning.area.input(input),
            ConcludeField::Effectiveness => self.effectiveness.area.input(input),
            _ => false,
        };
    }

    fn as_edit(&self) -> Edit {
        let effectiveness = Some(self.effectiveness.text()).filter(|t| !t.is_empty());
        Edit::Conclude(Box::new(Conclusion {
            recommendation: self.recommendation,
            reasoning: self.reasoning.text(),
            scope_appropriate: self.scope_appropriate,
            effectiveness,
            objectives_met: self.objectives_met,
            // Set from the change when applied.
            at: crate::audit::now(),
            by: String::new(),
        }))
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = form::form_rect(area, area.height);
        let [
            choice,
            proposal,
            reasoning,
            scope,
            effectiveness,
            objectives,
            help,
        ] = form::frame_form(
            frame,
            rect,
            " Conclusion and recommendation ",
            [
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Min(4),
                Constraint::Length(1),
                Constraint::Min(3),
                Constraint::Length(1),
                Constraint::Length(1),
            ],
        );
        let focused = |f: ConcludeField| top && self.focus == f;
        let words = self
            .options
            .iter()
            .map(|r| (r.as_str(), *r == self.recommendation));
        form::labelled_choice(
            frame,
            "Recommend ←/→",
            words,
            focused(ConcludeField::Recommendation),
            theme,
            choice,
            16,
        );
        let said = Line::from(vec![
            Span::styled(
                format!("{} ", self.recommendation.sentence()),
                theme.heading(),
            ),
            Span::styled(format!("(proposed: {})", self.proposed), theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(said).wrap(Wrap { trim: true }), proposal);
        form::field(
            frame,
            &self.reasoning,
            focused(ConcludeField::Reasoning),
            theme,
            reasoning,
        );
        let answer = |a: Option<bool>| ANSWERS.iter().map(move |x| (yes_no(*x), *x == a));
        form::labelled_choice(
            frame,
            "Scope fits ←/→",
            answer(self.scope_appropriate),
            focused(ConcludeField::Scope),
            theme,
            scope,
            16,
        );
        form::field(
            frame,
            &self.effectiveness,
            focused(ConcludeField::Effectiveness),
            theme,
            effectiveness,
        );
        form::labelled_choice(
            frame,
            "Objectives met",
            answer(self.objectives_met),
            focused(ConcludeField::Objectives),
            theme,
            objectives,
            16,
        );
        form::hint(frame, theme, help);
    }
}

fn yes_no(answer: Option<bool>) -> &'static str {
    match answer {
        None => "not said",
        Some(true) => "yes",
        Some(false) => "no",
    }
}
