//! The note editor: a new interview note on a requirement, or one of the
//! auditor's own notes edited.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui_textarea::{Input, Key};

use super::form::{self, TextField, cycle};
use super::{Next, Outcome};
use crate::audit::Edit;
use crate::checklist::ReqRef;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// Which field of the note form has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteField {
    Text,
    Interviewee,
    /// Shared in the report, or an internal working paper.
    Kept,
}

impl NoteField {
    const ORDER: [NoteField; 3] = [NoteField::Text, NoteField::Interviewee, NoteField::Kept];
}

pub struct NoteForm {
    pub req: ReqRef,
    pub editing: Option<u32>,
    pub text: TextField,
    pub interviewee: TextField,
    /// A working paper, kept out of the auditee's copy.
    pub internal: bool,
    pub focus: NoteField,
    /// Whether it was a working paper when the form opened.
    original_internal: bool,
}

impl NoteForm {
    /// A new note on `req`.
    pub fn new(req: ReqRef) -> NoteForm {
        NoteForm::edit(req, None, "", "", false)
    }

    /// Note `editing` (or a new one) on `req`, starting from `text`.
    pub fn edit(
        req: ReqRef,
        editing: Option<u32>,
        text: &str,
        interviewee: &str,
        internal: bool,
    ) -> NoteForm {
        NoteForm {
            req,
            editing,
            text: TextField::new("Note", text, true),
            interviewee: TextField::new("Interviewee", interviewee, false),
            internal,
            focus: NoteField::Text,
            original_internal: internal,
        }
    }

    pub fn mode(&self) -> Mode {
        match self.focus {
            NoteField::Kept => Mode::Choice,
            _ => Mode::Form,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.text.is_changed()
            || self.interviewee.is_changed()
            || self.internal != self.original_internal
    }

    /// Ctrl-S: the new note, or the edited text and the changed kind, each
    /// an edit; the form stays open on the first refused.
    fn save(&self, model: &mut Model) -> Outcome {
        let edits = match self.editing {
            None => vec![self.as_edit()],
            Some(id) => {
                let mut edits = vec![self.as_edit()];
                if self.internal != self.original_internal {
                    edits.push(Edit::SetNoteInternal {
                        req: self.req.clone(),
                        id,
                        internal: self.internal,
                    });
                }
                edits
            }
        };
        let mut effects = Vec::new();
        for edit in edits {
            match crate::tui::update::commit(model, edit) {
                Ok(more) => effects.extend(more),
                Err(_) => return Outcome::stay().with(effects),
            }
        }
        Outcome::next(Next::Close).with(effects)
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => form::close(self.is_dirty()),
            Action::Submit => self.save(model),
            Action::NextField | Action::PrevField => {
                let forward = action == Action::NextField;
                self.focus = cycle(&NoteField::ORDER, self.focus, forward);
                Outcome::stay()
            }
            Action::ChoicePrev | Action::ChoiceNext => {
                self.internal = !self.internal;
                Outcome::stay()
            }
            _ => Outcome::stay(),
        }
    }

    pub fn typed(&mut self, input: Input) {
        let field = match self.focus {
            NoteField::Text => &mut self.text,
            NoteField::Interviewee => &mut self.interviewee,
            NoteField::Kept => return,
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
                internal: self.internal,
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
        let rect = form::form_rect(area, 15);
        let [text, who, kept, help] = form::frame_form(
            frame,
            rect,
            &title,
            [
                Constraint::Min(3),
                Constraint::Length(3),
                Constraint::Length(1),
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
        let words = [
            ("in both reports", !self.internal),
            ("working paper: not in the auditee's copy", self.internal),
        ];
        form::labelled_choice(
            frame,
            "Kept ←/→",
            words.into_iter(),
            focused(NoteField::Kept),
            theme,
            kept,
            10,
        );
        form::hint(frame, theme, help);
    }
}
