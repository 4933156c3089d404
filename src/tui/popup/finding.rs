//! The finding form: grade, statement, objective evidence, and further
//! requirements the finding concerns (Ctrl-F picks one with the finder).
//! It offers only the grades the audit raises, and from the follow-up
//! screen (`M`) it raises an earlier finding again.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::Input;

use super::form::{self, TextField, cycle};
use super::{Confirm, Next, Outcome, Popup};
use crate::audit::{AuditRecord, Edit, Finding, FindingId, Grade};
use crate::checklist::ReqRef;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// Which field of the finding form has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingField {
    Grade,
    Statement,
    Evidence,
    Also,
}

impl FindingField {
    const ORDER: [FindingField; 4] = [
        FindingField::Grade,
        FindingField::Statement,
        FindingField::Evidence,
        FindingField::Also,
    ];
}

pub struct FindingForm {
    pub req: ReqRef,
    pub editing: Option<FindingId>,
    pub grade: Grade,
    pub statement: TextField,
    pub evidence: TextField,
    /// Further requirements, typed as ids (`27001:6.1.2`), one per line.
    pub also: TextField,
    pub focus: FindingField,
    /// The grade when the form opened.
    pub original_grade: Grade,
    /// The grades ←/→ offers: those the audit raises (and the finding's own).
    pub grades: Vec<Grade>,
    /// The earlier finding this one raises again (from the follow-up screen).
    pub again: Option<FindingId>,
}

impl FindingForm {
    /// A new finding on `req`: a minor NC to start with, or where the
    /// audit raises none (stage 1), an area of concern.
    pub fn new(req: ReqRef, record: &AuditRecord) -> FindingForm {
        let grades = record.grades_raised();
        let grade = [Grade::Minor, Grade::AreaOfConcern]
            .into_iter()
            .find(|g| grades.contains(g))
            .unwrap_or(Grade::Observation);
        let mut form = FindingForm::with(req, None, grade, "", "", "");
        form.grades = grades;
        form
    }

    /// The form raising `earlier` again as a new `grade` finding on its
    /// requirements, its statement there to edit (None if it names no
    /// requirement).
    pub fn raise_again(
        earlier: &Finding,
        grade: Grade,
        record: &AuditRecord,
    ) -> Option<FindingForm> {
        let req = earlier.requirements.first()?.clone();
        let mut form = FindingForm::edit(earlier, req, record);
        form.editing = None;
        form.again = Some(earlier.id);
        form.grades = record.grades_raised();
        form.grade = grade;
        form.original_grade = grade;
        form.evidence = TextField::new("Objective evidence", "", true);
        Some(form)
    }

    /// The form for finding `f`, raised on `req` if it names none.
    pub fn edit(f: &Finding, req: ReqRef, record: &AuditRecord) -> FindingForm {
        let also: Vec<String> = f
            .requirements
            .iter()
            .skip(1)
            .map(ToString::to_string)
            .collect();
        let mut form = FindingForm::with(
            f.requirements.first().cloned().unwrap_or(req),
            Some(f.id),
            f.grade,
            &f.statement,
            f.objective_evidence.as_deref().unwrap_or_default(),
            &also.join("\n"),
        );
        form.grades = record.grades_raised();
        if !form.grades.contains(&f.grade) {
            form.grades.push(f.grade);
            form.grades.sort();
        }
        form
    }

    fn with(
        req: ReqRef,
        editing: Option<FindingId>,
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
            focus: FindingField::Statement,
            original_grade: grade,
            grades: vec![grade],
            again: None,
        }
    }

    pub fn mode(&self) -> Mode {
        match self.focus {
            FindingField::Grade => Mode::Choice,
            _ => Mode::Form,
        }
    }

    pub fn is_dirty(&self) -> bool {
        let fields = [&self.statement, &self.evidence, &self.also];
        self.grade != self.original_grade || fields.iter().any(|f| f.is_changed())
    }

    /// Add `req` to the further requirements (the requirement picker's
    /// choice), unless the finding already names it.
    pub fn add_also(&mut self, req: &ReqRef) {
        let mut lines: Vec<String> = self.also.text().lines().map(str::to_string).collect();
        if *req != self.req && !lines.contains(&req.to_string()) {
            lines.push(req.to_string());
        }
        self.also = TextField::new(self.also.label, &lines.join("\n"), true);
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => return form::close(self.is_dirty()),
            Action::Submit => return self.submit(model),
            Action::NextField | Action::PrevField => {
                let forward = action == Action::NextField;
                self.focus = cycle(&FindingField::ORDER, self.focus, forward);
            }
            Action::ChoicePrev | Action::ChoiceNext if !self.grades.is_empty() => {
                self.grade = cycle(&self.grades, self.grade, action == Action::ChoiceNext);
            }
            Action::PickRequirement => {
                self.focus = FindingField::Also;
                // The same engine and ranking as `/`, over requirements only.
                let corpus = Arc::new(crate::finder::Corpus::requirements_only(&model.catalog));
                let (finder, effect) = super::finder::Finder::open(model, corpus, true);
                return Outcome::next(Next::Open(Popup::Finder(Box::new(finder))))
                    .with(vec![effect]);
            }
            _ => {}
        }
        Outcome::stay()
    }

    /// Ctrl-S: save the form; an NC on a requirement marked conforming or
    /// not applicable first asks to set it nonconforming.
    fn submit(&mut self, model: &mut Model) -> Outcome {
        let edit = match self.as_edit(model) {
            Ok(edit) => edit,
            Err(refused) => return form::save(model, Err(refused)),
        };
        let marked = edit.marked_clear(&model.record);
        if marked.is_empty() || model.record.ensure_open().is_err() {
            return form::save(model, Ok(edit));
        }
        let edit = edit.setting_nonconforming(&model.record);
        Outcome::next(Next::Open(Confirm::set_nonconforming(
            &marked,
            self.editing,
            edit,
        )))
    }

    pub fn typed(&mut self, input: Input) {
        let field = match self.focus {
            FindingField::Statement => &mut self.statement,
            FindingField::Evidence => &mut self.evidence,
            FindingField::Also => &mut self.also,
            FindingField::Grade => return,
        };
        field.area.input(input);
    }

    /// The form as an edit; a further requirement that does not resolve is
    /// refused.
    fn as_edit(&self, model: &Model) -> Result<Edit, String> {
        let mut requirements = vec![self.req.clone()];
        for line in self
            .also
            .text()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let r = model
                .catalog
                .resolve(line)
                .map_err(|e| e.to_string().replace('\n', " "))?;
            requirements.push(r);
        }
        let evidence = Some(self.evidence.text());
        if let Some(earlier) = self.again {
            return Ok(Edit::RaiseAgain {
                earlier,
                grade: self.grade,
                requirements,
                statement: self.statement.text(),
                objective_evidence: evidence,
            });
        }
        Ok(match self.editing {
            None => Edit::AddFinding {
                grade: self.grade,
                requirements,
                statement: self.statement.text(),
                objective_evidence: evidence,
            },
            Some(id) => Edit::EditFinding {
                id,
                grade: Some(self.grade),
                statement: Some(self.statement.text()),
                objective_evidence: evidence,
                also: Some(requirements.split_off(1)),
            },
        })
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let title = match (self.editing, self.again) {
            (Some(id), _) => format!(" Edit finding {id} "),
            (None, Some(earlier)) => format!(" Raise {earlier} again, on {} ", self.req),
            (None, None) => format!(" New finding on {} ", self.req),
        };
        let rect = form::form_rect(area, area.height);
        let [grade, statement, evidence, also, help] = form::frame_form(
            frame,
            rect,
            &title,
            [
                Constraint::Length(1),
                Constraint::Min(4),
                Constraint::Min(4),
                Constraint::Length(4),
                Constraint::Length(1),
            ],
        );
        let focused = |f: FindingField| top && self.focus == f;
        let mut spans = vec![Span::styled(
            "Grade (←/→): ",
            if self.focus == FindingField::Grade {
                theme.selected()
            } else {
                theme.heading()
            },
        )];
        for g in &self.grades {
            spans.push(if *g == self.grade {
                Span::styled(
                    format!("[{}]", g.as_str()),
                    theme.grade(*g).add_modifier(ratatui::style::Modifier::BOLD),
                )
            } else {
                Span::styled(format!(" {} ", g.as_str()), theme.dim())
            });
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true }),
            grade,
        );
        let fields = [
            (&self.statement, FindingField::Statement, statement),
            (&self.evidence, FindingField::Evidence, evidence),
            (&self.also, FindingField::Also, also),
        ];
        for (field, which, area) in fields {
            form::field(frame, field, focused(which), theme, area);
        }
        form::hint(frame, theme, help);
    }
}
