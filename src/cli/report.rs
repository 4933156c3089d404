//! `fieldaudit keygen`, `pack` and `verify`: the signed report for the
//! certification body.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use fieldaudit::audit::status;
use fieldaudit::report::keys::{self, KeyError, Protection};
use fieldaudit::report::pack::Progress;
use fieldaudit::report::signoff::{self, Kind, Request};
use fieldaudit::report::verify::{self, Signature};
use fieldaudit::text::{Shown, to_json_pretty};
use serde_json::json;

use super::out::{errln, outln};

/// `FIELDAUDIT_PASSWORD` for scripts, else the terminal (minisign's prompt
/// reads the controlling terminal, not standard input).
fn password() -> Result<Protection> {
    match std::env::var("FIELDAUDIT_PASSWORD") {
        Ok(p) if !p.is_empty() => Ok(Protection::Password(p)),
        _ if !has_terminal() => bail!(
            "no terminal to ask for the key's password on: set FIELDAUDIT_PASSWORD for scripts (or make a key without one with `fieldaudit keygen KEYBASE --no-password`)"
        ),
        _ => Ok(Protection::Prompt),
    }
}

#[cfg(unix)]
fn has_terminal() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok()
}

#[cfg(not(unix))]
fn has_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
}

pub fn keygen(base: &Path, no_password: bool) -> Result<ExitCode> {
    let protection = if no_password {
        Protection::None
    } else {
        password()?
    };
    let id = keys::keygen(base, protection)?;
    let (secret, public) = keys::key_paths(base);
    outln!(
        "key {id}: secret {} (keep it to yourself), public {} (give it to the certification body)",
        Shown(secret.display()),
        Shown(public.display())
    );
    Ok(ExitCode::SUCCESS)
}

pub struct PackArgs<'a> {
    pub record: &'a Path,
    pub out: &'a Path,
    pub key: Option<&'a Path>,
    pub signer: Option<&'a str>,
    pub draft: bool,
    pub evidence: Option<&'a Path>,
    /// The auditee's copy rather than the certification body's report.
    pub for_client: bool,
}

/// `pack --for client`: the auditee's copy, signed with the key the
/// record was signed off with (no signer to give: it is the sign-off's).
fn pack_for_client(args: &PackArgs<'_>) -> Result<ExitCode> {
    let kind = if args.draft {
        Kind::Draft
    } else {
        let Some(key) = args.key else {
            bail!(
                "the auditee's copy is signed with the key the report was signed off with: give --key KEYBASE.key (or pack a --draft)"
            );
        };
        let record = fieldaudit::audit::store::load(args.record)?;
        let Some(sign_off) = record.sign_off else {
            return Err(signoff::SignOffError::NotSignedOff(args.record.to_path_buf()).into());
        };
        Kind::Final {
            key: Box::new(unlock_asking(key)?),
            signer: sign_off.signer,
        }
    };
    let request = Request {
        record: args.record.to_path_buf(),
        out: args.out.to_path_buf(),
        evidence: None,
        kind,
    };
    let progress = Progress::default();
    let packed = super::progress::with_bar("packing", &progress.done, &progress.total, || {
        fieldaudit::report::auditee::run(request, &progress).map_err(anyhow::Error::from)
    })?;
    outln!(
        "{} {}: the auditee's copy, {} files, {}",
        packed_how(packed.signed),
        Shown(args.out.display()),
        packed.files,
        fieldaudit::evidence::human_size(packed.zip_bytes)
    );
    Ok(ExitCode::SUCCESS)
}

/// How a report was packed, as the output line says it.
fn packed_how(signed: bool) -> &'static str {
    if signed {
        "packed and signed"
    } else {
        "packed DRAFT"
    }
}

/// Unlock a key, asking for its password only when it has one.
fn unlock_asking(key: &Path) -> Result<signoff::Unlocked> {
    Ok(match signoff::unlock(key, Protection::None) {
        Ok(unlocked) => unlocked,
        Err(KeyError::Bad { .. }) => signoff::unlock(key, password()?)?,
        Err(other) => return Err(other.into()),
    })
}

pub fn pack(args: PackArgs<'_>) -> Result<ExitCode> {
    if args.for_client {
        return pack_for_client(&args);
    }
    // Refuse what can be refused before anybody types a password.
    let (record, catalog) = signoff::preflight(args.record, args.out, args.draft)?;
    // Not a refusal: the report states it too.
    let unsupported = status::unsupported_verdicts(&record, &catalog);
    if let Some(warning) = status::unsupported_warning(&unsupported) {
        errln!("warning: {}", Shown(warning));
    }
    let kind = if args.draft {
        Kind::Draft
    } else {
        let (Some(key), Some(signer)) = (args.key, args.signer) else {
            bail!(
                "a final report is signed: give --key KEYBASE.key and --signer NAME (or pack a --draft)"
            );
        };
        Kind::Final {
            // A key without a password opens as it is; only then ask.
            key: Box::new(unlock_asking(key)?),
            signer: signer.to_string(),
        }
    };
    let request = Request {
        record: args.record.to_path_buf(),
        out: args.out.to_path_buf(),
        evidence: args.evidence.map(Path::to_path_buf),
        kind,
    };
    let progress = Progress::default();
    let outcome = super::progress::with_bar("packing", &progress.done, &progress.total, || {
        signoff::run(request, &progress).map_err(anyhow::Error::from)
    })?;
    let packed = outcome.packed;
    outln!(
        "{} {}: {} files ({} evidence), {}{}",
        packed_how(packed.signed),
        Shown(args.out.display()),
        packed.files,
        packed.evidence_files,
        fieldaudit::evidence::human_size(packed.zip_bytes),
        if packed.signed {
            "; verify with `fieldaudit verify REPORT.zip --pubkey KEY.pub` or `minisign -Vm MANIFEST.sha256 -p KEY.pub`"
        } else {
            ""
        }
    );
    let record = &outcome.record;
    outln!(
        "report {} revision {}",
        Shown(record.report_no()),
        record.revision().number
    );
    Ok(ExitCode::SUCCESS)
}

pub fn verify(report: &Path, pubkey: Option<&Path>, json_out: bool) -> Result<ExitCode> {
    let public = pubkey.map(keys::load_public).transpose()?;
    let verdict = verify::verify(report, public.as_ref())?;
    if json_out {
        let (key_id, comment) = match &verdict.signature {
            Signature::Unsigned | Signature::Invalid => (None, None),
            Signature::Verified {
                key_id,
                trusted_comment,
            }
            | Signature::Rejected {
                key_id,
                trusted_comment,
            }
            | Signature::NotAuthenticated {
                key_id,
                trusted_comment,
            } => (Some(key_id), Some(trusted_comment)),
        };
        let state = verdict.signature.state();
        let out = json!({
            "ok": verdict.ok(),
            "files_checked": verdict.files_checked,
            "signature": state,
            "key_id": key_id,
            "signed": comment,
            "problems": verdict.problems,
        });
        outln!("{}", to_json_pretty(&out)?);
    } else {
        for p in &verdict.problems {
            outln!("PROBLEM  {}", Shown(p));
        }
        match &verdict.signature {
            Signature::Unsigned if pubkey.is_some() => {
                outln!("NOT SIGNED: the report carries no signature, so nothing authenticates it")
            }
            Signature::Unsigned => outln!(
                "unsigned report (a draft): integrity checked only; nothing authenticates who made it"
            ),
            Signature::Invalid => outln!("the signature entry is unreadable or corrupt"),
            Signature::Verified {
                key_id,
                trusted_comment,
            } => {
                outln!(
                    "signature verified with key {}: {}",
                    Shown(key_id),
                    Shown(trusted_comment)
                )
            }
            Signature::Rejected { key_id, .. } => {
                outln!(
                    "signature by key {} REJECTED (see the problems above)",
                    Shown(key_id)
                )
            }
            Signature::NotAuthenticated {
                key_id,
                trusted_comment,
            } => outln!(
                "signed by key {} ({}), but the signer is NOT authenticated: give --pubkey KEY.pub",
                Shown(key_id),
                Shown(trusted_comment)
            ),
        }
        outln!(
            "{}: {} file(s) checked against the manifest, {} problem(s)",
            Shown(report.display()),
            verdict.files_checked,
            verdict.problems.len()
        );
    }
    Ok(if verdict.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub fn reopen(record: &Path, author: Option<&str>) -> Result<ExitCode> {
    let old = super::change(record, author, |r, _, who| r.reopen(who))?;
    outln!(
        "{}: reopened; the sign-off by {} at {} no longer holds (pack and sign again when done)",
        Shown(record.display()),
        Shown(&old.signer),
        old.at.to_rfc3339()
    );
    Ok(ExitCode::SUCCESS)
}
