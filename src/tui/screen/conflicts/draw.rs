//! Drawing the conflicts screen: per open conflict its field path, then
//! its values numbered 1, 2, … with who set each and when. The selected
//! value is highlighted; the title says how many are open.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::selected;
use crate::text::shown;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

pub fn draw(model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
    let conflicts = model.record.conflicts_shown();
    let open = conflicts.len();
    let title = format!(" Merge conflicts — {open} open; 1–9 or Enter takes a value ",);
    let block = Block::bordered().title(title);
    if conflicts.is_empty() {
        let text = vec![
            Line::styled("No conflict is open.", theme.ok()),
            Line::styled(
                "A merge that finds a field changed on both sides to different values lists it here.",
                theme.dim(),
            ),
        ];
        frame.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let chosen = selected(model);
    let mut items = Vec::new();
    let mut at = 0;
    for (ci, (path, conflict)) in conflicts.iter().enumerate() {
        items.push(ListItem::new(Line::styled(
            shown(path).into_owned(),
            theme.error(),
        )));
        for (vi, v) in conflict.values.iter().enumerate() {
            if chosen == Some((ci, vi)) {
                at = items.len();
            }
            items.push(ListItem::new(Line::from(vec![
                Span::styled(format!("  {}  ", vi + 1), theme.heading()),
                Span::raw(shown(&v.value).into_owned()),
                Span::styled(
                    format!("  — {}, {}", shown(&v.by), v.at.format("%Y-%m-%d %H:%M")),
                    theme.dim(),
                ),
            ])));
        }
    }
    let mut state = ListState::default().with_selected(Some(at));
    let list = List::new(items)
        .block(block)
        .highlight_style(theme.selected())
        // Enter acts on the selected row: marked so it shows without colour.
        .highlight_symbol("▸ ");
    frame.render_stateful_widget(list, area, &mut state);
}
