//! The justification asked for a not-applicable verdict.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui_textarea::Input;

use super::Outcome;
use super::form::{self, TextField};
use crate::audit::{Edit, Verdict};
use crate::checklist::ReqRef;
use crate::tui::action::Action;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

pub struct JustifyForm {
    pub req: ReqRef,
    pub text: TextField,
}

impl JustifyForm {
    /// Ask why `req` is not applicable, starting from the reason given
    /// before (if any).
    pub fn new(req: ReqRef, existing: &str) -> JustifyForm {
        JustifyForm {
            req,
            text: TextField::new("Why is it not applicable?", existing, true),
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.text.is_changed()
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => form::close(self.is_dirty()),
            Action::Submit => {
                let edit = Edit::SetVerdict {
                    req: self.req.clone(),
                    verdict: Verdict::NotApplicable,
                    justification: Some(self.text.text()),
                };
                form::save(model, Ok(edit))
            }
            _ => Outcome::stay(),
        }
    }

    pub fn typed(&mut self, input: Input) {
        self.text.area.input(input);
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = form::form_rect(area, 9);
        let [text, help] = form::frame_form(
            frame,
            rect,
            &format!(" {} not applicable ", self.req),
            [Constraint::Min(3), Constraint::Length(1)],
        );
        form::field(frame, &self.text, top, theme, text);
        form::hint(frame, theme, help);
    }
}
