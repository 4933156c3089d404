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
