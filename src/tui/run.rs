//! The event loop: terminal in, actions through `update`, saves out to the
//! worker, frames drawn only when something changed.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::{Duration, SystemTime};

use crossterm::event::{self, Event, KeyEventKind};

use super::finder_host::FinderHost;
use super::keymap::key_to_msg;
use super::model::Model;
use super::saver;
use super::screen::evidence::EvidenceWork;
use super::theme::Theme;
use super::update::{Effect, Msg, update};
use super::view::view;
use crate::audit::{AuditError, StoreError, store};
use crate::evidence::{Bundle, hash, preview};
use crate::latest::Latest;

/// Why the TUI could not start.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: {source}", path.display())]
    Audit { path: PathBuf, source: AuditError },
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(
        "the audit screen needs a terminal, and {0} is not one; run fieldaudit in a terminal (or over ssh -t), or use its commands in scripts (`fieldaudit --help`)"
    )]
    NotATerminal(&'static str),
}

enum Incoming {
    Key(crossterm::event::KeyEvent),
    Redraw,
    Msg(Msg),
    /// Time to look for the finder's answer.
    Finder,
}

fn read_terminal(tx: Sender<Incoming>) {
    thread::spawn(move || {
        loop {
            let incoming = match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Incoming::Key(key),
                Ok(Event::Resize(width, height)) => Incoming::Msg(Msg::Resize { width, height }),
                Ok(Event::FocusGained) => Incoming::Redraw,
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(incoming).is_err() {
                break;
            }
        }
    });
}

/// List the bundle, then hash it in the background; both report as messages.
fn open_evidence(path: PathBuf, tx: Sender<Incoming>) {
    thread::spawn(move || {
        let progress = Arc::new(AtomicU64::new(0));
        let opened = Bundle::open(&path).and_then(|b| b.list().map(|l| (b, l)));
        let (bundle, listing) = match opened {
            Ok(pair) => pair,
            Err(e) => {
                let _ = tx.send(Incoming::Msg(Msg::EvidenceOpened {
                    result: Err(e),
                    progress,
                }));
                return;
            }
        };
        let entries = listing.entries.clone();
        let _ = tx.send(Incoming::Msg(Msg::EvidenceOpened {
            result: Ok(Box::new((bundle.clone(), listing))),
            progress: progress.clone(),
        }));
        let cancel = AtomicBool::new(false);
        let results = hash::hash_all(
            &bundle,
            &entries,
            hash::default_threads(),
            &progress,
            &cancel,
        );
        let hashes = entries
            .into_iter()
            .zip(results)
            .map(|(e, r)| (e.path, r.map(|d| hash::to_hex(&d))))
            .collect();
        let _ = tx.send(Incoming::Msg(Msg::EvidenceHashed(hashes)));
    });
}

/// A preview to read: the bundle and the file.
type PreviewJob = (Bundle, crate::evidence::Entry);

/// The one preview worker: it reads the newest request when it is free, so
/// scrolling fast over slow files never piles up readers.
fn preview_worker(tx: Sender<Incoming>) -> Latest<PreviewJob> {
    let mailbox = Latest::<PreviewJob>::default();
    let jobs = mailbox.clone();
    thread::spawn(move || {
        while let Some((bundle, entry)) = jobs.take() {
            let for_open = entry.clone();
            let result = preview::preview_with_timeout(
                entry.path.clone(),
                entry.size,
                move || bundle.open_stream(&for_open),
                PREVIEW_TIME_LIMIT,
            );
            let msg = Msg::Previewed {
                path: entry.path,
                result,
            };
            if tx.send(Incoming::Msg(msg)).is_err() {
                break;
            }
        }
    });
    mailbox
}

/// Read a preview of a collected file on a thread of its own (Enter asks
/// for one at a time), answering with [`Msg::PreviewedCollected`].
fn preview_collected(
    record: &std::path::Path,
    sha256: String,
    name: String,
    size: u64,
    tx: &Sender<Incoming>,
) {
    let folder = crate::evidence::collected::folder_for(record);
    let tx = tx.clone();
    thread::spawn(move || {
        let result = match crate::evidence::collected::stored_path(&folder, &sha256) {
            Ok(path) => preview::preview_with_timeout(
                name,
                size,
                move || {
                    let file = std::fs::File::open(&path)?;
                    Ok(Box::new(file) as Box<dyn std::io::Read + Send>)
                },
                PREVIEW_TIME_LIMIT,
            ),
            Err(e) => Err(preview::PreviewError::Io(std::io::Error::other(
                e.to_string(),
            ))),
        };
        let _ = tx.send(Incoming::Msg(Msg::PreviewedCollected { sha256, result }));
    });
}

/// Previews (to the preview worker) and link hashing, off the input thread.
fn evidence_work(
    model: &Model,
    work: EvidenceWork,
    previews: &Latest<PreviewJob>,
    tx: &Sender<Incoming>,
) {
    let Some(view) = model.evidence.as_ref() else {
        return;
    };
    let bundle = view.bundle.clone();
    match work {
        EvidenceWork::Preview(entry) => previews.put((bundle, entry)),
        EvidenceWork::PinAndLink(entry, target) => {
            let tx = tx.clone();
            thread::spawn(move || {
                let result =
                    crate::evidence::pin::pin_entry(&bundle, &entry).map(|p| (p.sha256, p.size));
                let msg = Msg::Pinned {
                    path: entry.path,
                    result,
                    target,
                };
                let _ = tx.send(Incoming::Msg(msg));
            });
        }
    }
}

/// How often finder results are looked for while a query is being matched.
const FINDER_POLL: Duration = Duration::from_millis(5);

/// A preview that takes longer than this is abandoned (hostile PDFs).
const PREVIEW_TIME_LIMIT: Duration = Duration::from_secs(3);

/// How often the packing progress bar is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// How often an idle screen looks for changes made by other processes.
const WATCH_EVERY: Duration = Duration::from_millis(1000);

/// Notices when the record file changes under us (a `fieldaudit note` in
/// another terminal, a teammate's copy synced in) and reloads it.
struct Watch {
    path: PathBuf,
    seen: Option<SystemTime>,
}

impl Watch {
    fn new(path: &Path) -> Watch {
        Watch {
            path: path.to_path_buf(),
            seen: Self::modified(path),
        }
    }

    fn modified(path: &Path) -> Option<SystemTime> {
        std::fs::metadata(path).and_then(|m| m.modified()).ok()
    }

    /// A reload message if the file changed and nothing of ours is in flight.
    fn changed(&mut self, model: &Model) -> Option<Msg> {
        if !model.pending.is_empty() {
            return None;
        }
        let now = Self::modified(&self.path);
        if now == self.seen {
            return None;
        }
        self.seen = now;
        Some(match store::load(&self.path) {
            Ok(record) => Msg::Reloaded(Box::new(record)),
            Err(e) => Msg::DiskError(Box::new(e)),
        })
    }
}

/// Open the record at `path` in the TUI as `author` (default: lead auditor).
pub fn run(path: &Path, author: Option<String>) -> Result<(), TuiError> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(TuiError::NotATerminal("standard input"));
    }
    if !std::io::stdout().is_terminal() {
        return Err(TuiError::NotATerminal("standard output"));
    }
    let record = store::load(path)?;
    let catalog = record.catalog().map_err(|source| TuiError::Audit {
        path: path.to_path_buf(),
        source,
    })?;
    let author = crate::audit::author(
        author.as_deref(),
        Some(&record),
        std::env::var("USER").ok().as_deref(),
    );
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
    let work_tx = tx.clone();
    let previews = preview_worker(tx.clone());
    if let Some(bundle) = model.record.evidence_bundle.clone() {
        open_evidence(PathBuf::from(bundle), work_tx.clone());
    }
    read_terminal(tx);

    let mut watch = Watch::new(path);
    let mut finder = FinderHost::new();
    // This installs a panic hook that restores the terminal.
    let mut terminal = ratatui::try_init()?;
    let size = terminal.size()?;
    update(
        &mut model,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    // A PDF parser panic caught by the preview worker must not look like a
    // crash to ratatui's hook (which would restore the terminal mid-session).
    preview::silence_caught_preview_panics();
    let result = (|| -> Result<(), TuiError> {
        let mut dirty = true;
        loop {
            if dirty {
                terminal.draw(|frame| view(&model, theme, frame))?;
                dirty = false;
            }
            if model.quit && model.pending.is_empty() {
                return Ok(());
            }
            let hashing = model.evidence.as_ref().is_some_and(|e| e.hashing);
            let finding = matches!(
                model.popups.last(),
                Some(super::popup::Popup::Finder(f)) if f.waiting.is_some()
            );
            let packing = matches!(model.popups.last(), Some(super::popup::Popup::Packing(_)));
            let wait = if finding {
                FINDER_POLL
            } else if packing {
                PROGRESS_EVERY
            } else if hashing {
                Duration::from_millis(250)
            } else {
                WATCH_EVERY
            };
            let incoming = match rx.recv_timeout(wait) {
                Ok(incoming) => incoming,
                Err(mpsc::RecvTimeoutError::Timeout) if finding => Incoming::Finder,
                Err(mpsc::RecvTimeoutError::Timeout) => match watch.changed(&model) {
                    Some(msg) => Incoming::Msg(msg),
                    // Redraw the hashing or packing progress.
                    None if hashing || packing => Incoming::Redraw,
                    None => continue,
                },
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            };
            // The time comes with every message: an edit records when it
            // was made without `update` reading the clock.
            update(&mut model, Msg::Tick(crate::audit::now()));
            // Effects to carry out, in order; carrying one out may bring more.
            let mut work: VecDeque<Effect> = VecDeque::new();
            match incoming {
                Incoming::Key(key) => {
                    if let Some(msg) = key_to_msg(&model, key) {
                        work.extend(update(&mut model, msg));
                        dirty = true;
                    }
                }
                Incoming::Redraw => dirty = true,
                Incoming::Msg(msg) => {
                    work.extend(update(&mut model, msg));
                    dirty = true;
                }
                Incoming::Finder => {
                    for msg in finder.poll() {
                        work.extend(update(&mut model, msg));
                        dirty = true;
                    }
                }
            }
            while let Some(effect) = work.pop_front() {
                match effect {
                    Effect::Evidence(job) => evidence_work(&model, job, &previews, &work_tx),
                    Effect::Find {
                        corpus,
                        query,
                        request,
                    } => finder.find(corpus, &query, request),
                    probe @ (Effect::LookAround | Effect::CheckReportName(_)) => {
                        if let Some(msg) = super::signoff::probe(&probe, &model.path) {
                            work.extend(update(&mut model, msg));
                        }
                    }
                    Effect::PreviewCollected { sha256, name, size } => {
                        preview_collected(&model.path, sha256, name, size, &work_tx)
                    }
                    io @ (Effect::ListFolder { .. } | Effect::Attach { .. }) => {
                        let tx = work_tx.clone();
                        super::attach_work::spawn(&model.path, io, move |msg| {
                            let _ = tx.send(Incoming::Msg(msg));
                        });
                    }
                    Effect::Pack(job) => {
                        let tx = work_tx.clone();
                        thread::spawn(move || {
                            // A bug in packing must not leave the screen
                            // waiting for ever behind the progress bar.
                            let result = std::panic::catch_unwind(|| job.run())
                                .unwrap_or(Err(super::signoff::PackFailure::Panicked))
                                .map(Box::new);
                            let _ = tx.send(Incoming::Msg(Msg::Packed(result)));
                        });
                    }
                    Effect::Save(pending) => {
                        // The saver outlives the loop; a send can only fail if it died.
                        if saves.send(pending.clone()).is_err() {
                            work.extend(update(
                                &mut model,
                                Msg::SaveFailed {
                                    seq: pending.seq,
                                    message: "the saver stopped; restart fieldaudit".into(),
                                },
                            ));
                        }
                    }
                }
            }
        }
    })();
    ratatui::restore();
    previews.close();
    result
}
