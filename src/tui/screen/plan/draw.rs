//! Drawing the plan screen: a heading per day, then two lines per session
//! (number, time, on site or remote, a not-held mark, topic, how many
//! requirements; then auditors and participants; then why it was not held). The session under way
//! is green and marked `▶ now`, so it shows without colour too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::{now, selected_index};
use crate::audit::plan::Session;
use crate::text::shown;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

pub fn draw(model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
    let sessions = model.record.sessions();
    let current = now(model).map(|(n, _)| n);
    let title = match current {
        Some(n) => format!(" Audit plan — session {n} under way (▶ now) "),
        None => " Audit plan — no session under way now ".to_string(),
    };
    let block = Block::bordered().title(title);
    if sessions.is_empty() {
        let text = vec![
            Line::raw("The plan has no session yet."),
            Line::styled(
                "fieldaudit plan add AUDIT.ron … adds one (see fieldaudit plan --help).",
                theme.dim(),
            ),
        ];
        frame.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let mut items = Vec::new();
    let mut selected = 0;
    let mut day = None;
    for (i, s) in sessions.iter().enumerate() {
        if day != Some(s.day) {
            day = Some(s.day);
            items.push(ListItem::new(Line::styled(
                s.day.format("%A %-d %B %Y").to_string(),
                theme.heading(),
            )));
        }
        if i == selected_index(model) {
            selected = items.len();
        }
        let is_now = current == Some(i + 1);
        items.push(ListItem::new(session_lines(i + 1, s, is_now, theme)));
    }
    let mut state = ListState::default().with_selected(Some(selected));
    let list = List::new(items)
        .block(block)
        .highlight_style(theme.selected())
        // Enter acts on the selected row: marked so it shows without colour.
        .highlight_symbol("▸ ");
    frame.render_stateful_widget(list, area, &mut state);
}

/// A name list for one line ("—" when empty).
fn names(list: &[String]) -> String {
    if list.is_empty() {
        "—".into()
    } else {
        shown(&list.join(", ")).into_owned()
    }
}

fn session_lines(number: usize, s: &Session, is_now: bool, theme: Theme) -> Vec<Line<'static>> {
    let mark = if is_now { "▶ now " } else { "      " };
    let style = if is_now {
        theme.ok().add_modifier(ratatui::style::Modifier::BOLD)
    } else {
        ratatui::style::Style::new()
    };
    let place = match (s.remote, &s.site) {
        (true, _) => "remote".to_string(),
        (false, Some(site)) => format!("on site: {}", shown(site)),
        (false, None) => "on site".to_string(),
    };
    let count = s.requirements.len();
    let first = vec![
        Span::styled(
            format!(
                "{mark}{number:>2}  {}–{}  {place}  ",
                s.start.format("%H:%M"),
                s.end.format("%H:%M"),
            ),
            style,
        ),
        Span::styled(
            if s.not_held.is_some() {
                "✗ NOT HELD  "
            } else {
                ""
            },
            theme.error(),
        ),
        Span::styled(shown(&s.topic).into_owned(), style),
        Span::styled(
            format!(
                "  ({count} requirement{})",
                if count == 1 { "" } else { "s" }
            ),
            theme.dim(),
        ),
    ];
    let second = Line::from(vec![
        Span::raw("          auditors: "),
        Span::raw(names(&s.auditors)),
        Span::styled("  with: ", theme.dim()),
        Span::raw(names(&s.participants)),
    ]);
    let mut lines = vec![Line::from(first), second];
    if let Some(why) = &s.not_held {
        lines.push(Line::styled(
            format!("          not held: {}", shown(why)),
            theme.error(),
        ));
    }
    lines
}
