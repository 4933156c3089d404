//! A finding's whole history (Enter on the follow-up screen): how it was
//! raised (for a carried one, the line of the earlier audit's trail), then
//! every follow-up step with when, who and its fields, and where it stands
//! now. Scrolls with j/k; Esc closes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::audit::lifecycle::StepKind;
use crate::audit::{AuditRecord, EvidenceLink, FindingId, Timestamp, TrailEntry};
use crate::text::shown;
use crate::tui::model::Model;
use crate::tui::theme::Theme;

pub struct History {
    pub id: FindingId,
}

impl History {
    pub fn draw(&self, model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
        let lines = lines(&model.record, self.id, theme);
        frame.render_widget(Clear, area);
        frame.render_widget(
            Paragraph::new(lines)
                .block(
                    Block::bordered()
                        .title(format!(" History of {} — j/k scroll, Esc closes ", self.id)),
                )
                .wrap(Wrap { trim: false })
                .scroll((model.overlay_scroll, 0)),
            area,
        );
    }
}

fn when(at: &Timestamp) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// The trail line that raised `id`: in the earlier audit's history for a
/// carried finding, in this record's trail otherwise.
fn raising_line(record: &AuditRecord, id: FindingId) -> Option<&TrailEntry> {
    let raised = format!("raised {id} ");
    let carried = record
        .previous_findings
        .iter()
        .find(|c| c.finding.id == id)
        .map(|c| c.history.as_slice())
        .unwrap_or_default();
    carried
        .iter()
        .chain(&record.trail)
        .find(|e| e.step.is_none() && e.what.starts_with(&raised))
}

/// The history's lines, oldest first.
pub fn lines(record: &AuditRecord, id: FindingId, theme: Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(finding) = record.all_findings().find(|f| f.id == id) else {
        out.push(Line::raw(format!("{id} is no longer in the record.")));
        return out;
    };
    let carried = record.previous_findings.iter().find(|c| c.finding.id == id);
    out.push(Line::styled(
        format!(
            "{id} {}: {}",
            finding.grade.label(),
            shown(&finding.statement)
        ),
        theme.heading(),
    ));
    if let Some(c) = carried {
        out.push(Line::raw(format!(
            "Carried from the previous report {}",
            shown(&c.raised_in)
        )));
    }
    if let Some(earlier) = finding.follows {
        out.push(Line::raw(format!("It raises {earlier} again.")));
    }
    out.push(Line::raw(""));
    match raising_line(record, id) {
        Some(entry) => step_head(&mut out, theme, &entry.at, &entry.by, &shown(&entry.what)),
        None => step_head(
            &mut out,
            theme,
            &finding.raised_at,
            &finding.raised_by,
            &format!("raised {id} ({})", finding.grade.label()),
        ),
    }
    let life = record.lifecycle(id);
    for (at, by, kind) in &life.steps {
        step(&mut out, theme, at, by, kind);
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("Now: {}", life.state.words()),
        theme.heading(),
    ));
    out
}

fn step_head(out: &mut Vec<Line<'static>>, theme: Theme, at: &Timestamp, by: &str, what: &str) {
    out.push(Line::from(vec![
        Span::styled(format!("{}  {}  ", when(at), shown(by)), theme.dim()),
        Span::styled(what.to_string(), theme.heading()),
    ]));
}

/// A field of a step, indented; each of its lines on a line of its own.
fn field(out: &mut Vec<Line<'static>>, label: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        let label = if i == 0 { label } else { "" };
        out.push(Line::raw(format!("    {label:<19}{}", shown(line))));
    }
}

fn evidence(out: &mut Vec<Line<'static>>, links: &[EvidenceLink]) {
    for link in links {
        let short: String = link.sha256.chars().take(12).collect();
        field(
            out,
            "evidence",
            &format!("{} (SHA-256 {short}…)", link.path),
        );
    }
}

fn step(out: &mut Vec<Line<'static>>, theme: Theme, at: &Timestamp, by: &str, kind: &StepKind) {
    match kind {
        StepKind::Response(r) => {
            step_head(out, theme, at, by, "response received");
            field(out, "correction", &r.correction);
            field(out, "root cause", &r.root_cause);
            field(out, "corrective action", &r.corrective_action);
            if let Some(owner) = &r.owner {
                field(out, "owner", owner);
            }
            field(out, "planned", &r.planned_date.to_string());
        }
        StepKind::PlanAccepted { comment } => {
            step_head(out, theme, at, by, "plan accepted");
            field(out, "comment", comment);
        }
        StepKind::PlanReturned { comment } => {
            step_head(out, theme, at, by, "plan returned");
            field(out, "comment", comment);
        }
        StepKind::Implemented {
            comment,
            evidence: e,
        } => {
            step_head(out, theme, at, by, "implemented");
            field(out, "comment", comment);
            evidence(out, e);
        }
        StepKind::Verified {
            outcome,
            objective_evidence,
            evidence: e,
        } => {
            let verdict = format!("verified {}", outcome.as_str().replace('-', " "));
            step_head(out, theme, at, by, &verdict);
            field(out, "objective evidence", objective_evidence);
            evidence(out, e);
        }
        StepKind::RaisedAgain { as_finding } => {
            step_head(out, theme, at, by, &format!("raised again as {as_finding}"));
        }
    }
}
