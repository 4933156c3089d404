//! The shape of a checklist: sections of requirements, as written in RON,
//! the [`AuditType`]s a requirement is sampled in (the audit record's
//! metadata uses the same type) and whether a surveillance visit must cover
//! it ([`SurveillanceRule`]).

use serde::{Deserialize, Serialize};

use crate::words::words;

/// One standard (or an auditor's own checklist) to audit against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Short stable identifier, e.g. `iso42001-2023`: lowercase letters, digits and `-`.
    pub id: String,
    /// Human title, e.g. "ISO/IEC 42001:2023 …".
    pub title: String,
    /// Clauses and control groups in the order an auditor walks them.
    pub sections: Vec<Section>,
}

/// A clause (e.g. "6 Planning") or an Annex A control objective (e.g. "A.6.2").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// Whether the requirements here are management-system clauses or Annex A controls.
    #[serde(default, skip_serializing_if = "Kind::is_clause")]
    pub kind: Kind,
    /// What the control group is for (our own words); shown in the Statement of Applicability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    pub requirements: Vec<Requirement>,
}

/// One clause or control to assess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Clause or control number, e.g. "6.1.2" or "A.6.2.4"; unique within the checklist.
    pub id: String,
    pub title: String,
    /// Questions the auditor asks (our own words, never the standard's text).
    #[serde(default)]
    pub questions: Vec<String>,
    /// What objective evidence to ask for.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Audit types this requirement is sampled in; empty means every type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<AuditType>,
    /// Whether every surveillance visit covers it. The default, no field,
    /// means the auditor chooses whether to sample it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surveillance: Option<SurveillanceRule>,
    /// Twins in other standards, written `checklist-id:requirement-id`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maps_to: Vec<String>,
}

/// How a requirement enters a surveillance audit's sample. A requirement
/// without a rule is sampled at the auditor's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SurveillanceRule {
    /// In every surveillance visit (internal audit, management review,
    /// nonconformity and corrective action).
    Always,
}
words!(SurveillanceRule, "surveillance rule", { Always => "always" });

impl Requirement {
    /// Whether every surveillance visit must cover this requirement.
    pub fn always_in_surveillance(&self) -> bool {
        self.surveillance == Some(SurveillanceRule::Always)
    }
}

/// Management-system clause (4–10, Harmonized Structure) or Annex A control.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    #[default]
    Clause,
    Control,
}

impl Kind {
    pub fn is_clause(&self) -> bool {
        *self == Kind::Clause
    }

    /// The lowercase word used in JSON output and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Clause => "clause",
            Kind::Control => "control",
        }
    }
}

impl Checklist {
    /// Every requirement with the section it belongs to, in checklist order.
    pub fn requirements(&self) -> impl Iterator<Item = (&Section, &Requirement)> {
        self.sections
            .iter()
            .flat_map(|s| s.requirements.iter().map(move |r| (s, r)))
    }

    pub fn requirement_count(&self) -> usize {
        self.sections.iter().map(|s| s.requirements.len()).sum()
    }

    /// Number of requirements of the given kind.
    pub fn count_kind(&self, kind: Kind) -> usize {
        self.sections
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.requirements.len())
            .sum()
    }

    /// The requirements every surveillance visit covers, in checklist order.
    pub fn always_in_surveillance(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements()
            .map(|(_, r)| r)
            .filter(|r| r.always_in_surveillance())
    }

    pub fn find(&self, id: &str) -> Option<(&Section, &Requirement)> {
        self.requirements().find(|(_, r)| r.id == id)
    }
}

/// Stage 1, stage 2, a surveillance or recertification. The three-year
/// cycle numbers its surveillance audits; `Surveillance` alone is one that
/// does not say which (records made before the cycle, or outside it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditType {
    Stage1,
    #[default]
    Stage2,
    Surveillance1,
    Surveillance2,
    Recertification,
    Surveillance,
}
words!(AuditType, "audit type", {
    Stage1 => "stage1", Stage2 => "stage2", Surveillance1 => "surveillance1",
    Surveillance2 => "surveillance2", Recertification => "recertification",
    Surveillance => "surveillance",
});

impl AuditType {
    /// How auditors say it.
    pub fn label(self) -> &'static str {
        match self {
            AuditType::Stage1 => "stage 1",
            AuditType::Stage2 => "stage 2",
            AuditType::Surveillance1 => "surveillance 1",
            AuditType::Surveillance2 => "surveillance 2",
            AuditType::Surveillance => "surveillance",
            AuditType::Recertification => "recertification",
        }
    }

    /// A surveillance audit, numbered or not.
    pub fn is_surveillance(self) -> bool {
        matches!(
            self,
            AuditType::Surveillance | AuditType::Surveillance1 | AuditType::Surveillance2
        )
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ronfile;

    const BARE: &str = "Requirement(id: \"9.2\", title: \"Internal audit\")";

    #[test]
    fn no_rule_means_sampled_and_is_not_written() {
        let r: Requirement = ronfile::parse(BARE, Path::new("t.ron")).unwrap();
        assert_eq!(r.surveillance, None);
        assert!(!r.always_in_surveillance());
        let text = ronfile::to_string(&r).unwrap();
        assert!(!text.contains("surveillance"), "{text}");
    }

    #[test]
    fn always_is_read_and_written_back() {
        let marked = BARE.replace(")", ", surveillance: Always)");
        let r: Requirement = ronfile::parse(&marked, Path::new("t.ron")).unwrap();
        assert!(r.always_in_surveillance());
        let text = ronfile::to_string(&r).unwrap();
        assert!(text.contains("    surveillance: Always,\n"), "{text}");
        assert_eq!(
            ronfile::parse::<Requirement>(&text, Path::new("t")).unwrap(),
            r
        );
    }

    #[test]
    fn an_unknown_rule_is_refused_where_it_is_with_the_allowed_one() {
        let bad = BARE.replace(")", ",\n  surveillance: Sometimes)");
        let err = ronfile::parse::<Requirement>(&bad, Path::new("t.ron")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 17), "{err}");
        assert!(err.message.contains("`Sometimes`"), "{err}");
        assert!(err.message.contains("`Always`"), "{err}");
    }
}
