//! The I/O behind the attach form, carried out by the run loop on a worker
//! thread: listing the folder a typed path points into (for Tab), and
//! copying a file beside the record ([`crate::evidence::collected::store`]).

use std::path::{Path, PathBuf};

use super::update::{Effect, Msg};
use crate::evidence::collected;

/// The most entries a folder listing sends back (a huge folder must not
/// stall the interface).
const LISTING_LIMIT: usize = 5_000;

/// `~/…` from the home folder; anything else as typed (relative to the
/// folder fieldaudit was started in).
fn expand(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(typed),
    }
}

/// The entries of the folder `typed` points into; folders end in `/`.
fn list(typed: &str) -> Result<Vec<String>, String> {
    let folder = match typed.rfind('/') {
        Some(i) => expand(&typed[..=i]),
        None => PathBuf::from("."),
    };
    let entries = std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .take(LISTING_LIMIT)
        .map(|e| {
            let mut name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                name.push('/');
            }
            name
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Carry out an attach form's effect on a worker; the answer comes back
/// through `send`. Other effects are not this module's.
pub fn spawn(record: &Path, effect: Effect, send: impl FnOnce(Msg) + Send + 'static) {
    match effect {
        Effect::ListFolder { typed } => {
            std::thread::spawn(move || {
                let result = list(&typed);
                send(Msg::Listed { typed, result });
            });
        }
        Effect::Attach {
            file,
            target,
            caption,
        } => {
            let folder = collected::folder_for(record);
            std::thread::spawn(move || {
                let file = expand(&file.to_string_lossy());
                let result = collected::store(&folder, &file).map_err(|e| e.to_string());
                send(Msg::Attached {
                    target,
                    caption,
                    result,
                });
            });
        }
        _ => {}
    }
}
