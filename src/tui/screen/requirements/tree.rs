//! The requirement tree: checklists, clauses and control groups with
//! progress, and one line per requirement with its verdict badge; on a
//! surveillance audit, a mark saying whether it is in this visit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState};

use std::collections::HashMap;

use crate::audit::Verdict;
use crate::checklist::ReqRef;
use crate::tui::model::{Model, Row};
use crate::tui::theme::{Theme, badge};

pub fn draw(model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
    // Findings per requirement, counted once per frame rather than per row.
    let mut findings: HashMap<&ReqRef, usize> = HashMap::new();
    for f in &model.record.findings {
        for r in &f.requirements {
            *findings.entry(r).or_default() += 1;
        }
    }
    let items: Vec<ListItem> = model
        .rows
        .iter()
        .map(|row| ListItem::new(line(model, theme, row, &findings)))
        .collect();
    let mut state = ListState::default().with_selected(Some(model.cursor));
    let list = List::new(items)
        .block(Block::bordered().title(" Requirements "))
        .highlight_style(theme.selected());
    frame.render_stateful_widget(list, area, &mut state);
}

fn line<'a>(
    model: &'a Model,
    theme: Theme,
    row: &'a Row,
    findings: &HashMap<&ReqRef, usize>,
) -> Line<'a> {
    match row {
        Row::Checklist(ci) => {
            let c = &model.catalog.checklists()[*ci];
            Line::from(Span::styled(c.id.clone(), theme.heading()))
        }
        Row::Section(ci, si) => {
            let c = &model.catalog.checklists()[*ci];
            let s = &c.sections[*si];
            let done = s
                .requirements
                .iter()
                .filter(|r| {
                    model
                        .record
                        .verdict(&crate::checklist::ReqRef::new(&c.id, &r.id))
                        != Verdict::NotAssessed
                })
                .count();
            let fold = if model.collapsed.contains(&(*ci, *si)) {
                "▸"
            } else {
                "▾"
            };
            Line::from(vec![
                Span::styled(format!("{fold} {} ", s.id), theme.heading()),
                Span::styled(format!("{done}/{} ", s.requirements.len()), theme.dim()),
                Span::styled(s.title.clone(), theme.heading()),
            ])
        }
        Row::Requirement(r) => {
            let verdict = model.record.verdict(r);
            let title = model
                .catalog
                .get(r)
                .map_or("", |(_, req)| req.title.as_str());
            let findings = findings.get(r).copied().unwrap_or(0);
            let visit = visit(model, r);
            let text_style = match visit {
                Visit::Out => theme.dim(),
                _ => ratatui::style::Style::new(),
            };
            let mut spans = vec![
                Span::styled(format!("{} ", visit.mark()), text_style),
                Span::styled(badge(verdict), theme.verdict(verdict)),
                Span::styled(format!(" {} {title}", r.id), text_style),
            ];
            if findings > 0 {
                spans.push(Span::styled(format!(" [{findings}]"), theme.error()));
            }
            Line::from(spans)
        }
    }
}

/// Where a requirement stands in this audit's visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Not a surveillance audit: every requirement is audited.
    Whole,
    /// In every surveillance visit (its checklist says so).
    Always,
    /// In the auditor's sample for this visit.
    Sampled,
    /// Not audited this time.
    Out,
}

impl Visit {
    /// The tree's mark, readable without colour.
    pub fn mark(self) -> &'static str {
        match self {
            Visit::Whole => " ",
            Visit::Always => "◆",
            Visit::Sampled => "●",
            Visit::Out => "○",
        }
    }

    /// What the mark means, for the detail pane.
    pub fn words(self) -> Option<&'static str> {
        match self {
            Visit::Whole => None,
            Visit::Always => Some("◆ in every surveillance visit"),
            Visit::Sampled => Some("● in this visit's sample; s takes it out"),
            Visit::Out => Some("○ not audited this visit; s adds it to the sample"),
        }
    }
}

pub fn visit(model: &Model, r: &ReqRef) -> Visit {
    if !model.record.samples() {
        return Visit::Whole;
    }
    let always = model
        .catalog
        .get(r)
        .is_some_and(|(_, req)| req.always_in_surveillance());
    if always {
        Visit::Always
    } else if model.record.sample.contains(r) {
        Visit::Sampled
    } else {
        Visit::Out
    }
}

/// "visit: N of M" (a surveillance audit's sample), for the title bar.
pub fn visit_count(model: &Model) -> String {
    let total = model.catalog.len();
    let visited = model
        .catalog
        .requirements()
        .filter(|(r, _, _)| model.record.in_visit(&model.catalog, r))
        .count();
    format!("visit: {visited} of {total}")
}

/// "visit: N of M requirements", for the message line and the dashboard.
pub fn visit_words(model: &Model) -> String {
    format!("{} requirements", visit_count(model))
}
