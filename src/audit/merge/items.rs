//! Merging what the auditors write per requirement and per finding: the
//! verdicts, justifications and declared implementation, the notes (by
//! uid), the evidence links (by path) and the findings (by uid), field by
//! field.

use std::collections::BTreeMap;

use super::super::model::*;
use super::pick::{Ctx, Stamp, keyed};
use crate::checklist::ReqRef;

/// Who last wrote something about `needle` on a side: its latest trail
/// entry that names it, else its latest entry.
pub(super) fn trail_stamp(record: &AuditRecord, needle: &str) -> Stamp {
    let entry = record
        .trail
        .iter()
        .rev()
        .find(|e| e.what.contains(needle))
        .or(record.trail.last());
    match entry {
        Some(e) => (e.by.clone(), e.at),
        None => (
            "(unknown)".into(),
            chrono::DateTime::UNIX_EPOCH.fixed_offset(),
        ),
    }
}

fn edited_stamp(edited: &Option<Edited>, by: &str, at: Timestamp) -> Stamp {
    match edited {
        Some(e) => (e.by.clone(), e.at),
        None => (by.to_string(), at),
    }
}

/// The later of two edit stamps (the same whichever side is which).
fn later(a: &Option<Edited>, b: &Option<Edited>) -> Option<Edited> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if (y.at, &y.by) > (x.at, &x.by) { y } else { x }.clone()),
        (x, y) => x.clone().or_else(|| y.clone()),
    }
}

/// The sides of the merge, for stamps.
pub(super) struct Sides<'a> {
    pub ours: &'a AuditRecord,
    pub theirs: &'a AuditRecord,
}

pub(super) fn assessments(
    ctx: &mut Ctx,
    sides: &Sides,
    base: &BTreeMap<ReqRef, Assessment>,
) -> BTreeMap<ReqRef, Assessment> {
    let (ours, theirs) = (&sides.ours.assessments, &sides.theirs.assessments);
    let mut out = BTreeMap::new();
    let empty = Assessment::default();
    for req in ours.keys().chain(theirs.keys()) {
        if out.contains_key(req) {
            continue;
        }
        let o = ours.get(req).unwrap_or(&empty);
        let t = theirs.get(req).unwrap_or(&empty);
        let b = base.get(req).unwrap_or(&empty);
        let merged = if o == t || b == t {
            o.clone()
        } else if b == o {
            t.clone()
        } else {
            assessment(ctx, sides, req, b, o, t)
        };
        out.insert(req.clone(), merged);
    }
    out
}

fn assessment(
    ctx: &mut Ctx,
    sides: &Sides,
    req: &ReqRef,
    b: &Assessment,
    o: &Assessment,
    t: &Assessment,
) -> Assessment {
    let at = |field: &'static str| {
        let needle = format!("{req} {field}");
        move || {
            (
                trail_stamp(sides.ours, &needle),
                trail_stamp(sides.theirs, &needle),
            )
        }
    };
    let path = |field: &'static str| move || format!("{req}/{field}");
    Assessment {
        verdict: ctx.pick(
            Some(&b.verdict),
            &o.verdict,
            &t.verdict,
            path("verdict"),
            at("verdict"),
        ),
        justification: ctx.pick(
            Some(&b.justification),
            &o.justification,
            &t.justification,
            path("justification"),
            at("verdict"),
        ),
        implementation: ctx.pick(
            Some(&b.implementation),
            &o.implementation,
            &t.implementation,
            path("implementation"),
            at("declared implementation"),
        ),
        notes: keyed(
            &b.notes,
            &o.notes,
            &t.notes,
            |n| n.uid.clone(),
            |b, o, t| note(ctx, b, o, t),
        ),
        evidence: evidence(
            ctx,
            &format!("{req}"),
            &b.evidence,
            &o.evidence,
            &t.evidence,
        ),
    }
}

fn note(ctx: &mut Ctx, b: Option<&Note>, o: &Note, t: &Note) -> Note {
    let stamps = || {
        (
            edited_stamp(&o.edited, &o.by, o.at),
            edited_stamp(&t.edited, &t.by, t.at),
        )
    };
    let path = |field: &'static str| move || format!("note:{}/{field}", o.uid);
    Note {
        text: ctx.pick(b.map(|b| &b.text), &o.text, &t.text, path("text"), stamps),
        interviewee: ctx.pick(
            b.map(|b| &b.interviewee),
            &o.interviewee,
            &t.interviewee,
            path("interviewee"),
            stamps,
        ),
        internal: ctx.pick(
            b.map(|b| &b.internal),
            &o.internal,
            &t.internal,
            path("internal"),
            stamps,
        ),
        edited: later(&o.edited, &t.edited),
        ..o.clone()
    }
}

fn evidence(
    ctx: &mut Ctx,
    owner: &str,
    b: &[EvidenceLink],
    o: &[EvidenceLink],
    t: &[EvidenceLink],
) -> Vec<EvidenceLink> {
    keyed(
        b,
        o,
        t,
        |l| l.path.clone(),
        |base, x, y| {
            ctx.pick(
                base,
                x,
                y,
                || format!("{owner}/evidence/{}", x.path),
                || {
                    (
                        (x.linked_by.clone(), x.linked_at),
                        (y.linked_by.clone(), y.linked_at),
                    )
                },
            )
        },
    )
}

/// Findings by uid, field by field. A finding keeps the id of the side
/// whose grade it takes (a grade into another family gave it a new id);
/// the numbers are settled after (`numbers`).
pub(super) fn findings(ctx: &mut Ctx, b: &[Finding], o: &[Finding], t: &[Finding]) -> Vec<Finding> {
    keyed(
        b,
        o,
        t,
        |f| f.uid.clone(),
        |b, o, t| {
            let stamps = || {
                (
                    edited_stamp(&o.edited, &o.raised_by, o.raised_at),
                    edited_stamp(&t.edited, &t.raised_by, t.raised_at),
                )
            };
            let path = |field: &'static str| move || format!("finding:{}/{field}", o.uid);
            let grade = ctx.pick(
                b.map(|b| &b.grade),
                &o.grade,
                &t.grade,
                path("grade"),
                stamps,
            );
            let id = if grade == o.grade { o.id } else { t.id };
            Finding {
                id,
                grade,
                requirements: ctx.pick(
                    b.map(|b| &b.requirements),
                    &o.requirements,
                    &t.requirements,
                    path("requirements"),
                    stamps,
                ),
                statement: ctx.pick(
                    b.map(|b| &b.statement),
                    &o.statement,
                    &t.statement,
                    path("statement"),
                    stamps,
                ),
                objective_evidence: ctx.pick(
                    b.map(|b| &b.objective_evidence),
                    &o.objective_evidence,
                    &t.objective_evidence,
                    path("objective_evidence"),
                    stamps,
                ),
                response_due: ctx.pick(
                    b.map(|b| &b.response_due),
                    &o.response_due,
                    &t.response_due,
                    path("response_due"),
                    stamps,
                ),
                // Each side's `follows` is in its own numbering: merged once
                // the numbers are settled (`numbers`).
                evidence: evidence(
                    ctx,
                    &format!("finding:{}", o.uid),
                    b.map_or(&[][..], |b| &b.evidence),
                    &o.evidence,
                    &t.evidence,
                ),
                edited: later(&o.edited, &t.edited),
                ..o.clone()
            }
        },
    )
}
