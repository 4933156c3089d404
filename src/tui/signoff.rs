//! The sign-off action: a form that shows what a final report still lacks
//! and asks for the report's name, the signer, the key and its password;
//! then a worker packs (and signs) the report with a progress bar, and the
//! record comes back locked. The procedure itself is
//! [`crate::report::signoff`], the same one `fieldaudit pack` runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::model::{Item, Model, Notice, Packing, Popup, SignField, SignOffForm, TextField};
use super::update::{Effect, Msg};
use crate::audit::AuditRecord;
use crate::evidence::human_size;
use crate::report::keys::{KeyError, Protection};
use crate::report::pack::{self, Missing, PackError, Progress};
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
fn expand_home(text: &str, home: Option<&Path>) -> PathBuf {
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

/// Open the sign-off form, filled in as far as fieldaudit can guess from
/// what the run loop found around the record.
pub fn open(model: &mut Model, around: Surroundings) {
    let missing = pack::missing_for_final(&model.record, &model.catalog);
    // A complete, open record is signed; otherwise a draft is what can be made.
    let draft = !missing.is_empty() || model.record.sign_off.is_some();
    let defaults = (around.final_name, around.draft_name);
    let signer = model
        .record
        .meta
        .lead_auditor()
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| model.author.clone());
    let mut password = TextField::new("Key password", "", false);
    password.area.set_mask_char('•');
    let form = SignOffForm {
        draft,
        out: TextField::new(
            "Save as",
            if draft { &defaults.1 } else { &defaults.0 },
            false,
        ),
        signer: TextField::new("Signer", &signer, false),
        key: TextField::new(
            "Key (.key)",
            around.key.as_deref().unwrap_or_default(),
            false,
        ),
        password,
        focus: if draft {
            SignField::Kind
        } else {
            SignField::Password
        },
        missing,
        error: None,
        defaults,
        home: around.home,
    };
    model.popups.push(Popup::SignOff(Box::new(form)));
}

/// ←/→ on the kind row: final or draft, and the default name follows.
pub fn toggle_kind(form: &mut SignOffForm) {
    form.draft = !form.draft;
    let (final_name, draft_name) = &form.defaults;
    let (from, to) = if form.draft {
        (final_name, draft_name)
    } else {
        (draft_name, final_name)
    };
    if form.out.text() == *from {
        form.out = TextField::new("Save as", to, false);
    }
    form.error = None;
}

/// Ctrl-S (or Enter on the last row): first ask the run loop whether the
/// report's file name is taken ([`Effect::CheckReportName`]); the answer
/// goes to [`submit`].
pub fn check_name(model: &Model) -> Option<Effect> {
    let Some(Popup::SignOff(form)) = model.popups.last() else {
        return None;
    };
    Some(Effect::CheckReportName(expand_home(
        &form.out.text(),
        form.home.as_deref(),
    )))
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

/// The report name `path` was checked (`taken`: a file is there): check
/// the rest of the form and start the packer.
pub fn submit(model: &mut Model, path: &Path, taken: bool) -> Option<PackJob> {
    let Some(Popup::SignOff(form)) = model.popups.last() else {
        return None;
    };
    if expand_home(&form.out.text(), form.home.as_deref()) != path {
        // The name was changed meanwhile: this answer is about another.
        return None;
    }
    let refusal = refusal(model, taken);
    let Some(Popup::SignOff(form)) = model.popups.last_mut() else {
        return None;
    };
    if let Some(reason) = refusal {
        form.error = Some(reason);
        return None;
    }
    let progress = Arc::new(Progress::default());
    let job = PackJob {
        record: model.path.clone(),
        out: expand_home(&form.out.text(), form.home.as_deref()),
        evidence: None,
        draft: form.draft,
        signer: form.signer.text(),
        key: expand_home(&form.key.text(), form.home.as_deref()),
        password: form.password.area.lines().join(""),
        progress: Arc::clone(&progress),
    };
    // The password leaves the form; a failed attempt asks for it again.
    let mut password = TextField::new("Key password", "", false);
    password.area.set_mask_char('•');
    form.password = password;
    form.error = None;
    model.popups.push(Popup::Packing(Packing {
        progress,
        out: job.out.clone(),
        draft: job.draft,
    }));
    Some(job)
}

/// Why the form cannot be packed as it stands, if it cannot (`taken`: a
/// file has the report's name).
fn refusal(model: &Model, taken: bool) -> Option<String> {
    let Some(Popup::SignOff(form)) = model.popups.last() else {
        return None;
    };
    if !model.pending.is_empty() {
        return Some(format!(
            "{} change(s) are still being saved; try again in a moment",
            model.pending.len()
        ));
    }
    if !model.failed.is_empty() {
        return Some(format!(
            "{} change(s) could not be saved; Esc, then Ctrl-R to retry, before packing",
            model.failed.len()
        ));
    }
    let out = form.out.text();
    if out.is_empty() {
        return Some("give the report a file name (Save as)".into());
    }
    if taken {
        return Some(format!(
            "{out} already exists; fieldaudit never overwrites a report — choose another name"
        ));
    }
    if form.draft {
        return None;
    }
    if let Some(s) = &model.record.sign_off {
        return Some(format!(
            "already signed off by {} at {}; run `fieldaudit reopen` to change the record, or pack a draft",
            s.signer,
            s.at.format("%Y-%m-%d %H:%M")
        ));
    }
    let missing = pack::missing_for_final(&model.record, &model.catalog);
    if !missing.is_empty() {
        return Some(format!(
            "{} item(s) missing for a final report: Ctrl-G goes to the first, or choose draft",
            missing.len()
        ));
    }
    if form.signer.text().is_empty() {
        return Some("a final report needs the signer's name".into());
    }
    if form.key.text().is_empty() {
        return Some(
            "give your secret key file (KEYBASE.key; `fieldaudit keygen` makes one)".into(),
        );
    }
    None
}

/// Esc while packing: ask the packer to stop.
pub fn cancel(model: &mut Model) {
    if let Some(Popup::Packing(p)) = model.popups.last() {
        p.progress
            .cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
        model.message = Some("cancelling…".into());
    }
}

/// The packer finished: show what was made, or why not.
pub fn packed(model: &mut Model, result: Result<Box<Outcome>, PackFailure>) -> Option<AuditRecord> {
    let out = match model.popups.last() {
        Some(Popup::Packing(p)) => {
            let out = p.out.display().to_string();
            model.popups.pop();
            out
        }
        _ => String::new(),
    };
    model.message = None;
    match result {
        Err(reason) => {
            match model.popups.last_mut() {
                Some(Popup::SignOff(form)) => form.error = Some(reason.to_string()),
                _ => model.message = Some(reason.to_string()),
            }
            None
        }
        Ok(outcome) => {
            if matches!(model.popups.last(), Some(Popup::SignOff(_))) {
                model.popups.pop();
            }
            let Outcome {
                packed,
                sign_off,
                record,
            } = *outcome;
            let mut lines = vec![format!(
                "{out}: {} files ({} evidence), {}.",
                packed.files,
                packed.evidence_files,
                human_size(packed.zip_bytes)
            )];
            let title;
            match &sign_off {
                Some(s) => {
                    title = " Report signed ".to_string();
                    lines.push(format!(
                        "Signed off by {} at {} with key {}.",
                        s.signer,
                        s.at.format("%Y-%m-%d %H:%M %:z"),
                        s.key_id
                    ));
                    lines.push(
                        "The record is now locked; `fieldaudit reopen` unlocks it and records that this sign-off no longer holds."
                            .into(),
                    );
                    lines.push(
                        "Give the certification body the zip and your public key (.pub). They check it with `fieldaudit verify REPORT.zip --pubkey KEY.pub`, or `minisign -Vm MANIFEST.sha256 -p KEY.pub` and `sha256sum -c MANIFEST.sha256` on the unzipped files."
                            .into(),
                    );
                }
                None => {
                    title = " DRAFT packed ".to_string();
                    lines.push(
                        "Unsigned and marked DRAFT on every page; the record stays open.".into(),
                    );
                }
            }
            model.popups.push(Popup::Notice(Notice { title, lines }));
            Some(record)
        }
    }
}

/// Ctrl-G: close the form and go to the first missing item.
pub fn go_to_missing(model: &mut Model) {
    let Some(Popup::SignOff(form)) = model.popups.last() else {
        return;
    };
    let Some(first) = form.missing.first().cloned() else {
        if let Some(Popup::SignOff(form)) = model.popups.last_mut() {
            form.error = Some("nothing is missing".into());
        }
        return;
    };
    model.popups.pop();
    match &first {
        Missing::Meta(_) => model
            .popups
            .push(Popup::Meta(Box::new(super::model::MetaForm::new(
                &model.record.meta,
            )))),
        Missing::Verdict(r) | Missing::Justification(r) => model.jump_to(r),
        Missing::Statement(id) | Missing::ObjectiveEvidence(id) => {
            if let Some(r) = model
                .record
                .findings
                .iter()
                .find(|f| f.id == *id)
                .and_then(|f| f.requirements.first().cloned())
            {
                model.jump_to(&r);
                model.item = Some(Item::Finding(*id));
            }
        }
    }
    model.message = Some(format!("missing: {first}"));
}
