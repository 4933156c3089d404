//! The audit team's conclusions and recommendation: the auditor's decision,
//! recorded with its reasoning. The options depend on the audit type (a
//! stage 1 audit decides readiness for stage 2, never certification);
//! fieldaudit proposes the one that follows from the findings and refuses
//! an unconditional positive recommendation while a major nonconformity is
//! open.

use serde::{Deserialize, Serialize};

use super::model::{AuditRecord, AuditType, Grade, Timestamp};
use crate::words::words;

/// What the audit team recommends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Recommendation {
    /// Stage 1: ready for stage 2.
    Ready,
    /// Stage 1: ready once the areas of concern are resolved.
    ReadyOnceResolved,
    /// Stage 1: not ready for stage 2.
    NotReady,
    /// Stage 2 or recertification: recommend certification.
    Recommend,
    /// Recommend once major NCs are closed and the plans for minor NCs accepted.
    RecommendOnceClosed,
    DoNotRecommend,
    /// Surveillance: continue certification.
    Continue,
    ContinueOnceClosed,
    /// Surveillance: recommend suspension.
    Suspend,
}
words!(Recommendation, "recommendation", {
    Ready => "ready", ReadyOnceResolved => "ready-once-resolved", NotReady => "not-ready",
    Recommend => "recommend", RecommendOnceClosed => "recommend-once-closed",
    DoNotRecommend => "do-not-recommend", Continue => "continue",
    ContinueOnceClosed => "continue-once-closed", Suspend => "suspend",
});

impl Recommendation {
    /// The options for an audit of this type, the positive one first.
    pub fn options(audit_type: AuditType) -> [Recommendation; 3] {
        use Recommendation::*;
        match audit_type {
            AuditType::Stage1 => [Ready, ReadyOnceResolved, NotReady],
            AuditType::Stage2 | AuditType::Recertification => {
                [Recommend, RecommendOnceClosed, DoNotRecommend]
            }
            AuditType::Surveillance | AuditType::Surveillance1 | AuditType::Surveillance2 => {
                [Continue, ContinueOnceClosed, Suspend]
            }
        }
    }

    /// Positive without a condition.
    pub fn is_unconditional(self) -> bool {
        matches!(
            self,
            Recommendation::Ready | Recommendation::Recommend | Recommendation::Continue
        )
    }

    /// The report's sentence for it, in our words.
    pub fn sentence(self) -> &'static str {
        match self {
            Recommendation::Ready => "The organisation is ready for the stage 2 audit.",
            Recommendation::ReadyOnceResolved => {
                "The organisation will be ready for the stage 2 audit once the areas of concern raised here are resolved."
            }
            Recommendation::NotReady => "The organisation is not yet ready for the stage 2 audit.",
            Recommendation::Recommend => "The audit team recommends certification.",
            Recommendation::RecommendOnceClosed => {
                "The audit team recommends certification once the major nonconformities are closed and the corrective action plans for the minor ones are accepted."
            }
            Recommendation::DoNotRecommend => "The audit team does not recommend certification.",
            Recommendation::Continue => "The audit team recommends that certification continue.",
            Recommendation::ContinueOnceClosed => {
                "The audit team recommends that certification continue once the major nonconformities are closed and the corrective action plans for the minor ones are accepted."
            }
            Recommendation::Suspend => "The audit team recommends that certification be suspended.",
        }
    }

    /// The option that follows from the findings: positive without any
    /// nonconformity, conditional with some, and for a stage 1 with a major
    /// area of concern, not ready.
    pub fn proposed(record: &AuditRecord) -> Recommendation {
        let [positive, conditional, negative] = Recommendation::options(record.meta.audit_type);
        let open = |g: Grade| !record.open_ncs_of(g).is_empty();
        let concerns = open(Grade::AreaOfConcern);
        match (
            record.meta.audit_type,
            open(Grade::Major),
            open(Grade::Minor) || concerns,
        ) {
            (AuditType::Stage1, true, _) => negative,
            (_, true, _) | (_, false, true) => conditional,
            (_, false, false) => positive,
        }
    }
}

/// The team's conclusions, as recorded by `conclude`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conclusion {
    pub recommendation: Recommendation,
    /// Why, in the auditor's words.
    pub reasoning: String,
    /// Whether the certification scope is appropriate.
    #[serde(default)]
    pub scope_appropriate: Option<bool>,
    /// How effective the management system is, internal audit and
    /// management review included.
    #[serde(default)]
    pub effectiveness: Option<String>,
    /// Whether the audit objectives were met.
    #[serde(default)]
    pub objectives_met: Option<bool>,
    pub at: Timestamp,
    pub by: String,
}

/// Why a recommendation is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConclusionError {
    #[error(
        "'{given}' is not a recommendation for a {} audit: choose {}",
        audit_type.label(),
        options(*audit_type)
    )]
    NotForType {
        given: Recommendation,
        audit_type: AuditType,
    },
    #[error(
        "'{given}' cannot be recommended while {} open: choose '{conditional}' (or close the finding first)",
        open_majors(majors)
    )]
    OpenMajor {
        given: Recommendation,
        conditional: Recommendation,
        majors: Vec<String>,
    },
}

fn options(audit_type: AuditType) -> String {
    let words: Vec<&str> = Recommendation::options(audit_type)
        .iter()
        .map(|r| r.as_str())
        .collect();
    words.join(", ")
}

fn open_majors(ids: &[String]) -> String {
    match ids {
        [one] => format!("major nonconformity {one} is"),
        many => format!("major nonconformities {} are", many.join(", ")),
    }
}

/// Check that `given` fits the record: an option of its audit type, and not
/// unconditionally positive while a major nonconformity is open.
pub fn check(record: &AuditRecord, given: Recommendation) -> Result<(), ConclusionError> {
    let audit_type = record.meta.audit_type;
    let options = Recommendation::options(audit_type);
    if !options.contains(&given) {
        return Err(ConclusionError::NotForType { given, audit_type });
    }
    let majors: Vec<String> = record
        .open_ncs_of(Grade::Major)
        .iter()
        .map(ToString::to_string)
        .collect();
    if given.is_unconditional() && !majors.is_empty() {
        return Err(ConclusionError::OpenMajor {
            given,
            conditional: options[1],
            majors,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Change, Criterion, Meta};

    fn record(audit_type: AuditType, grades: &[Grade]) -> AuditRecord {
        let who = Change::now("Lee");
        let mut r = AuditRecord::new(
            Meta::new("Acme", audit_type),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        let req = crate::checklist::ReqRef::new("iso42001-2023", "6.1.2");
        // Where the certification body allows NCs at stage 1.
        r.meta.report.stage1_ncs = true;
        for g in grades {
            r.add_finding(&who, *g, vec![req.clone()], "s".into(), None)
                .unwrap();
        }
        r
    }

    #[test]
    fn a_stage_1_never_recommends_certification() {
        let r = record(AuditType::Stage1, &[]);
        assert_eq!(Recommendation::proposed(&r), Recommendation::Ready);
        let err = check(&r, Recommendation::Recommend).unwrap_err();
        assert!(
            err.to_string()
                .contains("not a recommendation for a stage 1 audit: choose ready, ready-once-resolved, not-ready"),
            "{err}"
        );
        assert_eq!(
            Recommendation::proposed(&record(AuditType::Stage1, &[Grade::Major])),
            Recommendation::NotReady
        );
        assert_eq!(
            Recommendation::proposed(&record(AuditType::Stage1, &[Grade::AreaOfConcern])),
            Recommendation::ReadyOnceResolved
        );
    }

    #[test]
    fn an_open_major_refuses_an_unconditional_recommendation() {
        let r = record(AuditType::Stage2, &[Grade::Major, Grade::Observation]);
        assert_eq!(
            Recommendation::proposed(&r),
            Recommendation::RecommendOnceClosed
        );
        let err = check(&r, Recommendation::Recommend).unwrap_err();
        assert!(
            err.to_string()
                .contains("while major nonconformity NC-001 is open")
                && err.to_string().contains("recommend-once-closed"),
            "{err}"
        );
        assert!(check(&r, Recommendation::RecommendOnceClosed).is_ok());
        assert!(check(&r, Recommendation::DoNotRecommend).is_ok());
        let s = record(AuditType::Surveillance, &[Grade::Minor]);
        assert_eq!(
            Recommendation::proposed(&s),
            Recommendation::ContinueOnceClosed
        );
        assert!(
            check(&s, Recommendation::Continue).is_ok(),
            "a minor alone does not refuse it"
        );
        let clean = record(AuditType::Recertification, &[Grade::Ofi]);
        assert_eq!(Recommendation::proposed(&clean), Recommendation::Recommend);
    }
}
