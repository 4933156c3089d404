//! The certification cycle: stage 1, stage 2, a surveillance audit each
//! year, then recertification. A record knows the signed reports of the
//! cycle before it (a chain, by manifest SHA-256), the certification
//! decision and the dates that follow from it, and carries the findings of
//! the previous report that it must follow up.
//!
//! [`AuditRecord::next_in_cycle`] makes the next audit's record from the
//! previous report's record; checking that report (signature and manifest)
//! is the caller's job and must come first.

use std::collections::{HashMap, HashSet};

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::lifecycle::{self, Lifecycle};
use super::model::*;
use super::ops::Change;

/// Where an audit stands in its certification cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cycle {
    /// When the certification body decided to certify: the cycle's dates
    /// follow from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification_decision: Option<NaiveDate>,
    /// The signed reports before this audit, oldest first; the last is the
    /// one this record was started from.
    #[serde(default)]
    pub previous: Vec<PreviousReport>,
}

/// A signed report of an earlier audit, as checked when the next audit was
/// started from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousReport {
    pub report_no: String,
    pub revision: u32,
    pub audit_type: AuditType,
    /// SHA-256 of its `MANIFEST.sha256`, lower-case hex: what its signature
    /// covers, and through it every file of the report.
    pub manifest_sha256: String,
    /// The minisign key id it was signed with.
    pub key_id: String,
    pub signer: String,
    pub signed_at: Timestamp,
}

/// A finding of an earlier audit that this one follows up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedFinding {
    /// As it stood in the report it comes from (for an NC, with the date it
    /// had to be answered by fixed).
    pub finding: Finding,
    /// The number of the report that raised it.
    pub raised_in: String,
    /// The trail entries of earlier records that concern it, oldest first:
    /// its follow-up steps there, and what was said about it.
    #[serde(default)]
    pub history: Vec<TrailEntry>,
}

/// The dates that follow from a certification decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CycleDates {
    pub decision: NaiveDate,
    /// The first surveillance audit is due within 12 months of the decision.
    pub surveillance1_due: NaiveDate,
    pub surveillance2_due: NaiveDate,
    /// The certificate runs out three years after the decision: the
    /// recertification audit (and its decision) must come before.
    pub expires: NaiveDate,
}

impl CycleDates {
    pub fn from_decision(decision: NaiveDate) -> Option<CycleDates> {
        Some(CycleDates {
            decision,
            surveillance1_due: decision.checked_add_months(Months::new(12))?,
            surveillance2_due: decision.checked_add_months(Months::new(24))?,
            expires: decision.checked_add_months(Months::new(36))?,
        })
    }

    /// The date by which an audit of this type is due, if the cycle sets one.
    pub fn due_for(&self, audit_type: AuditType) -> Option<NaiveDate> {
        match audit_type {
            AuditType::Surveillance1 => Some(self.surveillance1_due),
            AuditType::Surveillance2 => Some(self.surveillance2_due),
            AuditType::Recertification => Some(self.expires),
            _ => None,
        }
    }
}

/// Why the next audit of a cycle cannot be started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CycleError {
    #[error(
        "the previous report is of a surveillance audit that does not say which (1 or 2); give --type surveillance2 or --type recertification"
    )]
    UnnumberedSurveillance,
    #[error(
        "the previous record is not signed off: only a signed final report starts the next audit"
    )]
    NotSignedOff,
}

impl AuditType {
    /// The audit that follows this one in the cycle: stage 1 → stage 2 →
    /// surveillance 1 → surveillance 2 → recertification → surveillance 1.
    pub fn next_in_cycle(self) -> Option<AuditType> {
        match self {
            AuditType::Stage1 => Some(AuditType::Stage2),
            AuditType::Stage2 | AuditType::Recertification => Some(AuditType::Surveillance1),
            AuditType::Surveillance1 => Some(AuditType::Surveillance2),
            AuditType::Surveillance2 => Some(AuditType::Recertification),
            AuditType::Surveillance => None,
        }
    }
}

impl AuditRecord {
    /// The dates of the cycle, once the certification decision is known.
    pub fn cycle_dates(&self) -> Option<CycleDates> {
        let decision = self.cycle.as_ref()?.certification_decision?;
        CycleDates::from_decision(decision)
    }

    /// The report this record was started from, if any.
    pub fn previous_report(&self) -> Option<&PreviousReport> {
        self.cycle.as_ref()?.previous.last()
    }

    /// The record of the next audit of the cycle, started from this one
    /// (the record of the signed report `report`): client, site, scope,
    /// criteria, team, certification body and its policy carried; verdicts
    /// not assessed; every NC not verified effective, every area of concern
    /// not resolved and every observation of this audit carried to be
    /// followed up, with its history; finding numbers go on from here.
    pub fn next_in_cycle(
        &self,
        report: PreviousReport,
        audit_type: Option<AuditType>,
        change: &Change,
    ) -> Result<AuditRecord, CycleError> {
        if self.sign_off.is_none() {
            return Err(CycleError::NotSignedOff);
        }
        let audit_type = match audit_type {
            Some(t) => t,
            None => self
                .meta
                .audit_type
                .next_in_cycle()
                .ok_or(CycleError::UnnumberedSurveillance)?,
        };
        let old = &self.meta;
        let mut meta = Meta::new(old.client.clone(), audit_type);
        meta.site = old.site.clone();
        meta.scope = old.scope.clone();
        meta.team = old.team.clone();
        meta.certification_body = old.certification_body.clone();
        meta.accreditation = old.accreditation.clone();
        meta.report.client_address = old.report.client_address.clone();
        meta.report.response_days_major = old.report.response_days_major;
        meta.report.response_days_minor = old.report.response_days_minor;
        meta.report.stage1_ncs = old.report.stage1_ncs;

        let mut cycle = self.cycle.clone().unwrap_or_default();
        // A recertification starts a new cycle, with a decision of its own.
        if self.meta.audit_type == AuditType::Recertification {
            cycle.certification_decision = None;
        }
        let from = report.report_no.clone();
        let what_report = format!(
            "report {} revision {} (manifest SHA-256 {})",
            report.report_no, report.revision, report.manifest_sha256
        );
        cycle.previous.push(report);

        let mut next = AuditRecord::new(meta, self.criteria.clone(), None, change);
        next.counters = self.counters.clone();
        // Every number used so far is in a signed report: frozen.
        next.frozen = self.counters.clone();
        next.cycle = Some(cycle);
        next.previous_findings = self.carried_on(&from);
        let carried: Vec<String> = next
            .previous_findings
            .iter()
            .map(|c| c.finding.id.to_string())
            .collect();
        let carried = if carried.is_empty() {
            "no findings to follow up".to_string()
        } else {
            format!("carried {} to follow up", carried.join(", "))
        };
        next.log(change, format!("started from {what_report}; {carried}"));
        Ok(next)
    }

    /// What the next audit follows up: the open NCs and areas of concern,
    /// carried here or raised here, and the observations raised here.
    fn carried_on(&self, report_no: &str) -> Vec<CarriedFinding> {
        let lives = self.lifecycles();
        let mentions = mentions(&self.trail);
        let history_here = |id: FindingId| -> Vec<TrailEntry> {
            mentions
                .get(&id)
                .map(|at| at.iter().map(|&i| self.trail[i].clone()).collect())
                .unwrap_or_default()
        };
        let open = |id: FindingId| lives.get(&id).is_none_or(|l| l.state.is_open());
        let not_effective_here = self.found_not_effective_here();
        let mut out = Vec::new();
        for c in &self.previous_findings {
            let followed = matches!(c.finding.id.family, Family::Nc | Family::Aoc);
            if followed && open(c.finding.id) {
                let mut carried = c.clone();
                carried.history.extend(history_here(c.finding.id));
                // Found not effective here: a new response was due from
                // this audit's end.
                if not_effective_here.contains(&c.finding.id)
                    && let Some(due) = self.renewed_response_due(c.finding.grade)
                {
                    carried.finding.response_due = Some(due);
                }
                out.push(carried);
            }
        }
        for f in &self.findings {
            let carry = match f.id.family {
                Family::Nc | Family::Aoc => open(f.id),
                Family::Obs => true,
                Family::Ofi | Family::Gp => false,
            };
            if carry {
                let mut finding = f.clone();
                finding.response_due = f.response_due(&self.meta);
                out.push(CarriedFinding {
                    finding,
                    raised_in: report_no.to_string(),
                    history: history_here(f.id),
                });
            }
        }
        out.sort_by_key(|c| c.finding.id);
        out
    }

    /// The follow-up of every finding, current and carried, replayed in one
    /// pass: a carried finding's history, then this record's trail.
    pub fn lifecycles(&self) -> HashMap<FindingId, Lifecycle> {
        let mut lives: HashMap<FindingId, Lifecycle> = HashMap::new();
        for c in &self.previous_findings {
            lives.insert(c.finding.id, lifecycle::replay(c.finding.id, &c.history));
        }
        for f in &self.findings {
            lives.entry(f.id).or_insert_with(Lifecycle::raised);
        }
        for entry in &self.trail {
            if let Some(step) = &entry.step {
                let life = lives.entry(step.finding).or_insert_with(Lifecycle::raised);
                let _ = life.take(
                    step.finding,
                    step.finding.family,
                    entry.at,
                    &entry.by,
                    &step.kind,
                );
            }
        }
        lives
    }

    /// One finding's follow-up (current or carried).
    pub fn lifecycle(&self, id: FindingId) -> Lifecycle {
        let carried = self
            .previous_findings
            .iter()
            .find(|c| c.finding.id == id)
            .map(|c| c.history.as_slice())
            .unwrap_or_default();
        lifecycle::replay(id, carried.iter().chain(&self.trail))
    }

    /// The findings closed so far (verified effective, resolved, or raised
    /// again as another).
    pub fn closed_findings(&self) -> HashSet<FindingId> {
        self.lifecycles()
            .into_iter()
            .filter(|(_, l)| !l.state.is_open())
            .map(|(id, _)| id)
            .collect()
    }

    /// The carried NCs and areas of concern that this audit has given no
    /// verification verdict yet (the sign-off gate).
    pub fn awaiting_verdict(&self) -> Vec<FindingId> {
        let mut verdict_here: HashSet<FindingId> = HashSet::new();
        for entry in &self.trail {
            if let Some(step) = &entry.step
                && matches!(
                    step.kind,
                    lifecycle::StepKind::Verified { .. } | lifecycle::StepKind::RaisedAgain { .. }
                )
            {
                verdict_here.insert(step.finding);
            }
        }
        self.previous_findings
            .iter()
            .map(|c| c.finding.id)
            .filter(|id| matches!(id.family, Family::Nc | Family::Aoc))
            .filter(|id| !verdict_here.contains(id))
            .collect()
    }
}

/// For each finding id the trail names, the indexes of the entries that
/// name it (in words or as a step), in one pass.
fn mentions(trail: &[TrailEntry]) -> HashMap<FindingId, Vec<usize>> {
    let mut out: HashMap<FindingId, Vec<usize>> = HashMap::new();
    for (i, entry) in trail.iter().enumerate() {
        let mut named: Vec<FindingId> = ids_in(&entry.what);
        if let Some(step) = &entry.step {
            named.push(step.finding);
        }
        named.sort();
        named.dedup();
        for id in named {
            out.entry(id).or_default().push(i);
        }
    }
    out
}

/// The finding ids written in a text (`NC-003`, `AOC-001`, …).
fn ids_in(text: &str) -> Vec<FindingId> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.len() >= 4 && w.contains('-'))
        .filter_map(|w| w.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_runs_stage1_to_recertification_and_round_again() {
        let mut t = AuditType::Stage1;
        let mut seen = vec![t];
        for _ in 0..5 {
            t = t.next_in_cycle().unwrap();
            seen.push(t);
        }
        use AuditType::*;
        assert_eq!(
            seen,
            [
                Stage1,
                Stage2,
                Surveillance1,
                Surveillance2,
                Recertification,
                Surveillance1
            ]
        );
        assert_eq!(Surveillance.next_in_cycle(), None);
    }

    #[test]
    fn the_dates_follow_the_decision() {
        let d = CycleDates::from_decision("2027-02-28".parse().unwrap()).unwrap();
        assert_eq!(d.surveillance1_due.to_string(), "2028-02-28");
        assert_eq!(d.surveillance2_due.to_string(), "2029-02-28");
        assert_eq!(d.expires.to_string(), "2030-02-28");
        let leap = CycleDates::from_decision("2028-02-29".parse().unwrap()).unwrap();
        assert_eq!(leap.surveillance1_due.to_string(), "2029-02-28");
    }

    #[test]
    fn ids_are_read_from_words_only_whole() {
        let ids: Vec<String> = ids_in("raised NC-003 (minor); edited OBS-001: x; XNC-004 nc-5")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(ids, ["NC-003", "OBS-001", "NC-005"]);
    }
}
