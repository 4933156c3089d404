//! The short numbers after a merge, and the references that use them.
//!
//! Both sides may have handed out the same number (`NC-004`) for different
//! findings. A note's or finding's number stays when it is frozen on the
//! side it comes from; every other one is derived again over the merged
//! set, in (time, author, uid) order past the frozen ones. Each side's
//! structured references (`follows`, the follow-up steps in the trail) are
//! mapped through that side's own number → uid → final number before the
//! sides are put together.

use std::collections::{HashMap, HashSet};

use super::super::identity::{Uid, derived_note_numbers, derived_numbers};
use super::super::model::*;
use super::pick::Ctx;

/// A side's finding numbers → the merged record's.
pub(super) type Renames = HashMap<FindingId, FindingId>;

/// Number the merged record's findings and notes, and return, per side
/// (base, ours, theirs), how its finding numbers map to the final ones.
pub(super) fn settle(
    merged: &mut AuditRecord,
    base: &AuditRecord,
    ours: &AuditRecord,
    theirs: &AuditRecord,
) -> [Renames; 3] {
    merged.frozen = max_counters(&ours.frozen, &theirs.frozen);
    let finals = finding_numbers(merged, ours, theirs);
    let notes = note_numbers(merged, ours, theirs);
    for f in &mut merged.findings {
        if let Some(id) = finals.get(&f.uid) {
            f.id = *id;
        }
    }
    merged
        .findings
        .sort_by(|a, b| (a.id, &a.uid).cmp(&(b.id, &b.uid)));
    for a in merged.assessments.values_mut() {
        for n in &mut a.notes {
            if let Some(id) = notes.get(&n.uid) {
                n.id = *id;
            }
        }
        a.notes.sort_by_key(|n| n.id);
    }
    merged.counters = max_counters(&ours.counters, &theirs.counters);
    merged.counters_past_numbers();
    let map = |side: &AuditRecord| -> Renames {
        side.findings
            .iter()
            .filter_map(|f| finals.get(&f.uid).map(|to| (f.id, *to)))
            .collect()
    };
    [map(base), map(ours), map(theirs)]
}

fn max_counters(a: &Counters, b: &Counters) -> Counters {
    Counters {
        nc: a.nc.max(b.nc),
        obs: a.obs.max(b.obs),
        ofi: a.ofi.max(b.ofi),
        gp: a.gp.max(b.gp),
        aoc: a.aoc.max(b.aoc),
        note: a.note.max(b.note),
    }
}

/// The final number of each merged finding.
fn finding_numbers(
    merged: &AuditRecord,
    ours: &AuditRecord,
    theirs: &AuditRecord,
) -> HashMap<Uid, FindingId> {
    let frozen_on = |side: &AuditRecord| -> HashSet<(Uid, FindingId)> {
        side.findings
            .iter()
            .filter(|f| side.is_frozen(f.id))
            .map(|f| (f.uid.clone(), f.id))
            .collect()
    };
    let frozen: HashSet<(Uid, FindingId)> =
        frozen_on(ours).union(&frozen_on(theirs)).cloned().collect();
    // A number frozen on both sides for different findings (both packed
    // apart): the earliest raised keeps it.
    let mut keeps: Vec<&Finding> = merged
        .findings
        .iter()
        .filter(|f| frozen.contains(&(f.uid.clone(), f.id)))
        .collect();
    keeps.sort_by(|a, b| {
        (a.id, a.raised_at, &a.raised_by, &a.uid).cmp(&(b.id, b.raised_at, &b.raised_by, &b.uid))
    });
    keeps.dedup_by_key(|f| f.id);
    let keeps: HashSet<&Uid> = keeps.iter().map(|f| &f.uid).collect();
    let numbering: Vec<Finding> = merged
        .findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            if !keeps.contains(&f.uid) {
                f.id.number = u32::MAX;
            }
            f
        })
        .collect();
    derived_numbers(&numbering, &merged.frozen)
}

/// The final number of each merged note.
fn note_numbers(
    merged: &AuditRecord,
    ours: &AuditRecord,
    theirs: &AuditRecord,
) -> HashMap<Uid, u32> {
    let frozen_on = |side: &AuditRecord| -> HashSet<(Uid, u32)> {
        side.assessments
            .values()
            .flat_map(|a| &a.notes)
            .filter(|n| n.id <= side.frozen.note)
            .map(|n| (n.uid.clone(), n.id))
            .collect()
    };
    let frozen: HashSet<(Uid, u32)> = frozen_on(ours).union(&frozen_on(theirs)).cloned().collect();
    let mut keeps: Vec<&Note> = merged
        .assessments
        .values()
        .flat_map(|a| &a.notes)
        .filter(|n| frozen.contains(&(n.uid.clone(), n.id)))
        .collect();
    keeps.sort_by(|a, b| (a.id, a.at, &a.by, &a.uid).cmp(&(b.id, b.at, &b.by, &b.uid)));
    keeps.dedup_by_key(|n| n.id);
    let keeps: HashSet<&Uid> = keeps.iter().map(|n| &n.uid).collect();
    let mut numbering = merged.assessments.clone();
    for a in numbering.values_mut() {
        for n in &mut a.notes {
            if !keeps.contains(&n.uid) {
                n.id = u32::MAX;
            }
        }
    }
    derived_note_numbers(&numbering, merged.frozen.note)
}

/// Merge each finding's `follows` (a reference to a finding), each side's
/// mapped to the final numbers first.
pub(super) fn follows(
    ctx: &mut Ctx,
    merged: &mut AuditRecord,
    sides: [&AuditRecord; 3],
    renames: &[Renames; 3],
) {
    let by_uid = |side: &'_ AuditRecord| -> HashMap<Uid, Option<FindingId>> {
        side.findings
            .iter()
            .map(|f| (f.uid.clone(), f.follows))
            .collect()
    };
    let [b, o, t] = sides.map(by_uid);
    let mapped =
        |r: &Renames, id: Option<FindingId>| id.map(|id| r.get(&id).copied().unwrap_or(id));
    for f in &mut merged.findings {
        let side =
            |m: &HashMap<Uid, Option<FindingId>>, r: &Renames| m.get(&f.uid).map(|x| mapped(r, *x));
        let (bv, ov, tv) = (
            side(&b, &renames[0]),
            side(&o, &renames[1]),
            side(&t, &renames[2]),
        );
        let stamp = (f.raised_by.clone(), f.raised_at);
        f.follows = match (ov, tv) {
            (Some(ov), Some(tv)) => ctx.pick(
                bv.as_ref(),
                &ov,
                &tv,
                || format!("finding:{}/follows", f.uid),
                || (stamp.clone(), stamp.clone()),
            ),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => f.follows,
        };
    }
}

/// A side's trail with its structured steps in the final numbering.
pub(super) fn mapped_trail(side: &AuditRecord, renames: &Renames) -> Vec<TrailEntry> {
    let mut trail = side.trail.clone();
    if renames.iter().any(|(from, to)| from != to) {
        let mut copy = AuditRecord {
            trail: std::mem::take(&mut trail),
            findings: Vec::new(),
            ..empty_like(side)
        };
        copy.remap_references(|id| renames.get(&id).copied());
        trail = copy.trail;
    }
    trail
}

/// A record with nothing but `side`'s metadata (to run record methods on
/// borrowed parts).
fn empty_like(side: &AuditRecord) -> AuditRecord {
    AuditRecord {
        format_version: side.format_version,
        meta: side.meta.clone(),
        criteria: Vec::new(),
        evidence_bundle: None,
        assessments: Default::default(),
        findings: Vec::new(),
        counters: Counters::default(),
        conclusion: None,
        trail: Vec::new(),
        sign_off: None,
        reports: Vec::new(),
        cycle: None,
        previous_findings: Vec::new(),
        sample: Default::default(),
        auditee_copy: false,
        frozen: Counters::default(),
        conflicts: Vec::new(),
        plan: Default::default(),
    }
}

/// The trail entries that say which numbers the merge changed: one per
/// finding whose number on a side is not its final one.
pub(super) fn renumbered_entries(
    merged: &AuditRecord,
    sides: [&AuditRecord; 2],
    at: Timestamp,
) -> Vec<TrailEntry> {
    let finals: HashMap<&Uid, FindingId> = merged.findings.iter().map(|f| (&f.uid, f.id)).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for side in sides {
        for f in &side.findings {
            match finals.get(&f.uid) {
                Some(to) if *to != f.id && seen.insert((f.uid.clone(), f.id)) => {
                    out.push(TrailEntry {
                        at,
                        by: MERGE_AUTHOR.into(),
                        what: format!(
                            "merge: renumbered {} (raised by {} at {}) → {to}",
                            f.id,
                            f.raised_by,
                            f.raised_at.to_rfc3339()
                        ),
                        step: None,
                    })
                }
                _ => {}
            }
        }
    }
    out.sort_by(|a, b| a.what.cmp(&b.what));
    out
}

/// Who the trail says made the merge's own entries.
pub const MERGE_AUTHOR: &str = "fieldaudit merge";
