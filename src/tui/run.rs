//! The event loop: terminal in, actions through `update`, saves out to the
//! worker, frames drawn only when something changed.

use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::thread;

use crossterm::event::{self, Event, KeyEventKind};

use super::model::Model;
use super::saver;
use super::theme::Theme;
use super::update::{Effect, Msg, key_to_msg, update};
use super::view::view;
use crate::audit::{AuditError, StoreError, store};

/// Why the TUI could not start.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

enum Incoming {
    Key(crossterm::event::KeyEvent),
    Redraw,
    Msg(Msg),
}

fn read_terminal(tx: Sender<Incoming>) {
    thread::spawn(move || {
        loop {
            let incoming = match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Incoming::Key(key),
                Ok(Event::Resize(..)) | Ok(Event::FocusGained) => Incoming::Redraw,
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(incoming).is_err() {
                break;
            }
        }
    });
}

/// Open the record at `path` in the TUI as `author` (default: lead auditor).
pub fn run(path: &Path, author: Option<String>) -> Result<(), TuiError> {
    let record = store::load(path)?;
    let catalog = record.catalog()?;
    let author = author
        .or_else(|| record.default_author().map(str::to_string))
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".into());
    let mut model = Model::new(path.to_path_buf(), record, catalog, author);
    let theme = Theme::from_env();

    let (tx, rx) = mpsc::channel::<Incoming>();
    let (msg_tx, msg_rx) = mpsc::channel::<Msg>();
    let saves = saver::spawn(path.to_path_buf(), msg_tx);
    {
        // Forward the saver's answers into the one loop channel.
        let tx = tx.clone();
        thread::spawn(move || {
            for msg in msg_rx {
                if tx.send(Incoming::Msg(msg)).is_err() {
                    break;
                }
            }
        });
    }
    read_terminal(tx);

    // ratatui::init installs a panic hook that restores the terminal.
    let mut terminal = ratatui::init();
    let result = (|| -> Result<(), TuiError> {
        let mut dirty = true;
        loop {
            if dirty {
                terminal.draw(|frame| view(&mut model, theme, frame))?;
                dirty = false;
            }
            if model.quit && model.pending.is_empty() {
                return Ok(());
            }
            let Ok(incoming) = rx.recv() else {
                return Ok(());
            };
            let msg = match incoming {
                Incoming::Key(key) => key_to_msg(&model, key),
                Incoming::Redraw => {
                    dirty = true;
                    None
                }
                Incoming::Msg(msg) => Some(msg),
            };
            dirty |= msg.is_some();
            if let Some(msg) = msg {
                for effect in update(&mut model, msg) {
                    match effect {
                        Effect::Save(pending) => {
                            // The saver outlives the loop; a send can only fail if it died.
                            if saves.send(pending.clone()).is_err() {
                                update(
                                    &mut model,
                                    Msg::SaveFailed {
                                        seq: pending.seq,
                                        message: "the saver stopped; restart fieldaudit".into(),
                                    },
                                );
                            }
                        }
                    }
                }
            }
        }
    })();
    ratatui::restore();
    result
}
