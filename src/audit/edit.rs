//! A change to a record as data: what the TUI queues for the durable store,
//! replays on a freshly read record under the lock, and retries after a
//! failed save.

use super::citations::LinkTarget;
use super::conclusion::Conclusion;
use super::lifecycle::{Outcome as Verification, Response};
use super::meta_ops::MetaEdit;
use super::ops::{AuditError, Change, FindingEdit};
use super::{AuditRecord, EvidenceLink, FindingId, Grade, Implementation, Verdict};
use crate::checklist::ReqRef;

/// One confirmed change, independent of when and by whom it is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    SetVerdict {
        req: ReqRef,
        verdict: Verdict,
        justification: Option<String>,
    },
    AddNote {
        req: ReqRef,
        text: String,
        interviewee: Option<String>,
        /// A working paper, kept out of the auditee's copy.
        internal: bool,
    },
    SetNoteInternal {
        req: ReqRef,
        id: u32,
        internal: bool,
    },
    /// How far the auditee declares a control implemented (None: clear).
    SetImplementation {
        req: ReqRef,
        implementation: Option<Implementation>,
    },
    EditNote {
        req: ReqRef,
        id: u32,
        text: String,
    },
    RemoveNote {
        req: ReqRef,
        id: u32,
    },
    AddFinding {
        grade: Grade,
        requirements: Vec<ReqRef>,
        statement: String,
        objective_evidence: Option<String>,
    },
    EditFinding {
        id: FindingId,
        grade: Option<Grade>,
        statement: Option<String>,
        objective_evidence: Option<String>,
        /// The further requirements as they are to be; `None` keeps them.
        also: Option<Vec<ReqRef>>,
    },
    RemoveFinding {
        id: FindingId,
    },
    SetMeta(MetaEdit),
    /// The team's conclusions (time and author come from the change).
    Conclude(Box<Conclusion>),
    LinkEvidence {
        target: LinkTarget,
        path: String,
        sha256: String,
        size: u64,
    },
    /// Cite a file the auditor collected, already stored beside the record.
    AttachCollected {
        target: LinkTarget,
        sha256: String,
        size: u64,
        original_name: String,
        caption: Option<String>,
    },
    /// Set `reqs` nonconforming, then apply `then` (raising or regrading
    /// the NC they are marked otherwise for), as one change.
    SetNonconformingThen {
        reqs: Vec<ReqRef>,
        then: Box<Edit>,
    },
    /// The auditee's response to a finding (a follow-up step).
    Respond {
        id: FindingId,
        response: Response,
    },
    /// The auditor accepts the response's plan, or returns it.
    Review {
        id: FindingId,
        accept: bool,
        comment: String,
    },
    /// The auditee reports the corrective action carried out.
    Implemented {
        id: FindingId,
        comment: String,
        evidence: Vec<EvidenceLink>,
    },
    /// The auditor's verification verdict.
    Verify {
        id: FindingId,
        outcome: Verification,
        objective_evidence: String,
        evidence: Vec<EvidenceLink>,
    },
    /// Raise `earlier` again as a new finding (a minor NC not effective,
    /// raised as major), which closes it in favour of the new one.
    RaiseAgain {
        earlier: FindingId,
        grade: Grade,
        requirements: Vec<ReqRef>,
        statement: String,
        objective_evidence: Option<String>,
    },
    /// Put a requirement in a surveillance visit's sample, or take it out.
    SetSampled {
        req: ReqRef,
        sampled: bool,
    },
    /// Assign a requirement to one auditor (`None`: back to the plan's
    /// sessions' auditors).
    Assign {
        req: ReqRef,
        auditor: Option<String>,
    },
    /// Settle a merge conflict (its path as stored, or as shown).
    Resolve {
        path: String,
        choice: super::conflict::Choice,
    },
}

/// What applying an edit produced, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Whether the record changed.
    Changed(bool),
    Note(u32),
    Finding(FindingId),
}

impl Edit {
    /// Apply to `record` as `change`; on error the record is unchanged.
    pub fn apply(&self, record: &mut AuditRecord, change: &Change) -> Result<Outcome, AuditError> {
        Ok(match self.clone() {
            Edit::SetVerdict {
                req,
                verdict,
                justification,
            } => Outcome::Changed(record.set_verdict(change, &req, verdict, justification)?),
            Edit::AddNote {
                req,
                text,
                interviewee,
                internal,
            } => {
                let id = record.add_note(change, &req, text, interviewee)?;
                if internal {
                    record.set_note_internal(change, &req, id, true)?;
                }
                Outcome::Note(id)
            }
            Edit::SetNoteInternal { req, id, internal } => {
                Outcome::Changed(record.set_note_internal(change, &req, id, internal)?)
            }
            Edit::SetImplementation {
                req,
                implementation,
            } => Outcome::Changed(record.set_implementation(change, &req, implementation)?),
            Edit::EditNote { req, id, text } => {
                Outcome::Changed(record.edit_note(change, &req, id, text)?)
            }
            Edit::RemoveNote { req, id } => {
                record.remove_note(change, &req, id)?;
                Outcome::Changed(true)
            }
            Edit::AddFinding {
                grade,
                requirements,
                statement,
                objective_evidence,
            } => Outcome::Finding(record.add_finding(
                change,
                grade,
                requirements,
                statement,
                objective_evidence,
            )?),
            Edit::EditFinding {
                id,
                grade,
                statement,
                objective_evidence,
                also,
            } => Outcome::Finding(record.edit_finding(
                change,
                &id.to_string(),
                FindingEdit {
                    grade,
                    statement,
                    objective_evidence,
                    also,
                    response_due: None,
                },
            )?),
            Edit::RemoveFinding { id } => {
                record.remove_finding(change, &id.to_string())?;
                Outcome::Changed(true)
            }
            Edit::SetMeta(edit) => Outcome::Changed(!record.set_meta(change, edit)?.is_empty()),
            Edit::Conclude(conclusion) => Outcome::Changed(record.conclude(change, *conclusion)?),
            Edit::LinkEvidence {
                target,
                path,
                sha256,
                size,
            } => Outcome::Changed(record.link_evidence(change, &target, path, sha256, size)?),
            Edit::AttachCollected {
                target,
                sha256,
                size,
                original_name,
                caption,
            } => Outcome::Changed(record.cite_collected(
                change,
                &target,
                sha256,
                size,
                original_name,
                caption,
            )?),
            Edit::SetNonconformingThen { reqs, then } => {
                record.set_nonconforming_then(change, &reqs, |r| then.apply(r, change))?
            }
            Edit::Respond { id, response } => {
                record.respond(change, &id.to_string(), response)?;
                Outcome::Changed(true)
            }
            Edit::Review {
                id,
                accept,
                comment,
            } => {
                record.review(change, &id.to_string(), accept, comment)?;
                Outcome::Changed(true)
            }
            Edit::Implemented {
                id,
                comment,
                evidence,
            } => {
                record.implemented(change, &id.to_string(), comment, evidence)?;
                Outcome::Changed(true)
            }
            Edit::Verify {
                id,
                outcome,
                objective_evidence,
                evidence,
            } => {
                record.verify_finding(
                    change,
                    &id.to_string(),
                    outcome,
                    objective_evidence,
                    evidence,
                )?;
                Outcome::Changed(true)
            }
            Edit::RaiseAgain {
                earlier,
                grade,
                requirements,
                statement,
                objective_evidence,
            } => Outcome::Finding(record.raise_again(
                change,
                &earlier.to_string(),
                grade,
                requirements,
                statement,
                objective_evidence,
            )?),
            Edit::SetSampled { req, sampled } => {
                let catalog = record.catalog()?;
                Outcome::Changed(record.set_sampled(change, &catalog, &req, sampled)?)
            }
            Edit::Assign { req, auditor } => {
                Outcome::Changed(record.assign(change, &req, auditor)?)
            }
            Edit::Resolve { path, choice } => {
                record.resolve(change, &path, choice)?;
                Outcome::Changed(true)
            }
        })
    }

    /// The requirements marked conforming or not applicable that this edit
    /// would make the subject of an NC: the ones a new NC is raised on,
    /// those of a finding regraded into an NC, or those added to an NC.
    /// Empty for any other edit.
    pub fn marked_clear(&self, record: &AuditRecord) -> Vec<(ReqRef, Verdict)> {
        match self {
            Edit::AddFinding {
                grade,
                requirements,
                ..
            } if grade.is_nonconformity() => record.marked_clear(requirements),
            Edit::RaiseAgain {
                grade,
                requirements,
                ..
            } if grade.is_nonconformity() => record.marked_clear(requirements),
            Edit::EditFinding {
                id, grade, also, ..
            } => record
                .findings
                .iter()
                .find(|f| f.id == *id)
                .map(|f| {
                    let reqs = match also {
                        Some(also) => {
                            super::open_ncs::with_further(f.requirements.first(), also.clone())
                        }
                        None => f.requirements.clone(),
                    };
                    record.newly_under_nc(f, grade.unwrap_or(f.grade), &reqs)
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// This edit, setting nonconforming first the requirements it would
    /// otherwise contradict ([`Edit::marked_clear`]); unchanged when there
    /// are none.
    pub fn setting_nonconforming(self, record: &AuditRecord) -> Edit {
        let reqs: Vec<ReqRef> = self
            .marked_clear(record)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        if reqs.is_empty() {
            self
        } else {
            Edit::SetNonconformingThen {
                reqs,
                then: Box::new(self),
            }
        }
    }

    /// A short description for the status line.
    pub fn describe(&self) -> String {
        match self {
            Edit::SetVerdict { req, verdict, .. } => format!("{req} {verdict}"),
            Edit::AddNote { req, .. } => format!("note on {req}"),
            Edit::SetNoteInternal { req, id, .. } => format!("note {id} on {req}"),
            Edit::SetImplementation { req, .. } => format!("declared implementation of {req}"),
            Edit::EditNote { req, id, .. } => format!("note {id} on {req}"),
            Edit::RemoveNote { req, id } => format!("removal of note {id} on {req}"),
            Edit::AddFinding { grade, .. } => format!("new {}", grade.label()),
            Edit::EditFinding { id, .. } => format!("edit of {id}"),
            Edit::RemoveFinding { id } => format!("removal of {id}"),
            Edit::SetMeta(_) => "audit details".into(),
            Edit::Conclude(c) => format!("conclusion ({})", c.recommendation),
            Edit::LinkEvidence { target, path, .. } => format!("link of {path} to {target}"),
            Edit::AttachCollected {
                target,
                original_name,
                ..
            } => format!(
                "attachment of {} to {target}",
                crate::text::shown(original_name)
            ),
            Edit::SetNonconformingThen { reqs, then } => format!(
                "{} with {} set nonconforming",
                then.describe(),
                reqs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Edit::Respond { id, .. } => format!("response to {id}"),
            Edit::Review {
                id, accept: true, ..
            } => format!("acceptance of {id}'s plan"),
            Edit::Review { id, .. } => format!("return of {id}'s plan"),
            Edit::Implemented { id, .. } => format!("{id} implemented"),
            Edit::Verify { id, outcome, .. } => format!("{id} {}", outcome.words()),
            Edit::RaiseAgain { earlier, grade, .. } => {
                format!("{earlier} raised again as {}", grade.label())
            }
            Edit::SetSampled { req, sampled: true } => format!("{req} into the visit's sample"),
            Edit::SetSampled { req, .. } => format!("{req} out of the visit's sample"),
            Edit::Resolve { path, .. } => format!("resolution of {}", crate::text::shown(path)),
            Edit::Assign { req, auditor } => format!(
                "assignment of {req} to {}",
                auditor.as_deref().unwrap_or("the plan's auditors")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditType, Criterion, Meta};

    fn record() -> AuditRecord {
        let meta = Meta::new("A", AuditType::Stage2);
        let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
        AuditRecord::new(meta, criteria, None, &Change::now("t"))
    }

    #[test]
    fn edits_apply_like_the_operations_they_name() {
        let mut r = record();
        let who = Change::now("Lee");
        let req = ReqRef::new("iso42001-2023", "6.1.2");
        let add = Edit::AddNote {
            req: req.clone(),
            text: "heard".into(),
            interviewee: None,
            internal: false,
        };
        assert_eq!(add.apply(&mut r, &who).unwrap(), Outcome::Note(1));
        let raise = Edit::AddFinding {
            grade: Grade::Minor,
            requirements: vec![req.clone()],
            statement: "s".into(),
            objective_evidence: None,
        };
        let Outcome::Finding(id) = raise.apply(&mut r, &who).unwrap() else {
            panic!("expected a finding")
        };
        assert_eq!(id.to_string(), "NC-001");
        Edit::RemoveFinding { id }.apply(&mut r, &who).unwrap();
        assert!(r.findings.is_empty());
        let refused = Edit::SetVerdict {
            req,
            verdict: Verdict::NotApplicable,
            justification: None,
        };
        let before = r.clone();
        assert!(refused.apply(&mut r, &who).is_err());
        assert_eq!(r, before);
    }

    #[test]
    fn an_nc_on_a_conforming_requirement_applies_with_its_verdict_set_nonconforming() {
        let mut r = record();
        let who = Change::now("Lee");
        let req = ReqRef::new("iso42001-2023", "4.1");
        r.set_verdict(&who, &req, Verdict::Conforming, None)
            .unwrap();
        let raise = Edit::AddFinding {
            grade: Grade::Minor,
            requirements: vec![req.clone()],
            statement: "s".into(),
            objective_evidence: None,
        };
        assert_eq!(raise.marked_clear(&r), [(req.clone(), Verdict::Conforming)]);
        assert!(raise.apply(&mut r.clone(), &who).is_err(), "refused alone");
        let both = raise.setting_nonconforming(&r);
        assert!(matches!(both, Edit::SetNonconformingThen { .. }));
        let Outcome::Finding(id) = both.apply(&mut r, &who).unwrap() else {
            panic!("expected a finding")
        };
        assert_eq!(r.verdict(&req), Verdict::Nonconforming);
        assert_eq!(r.open_ncs_citing(&req).next().map(|f| f.id), Some(id));
        // An observation regraded into an NC asks the same; a statement edit does not.
        let obs = Edit::AddFinding {
            grade: Grade::Observation,
            requirements: vec![ReqRef::new("iso42001-2023", "4.2")],
            statement: "o".into(),
            objective_evidence: None,
        };
        assert!(obs.marked_clear(&r).is_empty());
        let Outcome::Finding(obs_id) = obs.apply(&mut r, &who).unwrap() else {
            panic!("expected a finding")
        };
        let req2 = ReqRef::new("iso42001-2023", "4.2");
        r.set_verdict(&who, &req2, Verdict::NotApplicable, Some("why".into()))
            .unwrap();
        let regrade = |grade| Edit::EditFinding {
            id: obs_id,
            grade: Some(grade),
            statement: None,
            objective_evidence: None,
            also: None,
        };
        assert_eq!(
            regrade(Grade::Major).marked_clear(&r),
            [(req2, Verdict::NotApplicable)]
        );
        assert!(regrade(Grade::Ofi).marked_clear(&r).is_empty());
    }

    #[test]
    fn follow_up_steps_and_the_sample_apply_as_edits_and_refusals_change_nothing() {
        use crate::audit::lifecycle::{Outcome as Verified, State};
        let mut r = record();
        let who = Change::now("Lee");
        let raise = Edit::AddFinding {
            grade: Grade::Minor,
            requirements: vec![ReqRef::new("iso42001-2023", "8.2")],
            statement: "s".into(),
            objective_evidence: None,
        };
        let Outcome::Finding(id) = raise.apply(&mut r, &who).unwrap() else {
            panic!("expected a finding")
        };
        let accept = Edit::Review {
            id,
            accept: true,
            comment: "fine".into(),
        };
        let before = r.clone();
        let refused = accept.apply(&mut r, &who).unwrap_err();
        assert!(
            refused.to_string().contains("needs a response"),
            "{refused}"
        );
        assert_eq!(r, before);
        let respond = Edit::Respond {
            id,
            response: Response {
                correction: "c".into(),
                root_cause: "r".into(),
                corrective_action: "a".into(),
                owner: None,
                planned_date: "2027-01-01".parse().unwrap(),
            },
        };
        respond.apply(&mut r, &who).unwrap();
        accept.apply(&mut r, &who).unwrap();
        assert_eq!(r.lifecycle(id).state, State::PlanAccepted);
        Edit::Verify {
            id,
            outcome: Verified::NotEffective,
            objective_evidence: "seen".into(),
            evidence: vec![],
        }
        .apply(&mut r, &who)
        .unwrap();
        assert!(r.proposes_major(id));
        let again = Edit::RaiseAgain {
            earlier: id,
            grade: Grade::Major,
            requirements: vec![ReqRef::new("iso42001-2023", "8.2")],
            statement: "still".into(),
            objective_evidence: None,
        };
        let Outcome::Finding(major) = again.apply(&mut r, &who).unwrap() else {
            panic!("expected a finding")
        };
        assert_eq!(r.lifecycle(id).state, State::RaisedAgain(major));
        assert_eq!(
            again.describe(),
            format!("{id} raised again as major nonconformity")
        );

        let take = |sampled| Edit::SetSampled {
            req: ReqRef::new("iso42001-2023", "8.2"),
            sampled,
        };
        assert!(
            take(true).apply(&mut r, &who).is_err(),
            "a stage 2 covers all"
        );
        r.meta.audit_type = AuditType::Surveillance1;
        assert_eq!(
            take(true).apply(&mut r, &who).unwrap(),
            Outcome::Changed(true)
        );
        assert!(r.sample.contains(&ReqRef::new("iso42001-2023", "8.2")));
        let always = Edit::SetSampled {
            req: ReqRef::new("iso42001-2023", "9.2.1"),
            sampled: false,
        };
        assert!(always.apply(&mut r, &who).is_err());
    }
}
