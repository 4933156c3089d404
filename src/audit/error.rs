//! Why a change to a record was refused, in words that say what to do.

use super::conclusion::ConclusionError;
use super::model::*;
use super::report_facts::MAX_RESPONSE_DAYS;
use crate::checklist::{CatalogError, ChecklistError, ReqRef, ResolveError};

/// A change that was refused; the record is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("the {0} is empty; write something")]
    Empty(&'static str),
    #[error(
        "{0}: not applicable needs a justification (it goes into the Statement of Applicability); give --justification \"why\""
    )]
    JustificationRequired(ReqRef),
    #[error("no finding {id} in this audit{}", known_list(known))]
    UnknownFinding { id: String, known: Vec<String> },
    #[error(
        "the record was signed off by {by} at {at} and is locked; `fieldaudit reopen AUDIT.ron` unlocks it (the sign-off then no longer holds)"
    )]
    SignedOff { by: String, at: String },
    #[error(transparent)]
    Team(#[from] super::team::TeamError),
    #[error(
        "{0} days is not a deadline for answering a nonconformity: give 1 to {MAX_RESPONSE_DAYS} days"
    )]
    ResponseDays(u32),
    #[error(transparent)]
    Conclusion(#[from] ConclusionError),
    #[error(
        "{0} is not a nonconformity: only an NC has a date to answer by (--response-due goes with NC-…)"
    )]
    ResponseDueNotNc(FindingId),
    #[error(
        "report {0} has been issued from this record, and every revision keeps its number; it cannot be changed"
    )]
    ReportNoIssued(String),
    #[error("the record is not signed off; there is nothing to reopen")]
    NotSignedOff,
    #[error("the audit cannot end ({end}) before it starts ({start})")]
    EndBeforeStart {
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
    },
    #[error("finding {id} is not raised on {req} (it concerns {})", on.join(", "))]
    FindingNotOn {
        id: String,
        req: ReqRef,
        on: Vec<String>,
    },
    #[error(
        "no {0} number is left: this record has reached {0} {max}, the last there is, and ids are never reused; nothing was changed",
        max = u32::MAX
    )]
    OutOfIds(&'static str),
    #[error(
        "{req} cannot be {}: {}; regrade or remove the finding, or set it nonconforming",
        verdict.words(),
        super::open_ncs::raised_on_it(ncs)
    )]
    OpenNcCites {
        req: ReqRef,
        verdict: Verdict,
        ncs: Vec<(FindingId, Grade)>,
    },
    #[error(
        "a {} cannot stand on {} (a requirement an NC cites is nonconforming): set it nonconforming with the NC in one change (--set-nonconforming), or change its verdict first",
        grade.label(),
        super::open_ncs::marked_list(marked)
    )]
    NcOnClearVerdict {
        grade: Grade,
        marked: Vec<(ReqRef, Verdict)>,
    },
    #[error("no note {id} on {req}")]
    UnknownNote { req: ReqRef, id: u32 },
    #[error("{0} is not a requirement of this audit's checklists")]
    NotInCriteria(ReqRef),
    #[error(
        "this record is audited against '{0}', which this build of fieldaudit does not ship; use a fieldaudit that has it"
    )]
    MissingChecklist(String),
    #[error(
        "the record's own checklist '{id}' is not valid (was the record edited by hand?): {}",
        errors.join("; ")
    )]
    InvalidCustomChecklist { id: String, errors: Vec<String> },
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    #[error(transparent)]
    Checklist(#[from] ChecklistError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Step(#[from] super::lifecycle::StepError),
    #[error(
        "{id} is not yet due only while its planned date ({planned}) lies after this audit ({audit}); verify it --effective or --not-effective"
    )]
    AlreadyDue {
        id: FindingId,
        planned: chrono::NaiveDate,
        audit: chrono::NaiveDate,
    },
    #[error(
        "areas of concern are raised at stage 1 (this is a {} audit); raise a nonconformity or an observation instead",
        .0.label()
    )]
    AocNotAtStage1(AuditType),
    #[error(
        "a {} audit covers every requirement; only a surveillance audit samples (`fieldaudit meta AUDIT.ron --type surveillance1`)",
        .0.label()
    )]
    NotSampling(AuditType),
    #[error("a session must end after it starts ({} to {}); give --end after --start", start.format("%H:%M"), end.format("%H:%M"))]
    SessionTimes {
        start: chrono::NaiveTime,
        end: chrono::NaiveTime,
    },
    #[error("no session {number} in the plan ({}); `fieldaudit plan list AUDIT.ron` numbers them", if *count == 0 { "it has none".to_string() } else { format!("it has 1 to {count}") })]
    NoSession { number: usize, count: usize },
    #[error("{name:?} is not in the audit team ({}); add them with `fieldaudit meta AUDIT.ron --auditor NAME`", team.join(", "))]
    NotInTeam { name: String, team: Vec<String> },
    #[error("{0} is in every surveillance visit (its checklist marks it `surveillance: Always`)")]
    AlwaysInVisit(ReqRef),
    #[error(
        "a stage 1 audit raises areas of concern, not nonconformities (--grade area-of-concern); if the certification body allows NCs at stage 1, say so with `fieldaudit meta AUDIT.ron --stage1-ncs allowed`"
    )]
    NcAtStage1,
    #[error("no open conflict {path}{}", open_list(open))]
    UnknownConflict { path: String, open: Vec<String> },
    #[error("conflict {path} has values 1 to {count}; --take {given} is not one of them")]
    ConflictChoice {
        path: String,
        given: usize,
        count: usize,
    },
    #[error("conflict {path}: {why}")]
    ConflictValue { path: String, why: String },
}

fn open_list(open: &[String]) -> String {
    if open.is_empty() {
        " (the record has no open conflicts)".into()
    } else {
        format!(" (open: {})", open.join(", "))
    }
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        " (it has no findings)".into()
    } else {
        format!(" (its findings: {})", known.join(", "))
    }
}
