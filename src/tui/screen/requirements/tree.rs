//! The requirement tree: checklists, clauses and control groups with
//! progress, and one line per requirement with its verdict badge.

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
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(badge(verdict), theme.verdict(verdict)),
                Span::raw(format!(" {} {title}", r.id)),
            ];
            if findings > 0 {
                spans.push(Span::styled(format!(" [{findings}]"), theme.error()));
            }
            Line::from(spans)
        }
    }
}
