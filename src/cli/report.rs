//! `fieldaudit keygen`, `pack` and `verify`: the signed report for the
//! certification body.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use fieldaudit::audit::{self, store};
use fieldaudit::evidence::Bundle;
use fieldaudit::report::keys::{self, Protection};
use fieldaudit::report::pack::{self, Contents, Signing};
use fieldaudit::report::verify::{self, Signature};
use fieldaudit::report::{csv, html};
use serde_json::json;

/// `FIELDAUDIT_PASSWORD` for scripts, else the terminal.
fn password() -> Protection {
    match std::env::var("FIELDAUDIT_PASSWORD") {
        Ok(p) if !p.is_empty() => Protection::Password(p),
        _ => Protection::Prompt,
    }
}

pub fn keygen(base: &Path, no_password: bool) -> Result<ExitCode> {
    let protection = if no_password {
        Protection::None
    } else {
        password()
    };
    let id = keys::keygen(base, protection)?;
    let (secret, public) = keys::key_paths(base);
    println!(
        "key {id}: secret {} (keep it to yourself), public {} (give it to the certification body)",
        secret.display(),
        public.display()
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
}

pub fn pack(args: PackArgs<'_>) -> Result<ExitCode> {
    if args.out.exists() {
        return Err(pack::PackError::Exists(args.out.to_path_buf()).into());
    }
    let mut record = store::load(args.record)?;
    if !args.draft {
        record.ensure_open()?;
    }
    let before = fieldaudit::ronfile::to_string(&record)?;
    let catalog = record
        .catalog()
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.record.display()))?;
    let now = audit::now();
    let mut unlocked = None;
    if !args.draft {
        let (Some(key), Some(signer)) = (args.key, args.signer) else {
            bail!(
                "a final report is signed: give --key KEYBASE.key and --signer NAME (or pack a --draft)"
            );
        };
        let missing = pack::missing_for_final(&record, &catalog);
        if !missing.is_empty() {
            return Err(pack::PackError::Incomplete { missing }.into());
        }
        // An unprotected key needs no password; otherwise ask for one.
        let secret = match keys::load_secret(key, Protection::None) {
            Ok(k) => k,
            Err(_) => keys::load_secret(key, password())?,
        };
        let public_path = key.with_extension("pub");
        let public = keys::load_public(&public_path)?;
        let key_id = keys::key_id(&public);
        unlocked = Some((secret, public, signer.trim().to_string(), key_id));
    }
    let sign_off = unlocked.as_ref().map(|(_, _, signer, key_id)| html::SignOff {
        signer: signer.clone(),
        at: now,
        key_id: key_id.clone(),
        statement: format!(
            "I, {signer}, confirm that this report is a true record of the audit as conducted and of its findings."
        ),
    });
    // The packed audit.ron carries the sign-off it is signed with.
    let who = audit::Change {
        by: args.signer.unwrap_or_default().to_string(),
        at: now,
    };
    if let Some(s) = &sign_off {
        record.sign_off(
            &who,
            audit::SignOff {
                signer: s.signer.clone(),
                at: s.at,
                key_id: s.key_id.clone(),
                statement: s.statement.clone(),
            },
        )?;
    }
    let context = html::ReportContext {
        record: &record,
        catalog: &catalog,
        draft: args.draft,
        sign_off,
        generated_at: now,
        fieldaudit_version: env!("CARGO_PKG_VERSION"),
    };
    let contents = Contents {
        record_ron: fieldaudit::ronfile::to_string(&record)?,
        report_html: html::render(&context),
        findings_csv: csv::findings_csv(&record)?,
    };
    let bundle_path = args
        .evidence
        .map(Path::to_path_buf)
        .or_else(|| record.evidence_bundle.as_ref().map(Into::into));
    let bundle = bundle_path.as_deref().map(Bundle::open).transpose()?;
    let signing = unlocked
        .as_ref()
        .map(|(secret, public, signer, key_id)| Signing {
            secret,
            public,
            trusted_comment: format!(
                "fieldaudit report: {}; signed off by {signer} at {}; key {key_id}",
                record.meta.client,
                now.to_rfc3339()
            ),
        });
    let packed = pack::pack(&record, bundle.as_ref(), &contents, signing, args.out)?;
    if let Some(signed) = record.sign_off.clone() {
        // Lock the record on disk too, provided nobody changed it meanwhile.
        let locked = store::update(args.record, |on_disk| -> Result<()> {
            if fieldaudit::ronfile::to_string(on_disk)? != before {
                bail!(
                    "{}: the record changed while the report was packed; the report {} does not match it — remove the report and pack again",
                    args.record.display(),
                    args.out.display()
                );
            }
            on_disk.sign_off(&who, signed)?;
            Ok(())
        });
        locked?;
    }
    println!(
        "{} {}: {} files ({} evidence), {} bytes{}",
        if args.draft {
            "packed DRAFT"
        } else {
            "packed and signed"
        },
        args.out.display(),
        packed.files,
        packed.evidence_files,
        packed.bytes,
        if packed.signed {
            "; verify with `fieldaudit verify REPORT.zip --pubkey KEY.pub` or `minisign -Vm MANIFEST.sha256 -p KEY.pub`"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn verify(report: &Path, pubkey: Option<&Path>, json_out: bool) -> Result<ExitCode> {
    let public = pubkey.map(keys::load_public).transpose()?;
    let verdict = verify::verify(report, public.as_ref())?;
    if json_out {
        let (state, key_id, comment) = match &verdict.signature {
            Signature::Unsigned => ("unsigned", None, None),
            Signature::Verified {
                key_id,
                trusted_comment,
            } => ("verified", Some(key_id), Some(trusted_comment)),
            Signature::NotAuthenticated {
                key_id,
                trusted_comment,
            } => ("not_authenticated", Some(key_id), Some(trusted_comment)),
        };
        let out = json!({
            "ok": verdict.ok(),
            "files_checked": verdict.files_checked,
            "signature": state,
            "key_id": key_id,
            "signed": comment,
            "problems": verdict.problems,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for p in &verdict.problems {
            println!("PROBLEM  {p}");
        }
        match &verdict.signature {
            Signature::Unsigned => println!("unsigned report (a draft): integrity checked only"),
            Signature::Verified {
                key_id,
                trusted_comment,
            } => {
                println!("signature verified with key {key_id}: {trusted_comment}")
            }
            Signature::NotAuthenticated {
                key_id,
                trusted_comment,
            } => println!(
                "signed by key {key_id} ({trusted_comment}), but the signer is NOT authenticated: give --pubkey KEY.pub"
            ),
        }
        println!(
            "{}: {} file(s) checked against the manifest, {} problem(s)",
            report.display(),
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
    let old = super::record::change(record, author, |r, _, who| r.reopen(who))?;
    println!(
        "{}: reopened; the sign-off by {} at {} no longer holds (pack and sign again when done)",
        record.display(),
        old.signer,
        old.at.to_rfc3339()
    );
    Ok(ExitCode::SUCCESS)
}
