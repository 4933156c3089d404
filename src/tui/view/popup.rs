//! Forms, the fuzzy finder and confirmations, drawn over the main screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::centered;
use crate::audit::Grade;
use crate::tui::keymap;
use crate::tui::model::{Field, MetaForm, Model, Popup, TextField};
use crate::tui::theme::Theme;

pub fn draw(model: &Model, popup: &Popup, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
    match popup {
        Popup::Finder(f) => {
            let rect = centered(
                area,
                area.width.saturating_sub(4).min(90),
                area.height.saturating_sub(2),
            );
            frame.render_widget(Clear, rect);
            let title = if f.pick {
                " Add a requirement to the finding — Enter adds it ".to_string()
            } else {
                let searching = if f.waiting.is_some() {
                    ", searching…"
                } else {
                    ""
                };
                format!(
                    " Find a requirement, question, finding or file — {} match{}{searching} ",
                    f.total,
                    if f.total == 1 { "" } else { "es" }
                )
            };
            let block = Block::bordered().title(title);
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let [input, list] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
            let query = f.query.lines().join("");
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("/ ", theme.heading()),
                    Span::raw(query.clone()),
                ])),
                input,
            );
            if top {
                frame.set_cursor_position((input.x + 2 + query.chars().count() as u16, input.y));
            }
            let items: Vec<ListItem> = f
                .hits
                .iter()
                .map(|h| ListItem::new(h.label.clone()))
                .collect();
            let mut state = ListState::default().with_selected(Some(f.selected));
            frame.render_stateful_widget(
                List::new(items).highlight_style(theme.selected()),
                list,
                &mut state,
            );
        }
        Popup::Note(f) => {
            let title = match f.editing {
                Some(id) => format!(" Edit note {id} on {} ", f.req),
                None => format!(" New note on {} ", f.req),
            };
            let rect = form_rect(area, 14);
            let [text, who, help] = frame_form(
                frame,
                rect,
                &title,
                [
                    Constraint::Min(3),
                    Constraint::Length(3),
                    Constraint::Length(1),
                ],
            );
            field(frame, &f.text, f.focus == Field::Text && top, theme, text);
            field(
                frame,
                &f.interviewee,
                f.focus == Field::Interviewee && top,
                theme,
                who,
            );
            hint(frame, theme, help);
        }
        Popup::Justify(f) => {
            let rect = form_rect(area, 9);
            let [text, help] = frame_form(
                frame,
                rect,
                &format!(" {} not applicable ", f.req),
                [Constraint::Min(3), Constraint::Length(1)],
            );
            field(frame, &f.text, top, theme, text);
            hint(frame, theme, help);
        }
        Popup::Finding(f) => {
            let title = match f.editing {
                Some(id) => format!(" Edit finding {id} "),
                None => format!(" New finding on {} ", f.req),
            };
            let rect = form_rect(area, area.height);
            let [grade, statement, evidence, also, help] = frame_form(
                frame,
                rect,
                &title,
                [
                    Constraint::Length(1),
                    Constraint::Min(4),
                    Constraint::Min(4),
                    Constraint::Length(4),
                    Constraint::Length(1),
                ],
            );
            let mut spans = vec![Span::styled(
                "Grade (←/→): ",
                if f.focus == Field::Grade {
                    theme.selected()
                } else {
                    theme.heading()
                },
            )];
            for g in Grade::ALL {
                let word = format!(" {} ", g.as_str());
                spans.push(if *g == f.grade {
                    Span::styled(
                        format!("[{}]", g.as_str()),
                        theme.grade(*g).add_modifier(ratatui::style::Modifier::BOLD),
                    )
                } else {
                    Span::styled(word, theme.dim())
                });
            }
            frame.render_widget(
                Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true }),
                grade,
            );
            field(
                frame,
                &f.statement,
                f.focus == Field::Statement && top,
                theme,
                statement,
            );
            field(
                frame,
                &f.evidence,
                f.focus == Field::Evidence && top,
                theme,
                evidence,
            );
            field(frame, &f.also, f.focus == Field::Also && top, theme, also);
            hint(frame, theme, help);
        }
        Popup::Meta(f) => {
            let rows = MetaForm::ORDER.len() as u16;
            let rect = form_rect(area, rows + 3);
            frame.render_widget(Clear, rect);
            let block = Block::bordered().title(" Audit details ");
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let label_width = 24.min(inner.width / 3);
            for (i, row) in MetaForm::ORDER.iter().enumerate() {
                let y = inner.y + i as u16;
                if y >= inner.bottom() {
                    break;
                }
                let line = Rect {
                    x: inner.x,
                    y,
                    width: inner.width,
                    height: 1,
                };
                let [label, value] =
                    Layout::horizontal([Constraint::Length(label_width), Constraint::Min(1)])
                        .areas(line);
                let focused = top && f.focus == i;
                let style = if focused {
                    theme.selected()
                } else {
                    theme.heading()
                };
                match MetaForm::field_index(*row) {
                    Some(at) => {
                        let field = &f.fields[at];
                        frame
                            .render_widget(Paragraph::new(Span::styled(field.label, style)), label);
                        let mut text = field.area.clone();
                        text.set_cursor_line_style(ratatui::style::Style::new());
                        if !focused {
                            text.set_cursor_style(ratatui::style::Style::new());
                        }
                        frame.render_widget(&text, value);
                    }
                    None => {
                        frame.render_widget(
                            Paragraph::new(Span::styled("Audit type ←/→", style)),
                            label,
                        );
                        let words: Vec<Span> = crate::audit::AuditType::ALL
                            .iter()
                            .map(|t| {
                                if *t == f.audit_type {
                                    Span::styled(format!("[{}]", t.label()), theme.heading())
                                } else {
                                    Span::styled(format!(" {} ", t.label()), theme.dim())
                                }
                            })
                            .collect();
                        frame.render_widget(Paragraph::new(Line::from(words)), value);
                    }
                }
            }
            let help = Rect {
                x: inner.x,
                y: inner.bottom().saturating_sub(1),
                width: inner.width,
                height: 1,
            };
            hint(frame, theme, help);
        }
        Popup::Confirm(c) => {
            let rect = centered(area, (c.question.chars().count() as u16 + 6).max(30), 4);
            frame.render_widget(Clear, rect);
            let text = vec![
                Line::styled(c.question.clone(), theme.heading()),
                Line::styled(keymap::hint(keymap::Mode::Confirm), theme.dim()),
            ];
            frame.render_widget(Paragraph::new(text).block(Block::bordered()), rect);
        }
        Popup::Help | Popup::Dashboard => {}
    }
    let _ = model;
}

fn form_rect(area: Rect, height: u16) -> Rect {
    centered(
        area,
        area.width.saturating_sub(4).min(100),
        height.min(area.height),
    )
}

fn frame_form<const N: usize>(
    frame: &mut Frame,
    rect: Rect,
    title: &str,
    rows: [Constraint; N],
) -> [Rect; N] {
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(title.to_string());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    Layout::vertical(rows).areas(inner)
}

fn field(frame: &mut Frame, f: &TextField, focused: bool, theme: Theme, area: Rect) {
    let mut area_widget = f.area.clone();
    let style = if focused {
        theme.heading()
    } else {
        theme.dim()
    };
    area_widget.set_block(Block::bordered().title(Span::styled(format!(" {} ", f.label), style)));
    area_widget.set_cursor_line_style(ratatui::style::Style::new());
    if !focused {
        area_widget.set_cursor_style(ratatui::style::Style::new());
    }
    frame.render_widget(&area_widget, area);
}

fn hint(frame: &mut Frame, theme: Theme, area: Rect) {
    frame.render_widget(
        Paragraph::new(Span::styled(keymap::hint(keymap::Mode::Form), theme.dim())),
        area,
    );
}
