//! The current requirement: questions, evidence hints, verdict, notes and findings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::audit::{Edited, Family, Timestamp};
use crate::text::shown;
use crate::tui::model::{Item, Model, Row};
use crate::tui::theme::{Theme, badge};

pub fn draw(model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    let title = match model.rows.get(model.cursor) {
        Some(Row::Requirement(r)) => {
            requirement(model, theme, r, &mut lines);
            format!(" {r} ")
        }
        Some(Row::Section(ci, si)) => {
            let s = &model.catalog.checklists()[*ci].sections[*si];
            lines.push(Line::styled(
                format!("{} {}", s.id, s.title),
                theme.heading(),
            ));
            if let Some(objective) = &s.objective {
                lines.push(Line::raw(objective.clone()));
            }
            lines.push(Line::styled(
                "→/l unfolds, ←/h folds, j/k moves",
                theme.dim(),
            ));
            " Section ".into()
        }
        Some(Row::Checklist(ci)) => {
            let c = &model.catalog.checklists()[*ci];
            lines.push(Line::styled(c.title.clone(), theme.heading()));
            " Checklist ".into()
        }
        None => " ".into(),
    };
    let para = Paragraph::new(lines)
        .block(Block::bordered().title(title))
        .wrap(Wrap { trim: false })
        .scroll((model.detail_scroll, 0));
    frame.render_widget(para, area);
}

fn requirement<'a>(
    model: &'a Model,
    theme: Theme,
    r: &crate::checklist::ReqRef,
    lines: &mut Vec<Line<'a>>,
) {
    let Some((section, req)) = model.catalog.get(r) else {
        return;
    };
    lines.push(Line::styled(
        format!("{} {}  ({})", req.id, req.title, section.kind.as_str()),
        theme.heading(),
    ));
    let assessment = model.record.assessment(r);
    let verdict = model.record.verdict(r);
    let mut verdict_line = vec![
        Span::raw("Verdict: "),
        Span::styled(
            format!("{} {}", badge(verdict), verdict),
            theme.verdict(verdict),
        ),
    ];
    if let Some(j) = assessment.and_then(|a| a.justification.as_ref()) {
        verdict_line.push(Span::raw(format!(" — {j}")));
    }
    lines.push(Line::from(verdict_line));
    let auditors = model.record.auditors_of(r);
    if !auditors.is_empty() || !model.record.plan.is_empty() {
        let who = if auditors.is_empty() {
            "no one in the plan".to_string()
        } else {
            shown(&auditors.join(", ")).into_owned()
        };
        lines.push(Line::styled(
            format!("Audited by: {who}  o assigns"),
            theme.dim(),
        ));
    }
    if let Some(visit) = super::tree::visit(model, r).words() {
        lines.push(Line::styled(visit, theme.dim()));
    }
    if let Some(declared) = assessment.and_then(|a| a.implementation) {
        lines.push(Line::styled(
            format!("Declared by the auditee: {declared}  I changes it"),
            theme.dim(),
        ));
    }
    if !req.maps_to.is_empty() {
        lines.push(Line::styled(
            format!("Also in: {}", req.maps_to.join(", ")),
            theme.dim(),
        ));
    }
    lines.push(Line::styled(
        format!("Findings ({})  n new", model.findings_on(r).count()),
        theme.heading(),
    ));
    for f in model.findings_on(r) {
        let selected = model.item == Some(Item::Finding(f.id));
        let mut head = vec![Span::styled(
            format!("{} {}", f.id, f.grade.label()),
            if selected {
                theme.selected()
            } else {
                theme.grade(f.grade)
            },
        )];
        if let Some(edit) = &f.edited {
            head.push(edited(theme, edit, &f.raised_at));
        }
        if f.requirements.len() > 1 {
            let others: Vec<String> = f
                .requirements
                .iter()
                .filter(|x| *x != r)
                .map(ToString::to_string)
                .collect();
            head.push(Span::styled(
                format!("  also {}", others.join(", ")),
                theme.dim(),
            ));
        }
        lines.push(Line::from(head));
        lines.push(Line::raw(format!("  Statement: {}", f.statement)));
        for link in &f.evidence {
            lines.push(evidence_line(model, theme, link));
        }
        if let Some(e) = &f.objective_evidence {
            lines.push(Line::raw(format!("  Evidence: {e}")));
        } else if f.grade.is_nonconformity() {
            lines.push(Line::styled(
                "  Evidence: (none yet — an NC needs it)",
                theme.error(),
            ));
        }
    }
    previous_findings(model, theme, r, lines);
    lines.push(Line::raw(""));
    lines.push(Line::styled("Ask", theme.heading()));
    lines.extend(req.questions.iter().map(|q| Line::raw(format!("• {q}"))));
    lines.push(Line::styled("Look for", theme.heading()));
    lines.extend(req.evidence.iter().map(|e| Line::raw(format!("• {e}"))));

    let cited = assessment
        .map(|a| a.evidence.as_slice())
        .unwrap_or_default();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "Evidence cited ({})  b opens the bundle; l there cites a file",
            cited.len()
        ),
        theme.heading(),
    ));
    for link in cited {
        lines.push(evidence_line(model, theme, link));
    }

    let notes = assessment.map(|a| a.notes.as_slice()).unwrap_or_default();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Notes ({})  i new", notes.len()),
        theme.heading(),
    ));
    for n in notes {
        let selected = model.item == Some(Item::Note(n.id));
        let who = n
            .interviewee
            .as_ref()
            .map_or(String::new(), |i| format!(", interviewee {i}"));
        let kept = if n.internal {
            ", internal working paper"
        } else {
            ""
        };
        let head = format!(
            "{} {} ({}{who}{kept})",
            n.at.format("%d %b %H:%M"),
            n.by,
            n.id
        );
        let style = if selected {
            theme.selected()
        } else {
            theme.dim()
        };
        let mut head = vec![Span::styled(head, style)];
        if let Some(edit) = &n.edited {
            head.push(edited(theme, edit, &n.at));
        }
        lines.push(Line::from(head));
        lines.extend(n.text.lines().map(|l| Line::raw(format!("  {l}"))));
    }
}

/// `  edited 14:32 by Jane Doe` after a note's or finding's heading.
/// The findings of earlier audits on this requirement, carried here to be
/// followed up: where each stands, and where to follow it up.
fn previous_findings<'a>(
    model: &'a Model,
    theme: Theme,
    r: &crate::checklist::ReqRef,
    lines: &mut Vec<Line<'a>>,
) {
    let carried: Vec<_> = model
        .record
        .previous_findings
        .iter()
        .filter(|c| c.finding.requirements.contains(r))
        .collect();
    if carried.is_empty() {
        return;
    }
    lines.push(Line::styled(
        format!("Previous findings ({})  f follows them up", carried.len()),
        theme.heading(),
    ));
    for c in carried {
        let f = &c.finding;
        let mut head = vec![Span::styled(
            format!("{} {}", f.id, f.grade.label()),
            theme.grade(f.grade),
        )];
        if matches!(f.id.family, Family::Nc | Family::Aoc) {
            let state = model.record.lifecycle(f.id).state;
            head.push(Span::raw(format!(" — {}", state.words())));
        }
        head.push(Span::styled(format!("  from {}", c.raised_in), theme.dim()));
        lines.push(Line::from(head));
        lines.push(Line::raw(format!("  Statement: {}", f.statement)));
    }
}

fn edited<'a>(theme: Theme, edit: &Edited, written: &Timestamp) -> Span<'a> {
    let mark = crate::audit::edited_mark(edit, written);
    Span::styled(format!("  {}", shown(&mark)), theme.dim())
}

/// `  📄 path (sha256 abcd…) ✓` with a warning when the file changed or went.
fn evidence_line<'a>(model: &Model, theme: Theme, link: &crate::audit::EvidenceLink) -> Line<'a> {
    let state = model
        .evidence
        .as_ref()
        .map_or(crate::tui::screen::evidence::LinkState::Unknown, |v| {
            v.state_of(link)
        });
    let badge = crate::tui::screen::evidence::draw::link_badge(state);
    let style = match state {
        crate::tui::screen::evidence::LinkState::Changed
        | crate::tui::screen::evidence::LinkState::Missing => theme.error(),
        crate::tui::screen::evidence::LinkState::Unchanged => theme.ok(),
        crate::tui::screen::evidence::LinkState::Unknown => theme.dim(),
    };
    let what = match &link.collected {
        Some(c) => format!(
            "  collected {}{} ",
            shown(&c.original_name),
            c.caption
                .as_deref()
                .map(|t| format!(" ({})", shown(t)))
                .unwrap_or_default()
        ),
        None => format!("  file {} ", link.path),
    };
    Line::from(vec![
        Span::raw(what),
        Span::styled(
            format!("sha256 {}… ", &link.sha256[..12.min(link.sha256.len())]),
            theme.dim(),
        ),
        Span::styled(badge, style),
    ])
}
