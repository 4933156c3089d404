//! Following a nonconformity (or a stage 1 area of concern) to closure.
//!
//! An NC moves: raised → response received (correction, root cause,
//! corrective action, owner, planned date) → plan accepted, or returned
//! with a comment → implemented → verified effective (closed), or not
//! effective (awaiting a response again). A stage 1 area of concern is
//! resolved (closed) or not resolved at stage 2. Either may be raised again
//! as a new finding (a minor NC not corrected by the next audit raised as
//! major), which closes it in favour of the new one.
//!
//! Each step is a [`Step`] in a trail entry; the state shown is replayed
//! from those steps ([`replay`]), never read from the trail's words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::{EvidenceLink, Family, FindingId, Timestamp, TrailEntry};
use crate::words::words;

/// One step of a finding's follow-up, as the trail records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub finding: FindingId,
    pub kind: StepKind,
}

/// What happened to the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum StepKind {
    /// The auditee's correction and corrective action plan.
    Response(Response),
    /// The auditor accepted the plan.
    PlanAccepted { comment: String },
    /// The auditor returned the plan for another response.
    PlanReturned { comment: String },
    /// The auditee says the action was carried out, with its evidence.
    Implemented {
        comment: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        evidence: Vec<EvidenceLink>,
    },
    /// The auditor's verdict on the action (an NC) or on the concern (an
    /// area of concern), with what was seen.
    Verified {
        outcome: Outcome,
        objective_evidence: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        evidence: Vec<EvidenceLink>,
    },
    /// Raised again as a new finding, which follows it from now on.
    RaisedAgain { as_finding: FindingId },
}

/// The auditee's answer to a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// What was done at once to put the nonconformity itself right.
    pub correction: String,
    pub root_cause: String,
    /// What will stop it happening again.
    pub corrective_action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub planned_date: NaiveDate,
}

/// The auditor's verification verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// NC: the action worked; the NC is closed.
    Effective,
    /// NC: it did not; the NC awaits a new response.
    NotEffective,
    /// NC: its planned date lies after this audit; looked at, carried again.
    NotYetDue,
    /// Area of concern: resolved; closed.
    Resolved,
    /// Area of concern: not resolved; it stays open (and may be raised as an NC).
    NotResolved,
}
words!(Outcome, "verification outcome", {
    Effective => "effective", NotEffective => "not-effective", NotYetDue => "not-yet-due",
    Resolved => "resolved", NotResolved => "not-resolved",
});

impl Outcome {
    /// How auditors say it.
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Effective => "verified effective",
            Outcome::NotEffective => "not effective",
            Outcome::NotYetDue => "not yet due",
            Outcome::Resolved => "resolved",
            Outcome::NotResolved => "not resolved",
        }
    }

    /// Whether the outcome is one for a finding of this family.
    pub fn fits(self, family: Family) -> bool {
        match self {
            Outcome::Effective | Outcome::NotEffective | Outcome::NotYetDue => family == Family::Nc,
            Outcome::Resolved | Outcome::NotResolved => family == Family::Aoc,
        }
    }
}

/// Where a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Raised; no response yet.
    Raised,
    /// A response is in; its plan awaits the auditor's review.
    ResponseReceived,
    /// The auditor returned the plan; a new response is awaited.
    PlanReturned,
    PlanAccepted,
    /// The auditee says the action was carried out.
    Implemented,
    /// Verified not effective; a new response is awaited.
    NotEffective,
    /// An area of concern found not resolved.
    NotResolved,
    /// Verified effective, or resolved: done.
    Closed,
    /// Raised again as another finding, which carries it on.
    RaisedAgain(FindingId),
}

impl State {
    pub fn is_open(self) -> bool {
        !matches!(self, State::Closed | State::RaisedAgain(_))
    }

    /// Whether a response is awaited from the auditee.
    pub fn awaits_response(self) -> bool {
        matches!(
            self,
            State::Raised | State::PlanReturned | State::NotEffective | State::NotResolved
        )
    }

    /// The word `--json` uses.
    pub fn key(self) -> &'static str {
        match self {
            State::Raised => "raised",
            State::ResponseReceived => "response_received",
            State::PlanReturned => "plan_returned",
            State::PlanAccepted => "plan_accepted",
            State::Implemented => "implemented",
            State::NotEffective => "not_effective",
            State::NotResolved => "not_resolved",
            State::Closed => "closed",
            State::RaisedAgain(_) => "raised_again",
        }
    }

    /// How auditors say it.
    pub fn words(self) -> String {
        match self {
            State::Raised => "awaiting response".into(),
            State::ResponseReceived => "plan to review".into(),
            State::PlanReturned => "plan returned; awaiting a new response".into(),
            State::PlanAccepted => "plan accepted".into(),
            State::Implemented => "implemented; to verify".into(),
            State::NotEffective => "not effective; awaiting a new response".into(),
            State::NotResolved => "not resolved".into(),
            State::Closed => "closed".into(),
            State::RaisedAgain(id) => format!("raised again as {id}"),
        }
    }
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("{id} is {}; nothing more can be recorded on it", state.words())]
    Done { id: FindingId, state: State },
    #[error("{id} is {}: {} {needs}", state.words(), step.action())]
    Order {
        id: FindingId,
        state: State,
        step: Action,
        needs: &'static str,
    },
    #[error("'{outcome}' is not a verdict for {id}: {}", fitting(*family))]
    Outcome {
        id: FindingId,
        outcome: Outcome,
        family: Family,
    },
    #[error(
        "{id} is {} and has no follow-up: only nonconformities and areas of concern are followed to closure",
        family_words(*family)
    )]
    NotFollowed { id: FindingId, family: Family },
}

fn fitting(family: Family) -> &'static str {
    match family {
        Family::Nc => "give --effective, --not-effective or --not-yet-due",
        Family::Aoc => "give --resolved or --not-resolved",
        _ => "only NCs and areas of concern are verified",
    }
}

fn family_words(family: Family) -> &'static str {
    match family {
        Family::Nc => "a nonconformity",
        Family::Obs => "an observation",
        Family::Ofi => "an opportunity for improvement",
        Family::Gp => "a good practice",
        Family::Aoc => "an area of concern",
    }
}

/// The kind of a step, without its fields: for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Respond,
    Accept,
    Return,
    Implement,
    Verify,
    RaiseAgain,
}

impl Action {
    fn action(self) -> &'static str {
        match self {
            Action::Respond => "a response",
            Action::Accept => "accepting the plan",
            Action::Return => "returning the plan",
            Action::Implement => "reporting it implemented",
            Action::Verify => "verifying it",
            Action::RaiseAgain => "raising it again",
        }
    }
}

impl StepKind {
    pub fn action(&self) -> Action {
        match self {
            StepKind::Response(_) => Action::Respond,
            StepKind::PlanAccepted { .. } => Action::Accept,
            StepKind::PlanReturned { .. } => Action::Return,
            StepKind::Implemented { .. } => Action::Implement,
            StepKind::Verified { .. } => Action::Verify,
            StepKind::RaisedAgain { .. } => Action::RaiseAgain,
        }
    }
}

/// The state a finding of `family` moves to from `state` by `kind`, or why
/// it cannot. The one table of the state machine.
pub fn next(
    id: FindingId,
    family: Family,
    state: State,
    kind: &StepKind,
) -> Result<State, StepError> {
    if !matches!(family, Family::Nc | Family::Aoc) {
        return Err(StepError::NotFollowed { id, family });
    }
    if !state.is_open() {
        return Err(StepError::Done { id, state });
    }
    let order = |needs: &'static str| StepError::Order {
        id,
        state,
        step: kind.action(),
        needs,
    };
    match kind {
        StepKind::Response(_) => {
            if state.awaits_response() || state == State::ResponseReceived {
                Ok(State::ResponseReceived)
            } else {
                Err(order(
                    "comes when a response is awaited (after a return or a not-effective verdict)",
                ))
            }
        }
        StepKind::PlanAccepted { .. } | StepKind::PlanReturned { .. } => {
            if state != State::ResponseReceived {
                return Err(order("needs a response to review"));
            }
            Ok(match kind {
                StepKind::PlanAccepted { .. } => State::PlanAccepted,
                _ => State::PlanReturned,
            })
        }
        StepKind::Implemented { .. } => match state {
            State::PlanAccepted => Ok(State::Implemented),
            _ => Err(order("needs an accepted plan")),
        },
        StepKind::Verified { outcome, .. } => {
            if !outcome.fits(family) {
                return Err(StepError::Outcome {
                    id,
                    outcome: *outcome,
                    family,
                });
            }
            match outcome {
                Outcome::Effective | Outcome::Resolved => Ok(State::Closed),
                Outcome::NotEffective => Ok(State::NotEffective),
                Outcome::NotResolved => Ok(State::NotResolved),
                Outcome::NotYetDue => match state {
                    State::PlanAccepted | State::Implemented => Ok(state),
                    _ => Err(order(
                        "not yet due needs an accepted plan whose planned date lies ahead",
                    )),
                },
            }
        }
        StepKind::RaisedAgain { as_finding } => Ok(State::RaisedAgain(*as_finding)),
    }
}

/// What a finding's steps add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    pub state: State,
    /// The latest response, if any.
    pub response: Option<Response>,
    /// The steps taken, oldest first: when, by whom, what.
    pub steps: Vec<(Timestamp, String, StepKind)>,
}

impl Lifecycle {
    pub fn raised() -> Lifecycle {
        Lifecycle {
            state: State::Raised,
            response: None,
            steps: Vec::new(),
        }
    }

    /// Take one step; a step the machine refuses changes nothing and is
    /// reported (a hand-edited trail may hold one).
    pub fn take(
        &mut self,
        id: FindingId,
        family: Family,
        at: Timestamp,
        by: &str,
        kind: &StepKind,
    ) -> Result<(), StepError> {
        self.state = next(id, family, self.state, kind)?;
        if let StepKind::Response(r) = kind {
            self.response = Some(r.clone());
        }
        self.steps.push((at, by.to_string(), kind.clone()));
        Ok(())
    }

    /// The planned date of the latest response.
    pub fn planned_date(&self) -> Option<NaiveDate> {
        self.response.as_ref().map(|r| r.planned_date)
    }
}

/// Replay the steps for finding `id` among `entries`, in order. Steps the
/// machine refuses are skipped: they changed nothing when they were
/// refused, and a hand edit cannot make them count.
pub fn replay<'a>(id: FindingId, entries: impl IntoIterator<Item = &'a TrailEntry>) -> Lifecycle {
    let mut life = Lifecycle::raised();
    for entry in entries {
        if let Some(step) = entry.step.as_ref().filter(|s| s.finding == id) {
            let _ = life.take(id, id.family, entry.at, &entry.by, &step.kind);
        }
    }
    life
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nc() -> FindingId {
        "NC-001".parse().unwrap()
    }

    fn at() -> Timestamp {
        "2027-03-01T10:00:00+00:00".parse().unwrap()
    }

    fn response() -> StepKind {
        StepKind::Response(Response {
            correction: "fixed".into(),
            root_cause: "no owner".into(),
            corrective_action: "owner named".into(),
            owner: None,
            planned_date: "2027-04-01".parse().unwrap(),
        })
    }

    fn verified(outcome: Outcome) -> StepKind {
        StepKind::Verified {
            outcome,
            objective_evidence: "seen".into(),
            evidence: Vec::new(),
        }
    }

    fn accept() -> StepKind {
        StepKind::PlanAccepted {
            comment: "ok".into(),
        }
    }

    #[test]
    fn an_nc_goes_from_raised_to_closed_the_usual_way() {
        let mut life = Lifecycle::raised();
        let implemented = StepKind::Implemented {
            comment: "done".into(),
            evidence: Vec::new(),
        };
        for (kind, state) in [
            (response(), State::ResponseReceived),
            (accept(), State::PlanAccepted),
            (implemented, State::Implemented),
            (verified(Outcome::Effective), State::Closed),
        ] {
            life.take(nc(), Family::Nc, at(), "Lee", &kind).unwrap();
            assert_eq!(life.state, state);
        }
        assert!(!life.state.is_open());
        assert_eq!(life.steps.len(), 4);
    }

    #[test]
    fn a_returned_plan_and_a_not_effective_verdict_await_a_new_response() {
        let mut life = Lifecycle::raised();
        life.take(nc(), Family::Nc, at(), "Lee", &response())
            .unwrap();
        let ret = StepKind::PlanReturned {
            comment: "root cause is a symptom".into(),
        };
        life.take(nc(), Family::Nc, at(), "Lee", &ret).unwrap();
        assert!(life.state.awaits_response());
        let err = life
            .take(nc(), Family::Nc, at(), "Lee", &accept())
            .unwrap_err();
        assert!(
            err.to_string().contains("needs a response to review"),
            "{err}"
        );
        life.take(nc(), Family::Nc, at(), "Lee", &response())
            .unwrap();
        life.take(nc(), Family::Nc, at(), "Lee", &accept()).unwrap();
        let not = verified(Outcome::NotEffective);
        life.take(nc(), Family::Nc, at(), "Lee", &not).unwrap();
        assert_eq!(life.state, State::NotEffective);
        assert!(life.state.is_open() && life.state.awaits_response());
    }

    #[test]
    fn not_yet_due_needs_an_accepted_plan_and_leaves_the_state() {
        let mut life = Lifecycle::raised();
        let due = verified(Outcome::NotYetDue);
        assert!(life.take(nc(), Family::Nc, at(), "Lee", &due).is_err());
        life.take(nc(), Family::Nc, at(), "Lee", &response())
            .unwrap();
        life.take(nc(), Family::Nc, at(), "Lee", &accept()).unwrap();
        life.take(nc(), Family::Nc, at(), "Lee", &due).unwrap();
        assert_eq!(life.state, State::PlanAccepted);
    }

    #[test]
    fn outcomes_fit_their_family_and_observations_have_no_follow_up() {
        let aoc: FindingId = "AOC-001".parse().unwrap();
        let err = next(
            aoc,
            Family::Aoc,
            State::Raised,
            &verified(Outcome::Effective),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("--resolved or --not-resolved"),
            "{err}"
        );
        assert_eq!(
            next(
                aoc,
                Family::Aoc,
                State::Raised,
                &verified(Outcome::Resolved)
            ),
            Ok(State::Closed)
        );
        let obs: FindingId = "OBS-001".parse().unwrap();
        let err = next(obs, Family::Obs, State::Raised, &response()).unwrap_err();
        assert!(err.to_string().contains("an observation"), "{err}");
    }

    fn any_kind() -> impl Strategy<Value = StepKind> {
        prop_oneof![
            Just(response()),
            Just(accept()),
            Just(StepKind::PlanReturned {
                comment: "no".into()
            }),
            Just(StepKind::Implemented {
                comment: "done".into(),
                evidence: Vec::new()
            }),
            prop::sample::select(Outcome::ALL.to_vec()).prop_map(verified),
            Just(StepKind::RaisedAgain {
                as_finding: "NC-009".parse().unwrap()
            }),
        ]
    }

    proptest! {
        /// Whatever is attempted: nothing leaves closed; every step taken
        /// is recorded once, in order; and replaying the recorded steps
        /// gives the state reached.
        #[test]
        fn the_state_shown_is_the_one_the_trail_replays_to(
            attempts in prop::collection::vec(any_kind(), 0..40),
            aoc in any::<bool>(),
        ) {
            let id: FindingId = if aoc { "AOC-002".parse().unwrap() } else { nc() };
            let mut life = Lifecycle::raised();
            let mut trail = Vec::new();
            for kind in &attempts {
                let before = life.state;
                match life.take(id, id.family, at(), "Lee", kind) {
                    Ok(()) => trail.push(TrailEntry {
                        at: at(),
                        by: "Lee".into(),
                        what: String::new(),
                        step: Some(Step { finding: id, kind: kind.clone() }),
                    }),
                    Err(_) => prop_assert_eq!(life.state, before),
                }
                if !before.is_open() {
                    prop_assert_eq!(life.state, before, "nothing leaves closed");
                }
            }
            prop_assert_eq!(life.steps.len(), trail.len());
            let replayed = replay(id, &trail);
            prop_assert_eq!(&replayed, &life);
            // Steps of another finding change nothing.
            let other = replay("NC-777".parse().unwrap(), &trail);
            prop_assert_eq!(other.state, State::Raised);
        }
    }
}
