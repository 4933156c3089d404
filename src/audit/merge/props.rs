//! Property tests of the merge: a base record and two sides made from it
//! by random changes through the record's own operations, as different
//! authors.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;
use crate::audit::conflict::Choice;
use crate::audit::identity::Uid;
use crate::audit::testing::record;
use crate::audit::{Change, FindingEdit, MetaEdit};
use crate::checklist::ReqRef;

const REQS: [&str; 4] = ["4.1", "4.2", "6.1.2", "6.1.3"];

#[derive(Debug, Clone)]
enum Op {
    Verdict(usize, u8),
    AddNote(usize, u8),
    EditNote(usize, u8),
    RemoveNote(usize),
    AddFinding(usize, bool, u8),
    EditStatement(usize, u8),
    Regrade(usize, bool),
    RemoveFinding(usize),
    Site(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..3u8).prop_map(|(r, v)| Op::Verdict(r, v)),
        (0..4usize, 0..3u8).prop_map(|(r, t)| Op::AddNote(r, t)),
        (0..8usize, 0..3u8).prop_map(|(n, t)| Op::EditNote(n, t)),
        (0..8usize).prop_map(Op::RemoveNote),
        (0..4usize, any::<bool>(), 0..3u8).prop_map(|(r, m, t)| Op::AddFinding(r, m, t)),
        (0..8usize, 0..3u8).prop_map(|(n, t)| Op::EditStatement(n, t)),
        (0..8usize, any::<bool>()).prop_map(|(n, m)| Op::Regrade(n, m)),
        (0..8usize).prop_map(Op::RemoveFinding),
        (0..3u8).prop_map(Op::Site),
    ]
}

fn req(i: usize) -> ReqRef {
    ReqRef::new("iso42001-2023", REQS[i % REQS.len()])
}

/// Apply `ops` as `who`, a second apart from `start` (seconds past 09:00);
/// a refused change is skipped, as the auditor would see it refused.
fn apply(r: &mut AuditRecord, who: &str, start: i64, ops: &[Op]) {
    let base: Timestamp = "2026-11-24T09:00:00+00:00".parse().unwrap();
    for (i, op) in ops.iter().enumerate() {
        let change = Change {
            by: who.into(),
            at: base + chrono::Duration::seconds(start + 2 * i as i64),
        };
        let text = |t: &u8| format!("{who} text {t}");
        let mut notes: Vec<(ReqRef, u32, Uid)> = r
            .assessments
            .iter()
            .flat_map(|(q, a)| {
                a.notes
                    .iter()
                    .map(move |n| (q.clone(), n.id, n.uid.clone()))
            })
            .collect();
        notes.sort_by(|a, b| a.2.cmp(&b.2));
        let note = |n: &usize| notes.get(n % notes.len().max(1)).cloned();
        let mut findings: Vec<(Uid, String)> = r
            .findings
            .iter()
            .map(|f| (f.uid.clone(), f.id.to_string()))
            .collect();
        findings.sort();
        let finding = |n: &usize| findings.get(n % findings.len().max(1)).map(|f| f.1.clone());
        let _ = match op {
            Op::Verdict(q, v) => {
                let (verdict, why) = match v {
                    0 => (Verdict::Conforming, None),
                    1 => (Verdict::Nonconforming, None),
                    _ => (Verdict::NotApplicable, Some(text(v))),
                };
                r.set_verdict(&change, &req(*q), verdict, why).map(|_| ())
            }
            Op::AddNote(q, t) => r.add_note(&change, &req(*q), text(t), None).map(|_| ()),
            Op::EditNote(n, t) => match note(n) {
                Some((q, id, _)) => r.edit_note(&change, &q, id, text(t)).map(|_| ()),
                None => Ok(()),
            },
            Op::RemoveNote(n) => match note(n) {
                Some((q, id, _)) => r.remove_note(&change, &q, id).map(|_| ()),
                None => Ok(()),
            },
            Op::AddFinding(q, major, t) => {
                let grade = if *major { Grade::Major } else { Grade::Minor };
                r.add_finding(&change, grade, vec![req(*q)], text(t), None)
                    .map(|_| ())
            }
            Op::EditStatement(n, t) => match finding(n) {
                Some(id) => {
                    let edit = FindingEdit {
                        statement: Some(text(t)),
                        ..Default::default()
                    };
                    r.edit_finding(&change, &id, edit).map(|_| ())
                }
                None => Ok(()),
            },
            Op::Regrade(n, major) => match finding(n) {
                Some(id) => {
                    let grade = if *major { Grade::Major } else { Grade::Minor };
                    let edit = FindingEdit {
                        grade: Some(grade),
                        ..Default::default()
                    };
                    r.edit_finding(&change, &id, edit).map(|_| ())
                }
                None => Ok(()),
            },
            Op::RemoveFinding(n) => match finding(n) {
                Some(id) => r.remove_finding(&change, &id).map(|_| ()),
                None => Ok(()),
            },
            Op::Site(t) => {
                let edit = MetaEdit {
                    site: Some(format!("site {t}")),
                    ..Default::default()
                };
                r.set_meta(&change, edit).map(|_| ())
            }
        };
    }
}

fn sides() -> impl Strategy<Value = (AuditRecord, AuditRecord, AuditRecord)> {
    (
        proptest::collection::vec(op(), 0..6),
        proptest::collection::vec(op(), 0..8),
        proptest::collection::vec(op(), 0..8),
    )
        .prop_map(|(b, o, t)| {
            let (mut base, _, _) = record();
            apply(&mut base, "Lee", 0, &b);
            let (mut ours, mut theirs) = (base.clone(), base.clone());
            apply(&mut ours, "Ann", 3600, &o);
            apply(&mut theirs, "Bo", 3601, &t);
            (base, ours, theirs)
        })
}

/// A conflict whatever the order of its values.
fn key(c: &Conflict) -> (String, Vec<String>) {
    let mut values: Vec<String> = c.values.iter().map(ron_value).collect();
    values.sort();
    (c.path.clone(), values)
}

/// The record with every conflict settled the same way (its smallest
/// value, in path order): what is left does not depend on which side's
/// value the field held.
fn normalised(r: &AuditRecord) -> AuditRecord {
    let mut r = r.clone();
    let mut open: Vec<Conflict> = r.conflicts.clone();
    open.sort_by_key(key);
    let lead = Change {
        by: "Lee".into(),
        at: "2026-11-25T09:00:00+00:00".parse().unwrap(),
    };
    // What the settling says in the trail names the value's number: left out.
    let trail = r.trail.len();
    for c in open {
        let mut values = c.values.clone();
        values.sort_by_key(ron_value);
        let smallest = &values[0].value;
        let n = c.values.iter().position(|v| &v.value == smallest).unwrap() + 1;
        r.resolve(&lead, &c.path, Choice::Take(n)).unwrap();
    }
    r.trail.truncate(trail);
    r
}

/// Every field the merge compares, by conflict path, as RON.
fn fields(r: &AuditRecord) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    out.insert("meta/site".into(), ron_value(&r.meta.site));
    // A requirement not yet in the record has the default assessment.
    let empty = Assessment::default();
    for q in (0..REQS.len()).map(req) {
        let a = r.assessments.get(&q).unwrap_or(&empty);
        out.insert(format!("{q}/verdict"), ron_value(&a.verdict));
        out.insert(format!("{q}/justification"), ron_value(&a.justification));
        for n in &a.notes {
            out.insert(format!("note:{}/text", n.uid), ron_value(&n.text));
        }
    }
    for f in &r.findings {
        let p = |field: &str| format!("finding:{}/{field}", f.uid);
        out.insert(p("grade"), ron_value(&f.grade));
        out.insert(p("statement"), ron_value(&f.statement));
    }
    out
}

fn uids(r: &AuditRecord) -> BTreeMap<Uid, String> {
    let notes = r
        .assessments
        .values()
        .flat_map(|a| &a.notes)
        .map(|n| (n.uid.clone(), ron_value(n)));
    let findings = r.findings.iter().map(|f| (f.uid.clone(), ron_value(f)));
    notes.chain(findings).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_merged_content_does_not_depend_on_the_order_of_the_sides((base, ours, theirs) in sides()) {
        let a = merge(&base, &ours, &theirs);
        let b = merge(&base, &theirs, &ours);
        let made = |m: &Merged| m.made.iter().map(key).collect::<BTreeSet<_>>();
        prop_assert_eq!(made(&a), made(&b));
        prop_assert_eq!(normalised(&a.record), normalised(&b.record));
    }

    #[test]
    fn merging_a_record_with_itself_or_the_same_change_twice_changes_nothing((base, ours, _t) in sides()) {
        prop_assert_eq!(&merge(&ours, &ours, &ours).record, &ours);
        let twice = merge(&base, &ours, &ours);
        prop_assert_eq!(&twice.record, &ours);
        prop_assert!(twice.made.is_empty());
        prop_assert_eq!(&merge(&base, &ours, &base).record, &ours);
        prop_assert_eq!(&merge(&base, &base, &ours).record, &ours);
    }

    #[test]
    fn no_note_or_finding_is_lost((base, ours, theirs) in sides()) {
        let m = merge(&base, &ours, &theirs).record;
        let (b, o, t, got) = (uids(&base), uids(&ours), uids(&theirs), uids(&m));
        for (side, other) in [(&o, &t), (&t, &o)] {
            for (uid, value) in side {
                // Kept unless the other side deleted it and this one left
                // it as it was (an edit, even one undone, is a touch).
                let deleted_untouched = !other.contains_key(uid) && b.get(uid) == Some(value);
                prop_assert_eq!(got.contains_key(uid), !deleted_untouched, "{}", uid);
            }
        }
        for uid in got.keys() {
            prop_assert!(o.contains_key(uid) || t.contains_key(uid), "{} came from nowhere", uid);
        }
    }

    #[test]
    fn the_conflicts_reported_are_exactly_the_fields_both_sides_changed_apart((base, ours, theirs) in sides()) {
        let m = merge(&base, &ours, &theirs);
        let (b, o, t) = (fields(&base), fields(&ours), fields(&theirs));
        let mut expected: BTreeSet<String> = o
            .iter()
            .filter_map(|(path, ov)| {
                let tv = t.get(path)?;
                let bv = b.get(path);
                (ov != tv && bv != Some(ov) && bv != Some(tv)).then(|| path.clone())
            })
            .collect();
        // A verdict left conforming or not applicable under an open NC
        // that neither side had so.
        let (oc, tc) = (ours.contradictions(), theirs.contradictions());
        for c in m.record.contradictions() {
            let both = oc.iter().any(|x| x.req == c.req) && tc.iter().any(|x| x.req == c.req);
            if !both {
                expected.insert(format!("{}/verdict", c.req));
            }
        }
        let made: BTreeSet<String> = m.made.iter().map(|c| c.path.clone()).collect();
        prop_assert_eq!(made, expected);
        prop_assert_eq!(m.made.len(), m.record.conflicts.len());
    }
}
