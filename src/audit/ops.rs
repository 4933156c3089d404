//! Every change an auditor can make to a record. The command line and the
//! TUI both go through these functions; each one records itself in the trail.

use super::conclusion::{self, Conclusion};
pub use super::error::AuditError;
use super::history;
use super::model::*;
use crate::checklist::{self, Catalog, ReqRef};

/// Who makes a change, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub by: String,
    pub at: Timestamp,
}

impl Edited {
    /// Edited by the author of `change`, at its time.
    pub fn by(change: &Change) -> Edited {
        Edited {
            at: change.at,
            by: change.by.clone(),
        }
    }
}

impl Change {
    pub fn now(by: impl Into<String>) -> Change {
        Change {
            by: by.into(),
            at: now(),
        }
    }
}

/// Trimmed text, or `None` when blank.
pub(super) fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

pub(super) fn required(text: String, what: &'static str) -> Result<String, AuditError> {
    clean(Some(text)).ok_or(AuditError::Empty(what))
}

pub(super) fn shown(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("{v:?}"),
        None => "(none)".into(),
    }
}

/// What `finding edit` may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingEdit {
    pub grade: Option<Grade>,
    pub statement: Option<String>,
    /// `Some("")` clears the objective evidence.
    pub objective_evidence: Option<String>,
    /// The further requirements as they are to be (the first, the one it
    /// was raised on, stays).
    pub also: Option<Vec<ReqRef>>,
    /// The date an NC must be answered by; `Some(None)` goes back to the
    /// one that follows from the audit's end.
    pub response_due: Option<Option<chrono::NaiveDate>>,
}

impl AuditRecord {
    /// A fresh record with its creation in the trail.
    pub fn new(
        meta: Meta,
        criteria: Vec<Criterion>,
        evidence_bundle: Option<String>,
        change: &Change,
    ) -> AuditRecord {
        let mut record = AuditRecord {
            format_version: FORMAT_VERSION,
            meta,
            criteria,
            evidence_bundle,
            assessments: Default::default(),
            findings: Vec::new(),
            counters: Counters::default(),
            trail: Vec::new(),
            sign_off: None,
            reports: Vec::new(),
            conclusion: None,
            cycle: None,
            previous_findings: Vec::new(),
            sample: Default::default(),
            auditee_copy: false,
            frozen: Counters::default(),
            conflicts: Vec::new(),
            plan: Default::default(),
        };
        let what = format!(
            "created the {} audit of {:?} against {}",
            record.meta.audit_type.label(),
            record.meta.client,
            record
                .criteria
                .iter()
                .map(Criterion::id)
                .collect::<Vec<_>>()
                .join(", ")
        );
        record.log(change, what);
        record
    }

    /// The checklists this audit is conducted against.
    pub fn catalog(&self) -> Result<Catalog, AuditError> {
        let mut checklists = Vec::with_capacity(self.criteria.len());
        for criterion in &self.criteria {
            match criterion {
                Criterion::Builtin(id) => checklists.push(
                    checklist::registry::get(id)?
                        .ok_or_else(|| AuditError::MissingChecklist(id.clone()))?
                        .clone(),
                ),
                Criterion::Custom(c) => {
                    let shipped = checklist::registry::all()?;
                    let others: Vec<&checklist::Checklist> =
                        shipped.iter().filter(|o| o.id != c.id).collect();
                    let errors: Vec<String> = checklist::validate(c, None, &others)
                        .into_iter()
                        .filter(|p| p.severity == checklist::Severity::Error)
                        .map(|p| p.message)
                        .collect();
                    if !errors.is_empty() {
                        return Err(AuditError::InvalidCustomChecklist {
                            id: c.id.clone(),
                            errors,
                        });
                    }
                    checklists.push(c.clone());
                }
            }
        }
        Ok(Catalog::new(checklists)?)
    }

    /// Who changes the record when nobody says: the lead auditor.
    pub fn default_author(&self) -> Option<&str> {
        self.meta.lead_auditor()
    }

    pub(super) fn log(&mut self, change: &Change, what: String) {
        self.trail.push(TrailEntry {
            at: change.at,
            by: change.by.clone(),
            what,
            step: None,
        });
    }

    pub fn assessment(&self, req: &ReqRef) -> Option<&Assessment> {
        self.assessments.get(req)
    }

    pub fn verdict(&self, req: &ReqRef) -> Verdict {
        self.assessment(req).map(|a| a.verdict).unwrap_or_default()
    }

    /// Set the verdict on a requirement. Returns whether anything changed.
    pub fn set_verdict(
        &mut self,
        change: &Change,
        req: &ReqRef,
        verdict: Verdict,
        justification: Option<String>,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        self.refuse_clearing(req, verdict)?;
        let current = self.assessments.get(req).cloned().unwrap_or_default();
        let justification = match clean(justification) {
            Some(given) => Some(given),
            // Re-confirming not applicable keeps the justification already given.
            None if verdict == Verdict::NotApplicable
                && current.verdict == Verdict::NotApplicable =>
            {
                current.justification.clone()
            }
            None if verdict == Verdict::NotApplicable => {
                return Err(AuditError::JustificationRequired(req.clone()));
            }
            None => None,
        };
        if current.verdict == verdict && current.justification == justification {
            return Ok(false);
        }
        let mut what = format!("{req} verdict: {} → {verdict}", current.verdict);
        if let Some(j) = &justification {
            what.push_str(&format!(" (justification: {j:?})"));
        }
        let entry = self.assessments.entry(req.clone()).or_default();
        entry.verdict = verdict;
        entry.justification = justification;
        self.log(change, what);
        Ok(true)
    }

    /// Record how far the auditee declares a control implemented (`None`
    /// clears it). Returns whether anything changed.
    pub fn set_implementation(
        &mut self,
        change: &Change,
        req: &ReqRef,
        implementation: Option<Implementation>,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        let current = self.assessment(req).and_then(|a| a.implementation);
        if current == implementation {
            return Ok(false);
        }
        let word = |i: Option<Implementation>| i.map_or("(not declared)", |i| i.as_str());
        self.log(
            change,
            format!(
                "{req} declared implementation: {} → {}",
                word(current),
                word(implementation)
            ),
        );
        self.assessments
            .entry(req.clone())
            .or_default()
            .implementation = implementation;
        Ok(true)
    }

    /// Append a timestamped interview note; returns its id.
    pub fn add_note(
        &mut self,
        change: &Change,
        req: &ReqRef,
        text: String,
        interviewee: Option<String>,
    ) -> Result<u32, AuditError> {
        self.ensure_open()?;
        let text = required(text, "note")?;
        let interviewee = clean(interviewee);
        let in_use = self
            .assessments
            .values()
            .flat_map(|a| &a.notes)
            .map(|n| n.id)
            .max()
            .unwrap_or(0);
        let id = self
            .counters
            .next_note(in_use)
            .ok_or(AuditError::OutOfIds("note"))?;
        let mut what = format!("{req} note {id} added");
        if let Some(who) = &interviewee {
            what.push_str(&format!(" (interviewee: {who})"));
        }
        self.assessments
            .entry(req.clone())
            .or_default()
            .notes
            .push(Note {
                id,
                uid: super::identity::Uid::fresh(&change.by, &change.at),
                at: change.at,
                by: change.by.clone(),
                interviewee,
                text,
                internal: false,
                edited: None,
            });
        self.log(change, what);
        Ok(id)
    }

    fn note_mut(&mut self, req: &ReqRef, id: u32) -> Result<&mut Note, AuditError> {
        self.assessments
            .get_mut(req)
            .and_then(|a| a.notes.iter_mut().find(|n| n.id == id))
            .ok_or_else(|| AuditError::UnknownNote {
                req: req.clone(),
                id,
            })
    }

    /// Replace a note's text; the trail keeps the old text.
    pub fn edit_note(
        &mut self,
        change: &Change,
        req: &ReqRef,
        id: u32,
        text: String,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        let text = required(text, "note")?;
        let note = self.note_mut(req, id)?;
        if note.text == text {
            return Ok(false);
        }
        let old = std::mem::replace(&mut note.text, text);
        note.edited = Some(Edited::by(change));
        let edited = history::note_edited(req, id);
        self.log(change, format!("{edited} (was: {old:?})"));
        Ok(true)
    }

    /// Mark a note a working paper (`internal`), kept out of the auditee's
    /// copy, or not. Returns whether anything changed.
    pub fn set_note_internal(
        &mut self,
        change: &Change,
        req: &ReqRef,
        id: u32,
        internal: bool,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        let note = self.note_mut(req, id)?;
        if note.internal == internal {
            return Ok(false);
        }
        note.internal = internal;
        let what = if internal {
            "marked internal (a working paper, not in the auditee's copy)"
        } else {
            "shared (in the auditee's copy too)"
        };
        self.log(change, format!("{req} note {id} {what}"));
        Ok(true)
    }

    /// Delete a note; the trail keeps what it said.
    pub fn remove_note(
        &mut self,
        change: &Change,
        req: &ReqRef,
        id: u32,
    ) -> Result<Note, AuditError> {
        self.ensure_open()?;
        self.note_mut(req, id)?;
        let notes = &mut self
            .assessments
            .get_mut(req)
            .ok_or_else(|| AuditError::UnknownNote {
                req: req.clone(),
                id,
            })?
            .notes;
        let index = notes.iter().position(|n| n.id == id).unwrap_or_default();
        let note = notes.remove(index);
        self.log(
            change,
            format!(
                "{req} note {id} removed (by {}, said: {:?})",
                note.by, note.text
            ),
        );
        Ok(note)
    }

    /// Refuse a grade the audit type does not raise: areas of concern
    /// only at stage 1, and there no NCs unless the certification body
    /// allows them.
    pub(super) fn refuse_grade_for_stage(&self, grade: Grade) -> Result<(), AuditError> {
        let stage1 = self.meta.audit_type == AuditType::Stage1;
        if grade == Grade::AreaOfConcern && !stage1 {
            return Err(AuditError::AocNotAtStage1(self.meta.audit_type));
        }
        if grade.is_nonconformity() && stage1 && !self.meta.report.stage1_ncs {
            return Err(AuditError::NcAtStage1);
        }
        Ok(())
    }

    /// The next free id in a family: past the counter and past any id in use.
    fn next_finding_id(&mut self, family: Family) -> Result<FindingId, AuditError> {
        let in_use = self
            .all_findings()
            .filter(|f| f.id.family == family)
            .map(|f| f.id.number)
            .max()
            .unwrap_or(0);
        let number = self
            .counters
            .next(family, in_use)
            .ok_or(AuditError::OutOfIds(family.prefix()))?;
        Ok(FindingId { family, number })
    }

    /// Raise a finding on one or more requirements; returns its new id.
    pub fn add_finding(
        &mut self,
        change: &Change,
        grade: Grade,
        requirements: Vec<ReqRef>,
        statement: String,
        objective_evidence: Option<String>,
    ) -> Result<FindingId, AuditError> {
        self.ensure_open()?;
        let statement = required(statement, "statement")?;
        let mut reqs: Vec<ReqRef> = Vec::with_capacity(requirements.len());
        for r in requirements {
            if !reqs.contains(&r) {
                reqs.push(r);
            }
        }
        self.refuse_grade_for_stage(grade)?;
        self.refuse_nc_on_clear(grade, &reqs)?;
        let id = self.next_finding_id(grade.family())?;
        let what = format!(
            "raised {id} ({}) on {}",
            grade.label(),
            reqs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.findings.push(Finding {
            id,
            uid: super::identity::Uid::fresh(&change.by, &change.at),
            grade,
            requirements: reqs,
            statement,
            objective_evidence: clean(objective_evidence),
            raised_at: change.at,
            raised_by: change.by.clone(),
            edited: None,
            evidence: Vec::new(),
            response_due: None,
            follows: None,
        });
        self.findings.sort_by_key(|f| f.id);
        self.log(change, what);
        Ok(id)
    }

    pub fn finding(&self, id: &str) -> Result<&Finding, AuditError> {
        let index = self.finding_index(id)?;
        Ok(&self.findings[index])
    }

    pub(super) fn finding_index(&self, id: &str) -> Result<usize, AuditError> {
        let unknown = || AuditError::UnknownFinding {
            id: id.trim().to_string(),
            known: self.findings.iter().map(|f| f.id.to_string()).collect(),
        };
        let parsed: FindingId = id.parse().map_err(|_| unknown())?;
        self.findings
            .iter()
            .position(|f| f.id == parsed)
            .ok_or_else(unknown)
    }

    /// Change a finding. A change of grade into another family (say minor NC
    /// to observation) retires the old id and gives a new one, returned.
    pub fn edit_finding(
        &mut self,
        change: &Change,
        id: &str,
        edit: FindingEdit,
    ) -> Result<FindingId, AuditError> {
        self.ensure_open()?;
        let index = self.finding_index(id)?;
        let mut finding = self.findings[index].clone();
        let mut changes = Vec::new();
        if let Some(also) = edit.also {
            let reqs = super::open_ncs::with_further(finding.requirements.first(), also);
            if reqs != finding.requirements {
                let list = |reqs: &[ReqRef]| {
                    reqs.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                changes.push(format!(
                    "requirements: {} → {}",
                    list(&finding.requirements),
                    list(&reqs)
                ));
                finding.requirements = reqs;
            }
        }
        // Before any id is spent: an NC must not stand on a requirement
        // marked conforming or not applicable.
        let grade = edit.grade.unwrap_or(finding.grade);
        let marked = self.newly_under_nc(&self.findings[index], grade, &finding.requirements);
        if !marked.is_empty() {
            return Err(AuditError::NcOnClearVerdict { grade, marked });
        }
        if let Some(grade) = edit.grade.filter(|g| *g != finding.grade) {
            self.refuse_grade_for_stage(grade)?;
            changes.push(format!(
                "grade: {} → {}",
                finding.grade.label(),
                grade.label()
            ));
            if grade.family() != finding.id.family {
                let new_id = self.next_finding_id(grade.family())?;
                changes.push(history::renumbered(finding.id, new_id));
                finding.id = new_id;
            }
            if !grade.is_nonconformity()
                && edit.response_due.is_none()
                && let Some(due) = finding.response_due.take()
            {
                changes.push(format!("response due: {due} → none (not an NC)"));
            }
            finding.grade = grade;
        }
        if let Some(statement) = edit.statement {
            let statement = required(statement, "statement")?;
            if statement != finding.statement {
                changes.push(format!("statement was: {:?}", finding.statement));
                finding.statement = statement;
            }
        }
        if let Some(evidence) = edit.objective_evidence {
            let evidence = clean(Some(evidence));
            if evidence != finding.objective_evidence {
                changes.push(format!(
                    "objective evidence was: {}",
                    shown(&finding.objective_evidence)
                ));
                finding.objective_evidence = evidence;
            }
        }
        if let Some(due) = edit.response_due
            && due != finding.response_due
        {
            if due.is_some() && !finding.grade.is_nonconformity() {
                return Err(AuditError::ResponseDueNotNc(finding.id));
            }
            let shown_date = |d: Option<chrono::NaiveDate>| {
                d.map_or("the usual deadline".to_string(), |d| d.to_string())
            };
            changes.push(format!(
                "response due: {} → {}",
                shown_date(finding.response_due),
                shown_date(due)
            ));
            finding.response_due = due;
        }
        let old_id = self.findings[index].id;
        let new_id = finding.id;
        if !changes.is_empty() {
            finding.edited = Some(Edited::by(change));
            self.findings[index] = finding;
            self.findings.sort_by_key(|f| f.id);
            let edited = history::finding_edited(old_id);
            self.log(change, format!("{edited} {}", changes.join("; ")));
        }
        Ok(new_id)
    }

    /// Remove a finding; its id is never given out again and the trail keeps
    /// what it said.
    pub fn remove_finding(&mut self, change: &Change, id: &str) -> Result<Finding, AuditError> {
        self.ensure_open()?;
        let index = self.finding_index(id)?;
        let finding = self.findings.remove(index);
        self.log(
            change,
            format!(
                "removed {} ({} on {}, raised by {} at {}): statement {:?}; objective evidence {}",
                finding.id,
                finding.grade.label(),
                finding
                    .requirements
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                finding.raised_by,
                finding.raised_at.to_rfc3339(),
                finding.statement,
                shown(&finding.objective_evidence),
            ),
        );
        Ok(finding)
    }

    /// Refuse changes to a signed-off record.
    pub fn ensure_open(&self) -> Result<(), AuditError> {
        match &self.sign_off {
            Some(s) => Err(AuditError::SignedOff {
                by: s.signer.clone(),
                at: s.at.to_rfc3339(),
            }),
            None => Ok(()),
        }
    }

    /// Record the sign-off; the record is locked until [`Self::reopen`].
    pub fn sign_off(&mut self, change: &Change, sign_off: SignOff) -> Result<(), AuditError> {
        self.ensure_open()?;
        self.log(
            change,
            format!(
                "signed off by {} with key {}: {:?}",
                sign_off.signer, sign_off.key_id, sign_off.statement
            ),
        );
        self.sign_off = Some(sign_off);
        Ok(())
    }

    /// Record the team's conclusions; refused when the recommendation does
    /// not fit the audit type, or is unconditionally positive while a major
    /// nonconformity is open. Returns whether anything changed.
    pub fn conclude(
        &mut self,
        change: &Change,
        mut conclusion: Conclusion,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        conclusion::check(self, conclusion.recommendation)?;
        conclusion.reasoning = required(conclusion.reasoning, "reasoning")?;
        conclusion.effectiveness = clean(conclusion.effectiveness);
        conclusion.at = change.at;
        conclusion.by = change.by.clone();
        let same = |old: &Conclusion| {
            (
                &old.recommendation,
                &old.reasoning,
                &old.scope_appropriate,
                &old.effectiveness,
                &old.objectives_met,
            ) == (
                &conclusion.recommendation,
                &conclusion.reasoning,
                &conclusion.scope_appropriate,
                &conclusion.effectiveness,
                &conclusion.objectives_met,
            )
        };
        if self.conclusion.as_ref().is_some_and(same) {
            return Ok(false);
        }
        self.log(
            change,
            format!(
                "concluded: {} ({:?})",
                conclusion.recommendation, conclusion.reasoning
            ),
        );
        self.conclusion = Some(conclusion);
        Ok(true)
    }

    /// Unlock a signed-off record; the trail records that the sign-off no
    /// longer holds. Returns the sign-off withdrawn.
    pub fn reopen(&mut self, change: &Change) -> Result<SignOff, AuditError> {
        let Some(old) = self.sign_off.take() else {
            return Err(AuditError::NotSignedOff);
        };
        self.log(
            change,
            format!(
                "reopened: the sign-off by {} at {} (key {}) no longer holds",
                old.signer,
                old.at.to_rfc3339(),
                old.key_id
            ),
        );
        Ok(old)
    }

    /// Number of notes across all requirements.
    pub fn notes_total(&self) -> usize {
        self.assessments.values().map(|a| a.notes.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::LinkTarget;

    use crate::audit::testing::record;

    #[test]
    fn the_last_note_number_is_handed_out_once_then_notes_are_refused() {
        let (mut r, who, req) = record();
        r.counters.note = u32::MAX - 1;
        assert_eq!(r.add_note(&who, &req, "a".into(), None).unwrap(), u32::MAX);
        let before = r.clone();
        let err = r.add_note(&who, &req, "b".into(), None).unwrap_err();
        assert!(matches!(err, AuditError::OutOfIds("note")), "{err}");
        assert!(err.to_string().contains("no note number is left"), "{err}");
        assert_eq!(r, before, "a refused note changes nothing");
    }

    #[test]
    fn a_collected_file_is_cited_beside_a_bundle_file_of_the_same_name() {
        let (mut r, who, req) = record();
        let target = LinkTarget::Requirement(req.clone());
        let sha = "ab".repeat(32);
        r.link_evidence(&who, &target, "plain.txt".into(), sha.clone(), 3)
            .unwrap();
        let bundle_only = crate::ronfile::to_string(&r).unwrap();
        assert!(!bundle_only.contains("collected"), "{bundle_only}");
        let name = "a/b\u{1b}.png".to_string();
        assert!(
            r.cite_collected(
                &who,
                &target,
                sha.clone(),
                3,
                name.clone(),
                Some(" log ".into())
            )
            .unwrap()
        );
        let said = &r.trail.last().unwrap().what;
        assert!(
            said.contains("collected file \"a/b\\u{1b}.png\" attached"),
            "{said}"
        );
        // A bundle file at the collected file's report name stays apart.
        let path = format!("collected/{sha}/a_b_.png");
        r.link_evidence(&who, &target, path.clone(), sha.clone(), 3)
            .unwrap();
        let links = &r.assessment(&req).unwrap().evidence;
        assert_eq!(links.len(), 3);
        let collected: Vec<_> = links.iter().filter_map(|l| l.collected.as_ref()).collect();
        assert_eq!(collected.len(), 1);
        assert_eq!(collected[0].original_name, name);
        assert_eq!(collected[0].caption.as_deref(), Some("log"));
        // The same file with the same name again changes nothing.
        assert!(!r.cite_collected(&who, &target, sha, 3, name, None).unwrap());
    }

    #[test]
    fn a_note_id_a_hand_edit_put_past_the_counter_is_not_reused() {
        let (mut r, who, req) = record();
        r.add_note(&who, &req, "a".into(), None).unwrap();
        r.counters.note = 0;
        assert_eq!(r.add_note(&who, &req, "b".into(), None).unwrap(), 2);
    }

    #[test]
    fn a_finding_with_the_last_number_stops_its_family_only() {
        let (mut r, who, req) = record();
        r.add_finding(&who, Grade::Minor, vec![req.clone()], "x".into(), None)
            .unwrap();
        r.findings[0].id.number = u32::MAX;
        let before = r.clone();
        let err = r
            .add_finding(&who, Grade::Major, vec![req.clone()], "y".into(), None)
            .unwrap_err();
        assert!(matches!(err, AuditError::OutOfIds("NC")), "{err}");
        assert_eq!(r, before, "a refused finding changes nothing");
        let err = r
            .edit_finding(
                &who,
                "NC-4294967295",
                FindingEdit {
                    grade: Some(Grade::Major),
                    ..Default::default()
                },
            )
            .map(|id| id.to_string());
        assert_eq!(err.unwrap(), "NC-4294967295", "same family keeps its id");
        let id = r
            .add_finding(&who, Grade::Ofi, vec![req], "z".into(), None)
            .unwrap();
        assert_eq!(id.to_string(), "OFI-001");
    }
}
