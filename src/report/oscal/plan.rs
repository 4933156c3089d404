//! The assessment plan the results import (the audit plan's sessions as
//! tasks), and the system-security-plan stub the plan imports: the AI
//! management system under audit, one implemented requirement per
//! requirement of the criteria.

use serde_json::{Value, json};

use super::{Ids, control_id, controls, line, metadata, prop, reviewed_controls};
use crate::audit::AuditRecord;
use crate::checklist::Catalog;

/// The `assessment-plan` document.
pub(super) fn assessment_plan(
    record: &AuditRecord,
    catalog: &Catalog,
    ids: &Ids,
    ssp_href: &str,
) -> Value {
    let title = format!(
        "Audit plan: {} ({})",
        record.meta.client,
        record.meta.audit_type.as_str()
    );
    let tasks: Vec<Value> = record
        .plan
        .sessions
        .iter()
        .map(|s| {
            let mut description = s.topic.clone();
            if !s.auditors.is_empty() {
                description.push_str(&format!("\n\nAuditors: {}.", s.auditors.join(", ")));
            }
            if !s.participants.is_empty() {
                description.push_str(&format!("\n\nParticipants: {}.", s.participants.join(", ")));
            }
            if let Some(site) = &s.site {
                description.push_str(&format!("\n\nWhere: {site}."));
            }
            if let Some(why) = &s.not_held {
                description.push_str(&format!("\n\nNot held: {why}."));
            }
            let mut task = json!({
                "uuid": ids.uuid("session", &s.uid.0),
                "type": "action",
                "title": line(&s.topic),
                "description": description,
                "props": [prop("remote", if s.remote { "true" } else { "false" })],
                "timing": { "within-date-range": {
                    "start": super::local(record, s.day, s.start),
                    "end": super::local(record, s.day, s.end),
                }},
            });
            if !s.requirements.is_empty() {
                task["remarks"] = json!(format!(
                    "Requirements: {}.",
                    s.requirements
                        .iter()
                        .map(control_id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            task
        })
        .collect();
    let mut plan = json!({
        "uuid": ids.uuid("document", "assessment-plan"),
        "metadata": metadata(record, ids, &title),
        "import-ssp": { "href": super::href(ssp_href) },
        "reviewed-controls": reviewed_controls(record, catalog),
    });
    if !tasks.is_empty() {
        plan["tasks"] = Value::Array(tasks);
    }
    json!({ "assessment-plan": plan })
}

/// The `system-security-plan` stub for the AI management system.
pub(super) fn ssp(record: &AuditRecord, catalog: &Catalog, ids: &Ids) -> Value {
    let meta = &record.meta;
    let name = format!("{} AI management system", meta.client);
    let scope = meta
        .scope
        .clone()
        .unwrap_or_else(|| "The scope of the AI management system under audit.".to_string());
    let criteria: Vec<&str> = record.criteria.iter().map(|c| c.id()).collect();
    let requirements: Vec<Value> = controls(catalog)
        .iter()
        .map(|r| {
            json!({
                "uuid": ids.uuid("implemented", &format!("{}:{}", r.checklist, r.id)),
                "control-id": control_id(r),
            })
        })
        .collect();
    let system = ids.uuid("system", "aims");
    json!({
        "system-security-plan": {
            "uuid": ids.uuid("document", "system-security-plan"),
            "metadata": metadata(record, ids, &format!("System stub: {name}")),
            "import-profile": {
                "href": format!("urn:fieldaudit:criteria:{}", criteria.join(",")),
                "remarks": "The audit criteria, as fieldaudit checklists; no OSCAL profile is published for them.",
            },
            "system-characteristics": {
                "system-ids": [{ "identifier-type": "https://ietf.org/rfc/rfc4122", "id": system }],
                "system-name": line(&name),
                "description": scope,
                "security-sensitivity-level": "not-assessed",
                "system-information": { "information-types": [{
                    "uuid": ids.uuid("information-type", "aims"),
                    "title": "AI management system records",
                    "description": "The policies, risk and impact assessments and records the audit examined.",
                }]},
                "status": { "state": "operational" },
                "authorization-boundary": { "description": scope },
            },
            "system-implementation": {
                "users": [{
                    "uuid": ids.uuid("user", "auditee"),
                    "title": line(&format!("{} staff", meta.client)),
                }],
                "components": [{
                    "uuid": ids.uuid("component", "aims"),
                    "type": "this-system",
                    "title": line(&name),
                    "description": "The AI management system under audit (a stub: fieldaudit does not describe its parts).",
                    "status": { "state": "operational" },
                }],
            },
            "control-implementation": {
                "description": "A stub: one entry per requirement of the audit criteria; the assessment results say how each was found.",
                "implemented-requirements": requirements,
            },
        }
    })
}
