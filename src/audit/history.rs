//! The words the trail uses for an edit of a note or finding, and reading
//! them back: a record written before notes and findings carried their
//! `edited` stamp gets it from its trail when it is upgraded.
//!
//! The trail is prose, so the words an edit writes are made here and used
//! both by the operations that log them (`ops`) and by the upgrade that
//! reads them back: the two cannot drift apart.

use std::collections::HashMap;

use super::model::{AuditRecord, Edited, FindingId, Timestamp, TrailEntry};
use crate::checklist::ReqRef;

/// How the trail line of a note's edit begins: `4.1 note 3 edited`.
pub(super) fn note_edited(req: &ReqRef, id: u32) -> String {
    format!("{req} note {id} edited")
}

/// How the trail line of a finding's edit begins: `edited NC-001:`.
pub(super) fn finding_edited(id: FindingId) -> String {
    format!("edited {id}:")
}

/// The part of a finding's edit line that says it took a new id; it comes
/// right after the change of grade that caused it.
pub(super) fn renumbered(old: FindingId, new: FindingId) -> String {
    format!("renumbered {old} → {new}")
}

/// The requirement and note a trail line says was edited, if it says so:
/// the line reads `REQ note N edited (was: …)`.
fn edited_note(what: &str) -> Option<(&str, u32)> {
    let (req, rest) = what.split_once(" note ")?;
    let (id, rest) = rest.split_once(' ')?;
    rest.starts_with("edited (was: ")
        .then(|| Some((req, id.parse().ok()?)))
        .flatten()
}

/// The id a finding has after the edit a trail line records, if it records
/// one: `edited NC-001: …`, or `edited OBS-001: grade: …; renumbered
/// OBS-001 → NC-002; …` (the finding is NC-002 from then on).
fn edited_finding(what: &str) -> Option<FindingId> {
    let (old, changes) = what.strip_prefix("edited ")?.split_once(": ")?;
    let old: FindingId = old.parse().ok()?;
    let mut parts = changes.split("; ");
    let regraded = parts.next().is_some_and(|p| p.starts_with("grade: "));
    let new = parts
        .next()
        .filter(|_| regraded)
        .and_then(|p| p.strip_prefix(&format!("renumbered {old} → ")))
        .and_then(|id| id.parse().ok());
    Some(new.unwrap_or(old))
}

fn stamp(entry: &TrailEntry) -> Edited {
    Edited {
        at: entry.at,
        by: entry.by.clone(),
    }
}

/// Give every note and finding that its trail says was edited, and that has
/// no `edited` stamp, the stamp of its newest edit (one pass over the
/// trail). Creation is not an edit.
pub(super) fn stamp_edits_from_trail(record: &mut AuditRecord) {
    let mut notes: HashMap<(&str, u32), &TrailEntry> = HashMap::new();
    let mut findings: HashMap<FindingId, &TrailEntry> = HashMap::new();
    for entry in record.trail.iter().rev() {
        if let Some(note) = edited_note(&entry.what) {
            notes.entry(note).or_insert(entry);
        } else if let Some(id) = edited_finding(&entry.what) {
            findings.entry(id).or_insert(entry);
        }
    }
    let notes: HashMap<(String, u32), Edited> = notes
        .into_iter()
        .map(|((req, id), entry)| ((req.to_string(), id), stamp(entry)))
        .collect();
    let findings: HashMap<FindingId, Edited> =
        findings.into_iter().map(|(id, e)| (id, stamp(e))).collect();
    for (req, assessment) in &mut record.assessments {
        let req = req.to_string();
        for note in assessment.notes.iter_mut().filter(|n| n.edited.is_none()) {
            note.edited = notes.get(&(req.clone(), note.id)).cloned();
        }
    }
    for finding in record.findings.iter_mut().filter(|f| f.edited.is_none()) {
        finding.edited = findings.get(&finding.id).cloned();
    }
}

/// `edited 14:32 by Jane Doe`, with the date too (`edited 2026-12-05 14:32
/// by …`) when the edit was not on the day the item was `written`. The name
/// is as recorded: escape it for where it is shown.
pub fn edited_mark(edit: &Edited, written: &Timestamp) -> String {
    let when = if edit.at.date_naive() == written.date_naive() {
        edit.at.format("%H:%M")
    } else {
        edit.at.format("%Y-%m-%d %H:%M")
    };
    format!("edited {when} by {}", edit.by)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditType, Change, Criterion, FindingEdit, Grade, Meta};

    fn at(time: &str, by: &str) -> Change {
        Change {
            by: by.into(),
            at: chrono::DateTime::parse_from_rfc3339(time).unwrap(),
        }
    }

    fn record() -> (AuditRecord, ReqRef) {
        let r = AuditRecord::new(
            Meta::new("Acme", AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &at("2026-12-04T09:00:00+01:00", "Lee"),
        );
        (r, ReqRef::new("iso42001-2023", "4.1"))
    }

    fn note(r: &AuditRecord, req: &ReqRef, id: u32) -> Option<Edited> {
        let notes = &r.assessment(req).unwrap().notes;
        notes.iter().find(|n| n.id == id).unwrap().edited.clone()
    }

    fn finding(r: &AuditRecord, id: FindingId) -> Option<Edited> {
        r.findings
            .iter()
            .find(|f| f.id == id)
            .unwrap()
            .edited
            .clone()
    }

    /// The record as an older fieldaudit left it: no stamps, only the trail.
    fn without_stamps(r: &AuditRecord) -> AuditRecord {
        let mut old = r.clone();
        for a in old.assessments.values_mut() {
            a.notes.iter_mut().for_each(|n| n.edited = None);
        }
        old.findings.iter_mut().for_each(|f| f.edited = None);
        old
    }

    #[test]
    fn a_note_s_newest_edit_is_stamped_and_its_creation_is_not_an_edit() {
        let (mut r, req) = record();
        let written = at("2026-12-04T10:00:00+01:00", "Lee");
        let one = r.add_note(&written, &req, "first".into(), None).unwrap();
        let other = ReqRef::new("iso42001-2023", "4.2");
        let two = r
            .add_note(&written, &other, "other".into(), Some("Sam".into()))
            .unwrap();
        assert_eq!(note(&r, &req, one), None, "added, never edited");
        let edit = |r: &mut AuditRecord, when, who, on: &ReqRef, id, text: &str| {
            r.edit_note(&at(when, who), on, id, text.into()).unwrap()
        };
        edit(
            &mut r,
            "2026-12-04T11:15:00+01:00",
            "Jane Doe",
            &req,
            one,
            "second",
        );
        edit(
            &mut r,
            "2026-12-05T14:32:00+01:00",
            "Sam Reid",
            &req,
            one,
            "third",
        );
        // Another note's edit, and an edit that changes nothing, come later.
        edit(&mut r, "2026-12-05T15:00:00+01:00", "Kim", &other, two, "x");
        edit(
            &mut r,
            "2026-12-05T16:00:00+01:00",
            "Kim",
            &req,
            one,
            "third",
        );
        let stamped = note(&r, &req, one).unwrap();
        assert_eq!(stamped.by, "Sam Reid");
        assert_eq!(
            edited_mark(&stamped, &written.at),
            "edited 2026-12-05 14:32 by Sam Reid"
        );
        assert_eq!(note(&r, &other, two).unwrap().by, "Kim");

        // An older record gets the same stamps from its trail; note 1 is
        // not note 11, and note ids go with their requirement.
        let mut old = without_stamps(&r);
        old.trail.push(TrailEntry {
            what: "iso42001-2023:4.1 note 11 edited (was: \"a\")".into(),
            ..old.trail[0].clone()
        });
        old.trail.push(TrailEntry {
            what: "iso42001-2023:4.3 note 1 edited (was: \"a\")".into(),
            ..old.trail[0].clone()
        });
        stamp_edits_from_trail(&mut old);
        assert_eq!(note(&old, &req, one), note(&r, &req, one));
        assert_eq!(note(&old, &other, two), note(&r, &other, two));
    }

    #[test]
    fn a_finding_s_newest_edit_is_stamped_across_a_new_id() {
        let (mut r, req) = record();
        let raised = at("2026-12-04T10:00:00+01:00", "Lee");
        let obs = r
            .add_finding(
                &raised,
                Grade::Observation,
                vec![req.clone()],
                "s".into(),
                None,
            )
            .unwrap();
        let kept = r
            .add_finding(&raised, Grade::Ofi, vec![req.clone()], "t".into(), None)
            .unwrap();
        assert_eq!(finding(&r, obs), None, "raised, never edited");
        let statement = FindingEdit {
            statement: Some("s, as the auditee said".into()),
            ..Default::default()
        };
        r.edit_finding(
            &at("2026-12-04T10:30:00+01:00", "Jane Doe"),
            "OBS-001",
            statement,
        )
        .unwrap();
        let stamped = finding(&r, obs).unwrap();
        assert_eq!(
            edited_mark(&stamped, &raised.at),
            "edited 10:30 by Jane Doe"
        );
        // A change of grade into another family gives a new id; the stamp
        // goes with the finding.
        let regrade = FindingEdit {
            grade: Some(Grade::Minor),
            ..Default::default()
        };
        let nc = r
            .edit_finding(
                &at("2026-12-04T11:00:00+01:00", "Sam Reid"),
                "OBS-001",
                regrade,
            )
            .unwrap();
        assert_eq!(nc.to_string(), "NC-001");
        assert_eq!(finding(&r, nc).unwrap().by, "Sam Reid");
        assert_eq!(finding(&r, kept), None);

        let mut old = without_stamps(&r);
        stamp_edits_from_trail(&mut old);
        assert_eq!(old, r, "the trail gives an older record the same stamps");
    }

    #[test]
    fn words_in_a_statement_are_not_taken_for_a_renumbering() {
        let (mut r, req) = record();
        let raised = at("2026-12-04T10:00:00+01:00", "Lee");
        let sly = "grade: minor; renumbered NC-001 → NC-009";
        r.add_finding(&raised, Grade::Minor, vec![req.clone()], sly.into(), None)
            .unwrap();
        let plain = FindingEdit {
            statement: Some("plain".into()),
            ..Default::default()
        };
        r.edit_finding(&at("2026-12-04T10:30:00+01:00", "Kim"), "NC-001", plain)
            .unwrap();
        let mut old = without_stamps(&r);
        stamp_edits_from_trail(&mut old);
        assert_eq!(old, r);
    }
}
