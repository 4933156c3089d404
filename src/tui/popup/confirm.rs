//! A yes/no question: discard a form's text, apply an edit (a removal),
//! save a form's edit with what it asked for (an NC that sets its
//! requirement nonconforming), or quit with changes unsaved.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Next, Outcome, Popup};
use crate::audit::{Edit, Family, FindingId, Verdict};
use crate::checklist::ReqRef;
use crate::text::shown;
use crate::tui::action::Action;
use crate::tui::keymap;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::view::centered;

/// What a yes/no question does on yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnYes {
    /// Discard the form under the question.
    DiscardForm,
    Apply(Box<Edit>),
    /// Apply the edit of the form under the question, and close the form;
    /// when it is refused the form stays with its text.
    SaveForm(Box<Edit>),
    /// Quit although some changes could not be saved.
    Quit,
}

pub struct Confirm {
    pub question: String,
    pub on_yes: OnYes,
}

impl Confirm {
    /// Asked on Esc in a form that holds typed text.
    pub fn discard() -> Popup {
        Popup::Confirm(Confirm {
            question: "Discard what you typed?".into(),
            on_yes: OnYes::DiscardForm,
        })
    }

    /// Asked when a form's NC would stand on requirements marked
    /// conforming or not applicable (`editing`: the finding regraded into an
    /// NC or given further requirements, if not a new one); yes applies
    /// `edit`, which sets them nonconforming.
    pub fn set_nonconforming(
        marked: &[(ReqRef, Verdict)],
        editing: Option<FindingId>,
        edit: Edit,
    ) -> Popup {
        let ids: Vec<&str> = marked.iter().map(|(r, _)| r.id.as_str()).collect();
        let (what, it) = match marked {
            [(_, verdict)] => (format!("is marked {}", verdict.words()), "it"),
            _ => (
                "are marked conforming or not applicable".to_string(),
                "them",
            ),
        };
        let then = match editing {
            Some(id) if id.family == Family::Nc => format!("raise {id} on {it} too"),
            Some(id) => format!("make {id} an NC"),
            None => "raise the NC".into(),
        };
        Popup::Confirm(Confirm {
            question: shown(&format!(
                "{} {what}: set {it} nonconforming and {then}?",
                ids.join(", ")
            ))
            .into_owned(),
            on_yes: OnYes::SaveForm(Box::new(edit)),
        })
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::No => Outcome::next(Next::Close),
            Action::Yes => {
                let mut effects = Vec::new();
                match &self.on_yes {
                    OnYes::DiscardForm => {
                        // The form is underneath this question.
                        model.popups.pop();
                    }
                    OnYes::Quit => {
                        model.failed.clear();
                        model.quit = true;
                    }
                    OnYes::SaveForm(edit) => {
                        if let Ok(saved) = crate::tui::update::commit(model, (**edit).clone()) {
                            // The form is underneath this question.
                            model.popups.pop();
                            effects = saved;
                        }
                    }
                    OnYes::Apply(edit) => {
                        model.item = None;
                        effects =
                            crate::tui::update::commit(model, (**edit).clone()).unwrap_or_default();
                    }
                }
                Outcome::next(Next::Close).with(effects)
            }
            _ => Outcome::stay(),
        }
    }

    pub fn draw(&self, theme: Theme, frame: &mut Frame, area: Rect) {
        let width = (self.question.chars().count() as u16 + 6).max(30);
        let rect = centered(area, width, 4);
        frame.render_widget(Clear, rect);
        let text = vec![
            Line::styled(self.question.clone(), theme.heading()),
            Line::styled(keymap::hint(keymap::Mode::Confirm), theme.dim()),
        ];
        frame.render_widget(Paragraph::new(text).block(Block::bordered()), rect);
    }
}
