//! What the trail says about one note or finding: its newest edit (not its
//! creation), for the "edited 14:32 by Jane Doe" mark beside it.
//!
//! The trail is prose, so the words an edit writes are made here and used
//! both by the operations that log them (`ops`) and by the lookup that reads
//! them back: the two cannot drift apart.

use std::collections::HashMap;

use super::model::{AuditRecord, FindingId, Timestamp, TrailEntry};
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

/// The note on `req` a trail line says was edited, if it says so: the
/// line reads `REQ note N edited (was: …)`.
fn edited_note(what: &str, req: &str) -> Option<u32> {
    let rest = what.strip_prefix(req)?.strip_prefix(" note ")?;
    let (id, rest) = rest.split_once(' ')?;
    rest.starts_with("edited (was: ")
        .then(|| id.parse().ok())
        .flatten()
}

/// The finding a trail line says was edited, and the id it took if the
/// edit gave it a new one: `edited OBS-001: grade: …; renumbered OBS-001 →
/// NC-002; …`.
fn edited_finding(what: &str) -> Option<(FindingId, Option<FindingId>)> {
    let (old, changes) = what.strip_prefix("edited ")?.split_once(": ")?;
    let old: FindingId = old.parse().ok()?;
    let mut parts = changes.split("; ");
    let regraded = parts.next().is_some_and(|p| p.starts_with("grade: "));
    let new = parts
        .next()
        .filter(|_| regraded)
        .and_then(|p| p.strip_prefix(&format!("renumbered {old} → ")))
        .and_then(|id| id.parse().ok());
    Some((old, new))
}

/// The newest edits of the notes and findings of one requirement, found in
/// one pass over the trail (the detail pane asks for them every frame).
#[derive(Debug, Default)]
pub struct Edits<'a> {
    notes: HashMap<u32, &'a TrailEntry>,
    findings: HashMap<FindingId, &'a TrailEntry>,
}

impl<'a> Edits<'a> {
    pub fn note(&self, id: u32) -> Option<&'a TrailEntry> {
        self.notes.get(&id).copied()
    }

    pub fn finding(&self, id: FindingId) -> Option<&'a TrailEntry> {
        self.findings.get(&id).copied()
    }
}

impl AuditRecord {
    /// The newest trail entry that edited note `id` on `req`; `None` if it
    /// was never edited (or the trail does not say).
    pub fn last_note_edit(&self, req: &ReqRef, id: u32) -> Option<&TrailEntry> {
        let req = req.to_string();
        let mut edits = self.trail.iter().rev();
        edits.find(|e| edited_note(&e.what, &req) == Some(id))
    }

    /// The newest trail entry that edited finding `id`, including the edit
    /// that gave it this id by a change of grade; `None` if it was never
    /// edited.
    pub fn last_finding_edit(&self, id: FindingId) -> Option<&TrailEntry> {
        let mut edits = self.trail.iter().rev();
        edits.find(|e| {
            edited_finding(&e.what).is_some_and(|(old, new)| old == id || new == Some(id))
        })
    }

    /// The newest edit of every note on `req` and of every finding, as
    /// [`Self::last_note_edit`] and [`Self::last_finding_edit`] find them,
    /// in one pass over the trail.
    pub fn edits_on(&self, req: &ReqRef) -> Edits<'_> {
        self.scan_edits(Some(&req.to_string()))
    }

    /// The newest edit of every finding, in one pass over the trail.
    pub fn finding_edits(&self) -> Edits<'_> {
        self.scan_edits(None)
    }

    fn scan_edits(&self, req: Option<&str>) -> Edits<'_> {
        let mut edits = Edits::default();
        for entry in self.trail.iter().rev() {
            if let Some(id) = req.and_then(|req| edited_note(&entry.what, req)) {
                edits.notes.entry(id).or_insert(entry);
            } else if let Some((old, new)) = edited_finding(&entry.what) {
                edits.findings.entry(old).or_insert(entry);
                if let Some(new) = new {
                    edits.findings.entry(new).or_insert(entry);
                }
            }
        }
        edits
    }
}

/// `edited 14:32 by Jane Doe`, with the date too (`edited 2026-12-05 14:32
/// by …`) when the edit was not on the day the item was `written`. The name
/// is as recorded: escape it for where it is shown.
pub fn edited_mark(edit: &TrailEntry, written: &Timestamp) -> String {
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

    #[test]
    fn a_note_s_newest_edit_is_found_and_its_creation_is_not_an_edit() {
        let (mut r, req) = record();
        let written = at("2026-12-04T10:00:00+01:00", "Lee");
        let one = r.add_note(&written, &req, "first".into(), None).unwrap();
        let other = ReqRef::new("iso42001-2023", "4.2");
        let two = r
            .add_note(&written, &other, "other".into(), Some("Sam".into()))
            .unwrap();
        assert_eq!(r.last_note_edit(&req, one), None, "added, never edited");
        r.edit_note(
            &at("2026-12-04T11:15:00+01:00", "Jane Doe"),
            &req,
            one,
            "second".into(),
        )
        .unwrap();
        r.edit_note(
            &at("2026-12-05T14:32:00+01:00", "Sam Reid"),
            &req,
            one,
            "third".into(),
        )
        .unwrap();
        // Another note's edit, and an edit that changes nothing, come later.
        r.edit_note(
            &at("2026-12-05T15:00:00+01:00", "Kim"),
            &other,
            two,
            "x".into(),
        )
        .unwrap();
        r.edit_note(
            &at("2026-12-05T16:00:00+01:00", "Kim"),
            &req,
            one,
            "third".into(),
        )
        .unwrap();
        let edit = r.last_note_edit(&req, one).unwrap();
        assert_eq!(edit.by, "Sam Reid");
        assert_eq!(
            edited_mark(edit, &written.at),
            "edited 2026-12-05 14:32 by Sam Reid"
        );
        assert_eq!(r.last_note_edit(&other, two).unwrap().by, "Kim");
        assert_eq!(
            r.last_note_edit(&other, one),
            None,
            "note ids go with their requirement"
        );
        // Note 1 is not note 11: the id ends where the words go on.
        let eleven = "iso42001-2023:4.1 note 11 edited (was: \"a\")";
        r.trail.push(TrailEntry {
            what: eleven.into(),
            ..r.trail[0].clone()
        });
        assert_eq!(r.last_note_edit(&req, one).unwrap().by, "Sam Reid");
    }

    #[test]
    fn one_pass_over_the_trail_finds_what_the_single_lookups_find() {
        let (mut r, req) = record();
        let other = ReqRef::new("iso42001-2023", "4.2");
        let mut notes = Vec::new();
        let mut findings = Vec::new();
        for i in 0..12u32 {
            let when = at(&format!("2026-12-04T1{}:00:00+01:00", i % 10), "Lee");
            let on = if i % 3 == 0 { &other } else { &req };
            let id = r.add_note(&when, on, format!("n{i}"), None).unwrap();
            notes.push((on.clone(), id));
            let grade = Grade::ALL[i as usize % Grade::ALL.len()];
            let f = r
                .add_finding(&when, grade, vec![req.clone()], "s".into(), None)
                .unwrap();
            findings.push(f);
        }
        for (k, (on, id)) in notes.iter().enumerate().filter(|(k, _)| k % 2 == 0) {
            let by = format!("Editor {k}");
            r.edit_note(
                &at("2026-12-05T09:00:00+01:00", &by),
                on,
                *id,
                format!("e{k}"),
            )
            .unwrap();
        }
        for (k, f) in findings.iter().enumerate().filter(|(k, _)| k % 3 == 1) {
            let edit = FindingEdit {
                statement: Some(format!("edited {k}")),
                ..Default::default()
            };
            r.edit_finding(
                &at("2026-12-05T10:00:00+01:00", "Kim"),
                &f.to_string(),
                edit,
            )
            .unwrap();
        }
        let regrade = FindingEdit {
            grade: Some(Grade::Major),
            ..Default::default()
        };
        let moved = r
            .edit_finding(
                &at("2026-12-05T11:00:00+01:00", "Sam"),
                &findings[2].to_string(),
                regrade,
            )
            .unwrap();
        findings.push(moved);
        for on in [&req, &other] {
            let edits = r.edits_on(on);
            for (note_on, id) in notes.iter().filter(|(n, _)| n == on) {
                assert_eq!(edits.note(*id), r.last_note_edit(note_on, *id), "note {id}");
            }
            for f in &findings {
                assert_eq!(edits.finding(*f), r.last_finding_edit(*f), "{f}");
            }
        }
        assert!(
            r.edits_on(&req)
                .finding(moved)
                .is_some_and(|e| e.by == "Sam")
        );
    }

    #[test]
    fn a_finding_s_newest_edit_is_found_across_a_new_id() {
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
        assert_eq!(r.last_finding_edit(obs), None, "raised, never edited");
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
        let edit = r.last_finding_edit(obs).unwrap();
        assert_eq!(edited_mark(edit, &raised.at), "edited 10:30 by Jane Doe");
        // A change of grade into another family gives a new id: that edit
        // is the newest edit of the finding under its new id.
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
        assert_eq!(r.last_finding_edit(nc).unwrap().by, "Sam Reid");
        // An old statement quoting the renumbering words is not a renumbering.
        let (mut r2, req2) = record();
        let forged = "x; renumbered OBS-001 → NC-001; y";
        let first = r2
            .add_finding(
                &raised,
                Grade::Observation,
                vec![req2.clone()],
                forged.into(),
                None,
            )
            .unwrap();
        let quoted = FindingEdit {
            statement: Some("a".into()),
            ..Default::default()
        };
        r2.edit_finding(&raised, &first.to_string(), quoted)
            .unwrap();
        let nc = r2
            .add_finding(&raised, Grade::Minor, vec![req2], "b".into(), None)
            .unwrap();
        assert_eq!(nc.to_string(), "NC-001");
        assert_eq!(r2.last_finding_edit(nc), None);
        r.edit_finding(
            &at("2026-12-06T08:05:00+01:00", "Kim"),
            "NC-001",
            FindingEdit {
                statement: Some("t".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let edit = r.last_finding_edit(nc).unwrap();
        assert_eq!(
            edited_mark(edit, &raised.at),
            "edited 2026-12-06 08:05 by Kim"
        );
    }
}
