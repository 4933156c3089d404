//! The auditee's copy of the report (`pack --for client`): report.html,
//! findings.csv and the record without working papers, interviewees named
//! by role only, and no copies of the evidence; marked as the auditee's
//! copy on every page, and signed (with the key the certification body's
//! report was signed off with) so that it verifies the same way.
//!
//! The record is not changed: a signed auditee's copy follows the sign-off
//! of the certification body's report.

use crate::audit::{self, store};
use crate::report::pack::{self, Contents, Packed, Progress};
use crate::report::signoff::{Kind, Request, SignOffError};
use crate::report::{csv, html};

/// Pack the auditee's copy of `request.record` to `request.out`.
pub fn run(request: Request, progress: &Progress) -> Result<Packed, SignOffError> {
    if request.out.exists() {
        return Err(pack::PackError::Exists(request.out.clone()).into());
    }
    let record = store::load(&request.record)?;
    let audit_err = |source| SignOffError::Audit {
        path: request.record.clone(),
        source,
    };
    let catalog = record.catalog().map_err(audit_err)?;
    let key = match &request.kind {
        Kind::Draft => None,
        Kind::Final { key, .. } => {
            let Some(s) = &record.sign_off else {
                return Err(SignOffError::NotSignedOff(request.record.clone()));
            };
            if s.key_id != key.key_id {
                return Err(SignOffError::OtherKey {
                    expected: s.key_id.clone(),
                    given: key.key_id.clone(),
                });
            }
            Some(key)
        }
    };
    let copy = record.auditee_copy();
    let now = audit::now();
    let sign_off = key.and(record.sign_off.clone());
    let context = html::ReportContext {
        record: &copy,
        catalog: &catalog,
        draft: key.is_none(),
        sign_off: sign_off.clone(),
        generated_at: now,
        fieldaudit_version: env!("CARGO_PKG_VERSION"),
        audience: html::Audience::Auditee,
    };
    let render = |e: ron::Error| SignOffError::Render(e.to_string());
    let contents = Contents {
        record_ron: crate::ronfile::to_string(&copy).map_err(render)?,
        report_html: html::render(&context),
        findings_csv: csv::findings_csv(&copy, &catalog)
            .map_err(|e| SignOffError::Render(e.to_string()))?,
    };
    // The files themselves stay with the certification body: the copy
    // lists them with their SHA-256 but packs none.
    let mut without_files = copy.clone();
    for a in without_files.assessments.values_mut() {
        a.evidence.clear();
    }
    for f in &mut without_files.findings {
        f.evidence.clear();
    }
    let signing = match (key, &sign_off) {
        (Some(key), Some(s)) => Some(key.signing(format!(
            "fieldaudit report {} revision {}, auditee's copy: {}; signed off by {} at {}; key {}",
            record.report_no(),
            record.revision().number,
            record.meta.client,
            s.signer,
            s.at.to_rfc3339(),
            s.key_id
        ))),
        _ => None,
    };
    // Nothing is copied (every link was cleared above), collected or not.
    let collected = crate::evidence::collected::folder_for(&request.record);
    Ok(pack::pack(
        &without_files,
        None,
        &collected,
        &contents,
        signing,
        &request.out,
        progress,
    )?)
}
