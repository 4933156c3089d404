//! The help screen (`?`), drawn from the keymap table.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::keymap::{self, Mode};
use crate::tui::theme::Theme;

pub fn draw(theme: Theme, frame: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    for (mode, title) in [
        (Mode::Main, "Main screen"),
        (Mode::Form, "Forms (note, finding, details)"),
        (Mode::Finder, "Finder"),
        (Mode::Confirm, "Questions"),
    ] {
        lines.push(Line::styled(title, theme.heading()));
        for b in keymap::help_rows(mode) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<10}", b.keys), theme.heading()),
                Span::raw(b.help),
            ]));
        }
    }
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Help — Esc closes — every change is saved the moment you make it ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Flow the lines into as many columns as the height needs.
    let height = usize::from(inner.height.max(1));
    let columns = lines.len().div_ceil(height).max(1);
    let constraints = vec![Constraint::Ratio(1, columns as u32); columns];
    let areas = Layout::horizontal(constraints).split(inner);
    for (column, chunk) in areas.iter().zip(lines.chunks(height)) {
        frame.render_widget(Paragraph::new(chunk.to_vec()), *column);
    }
}
