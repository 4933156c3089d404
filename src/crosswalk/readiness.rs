//! An audit record read through a crosswalk: per article, the verdicts of
//! its mapped requirements, the findings that cite them, and a rolled-up
//! status. This says how the audit's results bear on each article; it never
//! says that an article is met.

use std::collections::HashMap;

use serde::Serialize;

use super::{Crosswalk, CrosswalkError, Strength};
use crate::audit::{AuditRecord, Criterion, FindingId, Grade, Verdict};
use crate::checklist::{Catalog, ReqRef};

/// One article: its mapped requirements as the audit found them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleStatus {
    pub number: String,
    pub title: String,
    /// The crosswalk's note on the article, if any.
    pub note: Option<String>,
    pub mapped: Vec<MappedStatus>,
    pub rollup: Rollup,
}

/// One mapped requirement: how far it goes toward the article, and what the
/// audit found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappedStatus {
    pub requirement: ReqRef,
    /// The requirement's title, from the audit's checklist.
    pub title: Option<String>,
    #[serde(serialize_with = "strength_word")]
    pub strength: Strength,
    /// The crosswalk's note on the mapping.
    pub note: String,
    #[serde(serialize_with = "verdict_word")]
    pub verdict: Verdict,
    /// Findings of the audit that cite the requirement, by id.
    pub findings: Vec<Cited>,
}

/// A finding that cites a mapped requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cited {
    pub id: FindingId,
    #[serde(serialize_with = "grade_word")]
    pub grade: Grade,
}

/// What the mapped requirements of one article add up to, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rollup {
    /// A mapped requirement is nonconforming or cited by a nonconformity.
    Nonconformity,
    /// No mapped requirement has a verdict yet.
    NotAssessed,
    /// Some mapped requirements have no verdict yet; none is nonconforming.
    PartlyAssessed,
    /// Every mapped requirement is conforming or not applicable, and at
    /// least one was excluded as not applicable.
    ConformingWithExclusions,
    /// Every mapped requirement is conforming.
    Conforming,
    /// The article maps to no requirement.
    NothingMapped,
}

impl Rollup {
    /// How it reads in a table.
    pub fn label(self) -> &'static str {
        match self {
            Rollup::Nonconformity => "nonconformity",
            Rollup::NotAssessed => "not assessed",
            Rollup::PartlyAssessed => "partly assessed",
            Rollup::ConformingWithExclusions => "conforming, with exclusions",
            Rollup::Conforming => "conforming",
            Rollup::NothingMapped => "nothing mapped",
        }
    }
}

fn strength_word<S: serde::Serializer>(s: &Strength, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(s.as_str())
}

fn verdict_word<S: serde::Serializer>(v: &Verdict, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(v.as_str())
}

fn grade_word<S: serde::Serializer>(g: &Grade, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(g.as_str())
}

impl ArticleStatus {
    /// How many mapped requirements have `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.mapped.iter().filter(|m| m.verdict == verdict).count()
    }

    /// The nonconformities citing a mapped requirement, each once, by id.
    /// A record holds no closing of an NC, so every one is open.
    pub fn nonconformities(&self) -> Vec<Cited> {
        let mut ncs: Vec<Cited> = self
            .mapped
            .iter()
            .flat_map(|m| m.findings.iter().copied())
            .filter(|c| c.grade.is_nonconformity())
            .collect();
        ncs.sort_by_key(|c| c.id);
        ncs.dedup_by_key(|c| c.id);
        ncs
    }

    /// One line: "3 of 5 mapped requirements conforming; 1 not assessed;
    /// NC-001 (minor) open".
    pub fn summary(&self) -> String {
        if self.mapped.is_empty() {
            return "no requirement mapped".into();
        }
        let mut parts = vec![format!(
            "{} of {} mapped requirements conforming",
            self.count(Verdict::Conforming),
            self.mapped.len()
        )];
        for (verdict, word) in [
            (Verdict::Nonconforming, "nonconforming"),
            (Verdict::NotApplicable, "not applicable"),
            (Verdict::NotAssessed, "not assessed"),
        ] {
            let n = self.count(verdict);
            if n > 0 {
                parts.push(format!("{n} {word}"));
            }
        }
        let ncs: Vec<String> = self
            .nonconformities()
            .iter()
            .map(|c| format!("{} ({})", c.id, c.grade))
            .collect();
        if !ncs.is_empty() {
            parts.push(format!("{} open", ncs.join(", ")));
        }
        parts.join("; ")
    }
}

fn rollup(mapped: &[MappedStatus]) -> Rollup {
    let count = |v| mapped.iter().filter(|m| m.verdict == v).count();
    let cited_by_nc = mapped
        .iter()
        .any(|m| m.findings.iter().any(|c| c.grade.is_nonconformity()));
    if mapped.is_empty() {
        Rollup::NothingMapped
    } else if cited_by_nc || count(Verdict::Nonconforming) > 0 {
        Rollup::Nonconformity
    } else if count(Verdict::NotAssessed) == mapped.len() {
        Rollup::NotAssessed
    } else if count(Verdict::NotAssessed) > 0 {
        Rollup::PartlyAssessed
    } else if count(Verdict::NotApplicable) > 0 {
        Rollup::ConformingWithExclusions
    } else {
        Rollup::Conforming
    }
}

/// Refuse a crosswalk whose checklist is not among the audit's criteria:
/// the audit then says nothing about its requirements.
pub fn check_criteria(crosswalk: &Crosswalk, record: &AuditRecord) -> Result<(), CrosswalkError> {
    if record
        .criteria
        .iter()
        .any(|c| c.id() == crosswalk.checklist)
    {
        return Ok(());
    }
    Err(CrosswalkError::NotInCriteria {
        crosswalk: crosswalk.id.clone(),
        checklist: crosswalk.checklist.clone(),
        criteria: record
            .criteria
            .iter()
            .map(Criterion::id)
            .map(str::to_string)
            .collect(),
    })
}

/// Per article of `crosswalk`, in its order: the verdicts the audit in
/// `record` (whose checklists are `catalog`) gave its mapped requirements
/// and the findings citing them. Call [`check_criteria`] first: against an
/// audit without the crosswalk's checklist every requirement reads as not
/// assessed.
pub fn readiness(
    crosswalk: &Crosswalk,
    record: &AuditRecord,
    catalog: &Catalog,
) -> Vec<ArticleStatus> {
    let mut citing: HashMap<&ReqRef, Vec<Cited>> = HashMap::new();
    for finding in &record.findings {
        for req in &finding.requirements {
            citing.entry(req).or_default().push(Cited {
                id: finding.id,
                grade: finding.grade,
            });
        }
    }
    crosswalk
        .articles
        .iter()
        .map(|article| {
            let mapped: Vec<MappedStatus> = article
                .maps
                .iter()
                .map(|map| {
                    let requirement = ReqRef::new(&crosswalk.checklist, &map.requirement);
                    let mut findings = citing.get(&requirement).cloned().unwrap_or_default();
                    findings.sort_by_key(|c| c.id);
                    findings.dedup_by_key(|c| c.id);
                    MappedStatus {
                        title: catalog.get(&requirement).map(|(_, r)| r.title.clone()),
                        verdict: record.verdict(&requirement),
                        strength: map.strength,
                        note: map.note.clone(),
                        findings,
                        requirement,
                    }
                })
                .collect();
            ArticleStatus {
                number: article.number.clone(),
                title: article.title.clone(),
                note: article.note.clone(),
                rollup: rollup(&mapped),
                mapped,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditType, Change, Meta};
    use crate::crosswalk::registry;

    fn record(criteria: &[&str]) -> AuditRecord {
        let criteria = criteria
            .iter()
            .map(|id| Criterion::Builtin(id.to_string()))
            .collect();
        AuditRecord::new(
            Meta::new("Acme AI Ltd", AuditType::Stage2),
            criteria,
            None,
            &Change::now("Lee"),
        )
    }

    fn req(id: &str) -> ReqRef {
        ReqRef::new("iso42001-2023", id)
    }

    #[test]
    fn each_article_rolls_up_its_mapped_verdicts_and_citing_findings() {
        let crosswalk = registry::get("eu-ai-act-2024-1689").unwrap().unwrap();
        let who = Change::now("Lee");
        let mut record = record(&["iso42001-2023"]);
        let catalog = record.catalog().unwrap();
        // Article 12: A.6.2.8, A.6.2.6, 7.5.3, 9.1 — all conforming.
        for id in ["A.6.2.8", "A.6.2.6", "7.5.3", "9.1"] {
            record
                .set_verdict(&who, &req(id), Verdict::Conforming, None)
                .unwrap();
        }
        // Article 9: one requirement cited by a minor NC, one by an OFI.
        record
            .set_verdict(&who, &req("6.1.2"), Verdict::Conforming, None)
            .unwrap();
        let nc = record
            .add_finding(
                &who,
                Grade::Minor,
                vec![req("8.2")],
                "No re-run".into(),
                None,
            )
            .unwrap();
        record
            .add_finding(&who, Grade::Ofi, vec![req("6.1.2")], "Could".into(), None)
            .unwrap();
        // Article 4: 7.2 excluded as not applicable, the rest conforming.
        record
            .set_verdict(
                &who,
                &req("7.2"),
                Verdict::NotApplicable,
                Some("why".into()),
            )
            .unwrap();
        for id in ["7.3", "A.4.6", "A.3.2"] {
            record
                .set_verdict(&who, &req(id), Verdict::Conforming, None)
                .unwrap();
        }

        let statuses = readiness(crosswalk, &record, &catalog);
        assert_eq!(statuses.len(), crosswalk.articles.len());
        let article = |n: &str| statuses.iter().find(|a| a.number == n).unwrap();

        let nine = article("9");
        assert_eq!(nine.rollup, Rollup::Nonconformity);
        assert_eq!(nine.nonconformities().len(), 1);
        assert_eq!(nine.nonconformities()[0].id, nc);
        assert_eq!(
            nine.summary(),
            "1 of 7 mapped requirements conforming; 6 not assessed; NC-001 (minor) open"
        );
        let risk = &nine.mapped[0];
        assert_eq!(risk.requirement, req("6.1.2"));
        assert_eq!(risk.title.as_deref(), Some("AI risk assessment"));
        assert_eq!(risk.findings.len(), 1, "the OFI cites 6.1.2");
        assert_eq!(risk.findings[0].id.to_string(), "OFI-001");

        assert_eq!(article("12").rollup, Rollup::Conforming);
        assert_eq!(article("4").rollup, Rollup::ConformingWithExclusions);
        assert_eq!(
            article("4").summary(),
            "3 of 4 mapped requirements conforming; 1 not applicable"
        );
        assert_eq!(article("27").rollup, Rollup::NotAssessed);
        assert_eq!(article("11").rollup, Rollup::PartlyAssessed, "7.5.3 only");

        let json = serde_json::to_value(nine).unwrap();
        assert_eq!(json["rollup"], "nonconformity");
        assert_eq!(json["mapped"][0]["requirement"], "iso42001-2023:6.1.2");
        assert_eq!(json["mapped"][0]["strength"], "supports");
        assert_eq!(json["mapped"][0]["verdict"], "conforming");
        assert_eq!(json["mapped"][0]["findings"][0]["grade"], "ofi");
    }

    #[test]
    fn a_crosswalk_onto_a_checklist_the_audit_does_not_use_is_refused() {
        let crosswalk = registry::get("eu-ai-act-2024-1689").unwrap().unwrap();
        let err = check_criteria(crosswalk, &record(&["iso27001-2022"]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "maps onto iso42001-2023, which is not among this audit's criteria (iso27001-2022)"
            ),
            "{err}"
        );
        assert!(check_criteria(crosswalk, &record(&["iso27001-2022", "iso42001-2023"])).is_ok());
    }
}
