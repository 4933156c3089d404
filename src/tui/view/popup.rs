//! Forms, the fuzzy finder and confirmations, drawn over the main screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Gauge, List, ListItem, ListState, Paragraph, Wrap};

use super::centered;
use crate::audit::Grade;
use crate::tui::keymap;
use crate::tui::model::{Field, MetaForm, Model, Popup, SignOffForm, TextField};
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
                    " Find a requirement, finding, note or file — {} match{}{searching} ",
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
                let focused = top && f.focus == i;
                match MetaForm::field_index(*row) {
                    Some(at) => {
                        labelled_field(frame, &f.fields[at], focused, theme, line, label_width)
                    }
                    None => {
                        let words = crate::audit::AuditType::ALL
                            .iter()
                            .map(|t| (t.label(), *t == f.audit_type));
                        labelled_choice(
                            frame,
                            "Audit type ←/→",
                            words,
                            focused,
                            theme,
                            line,
                            label_width,
                        );
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
        Popup::SignOff(f) => sign_off_form(model, f, top, theme, frame, area),
        Popup::Packing(p) => {
            let rect = centered(area, area.width.saturating_sub(8).min(70), 6);
            frame.render_widget(Clear, rect);
            let title = if p.draft {
                " Packing the DRAFT report "
            } else {
                " Packing and signing the report "
            };
            let block = Block::bordered().title(title);
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let [name, gauge, help] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(2),
                Constraint::Length(1),
            ])
            .areas(inner);
            frame.render_widget(
                Paragraph::new(p.out.display().to_string()).style(theme.heading()),
                name,
            );
            let done = p.progress.done.load(std::sync::atomic::Ordering::Relaxed);
            let total = p.progress.total.load(std::sync::atomic::Ordering::Relaxed);
            let label = if total == 0 {
                "checking the record, unlocking the key…".to_string()
            } else {
                format!(
                    "{:.0}% — {} of {}",
                    p.progress.fraction() * 100.0,
                    crate::evidence::human_size(done),
                    crate::evidence::human_size(total)
                )
            };
            frame.render_widget(
                Gauge::default()
                    .ratio(p.progress.fraction())
                    .label(label)
                    .gauge_style(theme.heading()),
                Rect { height: 1, ..gauge },
            );
            frame.render_widget(
                Paragraph::new(Span::styled(keymap::hint(keymap::Mode::Busy), theme.dim())),
                help,
            );
        }
        Popup::Notice(n) => {
            let width = area.width.saturating_sub(8).min(80);
            let wrapped: u16 = n
                .lines
                .iter()
                .map(|l| {
                    (l.chars().count() as u16)
                        .div_ceil(width.saturating_sub(2).max(1))
                        .max(1)
                })
                .sum();
            let rect = centered(area, width, wrapped + 4);
            frame.render_widget(Clear, rect);
            let mut lines: Vec<Line> = n.lines.iter().map(|l| Line::raw(l.clone())).collect();
            lines.push(Line::styled("Esc closes", theme.dim()));
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: true })
                    .block(Block::bordered().title(Span::styled(n.title.clone(), theme.ok()))),
                rect,
            );
        }
        Popup::Help | Popup::Dashboard => {}
    }
}

/// The sign-off form: kind, name, signer, key and password, then what a
/// final report still lacks (or what signing confirms).
fn sign_off_form(
    model: &Model,
    f: &SignOffForm,
    top: bool,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    // The list of what is missing takes all the room there is.
    let short = f.missing.is_empty() || model.record.sign_off.is_some();
    let rect = form_rect(area, if short { 17 } else { area.height });
    let [rows, body, error, help] = frame_form(
        frame,
        rect,
        " Sign off: pack the report for the certification body ",
        [
            Constraint::Length(SignOffForm::ORDER.len() as u16 + 1),
            Constraint::Min(1),
            Constraint::Length(if f.error.is_some() { 2 } else { 0 }),
            Constraint::Length(1),
        ],
    );
    let label_width = 16.min(rows.width / 3);
    for (i, row) in SignOffForm::ORDER.iter().enumerate() {
        let line = Rect {
            y: rows.y + i as u16,
            height: 1,
            ..rows
        };
        let focused = top && f.focus == *row;
        match f.field(*row) {
            Some(field) if f.active().contains(row) => {
                labelled_field(frame, field, focused, theme, line, label_width)
            }
            Some(field) => frame.render_widget(
                Paragraph::new(Span::styled(
                    format!(
                        "{:<w$}(not needed for a draft)",
                        field.label,
                        w = label_width as usize
                    ),
                    theme.dim(),
                )),
                line,
            ),
            None => {
                let words = [("final, signed", !f.draft), ("draft", f.draft)];
                labelled_choice(
                    frame,
                    "Report ←/→",
                    words.into_iter(),
                    focused,
                    theme,
                    line,
                    label_width,
                );
            }
        }
    }
    let mut lines = Vec::new();
    if f.draft && model.record.sign_off.is_none() {
        lines.push(Line::styled(
            "A draft is unsigned and marked DRAFT on every page; the record stays open.",
            theme.dim(),
        ));
    }
    match (&model.record.sign_off, f.missing.is_empty()) {
        (Some(s), _) => {
            lines.push(Line::styled(
                format!(
                    "Signed off by {} at {}: the record is locked. A draft can still be packed; `fieldaudit reopen` unlocks it.",
                    s.signer,
                    s.at.format("%Y-%m-%d %H:%M")
                ),
                theme.heading(),
            ));
        }
        (None, true) => {
            lines.push(Line::styled(
                "Complete: every requirement has a verdict, every nonconformity is written up, the audit details are filled in.",
                theme.ok(),
            ));
            if !f.draft {
                lines.push(Line::raw(format!(
                    "Signing confirms: {}",
                    crate::report::signoff::statement(&f.signer.text())
                )));
                lines.push(Line::styled(
                    "Afterwards the record is locked until `fieldaudit reopen`.",
                    theme.dim(),
                ));
            }
        }
        (None, false) => {
            lines.push(Line::styled(
                format!(
                    "Missing for a final report: {} item(s) — Ctrl-G goes to the first",
                    f.missing.len()
                ),
                theme.heading(),
            ));
            // One row per line from here on; keep the last for "… more".
            let room = usize::from(body.height).saturating_sub(lines.len()).max(1);
            let shown = if f.missing.len() > room {
                room - 1
            } else {
                room
            };
            lines.extend(
                f.missing
                    .iter()
                    .take(shown)
                    .map(|m| Line::raw(format!("  • {m}"))),
            );
            if f.missing.len() > shown {
                lines.push(Line::styled(
                    format!(
                        "  … and {} more (the dashboard, d, lists what is unassessed)",
                        f.missing.len() - shown
                    ),
                    theme.dim(),
                ));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    if let Some(e) = &f.error {
        frame.render_widget(
            Paragraph::new(Span::styled(e.clone(), theme.error())).wrap(Wrap { trim: true }),
            error,
        );
    }
    frame.render_widget(
        Paragraph::new(Span::styled(
            keymap::hint_within(keymap::Mode::SignOff, usize::from(help.width)),
            theme.dim(),
        )),
        help,
    );
}

/// A form row's label; returns the room left for its value.
fn label(
    frame: &mut Frame,
    text: &'static str,
    focused: bool,
    theme: Theme,
    line: Rect,
    width: u16,
) -> Rect {
    let [label, value] =
        Layout::horizontal([Constraint::Length(width), Constraint::Min(1)]).areas(line);
    let style = if focused {
        theme.selected()
    } else {
        theme.heading()
    };
    frame.render_widget(Paragraph::new(Span::styled(text, style)), label);
    value
}

/// One row of a form: a label, then the single-line field.
fn labelled_field(
    frame: &mut Frame,
    field: &TextField,
    focused: bool,
    theme: Theme,
    line: Rect,
    label_width: u16,
) {
    let value = label(frame, field.label, focused, theme, line, label_width);
    let mut text = field.area.clone();
    text.set_cursor_line_style(ratatui::style::Style::new());
    if !focused {
        text.set_cursor_style(ratatui::style::Style::new());
    }
    frame.render_widget(&text, value);
}

/// One row of a form: a label, then words of which one is chosen (←/→).
fn labelled_choice<'a>(
    frame: &mut Frame,
    label_text: &'static str,
    words: impl Iterator<Item = (&'a str, bool)>,
    focused: bool,
    theme: Theme,
    line: Rect,
    label_width: u16,
) {
    let value = label(frame, label_text, focused, theme, line, label_width);
    let words: Vec<Span> = words
        .map(|(word, chosen)| {
            if chosen {
                Span::styled(format!("[{word}]"), theme.heading())
            } else {
                Span::styled(format!(" {word} "), theme.dim())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(words)), value);
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
