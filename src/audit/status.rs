//! Coverage and findings at a glance: what the lead auditor checks before
//! the closing meeting.

use serde::Serialize;

use super::{AuditRecord, Grade, Verdict};
use crate::checklist::{Catalog, ReqRef};

/// Verdict counts over a set of requirements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub total: usize,
    pub assessed: usize,
    pub conforming: usize,
    pub nonconforming: usize,
    pub not_applicable: usize,
}

impl Coverage {
    fn count(&mut self, verdict: Verdict) {
        self.total += 1;
        match verdict {
            Verdict::NotAssessed => return,
            Verdict::Conforming => self.conforming += 1,
            Verdict::Nonconforming => self.nonconforming += 1,
            Verdict::NotApplicable => self.not_applicable += 1,
        }
        self.assessed += 1;
    }

    /// How the assessed ones went: `3 conforming, 1 nonconforming, 0 not
    /// applicable`.
    pub fn verdicts(&self) -> String {
        format!(
            "{} conforming, {} nonconforming, {} not applicable",
            self.conforming, self.nonconforming, self.not_applicable
        )
    }

    /// Share assessed, in whole percent (rounded down, so 100 means all).
    pub fn percent(&self) -> usize {
        (self.assessed * 100).checked_div(self.total).unwrap_or(100)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionStatus {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    #[serde(flatten)]
    pub coverage: Coverage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistStatus {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub coverage: Coverage,
    pub sections: Vec<SectionStatus>,
}

/// Findings per grade.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingCounts {
    pub major: usize,
    pub minor: usize,
    pub observation: usize,
    pub ofi: usize,
    pub good_practice: usize,
}

impl FindingCounts {
    pub fn get(&self, grade: Grade) -> usize {
        match grade {
            Grade::Major => self.major,
            Grade::Minor => self.minor,
            Grade::Observation => self.observation,
            Grade::Ofi => self.ofi,
            Grade::GoodPractice => self.good_practice,
        }
    }
}

/// The whole picture, as `status --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub client: String,
    pub audit_type: &'static str,
    pub requirements_total: usize,
    pub requirements_assessed: usize,
    pub findings: FindingCounts,
    pub notes_total: usize,
    pub checklists: Vec<ChecklistStatus>,
    /// Requirements still to assess, in checklist order.
    pub unassessed: Vec<ReqRef>,
    /// The sign-off of the final report; the record is locked while set.
    pub sign_off: Option<crate::audit::SignOff>,
}

impl Status {
    pub fn of(record: &AuditRecord, catalog: &Catalog) -> Status {
        let mut unassessed = Vec::new();
        let checklists: Vec<ChecklistStatus> = catalog
            .checklists()
            .iter()
            .map(|checklist| {
                let mut coverage = Coverage::default();
                let sections = checklist
                    .sections
                    .iter()
                    .map(|section| {
                        let mut sc = Coverage::default();
                        for req in &section.requirements {
                            let r = ReqRef::new(&checklist.id, &req.id);
                            let verdict = record.verdict(&r);
                            sc.count(verdict);
                            coverage.count(verdict);
                            if verdict == Verdict::NotAssessed {
                                unassessed.push(r);
                            }
                        }
                        SectionStatus {
                            id: section.id.clone(),
                            title: section.title.clone(),
                            kind: section.kind.as_str(),
                            coverage: sc,
                        }
                    })
                    .collect();
                ChecklistStatus {
                    id: checklist.id.clone(),
                    title: checklist.title.clone(),
                    coverage,
                    sections,
                }
            })
            .collect();
        let mut findings = FindingCounts::default();
        for f in &record.findings {
            *match f.grade {
                Grade::Major => &mut findings.major,
                Grade::Minor => &mut findings.minor,
                Grade::Observation => &mut findings.observation,
                Grade::Ofi => &mut findings.ofi,
                Grade::GoodPractice => &mut findings.good_practice,
            } += 1;
        }
        Status {
            client: record.meta.client.clone(),
            audit_type: record.meta.audit_type.as_str(),
            requirements_total: checklists.iter().map(|c| c.coverage.total).sum(),
            requirements_assessed: checklists.iter().map(|c| c.coverage.assessed).sum(),
            findings,
            notes_total: record.notes_total(),
            checklists,
            unassessed,
            sign_off: record.sign_off.clone(),
        }
    }
}
