//! The shape of a checklist: sections of requirements, as written in RON,
//! and the [`AuditType`]s a requirement is sampled in (the audit record's
//! metadata uses the same type).

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
    /// Twins in other standards, written `checklist-id:requirement-id`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maps_to: Vec<String>,
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

    pub fn find(&self, id: &str) -> Option<(&Section, &Requirement)> {
        self.requirements().find(|(_, r)| r.id == id)
    }
}

/// Stage 1, stage 2, surveillance or recertification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditType {
    Stage1,
    #[default]
    Stage2,
    Surveillance,
    Recertification,
}
words!(AuditType, "audit type", {
    Stage1 => "stage1", Stage2 => "stage2", Surveillance => "surveillance", Recertification => "recertification",
});

impl AuditType {
    /// How auditors say it.
    pub fn label(self) -> &'static str {
        match self {
            AuditType::Stage1 => "stage 1",
            AuditType::Stage2 => "stage 2",
            AuditType::Surveillance => "surveillance",
            AuditType::Recertification => "recertification",
        }
    }
}
