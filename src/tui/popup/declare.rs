//! The declared implementation of a control (`I`): how far the auditee's
//! Statement of Applicability says it is implemented, chosen with ←/→; the
//! report's SoA shows it beside the audit's own verdict.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::Outcome;
use super::form::{self, cycle};
use crate::audit::{Edit, Implementation};
use crate::checklist::ReqRef;
use crate::tui::action::Action;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// The choices, "not declared" first.
const CHOICES: [Option<Implementation>; 5] = [
    None,
    Some(Implementation::Implemented),
    Some(Implementation::PartlyImplemented),
    Some(Implementation::Planned),
    Some(Implementation::NotImplemented),
];

pub struct DeclareForm {
    pub req: ReqRef,
    pub declared: Option<Implementation>,
    original: Option<Implementation>,
}

impl DeclareForm {
    pub fn new(req: ReqRef, declared: Option<Implementation>) -> DeclareForm {
        DeclareForm {
            req,
            declared,
            original: declared,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.declared != self.original
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => form::close(self.is_dirty()),
            Action::Submit => form::save(
                model,
                Ok(Edit::SetImplementation {
                    req: self.req.clone(),
                    implementation: self.declared,
                }),
            ),
            Action::ChoicePrev | Action::ChoiceNext => {
                let forward = action == Action::ChoiceNext;
                self.declared = cycle(&CHOICES, self.declared, forward);
                Outcome::stay()
            }
            _ => Outcome::stay(),
        }
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = form::form_rect(area, 4);
        let [choice, help] = form::frame_form(
            frame,
            rect,
            &format!(
                " Declared implementation of {} (the auditee's SoA) ",
                self.req
            ),
            [Constraint::Length(1), Constraint::Length(1)],
        );
        let words = CHOICES.iter().map(|c| {
            let word = match c {
                None => "none",
                Some(Implementation::Implemented) => "implemented",
                Some(Implementation::PartlyImplemented) => "partly",
                Some(Implementation::Planned) => "planned",
                Some(Implementation::NotImplemented) => "not implemented",
            };
            (word, *c == self.declared)
        });
        form::labelled_choice(frame, "Declared ←/→", words, top, theme, choice, 14);
        form::hint(frame, theme, help);
    }
}
