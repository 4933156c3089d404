//! Recording the follow-up of a finding (the auditee's response, the
//! review of its plan, its implementation, the auditor's verification, or
//! raising it again), each as a structured step in the trail, and the
//! follow-up as the screens and reports list it: state, the date that
//! matters next, and whether it has passed.

use chrono::NaiveDate;

use super::lifecycle::{self, Outcome, Response, State, Step, StepKind};
use super::model::*;
use super::ops::{AuditError, Change, clean, required};
use crate::checklist::ReqRef;

/// One NC or area of concern as the follow-up lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp<'a> {
    pub finding: &'a Finding,
    /// The report that raised it, for a finding carried from an earlier audit.
    pub raised_in: Option<&'a str>,
    pub state: State,
    /// The date that matters next: the response deadline while a response
    /// is awaited, else the planned date of the accepted plan.
    pub due: Option<(DueKind, NaiveDate)>,
    /// Whether `due` has passed, with the state still open.
    pub overdue: bool,
    /// This audit's verification verdict, if given.
    pub verdict_here: Option<Outcome>,
}

/// Which date [`FollowUp::due`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueKind {
    /// The auditee's response is due.
    Response,
    /// The corrective action is planned to be done.
    Planned,
}

impl DueKind {
    pub fn words(self) -> &'static str {
        match self {
            DueKind::Response => "response due",
            DueKind::Planned => "planned",
        }
    }
}

impl AuditRecord {
    /// A finding of this record, raised here or carried, by id.
    pub fn any_finding(&self, id: &str) -> Result<&Finding, AuditError> {
        let unknown = || AuditError::UnknownFinding {
            id: id.trim().to_string(),
            known: self.all_findings().map(|f| f.id.to_string()).collect(),
        };
        let parsed: FindingId = id.parse().map_err(|_| unknown())?;
        self.all_findings()
            .find(|f| f.id == parsed)
            .ok_or_else(unknown)
    }

    /// The carried findings, then this audit's, each in id order.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.previous_findings
            .iter()
            .map(|c| &c.finding)
            .chain(&self.findings)
    }

    /// Every NC and area of concern, carried first, with where it stands on
    /// `today`.
    pub fn follow_ups(&self, today: NaiveDate) -> Vec<FollowUp<'_>> {
        let lives = self.lifecycles();
        let not_effective_here = self.found_not_effective_here();
        let mut verdicts: std::collections::HashMap<FindingId, Outcome> = Default::default();
        for entry in &self.trail {
            if let Some(Step {
                finding,
                kind: StepKind::Verified { outcome, .. },
            }) = &entry.step
            {
                verdicts.insert(*finding, *outcome);
            }
        }
        let carried = self
            .previous_findings
            .iter()
            .map(|c| (&c.finding, Some(c.raised_in.as_str())));
        let here = self.findings.iter().map(|f| (f, None));
        carried
            .chain(here)
            .filter(|(f, _)| matches!(f.id.family, Family::Nc | Family::Aoc))
            .map(|(finding, raised_in)| {
                let life = lives.get(&finding.id);
                let state = life.map_or(State::Raised, |l| l.state);
                let due = if !state.is_open() {
                    None
                } else if state.awaits_response() || state == State::ResponseReceived {
                    let due = if not_effective_here.contains(&finding.id) {
                        self.renewed_response_due(finding.grade)
                    } else {
                        match raised_in {
                            Some(_) => finding.response_due,
                            None => finding.response_due(&self.meta),
                        }
                    };
                    due.map(|d| (DueKind::Response, d))
                } else {
                    life.and_then(|l| l.planned_date())
                        .map(|d| (DueKind::Planned, d))
                };
                let overdue = match due {
                    // A response received is not late, whatever the date.
                    Some((DueKind::Response, d)) => state.awaits_response() && d < today,
                    Some((DueKind::Planned, d)) => d < today && state != State::Implemented,
                    None => false,
                };
                FollowUp {
                    finding,
                    raised_in,
                    state,
                    due,
                    overdue,
                    verdict_here: verdicts.get(&finding.id).copied(),
                }
            })
            .collect()
    }

    /// The NCs this audit found not effective: a new response is due for
    /// them from this audit's end ([`AuditRecord::renewed_response_due`]).
    pub(super) fn found_not_effective_here(&self) -> std::collections::HashSet<FindingId> {
        self.trail
            .iter()
            .filter_map(|e| match &e.step {
                Some(Step {
                    finding,
                    kind:
                        StepKind::Verified {
                            outcome: Outcome::NotEffective,
                            ..
                        },
                }) => Some(*finding),
                _ => None,
            })
            .collect()
    }

    /// The date a new response to an NC of `grade` found not effective in
    /// this audit is due: this audit's end plus the certification body's
    /// days, as for an NC raised here.
    pub fn renewed_response_due(&self, grade: Grade) -> Option<NaiveDate> {
        let days = self.meta.report.response_days(grade == Grade::Major);
        self.meta
            .end?
            .checked_add_days(chrono::Days::new(u64::from(days)))
    }

    /// Take one follow-up step on a finding (raised here or carried): the
    /// state machine decides whether it may; the trail records it.
    fn take_step(
        &mut self,
        change: &Change,
        id: &str,
        kind: StepKind,
        words: String,
    ) -> Result<State, AuditError> {
        self.ensure_open()?;
        let id = self.any_finding(id)?.id;
        let life = self.lifecycle(id);
        let state = lifecycle::next(id, id.family, life.state, &kind)?;
        if let (
            StepKind::Verified {
                outcome: Outcome::NotYetDue,
                ..
            },
            Some(planned),
        ) = (&kind, life.planned_date())
        {
            let audit = self.audit_date(change);
            if planned <= audit {
                return Err(AuditError::AlreadyDue { id, planned, audit });
            }
        }
        self.trail.push(TrailEntry {
            at: change.at,
            by: change.by.clone(),
            what: format!("{id}: {words}"),
            step: Some(Step { finding: id, kind }),
        });
        Ok(state)
    }

    /// The date this audit is judged on: its end, else its start, else the
    /// day of the change.
    pub fn audit_date(&self, change: &Change) -> NaiveDate {
        self.meta
            .end
            .or(self.meta.start)
            .unwrap_or(change.at.date_naive())
    }

    /// Record the auditee's correction and corrective action plan.
    pub fn respond(
        &mut self,
        change: &Change,
        id: &str,
        response: Response,
    ) -> Result<State, AuditError> {
        let response = Response {
            correction: required(response.correction, "correction")?,
            root_cause: required(response.root_cause, "root cause")?,
            corrective_action: required(response.corrective_action, "corrective action")?,
            owner: clean(response.owner),
            planned_date: response.planned_date,
        };
        let words = format!(
            "response received (correction {:?}; root cause {:?}; corrective action {:?}; owner {}; planned {})",
            response.correction,
            response.root_cause,
            response.corrective_action,
            response
                .owner
                .as_deref()
                .map_or("(none)".into(), |o| format!("{o:?}")),
            response.planned_date
        );
        self.take_step(change, id, StepKind::Response(response), words)
    }

    /// Accept the plan, or return it with a comment.
    pub fn review(
        &mut self,
        change: &Change,
        id: &str,
        accept: bool,
        comment: String,
    ) -> Result<State, AuditError> {
        let comment = required(comment, "comment")?;
        let (kind, words) = if accept {
            let words = format!("plan accepted ({comment:?})");
            (StepKind::PlanAccepted { comment }, words)
        } else {
            let words = format!("plan returned ({comment:?})");
            (StepKind::PlanReturned { comment }, words)
        };
        self.take_step(change, id, kind, words)
    }

    /// Record the auditee's word and evidence that the action was carried out.
    pub fn implemented(
        &mut self,
        change: &Change,
        id: &str,
        comment: String,
        evidence: Vec<EvidenceLink>,
    ) -> Result<State, AuditError> {
        let comment = required(comment, "comment")?;
        let words = format!("implemented ({comment:?}){}", evidence_words(&evidence));
        self.take_step(
            change,
            id,
            StepKind::Implemented { comment, evidence },
            words,
        )
    }

    /// The auditor's verification verdict, with the objective evidence.
    pub fn verify_finding(
        &mut self,
        change: &Change,
        id: &str,
        outcome: Outcome,
        objective_evidence: String,
        evidence: Vec<EvidenceLink>,
    ) -> Result<State, AuditError> {
        let objective_evidence = required(objective_evidence, "objective evidence")?;
        let words = format!(
            "{} (objective evidence {objective_evidence:?}){}",
            outcome.words(),
            evidence_words(&evidence)
        );
        self.take_step(
            change,
            id,
            StepKind::Verified {
                outcome,
                objective_evidence,
                evidence,
            },
            words,
        )
    }

    /// Raise an earlier finding again as a new one of `grade` (a minor NC
    /// not corrected raised as major; an area of concern not resolved raised
    /// as an NC): the new finding `follows` it, and it is closed in favour
    /// of the new one, in one change. Returns the new id.
    pub fn raise_again(
        &mut self,
        change: &Change,
        earlier: &str,
        grade: Grade,
        requirements: Vec<ReqRef>,
        statement: String,
        objective_evidence: Option<String>,
    ) -> Result<FindingId, AuditError> {
        self.ensure_open()?;
        let earlier = self.any_finding(earlier)?.id;
        let probe = StepKind::RaisedAgain {
            as_finding: earlier,
        };
        lifecycle::next(
            earlier,
            earlier.family,
            self.lifecycle(earlier).state,
            &probe,
        )?;
        let before = (
            self.findings.clone(),
            self.counters.clone(),
            self.trail.len(),
        );
        let result = self
            .add_finding(change, grade, requirements, statement, objective_evidence)
            .and_then(|id| {
                if let Some(f) = self.findings.iter_mut().find(|f| f.id == id) {
                    f.follows = Some(earlier);
                }
                self.take_step(
                    change,
                    &earlier.to_string(),
                    StepKind::RaisedAgain { as_finding: id },
                    format!("raised again as {id} ({})", grade.label()),
                )?;
                Ok(id)
            });
        if result.is_err() {
            self.findings = before.0;
            self.counters = before.1;
            self.trail.truncate(before.2);
        }
        result
    }

    /// What fieldaudit proposes after a not-effective verdict on a minor NC:
    /// raising it again as major (the auditor decides).
    pub fn proposes_major(&self, id: FindingId) -> bool {
        self.all_findings()
            .any(|f| f.id == id && f.grade == Grade::Minor)
            && self.lifecycle(id).state == State::NotEffective
    }
}

fn evidence_words(evidence: &[EvidenceLink]) -> String {
    if evidence.is_empty() {
        return String::new();
    }
    let files: Vec<String> = evidence
        .iter()
        .map(|l| format!("{} (SHA-256 {})", l.path, l.sha256))
        .collect();
    format!("; evidence {}", files.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::cycle::{CycleError, PreviousReport};
    use crate::audit::testing::record;

    fn req(id: &str) -> ReqRef {
        ReqRef::new("iso42001-2023", id)
    }

    fn response(planned: &str) -> Response {
        Response {
            correction: "owner named".into(),
            root_cause: "no one owned the register".into(),
            corrective_action: "register reviewed monthly".into(),
            owner: Some("Ops lead".into()),
            planned_date: planned.parse().unwrap(),
        }
    }

    /// A signed stage 2 with NC-001 (major), NC-002 and NC-003 (minor),
    /// OBS-001 and OFI-001; NC-003 verified effective during the audit.
    fn signed_stage2() -> (AuditRecord, Change) {
        let (mut r, who, _) = record();
        r.meta.end = Some("2027-01-20".parse().unwrap());
        for (grade, at) in [
            (Grade::Major, "6.1.2"),
            (Grade::Minor, "7.5.1"),
            (Grade::Minor, "8.2"),
            (Grade::Observation, "9.1"),
            (Grade::Ofi, "10.1"),
        ] {
            r.add_finding(&who, grade, vec![req(at)], "s".into(), None)
                .unwrap();
        }
        r.respond(&who, "NC-003", response("2027-01-19")).unwrap();
        r.review(&who, "NC-003", true, "fine".into()).unwrap();
        r.verify_finding(&who, "NC-003", Outcome::Effective, "seen".into(), vec![])
            .unwrap();
        r.sign_off = Some(SignOff {
            signer: "Lee".into(),
            at: who.at,
            key_id: "ABCD".into(),
            statement: "signed".into(),
            revision: Some(1),
        });
        (r, who)
    }

    fn report() -> PreviousReport {
        PreviousReport {
            report_no: "ACME-STAGE2-20270118".into(),
            revision: 1,
            audit_type: AuditType::Stage2,
            manifest_sha256: "ab".repeat(32),
            key_id: "ABCD".into(),
            signer: "Lee".into(),
            signed_at: now(),
        }
    }

    #[test]
    fn the_next_audit_carries_open_ncs_and_observations_and_numbers_on() {
        let (stage2, who) = signed_stage2();
        let mut next = stage2.next_in_cycle(report(), None, &who).unwrap();
        assert_eq!(next.meta.audit_type, AuditType::Surveillance1);
        let carried: Vec<String> = next
            .previous_findings
            .iter()
            .map(|c| c.finding.id.to_string())
            .collect();
        assert_eq!(carried, ["NC-001", "NC-002", "OBS-001"]);
        assert!(next.assessments.is_empty(), "verdicts start again");
        let nc1 = &next.previous_findings[0];
        assert_eq!(nc1.raised_in, "ACME-STAGE2-20270118");
        assert_eq!(
            nc1.finding.response_due.map(|d| d.to_string()).as_deref(),
            Some("2027-02-19"),
            "the deadline the stage 2 set is fixed"
        );
        assert!(nc1.history.iter().any(|e| e.what.contains("raised NC-001")));
        assert_eq!(next.previous_report().unwrap().revision, 1);
        assert_eq!(next.awaiting_verdict().len(), 2);
        let id = next
            .add_finding(&who, Grade::Minor, vec![req("4.1")], "s".into(), None)
            .unwrap();
        assert_eq!(
            id.to_string(),
            "NC-004",
            "numbering goes on across the cycle"
        );
        let mut unsigned = stage2.clone();
        unsigned.sign_off = None;
        assert_eq!(
            unsigned.next_in_cycle(report(), None, &who).unwrap_err(),
            CycleError::NotSignedOff
        );
    }

    #[test]
    fn a_carried_nc_is_followed_to_closure_and_each_step_is_in_the_trail() {
        let (stage2, who) = signed_stage2();
        let mut s = stage2.next_in_cycle(report(), None, &who).unwrap();
        s.meta.end = Some("2027-12-01".parse().unwrap());
        let before = s.trail.len();
        assert_eq!(
            s.respond(&who, "NC-001", response("2027-03-01")).unwrap(),
            State::ResponseReceived
        );
        s.review(&who, "NC-001", false, "root cause is a symptom".into())
            .unwrap();
        s.respond(&who, "NC-001", response("2027-03-01")).unwrap();
        s.review(&who, "NC-001", true, "ok".into()).unwrap();
        s.implemented(&who, "NC-001", "done".into(), vec![])
            .unwrap();
        s.verify_finding(
            &who,
            "NC-001",
            Outcome::Effective,
            "register seen".into(),
            vec![],
        )
        .unwrap();
        assert_eq!(s.trail.len(), before + 6);
        assert!(s.trail[before..].iter().all(|e| e.step.is_some()));
        assert_eq!(s.lifecycle("NC-001".parse().unwrap()).state, State::Closed);
        let err = s
            .verify_finding(&who, "NC-001", Outcome::NotEffective, "x".into(), vec![])
            .unwrap_err();
        assert!(err.to_string().contains("closed"), "{err}");
        assert_eq!(s.awaiting_verdict().len(), 1, "NC-002 still waits");
        assert!(s.open_ncs_of(Grade::Major).is_empty());
        assert_eq!(s.open_ncs_of(Grade::Minor).len(), 1);
    }

    #[test]
    fn not_yet_due_needs_a_planned_date_after_the_audit() {
        let (stage2, who) = signed_stage2();
        let mut s = stage2.next_in_cycle(report(), None, &who).unwrap();
        s.meta.end = Some("2027-12-01".parse().unwrap());
        s.respond(&who, "NC-002", response("2027-12-01")).unwrap();
        s.review(&who, "NC-002", true, "ok".into()).unwrap();
        let err = s
            .verify_finding(&who, "NC-002", Outcome::NotYetDue, "x".into(), vec![])
            .unwrap_err();
        assert!(err.to_string().contains("2027-12-01"), "{err}");
        s.respond(&who, "NC-001", response("2028-02-01")).unwrap();
        s.review(&who, "NC-001", true, "ok".into()).unwrap();
        s.verify_finding(
            &who,
            "NC-001",
            Outcome::NotYetDue,
            "plan on track".into(),
            vec![],
        )
        .unwrap();
        assert_eq!(s.awaiting_verdict(), ["NC-002".parse().unwrap()]);
    }

    #[test]
    fn a_minor_not_effective_is_proposed_as_major_and_raised_again_on_the_auditors_word() {
        let (stage2, who) = signed_stage2();
        let mut s = stage2.next_in_cycle(report(), None, &who).unwrap();
        s.verify_finding(
            &who,
            "NC-002",
            Outcome::NotEffective,
            "still no owner".into(),
            vec![],
        )
        .unwrap();
        let nc2: FindingId = "NC-002".parse().unwrap();
        assert!(s.proposes_major(nc2));
        let new = s
            .raise_again(
                &who,
                "NC-002",
                Grade::Major,
                vec![req("7.5.1")],
                "again".into(),
                None,
            )
            .unwrap();
        assert_eq!(new.to_string(), "NC-004");
        assert_eq!(s.finding("NC-004").unwrap().follows, Some(nc2));
        assert_eq!(s.lifecycle(nc2).state, State::RaisedAgain(new));
        assert!(s.awaiting_verdict().iter().all(|id| *id != nc2));
        let rows = s.follow_ups(now().date_naive());
        let row = rows.iter().find(|r| r.finding.id == nc2).unwrap();
        assert_eq!(row.raised_in, Some("ACME-STAGE2-20270118"));
        assert_eq!(row.verdict_here, Some(Outcome::NotEffective));
    }

    #[test]
    fn stage_1_raises_areas_of_concern_unless_the_body_allows_ncs() {
        let (mut r, who, _) = record();
        let err = r
            .add_finding(
                &who,
                Grade::AreaOfConcern,
                vec![req("4.1")],
                "s".into(),
                None,
            )
            .unwrap_err();
        assert!(err.to_string().contains("raised at stage 1"), "{err}");
        r.meta.audit_type = AuditType::Stage1;
        let err = r
            .add_finding(&who, Grade::Minor, vec![req("4.1")], "s".into(), None)
            .unwrap_err();
        assert!(err.to_string().contains("--stage1-ncs allowed"), "{err}");
        let id = r
            .add_finding(
                &who,
                Grade::AreaOfConcern,
                vec![req("4.1")],
                "s".into(),
                None,
            )
            .unwrap();
        assert_eq!(id.to_string(), "AOC-001");
        r.meta.report.stage1_ncs = true;
        r.add_finding(&who, Grade::Minor, vec![req("4.2")], "s".into(), None)
            .unwrap();
    }

    #[test]
    fn an_overdue_response_is_marked_and_a_received_one_is_not() {
        let (mut r, who, _) = record();
        r.meta.end = Some("2027-01-20".parse().unwrap());
        r.add_finding(&who, Grade::Major, vec![req("4.1")], "s".into(), None)
            .unwrap();
        let late: NaiveDate = "2027-03-01".parse().unwrap();
        let row = &r.follow_ups(late)[0];
        assert_eq!(
            row.due.map(|d| d.1.to_string()).as_deref(),
            Some("2027-02-19")
        );
        assert!(row.overdue);
        r.respond(&who, "NC-001", response("2027-06-01")).unwrap();
        assert!(!r.follow_ups(late)[0].overdue);
        r.review(&who, "NC-001", true, "ok".into()).unwrap();
        let row = &r.follow_ups(late)[0];
        assert_eq!(row.due.map(|d| d.0), Some(DueKind::Planned));
        assert!(r.follow_ups("2027-06-02".parse().unwrap())[0].overdue);
    }

    #[test]
    fn an_nc_found_not_effective_is_due_again_from_this_audits_end_and_carried_so() {
        let (stage2, who) = signed_stage2();
        let mut s = stage2.next_in_cycle(report(), None, &who).unwrap();
        s.meta.end = Some("2027-11-11".parse().unwrap());
        s.verify_finding(
            &who,
            "NC-002",
            Outcome::NotEffective,
            "no owner yet".into(),
            vec![],
        )
        .unwrap();
        let today: NaiveDate = "2027-11-12".parse().unwrap();
        let rows = s.follow_ups(today);
        let row = rows
            .iter()
            .find(|r| r.finding.id.to_string() == "NC-002")
            .unwrap();
        assert_eq!(
            row.due,
            Some((DueKind::Response, "2028-02-09".parse().unwrap())),
            "a minor: 90 days from this audit's end, not the stage 2's date"
        );
        assert!(!row.overdue);
        s.sign_off = stage2.sign_off.clone();
        let next = s.next_in_cycle(report(), None, &who).unwrap();
        let carried = next
            .previous_findings
            .iter()
            .find(|c| c.finding.id.to_string() == "NC-002")
            .unwrap();
        assert_eq!(
            carried.finding.response_due,
            Some("2028-02-09".parse().unwrap())
        );
    }

    /// One follow-up operation a test may attempt.
    #[derive(Debug, Clone)]
    enum Op {
        Respond(&'static str, bool),
        Review(&'static str, bool),
        Implemented(&'static str),
        Verify(&'static str, Outcome),
        RaiseAgain(&'static str),
    }

    fn any_op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let id = prop::sample::select(vec!["NC-001", "NC-002", "OBS-001", "NC-777"]);
        prop_oneof![
            (id.clone(), any::<bool>()).prop_map(|(i, late)| Op::Respond(i, late)),
            (id.clone(), any::<bool>()).prop_map(|(i, a)| Op::Review(i, a)),
            id.clone().prop_map(Op::Implemented),
            (id.clone(), prop::sample::select(Outcome::ALL.to_vec()))
                .prop_map(|(i, o)| Op::Verify(i, o)),
            id.prop_map(Op::RaiseAgain),
        ]
    }

    proptest::proptest! {
        /// Whatever the auditor attempts on a surveillance's carried
        /// findings: a refused step leaves the record exactly as it was;
        /// a step taken adds one structured trail entry for its finding
        /// (raising again also adds the new finding's line); nothing leaves
        /// closed; and the state shown is the one the trail replays to.
        #[test]
        fn every_step_taken_is_in_the_trail_and_replays_to_the_state_shown(
            ops in proptest::collection::vec(any_op(), 1..30)
        ) {
            let (stage2, who) = signed_stage2();
            let mut s = stage2.next_in_cycle(report(), None, &who).unwrap();
            s.meta.end = Some("2027-11-11".parse().unwrap());
            for op in ops {
                let before = s.clone();
                let id = match &op {
                    Op::Respond(i, _) | Op::Review(i, _) | Op::Implemented(i)
                    | Op::Verify(i, _) | Op::RaiseAgain(i) => *i,
                };
                let was = id.parse().ok().map(|id: FindingId| before.lifecycle(id).state);
                let result = match op {
                    Op::Respond(i, late) => s
                        .respond(&who, i, response(if late { "2028-06-01" } else { "2027-06-01" }))
                        .map(drop),
                    Op::Review(i, accept) => s.review(&who, i, accept, "c".into()).map(drop),
                    Op::Implemented(i) => s.implemented(&who, i, "done".into(), vec![]).map(drop),
                    Op::Verify(i, o) => s.verify_finding(&who, i, o, "seen".into(), vec![]).map(drop),
                    Op::RaiseAgain(i) => s
                        .raise_again(&who, i, Grade::Major, vec![req("7.5.1")], "again".into(), None)
                        .map(drop),
                };
                match result {
                    Err(_) => proptest::prop_assert_eq!(&s, &before, "a refusal changes nothing"),
                    Ok(()) => {
                        let added = &s.trail[before.trail.len()..];
                        let steps: Vec<_> = added.iter().filter_map(|e| e.step.as_ref()).collect();
                        proptest::prop_assert_eq!(steps.len(), 1);
                        proptest::prop_assert_eq!(steps[0].finding.to_string(), id);
                        proptest::prop_assert!(added.len() <= 2);
                        proptest::prop_assert!(
                            was.is_some_and(|w| w.is_open()),
                            "only an open finding takes a step"
                        );
                    }
                }
                let lives = s.lifecycles();
                for f in s.all_findings() {
                    let shown = lives.get(&f.id).map(|l| l.state);
                    let replayed = s.lifecycle(f.id).state;
                    if f.id.family == Family::Nc {
                        proptest::prop_assert_eq!(shown, Some(replayed));
                    }
                    let was = before.lifecycle(f.id).state;
                    if !was.is_open() {
                        proptest::prop_assert_eq!(replayed, was, "nothing leaves closed");
                    }
                }
            }
        }
    }
}
