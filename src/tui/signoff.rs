//! Sign-off, the run loop's side: what the form starts from (found on disk
//! and in the environment), and the packer job that runs on a worker. The
//! form is [`crate::tui::popup::signoff`]; the procedure itself is
//! [`crate::report::signoff`], the same one `fieldaudit pack` runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::update::{Effect, Msg};
use crate::report::keys::{KeyError, Protection};
use crate::report::pack::{PackError, Progress};
use crate::report::signoff::{self, Kind, Outcome, Request, SignOffError};

/// Work for the packer: everything [`signoff::run`] needs, the password
/// included (never printed).
#[derive(Clone)]
pub struct PackJob {
    pub record: PathBuf,
    pub out: PathBuf,
    pub evidence: Option<PathBuf>,
    pub draft: bool,
    pub signer: String,
    pub key: PathBuf,
    pub password: String,
    pub progress: Arc<Progress>,
}

impl std::fmt::Debug for PackJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackJob")
            .field("record", &self.record)
            .field("out", &self.out)
            .field("draft", &self.draft)
            .field("signer", &self.signer)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// Why packing from the form gave no report, worded for the form.
#[derive(Debug, thiserror::Error)]
pub enum PackFailure {
    #[error("{}: wrong password; type it again and press Ctrl-S", .0.display())]
    WrongPassword(PathBuf),
    /// Readable, but it would not open without a password.
    #[error(
        "{}: this key is protected by a password; type it in the Key password field",
        .0.display()
    )]
    NeedsPassword(PathBuf),
    #[error(transparent)]
    Key(KeyError),
    #[error("cancelled: no report was written and the record is unchanged")]
    Cancelled,
    #[error("{}", .0.to_string().replace('\n', " "))]
    SignOff(Box<SignOffError>),
    /// A bug in packing, caught so the screen does not wait for ever.
    #[error(
        "packing stopped on an internal error (please report it); check `fieldaudit status` and the report file before packing again"
    )]
    Panicked,
}

impl PackJob {
    /// Unlock the key and pack; runs on a worker thread.
    pub fn run(self) -> Result<Outcome, PackFailure> {
        let kind = if self.draft {
            Kind::Draft
        } else {
            let empty = self.password.is_empty();
            let protection = if empty {
                Protection::None
            } else {
                Protection::Password(self.password)
            };
            let key = signoff::unlock(&self.key, protection).map_err(|e| match e {
                KeyError::WrongPassword(path) => PackFailure::WrongPassword(path),
                KeyError::Bad { path, .. } if empty => PackFailure::NeedsPassword(path),
                other => PackFailure::Key(other),
            })?;
            Kind::Final {
                key: Box::new(key),
                signer: self.signer,
            }
        };
        let request = Request {
            record: self.record,
            out: self.out,
            evidence: self.evidence,
            kind,
        };
        signoff::run(request, &self.progress).map_err(|e| match e {
            SignOffError::Pack(PackError::Cancelled) => PackFailure::Cancelled,
            other => PackFailure::SignOff(Box::new(other)),
        })
    }
}

/// What the sign-off form starts from, found on disk and in the
/// environment by the run loop (see [`look_around`]), so that `update`
/// itself reads nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surroundings {
    /// The first free `<record>-report.zip` and `<record>-draft.zip` names.
    pub final_name: String,
    pub draft_name: String,
    /// The only `*.key` file beside the record, if there is exactly one.
    pub key: Option<String>,
    /// `$HOME`, for `~/` in file names.
    pub home: Option<PathBuf>,
}

/// Look on disk and in the environment for what the sign-off form of the
/// record at `record` starts from (I/O: the run loop calls this).
pub fn look_around(record: &Path) -> Surroundings {
    Surroundings {
        final_name: default_out(record, false),
        draft_name: default_out(record, true),
        key: key_beside(record),
        home: std::env::var_os("HOME").map(PathBuf::from),
    }
}

/// `~/x` as the shell would read it, with `home` for `~`.
pub(crate) fn expand_home(text: &str, home: Option<&Path>) -> PathBuf {
    match (text.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(text),
    }
}

/// `<record>-report.zip` (or `-draft`) beside the record, with a number
/// added when that name is taken.
fn default_out(record: &Path, draft: bool) -> String {
    let stem = record
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "audit".into());
    let folder = record.parent().unwrap_or(Path::new(""));
    let kind = if draft { "draft" } else { "report" };
    (1..1000)
        .map(|n| match n {
            1 => format!("{stem}-{kind}.zip"),
            n => format!("{stem}-{kind}-{n}.zip"),
        })
        .map(|name| folder.join(name))
        .find(|p| !p.exists())
        .unwrap_or_else(|| folder.join(format!("{stem}-{kind}.zip")))
        .display()
        .to_string()
}

/// The only `*.key` file beside the record, if there is exactly one.
fn key_beside(record: &Path) -> Option<String> {
    let folder = match record.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut keys = std::fs::read_dir(folder)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "key"));
    let only = keys.next()?;
    if keys.next().is_some() {
        return None;
    }
    let shown = match record.parent() {
        Some(p) if !p.as_os_str().is_empty() => only,
        _ => PathBuf::from(only.file_name()?),
    };
    Some(shown.display().to_string())
}

/// Carry out the effects that only look at the disk or the environment,
/// answering at once with a message (the run loop, and tests, call this).
pub fn probe(effect: &Effect, record: &Path) -> Option<Msg> {
    match effect {
        Effect::LookAround => Some(Msg::LookedAround(look_around(record))),
        Effect::CheckReportName(path) => Some(Msg::ReportNameChecked {
            path: path.clone(),
            taken: path.exists(),
        }),
        _ => None,
    }
}
