//! Signing off: the one procedure behind `fieldaudit pack` and the TUI's
//! sign-off action. Check the record is complete, unlock the key, pack the
//! zip, then lock the record on disk with the sign-off it was signed with —
//! provided nobody changed the record while the zip was being made.

use std::path::{Path, PathBuf};

use minisign::{PublicKey, SecretKey};

use super::keys::{self, KeyError, Protection};
use super::pack::{self, Contents, PackError, Packed, Progress, Signing};
use super::{csv, html};
use crate::audit::{self, AuditError, AuditRecord, StoreError, store};
use crate::checklist::Catalog;
use crate::evidence::Bundle;

#[derive(Debug, thiserror::Error)]
pub enum SignOffError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: {source}", path.display())]
    Audit { path: PathBuf, source: AuditError },
    #[error(transparent)]
    Pack(#[from] PackError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("cannot write the report: {0}")]
    Render(String),
    #[error(
        "{}: the record changed while the report was packed, so the report would not match it; it was removed — pack again",
        record.display()
    )]
    RecordChanged { record: PathBuf },
    #[error("a signer's name is needed for a final report")]
    NoSigner,
    #[error(
        "{}: sign off the certification body's report first; the auditee's copy is signed after it (or pack a --draft)",
        .0.display()
    )]
    NotSignedOff(PathBuf),
    #[error(
        "the auditee's copy is signed with the key the report was signed off with ({expected}), not {given}"
    )]
    OtherKey { expected: String, given: String },
}

/// A secret key ready to sign, with its public half and id.
pub struct Unlocked {
    secret: SecretKey,
    public: PublicKey,
    pub key_id: String,
}

impl std::fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("Unlocked")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Unlocked {
    /// Sign with this key, `trusted_comment` in the signature.
    pub(crate) fn signing(&self, trusted_comment: String) -> Signing<'_> {
        Signing {
            secret: &self.secret,
            public: &self.public,
            trusted_comment,
        }
    }
}

/// Unlock `KEYBASE.key` (with `KEYBASE.pub` beside it). A key without a
/// password opens as it is; otherwise `protection` is used.
pub fn unlock(key: &Path, protection: Protection) -> Result<Unlocked, KeyError> {
    let secret = match keys::load_secret(key, Protection::None) {
        Ok(secret) => secret,
        Err(_) => keys::load_secret(key, protection)?,
    };
    let public = keys::load_public(&key.with_extension("pub"))?;
    let key_id = keys::key_id(&public);
    Ok(Unlocked {
        secret,
        public,
        key_id,
    })
}

/// Whether the report is a draft or signed.
#[derive(Debug)]
pub enum Kind {
    /// Unsigned, marked DRAFT on every page, whatever the record's state.
    Draft,
    /// Signed by `signer` with `key`; only for a complete, open record.
    Final { key: Box<Unlocked>, signer: String },
}

#[derive(Debug)]
pub struct Request {
    pub record: PathBuf,
    pub out: PathBuf,
    /// The bundle to copy cited evidence from (default: the record's own).
    pub evidence: Option<PathBuf>,
    pub kind: Kind,
}

/// What came of a pack.
#[derive(Debug)]
pub struct Outcome {
    pub packed: Packed,
    /// The sign-off written into the report and the record (None: a draft).
    pub sign_off: Option<audit::SignOff>,
    /// The record as it now is on disk.
    pub record: AuditRecord,
}

/// Load the record and refuse early what [`run`] would refuse: a report
/// that exists, a signed-off record, an incomplete one. Run this before
/// asking for a password, so nobody types one for nothing.
pub fn preflight(
    record_path: &Path,
    out: &Path,
    draft: bool,
) -> Result<(AuditRecord, Catalog), SignOffError> {
    if out.exists() {
        return Err(PackError::Exists(out.to_path_buf()).into());
    }
    let record = store::load(record_path)?;
    let audit_err = |source| SignOffError::Audit {
        path: record_path.to_path_buf(),
        source,
    };
    let catalog = record.catalog().map_err(audit_err)?;
    if !draft {
        record.ensure_open().map_err(audit_err)?;
        let missing = pack::missing_for_final(&record, &catalog);
        if !missing.is_empty() {
            return Err(PackError::Incomplete { missing }.into());
        }
    }
    Ok((record, catalog))
}

/// The confirmation the signer gives.
pub fn statement(signer: &str) -> String {
    format!(
        "I, {signer}, confirm that this report is a true record of the audit as conducted and of its findings."
    )
}

/// Fix the report number in the record at its first pack (draft or final),
/// so that every later revision keeps it: the number made from the client,
/// audit type and start date, once there is a start date; and freeze the
/// finding and note numbers handed out so far, which the report shows (a
/// merge of team members' copies never changes them from then on). A
/// signed-off record is left as it is. Returns the record as it now is.
fn fix_report_no(
    request: &Request,
    record: AuditRecord,
    now: audit::Timestamp,
) -> Result<AuditRecord, SignOffError> {
    let number_unset = |r: &AuditRecord| {
        r.meta.report.report_no.is_none() && r.sign_off.is_none() && r.meta.start.is_some()
    };
    let unfrozen = |r: &AuditRecord| {
        let mut frozen = r.clone();
        frozen.freeze_numbers();
        r.sign_off.is_none() && frozen.frozen != r.frozen
    };
    let unset = |r: &AuditRecord| number_unset(r) || unfrozen(r);
    if !unset(&record) {
        return Ok(record);
    }
    let by = match &request.kind {
        Kind::Final { signer, .. } => signer.trim().to_string(),
        Kind::Draft => record.default_author().unwrap_or_default().to_string(),
    };
    let who = audit::Change { by, at: now };
    let stored = store::update(&request.record, |on_disk| {
        if unfrozen(on_disk) {
            on_disk.freeze_numbers();
        }
        if number_unset(on_disk) {
            let number = on_disk.report_no();
            let edit = audit::MetaEdit {
                statements: vec![(audit::report_facts::Statement::ReportNo, number)],
                ..Default::default()
            };
            on_disk
                .set_meta(&who, edit)
                .map_err(|source| SignOffError::Audit {
                    path: request.record.clone(),
                    source,
                })?;
        }
        Ok(on_disk.clone())
    });
    match (stored, &request.kind) {
        (Ok(stored), _) => Ok(stored),
        // A draft of a record that cannot be written to (read-only, say)
        // still packs, numbered as the record would be.
        (Err(_), Kind::Draft) => Ok(record),
        (Err(e), Kind::Final { .. }) => Err(e),
    }
}

/// Pack the report; for a final one, sign it and lock the record.
pub fn run(request: Request, progress: &Progress) -> Result<Outcome, SignOffError> {
    let draft = matches!(request.kind, Kind::Draft);
    let (record, catalog) = preflight(&request.record, &request.out, draft)?;
    let now = audit::now();
    let mut record = fix_report_no(&request, record, now)?;
    let render = |e: ron::Error| SignOffError::Render(e.to_string());
    let before = crate::ronfile::to_string(&record).map_err(render)?;
    let sign_off = match &request.kind {
        Kind::Draft => None,
        Kind::Final { key, signer } => {
            let signer = signer.trim();
            if signer.is_empty() {
                return Err(SignOffError::NoSigner);
            }
            Some(audit::SignOff {
                signer: signer.to_string(),
                at: now,
                key_id: key.key_id.clone(),
                statement: statement(signer),
                revision: Some(record.revision().number),
            })
        }
    };
    let who = audit::Change {
        by: sign_off
            .as_ref()
            .map(|s| s.signer.clone())
            .unwrap_or_default(),
        at: now,
    };
    // The packed audit.ron carries the sign-off it is signed with.
    if let Some(s) = &sign_off {
        record
            .sign_off(&who, s.clone())
            .map_err(|source| SignOffError::Audit {
                path: request.record.clone(),
                source,
            })?;
    }
    let context = html::ReportContext {
        record: &record,
        catalog: &catalog,
        draft,
        sign_off: sign_off.clone(),
        generated_at: now,
        fieldaudit_version: env!("CARGO_PKG_VERSION"),
        audience: html::Audience::CertificationBody,
    };
    let contents = Contents {
        record_ron: crate::ronfile::to_string(&record).map_err(render)?,
        report_html: html::render(&context),
        findings_csv: csv::findings_csv(&record, &catalog)
            .map_err(|e| SignOffError::Render(e.to_string()))?,
        oscal: Some(super::oscal::export(
            &record,
            &catalog,
            &super::oscal::Names::in_report(),
        )),
    };
    let bundle_path = request
        .evidence
        .clone()
        .or_else(|| record.evidence_bundle.as_ref().map(Into::into));
    let bundle = bundle_path
        .as_deref()
        .map(Bundle::open)
        .transpose()
        .map_err(PackError::from)?;
    let report_no = record.report_no();
    let revision = record.revision().number;
    let signing = match (&request.kind, &sign_off) {
        (Kind::Final { key, .. }, Some(s)) => Some(Signing {
            secret: &key.secret,
            public: &key.public,
            trusted_comment: format!(
                "fieldaudit report {} revision {revision}: {}; signed off by {} at {}; key {}",
                crate::text::shown(&report_no),
                record.meta.client,
                s.signer,
                now.to_rfc3339(),
                s.key_id
            ),
        }),
        _ => None,
    };
    let packed = pack::pack(
        &record,
        bundle.as_ref(),
        &crate::evidence::collected::folder_for(&request.record),
        &contents,
        signing,
        &request.out,
        progress,
    )?;
    let Some(signed) = sign_off.clone() else {
        return Ok(Outcome {
            packed,
            sign_off,
            record,
        });
    };
    // Lock the record on disk too, provided nobody changed it meanwhile.
    let locked = store::update(&request.record, |on_disk| {
        let unchanged = crate::ronfile::to_string(on_disk).map_err(render)? == before;
        if !unchanged {
            return Err(SignOffError::RecordChanged {
                record: request.record.clone(),
            });
        }
        on_disk
            .sign_off(&who, signed.clone())
            .map_err(|source| SignOffError::Audit {
                path: request.record.clone(),
                source,
            })?;
        on_disk.issued(
            &who,
            audit::IssuedReport {
                report_no: report_no.clone(),
                revision,
                manifest_sha256: packed.manifest_sha256.clone(),
                signed_at: signed.at,
                signer: signed.signer,
            },
        );
        Ok(on_disk.clone())
    });
    match locked {
        Ok(record) => Ok(Outcome {
            packed,
            sign_off,
            record,
        }),
        Err(e) => {
            // The report we just made does not match the record: take it back.
            let _ = std::fs::remove_file(&request.out);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Change, Member, MetaEdit, Role, Verdict};
    use std::sync::atomic::Ordering;

    /// A record with one checklist fully assessed and complete metadata.
    fn complete(dir: &Path) -> PathBuf {
        let path = dir.join("a.ron");
        let who = Change::now("lee");
        let mut record = AuditRecord::new(
            audit::Meta::new("Acme", audit::AuditType::default()),
            vec![audit::Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        record
            .set_meta(
                &who,
                MetaEdit {
                    scope: Some("AI".into()),
                    start: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 24)),
                    end: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 25)),
                    team: Some(vec![Member::new("Lee", Role::LeadAuditor)]),
                    certification_body: Some("CB".into()),
                    ..MetaEdit::default()
                },
            )
            .unwrap();
        record.meta.report = audit::report_facts::ReportFacts {
            client_address: Some("1 Example Road".into()),
            planned_days: "1".parse().ok(),
            onsite_days: "1".parse().ok(),
            remote_days: "0".parse().ok(),
            changes: Some("none".into()),
            deviations: Some("none".into()),
            unresolved: Some("none".into()),
            sampling: Some("the register".into()),
            ..Default::default()
        };
        let concluded = audit::conclusion::Conclusion {
            recommendation: audit::conclusion::Recommendation::Recommend,
            reasoning: "All requirements conform".into(),
            scope_appropriate: Some(true),
            effectiveness: None,
            objectives_met: Some(true),
            at: who.at,
            by: String::new(),
        };
        let catalog = record.catalog().unwrap();
        for (r, _, _) in catalog.requirements() {
            record
                .set_verdict(&who, &r, Verdict::Conforming, None)
                .unwrap();
        }
        record.conclude(&who, concluded).unwrap();
        store::create(&path, &record).unwrap();
        path
    }

    fn key(dir: &Path) -> Unlocked {
        let base = dir.join("lead");
        keys::keygen(&base, Protection::None).unwrap();
        unlock(&base.with_extension("key"), Protection::None).unwrap()
    }

    /// A final report of `dir/a.ron` to `dir/r.zip`, signed with a new key.
    fn signed(dir: &Path, signer: &str) -> Request {
        Request {
            record: dir.join("a.ron"),
            out: dir.join("r.zip"),
            evidence: None,
            kind: Kind::Final {
                key: Box::new(key(dir)),
                signer: signer.into(),
            },
        }
    }

    #[test]
    fn a_final_report_is_signed_and_the_record_locked_with_progress_counted() {
        let dir = tempfile::tempdir().unwrap();
        let record = complete(dir.path());
        let progress = Progress::default();
        let outcome = run(signed(dir.path(), " Lee "), &progress).unwrap();
        assert!(outcome.packed.signed);
        let zip = std::fs::metadata(dir.path().join("r.zip")).unwrap();
        assert_eq!(outcome.packed.zip_bytes, zip.len());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(zip.permissions().mode() & 0o777, 0o644);
        }
        assert_eq!(outcome.sign_off.as_ref().unwrap().signer, "Lee");
        let on_disk = store::load(&record).unwrap();
        assert_eq!(on_disk.sign_off, outcome.sign_off);
        assert_eq!(outcome.record.sign_off, outcome.sign_off);
        let total = progress.total.load(Ordering::Relaxed);
        assert!(total > 0);
        assert_eq!(progress.done.load(Ordering::Relaxed), total);
        assert!((progress.fraction() - 1.0).abs() < f64::EPSILON);
        // Locked now: a second final pack is refused before any work.
        let again = preflight(&record, &dir.path().join("r2.zip"), false);
        assert!(matches!(
            again,
            Err(SignOffError::Audit {
                source: AuditError::SignedOff { .. },
                ..
            })
        ));
    }

    #[test]
    fn a_cancelled_pack_leaves_no_report_and_no_lock() {
        let dir = tempfile::tempdir().unwrap();
        let record = complete(dir.path());
        let progress = Progress::default();
        progress.cancel.store(true, Ordering::Relaxed);
        let request = signed(dir.path(), "Lee");
        let out = request.out.clone();
        let result = run(request, &progress);
        assert!(
            matches!(result, Err(SignOffError::Pack(PackError::Cancelled))),
            "{result:?}"
        );
        assert!(!out.exists());
        assert!(store::load(&record).unwrap().sign_off.is_none());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .contains("fieldaudit-report")
            })
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn an_incomplete_record_names_what_is_missing_and_a_draft_packs_anyway() {
        let dir = tempfile::tempdir().unwrap();
        let record = complete(dir.path());
        store::update(&record, |r| -> Result<(), SignOffError> {
            let req = r.catalog().unwrap().resolve("6.1.2").unwrap();
            r.set_verdict(&Change::now("lee"), &req, Verdict::NotAssessed, None)
                .unwrap();
            Ok(())
        })
        .unwrap();
        let err = preflight(&record, &dir.path().join("r.zip"), false).unwrap_err();
        let SignOffError::Pack(PackError::Incomplete { missing }) = err else {
            panic!("{err}");
        };
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].to_string(), "iso42001-2023:6.1.2: no verdict");
        assert_eq!(missing[0].requirement().unwrap().id, "6.1.2");
        let outcome = run(
            Request {
                record: record.clone(),
                out: dir.path().join("d.zip"),
                evidence: None,
                kind: Kind::Draft,
            },
            &Progress::default(),
        )
        .unwrap();
        assert!(!outcome.packed.signed && outcome.sign_off.is_none());
        assert!(store::load(&record).unwrap().sign_off.is_none());
    }

    #[test]
    fn cited_evidence_without_a_bundle_says_how_to_name_one_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let record = complete(dir.path());
        store::update(&record, |r| -> Result<(), SignOffError> {
            let req = r.catalog().unwrap().resolve("5.2").unwrap();
            let target = audit::LinkTarget::Requirement(req);
            r.link_evidence(
                &Change::now("lee"),
                &target,
                "policy.md".into(),
                "00".repeat(32),
                3,
            )
            .unwrap();
            Ok(())
        })
        .unwrap();
        let out = dir.path().join("d.zip");
        let request = Request {
            record,
            out: out.clone(),
            evidence: None,
            kind: Kind::Draft,
        };
        let err = run(request, &Progress::default()).unwrap_err();
        assert!(
            matches!(err, SignOffError::Pack(PackError::NoBundle)),
            "{err}"
        );
        assert!(err.to_string().contains("--evidence PATH"), "{err}");
        assert!(!out.exists());
    }
}
