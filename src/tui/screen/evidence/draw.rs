//! The evidence screen: the bundle's files (left) and a preview (right).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use ratatui::style::{Modifier, Style};

use super::pane::{self, Focus, Pane, matches};
use super::{EvidenceView, LinkState};
use crate::evidence::human_size;
use crate::evidence::preview::{
    CONTINUATION, Preview, Table, cut_to_width, display_width, wrap_text,
};
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
    let files_focused = view.pane.focus == Focus::Files;
    frame.render_stateful_widget(
        List::new(items)
            .block(pane_block(title, files_focused, theme))
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
                    let inner = Rect {
                        height: right.height.saturating_sub(2 + lines.len() as u16),
                        width: right.width.saturating_sub(2),
                        ..right
                    };
                    if preview.tables.is_empty() {
                        lines.extend(text_lines(preview, &view.pane, inner, theme));
                    } else {
                        lines.extend(table_lines(preview, &view.pane, inner, theme));
                    }
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
    let mut block = pane_block(title, !files_focused, theme);
    if let Some(status) = view.pane.search_status() {
        block = block.title_bottom(Span::styled(format!(" {status} "), theme.heading()));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        right,
    );
}

/// A pane's border: the focused one says so in its title.
fn pane_block(title: String, focused: bool, theme: Theme) -> Block<'static> {
    if focused {
        Block::bordered().title(Span::styled(format!("▶{title}"), theme.heading()))
    } else {
        Block::bordered().title(Span::styled(title, theme.dim()))
    }
}

/// The query of the preview's search, if one is typed.
fn query(pane: &Pane) -> Option<String> {
    pane.search
        .as_ref()
        .map(|s| s.text())
        .filter(|q| !q.is_empty())
}

/// `text` with the places that match `query` marked (`current`: the hit in
/// view, marked more strongly).
fn marked(text: &str, query: Option<&str>, current: bool, theme: Theme) -> Vec<Span<'static>> {
    let hit = if current {
        theme.selected().add_modifier(Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    };
    let mut spans = Vec::new();
    let mut from = 0;
    for range in query.map_or_else(Vec::new, |q| matches(text, q)) {
        spans.push(Span::raw(text[from..range.start].to_string()));
        spans.push(Span::styled(text[range.clone()].to_string(), hit));
        from = range.end;
    }
    spans.push(Span::raw(text[from..].to_string()));
    spans
}

/// A text preview from its line in view: the file's own lines, and only a
/// line wider than the pane wrapped, marked.
fn text_lines(preview: &Preview, pane: &Pane, area: Rect, theme: Theme) -> Vec<Line<'static>> {
    let query = query(pane);
    let current = pane.current_hit();
    wrap_text(&preview.text, usize::from(area.width))
        .into_iter()
        .skip_while(|l| l.line < pane.at)
        .take(usize::from(area.height))
        .map(|l| {
            let mark = if l.continued { CONTINUATION } else { "" };
            let mut spans = vec![Span::styled(mark, theme.dim())];
            spans.extend(marked(
                &l.text,
                query.as_deref(),
                current == Some(l.line),
                theme,
            ));
            Line::from(spans)
        })
        .collect()
}

/// A table preview: the table of the row in view, its title and header
/// kept at the top, one row a line, the columns that fit from the first
/// one scrolled to.
fn table_lines(preview: &Preview, pane: &Pane, area: Rect, theme: Theme) -> Vec<Line<'static>> {
    let rows = pane::rows(preview);
    let Some(at) = rows.get(pane.at).copied() else {
        let empty = preview.tables.first().map_or("", |t| t.title.as_str());
        return vec![Line::styled(format!("── {empty} ── no rows"), theme.dim())];
    };
    let table = &preview.tables[at.table];
    let width = usize::from(area.width);
    let layout = Table::layout_widths(&table.column_widths(), width, pane.column);
    let shown_columns = match (layout.first(), layout.last()) {
        (Some((first, _)), Some((last, _))) => format!("col {}–{}", first + 1, last + 1),
        _ => String::new(),
    };
    let sheets = if preview.tables.len() > 1 {
        format!(" ({}/{})", at.table + 1, preview.tables.len())
    } else {
        String::new()
    };
    let about = format!(
        " · row {}/{} · {shown_columns}/{} </>",
        at.row + 1,
        table.rows.len(),
        table.columns()
    );
    // The title gives way to the numbers when the pane is narrow.
    let room = width.saturating_sub(display_width(&about) + display_width(&sheets) + 3);
    let title = cut_to_width(&table.title, room.max(4));
    let mut lines = vec![
        Line::styled(format!("── {title}{sheets}{about}"), theme.dim()),
        Line::styled(Table::line(&table.header, &layout), theme.heading()),
    ];
    let room = usize::from(area.height).saturating_sub(lines.len());
    // The rows in view: from the pane's first row, within this table.
    let first_of_table = pane.at - at.row;
    let mut top = pane.top.max(first_of_table);
    // The row under the cursor is always in view, whatever the pane's height
    // was when it moved.
    if pane.at >= top + room.max(1) {
        top = pane.at + 1 - room.max(1);
    }
    let query = query(pane);
    let current = pane.current_hit();
    for (index, r) in rows.iter().enumerate().skip(top).take(room) {
        if r.table != at.table {
            break;
        }
        let text = Table::line(&table.rows[r.row], &layout);
        let mut line = Line::from(marked(
            &text,
            query.as_deref(),
            current == Some(index),
            theme,
        ));
        if index == pane.at && pane.focus == Focus::Preview {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    lines
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
