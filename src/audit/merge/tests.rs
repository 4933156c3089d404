//! Unit tests of the merge: one rule each.

use super::*;
use crate::audit::conflict::Choice;
use crate::audit::lifecycle::{Step, StepKind};
use crate::audit::testing::record;
use crate::audit::{Change, FindingEdit, MetaEdit};
use crate::checklist::ReqRef;

fn at(who: &str, time: &str) -> Change {
    Change {
        by: who.into(),
        at: format!("2026-11-24T{time}+00:00").parse().unwrap(),
    }
}

fn req(id: &str) -> ReqRef {
    ReqRef::new("iso42001-2023", id)
}

/// A base and two copies of it.
fn three() -> (AuditRecord, AuditRecord, AuditRecord) {
    let (base, _, _) = record();
    (base.clone(), base.clone(), base)
}

#[test]
fn a_field_changed_on_one_side_takes_that_sides_value() {
    let (base, mut ours, mut theirs) = three();
    ours.set_verdict(
        &at("Ann", "10:00:00"),
        &req("6.1.2"),
        Verdict::Conforming,
        None,
    )
    .unwrap();
    let edit = MetaEdit {
        site: Some("Leeds".into()),
        ..Default::default()
    };
    theirs.set_meta(&at("Bo", "10:05:00"), edit).unwrap();
    let m = merge(&base, &ours, &theirs);
    assert!(m.made.is_empty(), "{:?}", m.made);
    assert_eq!(m.record.verdict(&req("6.1.2")), Verdict::Conforming);
    assert_eq!(m.record.meta.site.as_deref(), Some("Leeds"));
    assert_eq!(
        m.record.trail.len(),
        base.trail.len() + 2,
        "both sides' entries, once"
    );
}

#[test]
fn a_field_changed_on_both_sides_is_a_conflict_with_both_values_and_ours_in_the_field() {
    let (base, mut ours, mut theirs) = three();
    ours.set_verdict(
        &at("Ann", "10:00:00"),
        &req("6.1.2"),
        Verdict::Conforming,
        None,
    )
    .unwrap();
    theirs
        .set_verdict(
            &at("Bo", "11:00:00"),
            &req("6.1.2"),
            Verdict::Nonconforming,
            None,
        )
        .unwrap();
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.made.len(), 1);
    let c = &m.made[0];
    assert_eq!(c.path, "iso42001-2023:6.1.2/verdict");
    assert_eq!(c.values[0].value, "Conforming");
    assert_eq!(
        (c.values[0].by.as_str(), c.values[1].by.as_str()),
        ("Ann", "Bo")
    );
    assert_eq!(c.values[1].value, "Nonconforming");
    assert_eq!(c.values[1].at, at("Bo", "11:00:00").at);
    assert_eq!(m.record.verdict(&req("6.1.2")), Verdict::Conforming);
    assert_eq!(m.record.conflicts, m.made);
    // The same change on both sides is no conflict.
    let m = merge(&base, &ours, &ours.clone());
    assert!(m.made.is_empty());
}

#[test]
fn notes_from_both_sides_are_kept_and_numbered_in_time_order() {
    let (base, mut ours, mut theirs) = three();
    ours.add_note(&at("Ann", "10:30:00"), &req("4.1"), "later".into(), None)
        .unwrap();
    theirs
        .add_note(&at("Bo", "10:00:00"), &req("4.1"), "earlier".into(), None)
        .unwrap();
    let m = merge(&base, &ours, &theirs);
    let notes = &m.record.assessments[&req("4.1")].notes;
    let got: Vec<(u32, &str)> = notes.iter().map(|n| (n.id, n.text.as_str())).collect();
    assert_eq!(got, [(1, "earlier"), (2, "later")]);
    assert_eq!(m.record.counters.note, 2);
}

#[test]
fn a_deleted_note_stays_deleted_unless_the_other_side_edited_it() {
    let (mut base, _, _) = three();
    base.add_note(&at("Ann", "09:00:00"), &req("4.1"), "one".into(), None)
        .unwrap();
    base.add_note(&at("Ann", "09:01:00"), &req("4.1"), "two".into(), None)
        .unwrap();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.remove_note(&at("Ann", "10:00:00"), &req("4.1"), 1)
        .unwrap();
    ours.remove_note(&at("Ann", "10:00:01"), &req("4.1"), 2)
        .unwrap();
    theirs
        .edit_note(&at("Bo", "10:05:00"), &req("4.1"), 2, "two, edited".into())
        .unwrap();
    let m = merge(&base, &ours, &theirs);
    let texts: Vec<&str> = m.record.assessments[&req("4.1")]
        .notes
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(texts, ["two, edited"]);
    assert!(m.made.is_empty());
}

#[test]
fn both_sides_nc_001_become_nc_001_and_nc_002_and_each_sides_references_follow_its_own() {
    let (base, mut ours, mut theirs) = three();
    let (ann, bo) = (at("Ann", "10:00:00"), at("Bo", "09:00:00"));
    let o = ours
        .add_finding(&ann, Grade::Minor, vec![req("4.1")], "Ann's".into(), None)
        .unwrap();
    let t = theirs
        .add_finding(&bo, Grade::Minor, vec![req("4.2")], "Bo's".into(), None)
        .unwrap();
    assert_eq!(
        (o.to_string(), t.to_string()),
        ("NC-001".into(), "NC-001".into())
    );
    // Each side's follow-up step about its own NC-001.
    for (side, who) in [(&mut ours, &ann), (&mut theirs, &bo)] {
        side.trail.push(TrailEntry {
            at: who.at,
            by: who.by.clone(),
            what: format!("{} accepted the plan", who.by),
            step: Some(Step {
                finding: o,
                kind: StepKind::PlanAccepted {
                    comment: who.by.clone(),
                },
            }),
        });
    }
    let m = merge(&base, &ours, &theirs);
    let id_of = |statement: &str| {
        m.record
            .findings
            .iter()
            .find(|f| f.statement == statement)
            .map(|f| f.id.to_string())
            .unwrap()
    };
    assert_eq!(id_of("Bo's"), "NC-001", "raised first");
    assert_eq!(id_of("Ann's"), "NC-002");
    let step_of = |who: &str| {
        m.record
            .trail
            .iter()
            .find(|e| {
                e.step.as_ref().is_some_and(
                    |s| matches!(&s.kind, StepKind::PlanAccepted { comment } if comment == who),
                )
            })
            .and_then(|e| e.step.as_ref())
            .map(|s| s.finding.to_string())
            .unwrap()
    };
    assert_eq!(step_of("Ann"), "NC-002");
    assert_eq!(step_of("Bo"), "NC-001");
    let renumbered: Vec<&str> = m
        .record
        .trail
        .iter()
        .filter(|e| e.what.starts_with("merge: renumbered"))
        .map(|e| e.what.as_str())
        .collect();
    assert_eq!(renumbered.len(), 1, "{renumbered:?}");
    assert!(renumbered[0].contains("NC-001 (raised by Ann at 2026-11-24T10:00:00+00:00) → NC-002"));
    assert_eq!(m.record.counters.nc, 2);
}

#[test]
fn a_frozen_number_never_changes() {
    let (mut base, _, _) = three();
    base.add_finding(
        &at("Ann", "12:00:00"),
        Grade::Minor,
        vec![req("4.1")],
        "packed".into(),
        None,
    )
    .unwrap();
    base.freeze_numbers();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.add_finding(
        &at("Ann", "13:00:00"),
        Grade::Minor,
        vec![req("4.1")],
        "a".into(),
        None,
    )
    .unwrap();
    // Raised earlier than the frozen one, on a laptop with a slow clock.
    theirs
        .add_finding(
            &at("Bo", "08:00:00"),
            Grade::Minor,
            vec![req("4.1")],
            "b".into(),
            None,
        )
        .unwrap();
    let m = merge(&base, &ours, &theirs);
    let ids: Vec<(String, &str)> = m
        .record
        .findings
        .iter()
        .map(|f| (f.id.to_string(), f.statement.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("NC-001".into(), "packed"),
            ("NC-002".into(), "b"),
            ("NC-003".into(), "a")
        ]
    );
}

#[test]
fn a_clean_merge_that_leaves_a_verdict_conforming_under_an_open_nc_is_a_conflict() {
    let (base, mut ours, mut theirs) = three();
    ours.set_verdict(
        &at("Ann", "10:00:00"),
        &req("6.1.2"),
        Verdict::Conforming,
        None,
    )
    .unwrap();
    theirs
        .add_finding(
            &at("Bo", "10:10:00"),
            Grade::Minor,
            vec![req("6.1.2")],
            "no risk owner".into(),
            None,
        )
        .unwrap();
    let m = merge(&base, &ours, &theirs);
    assert_eq!(m.made.len(), 1, "{:?}", m.made);
    let c = &m.made[0];
    assert_eq!(c.path, "iso42001-2023:6.1.2/verdict");
    assert_eq!(c.values[0].value, "Conforming");
    assert_eq!(c.values[0].by, "Ann");
    assert_eq!(c.values[1].value, "Nonconforming");
    assert_eq!(c.values[1].by, "Bo");
}

#[test]
fn conflicts_show_findings_by_number_and_resolve_takes_or_sets_a_value() {
    let (mut base, _, _) = three();
    base.add_finding(
        &at("Ann", "09:00:00"),
        Grade::Minor,
        vec![req("4.1")],
        "s".into(),
        None,
    )
    .unwrap();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let edit = |s: &str| FindingEdit {
        statement: Some(s.into()),
        ..Default::default()
    };
    ours.edit_finding(&at("Ann", "10:00:00"), "NC-001", edit("ours"))
        .unwrap();
    theirs
        .edit_finding(&at("Bo", "10:00:00"), "NC-001", edit("theirs"))
        .unwrap();
    ours.set_verdict(
        &at("Ann", "10:01:00"),
        &req("4.2"),
        Verdict::Conforming,
        None,
    )
    .unwrap();
    theirs
        .set_verdict(
            &at("Bo", "10:01:00"),
            &req("4.2"),
            Verdict::NotApplicable,
            Some("out of scope".into()),
        )
        .unwrap();
    let mut r = merge(&base, &ours, &theirs).record;
    let shown: Vec<String> = r.conflicts_shown().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        shown,
        ["iso42001-2023:4.2/verdict", "NC-001/statement"],
        "the justification changed on one side only"
    );
    let lead = at("Lee", "12:00:00");
    let err = r
        .resolve(&lead, "NC-009/statement", Choice::Take(1))
        .unwrap_err();
    assert!(
        err.to_string().contains("open: iso42001-2023:4.2/verdict"),
        "{err}"
    );
    let err = r
        .resolve(&lead, "NC-001/statement", Choice::Take(3))
        .unwrap_err();
    assert!(err.to_string().contains("values 1 to 2"), "{err}");
    let err = r
        .resolve(
            &lead,
            "iso42001-2023:4.2/verdict",
            Choice::Value("sort-of".into()),
        )
        .unwrap_err();
    assert!(err.to_string().contains("sort-of"), "{err}");
    assert_eq!(r.conflicts.len(), 2, "a refusal changes nothing");
    r.resolve(&lead, "NC-001/statement", Choice::Take(2))
        .unwrap();
    assert_eq!(r.findings[0].statement, "theirs");
    r.resolve(
        &lead,
        "iso42001-2023:4.2/verdict",
        Choice::Value("not-applicable".into()),
    )
    .unwrap();
    assert_eq!(r.verdict(&req("4.2")), Verdict::NotApplicable);
    assert!(r.conflicts.is_empty());
    let last = r.trail.last().unwrap();
    assert_eq!(last.by, "Lee");
    assert!(
        last.what
            .contains("resolved conflict iso42001-2023:4.2/verdict")
    );
}

#[test]
fn an_open_conflict_keeps_a_final_report_from_being_packed() {
    let (base, mut ours, mut theirs) = three();
    ours.set_verdict(
        &at("Ann", "10:00:00"),
        &req("6.1.2"),
        Verdict::Conforming,
        None,
    )
    .unwrap();
    theirs
        .set_verdict(
            &at("Bo", "11:00:00"),
            &req("6.1.2"),
            Verdict::Nonconforming,
            None,
        )
        .unwrap();
    let r = merge(&base, &ours, &theirs).record;
    let catalog = r.catalog().unwrap();
    let missing = crate::report::pack::missing_for_final(&r, &catalog);
    let text = missing[0].to_string();
    assert!(
        text.contains("merge conflict on iso42001-2023:6.1.2/verdict"),
        "{text}"
    );
    assert!(text.contains("fieldaudit resolve AUDIT.ron iso42001-2023:6.1.2/verdict --take N"));
}

#[test]
fn the_sample_merges_as_a_set_and_conflicts_already_open_are_kept_once() {
    let (mut base, _, _) = three();
    base.sample.insert(req("4.1"));
    base.sample.insert(req("4.2"));
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.sample.remove(&req("4.1"));
    ours.sample.insert(req("5.1"));
    theirs.sample.insert(req("6.1"));
    let open = crate::audit::conflict::Conflict {
        path: "meta/site".into(),
        values: Vec::new(),
    };
    ours.conflicts.push(open.clone());
    theirs.conflicts.push(open.clone());
    let m = merge(&base, &ours, &theirs);
    let sample: Vec<String> = m.record.sample.iter().map(ToString::to_string).collect();
    assert_eq!(
        sample,
        [
            "iso42001-2023:4.2",
            "iso42001-2023:5.1",
            "iso42001-2023:6.1"
        ]
    );
    assert_eq!(m.record.conflicts, [open]);
}

#[test]
fn signing_off_on_one_side_while_the_other_worked_on_is_a_conflict() {
    let (base, mut ours, mut theirs) = three();
    let lee = at("Lee", "10:00:00");
    ours.sign_off(
        &lee,
        SignOff {
            signer: "Lee".into(),
            at: lee.at,
            key_id: "ABCD".into(),
            statement: "signed".into(),
            revision: Some(1),
        },
    )
    .unwrap();
    theirs
        .add_note(&at("Bo", "10:30:00"), &req("4.1"), "late note".into(), None)
        .unwrap();
    let m = merge(&base, &ours, &theirs);
    let paths: Vec<&str> = m.made.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["sign_off"]);
    assert_eq!(m.made[0].values[1].value, "None");
    // The lead settles it on the locked record: taking "not signed" unlocks it.
    let mut r = m.record;
    assert!(r.sign_off.is_some(), "ours kept while open");
    r.resolve(&at("Lee", "11:00:00"), "sign_off", Choice::Take(2))
        .unwrap();
    assert!(r.sign_off.is_none() && r.conflicts.is_empty());
}
