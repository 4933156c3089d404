//! The auditee's copy of a record: what the auditee's report is made from.
//! Internal notes (working papers) are left out, and the people
//! interviewed are named by their role only, since interview notes name
//! people who did not agree to be named to their employer.

use super::model::AuditRecord;

impl AuditRecord {
    /// This record without internal notes, interviewees by role only.
    pub fn auditee_copy(&self) -> AuditRecord {
        let mut copy = self.clone();
        for assessment in copy.assessments.values_mut() {
            assessment.notes.retain(|n| !n.internal);
            for note in &mut assessment.notes {
                note.interviewee = note.interviewee.as_deref().map(role_only);
            }
        }
        // The trail quotes internal notes and names interviewees; the
        // auditee's copy does without it.
        copy.trail.clear();
        copy.auditee_copy = true;
        copy
    }
}

/// `Priya Shah (Head of AI Governance)` → `Head of AI Governance`; a name
/// without a role in brackets → `an interviewee`.
pub fn role_only(interviewee: &str) -> String {
    let role = interviewee
        .trim()
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once('('))
        .map(|(_, role)| role.trim())
        .filter(|role| !role.is_empty());
    role.map_or_else(|| "an interviewee".to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::record;

    #[test]
    fn internal_notes_go_and_interviewees_keep_only_their_role() {
        let (mut r, who, req) = record();
        let shared = r
            .add_note(
                &who,
                &req,
                "Policy approved".into(),
                Some("Priya Shah (Head of AI Governance)".into()),
            )
            .unwrap();
        let paper = r
            .add_note(
                &who,
                &req,
                "Seemed unsure about the register".into(),
                Some("Sam".into()),
            )
            .unwrap();
        r.set_note_internal(&who, &req, paper, true).unwrap();
        let copy = r.auditee_copy();
        let notes = &copy.assessment(&req).unwrap().notes;
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].id, shared);
        assert_eq!(
            notes[0].interviewee.as_deref(),
            Some("Head of AI Governance")
        );
        assert!(copy.trail.is_empty(), "the trail quotes the internal note");
        assert_eq!(role_only("Sam"), "an interviewee");
        assert_eq!(role_only("Sam ()"), "an interviewee");
        assert_eq!(
            r.assessment(&req).unwrap().notes.len(),
            2,
            "the record keeps both"
        );
    }
}
