//! What an audit report must state beyond the verdicts and findings, as the
//! record holds it: the report's number, the audit objectives, the client's
//! address, the audit time, changes since the last audit, deviations from
//! the plan, unresolved issues, the sampling, and the certification body's
//! deadlines for answering nonconformities.
//!
//! Each statement is either written or still missing; "none" is a statement
//! (there were no deviations, say), and the final-pack gate asks for every
//! one of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::model::AuditType;

/// A number of auditor-days, to the hundredth (`2.5`), written as a decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Days {
    hundredths: u32,
}

/// At most this many auditor-days in one figure.
const MAX_DAYS: u32 = 10_000;

impl Days {
    pub fn hundredths(self) -> u32 {
        self.hundredths
    }
}

impl FromStr for Days {
    type Err = String;

    fn from_str(text: &str) -> Result<Days, String> {
        let bad = || {
            format!(
                "'{text}' is not a number of auditor-days: write it like 2 or 2.5 (0 to {MAX_DAYS})"
            )
        };
        let text = text.trim();
        let (whole, part) = match text.split_once('.') {
            Some((whole, part)) => (whole, Some(part)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || part.is_some_and(|p| !digits(p) || p.len() > 2) {
            return Err(bad());
        }
        let whole: u32 = whole.parse().map_err(|_| bad())?;
        if whole > MAX_DAYS {
            return Err(bad());
        }
        let part: u32 = format!("{:0<2}", part.unwrap_or(""))
            .parse()
            .map_err(|_| bad())?;
        Ok(Days {
            hundredths: whole * 100 + part,
        })
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, part) = (self.hundredths / 100, self.hundredths % 100);
        match part {
            0 => write!(f, "{whole}"),
            p if p % 10 == 0 => write!(f, "{whole}.{}", p / 10),
            p => write!(f, "{whole}.{p:02}"),
        }
    }
}

impl Serialize for Days {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Days, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A statement of the report given as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statement {
    ReportNo,
    Objectives,
    ClientAddress,
    TimeReason,
    Changes,
    Deviations,
    Unresolved,
    Sampling,
}

impl Statement {
    pub const ALL: [Statement; 8] = [
        Statement::ReportNo,
        Statement::Objectives,
        Statement::ClientAddress,
        Statement::TimeReason,
        Statement::Changes,
        Statement::Deviations,
        Statement::Unresolved,
        Statement::Sampling,
    ];

    /// The record's (and `--json`'s) name for it.
    pub fn key(self) -> &'static str {
        match self {
            Statement::ReportNo => "report_no",
            Statement::Objectives => "objectives",
            Statement::ClientAddress => "client_address",
            Statement::TimeReason => "time_reason",
            Statement::Changes => "changes",
            Statement::Deviations => "deviations",
            Statement::Unresolved => "unresolved",
            Statement::Sampling => "sampling",
        }
    }

    /// How an auditor names it (in the gate's list and the details form).
    pub fn label(self) -> &'static str {
        match self {
            Statement::ReportNo => "report number",
            Statement::Objectives => "audit objectives",
            Statement::ClientAddress => "client's address",
            Statement::TimeReason => "why the audit time differs from the plan",
            Statement::Changes => "changes since the last audit",
            Statement::Deviations => "deviations from the audit plan",
            Statement::Unresolved => "unresolved issues and diverging opinions",
            Statement::Sampling => "what was sampled",
        }
    }
}

/// A figure of audit time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFigure {
    Planned,
    OnSite,
    Remote,
}

impl TimeFigure {
    pub const ALL: [TimeFigure; 3] = [TimeFigure::Planned, TimeFigure::OnSite, TimeFigure::Remote];

    pub fn key(self) -> &'static str {
        match self {
            TimeFigure::Planned => "planned_days",
            TimeFigure::OnSite => "onsite_days",
            TimeFigure::Remote => "remote_days",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TimeFigure::Planned => "planned auditor-days",
            TimeFigure::OnSite => "on-site auditor-days",
            TimeFigure::Remote => "remote auditor-days",
        }
    }
}

/// The report's statements as the record holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFacts {
    /// Fixed at the first pack unless given (`CLIENT-TYPE-STARTDATE`).
    #[serde(default)]
    pub report_no: Option<String>,
    /// Empty: the default objectives of the audit type.
    #[serde(default)]
    pub objectives: Option<String>,
    #[serde(default)]
    pub client_address: Option<String>,
    #[serde(default)]
    pub planned_days: Option<Days>,
    #[serde(default)]
    pub onsite_days: Option<Days>,
    #[serde(default)]
    pub remote_days: Option<Days>,
    /// Why the time spent differs from the plan ("none" when it does not).
    #[serde(default)]
    pub time_reason: Option<String>,
    #[serde(default)]
    pub changes: Option<String>,
    #[serde(default)]
    pub deviations: Option<String>,
    #[serde(default)]
    pub unresolved: Option<String>,
    #[serde(default)]
    pub sampling: Option<String>,
    /// Days after the audit's end by which the auditee answers a major
    /// (minor) nonconformity; 30 (90) unless the certification body says.
    #[serde(default)]
    pub response_days_major: Option<u32>,
    #[serde(default)]
    pub response_days_minor: Option<u32>,
    /// The certification body allows nonconformities at stage 1 (else a
    /// stage 1 audit raises areas of concern only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stage1_ncs: bool,
}

/// The certification body's usual deadlines, in days after the audit.
pub const RESPONSE_DAYS_MAJOR: u32 = 30;
pub const RESPONSE_DAYS_MINOR: u32 = 90;
/// The longest deadline fieldaudit accepts.
pub const MAX_RESPONSE_DAYS: u32 = 365;

impl ReportFacts {
    pub fn statement(&self, which: Statement) -> Option<&String> {
        self.statement_slot_ref(which).as_ref()
    }

    fn statement_slot_ref(&self, which: Statement) -> &Option<String> {
        match which {
            Statement::ReportNo => &self.report_no,
            Statement::Objectives => &self.objectives,
            Statement::ClientAddress => &self.client_address,
            Statement::TimeReason => &self.time_reason,
            Statement::Changes => &self.changes,
            Statement::Deviations => &self.deviations,
            Statement::Unresolved => &self.unresolved,
            Statement::Sampling => &self.sampling,
        }
    }

    pub(super) fn statement_slot(&mut self, which: Statement) -> &mut Option<String> {
        match which {
            Statement::ReportNo => &mut self.report_no,
            Statement::Objectives => &mut self.objectives,
            Statement::ClientAddress => &mut self.client_address,
            Statement::TimeReason => &mut self.time_reason,
            Statement::Changes => &mut self.changes,
            Statement::Deviations => &mut self.deviations,
            Statement::Unresolved => &mut self.unresolved,
            Statement::Sampling => &mut self.sampling,
        }
    }

    pub fn time(&self, which: TimeFigure) -> Option<Days> {
        match which {
            TimeFigure::Planned => self.planned_days,
            TimeFigure::OnSite => self.onsite_days,
            TimeFigure::Remote => self.remote_days,
        }
    }

    pub(super) fn time_slot(&mut self, which: TimeFigure) -> &mut Option<Days> {
        match which {
            TimeFigure::Planned => &mut self.planned_days,
            TimeFigure::OnSite => &mut self.onsite_days,
            TimeFigure::Remote => &mut self.remote_days,
        }
    }

    /// The objectives the report states: as written, or the audit type's.
    pub fn objectives_or_default(&self, audit_type: AuditType) -> String {
        self.objectives
            .clone()
            .unwrap_or_else(|| default_objectives(audit_type).to_string())
    }

    /// Days to answer a major (or minor) nonconformity.
    pub fn response_days(&self, major: bool) -> u32 {
        if major {
            self.response_days_major.unwrap_or(RESPONSE_DAYS_MAJOR)
        } else {
            self.response_days_minor.unwrap_or(RESPONSE_DAYS_MINOR)
        }
    }

    /// Whether the time spent differs from the time planned.
    pub fn time_differs(&self) -> bool {
        let spent = |d: Option<Days>| d.map_or(0, Days::hundredths);
        match self.planned_days {
            Some(planned) => {
                spent(self.onsite_days) + spent(self.remote_days) != planned.hundredths()
            }
            None => false,
        }
    }

    /// What a final report still lacks of these statements, in the order
    /// the report gives them. The report number is made at the first pack
    /// and the objectives default to the audit type's, so neither is asked
    /// for; the reason for a change of audit time only when it changed.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.client_address.is_none() {
            missing.push(Statement::ClientAddress.label());
        }
        for figure in TimeFigure::ALL {
            if self.time(figure).is_none() {
                missing.push(figure.label());
            }
        }
        if self.time_differs() && self.time_reason.is_none() {
            missing.push(Statement::TimeReason.label());
        }
        for which in [
            Statement::Changes,
            Statement::Deviations,
            Statement::Unresolved,
            Statement::Sampling,
        ] {
            if self.statement(which).is_none() {
                missing.push(which.label());
            }
        }
        missing
    }
}

/// What an audit of this type sets out to do, in our words (the report's
/// default objectives).
pub fn default_objectives(audit_type: AuditType) -> &'static str {
    match audit_type {
        AuditType::Stage1 => {
            "To review the documented AI management system, the client's site and context, its understanding of the standard's requirements and its readiness, and to plan the stage 2 audit."
        }
        AuditType::Stage2 => {
            "To evaluate whether the AI management system is implemented and effective, and conforms to the audit criteria across the scope, so that a certification decision can be made."
        }
        AuditType::Surveillance | AuditType::Surveillance1 | AuditType::Surveillance2 => {
            "To confirm that the certified AI management system continues to conform and to be effective, including the handling of earlier findings, internal audit and management review."
        }
        AuditType::Recertification => {
            "To confirm the continued conformity and effectiveness of the AI management system as a whole over the certification cycle, so that certification can be renewed."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_and_write_as_decimals() {
        for (text, shown) in [
            ("2", "2"),
            ("2.5", "2.5"),
            ("0.25", "0.25"),
            (" 10.50 ", "10.5"),
        ] {
            assert_eq!(text.parse::<Days>().unwrap().to_string(), shown);
        }
        for bad in [
            "",
            "-1",
            "1.234",
            "two",
            "1e3",
            "1.",
            ".5",
            "10001",
            "1,5",
            "99999999999",
        ] {
            let err = bad.parse::<Days>().unwrap_err();
            assert!(err.contains("auditor-days"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_gate_asks_for_every_statement_and_a_reason_only_when_time_changed() {
        let mut facts = ReportFacts::default();
        assert_eq!(facts.missing().len(), 8);
        facts.client_address = Some("1 High St, Leeds".into());
        facts.planned_days = Some("3".parse().unwrap());
        facts.onsite_days = Some("2".parse().unwrap());
        facts.remote_days = Some("1".parse().unwrap());
        for which in [
            Statement::Changes,
            Statement::Deviations,
            Statement::Unresolved,
            Statement::Sampling,
        ] {
            *facts.statement_slot(which) = Some("none".into());
        }
        assert!(facts.missing().is_empty(), "{:?}", facts.missing());
        facts.remote_days = Some("0.5".parse().unwrap());
        assert_eq!(facts.missing(), [Statement::TimeReason.label()]);
        assert_eq!(facts.response_days(true), 30);
        assert_eq!(facts.response_days(false), 90);
    }
}
