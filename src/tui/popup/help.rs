//! The help screen (`?`, or `F1` where `?` is text), drawn from the keymap
//! table: the keys of the screen or popup it was opened from first, then
//! the rest.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::keymap::{self, Mode};
use crate::tui::theme::Theme;

/// The sections of help, in their usual order.
const SECTIONS: [(Mode, &str); 11] = [
    (Mode::Main, "Requirements screen"),
    (Mode::Evidence, "Evidence screen"),
    (Mode::FollowUp, "Follow-up screen"),
    (Mode::Plan, "Plan screen"),
    (Mode::Conflicts, "Conflicts screen"),
    (Mode::Form, "Forms (note, finding, justification, details)"),
    (Mode::Finder, "Finder"),
    (Mode::SignOff, "Sign-off form"),
    (Mode::Busy, "Packing"),
    (Mode::Confirm, "Questions"),
    (Mode::Overlay, "Help, dashboard, notices"),
];

/// Columns narrower than this are not worth splitting the help into.
const MIN_COLUMN: u16 = 40;

/// The help's lines: the section of `from` first, marked as where you are.
pub fn lines(from: Mode, theme: Theme) -> Vec<Line<'static>> {
    let here = from.base();
    let first = SECTIONS.iter().filter(|(mode, _)| *mode == here);
    let rest = SECTIONS.iter().filter(|(mode, _)| *mode != here);
    let mut lines = Vec::new();
    for (mode, title) in first.chain(rest) {
        let title = if *mode == here {
            format!("{title} (here)")
        } else {
            (*title).to_string()
        };
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(title, theme.heading()));
        for b in keymap::help_section(*mode) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<10} ", b.keys), theme.heading()),
                Span::raw(b.help),
            ]));
        }
    }
    lines
}

pub fn draw(from: Mode, scroll: u16, theme: Theme, frame: &mut Frame, area: Rect) {
    let lines = lines(from, theme);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Help — Esc closes, j/k scroll — every change is saved the moment you make it ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Flow the lines into as many columns as the height needs and the width
    // allows; what still does not fit scrolls.
    let height = usize::from(inner.height.max(1));
    let fit = usize::from((inner.width / MIN_COLUMN).max(1));
    let columns = lines.len().div_ceil(height).clamp(1, fit);
    let per_column = lines.len().div_ceil(columns).max(1);
    let constraints = vec![Constraint::Ratio(1, columns as u32); columns];
    let areas = Layout::horizontal(constraints).split(inner);
    for (column, chunk) in areas.iter().zip(lines.chunks(per_column)) {
        frame.render_widget(Paragraph::new(chunk.to_vec()).scroll((scroll, 0)), *column);
    }
}
