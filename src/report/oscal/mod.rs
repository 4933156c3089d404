//! The audit as OSCAL 1.2 JSON: assessment results, the assessment plan
//! they import, and a system-security-plan stub for the AI management
//! system that the plan imports.
//!
//! Pure functions from a record and its catalog to three JSON documents;
//! every uuid is a UUIDv5 over the report number and a stable name, so the
//! same record exports the same ids.
//!
//! - [`results`]: the assessment results (observations and findings);
//! - [`plan`]: the assessment plan and the SSP stub.

mod plan;
mod results;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{AuditRecord, Timestamp};
use crate::checklist::{Catalog, ReqRef};

/// The OSCAL version the documents claim.
pub const OSCAL_VERSION: &str = "1.2.1";

/// Namespace of fieldaudit's own props.
pub const NS: &str = "https://fieldaudit.example/ns/oscal";

/// Fixed namespace for every UUIDv5 fieldaudit makes.
const UUID_NAMESPACE: Uuid = Uuid::from_u128(0x6f1e_4a52_8d3b_4c1e_9a27_52c0_f1d0_a042);

/// The names the documents point at one another by (relative hrefs).
#[derive(Debug, Clone)]
pub struct Names {
    pub plan: String,
    pub ssp: String,
    /// Inside the report zip: cited bundle files are under `evidence/`.
    pub in_report: bool,
}

impl Names {
    /// The names the report zip gives the three documents.
    pub fn in_report() -> Names {
        Names {
            plan: REPORT_PLAN.to_string(),
            ssp: REPORT_SSP.to_string(),
            in_report: true,
        }
    }
}

/// The three documents' names in the report zip.
pub const REPORT_RESULTS: &str = "results.oscal.json";
pub const REPORT_PLAN: &str = "results.oscal-plan.json";
pub const REPORT_SSP: &str = "results.oscal-ssp.json";

/// The three documents, as pretty JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub results: String,
    pub plan: String,
    pub ssp: String,
}

/// The three documents for `record`.
pub fn export(record: &AuditRecord, catalog: &Catalog, names: &Names) -> Rendered {
    let ids = Ids::new(record);
    let results = results::document(record, catalog, &ids, names);
    let plan = plan::assessment_plan(record, catalog, &ids, &names.ssp);
    let ssp = plan::ssp(record, catalog, &ids);
    Rendered {
        results: pretty(&results),
        plan: pretty(&plan),
        ssp: pretty(&ssp),
    }
}

fn pretty(v: &Value) -> String {
    let mut text = serde_json::to_string_pretty(v).unwrap_or_default();
    text.push('\n');
    text
}

/// Makes the uuids of one record's export.
pub(crate) struct Ids {
    report_no: String,
}

impl Ids {
    fn new(record: &AuditRecord) -> Ids {
        Ids {
            report_no: record.report_no(),
        }
    }

    /// The uuid of the item of `kind` named `name` in this record.
    pub(crate) fn uuid(&self, kind: &str, name: &str) -> String {
        let key = format!("{}\u{1f}{kind}\u{1f}{name}", self.report_no);
        Uuid::new_v5(&UUID_NAMESPACE, key.as_bytes()).to_string()
    }
}

/// An OSCAL control id for a requirement: the checklist id, `_`, the
/// requirement id (`iso42001-2023_6.1.2`). Only letters, digits, `.`, `-`
/// and `_` are kept (others become `-`), and it starts with a letter.
pub fn control_id(r: &ReqRef) -> String {
    let raw = format!("{}_{}", r.checklist, r.id);
    token(&raw)
}

/// `text` as an OSCAL token: ASCII letters, digits, `.`, `-`, `_`; a letter
/// or `_` first.
pub(crate) fn token(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, 'x');
    }
    out
}

/// An OSCAL date-time (always with its offset).
pub(crate) fn when(t: &Timestamp) -> String {
    t.to_rfc3339()
}

/// A day and a time of the audit as an OSCAL date-time. The record keeps
/// them without an offset: they take the offset of the record's last change
/// (the auditors' clock), else UTC.
pub(crate) fn local(
    record: &AuditRecord,
    day: chrono::NaiveDate,
    time: chrono::NaiveTime,
) -> String {
    let offset = record.trail.iter().max_by_key(|e| e.at).map_or_else(
        || chrono::FixedOffset::east_opt(0),
        |e| Some(*e.at.offset()),
    );
    match offset.and_then(|o| day.and_time(time).and_local_timezone(o).single()) {
        Some(t) => t.to_rfc3339(),
        None => format!("{}Z", day.and_time(time).format("%Y-%m-%dT%H:%M:%S")),
    }
}

/// A path as a relative URI reference: each segment percent-encoded.
pub(crate) fn href(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A fieldaudit prop (its value on one line).
pub(crate) fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "ns": NS, "value": line(value) })
}

/// Outside text for a one-line OSCAL string (titles, names, prop values):
/// whitespace runs become one space, never empty.
pub(crate) fn line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        "(none)".to_string()
    } else {
        joined
    }
}

/// The requirements the audit is against, in catalog order.
pub(crate) fn controls(catalog: &Catalog) -> Vec<ReqRef> {
    catalog.requirements().map(|(r, _, _)| r).collect()
}

/// The last change to the record, else now.
pub(crate) fn last_modified(record: &AuditRecord) -> String {
    record
        .trail
        .iter()
        .map(|e| e.at)
        .max()
        .map_or_else(|| when(&crate::audit::now()), |t| when(&t))
}

/// The metadata every document shares: title, dates, version, the team and
/// the auditee as parties in their roles.
pub(crate) fn metadata(record: &AuditRecord, ids: &Ids, title: &str) -> Value {
    let meta = &record.meta;
    let mut roles: Vec<Value> = Vec::new();
    let mut parties: Vec<Value> = Vec::new();
    let mut responsible: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |role_id: &str, role_title: &str, party: Value, uuid: String| {
        if !roles.iter().any(|r| r["id"] == role_id) {
            roles.push(json!({ "id": role_id, "title": role_title }));
        }
        if !parties.iter().any(|p| p["uuid"] == uuid.as_str()) {
            parties.push(party);
        }
        match responsible.iter_mut().find(|(r, _)| r == role_id) {
            Some((_, uuids)) => uuids.push(uuid),
            None => responsible.push((role_id.to_string(), vec![uuid])),
        }
    };
    for m in &meta.team {
        let uuid = ids.uuid("party", &m.name);
        let party = json!({ "uuid": uuid, "type": "person", "name": line(&m.name) });
        add(m.role.as_str(), m.role.label(), party, uuid);
    }
    let client = ids.uuid("party", &format!("organization/{}", meta.client));
    add(
        "auditee",
        "auditee",
        json!({ "uuid": client, "type": "organization", "name": line(&meta.client) }),
        client.clone(),
    );
    for rep in &meta.auditee_reps {
        let uuid = ids.uuid("party", rep);
        let party = json!({
            "uuid": uuid, "type": "person", "name": line(rep),
            "member-of-organizations": [client],
        });
        add(
            "auditee-representative",
            "auditee representative",
            party,
            uuid,
        );
    }
    if let Some(cb) = &meta.certification_body {
        let uuid = ids.uuid("party", &format!("organization/{cb}"));
        let party = json!({ "uuid": uuid, "type": "organization", "name": line(cb) });
        add("certification-body", "certification body", party, uuid);
    }
    let responsible: Vec<Value> = responsible
        .into_iter()
        .map(|(role, uuids)| json!({ "role-id": role, "party-uuids": uuids }))
        .collect();
    json!({
        "title": line(title),
        "last-modified": last_modified(record),
        "version": format!("{} rev {}", record.report_no(), record.revision().number),
        "oscal-version": OSCAL_VERSION,
        "props": [prop("report-number", &record.report_no())],
        "roles": roles,
        "parties": parties,
        "responsible-parties": responsible,
    })
}

/// The audit's criteria as OSCAL reviewed-controls: every requirement,
/// those not applicable excluded.
pub(crate) fn reviewed_controls(record: &AuditRecord, catalog: &Catalog) -> Value {
    let mut include = Vec::new();
    let mut exclude = Vec::new();
    for r in controls(catalog) {
        let entry = json!({ "control-id": control_id(&r) });
        match record.assessments.get(&r).map(|a| a.verdict) {
            Some(crate::audit::Verdict::NotApplicable) => exclude.push(entry),
            _ => include.push(entry),
        }
    }
    let criteria: Vec<&str> = record.criteria.iter().map(|c| c.id()).collect();
    let mut selection = json!({
        "description": format!("The audit criteria: {}.", criteria.join(", ")),
    });
    if include.is_empty() {
        selection["include-all"] = json!({});
    } else {
        selection["include-controls"] = Value::Array(include);
    }
    if !exclude.is_empty() {
        selection["exclude-controls"] = Value::Array(exclude);
    }
    json!({
        "description": "The requirements of the audit criteria; those found not applicable are excluded.",
        "control-selections": [selection],
    })
}

#[cfg(test)]
mod tests;
