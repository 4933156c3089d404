//! The audit plan: the sessions of the audit days (when, where, who audits,
//! who from the auditee, what topic, which requirements) and who audits
//! which requirement. A team splits the plan; the report sets the plan
//! against what happened.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::identity::Uid;
use crate::checklist::ReqRef;

/// The plan as the record holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The sessions, in (day, start) order.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// Requirements assigned to one auditor directly, besides the auditors
    /// of the sessions that cover them.
    #[serde(default)]
    pub assigned: BTreeMap<ReqRef, String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty() && self.assigned.is_empty()
    }
}

/// One time slot of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Unique without coordination (two auditors may add sessions apart).
    pub uid: Uid,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// Held remotely (else on site).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remote: bool,
    /// The site, when the audit has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Who audits it (team members' names).
    #[serde(default)]
    pub auditors: Vec<String>,
    /// Who from the auditee takes part.
    #[serde(default)]
    pub participants: Vec<String>,
    pub topic: String,
    #[serde(default)]
    pub requirements: Vec<ReqRef>,
    /// Why the session was not held, when it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_held: Option<String>,
}

/// A new session, as `plan add` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDraft {
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub remote: bool,
    pub site: Option<String>,
    pub auditors: Vec<String>,
    pub participants: Vec<String>,
    pub topic: String,
    pub requirements: Vec<ReqRef>,
}

/// What `plan edit` may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionEdit {
    pub day: Option<NaiveDate>,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub remote: Option<bool>,
    /// `Some("")` clears it.
    pub site: Option<String>,
    pub auditors: Option<Vec<String>>,
    pub participants: Option<Vec<String>>,
    pub topic: Option<String>,
    pub requirements: Option<Vec<ReqRef>>,
    /// `Some(Some(why))` marks it not held; `Some(None)` held after all.
    pub not_held: Option<Option<String>>,
}

/// What the plan and the record say of each other: the report's
/// "deviations from the audit plan".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deviations {
    /// Sessions marked not held, with why.
    pub not_held: Vec<(usize, Session)>,
    /// Requirements a session (held) or an assignment covers that have no
    /// verdict.
    pub planned_not_assessed: Vec<ReqRef>,
    /// Requirements with a verdict that no session nor assignment covers.
    pub assessed_not_planned: Vec<ReqRef>,
}

impl Deviations {
    pub fn is_empty(&self) -> bool {
        self.not_held.is_empty()
            && self.planned_not_assessed.is_empty()
            && self.assessed_not_planned.is_empty()
    }
}

use super::model::{AuditRecord, Verdict};
use super::ops::{AuditError, Change, clean, required};
use crate::checklist::Catalog;

fn session_words(s: &Session) -> String {
    format!(
        "{} {}–{} {:?}",
        s.day,
        s.start.format("%H:%M"),
        s.end.format("%H:%M"),
        s.topic
    )
}

impl AuditRecord {
    /// The sessions in (day, start, uid) order: session `n` of the command
    /// line is the `n`th here (1-based).
    pub fn sessions(&self) -> &[Session] {
        &self.plan.sessions
    }

    fn check_session(&self, s: &Session) -> Result<(), AuditError> {
        if s.end <= s.start {
            return Err(AuditError::SessionTimes {
                start: s.start,
                end: s.end,
            });
        }
        let catalog = self.catalog()?;
        for r in &s.requirements {
            if !catalog.contains(r) {
                return Err(AuditError::NotInCriteria(r.clone()));
            }
        }
        self.check_team(&s.auditors)
    }

    fn check_team(&self, names: &[String]) -> Result<(), AuditError> {
        for name in names {
            if !self.meta.team.iter().any(|m| m.name == *name) {
                return Err(AuditError::NotInTeam {
                    name: name.clone(),
                    team: self.meta.team.iter().map(|m| m.name.clone()).collect(),
                });
            }
        }
        Ok(())
    }

    fn sort_sessions(&mut self) {
        self.plan
            .sessions
            .sort_by(|a, b| (a.day, a.start, &a.uid).cmp(&(b.day, b.start, &b.uid)));
    }

    fn session_index(&self, number: usize) -> Result<usize, AuditError> {
        let count = self.plan.sessions.len();
        if number == 0 || number > count {
            return Err(AuditError::NoSession { number, count });
        }
        Ok(number - 1)
    }

    /// Add a session to the plan; returns its number (1-based, in order).
    pub fn add_session(
        &mut self,
        change: &Change,
        draft: SessionDraft,
    ) -> Result<usize, AuditError> {
        self.ensure_open()?;
        let session = Session {
            uid: super::identity::Uid::fresh(&change.by, &change.at),
            day: draft.day,
            start: draft.start,
            end: draft.end,
            remote: draft.remote,
            site: clean(draft.site),
            auditors: tidy(draft.auditors),
            participants: tidy(draft.participants),
            topic: required(draft.topic, "topic")?,
            requirements: unique(draft.requirements),
            not_held: None,
        };
        self.check_session(&session)?;
        let what = format!("plan: added session {}", session_words(&session));
        let uid = session.uid.clone();
        self.plan.sessions.push(session);
        self.sort_sessions();
        self.log(change, what);
        Ok(self
            .plan
            .sessions
            .iter()
            .position(|s| s.uid == uid)
            .map_or(0, |i| i + 1))
    }

    /// Change session `number` (1-based); returns whether anything changed.
    pub fn edit_session(
        &mut self,
        change: &Change,
        number: usize,
        edit: SessionEdit,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        let i = self.session_index(number)?;
        let old = self.plan.sessions[i].clone();
        let mut s = old.clone();
        if let Some(v) = edit.day {
            s.day = v;
        }
        if let Some(v) = edit.start {
            s.start = v;
        }
        if let Some(v) = edit.end {
            s.end = v;
        }
        if let Some(v) = edit.remote {
            s.remote = v;
        }
        if let Some(v) = edit.site {
            s.site = clean(Some(v));
        }
        if let Some(v) = edit.auditors {
            s.auditors = tidy(v);
        }
        if let Some(v) = edit.participants {
            s.participants = tidy(v);
        }
        if let Some(v) = edit.topic {
            s.topic = required(v, "topic")?;
        }
        if let Some(v) = edit.requirements {
            s.requirements = unique(v);
        }
        if let Some(v) = edit.not_held {
            s.not_held = clean(v);
        }
        if s == old {
            return Ok(false);
        }
        self.check_session(&s)?;
        let what = format!(
            "plan: session {} changed to {}{}",
            session_words(&old),
            session_words(&s),
            s.not_held
                .as_ref()
                .map_or(String::new(), |w| format!(" (not held: {w:?})"))
        );
        self.plan.sessions[i] = s;
        self.sort_sessions();
        self.log(change, what);
        Ok(true)
    }

    /// Remove session `number` (1-based); the trail keeps what it was.
    pub fn remove_session(
        &mut self,
        change: &Change,
        number: usize,
    ) -> Result<Session, AuditError> {
        self.ensure_open()?;
        let i = self.session_index(number)?;
        let s = self.plan.sessions.remove(i);
        self.log(
            change,
            format!("plan: removed session {}", session_words(&s)),
        );
        Ok(s)
    }

    /// Assign `req` to one auditor (`None`: back to the sessions' auditors).
    /// Returns whether anything changed.
    pub fn assign(
        &mut self,
        change: &Change,
        req: &ReqRef,
        auditor: Option<String>,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        if !self.catalog()?.contains(req) {
            return Err(AuditError::NotInCriteria(req.clone()));
        }
        let auditor = clean(auditor);
        if let Some(a) = &auditor {
            self.check_team(std::slice::from_ref(a))?;
        }
        let old = self.plan.assigned.get(req).cloned();
        if old == auditor {
            return Ok(false);
        }
        match &auditor {
            Some(a) => self.plan.assigned.insert(req.clone(), a.clone()),
            None => self.plan.assigned.remove(req),
        };
        let shown = |a: &Option<String>| {
            a.as_deref()
                .map_or("(the plan's)".into(), |a| format!("{a:?}"))
        };
        self.log(
            change,
            format!("{req} assigned: {} → {}", shown(&old), shown(&auditor)),
        );
        Ok(true)
    }

    /// Who audits `req`: the auditor it is assigned to, else the auditors
    /// of the sessions that cover it.
    pub fn auditors_of(&self, req: &ReqRef) -> Vec<&str> {
        if let Some(a) = self.plan.assigned.get(req) {
            return vec![a.as_str()];
        }
        let mut out: Vec<&str> = Vec::new();
        for s in self
            .plan
            .sessions
            .iter()
            .filter(|s| s.requirements.contains(req))
        {
            for a in &s.auditors {
                if !out.contains(&a.as_str()) {
                    out.push(a);
                }
            }
        }
        out
    }

    /// The requirements `name` audits (by assignment or session).
    pub fn mine(&self, catalog: &Catalog, name: &str) -> Vec<ReqRef> {
        catalog
            .requirements()
            .map(|(r, _, _)| r)
            .filter(|r| self.auditors_of(r).contains(&name))
            .collect()
    }

    /// The session under way at `at` (local date and time), if any: its
    /// number (1-based) and the session.
    pub fn session_at(&self, at: chrono::NaiveDateTime) -> Option<(usize, &Session)> {
        self.plan
            .sessions
            .iter()
            .enumerate()
            .find(|(_, s)| s.day == at.date() && s.start <= at.time() && at.time() < s.end)
            .map(|(i, s)| (i + 1, s))
    }

    /// Per team member who audits something: requirements assessed of those
    /// they audit, in team order.
    pub fn progress_by_auditor(&self, catalog: &Catalog) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        for m in &self.meta.team {
            let mine = self.mine(catalog, &m.name);
            if mine.is_empty() {
                continue;
            }
            let done = mine
                .iter()
                .filter(|r| self.verdict(r) != Verdict::NotAssessed)
                .count();
            out.push((m.name.clone(), done, mine.len()));
        }
        out
    }

    /// The plan against what happened (empty without a plan).
    pub fn deviations(&self, catalog: &Catalog) -> Deviations {
        if self.plan.is_empty() {
            return Deviations::default();
        }
        let not_held: Vec<(usize, Session)> = self
            .plan
            .sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| s.not_held.is_some())
            .map(|(i, s)| (i + 1, s.clone()))
            .collect();
        let planned = |r: &ReqRef| {
            self.plan.assigned.contains_key(r)
                || self
                    .plan
                    .sessions
                    .iter()
                    .any(|s| s.not_held.is_none() && s.requirements.contains(r))
        };
        let mut out = Deviations {
            not_held,
            ..Default::default()
        };
        for (r, _, _) in catalog.requirements() {
            let assessed = self.verdict(&r) != Verdict::NotAssessed;
            match (planned(&r), assessed) {
                (true, false) => out.planned_not_assessed.push(r),
                (false, true) => out.assessed_not_planned.push(r),
                _ => {}
            }
        }
        out
    }
}

fn tidy(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names.into_iter().filter_map(|n| clean(Some(n))) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

fn unique(reqs: Vec<ReqRef>) -> Vec<ReqRef> {
    let mut out: Vec<ReqRef> = Vec::new();
    for r in reqs {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::record;
    use crate::audit::{Member, MetaEdit, Role};

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    #[test]
    fn sessions_are_ordered_checked_and_set_against_what_happened() {
        let (mut r, who, req) = record();
        r.set_meta(
            &who,
            MetaEdit {
                team: Some(vec![
                    Member::new("Lee", Role::LeadAuditor),
                    Member::new("Ann", Role::Auditor),
                ]),
                ..Default::default()
            },
        )
        .unwrap();
        let catalog = r.catalog().unwrap();
        let day: NaiveDate = "2026-11-24".parse().unwrap();
        let draft = |start: &str, end: &str, who: &str, reqs: Vec<ReqRef>| SessionDraft {
            day,
            start: t(start),
            end: t(end),
            remote: false,
            site: None,
            auditors: vec![who.into()],
            participants: vec!["Pat Doe".into()],
            topic: "Context".into(),
            requirements: reqs,
        };
        let later = ReqRef::new("iso42001-2023", "6.1.2");
        assert_eq!(
            r.add_session(&who, draft("14:00", "15:00", "Ann", vec![later.clone()]))
                .unwrap(),
            1
        );
        assert_eq!(
            r.add_session(&who, draft("09:00", "10:00", "Lee", vec![req.clone()]))
                .unwrap(),
            1
        );
        assert_eq!(r.sessions()[1].auditors, ["Ann"]);
        let err = r
            .add_session(&who, draft("10:00", "09:00", "Lee", vec![]))
            .unwrap_err();
        assert!(
            err.to_string().contains("must end after it starts"),
            "{err}"
        );
        let err = r
            .add_session(&who, draft("10:00", "11:00", "Zed", vec![]))
            .unwrap_err();
        assert!(err.to_string().contains("Zed"), "{err}");
        let at = day.and_time(t("14:30"));
        assert_eq!(r.session_at(at).map(|(n, _)| n), Some(2));
        assert_eq!(r.mine(&catalog, "Ann"), std::slice::from_ref(&later));
        r.assign(&who, &later, Some("Lee".into())).unwrap();
        assert_eq!(r.auditors_of(&later), ["Lee"]);
        r.set_verdict(
            &who,
            &ReqRef::new("iso42001-2023", "4.2"),
            Verdict::Conforming,
            None,
        )
        .unwrap();
        r.edit_session(
            &who,
            1,
            SessionEdit {
                not_held: Some(Some("Interviewee ill".into())),
                ..Default::default()
            },
        )
        .unwrap();
        let d = r.deviations(&catalog);
        assert_eq!(d.not_held.len(), 1);
        assert_eq!(d.planned_not_assessed, [later]);
        assert_eq!(
            d.assessed_not_planned,
            [ReqRef::new("iso42001-2023", "4.2")]
        );
        assert_eq!(r.progress_by_auditor(&catalog), [("Lee".to_string(), 0, 2)]);
        assert!(r.remove_session(&who, 3).is_err());
    }
}
