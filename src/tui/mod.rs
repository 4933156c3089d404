//! The auditor's full-screen interface (ratatui), in the Elm architecture:
//! keys resolve to [`Action`]s, [`update`] changes the [`Model`] and returns
//! effects, saves run on a worker thread, and [`view`] draws the model.

pub mod action;
mod attach_work;
pub mod finder_host;
pub mod keymap;
pub mod model;
pub mod popup;
mod run;
mod saver;
pub mod scope;
pub mod screen;
pub mod signoff;
pub mod theme;
pub mod update;
pub mod view;

pub use action::Action;
pub use model::Model;
pub use run::run;
