//! Records written in formats 1 to 3, read as they were written and turned
//! into today's record.
//!
//! Those formats kept the team as `lead_auditor: Option<String>` and
//! `auditors: Vec<String>`. The upgrade rule: the lead auditor becomes the
//! member with role lead auditor, each auditor a member with role auditor,
//! in their order; names are trimmed, blank ones dropped, and a person
//! already on the team (the lead listed again among the auditors, say) is
//! kept once, in the first role met. A note or finding the trail says was
//! edited gets the stamp of its newest edit. Everything else is carried
//! over as it is (formats 1 and 2 simply have no evidence links or sign-off). The store
//! writes the result as the current format on the next save.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::model::{
    Assessment, AuditRecord, AuditType, Counters, Criterion, FORMAT_VERSION, Finding, Member, Meta,
    Role, SignOff, TrailEntry,
};
use crate::checklist::ReqRef;

/// The last format that kept the team as `lead_auditor` and `auditors`.
pub const LAST_FORMAT: u32 = 3;

/// A record as formats 1 to 3 wrote it.
#[derive(Deserialize)]
#[serde(rename = "AuditRecord", deny_unknown_fields)]
pub struct LegacyRecord {
    /// 1, 2 or 3; the shape is the same for all three.
    #[serde(rename = "format_version")]
    _format_version: u32,
    meta: LegacyMeta,
    criteria: Vec<Criterion>,
    #[serde(default)]
    evidence_bundle: Option<String>,
    #[serde(default, deserialize_with = "super::unique::unique_map")]
    assessments: BTreeMap<ReqRef, Assessment>,
    #[serde(default)]
    findings: Vec<Finding>,
    #[serde(default)]
    counters: Counters,
    #[serde(default)]
    trail: Vec<TrailEntry>,
    #[serde(default)]
    sign_off: Option<SignOff>,
}

/// The metadata as formats 1 to 3 wrote it.
#[derive(Deserialize)]
#[serde(rename = "Meta", deny_unknown_fields)]
struct LegacyMeta {
    client: String,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    audit_type: AuditType,
    #[serde(default)]
    start: Option<NaiveDate>,
    #[serde(default)]
    end: Option<NaiveDate>,
    #[serde(default)]
    lead_auditor: Option<String>,
    #[serde(default)]
    auditors: Vec<String>,
    #[serde(default)]
    auditee_reps: Vec<String>,
    #[serde(default)]
    certification_body: Option<String>,
    #[serde(default)]
    accreditation: Option<String>,
}

/// The lead and auditors as members, by the upgrade rule above.
fn team(lead: Option<String>, auditors: Vec<String>) -> Vec<Member> {
    let given = lead
        .into_iter()
        .map(|name| (name, Role::LeadAuditor))
        .chain(auditors.into_iter().map(|name| (name, Role::Auditor)));
    let mut team: Vec<Member> = Vec::new();
    for (name, role) in given {
        let name = name.trim();
        let known = |m: &Member| m.name.to_lowercase() == name.to_lowercase();
        if !name.is_empty() && !team.iter().any(known) {
            team.push(Member::new(name, role));
        }
    }
    team
}

impl From<LegacyRecord> for AuditRecord {
    fn from(old: LegacyRecord) -> AuditRecord {
        let m = old.meta;
        let mut record = AuditRecord {
            format_version: FORMAT_VERSION,
            meta: Meta {
                client: m.client,
                site: m.site,
                scope: m.scope,
                audit_type: m.audit_type,
                start: m.start,
                end: m.end,
                team: team(m.lead_auditor, m.auditors),
                auditee_reps: m.auditee_reps,
                certification_body: m.certification_body,
                accreditation: m.accreditation,
                report: Default::default(),
            },
            criteria: old.criteria,
            evidence_bundle: old.evidence_bundle,
            assessments: old.assessments,
            findings: old.findings,
            counters: old.counters,
            trail: old.trail,
            sign_off: old.sign_off,
            reports: Vec::new(),
            conclusion: None,
            cycle: None,
            previous_findings: Vec::new(),
            sample: Default::default(),
            auditee_copy: false,
            frozen: Counters::default(),
            conflicts: Vec::new(),
            plan: Default::default(),
        };
        // Edited notes and findings say so: their trail tells who and when.
        super::history::stamp_edits_from_trail(&mut record);
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lead_leads_auditors_follow_and_nobody_is_listed_twice() {
        let team = team(
            Some(" Jane Roe ".into()),
            vec!["Sam".into(), "".into(), "jane roe".into(), "Sam".into()],
        );
        assert_eq!(
            team,
            [
                Member::new("Jane Roe", Role::LeadAuditor),
                Member::new("Sam", Role::Auditor)
            ]
        );
        assert_eq!(super::super::team::check(&team), Ok(()));
    }
}
