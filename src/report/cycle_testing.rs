//! Records of a certification cycle for the report's tests: a signed stage
//! 2 and the surveillance audit started from it, built in code.

use crate::audit::lifecycle::{Outcome, Response};
use crate::audit::{
    AuditRecord, AuditType, Change, Criterion, EvidenceLink, Grade, Meta, PreviousReport, SignOff,
};
use crate::checklist::ReqRef;

/// A statement that would become markup if it were not escaped.
pub const HOSTILE: &str = "<script>alert('carried')</script> & \"more\"";

/// The stage 2 report's manifest SHA-256.
pub fn manifest() -> String {
    "5e".repeat(32)
}

pub fn req(id: &str) -> ReqRef {
    ReqRef::new("iso42001-2023", id)
}

pub fn response(planned: &str) -> Response {
    Response {
        correction: "Register owner named".into(),
        root_cause: "No one owned the risk register".into(),
        corrective_action: "Register reviewed monthly by the owner".into(),
        owner: Some("Head of Risk".into()),
        planned_date: planned.parse().unwrap(),
    }
}

pub fn file(path: &str, hex: &str) -> EvidenceLink {
    EvidenceLink {
        path: path.into(),
        sha256: hex.repeat(32),
        size: 10,
        linked_at: crate::audit::now(),
        linked_by: "Ann Auditee".into(),
        collected: None,
    }
}

/// A signed stage 2 with NC-001 (major, hostile statement), NC-002 (minor,
/// with a response), NC-003 (minor, verified effective) and OBS-001.
pub fn signed_stage2(who: &Change) -> AuditRecord {
    let mut r = AuditRecord::new(
        Meta::new("Acme AI Ltd", AuditType::Stage2),
        vec![Criterion::Builtin("iso42001-2023".into())],
        None,
        who,
    );
    r.meta.start = Some("2027-01-18".parse().unwrap());
    r.meta.end = Some("2027-01-20".parse().unwrap());
    r.add_finding(
        who,
        Grade::Major,
        vec![req("6.1.2")],
        format!("Risk criteria not applied. {HOSTILE}"),
        Some("Risk register v3".into()),
    )
    .unwrap();
    for (grade, at) in [
        (Grade::Minor, "7.5.1"),
        (Grade::Minor, "8.2"),
        (Grade::Observation, "9.1"),
    ] {
        r.add_finding(who, grade, vec![req(at)], format!("finding on {at}"), None)
            .unwrap();
    }
    r.respond(who, "NC-002", response("2027-06-30")).unwrap();
    r.respond(who, "NC-003", response("2027-01-19")).unwrap();
    r.review(who, "NC-003", true, "fine".into()).unwrap();
    r.verify_finding(who, "NC-003", Outcome::Effective, "seen".into(), vec![])
        .unwrap();
    r.sign_off = Some(SignOff {
        signer: "Lee Lead".into(),
        at: who.at,
        key_id: "ABCD1234".into(),
        statement: "signed".into(),
        revision: Some(1),
    });
    r
}

pub fn stage2_report(who: &Change) -> PreviousReport {
    PreviousReport {
        report_no: "ACME-STAGE2-20270118".into(),
        revision: 1,
        audit_type: AuditType::Stage2,
        manifest_sha256: manifest(),
        key_id: "ABCD1234".into(),
        signer: "Lee Lead".into(),
        signed_at: who.at,
    }
}

/// The surveillance 1 audit started from [`signed_stage2`]: NC-001, NC-002
/// and OBS-001 carried; the certification decision on 2027-02-28; 6.1.2
/// sampled; NC-002's plan accepted, implemented (with a file) and verified
/// effective here; NC-001 still without a verdict.
pub fn surveillance() -> (AuditRecord, Change) {
    let who = Change::now("Lee Lead");
    let mut s = signed_stage2(&who)
        .next_in_cycle(stage2_report(&who), None, &who)
        .unwrap();
    s.cycle.as_mut().unwrap().certification_decision = Some("2027-02-28".parse().unwrap());
    s.meta.start = Some("2028-01-10".parse().unwrap());
    s.meta.end = Some("2028-01-11".parse().unwrap());
    let catalog = s.catalog().unwrap();
    s.set_sampled(&who, &catalog, &req("6.1.2"), true).unwrap();
    s.review(&who, "NC-002", true, "plan is sound".into())
        .unwrap();
    s.implemented(
        &who,
        "NC-002",
        "owner named in the policy".into(),
        vec![file("followup/policy v2.pdf", "7a")],
    )
    .unwrap();
    s.verify_finding(
        &who,
        "NC-002",
        Outcome::Effective,
        "Policy v2 names the owner; two monthly reviews seen".into(),
        vec![],
    )
    .unwrap();
    (s, who)
}
