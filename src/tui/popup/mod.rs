//! The popups: forms, the finder, questions, overlays and notices, one file
//! each with its state, its keys, its drawing and whether it holds unsaved
//! text. They form a stack (`Model::popups`); the top one gets the keys.
//!
//! A popup handles a message while taken off the stack, so that it can
//! change the model (and the popups below it) freely; it answers with an
//! [`Outcome`]: stay, close, open another on top, or be replaced, and the
//! effects for the run loop. A popup never pushes onto `model.popups`
//! itself: it returns [`Next::Open`].

pub mod assign;
pub mod attach;
pub mod collected;
pub mod conclude;
pub mod confirm;
pub mod dashboard;
pub mod declare;
pub mod details;
pub mod finder;
pub mod finding;
pub mod form;
pub mod help;
pub mod history;
pub mod justify;
pub mod note;
pub mod notice;
pub mod packing;
pub mod report;
pub mod signoff;
pub mod step;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui_textarea::Input;

use super::action::Action;
use super::keymap::Mode;
use super::model::Model;
use super::theme::Theme;
use super::update::Effect;

pub use assign::AssignForm;
pub use attach::AttachForm;
pub use collected::CollectedFiles;
pub use conclude::ConcludeForm;
pub use confirm::{Confirm, OnYes};
pub use declare::DeclareForm;
pub use details::{MetaField, MetaForm};
pub use finder::Finder;
pub use finding::FindingForm;
pub use form::TextField;
pub use history::History;
pub use justify::JustifyForm;
pub use note::NoteForm;
pub use notice::Notice;
pub use packing::Packing;
pub use report::ReportForm;
pub use signoff::{SignField, SignOffForm};
pub use step::StepForm;

/// Popups form a stack; the top one gets the keys.
pub enum Popup {
    Note(Box<NoteForm>),
    Finding(Box<FindingForm>),
    Justify(Box<JustifyForm>),
    Meta(Box<MetaForm>),
    /// The report details form.
    Report(Box<ReportForm>),
    /// The conclusion and recommendation form.
    Conclude(Box<ConcludeForm>),
    /// A control's declared implementation.
    Declare(Box<DeclareForm>),
    /// The files the auditor collected, with a preview.
    Collected(Box<CollectedFiles>),
    Finder(Box<Finder>),
    Confirm(Confirm),
    /// Help, opened from a screen or popup in this mode: its keys come first.
    Help(Mode),
    Dashboard,
    SignOff(Box<SignOffForm>),
    Packing(Packing),
    Notice(Notice),
    /// Attach a file the auditor collected.
    Attach(Box<AttachForm>),
    /// A finding's whole history (from the follow-up screen).
    History(History),
    /// A follow-up step: a response, a review, the action done, a verdict.
    Step(Box<StepForm>),
    /// Who audits a requirement.
    Assign(Box<AssignForm>),
}

/// What becomes of a popup after it handled a message.
pub enum Next {
    Stay,
    Close,
    /// Stay, with another popup on top.
    Open(Popup),
    /// Close, with another popup in its place.
    Replace(Popup),
}

/// A popup's answer to a message: what becomes of it, and work for the run
/// loop.
pub struct Outcome {
    pub next: Next,
    pub effects: Vec<Effect>,
}

impl Outcome {
    pub fn stay() -> Outcome {
        Outcome::next(Next::Stay)
    }

    pub fn next(next: Next) -> Outcome {
        Outcome {
            next,
            effects: Vec::new(),
        }
    }

    pub fn with(mut self, effects: Vec<Effect>) -> Outcome {
        self.effects.extend(effects);
        self
    }
}

impl Popup {
    /// Where the keyboard is while this popup is on top.
    pub fn mode(&self) -> Mode {
        match self {
            Popup::Justify(_) | Popup::Report(_) => Mode::Form,
            Popup::Attach(f) => f.mode(),
            Popup::Note(f) => f.mode(),
            Popup::Finding(f) => f.mode(),
            Popup::Meta(f) => f.mode(),
            Popup::Conclude(f) => f.mode(),
            Popup::Declare(_) | Popup::Assign(_) => Mode::Choice,
            Popup::Collected(_) => Mode::Collected,
            Popup::SignOff(f) => f.mode(),
            Popup::Finder(_) => Mode::Finder,
            Popup::Confirm(_) => Mode::Confirm,
            Popup::Step(f) => f.mode(),
            Popup::Help(_) | Popup::Dashboard | Popup::Notice(_) | Popup::History(_) => {
                Mode::Overlay
            }
            Popup::Packing(_) => Mode::Busy,
        }
    }

    /// Whether closing it would lose typed text.
    pub fn is_dirty(&self) -> bool {
        match self {
            Popup::Note(f) => f.is_dirty(),
            Popup::Justify(f) => f.is_dirty(),
            Popup::Meta(f) => f.is_dirty(),
            Popup::Report(f) => f.is_dirty(),
            Popup::Conclude(f) => f.is_dirty(),
            Popup::Declare(f) => f.is_dirty(),
            Popup::Finding(f) => f.is_dirty(),
            Popup::Attach(f) => f.is_dirty(),
            Popup::Step(f) => f.is_dirty(),
            Popup::Assign(f) => f.is_dirty(),
            _ => false,
        }
    }

    pub fn draw(&self, model: &Model, top: bool, theme: Theme, frame: &mut Frame, area: Rect) {
        match self {
            Popup::Note(f) => f.draw(top, theme, frame, area),
            Popup::Finding(f) => f.draw(top, theme, frame, area),
            Popup::Justify(f) => f.draw(top, theme, frame, area),
            Popup::Meta(f) => f.draw(top, theme, frame, area),
            Popup::Report(f) => f.draw(top, theme, frame, area),
            Popup::Conclude(f) => f.draw(top, theme, frame, area),
            Popup::Declare(f) => f.draw(top, theme, frame, area),
            Popup::Collected(c) => c.draw(theme, frame, area),
            Popup::Finder(f) => f.draw(top, theme, frame, area),
            Popup::Confirm(c) => c.draw(theme, frame, area),
            Popup::Help(from) => help::draw(*from, model.overlay_scroll, theme, frame, area),
            Popup::Dashboard => dashboard::draw(model, theme, frame, area),
            Popup::SignOff(f) => f.draw(model, top, theme, frame, area),
            Popup::Packing(p) => p.draw(theme, frame, area),
            Popup::Notice(n) => n.draw(theme, frame, area),
            Popup::Attach(f) => f.draw(top, theme, frame, area),
            Popup::History(h) => h.draw(model, theme, frame, area),
            Popup::Step(f) => f.draw(top, theme, frame, area),
            Popup::Assign(f) => f.draw(model, top, theme, frame, area),
        }
    }

    /// A key's action, for this popup.
    fn act(&mut self, model: &mut Model, action: Action) -> Outcome {
        if action == Action::ToggleHelp && self.mode() != Mode::Overlay {
            model.overlay_scroll = 0;
            return Outcome::next(Next::Open(Popup::Help(self.mode())));
        }
        match self {
            Popup::Note(f) => f.act(model, action),
            Popup::Finding(f) => f.act(model, action),
            Popup::Justify(f) => f.act(model, action),
            Popup::Meta(f) => f.act(model, action),
            Popup::Report(f) => f.act(model, action),
            Popup::Conclude(f) => f.act(model, action),
            Popup::Declare(f) => f.act(model, action),
            Popup::Collected(c) => c.act(model, action),
            Popup::Finder(f) => f.act(model, action),
            Popup::Confirm(c) => c.act(model, action),
            Popup::Help(_) | Popup::Dashboard | Popup::Notice(_) | Popup::History(_) => {
                overlay(model, action)
            }
            Popup::Step(f) => f.act(model, action),
            Popup::SignOff(f) => f.act(model, action),
            Popup::Packing(p) => p.act(model, action),
            Popup::Attach(f) => f.act(model, action),
            Popup::Assign(f) => f.act(model, action),
        }
    }

    /// Typed text, for the focused field.
    fn typed(&mut self, model: &mut Model, input: Input) -> Outcome {
        match self {
            Popup::Note(f) => f.typed(input),
            Popup::Finding(f) => f.typed(input),
            Popup::Justify(f) => f.typed(input),
            Popup::Meta(f) => f.typed(input),
            Popup::Report(f) => f.typed(input),
            Popup::Conclude(f) => f.typed(input),
            Popup::Finder(f) => return f.typed(model, input),
            Popup::Attach(f) => return f.typed(model, input),
            Popup::SignOff(f) => f.typed(input),
            Popup::Step(f) => f.typed(input),
            _ => {}
        }
        Outcome::stay()
    }
}

/// Take the top popup off the stack, let `handle` deal with a message with
/// it, then carry out the outcome. Nothing happens without a popup.
pub fn with_top(
    model: &mut Model,
    handle: impl FnOnce(&mut Popup, &mut Model) -> Outcome,
) -> Vec<Effect> {
    let Some(mut top) = model.popups.pop() else {
        return Vec::new();
    };
    let outcome = handle(&mut top, model);
    match outcome.next {
        Next::Stay => model.popups.push(top),
        Next::Close => {}
        Next::Open(above) => model.popups.extend([top, above]),
        Next::Replace(other) => model.popups.push(other),
    }
    outcome.effects
}

/// A key's action, for the top popup.
pub fn act(model: &mut Model, action: Action) -> Vec<Effect> {
    with_top(model, |top, model| top.act(model, action))
}

/// Typed text, for the top popup's focused field.
pub fn typed(model: &mut Model, input: Input) -> Vec<Effect> {
    with_top(model, |top, model| top.typed(model, input))
}

/// Keys of the overlays (help, dashboard, a notice): scroll, or close.
fn overlay(model: &mut Model, action: Action) -> Outcome {
    match action {
        Action::Close => return Outcome::next(Next::Close),
        Action::ScrollDown => model.overlay_scroll = model.overlay_scroll.saturating_add(5),
        Action::ScrollUp => model.overlay_scroll = model.overlay_scroll.saturating_sub(5),
        _ => {}
    }
    Outcome::stay()
}
