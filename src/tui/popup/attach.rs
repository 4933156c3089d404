//! Attaching a file the auditor collected (a photo, a screenshot, a file
//! the auditee emailed): its path, with Tab completing it from the folder's
//! listing, and an optional caption. The listing and the copying are I/O:
//! the form asks the run loop for them ([`Effect::ListFolder`],
//! [`Effect::Attach`]) and gets the answers as messages.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui_textarea::{Input, Key};

use super::form::{self, TextField};
use super::{Next, Outcome, Popup};
use crate::audit::LinkTarget;
use crate::text::shown;
use crate::tui::action::Action;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::update::Effect;

/// Which field has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachField {
    Path,
    Caption,
}

pub struct AttachForm {
    pub target: LinkTarget,
    pub path: TextField,
    pub caption: TextField,
    pub focus: AttachField,
}

impl AttachForm {
    pub fn new(target: LinkTarget) -> AttachForm {
        AttachForm {
            target,
            path: TextField::new("File to attach (Tab completes)", "", false),
            caption: TextField::new("Caption (optional)", "", false),
            focus: AttachField::Path,
        }
    }

    pub fn mode(&self) -> crate::tui::keymap::Mode {
        match self.focus {
            AttachField::Path => crate::tui::keymap::Mode::AttachPath,
            AttachField::Caption => crate::tui::keymap::Mode::Form,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.path.is_changed() || self.caption.is_changed()
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => form::close(self.is_dirty()),
            Action::Submit => self.submit(model),
            // Tab on the path completes it; Shift-Tab moves on.
            Action::CompletePath => Outcome::stay().with(vec![Effect::ListFolder {
                typed: self.path.text(),
            }]),
            Action::NextField | Action::PrevField => {
                self.focus = match self.focus {
                    AttachField::Path => AttachField::Caption,
                    AttachField::Caption => AttachField::Path,
                };
                Outcome::stay()
            }
            _ => Outcome::stay(),
        }
    }

    fn submit(&mut self, model: &mut Model) -> Outcome {
        let file = self.path.text();
        if file.is_empty() {
            model.message = Some("type the path of the file to attach".into());
            return Outcome::stay();
        }
        let caption = Some(self.caption.text()).filter(|c| !c.is_empty());
        model.message = Some(format!("copying {} beside the record…", shown(&file)));
        Outcome::next(Next::Close).with(vec![Effect::Attach {
            file: file.into(),
            target: self.target.clone(),
            caption,
        }])
    }

    /// Enter attaches (both fields are one line).
    pub fn typed(&mut self, model: &mut Model, input: Input) -> Outcome {
        if input.key == Key::Enter {
            return self.submit(model);
        }
        match self.focus {
            AttachField::Path => self.path.area.input(input),
            AttachField::Caption => self.caption.area.input(input),
        };
        Outcome::stay()
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = form::form_rect(area, 10);
        let [path, caption, help] = form::frame_form(
            frame,
            rect,
            &format!(" Attach a collected file to {} ", self.target),
            [
                Constraint::Length(3),
                Constraint::Length(3),
                Constraint::Length(1),
            ],
        );
        let focused = |f: AttachField| top && self.focus == f;
        form::field(frame, &self.path, focused(AttachField::Path), theme, path);
        form::field(
            frame,
            &self.caption,
            focused(AttachField::Caption),
            theme,
            caption,
        );
        frame.render_widget(
            ratatui::widgets::Paragraph::new(ratatui::text::Span::styled(
                crate::tui::keymap::hint(self.mode()),
                theme.dim(),
            )),
            help,
        );
    }
}

/// `typed` completed over `names` (the entries of the folder `typed` points
/// into; folders end in `/`): the longest common continuation, and the
/// candidates when there are several. `None` when nothing matches.
pub fn complete(typed: &str, names: &[String]) -> Option<(String, Vec<String>)> {
    let (folder, prefix) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    let candidates: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with(prefix) && (!n.starts_with('.') || prefix.starts_with('.')))
        .collect();
    let first = candidates.first()?;
    let mut common = first.len();
    for c in &candidates[1..] {
        common = common.min(
            first
                .char_indices()
                .zip(c.chars())
                .find(|((_, a), b)| a != b)
                .map_or(first.len().min(c.len()), |((i, _), _)| i),
        );
    }
    let completed = format!("{folder}{}", &first[..common]);
    let shown = candidates.iter().map(|c| c.to_string()).collect();
    Some((completed, shown))
}

/// The run loop listed the folder for a Tab typed on `typed`: complete the
/// path if the form still shows it, and name the candidates when there are
/// several.
pub fn listed(model: &mut Model, typed: &str, result: Result<Vec<String>, String>) -> Vec<Effect> {
    let Some(Popup::Attach(form)) = model.popups.last_mut() else {
        return Vec::new();
    };
    if form.path.text() != typed {
        return Vec::new();
    }
    let names = match result {
        Ok(names) => names,
        Err(why) => {
            model.message = Some(format!("cannot list the folder: {}", shown(&why)));
            return Vec::new();
        }
    };
    match complete(typed, &names) {
        None => model.message = Some(format!("nothing matches {}", shown(typed))),
        Some((completed, candidates)) => {
            if completed != typed {
                form.path = TextField::new(form.path.label, &completed, false);
            }
            model.message = match candidates.len() {
                1 => None,
                n => {
                    let some: Vec<String> = candidates
                        .iter()
                        .take(8)
                        .map(|c| shown(c).into_owned())
                        .collect();
                    let more = if n > 8 {
                        format!(" … ({n} in all)")
                    } else {
                        String::new()
                    };
                    Some(format!("{}{more}", some.join("  ")))
                }
            };
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(all: &[&str]) -> Vec<String> {
        all.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tab_completes_to_the_common_continuation() {
        let listing = names(&["photos/", "photo-1.png", "report.pdf", ".hidden"]);
        let (done, all) = complete("shots/pho", &listing).unwrap();
        assert_eq!(done, "shots/photo");
        assert_eq!(all.len(), 2);
        let (done, all) = complete("r", &listing).unwrap();
        assert_eq!((done.as_str(), all.len()), ("report.pdf", 1));
        assert_eq!(complete("x", &listing), None);
        // Hidden files only when asked for.
        assert_eq!(complete("", &listing).unwrap().1.len(), 3);
        assert_eq!(complete(".", &listing).unwrap().0, ".hidden");
        // Non-ASCII names are cut on character boundaries.
        let (done, _) = complete("é", &names(&["été.png", "étau.png"])).unwrap();
        assert_eq!(done, "ét");
    }
}
