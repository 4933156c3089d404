//! Changing the audit's metadata and the report's statements (`meta`).

use super::model::*;
use super::ops::{AuditError, Change, clean, required, shown};
use super::report_facts::{Days, MAX_RESPONSE_DAYS, Statement, TimeFigure};
use super::team::format_line as team_line;

/// The fields `meta` may change; `None` leaves a field as it is (for the
/// dates, `Some(None)` clears one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaEdit {
    pub client: Option<String>,
    pub site: Option<String>,
    pub scope: Option<String>,
    pub audit_type: Option<AuditType>,
    pub start: Option<Option<chrono::NaiveDate>>,
    pub end: Option<Option<chrono::NaiveDate>>,
    /// The whole team as it is to be (tidied and checked as
    /// [`super::team::tidy`] does).
    pub team: Option<Vec<Member>>,
    pub auditee_reps: Option<Vec<String>>,
    pub certification_body: Option<String>,
    pub accreditation: Option<String>,
    /// The report's statements to set (`""` clears one).
    pub statements: Vec<(Statement, String)>,
    /// Audit time to set (`None` clears a figure).
    pub time: Vec<(TimeFigure, Option<Days>)>,
    /// Days to answer a major, then a minor, nonconformity (`Some(None)`
    /// goes back to the usual 30 or 90).
    pub response_days: [Option<Option<u32>>; 2],
    /// The date of the certification decision the cycle runs from
    /// (`Some(None)` clears it).
    pub certification_decision: Option<Option<chrono::NaiveDate>>,
    /// Whether the certification body allows NCs at stage 1.
    pub stage1_ncs: Option<bool>,
}

impl AuditRecord {
    /// Apply metadata changes; returns the names of the fields that changed.
    pub fn set_meta(
        &mut self,
        change: &Change,
        edit: MetaEdit,
    ) -> Result<Vec<&'static str>, AuditError> {
        self.ensure_open()?;
        if let Some(issued) = self.reports.last() {
            let renumbered = edit.statements.iter().any(|(which, value)| {
                *which == Statement::ReportNo && value.trim() != issued.report_no
            });
            if renumbered {
                return Err(AuditError::ReportNoIssued(issued.report_no.clone()));
            }
        }
        let mut changed = Vec::new();
        let mut log = Vec::new();
        let meta = &mut self.meta;
        if let Some(client) = edit.client {
            let client = required(client, "client name")?;
            if client != meta.client {
                log.push(format!("client: {:?} → {client:?}", meta.client));
                meta.client = client;
                changed.push("client");
            }
        }
        let mut text = |name: &'static str, field: &mut Option<String>, value: Option<String>| {
            if let Some(value) = value {
                let value = clean(Some(value));
                if value != *field {
                    log.push(format!("{name}: {} → {}", shown(field), shown(&value)));
                    *field = value;
                    changed.push(name);
                }
            }
        };
        text("site", &mut meta.site, edit.site);
        text("scope", &mut meta.scope, edit.scope);
        text(
            "certification_body",
            &mut meta.certification_body,
            edit.certification_body,
        );
        text("accreditation", &mut meta.accreditation, edit.accreditation);
        if let Some(t) = edit.audit_type.filter(|t| *t != meta.audit_type) {
            log.push(format!("audit_type: {} → {t}", meta.audit_type));
            meta.audit_type = t;
            changed.push("audit_type");
        }
        let mut date = |name: &'static str,
                        field: &mut Option<chrono::NaiveDate>,
                        value: Option<Option<chrono::NaiveDate>>| {
            if let Some(new) = value.filter(|v| v != field) {
                let shown =
                    |d: Option<chrono::NaiveDate>| d.map_or("(none)".into(), |d| d.to_string());
                log.push(format!("{name}: {} → {}", shown(*field), shown(new)));
                *field = new;
                changed.push(name);
            }
        };
        date("start", &mut meta.start, edit.start);
        date("end", &mut meta.end, edit.end);
        let mut list = |name: &'static str, field: &mut Vec<String>, value: Option<Vec<String>>| {
            if let Some(value) = value {
                let value: Vec<String> = value.into_iter().filter_map(|v| clean(Some(v))).collect();
                if value != *field {
                    log.push(format!("{name}: {field:?} → {value:?}"));
                    *field = value;
                    changed.push(name);
                }
            }
        };
        list("auditee_reps", &mut meta.auditee_reps, edit.auditee_reps);
        if let Some(team) = edit.team {
            let team = super::team::tidy(team)?;
            if team != meta.team {
                let lines = |t: &[Member]| -> Vec<String> { t.iter().map(team_line).collect() };
                log.push(format!(
                    "team: {:?} → {:?}",
                    lines(&meta.team),
                    lines(&team)
                ));
                meta.team = team;
                changed.push("team");
            }
        }
        let report = &mut meta.report;
        for (which, value) in edit.statements {
            let value = clean(Some(value));
            let slot = report.statement_slot(which);
            if value != *slot {
                log.push(format!(
                    "{}: {} → {}",
                    which.key(),
                    shown(slot),
                    shown(&value)
                ));
                *slot = value;
                changed.push(which.key());
            }
        }
        for (which, value) in edit.time {
            let slot = report.time_slot(which);
            if value != *slot {
                let days = |d: &Option<Days>| d.map_or("(none)".into(), |d| d.to_string());
                log.push(format!(
                    "{}: {} → {}",
                    which.key(),
                    days(slot),
                    days(&value)
                ));
                *slot = value;
                changed.push(which.key());
            }
        }
        let [major, minor] = edit.response_days;
        for (name, slot, value) in [
            (
                "response_days_major",
                &mut report.response_days_major,
                major,
            ),
            (
                "response_days_minor",
                &mut report.response_days_minor,
                minor,
            ),
        ] {
            if let Some(days) = value {
                if days.is_some_and(|d| d == 0 || d > MAX_RESPONSE_DAYS) {
                    return Err(AuditError::ResponseDays(days.unwrap_or_default()));
                }
                if days != *slot {
                    let shown = |d: &Option<u32>| d.map_or("(usual)".into(), |d| d.to_string());
                    log.push(format!("{name}: {} → {}", shown(slot), shown(&days)));
                    *slot = days;
                    changed.push(name);
                }
            }
        }
        if let Some(allowed) = edit.stage1_ncs.filter(|a| *a != report.stage1_ncs) {
            let words = |a: bool| if a { "allowed" } else { "not allowed" };
            log.push(format!(
                "stage1_ncs: {} → {}",
                words(report.stage1_ncs),
                words(allowed)
            ));
            report.stage1_ncs = allowed;
            changed.push("stage1_ncs");
        }
        if let (Some(start), Some(end)) = (meta.start, meta.end)
            && end < start
        {
            return Err(AuditError::EndBeforeStart { start, end });
        }
        if let Some(decision) = edit.certification_decision {
            let cycle = self.cycle.get_or_insert_with(Default::default);
            if decision != cycle.certification_decision {
                let shown =
                    |d: Option<chrono::NaiveDate>| d.map_or("(none)".into(), |d| d.to_string());
                log.push(format!(
                    "certification_decision: {} → {}",
                    shown(cycle.certification_decision),
                    shown(decision)
                ));
                cycle.certification_decision = decision;
                changed.push("certification_decision");
            }
        }
        for line in log {
            self.log(change, format!("meta {line}"));
        }
        Ok(changed)
    }
}
