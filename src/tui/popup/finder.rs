//! The `/` finder: type to search requirements, findings and the bundle's
//! files; Enter goes there. As the finding form's requirement picker
//! (Ctrl-F) it searches requirements only and Enter adds the choice to the
//! form. Matching runs on a worker the run loop owns: each query is an
//! [`Effect::Find`] and its results come back as [`Msg::Found`](crate::tui::update::Msg::Found).

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph};
use ratatui_textarea::{Input, Key, TextArea};

use super::{Next, Outcome, Popup};
use crate::finder::{Corpus, Hit, Target};
use crate::tui::action::Action;
use crate::tui::model::{Item, Model, Screen};
use crate::tui::theme::Theme;
use crate::tui::update::Effect;
use crate::tui::view::centered;

pub struct Finder {
    pub query: TextArea<'static>,
    pub hits: Vec<Hit>,
    /// How many items the shown query matches in all.
    pub total: usize,
    /// The request for the query as typed, while its results are not shown
    /// yet.
    pub waiting: Option<u64>,
    /// Enter was pressed before the query's results came: act on them when
    /// they do.
    pub enter_pending: bool,
    pub selected: usize,
    /// Picking a further requirement for the finding form underneath,
    /// rather than jumping somewhere.
    pub pick: bool,
}

impl Finder {
    /// The finder over `corpus` (`pick`: choosing a further requirement for
    /// the finding form underneath), and the search for its empty query.
    pub fn open(model: &mut Model, corpus: Arc<Corpus>, pick: bool) -> (Finder, Effect) {
        let request = next_request(model);
        let finder = Finder {
            query: TextArea::default(),
            hits: Vec::new(),
            total: 0,
            waiting: Some(request),
            enter_pending: false,
            selected: 0,
            pick,
        };
        let effect = Effect::Find {
            corpus: Some(corpus),
            query: String::new(),
            request,
        };
        (finder, effect)
    }

    pub fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        match action {
            Action::Close => return Outcome::next(Next::Close),
            Action::Submit if self.waiting.is_some() => {
                // Act on the query as typed, not on the results of an older
                // one: once its results are in.
                self.enter_pending = true;
            }
            Action::Submit => return self.submit(model),
            Action::ListDown => {
                self.selected = (self.selected + 1).min(self.hits.len().saturating_sub(1));
            }
            Action::ListUp => self.selected = self.selected.saturating_sub(1),
            _ => {}
        }
        Outcome::stay()
    }

    /// Typing changes the query and asks for its results; Enter and control
    /// keys belong to the finder, not its query.
    pub fn typed(&mut self, model: &mut Model, input: Input) -> Outcome {
        if input.key == Key::Enter || input.ctrl {
            return Outcome::stay();
        }
        self.query.input(input);
        let request = next_request(model);
        self.waiting = Some(request);
        self.enter_pending = false;
        let query = self.query.lines().join("");
        Outcome::stay().with(vec![Effect::Find {
            corpus: None,
            query,
            request,
        }])
    }

    /// The finder answered request `request`: show its results, and act on
    /// an Enter that waited for them.
    pub fn found(
        &mut self,
        model: &mut Model,
        request: u64,
        total: usize,
        hits: Vec<Hit>,
    ) -> Outcome {
        let Some(waiting) = self.waiting else {
            return Outcome::stay();
        };
        if request >= waiting {
            self.waiting = None;
        }
        self.total = total;
        self.hits = hits;
        self.selected = 0;
        if self.waiting.is_none() && self.enter_pending {
            return self.submit(model);
        }
        Outcome::stay()
    }

    fn submit(&mut self, model: &mut Model) -> Outcome {
        let target = self.hits.get(self.selected).map(|h| h.target.clone());
        if self.pick {
            // The finding form is underneath: add the choice to it.
            if let (Some(Target::Requirement(r)), Some(Popup::Finding(form))) =
                (target, model.popups.last_mut())
            {
                form.add_also(&r);
            }
            return Outcome::next(Next::Close);
        }
        let mut effects = Vec::new();
        match target {
            Some(Target::Requirement(r)) => model.jump_to(&r),
            Some(Target::Evidence(path)) => {
                if let Some(view) = model.evidence.as_mut() {
                    view.select(&path);
                }
                model.screen = Screen::Evidence;
                effects = crate::tui::screen::evidence::preview_selected(model);
            }
            Some(Target::Finding(id)) => {
                if let Some(r) = model
                    .record
                    .findings
                    .iter()
                    .find(|x| x.id == id)
                    .and_then(|x| x.requirements.first().cloned())
                {
                    model.jump_to(&r);
                    model.item = Some(Item::Finding(id));
                }
            }
            Some(Target::Note { req, id }) => {
                model.jump_to(&req);
                model.item = Some(Item::Note(id));
            }
            None => model.message = Some("nothing matches".into()),
        }
        Outcome::next(Next::Close).with(effects)
    }

    pub fn draw(&self, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        let rect = centered(
            area,
            area.width.saturating_sub(4).min(90),
            area.height.saturating_sub(2),
        );
        frame.render_widget(Clear, rect);
        let title = if self.pick {
            " Add a requirement to the finding — Enter adds it ".to_string()
        } else {
            let searching = if self.waiting.is_some() {
                ", searching…"
            } else {
                ""
            };
            format!(
                " Find a requirement, finding, note or file — {} match{}{searching} ",
                self.total,
                if self.total == 1 { "" } else { "es" }
            )
        };
        let block = Block::bordered().title(title);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [input, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        let query = self.query.lines().join("");
        if top {
            frame.set_cursor_position((input.x + 2 + query.chars().count() as u16, input.y));
        }
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("/ ", theme.heading()),
                Span::raw(query),
            ])),
            input,
        );
        let items: Vec<ListItem> = self
            .hits
            .iter()
            .map(|h| ListItem::new(h.label.clone()))
            .collect();
        let mut state = ListState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(
            List::new(items).highlight_style(theme.selected()),
            list,
            &mut state,
        );
    }
}

/// A new request number for the finder's worker.
fn next_request(model: &mut Model) -> u64 {
    model.finder_requests += 1;
    model.finder_requests
}

/// Open the finder over requirements, findings and the bundle's paths
/// (from a screen: popups open theirs with [`Finder::open`]).
pub fn open_everything(model: &mut Model) -> Vec<Effect> {
    let corpus = Arc::new(Corpus::new(
        &model.catalog,
        &model.record,
        Arc::clone(&model.evidence_index),
    ));
    let (finder, effect) = Finder::open(model, corpus, false);
    model.popups.push(Popup::Finder(Box::new(finder)));
    vec![effect]
}

/// The finder's answer to request `request`, for the finder on top.
pub fn found(model: &mut Model, request: u64, total: usize, hits: Vec<Hit>) -> Vec<Effect> {
    super::with_top(model, |top, model| match top {
        Popup::Finder(f) => f.found(model, request, total, hits),
        _ => Outcome::stay(),
    })
}
