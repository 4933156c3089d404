//! The lead auditor's dashboard (`d`): progress per checklist and
//! clause, findings by grade, progress per auditor, and what is not yet
//! assessed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::audit::Grade;
use crate::audit::status::Status;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

pub fn draw(model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
    let status = Status::of(&model.record, &model.catalog);
    let mut lines = vec![Line::styled(
        format!(
            "{}/{} requirements assessed, {} note{}",
            status.requirements_assessed,
            status.requirements_total,
            status.notes_total,
            if status.notes_total == 1 { "" } else { "s" }
        ),
        theme.heading(),
    )];
    let f = &status.findings;
    let mut counts = vec![Span::raw("Findings: ")];
    for (g, short) in [
        (Grade::Major, "major"),
        (Grade::Minor, "minor"),
        (Grade::Observation, "OBS"),
        (Grade::Ofi, "OFI"),
        (Grade::GoodPractice, "GP"),
    ] {
        counts.push(Span::styled(
            format!("{short} {}  ", f.get(g)),
            theme.grade(g),
        ));
    }
    lines.push(Line::from(counts));
    by_auditor(model, theme, &mut lines);
    if model.record.samples() {
        lines.push(Line::raw(format!(
            "This surveillance {}: ◆ in every visit, ● sampled, ○ not audited this time (s on a requirement adds or takes it out)",
            crate::tui::screen::requirements::tree::visit_words(model)
        )));
    }
    for c in &status.checklists {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "{}  {}/{} ({}%)  {}",
                c.id,
                c.coverage.assessed,
                c.coverage.total,
                c.coverage.percent(),
                c.coverage.verdicts()
            ),
            theme.heading(),
        ));
        for s in &c.sections {
            let bar = bar(s.coverage.assessed, s.coverage.total, 16);
            let nc = if s.coverage.nonconforming > 0 {
                format!(" {} NC", s.coverage.nonconforming)
            } else {
                String::new()
            };
            lines.push(Line::from(vec![
                Span::raw(format!("  {:<6}", s.id)),
                Span::styled(bar, theme.ok()),
                Span::raw(format!(
                    " {:>3}/{:<3}",
                    s.coverage.assessed, s.coverage.total
                )),
                Span::styled(nc, theme.error()),
                Span::raw(format!(" {}", s.title)),
            ]));
        }
    }
    lines.push(Line::raw(""));
    if status.unassessed.is_empty() {
        lines.push(Line::styled("Every requirement has a verdict.", theme.ok()));
    } else {
        lines.push(Line::styled(
            format!("Not yet assessed ({})", status.unassessed.len()),
            theme.heading(),
        ));
        let qualify = model.catalog.checklists().len() > 1;
        let ids: Vec<String> = status
            .unassessed
            .iter()
            .map(|r| if qualify { r.to_string() } else { r.id.clone() })
            .collect();
        lines.push(Line::raw(ids.join(", ")));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(" Dashboard — j/k scroll, Esc closes "))
            .wrap(Wrap { trim: false })
            .scroll((model.overlay_scroll, 0)),
        area,
    );
}

/// A bar of `width` cells, `done` of `total` filled.
fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width / total.max(1)).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// Progress per auditor (those the plan gives requirements): name,
/// assessed of theirs, a bar.
fn by_auditor(model: &Model, theme: Theme, lines: &mut Vec<Line<'_>>) {
    let progress = model.record.progress_by_auditor(&model.catalog);
    if progress.is_empty() {
        return;
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Progress per auditor", theme.heading()));
    let width = progress
        .iter()
        .map(|(name, _, _)| crate::text::shown(name).chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    for (name, done, total) in progress {
        let name: String = crate::text::shown(&name).chars().take(width).collect();
        lines.push(Line::from(vec![
            Span::raw(format!("  {name:<width$} ")),
            Span::styled(bar(done, total, 16), theme.ok()),
            Span::raw(format!(" {done:>3}/{total:<3} assessed")),
        ]));
    }
}
