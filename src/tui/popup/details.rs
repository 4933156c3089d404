//! The audit details form (`m`): one single-line field per item, the audit
//! type chosen with ←/→, and the audit team one member per line, each with
//! a role.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear};
use ratatui_textarea::{Input, Key};

use super::Outcome;
use super::form::{self, TextField, cycle};
use crate::audit::{AuditType, Edit, Meta, MetaEdit, team};
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// What each row of the details form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaField {
    Client,
    Site,
    Scope,
    Type,
    Start,
    End,
    LeadAuditor,
    /// The team besides the lead auditor, one member per line.
    Team,
    AuditeeReps,
    CertificationBody,
    Accreditation,
}

/// The team box's label, which says how to write a member.
const TEAM_LABEL: &str = "Team besides the lead, one per line: Name (role)";
/// Rows the team box takes: its border and four members.
const TEAM_HEIGHT: u16 = 6;

pub struct MetaForm {
    pub fields: Vec<TextField>,
    pub audit_type: AuditType,
    /// Index into [`MetaForm::ORDER`].
    pub focus: usize,
    /// The audit type when the form opened.
    pub original_type: AuditType,
}

impl MetaForm {
    /// The rows in screen order.
    pub const ORDER: [MetaField; 11] = [
        MetaField::Client,
        MetaField::Site,
        MetaField::Scope,
        MetaField::Type,
        MetaField::Start,
        MetaField::End,
        MetaField::LeadAuditor,
        MetaField::Team,
        MetaField::AuditeeReps,
        MetaField::CertificationBody,
        MetaField::Accreditation,
    ];

    pub fn new(meta: &Meta) -> MetaForm {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let values = [
            ("Client", meta.client.clone()),
            ("Site", text(&meta.site)),
            ("Scope", text(&meta.scope)),
            ("Start YYYY-MM-DD", date(meta.start)),
            ("End YYYY-MM-DD", date(meta.end)),
            (
                "Lead auditor",
                meta.lead_auditor().unwrap_or_default().into(),
            ),
            (TEAM_LABEL, team::others_lines(&meta.team)),
            ("Auditee reps (a, b, …)", meta.auditee_reps.join(", ")),
            ("Certification body", text(&meta.certification_body)),
            ("Accreditation", text(&meta.accreditation)),
        ];
        let mut fields: Vec<TextField> = values
            .iter()
            .map(|(label, value)| TextField::new(label, value, *label == TEAM_LABEL))
            .collect();
        // Unfocused fields show their beginning; the focused one its end.
        for field in fields.iter_mut().skip(1) {
            field.area.move_cursor(ratatui_textarea::CursorMove::Head);
        }
        MetaForm {
            fields,
            audit_type: meta.audit_type,
            focus: 0,
            original_type: meta.audit_type,
        }
    }

    pub fn mode(&self) -> Mode {
        match self.focused() {
            MetaField::Type => Mode::Choice,
            _ => Mode::Form,
        }
    }

    /// Move the focus to row `to`, putting the cursor at the end of its text.
    pub fn focus_on(&mut self, to: usize) {
        if let Some(i) = Self::field_index(self.focused()) {
            self.fields[i]
                .area
                .move_cursor(ratatui_textarea::CursorMove::Head);
        }
        self.focus = to % Self::ORDER.len();
        if let Some(i) = Self::field_index(self.focused()) {
            self.fields[i]
                .area
                .move_cursor(ratatui_textarea::CursorMove::End);
        }
    }

    /// The text field behind a row (the type row has none).
    pub fn field_index(row: MetaField) -> Option<usize> {
        let text_rows = Self::ORDER.iter().filter(|f| **f != MetaField::Type);
        text_rows.clone().position(|f| *f == row)
    }

    pub fn focused(&self) -> MetaField {
        Self::ORDER[self.focus.min(Self::ORDER.len() - 1)]
    }

    pub fn value(&self, row: MetaField) -> String {
        Self::field_index(row).map_or_else(String::new, |i| self.fields[i].text())
    }

    pub fn is_dirty(&self) -> bool {
        self.audit_type != self.original_type || self.fields.iter().any(TextField::is_changed)
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => return form::close(self.is_dirty()),
            Action::Submit => return form::save(model, self.as_edit().map(Edit::SetMeta)),
            Action::NextField => self.focus_on(self.focus + 1),
            Action::PrevField => self.focus_on(self.focus + Self::ORDER.len() - 1),
            Action::ChoicePrev | Action::ChoiceNext => {
                let forward = action == Action::ChoiceNext;
                self.audit_type = cycle(AuditType::ALL, self.audit_type, forward);
            }
            _ => {}
        }
        Outcome::stay()
    }

    pub fn typed(&mut self, input: Input) {
        if let Some(i) = Self::field_index(self.focused()) {
            // Enter moves on, but in the team it starts the next member.
            if input.key == Key::Enter && !self.fields[i].multiline {
                self.focus_on(self.focus + 1);
            } else {
                self.fields[i].area.input(input);
            }
        }
    }

    /// The form as an edit; a date that does not parse is refused.
    fn as_edit(&self) -> Result<MetaEdit, String> {
        // An emptied date field clears the date.
        let date = |row: MetaField, name: &str| -> Result<Option<chrono::NaiveDate>, String> {
            let text = self.value(row);
            if text.is_empty() {
                return Ok(None);
            }
            chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("the {name} date '{text}' is not written YYYY-MM-DD"))
        };
        let list = |row: MetaField| -> Vec<String> {
            self.value(row)
                .split([',', ';'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        Ok(MetaEdit {
            client: Some(self.value(MetaField::Client)),
            site: Some(self.value(MetaField::Site)),
            scope: Some(self.value(MetaField::Scope)),
            audit_type: Some(self.audit_type),
            start: Some(date(MetaField::Start, "start")?),
            end: Some(date(MetaField::End, "end")?),
            team: Some(
                team::from_form(
                    &self.value(MetaField::LeadAuditor),
                    &self.value(MetaField::Team),
                )
                .map_err(|e| e.to_string())?,
            ),
            auditee_reps: Some(list(MetaField::AuditeeReps)),
            certification_body: Some(self.value(MetaField::CertificationBody)),
            accreditation: Some(self.value(MetaField::Accreditation)),
            ..MetaEdit::default()
        })
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let rows = Self::ORDER.len() as u16 - 1 + TEAM_HEIGHT;
        let rect = form::form_rect(area, rows + 3);
        frame.render_widget(Clear, rect);
        let block = Block::bordered().title(" Audit details ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let label_width = 24.min(inner.width / 3);
        let mut y = inner.y;
        for (i, row) in Self::ORDER.iter().enumerate() {
            let height = if *row == MetaField::Team {
                TEAM_HEIGHT
            } else {
                1
            };
            if y + height > inner.bottom() {
                break;
            }
            let line = Rect { y, height, ..inner };
            y += height;
            let focused = top && self.focus == i;
            match Self::field_index(*row) {
                Some(at) if *row == MetaField::Team => {
                    form::field(frame, &self.fields[at], focused, theme, line)
                }
                Some(at) => {
                    form::labelled_field(frame, &self.fields[at], focused, theme, line, label_width)
                }
                None => {
                    let words = AuditType::ALL
                        .iter()
                        .map(|t| (t.label(), *t == self.audit_type));
                    form::labelled_choice(
                        frame,
                        "Audit type ←/→",
                        words,
                        focused,
                        theme,
                        line,
                        label_width,
                    );
                }
            }
        }
        let help = Rect {
            y: inner.bottom().saturating_sub(1),
            height: 1,
            ..inner
        };
        form::hint(frame, theme, help);
    }
}
