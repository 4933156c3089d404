//! A message that stays until a key closes it (what packing made).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::theme::Theme;
use crate::tui::view::centered;

pub struct Notice {
    pub title: String,
    pub lines: Vec<String>,
}

impl Notice {
    pub fn draw(&self, theme: Theme, frame: &mut Frame, area: Rect) {
        let width = area.width.saturating_sub(8).min(80);
        let wrapped: u16 = self
            .lines
            .iter()
            .map(|l| {
                (l.chars().count() as u16)
                    .div_ceil(width.saturating_sub(2).max(1))
                    .max(1)
            })
            .sum();
        let rect = centered(area, width, wrapped + 4);
        frame.render_widget(Clear, rect);
        let mut lines: Vec<Line> = self.lines.iter().map(|l| Line::raw(l.clone())).collect();
        lines.push(Line::styled("Esc closes", theme.dim()));
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(Block::bordered().title(Span::styled(self.title.clone(), theme.ok()))),
            rect,
        );
    }
}
