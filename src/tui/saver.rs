//! The worker that writes edits durably, one at a time, in order, so a slow
//! disk never holds up a keystroke.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;

use super::model::Pending;
use super::update::Msg;
use crate::audit;

/// Start the saver; send it edits, it answers with `Msg::Saved`/`Msg::SaveFailed`.
pub fn spawn(path: PathBuf, reply: Sender<Msg>) -> Sender<Pending> {
    let (tx, rx): (Sender<Pending>, Receiver<Pending>) = channel();
    thread::spawn(move || {
        for job in rx {
            // Re-read under the lock and replay the edit on what is on disk,
            // so changes made meanwhile by others are kept.
            let result = audit::save_edit(&path, &job.edit, &job.change);
            let msg = match result {
                Ok(record) => Msg::Saved {
                    seq: job.seq,
                    record: Box::new(record),
                    at: crate::audit::now(),
                },
                Err(e) => Msg::SaveFailed {
                    seq: job.seq,
                    message: format!(
                        "{} not saved: {}",
                        job.edit.describe(),
                        e.to_string().replace('\n', " ")
                    ),
                },
            };
            if reply.send(msg).is_err() {
                break;
            }
        }
    });
    tx
}
