//! Merging the parts of the record kept once: the metadata field by field,
//! the conclusion, the sign-off, the criteria, the cycle, the sample, the
//! plan, the lists that only grow (previous findings, reports issued), the
//! trail, and the conflicts themselves.

use std::collections::BTreeSet;

use super::super::conflict::Conflict;
use super::super::model::*;
use super::super::plan::Session;
use super::super::report_facts::{Statement, TimeFigure};
use super::items::trail_stamp;
use super::pick::{Ctx, keyed};

/// Every field kept once, into `out` (which starts as a copy of ours).
pub(super) fn fields(
    ctx: &mut Ctx,
    out: &mut AuditRecord,
    base: &AuditRecord,
    ours: &AuditRecord,
    theirs: &AuditRecord,
) {
    let stamps = |needle: &str| {
        let needle = needle.to_string();
        move || (trail_stamp(ours, &needle), trail_stamp(theirs, &needle))
    };
    let (b, o, t) = (&base.meta, &ours.meta, &theirs.meta);
    macro_rules! meta {
        ($($field:ident => $name:literal),* $(,)?) => {$(
            out.meta.$field = ctx.pick(
                Some(&b.$field), &o.$field, &t.$field,
                || format!("meta/{}", $name), stamps($name),
            );
        )*};
    }
    meta!(
        client => "client", site => "site", scope => "scope", audit_type => "type",
        start => "start", end => "end", team => "team", auditee_reps => "auditee_reps",
        certification_body => "certification_body", accreditation => "accreditation",
    );
    let (br, or, tr) = (&b.report, &o.report, &t.report);
    for which in Statement::ALL {
        let value = ctx.pick(
            Some(&br.statement(which).cloned()),
            &or.statement(which).cloned(),
            &tr.statement(which).cloned(),
            || format!("meta/report/{}", which.key()),
            stamps(which.key()),
        );
        *out.meta.report.statement_slot(which) = value;
    }
    for which in TimeFigure::ALL {
        let value = ctx.pick(
            Some(&br.time(which)),
            &or.time(which),
            &tr.time(which),
            || format!("meta/report/{}", which.key()),
            stamps(which.label()),
        );
        *out.meta.report.time_slot(which) = value;
    }
    macro_rules! report {
        ($($field:ident => $needle:literal),* $(,)?) => {$(
            out.meta.report.$field = ctx.pick(
                Some(&br.$field), &or.$field, &tr.$field,
                || format!("meta/report/{}", stringify!($field)), stamps($needle),
            );
        )*};
    }
    report!(response_days_major => "major", response_days_minor => "minor");
    out.meta.report.stage1_ncs = ctx.pick(
        Some(&br.stage1_ncs),
        &or.stage1_ncs,
        &tr.stage1_ncs,
        || "meta/stage1_ncs".into(),
        stamps("stage 1"),
    );
    out.criteria = ctx.pick(
        Some(&base.criteria),
        &ours.criteria,
        &theirs.criteria,
        || "criteria".into(),
        stamps("criteria"),
    );
    out.conclusion = ctx.pick(
        Some(&base.conclusion),
        &ours.conclusion,
        &theirs.conclusion,
        || "conclusion".into(),
        stamps("conclu"),
    );
    out.sign_off = ctx.pick(
        Some(&base.sign_off),
        &ours.sign_off,
        &theirs.sign_off,
        || "sign_off".into(),
        stamps("sign"),
    );
    // A sign-off covers the record as it was signed: one side signing
    // while the other went on working is a conflict too (the lead
    // reopens, or takes the sign-off knowing what came in).
    let signed = |side: &AuditRecord| side.sign_off.is_some() && side.sign_off != base.sign_off;
    let made_here = ctx.made.iter().any(|c| c.path == "sign_off");
    if !made_here && signed(ours) != signed(theirs) {
        ctx.conflict(
            "sign_off".into(),
            &ours.sign_off,
            &theirs.sign_off,
            stamps("sign")(),
        );
    }
    out.auditee_copy = ctx.pick(
        Some(&base.auditee_copy),
        &ours.auditee_copy,
        &theirs.auditee_copy,
        || "auditee_copy".into(),
        stamps("copy"),
    );
    cycle(ctx, out, base, ours, theirs);
    out.sample = sample(&base.sample, &ours.sample, &theirs.sample);
    out.previous_findings = union_by(&ours.previous_findings, &theirs.previous_findings, |c| {
        c.finding.id
    });
    out.reports = union_by(&ours.reports, &theirs.reports, |r| {
        (r.signed_at, r.revision, r.manifest_sha256.clone())
    });
    plan(ctx, out, base, ours, theirs);
}

fn cycle(
    ctx: &mut Ctx,
    out: &mut AuditRecord,
    base: &AuditRecord,
    ours: &AuditRecord,
    theirs: &AuditRecord,
) {
    let decision = |r: &AuditRecord| r.cycle.as_ref().and_then(|c| c.certification_decision);
    let previous = |r: &AuditRecord| {
        r.cycle
            .as_ref()
            .map(|c| c.previous.clone())
            .unwrap_or_default()
    };
    let stamps =
        |needle: &'static str| move || (trail_stamp(ours, needle), trail_stamp(theirs, needle));
    let d = ctx.pick(
        Some(&decision(base)),
        &decision(ours),
        &decision(theirs),
        || "meta/certification_decision".into(),
        stamps("decision"),
    );
    let p = ctx.pick(
        Some(&previous(base)),
        &previous(ours),
        &previous(theirs),
        || "cycle/previous".into(),
        stamps("previous"),
    );
    out.cycle = if d.is_none() && p.is_empty() && ours.cycle.is_none() && theirs.cycle.is_none() {
        None
    } else {
        Some(super::super::cycle::Cycle {
            certification_decision: d,
            previous: p,
        })
    };
}

/// The sample as a set: what either side added, less what either removed.
fn sample<T: Ord + Clone>(
    base: &BTreeSet<T>,
    ours: &BTreeSet<T>,
    theirs: &BTreeSet<T>,
) -> BTreeSet<T> {
    let kept = base
        .iter()
        .filter(|r| ours.contains(r) && theirs.contains(r));
    let added = ours.union(theirs).filter(|r| !base.contains(r));
    kept.chain(added).cloned().collect()
}

/// Ours, then theirs' items ours lacks; in `key` order when the sides
/// differ, so that the result does not depend on which side is which.
fn union_by<T: Clone + PartialEq, K: Ord>(
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    if ours == theirs {
        return ours.to_vec();
    }
    let mut seen: std::collections::BTreeSet<K> = ours.iter().map(&key).collect();
    let mut out: Vec<T> = ours.to_vec();
    for item in theirs {
        if seen.insert(key(item)) {
            out.push(item.clone());
        }
    }
    out.sort_by_key(|item| key(item));
    out
}

fn plan(
    ctx: &mut Ctx,
    out: &mut AuditRecord,
    base: &AuditRecord,
    ours: &AuditRecord,
    theirs: &AuditRecord,
) {
    let (b, o, t) = (&base.plan, &ours.plan, &theirs.plan);
    let stamps =
        |needle: String| move || (trail_stamp(ours, &needle), trail_stamp(theirs, &needle));
    let mut sessions = keyed(
        &b.sessions,
        &o.sessions,
        &t.sessions,
        |s| s.uid.clone(),
        |b, o, t| {
            macro_rules! field {
            ($($f:ident),*) => {
                Session {
                    uid: o.uid.clone(),
                    $($f: ctx.pick(
                        b.map(|b| &b.$f), &o.$f, &t.$f,
                        || format!("plan/{}/{}", o.uid, stringify!($f)),
                        stamps(o.topic.clone()),
                    ),)*
                }
            };
        }
            field!(
                day,
                start,
                end,
                remote,
                site,
                auditors,
                participants,
                topic,
                requirements,
                not_held
            )
        },
    );
    if o.sessions != t.sessions {
        sessions.sort_by(|x, y| (x.day, x.start, &x.uid).cmp(&(y.day, y.start, &y.uid)));
    }
    out.plan.sessions = sessions;
    let mut assigned = std::collections::BTreeMap::new();
    for req in o
        .assigned
        .keys()
        .chain(t.assigned.keys())
        .chain(b.assigned.keys())
    {
        let value = ctx.pick(
            Some(&b.assigned.get(req)),
            &o.assigned.get(req),
            &t.assigned.get(req),
            || format!("plan/assigned/{req}"),
            stamps(req.to_string()),
        );
        if let Some(who) = value {
            assigned.insert(req.clone(), who.clone());
        }
    }
    out.plan.assigned = assigned;
}

/// Both trails as one: the entries they share at the start as they are,
/// then the rest of both in time order (by author, then text, for equal
/// times), each entry once.
pub(super) fn trail_union(ours: Vec<TrailEntry>, theirs: Vec<TrailEntry>) -> Vec<TrailEntry> {
    let shared = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
    let mut out = ours;
    let mut rest: Vec<TrailEntry> = out.split_off(shared);
    rest.extend(theirs.into_iter().skip(shared));
    let step = |e: &TrailEntry| e.step.as_ref().map(super::ron_value);
    rest.sort_by(|a, b| {
        (a.at, &a.by, &a.what)
            .cmp(&(b.at, &b.by, &b.what))
            .then_with(|| step(a).cmp(&step(b)))
    });
    rest.dedup();
    out.extend(rest);
    out
}

/// A requirement left conforming or not applicable under an open NC that
/// neither side had so: a conflict on its verdict (the merged verdict, or
/// nonconforming as the NC says).
pub(super) fn contradictions(
    ctx: &mut Ctx,
    record: &mut AuditRecord,
    ours: &AuditRecord,
    theirs: &AuditRecord,
) {
    let found = record.contradictions();
    if found.is_empty() {
        return;
    }
    let (o, t) = (ours.contradictions(), theirs.contradictions());
    for c in found {
        let had = |list: &[super::super::Contradiction]| list.iter().any(|x| x.req == c.req);
        let path = format!("{}/verdict", c.req);
        if (had(&o) && had(&t)) || ctx.made.iter().any(|m| m.path == path) {
            continue;
        }
        let Some(nc) = c
            .ncs
            .first()
            .and_then(|id| record.findings.iter().find(|f| f.id == *id))
        else {
            continue;
        };
        let needle = format!("{} verdict", c.req);
        // The later of the sides that set it (the same whichever is ours).
        let set = [ours, theirs]
            .into_iter()
            .filter(|side| side.verdict(&c.req) == c.verdict)
            .map(|side| trail_stamp(side, &needle))
            .max_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)))
            .unwrap_or_else(|| trail_stamp(ours, &needle));
        ctx.made.push(Conflict {
            path,
            values: vec![
                super::super::conflict::ConflictValue {
                    value: super::ron_value(&c.verdict),
                    by: set.0,
                    at: set.1,
                },
                super::super::conflict::ConflictValue {
                    value: super::ron_value(&Verdict::Nonconforming),
                    by: nc.raised_by.clone(),
                    at: nc.raised_at,
                },
            ],
        });
    }
}

/// The conflicts of both sides and those this merge made, each once (by
/// path and values, whatever their order).
pub(super) fn conflicts_union(
    ours: &[Conflict],
    theirs: &[Conflict],
    made: &[Conflict],
) -> Vec<Conflict> {
    let key = |c: &Conflict| {
        let mut values: Vec<String> = c.values.iter().map(super::ron_value).collect();
        values.sort();
        (c.path.clone(), values)
    };
    let mut seen = BTreeSet::new();
    ours.iter()
        .chain(theirs)
        .chain(made)
        .filter(|c| seen.insert(key(c)))
        .cloned()
        .collect()
}
