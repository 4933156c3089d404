//! Coverage and findings at a glance: what the lead auditor checks before
//! the closing meeting.

use std::collections::BTreeSet;

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
    /// Stage 1 areas of concern.
    pub area_of_concern: usize,
}

impl FindingCounts {
    pub fn get(&self, grade: Grade) -> usize {
        match grade {
            Grade::Major => self.major,
            Grade::Minor => self.minor,
            Grade::Observation => self.observation,
            Grade::Ofi => self.ofi,
            Grade::GoodPractice => self.good_practice,
            Grade::AreaOfConcern => self.area_of_concern,
        }
    }
}

/// The requirements whose verdict rests on nothing the record shows:
/// assessed conforming or nonconforming, with no interview note, no
/// justification, no evidence file cited for them and no finding raised on
/// them; in checklist order. (Not applicable rests on its justification,
/// which the gate already asks for.)
pub fn unsupported_verdicts(record: &AuditRecord, catalog: &Catalog) -> Vec<ReqRef> {
    let cited: BTreeSet<&ReqRef> = record
        .findings
        .iter()
        .flat_map(|f| &f.requirements)
        .collect();
    catalog
        .requirements()
        .map(|(r, _, _)| r)
        .filter(|r| {
            record.assessment(r).is_some_and(|a| {
                matches!(a.verdict, Verdict::Conforming | Verdict::Nonconforming)
                    && a.notes.is_empty()
                    && a.evidence.is_empty()
                    && a.justification.is_none()
            }) && !cited.contains(r)
        })
        .collect()
}

/// What the gate warns of [`unsupported_verdicts`]: how many, and the
/// first few; `None` when every verdict rests on something.
pub fn unsupported_warning(unsupported: &[ReqRef]) -> Option<String> {
    const NAMED: usize = 5;
    let (first, rest) = unsupported.split_at(unsupported.len().min(NAMED));
    let mut named: Vec<String> = first.iter().map(ToString::to_string).collect();
    if !rest.is_empty() {
        named.push(format!("and {} more", rest.len()));
    }
    (!first.is_empty()).then(|| {
        format!(
            "{} verdict(s) rest on no note, no cited evidence and no finding ({}); a note or a linked file says what each rests on",
            unsupported.len(),
            named.join(", ")
        )
    })
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
                Grade::AreaOfConcern => &mut findings.area_of_concern,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditType, Change, Criterion, LinkTarget, Meta};

    #[test]
    fn a_verdict_with_no_note_evidence_justification_or_finding_is_unsupported() {
        let who = Change::now("Lee");
        let mut r = AuditRecord::new(
            Meta::new("Acme", AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        let catalog = r.catalog().unwrap();
        let req = |id: &str| ReqRef::new("iso42001-2023", id);
        for id in ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2"] {
            r.set_verdict(&who, &req(id), Verdict::Conforming, None)
                .unwrap();
        }
        r.set_verdict(&who, &req("5.3"), Verdict::Nonconforming, None)
            .unwrap();
        r.set_verdict(
            &who,
            &req("6.1.1"),
            Verdict::NotApplicable,
            Some("n/a".into()),
        )
        .unwrap();
        r.add_note(&who, &req("4.1"), "heard".into(), None).unwrap();
        let link = LinkTarget::Requirement(req("4.2"));
        r.link_evidence(&who, &link, "p.md".into(), "00".repeat(32), 1)
            .unwrap();
        r.set_verdict(&who, &req("4.3"), Verdict::Conforming, Some("seen".into()))
            .unwrap();
        r.add_finding(
            &who,
            Grade::Ofi,
            vec![req("10.1"), req("4.4")],
            "s".into(),
            None,
        )
        .unwrap();
        let unsupported = unsupported_verdicts(&r, &catalog);
        assert_eq!(unsupported, [req("5.1"), req("5.2"), req("5.3")]);
        let warning = unsupported_warning(&unsupported).unwrap();
        assert!(
            warning.starts_with("3 verdict(s) rest on no note, no cited evidence and no finding (iso42001-2023:5.1, iso42001-2023:5.2, iso42001-2023:5.3)"),
            "{warning}"
        );
        assert_eq!(unsupported_warning(&[]), None);
        let many: Vec<ReqRef> = (1..=7).map(|i| req(&format!("A.{i}"))).collect();
        let warning = unsupported_warning(&many).unwrap();
        assert!(
            warning.contains("iso42001-2023:A.5, and 2 more)"),
            "{warning}"
        );
    }
}
