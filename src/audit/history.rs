//! What the trail says about one note or finding: its newest edit (not its
//! creation), for the "edited 14:32 by Jane Doe" mark beside it.
//!
//! The trail is prose, so the words an edit writes are made here and used
//! both by the operations that log them (`ops`) and by the lookup that reads
//! them back: the two cannot drift apart.

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

impl AuditRecord {
    /// The newest trail entry that edited note `id` on `req`; `None` if it
    /// was never edited (or the trail does not say).
    pub fn last_note_edit(&self, req: &ReqRef, id: u32) -> Option<&TrailEntry> {
        let start = note_edited(req, id);
        self.trail.iter().rev().find(|e| {
            e.what
                .strip_prefix(&start)
                .is_some_and(|rest| rest.starts_with(" (was: "))
        })
    }

    /// The newest trail entry that edited finding `id`, including the edit
    /// that gave it this id by a change of grade; `None` if it was never
    /// edited.
    pub fn last_finding_edit(&self, id: FindingId) -> Option<&TrailEntry> {
        let own = finding_edited(id);
        self.trail.iter().rev().find(|e| {
            if e.what.starts_with(&own) {
                return true;
            }
            // `edited OBS-001: grade: …; renumbered OBS-001 → NC-002; …`
            let Some(rest) = e.what.strip_prefix("edited ") else {
                return false;
            };
            let Some((old, changes)) = rest.split_once(": ") else {
                return false;
            };
            let mut parts = changes.split("; ");
            let regraded = parts.next().is_some_and(|p| p.starts_with("grade: "));
            let new_id = parts.next();
            regraded
                && old
                    .parse::<FindingId>()
                    .is_ok_and(|old| new_id == Some(renumbered(old, id).as_str()))
        })
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
