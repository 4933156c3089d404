//! The auditee's copy of the report (`pack --for client`): report.html,
//! findings.csv and the record without working papers, interviewees named
//! by role only, and no copies of the evidence; marked as the auditee's
//! copy on every page, and signed (with the key the certification body's
//! report was signed off with) so that it verifies the same way.
//!
//! The findings carried from the previous report are the auditee's own:
//! the copy shows them with their follow-up (the structured steps, which
//! quote only the response, the review comments and the verification),
//! while the trail's other entries, which may quote working papers, go.
//!
//! The record is not changed: a signed auditee's copy follows the sign-off
//! of the certification body's report.

use crate::audit::lifecycle::StepKind;
use crate::audit::{self, AuditRecord, store};
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
    let copy = with_follow_up(record.auditee_copy(), &record);
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
        oscal: None,
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
    for entry in &mut without_files.trail {
        if let Some(step) = &mut entry.step {
            match &mut step.kind {
                StepKind::Implemented { evidence, .. } | StepKind::Verified { evidence, .. } => {
                    evidence.clear()
                }
                _ => {}
            }
        }
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

/// The auditee's copy `copy` of `record` with the follow-up of its
/// findings put back: this audit's follow-up steps, and of each carried
/// finding's history only its follow-up steps.
pub fn with_follow_up(mut copy: AuditRecord, record: &AuditRecord) -> AuditRecord {
    copy.trail = record
        .trail
        .iter()
        .filter(|e| e.step.is_some())
        .cloned()
        .collect();
    for carried in &mut copy.previous_findings {
        carried.history.retain(|e| e.step.is_some());
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Change, Criterion, Grade, Meta};
    use crate::checklist::ReqRef;

    #[test]
    fn the_copy_keeps_follow_up_steps_and_drops_other_trail_entries() {
        let who = Change::now("Lee");
        let mut r = AuditRecord::new(
            Meta::new("Acme", audit::AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        let req = ReqRef::new("iso42001-2023", "6.1.2");
        r.add_finding(&who, Grade::Minor, vec![req.clone()], "s".into(), None)
            .unwrap();
        let paper = r
            .add_note(&who, &req, "NC-001 secret working paper".into(), None)
            .unwrap();
        r.set_note_internal(&who, &req, paper, true).unwrap();
        let response = audit::lifecycle::Response {
            correction: "fixed".into(),
            root_cause: "no owner".into(),
            corrective_action: "owner named".into(),
            owner: None,
            planned_date: "2030-01-01".parse().unwrap(),
        };
        r.respond(&who, "NC-001", response).unwrap();
        let copy = with_follow_up(r.auditee_copy(), &r);
        assert_eq!(copy.trail.len(), 1, "{:?}", copy.trail);
        assert!(copy.trail[0].step.is_some());
        let id = "NC-001".parse().unwrap();
        assert_eq!(copy.lifecycle(id).state, r.lifecycle(id).state);
        assert!(
            !crate::ronfile::to_string(&copy)
                .unwrap()
                .contains("secret working paper")
        );
    }
}
