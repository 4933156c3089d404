//! The evidence screen: the bundle's files (left) and a preview (right).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::{EvidenceView, LinkState};
use crate::evidence::human_size;
use crate::evidence::preview::{CONTINUATION, wrap_text};
use crate::tui::model::Model;
use crate::tui::theme::Theme;

pub fn draw(model: &Model, view: &EvidenceView, theme: Theme, frame: &mut Frame, area: Rect) {
    let width = (area.width * 2 / 5).clamp(30, 60);
    let [left, right] =
        Layout::horizontal([Constraint::Length(width), Constraint::Min(20)]).areas(area);
    // Files already cited for the current requirement get a mark.
    let cited: Vec<&str> = model
        .current()
        .and_then(|r| model.record.assessment(r))
        .map(|a| a.evidence.iter().map(|l| l.path.as_str()).collect())
        .unwrap_or_default();
    // The bundle as a tree: a line per folder, files indented under it.
    let mut items: Vec<ListItem> = Vec::new();
    let mut selected_row = 0;
    let mut folder: Option<&str> = None;
    for (i, e) in view.listing.entries.iter().enumerate() {
        let (dir, name) = match e.path.rsplit_once('/') {
            Some((dir, name)) => (Some(dir), name),
            None => (None, e.path.as_str()),
        };
        if dir != folder {
            let header = dir.map_or_else(|| "./".to_string(), |d| format!("{d}/"));
            items.push(ListItem::new(Line::styled(header, theme.heading())));
            folder = dir;
        }
        if i == view.cursor {
            selected_row = items.len();
        }
        let indent = "  ";
        let mark = if cited.contains(&e.path.as_str()) {
            "●"
        } else {
            " "
        };
        items.push(ListItem::new(Line::from(vec![
            Span::styled(format!("{indent}{mark} "), theme.ok()),
            Span::raw(name.to_string()),
            Span::styled(format!("  {}", human_size(e.size)), theme.dim()),
        ])));
    }
    for problem in &view.listing.problems {
        items.push(ListItem::new(Line::styled(
            format!("⚠ {} — {}", problem.path, problem.reason),
            theme.error(),
        )));
    }
    let title = format!(
        " Evidence: {} files{} ",
        view.listing.entries.len(),
        if view.listing.problems.is_empty() {
            String::new()
        } else {
            format!(", {} not readable", view.listing.problems.len())
        }
    );
    let mut state = ListState::default().with_selected(Some(selected_row));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::bordered().title(title))
            .highlight_style(theme.selected()),
        left,
        &mut state,
    );

    let mut lines: Vec<Line> = Vec::new();
    let title = match view.selected() {
        Some(entry) => {
            let sha = match view.hashes.get(&entry.path) {
                Some(Ok(sha)) => format!("sha256 {}…", &sha[..16.min(sha.len())]),
                Some(Err(e)) => format!("not hashed: {e}"),
                None => "hashing…".into(),
            };
            lines.push(Line::styled(
                format!(
                    "{} · {} · {sha}",
                    entry.kind.label(),
                    human_size(entry.size)
                ),
                theme.dim(),
            ));
            match &view.preview {
                Some((path, Ok(preview))) if *path == entry.path => {
                    if let Some(note) = &preview.note {
                        lines.push(Line::styled(note.clone(), theme.dim()));
                    }
                    // The file's own lines; only one wider than the pane wraps, marked.
                    let width = usize::from(right.width.saturating_sub(2));
                    lines.extend(wrap_text(&preview.text, width).into_iter().map(|l| {
                        let mark = if l.continued { CONTINUATION } else { "" };
                        Line::from(vec![
                            Span::styled(mark, theme.dim()),
                            Span::raw(l.text.into_owned()),
                        ])
                    }));
                    if preview.truncated {
                        lines.push(Line::styled("… (preview cut here)", theme.dim()));
                    }
                }
                Some((path, Err(e))) if *path == entry.path => {
                    lines.push(Line::styled(format!("no preview: {e}"), theme.error()));
                }
                _ => lines.push(Line::styled("reading…", theme.dim())),
            }
            format!(" {} ", entry.path)
        }
        None => {
            lines.push(Line::raw("The bundle has no readable files."));
            " Preview ".into()
        }
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(title))
            .wrap(Wrap { trim: false })
            .scroll((view.preview_scroll, 0)),
        right,
    );
}

/// The badge a cited file gets in the requirement detail.
pub fn link_badge(state: LinkState) -> &'static str {
    match state {
        LinkState::Unchanged => "✓",
        LinkState::Changed => "⚠ CHANGED",
        LinkState::Missing => "⚠ MISSING",
        LinkState::Unknown => "…",
    }
}
