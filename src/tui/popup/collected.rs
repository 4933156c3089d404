//! The files the auditor collected (`V`): every collected file the record
//! cites, with what it is cited for, its caption and who attached it; Enter
//! reads a preview (on a worker the run loop owns), shown below the list as
//! the evidence screen shows bundle files.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::{Next, Outcome};
use crate::audit::{AuditRecord, LinkTarget};
use crate::evidence::human_size;
use crate::evidence::preview::{CONTINUATION, Preview, PreviewError, wrap_text};
use crate::text::shown;
use crate::tui::action::Action;
use crate::tui::model::Model;
use crate::tui::theme::Theme;
use crate::tui::update::Effect;
use crate::tui::view::centered;

/// One collected file as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectedItem {
    pub sha256: String,
    pub name: String,
    pub size: u64,
    pub caption: Option<String>,
    /// The requirement or finding it is cited for, and who attached it when.
    pub about: String,
}

pub struct CollectedFiles {
    pub items: Vec<CollectedItem>,
    pub cursor: usize,
    /// The preview of a file (by SHA-256), once read.
    pub preview: Option<(String, Result<Preview, PreviewError>)>,
    /// The file whose preview was asked for, while it is read.
    pub reading: Option<String>,
    pub scroll: usize,
}

impl CollectedFiles {
    pub fn new(record: &AuditRecord) -> CollectedFiles {
        let items = record
            .evidence_links()
            .into_iter()
            .filter_map(|(target, link)| {
                let c = link.collected.as_ref()?;
                let target = match target {
                    LinkTarget::Requirement(r) => r.to_string(),
                    LinkTarget::Finding(id) => id.to_string(),
                };
                Some(CollectedItem {
                    sha256: link.sha256.clone(),
                    name: c.original_name.clone(),
                    size: link.size,
                    caption: c.caption.clone(),
                    about: format!("{target}, by {} at {}", c.by, c.at.format("%Y-%m-%d %H:%M")),
                })
            })
            .collect();
        CollectedFiles {
            items,
            cursor: 0,
            preview: None,
            reading: None,
            scroll: 0,
        }
    }

    pub fn act(&mut self, _model: &mut Model, action: Action) -> Outcome {
        let last = self.items.len().saturating_sub(1);
        match action {
            Action::Close => return Outcome::next(Next::Close),
            Action::ListDown => self.cursor = (self.cursor + 1).min(last),
            Action::ListUp => self.cursor = self.cursor.saturating_sub(1),
            Action::ScrollDown => self.scroll = self.scroll.saturating_add(5),
            Action::ScrollUp => self.scroll = self.scroll.saturating_sub(5),
            Action::Submit => {
                if let Some(item) = self.items.get(self.cursor) {
                    self.reading = Some(item.sha256.clone());
                    self.scroll = 0;
                    return Outcome::stay().with(vec![Effect::PreviewCollected {
                        sha256: item.sha256.clone(),
                        name: item.name.clone(),
                        size: item.size,
                    }]);
                }
            }
            _ => {}
        }
        Outcome::stay()
    }

    /// A preview arrived; kept if it is the one asked for last.
    pub fn previewed(&mut self, sha256: String, result: Result<Preview, PreviewError>) {
        if self.reading.as_deref() == Some(sha256.as_str()) {
            self.reading = None;
            self.preview = Some((sha256, result));
        }
    }

    pub fn draw(&self, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = centered(area, area.width.saturating_sub(4).min(100), area.height);
        frame.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(" Files you collected — Enter previews, J/K scroll, Esc closes ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let list_height = (self.items.len().max(1) as u16 * 2)
            .min(inner.height / 3)
            .max(2);
        let [list, preview] =
            Layout::vertical([Constraint::Length(list_height), Constraint::Min(1)]).areas(inner);
        if self.items.is_empty() {
            frame.render_widget(
                Paragraph::new("No collected files yet: A attaches one.").style(theme.dim()),
                list,
            );
            return;
        }
        let items: Vec<ListItem> = self
            .items
            .iter()
            .map(|i| {
                let caption = i
                    .caption
                    .as_deref()
                    .map_or(String::new(), |c| format!(": {c}"));
                ListItem::new(vec![
                    Line::raw(format!(
                        "{}  {}{}",
                        shown(&i.name),
                        human_size(i.size),
                        shown(&caption)
                    )),
                    Line::styled(format!("  {}", shown(&i.about)), theme.dim()),
                ])
            })
            .collect();
        let mut state = ListState::default().with_selected(Some(self.cursor));
        frame.render_stateful_widget(
            List::new(items).highlight_style(theme.selected()),
            list,
            &mut state,
        );
        let lines: Vec<Line> =
            match (&self.reading, &self.preview) {
                (Some(_), _) => vec![Line::styled("reading…", theme.dim())],
                (None, Some((_, Ok(p)))) => {
                    let mut lines: Vec<Line> = p
                        .note
                        .iter()
                        .map(|n| Line::styled(n.clone(), theme.dim()))
                        .collect();
                    let width = usize::from(preview.width.saturating_sub(2));
                    lines.extend(wrap_text(&p.text, width).into_iter().skip(self.scroll).map(
                        |l| {
                            let mark = if l.continued { CONTINUATION } else { "" };
                            Line::from(vec![
                                Span::styled(mark, theme.dim()),
                                Span::raw(l.text.into_owned()),
                            ])
                        },
                    ));
                    lines
                }
                (None, Some((_, Err(e)))) => {
                    vec![Line::styled(format!("no preview: {e}"), theme.error())]
                }
                (None, None) => vec![Line::styled(
                    "Enter previews the selected file.",
                    theme.dim(),
                )],
            };
        frame.render_widget(
            Paragraph::new(lines)
                .block(Block::bordered().title(" Preview "))
                .wrap(Wrap { trim: false }),
            preview,
        );
    }
}
