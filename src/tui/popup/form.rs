//! What the forms share: a text field, moving the focus and choosing with
//! ←/→, saving a form as an edit, closing it without losing typed text, and
//! drawing labelled rows.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui_textarea::{TextArea, WrapMode};

use super::{Next, Outcome};
use crate::audit::Edit;
use crate::tui::keymap;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::view::centered;

/// A text field, single- or multi-line, backed by ratatui-textarea.
pub struct TextField {
    pub label: &'static str,
    pub area: TextArea<'static>,
    pub multiline: bool,
    /// The text it started with, to know whether Esc would lose anything.
    original: String,
}

impl TextField {
    pub fn new(label: &'static str, text: &str, multiline: bool) -> TextField {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.lines().map(str::to_string).collect()
        };
        let mut area = TextArea::new(lines);
        // A note or statement wraps at word boundaries as it is typed, so it
        // can be proofread whole; ↑/↓ move by screen line.
        if multiline {
            area.set_wrap_mode(WrapMode::WordOrGlyph);
        }
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        TextField {
            label,
            area,
            multiline,
            original: text.trim().to_string(),
        }
    }

    /// Whether the text differs from what the field started with.
    pub fn is_changed(&self) -> bool {
        self.text() != self.original
    }

    /// A field that shows `•` for every character typed (a password).
    pub fn masked(label: &'static str) -> TextField {
        let mut field = TextField::new(label, "", false);
        field.area.set_mask_char('•');
        field
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n").trim().to_string()
    }
}

/// The item after (or before) `current` in `all`, wrapping round.
pub fn cycle<T: PartialEq + Copy>(all: &[T], current: T, forward: bool) -> T {
    let n = all.len();
    let at = all.iter().position(|x| *x == current).unwrap_or(0);
    all[if forward {
        (at + 1) % n
    } else {
        (at + n - 1) % n
    }]
}

/// Esc on a form: close it, or first ask when typed text would be lost.
pub fn close(dirty: bool) -> Outcome {
    if dirty {
        Outcome::next(Next::Open(super::confirm::Confirm::discard()))
    } else {
        Outcome::next(Next::Close)
    }
}

/// Ctrl-S on a form: commit its edit and close it; when the edit is refused
/// (the reason is in the status line), the form stays open with the text.
pub fn save(model: &mut Model, edit: Result<Edit, String>) -> Outcome {
    let edit = match edit {
        Ok(edit) => edit,
        Err(message) => {
            model.message = Some(message);
            return Outcome::stay();
        }
    };
    match crate::tui::update::commit(model, edit) {
        Ok(effects) => Outcome {
            next: Next::Close,
            effects,
        },
        Err(_) => Outcome::stay(),
    }
}

/// A form's box, as wide as fits (up to 100 columns), `height` high.
pub fn form_rect(area: Rect, height: u16) -> Rect {
    centered(
        area,
        area.width.saturating_sub(4).min(100),
        height.min(area.height),
    )
}

/// Clear `rect`, draw a bordered box titled `title`, and split its inside
/// into `rows`.
pub fn frame_form<const N: usize>(
    frame: &mut Frame,
    rect: Rect,
    title: &str,
    rows: [Constraint; N],
) -> [Rect; N] {
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(title.to_string());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    Layout::vertical(rows).areas(inner)
}

/// A text field in a box of its own, titled with its label.
pub fn field(frame: &mut Frame, f: &TextField, focused: bool, theme: Theme, area: Rect) {
    let style = if focused {
        theme.heading()
    } else {
        theme.dim()
    };
    let block = Block::bordered().title(Span::styled(format!(" {} ", f.label), style));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    text(frame, f, focused, inner);
}

/// The text of a field. The focused one is drawn as it is, so that it
/// learns its width (ratatui-textarea keeps the wrap width and scroll
/// position in the widget, for moving by screen line); the others without
/// a cursor.
fn text(frame: &mut Frame, f: &TextField, focused: bool, area: Rect) {
    if focused {
        frame.render_widget(&f.area, area);
    } else {
        let mut shown = f.area.clone();
        shown.set_cursor_style(ratatui::style::Style::new());
        frame.render_widget(&shown, area);
    }
}

/// The forms' key hint, at the bottom of the box.
pub fn hint(frame: &mut Frame, theme: Theme, area: Rect) {
    frame.render_widget(
        Paragraph::new(Span::styled(keymap::hint(keymap::Mode::Form), theme.dim())),
        area,
    );
}

/// A form row's label; returns the room left for its value.
fn label(
    frame: &mut Frame,
    text: &'static str,
    focused: bool,
    theme: Theme,
    line: Rect,
    width: u16,
) -> Rect {
    let [label, value] =
        Layout::horizontal([Constraint::Length(width), Constraint::Min(1)]).areas(line);
    let style = if focused {
        theme.selected()
    } else {
        theme.heading()
    };
    frame.render_widget(Paragraph::new(Span::styled(text, style)), label);
    value
}

/// One row of a form: a label, then the single-line field.
pub fn labelled_field(
    frame: &mut Frame,
    field: &TextField,
    focused: bool,
    theme: Theme,
    line: Rect,
    label_width: u16,
) {
    let value = label(frame, field.label, focused, theme, line, label_width);
    text(frame, field, focused, value);
}

/// One row of a form: a label, then words of which one is chosen (←/→).
/// When they do not all fit, the row shows a run of them that holds the
/// chosen one, an ellipsis where words are left out.
pub fn labelled_choice<'a>(
    frame: &mut Frame,
    label_text: &'static str,
    words: impl Iterator<Item = (&'a str, bool)>,
    focused: bool,
    theme: Theme,
    line: Rect,
    label_width: u16,
) {
    let value = label(frame, label_text, focused, theme, line, label_width);
    let words: Vec<(String, bool)> = words
        .map(|(word, chosen)| {
            let shown = if chosen {
                format!("[{word}]")
            } else {
                format!(" {word} ")
            };
            (shown, chosen)
        })
        .collect();
    let widths: Vec<usize> = words.iter().map(|(w, _)| w.chars().count()).collect();
    let (from, to) = window(
        &widths,
        words.iter().position(|(_, c)| *c),
        value.width.into(),
    );
    let mut spans = Vec::new();
    if from > 0 {
        spans.push(Span::styled("…", theme.dim()));
    }
    for (word, chosen) in &words[from..to] {
        let style = if *chosen {
            theme.heading()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(word.clone(), style));
    }
    if to < words.len() {
        spans.push(Span::styled("…", theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), value);
}

/// The run `from..to` of words (of these widths) shown in `room` columns:
/// from the first, unless the chosen one would not fit, and then from the
/// earliest start that holds it; a column is kept for each ellipsis.
fn window(widths: &[usize], chosen: Option<usize>, room: usize) -> (usize, usize) {
    if widths.is_empty() {
        return (0, 0);
    }
    let chosen = chosen.unwrap_or(0).min(widths.len().saturating_sub(1));
    let fits = |from: usize, to: usize| {
        let ellipses = usize::from(from > 0) + usize::from(to < widths.len());
        widths[from..to].iter().sum::<usize>() + ellipses <= room
    };
    let from = (0..=chosen)
        .find(|&from| fits(from, chosen + 1))
        .unwrap_or(chosen);
    let mut to = chosen + 1;
    while to < widths.len() && fits(from, to + 1) {
        to += 1;
    }
    (from, to.min(widths.len()))
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn a_choice_row_too_narrow_for_every_word_keeps_the_chosen_one_in_view() {
        let widths = [9, 9, 16, 16, 17, 14];
        assert_eq!(window(&widths, Some(1), 200), (0, 6), "all fit");
        assert_eq!(window(&widths, Some(1), 50), (0, 3), "the start, then …");
        let (from, to) = window(&widths, Some(4), 50);
        assert!(from <= 4 && 4 < to, "{from}..{to}");
        assert_eq!(window(&widths, Some(5), 20), (5, 6));
        assert_eq!(window(&[], None, 10), (0, 0));
    }
}
