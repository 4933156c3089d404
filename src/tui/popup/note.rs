//! The note editor: a new interview note on a requirement, or one of the
//! auditor's own notes edited.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui_textarea::{Input, Key};

use super::Outcome;
use super::form::{self, TextField};
use crate::audit::Edit;
use crate::checklist::ReqRef;
use crate::tui::action::Action;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// Which field of the note form has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteField {
    Text,
    Interviewee,
}

pub struct NoteForm {
    pub req: ReqRef,
    pub editing: Option<u32>,
    pub text: TextField,
    pub interviewee: TextField,
    pub focus: NoteField,
}

impl NoteForm {
    /// A new note on `req`.
    pub fn new(req: ReqRef) -> NoteForm {
        NoteForm::edit(req, None, "", "")
    }

    /// Note `editing` (or a new one) on `req`, starting from `text`.
    pub fn edit(req: ReqRef, editing: Option<u32>, text: &str, interviewee: &str) -> NoteForm {
        NoteForm {
            req,
            editing,
            text: TextField::new("Note", text, true),
            interviewee: TextField::new("Interviewee", interviewee, false),
            focus: NoteField::Text,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.text.is_changed() || self.interviewee.is_changed()
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => form::close(self.is_dirty()),
            Action::Submit => form::save(model, Ok(self.as_edit())),
            Action::NextField | Action::PrevField => {
                self.focus = match self.focus {
                    NoteField::Text => NoteField::Interviewee,
                    NoteField::Interviewee => NoteField::Text,
                };
                Outcome::stay()
            }
            _ => Outcome::stay(),
        }
    }

    pub fn typed(&mut self, input: Input) {
        let field = match self.focus {
            NoteField::Text => &mut self.text,
            NoteField::Interviewee => &mut self.interviewee,
        };
        if input.key == Key::Enter && !field.multiline {
            self.focus = NoteField::Text;
        } else {
            field.area.input(input);
        }
    }

    fn as_edit(&self) -> Edit {
        match self.editing {
            None => Edit::AddNote {
                req: self.req.clone(),
                text: self.text.text(),
                interviewee: Some(self.interviewee.text()),
            },
            Some(id) => Edit::EditNote {
                req: self.req.clone(),
                id,
                text: self.text.text(),
            },
        }
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let title = match self.editing {
            Some(id) => format!(" Edit note {id} on {} ", self.req),
            None => format!(" New note on {} ", self.req),
        };
        let rect = form::form_rect(area, 14);
        let [text, who, help] = form::frame_form(
            frame,
            rect,
            &title,
            [
                Constraint::Min(3),
                Constraint::Length(3),
                Constraint::Length(1),
            ],
        );
        let focused = |f: NoteField| top && self.focus == f;
        form::field(frame, &self.text, focused(NoteField::Text), theme, text);
        form::field(
            frame,
            &self.interviewee,
            focused(NoteField::Interviewee),
            theme,
            who,
        );
        form::hint(frame, theme, help);
    }
}
