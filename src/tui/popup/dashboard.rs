//! The lead auditor's dashboard (`d`): progress per checklist and
//! clause, findings by grade, and what is not yet assessed.

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
            let width = 16usize;
            let filled = s.coverage.assessed * width / s.coverage.total.max(1);
            let bar = format!("{}{}", "█".repeat(filled), "░".repeat(width - filled));
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
