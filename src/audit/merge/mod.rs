//! The three-way merge of two copies of an audit record against their
//! common ancestor (what `fieldaudit merge` and git's merge driver run).
//!
//! Field by field against the base: a field changed on one side takes that
//! side's value; changed on both sides to different values it is a
//! [`Conflict`]: the record keeps ours' value in the field and both values,
//! with who set each and when, in `conflicts` until `resolve` settles it.
//!
//! - Notes (per requirement) and findings are matched by uid, and all from
//!   both sides are kept. One deleted on one side and untouched on the
//!   other stays deleted; deleted on one side but edited on the other is
//!   kept: no note or finding anyone worked on is ever lost.
//! - Evidence links by path; the sample as a set (each side's additions
//!   and removals applied); plan sessions by uid, field by field; the plan's
//!   assignments per requirement; previous findings (by id) and the reports
//!   issued are unions; the evidence bundle is a path on each laptop, so
//!   ours is kept.
//! - The trail is the union of both, in time order (an entry both hold
//!   once), with each side's follow-up steps first put into the merged
//!   numbering (see [`numbers`]).
//! - A merge that is clean field by field but leaves a requirement
//!   conforming or not applicable under an open NC of this audit makes a
//!   conflict on that verdict too.
//!
//! Conflict paths: `REQ/verdict`, `REQ/justification`,
//! `REQ/implementation`, `REQ/evidence/PATH`, `meta/FIELD` (as `meta
//! --json` names it), `meta/report/KEY`, `finding:UID/FIELD` (grade,
//! statement, objective_evidence, requirements, response_due, follows,
//! evidence/PATH), `note:UID/FIELD` (text, interviewee, internal),
//! `conclusion`, `sign_off`, `criteria`, `cycle/previous`,
//! `plan/SESSION-UID/FIELD`, `plan/assigned/REQ`. Findings and notes are
//! stored by uid and shown by their short number (`NC-002/statement`,
//! `note:REQ:3/text`; see `conflict`).

mod items;
mod numbers;
mod pick;
mod whole;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use super::conflict::Conflict;
use super::model::*;
pub use numbers::MERGE_AUTHOR;
use pick::Ctx;
pub(crate) use pick::ron_value;

/// The merged record and the conflicts this merge made (those already in
/// either side are in `record.conflicts` too).
#[derive(Debug, Clone)]
pub struct Merged {
    pub record: AuditRecord,
    pub made: Vec<Conflict>,
}

/// Merge `ours` and `theirs`, two copies of `base` changed apart.
pub fn merge(base: &AuditRecord, ours: &AuditRecord, theirs: &AuditRecord) -> Merged {
    // Nothing to put together: the side that changed is the result.
    if ours == theirs || base == theirs {
        return Merged {
            record: ours.clone(),
            made: Vec::new(),
        };
    }
    if base == ours {
        return Merged {
            record: theirs.clone(),
            made: Vec::new(),
        };
    }
    let mut ctx = Ctx::default();
    let sides = items::Sides { ours, theirs };
    let mut record = AuditRecord {
        assessments: items::assessments(&mut ctx, &sides, &base.assessments),
        findings: items::findings(&mut ctx, &base.findings, &ours.findings, &theirs.findings),
        ..ours.clone_without_lists()
    };
    whole::fields(&mut ctx, &mut record, base, ours, theirs);
    let renames = numbers::settle(&mut record, base, ours, theirs);
    numbers::follows(&mut ctx, &mut record, [base, ours, theirs], &renames);
    let ours_trail = numbers::mapped_trail(ours, &renames[1]);
    let theirs_trail = numbers::mapped_trail(theirs, &renames[2]);
    record.trail = whole::trail_union(ours_trail, theirs_trail);
    let at = record.trail.last().map_or_else(now, |e| e.at);
    let renumbered = numbers::renumbered_entries(&record, [ours, theirs], at);
    record.trail.extend(renumbered);
    whole::contradictions(&mut ctx, &mut record, ours, theirs);
    record.conflicts = whole::conflicts_union(&ours.conflicts, &theirs.conflicts, &ctx.made);
    Merged {
        record,
        made: ctx.made,
    }
}

impl AuditRecord {
    /// A copy without the large lists the merge builds itself (notes,
    /// findings, trail), so that they are not cloned for nothing.
    fn clone_without_lists(&self) -> AuditRecord {
        AuditRecord {
            format_version: self.format_version,
            meta: self.meta.clone(),
            criteria: self.criteria.clone(),
            evidence_bundle: self.evidence_bundle.clone(),
            assessments: Default::default(),
            findings: Vec::new(),
            counters: self.counters.clone(),
            conclusion: self.conclusion.clone(),
            trail: Vec::new(),
            sign_off: self.sign_off.clone(),
            reports: self.reports.clone(),
            cycle: self.cycle.clone(),
            previous_findings: self.previous_findings.clone(),
            sample: self.sample.clone(),
            auditee_copy: self.auditee_copy,
            frozen: self.frozen.clone(),
            conflicts: Vec::new(),
            plan: self.plan.clone(),
        }
    }
}
