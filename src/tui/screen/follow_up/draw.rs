//! Drawing the follow-up screen: the table of findings above (previous
//! ones under the report they were raised in, then this audit's), the
//! selected one's requirements, statement and plan below. An overdue due
//! date is red and marked `!`, so it shows without colour too.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::{may_raise_again, selected_index};
use crate::audit::{FollowUp, Grade};
use crate::text::{clipped, shown};
use crate::tui::model::Model;
use crate::tui::theme::Theme;

/// Columns besides the state: the mark, id, grade, due date and verdict,
/// with the spaces between them.
const ID: usize = 7;
const GRADE: usize = 5;
const DUE: usize = 23;
const VERDICT: usize = 13;
const FIXED: usize = 1 + 1 + ID + 1 + GRADE + 1 + 1 + DUE + 1 + VERDICT;

pub fn draw(model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
    let rows = model.record.follow_ups(model.clock.date_naive());
    // The table as tall as its rows (findings, group headings, column
    // heading and borders), up to three fifths; the detail takes the rest.
    let groups = 1 + rows
        .windows(2)
        .filter(|w| w[0].raised_in != w[1].raised_in)
        .count();
    let wanted = u16::try_from(rows.len() + groups + 3).unwrap_or(u16::MAX);
    let height = wanted.clamp(5, (area.height / 5 * 3).max(5));
    let [top, bottom] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(area);
    table(model, &rows, theme, frame, top);
    let at = selected_index(model, rows.len());
    detail(model, rows.get(at), theme, frame, bottom);
}

/// The grade as the table's narrow column says it.
fn grade_word(grade: Grade) -> &'static str {
    match grade {
        Grade::Major => "major",
        Grade::Minor => "minor",
        Grade::AreaOfConcern => "AOC",
        Grade::Observation => "OBS",
        Grade::Ofi => "OFI",
        Grade::GoodPractice => "GP",
    }
}

fn table(model: &Model, rows: &[FollowUp], theme: Theme, frame: &mut Frame, area: Rect) {
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let title = if overdue > 0 {
        format!(" Follow-up of NCs and areas of concern — {overdue} overdue (!) ")
    } else {
        " Follow-up of NCs and areas of concern ".to_string()
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw("No nonconformity or area of concern to follow up."),
                Line::styled(
                    "Those raised here, and those carried from the previous report, are listed here.",
                    theme.dim(),
                ),
            ])
            .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let state_width = usize::from(inner.width).saturating_sub(FIXED).max(8);
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(
                "  {:<ID$} {:<GRADE$} {:<state_width$} {:<DUE$} {}",
                "ID", "Grade", "State", "Due", "This audit"
            ),
            theme.heading(),
        )),
        head,
    );
    let at = selected_index(model, rows.len());
    let mut items = Vec::new();
    let mut selected_item = 0;
    let mut group: Option<Option<&str>> = None;
    for (i, row) in rows.iter().enumerate() {
        if group != Some(row.raised_in) {
            group = Some(row.raised_in);
            let heading = match row.raised_in {
                Some(report) => format!("Previous, raised in {}", shown(report)),
                None => "This audit".to_string(),
            };
            items.push(ListItem::new(Line::styled(
                clipped(&heading, usize::from(inner.width)),
                theme.dim(),
            )));
        }
        if i == at {
            selected_item = items.len();
        }
        items.push(ListItem::new(line(row, state_width, theme)));
    }
    let mut state = ListState::default().with_selected(Some(selected_item));
    let list_widget = List::new(items).highlight_style(theme.selected());
    frame.render_stateful_widget(list_widget, list, &mut state);
}

/// One finding's row: mark, id, grade, state, due date, verdict.
fn line<'a>(row: &FollowUp, state_width: usize, theme: Theme) -> Line<'a> {
    let grade = row.finding.grade;
    let due = row
        .due
        .map(|(kind, date)| format!("{} {date}", kind.words()))
        .unwrap_or_default();
    let verdict = match (row.verdict_here, row.raised_in) {
        (Some(outcome), _) => outcome.as_str().replace('-', " "),
        (None, Some(_)) if row.state.is_open() => "none yet".to_string(),
        (None, _) => String::new(),
    };
    let (mark, due_style) = if row.overdue {
        (Span::styled("!", theme.error()), theme.error())
    } else {
        (Span::raw(" "), ratatui::style::Style::new())
    };
    Line::from(vec![
        mark,
        Span::raw(" "),
        Span::styled(format!("{:<ID$} ", row.finding.id), theme.grade(grade)),
        Span::styled(
            format!("{:<GRADE$} ", grade_word(grade)),
            theme.grade(grade),
        ),
        Span::raw(format!(
            "{:<state_width$} ",
            clipped(&row.state.words(), state_width)
        )),
        Span::styled(format!("{due:<DUE$} "), due_style),
        Span::styled(verdict, theme.dim()),
    ])
}

/// The selected finding: where and when it was raised, its requirements,
/// statement, plan and what fieldaudit proposes.
fn detail(model: &Model, row: Option<&FollowUp>, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(row) = row else {
        frame.render_widget(Block::bordered(), area);
        return;
    };
    let f = row.finding;
    let mut lines = Vec::new();
    let raised_in = row
        .raised_in
        .map(|r| format!(" in {}", shown(r)))
        .unwrap_or_default();
    lines.push(Line::styled(
        format!(
            "{} {} · raised {}{raised_in} by {}",
            f.id,
            f.grade.label(),
            f.raised_at.format("%Y-%m-%d"),
            shown(&f.raised_by)
        ),
        theme.heading(),
    ));
    if model.record.proposes_major(f.id) {
        lines.push(Line::styled(
            "fieldaudit proposes raising it as major: a minor NC verified not effective. M raises it again; you decide.",
            theme.error(),
        ));
    } else if may_raise_again(model, f.id) {
        lines.push(Line::styled(
            "Not resolved: M raises it as a nonconformity, if you so decide.",
            theme.error(),
        ));
    }
    let mut state = vec![Span::raw(format!("State: {}", row.state.words()))];
    if let Some((kind, date)) = row.due {
        state.push(Span::raw(format!("; {} {date}", kind.words())));
    }
    if row.overdue {
        state.push(Span::styled(" ! overdue", theme.error()));
    }
    lines.push(Line::from(state));
    let qualify = model.catalog.checklists().len() > 1;
    for r in &f.requirements {
        let title = model
            .catalog
            .get(r)
            .map_or("(not in this audit's criteria)", |(_, req)| {
                req.title.as_str()
            });
        let id = if qualify { r.to_string() } else { r.id.clone() };
        lines.push(Line::raw(format!("Requirement {} {}", shown(&id), title)));
    }
    lines.push(Line::raw(format!("Statement: {}", shown(&f.statement))));
    let life = model.record.lifecycle(f.id);
    if let Some(plan) = &life.response {
        let owner = plan
            .owner
            .as_deref()
            .map(|o| format!(", owner {}", shown(o)))
            .unwrap_or_default();
        lines.push(Line::raw(format!(
            "Plan: {} (planned {}{owner})",
            shown(&plan.corrective_action),
            plan.planned_date
        )));
    }
    lines.push(Line::styled("Enter shows its whole history.", theme.dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" {} ", f.id)))
            .wrap(Wrap { trim: false })
            .scroll((model.detail_scroll, 0)),
        area,
    );
}
