//! The report details form (`r`): what the report states besides the
//! verdicts and findings, one row each: its number, the objectives, the
//! client's address, the audit time, changes, deviations, unresolved
//! issues, the sampling and the days to answer a nonconformity. Write
//! "none" where there is nothing to say; an emptied row is cleared.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear};
use ratatui_textarea::{Input, Key};

use super::Outcome;
use super::form::{self, TextField};
use crate::audit::report_facts::{Days, Statement, TimeFigure};
use crate::audit::{Edit, Meta, MetaEdit};
use crate::tui::action::Action;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// What a row of the form sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportRow {
    Statement(Statement),
    Time(TimeFigure),
    /// Days to answer a major (true) or minor nonconformity.
    ResponseDays(bool),
}

impl ReportRow {
    /// The rows in screen order.
    pub const ORDER: [ReportRow; 13] = [
        ReportRow::Statement(Statement::ReportNo),
        ReportRow::Statement(Statement::Objectives),
        ReportRow::Statement(Statement::ClientAddress),
        ReportRow::Time(TimeFigure::Planned),
        ReportRow::Time(TimeFigure::OnSite),
        ReportRow::Time(TimeFigure::Remote),
        ReportRow::Statement(Statement::TimeReason),
        ReportRow::Statement(Statement::Changes),
        ReportRow::Statement(Statement::Deviations),
        ReportRow::Statement(Statement::Unresolved),
        ReportRow::Statement(Statement::Sampling),
        ReportRow::ResponseDays(true),
        ReportRow::ResponseDays(false),
    ];

    fn label(self) -> &'static str {
        match self {
            ReportRow::Statement(Statement::ReportNo) => "Report number",
            ReportRow::Statement(Statement::Objectives) => "Objectives",
            ReportRow::Statement(Statement::ClientAddress) => "Client's address",
            ReportRow::Statement(Statement::TimeReason) => "Why time differs",
            ReportRow::Statement(Statement::Changes) => "Changes since last",
            ReportRow::Statement(Statement::Deviations) => "Deviations from plan",
            ReportRow::Statement(Statement::Unresolved) => "Unresolved issues",
            ReportRow::Statement(Statement::Sampling) => "What was sampled",
            ReportRow::Time(TimeFigure::Planned) => "Planned auditor-days",
            ReportRow::Time(TimeFigure::OnSite) => "On-site auditor-days",
            ReportRow::Time(TimeFigure::Remote) => "Remote auditor-days",
            ReportRow::ResponseDays(true) => "Days to answer major",
            ReportRow::ResponseDays(false) => "Days to answer minor",
        }
    }

    fn value(self, meta: &Meta) -> String {
        let facts = &meta.report;
        match self {
            ReportRow::Statement(Statement::Objectives) => {
                facts.objectives_or_default(meta.audit_type)
            }
            ReportRow::Statement(which) => facts.statement(which).cloned().unwrap_or_default(),
            ReportRow::Time(which) => facts.time(which).map(|d| d.to_string()).unwrap_or_default(),
            ReportRow::ResponseDays(major) => facts.response_days(major).to_string(),
        }
    }
}

pub struct ReportForm {
    /// One field per row of [`ReportRow::ORDER`].
    pub fields: Vec<TextField>,
    /// Index into [`ReportRow::ORDER`].
    pub focus: usize,
}

impl ReportForm {
    pub fn new(meta: &Meta) -> ReportForm {
        let mut fields: Vec<TextField> = ReportRow::ORDER
            .iter()
            .map(|row| TextField::new(row.label(), &row.value(meta), false))
            .collect();
        // Unfocused fields show their beginning; the focused one its end.
        for field in fields.iter_mut().skip(1) {
            field.area.move_cursor(ratatui_textarea::CursorMove::Head);
        }
        ReportForm { fields, focus: 0 }
    }

    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(TextField::is_changed)
    }

    fn focus_on(&mut self, to: usize) {
        self.fields[self.focus]
            .area
            .move_cursor(ratatui_textarea::CursorMove::Head);
        self.focus = to % self.fields.len();
        self.fields[self.focus]
            .area
            .move_cursor(ratatui_textarea::CursorMove::End);
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        let n = self.fields.len();
        match action {
            Action::Close => return form::close(self.is_dirty()),
            Action::Submit => return form::save(model, self.as_edit().map(Edit::SetMeta)),
            Action::NextField => self.focus_on(self.focus + 1),
            Action::PrevField => self.focus_on(self.focus + n - 1),
            _ => {}
        }
        Outcome::stay()
    }

    pub fn typed(&mut self, input: Input) {
        if input.key == Key::Enter {
            self.focus_on(self.focus + 1);
        } else if let Some(field) = self.fields.get_mut(self.focus) {
            field.area.input(input);
        }
    }

    /// The form as an edit: only the rows changed, so an untouched default
    /// (the objectives, the usual response days) stays a default.
    fn as_edit(&self) -> Result<MetaEdit, String> {
        let mut edit = MetaEdit::default();
        for (row, field) in ReportRow::ORDER.iter().zip(&self.fields) {
            if !field.is_changed() {
                continue;
            }
            let text = field.text();
            match *row {
                ReportRow::Statement(which) => edit.statements.push((which, text)),
                ReportRow::Time(which) => {
                    let days = if text.is_empty() {
                        None
                    } else {
                        Some(text.parse::<Days>()?)
                    };
                    edit.time.push((which, days));
                }
                ReportRow::ResponseDays(major) => {
                    let days = if text.is_empty() {
                        None
                    } else {
                        Some(text.parse::<u32>().map_err(|_| {
                            format!("'{text}' is not a number of days to answer a nonconformity")
                        })?)
                    };
                    edit.response_days[usize::from(!major)] = Some(days);
                }
            }
        }
        Ok(edit)
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = form::form_rect(area, self.fields.len() as u16 + 3);
        frame.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(" Report details — write \"none\" where there is nothing to say ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let label_width = 22.min(inner.width / 3);
        for (i, field) in self.fields.iter().enumerate() {
            let y = inner.y + i as u16;
            if y + 1 >= inner.bottom() {
                break;
            }
            let line = Rect {
                y,
                height: 1,
                ..inner
            };
            let focused = top && self.focus == i;
            form::labelled_field(frame, field, focused, theme, line, label_width);
        }
        let help = Rect {
            y: inner.bottom().saturating_sub(1),
            height: 1,
            ..inner
        };
        form::hint(frame, theme, help);
    }
}
