//! The assessment-results document: one result with the audit's
//! observations (interview notes, cited evidence) and findings (one per
//! requirement verdict, one per raised finding).

use serde_json::{Value, json};

use super::{Ids, Names, control_id, href, line, metadata, prop, reviewed_controls, when};
use crate::audit::{AuditRecord, EvidenceLink, Grade, LinkTarget, Verdict};
use crate::checklist::Catalog;

/// The whole `assessment-results` document.
pub(super) fn document(record: &AuditRecord, catalog: &Catalog, ids: &Ids, names: &Names) -> Value {
    let title = format!(
        "Audit results: {} ({})",
        record.meta.client,
        record.meta.audit_type.as_str()
    );
    let mut observations = Vec::new();
    // The observations made for each requirement, by their uuids.
    let mut about: Vec<(LinkTarget, String)> = Vec::new();
    for (req, a) in &record.assessments {
        for n in &a.notes {
            let uuid = ids.uuid("note", &n.uid.0);
            let who = n
                .interviewee
                .as_deref()
                .map_or(String::new(), |i| format!(" (interviewed: {i})"));
            let mut o = json!({
                "uuid": uuid,
                "title": line(&format!("Interview note on {}", req.id)),
                "description": n.text,
                "methods": ["INTERVIEW"],
                "collected": when(&n.at),
                "props": [prop("note-by", &n.by)],
                "remarks": format!("Noted by {}{who}.", n.by),
            });
            if n.internal {
                push_prop(&mut o, prop("internal", "true"));
            }
            observations.push(o);
            about.push((LinkTarget::Requirement(req.clone()), uuid));
        }
    }
    for (target, link) in record.evidence_links() {
        let uuid = ids.uuid("evidence", &format!("{target}\u{1f}{}", link.path));
        if about.iter().any(|(_, u)| *u == uuid) {
            continue;
        }
        observations.push(evidence_observation(&target, link, &uuid, names.in_report));
        about.push((target, uuid));
    }
    let related = |t: &LinkTarget| -> Vec<Value> {
        about
            .iter()
            .filter(|(o, _)| o == t)
            .map(|(_, u)| json!({ "observation-uuid": u }))
            .collect()
    };
    let mut findings = Vec::new();
    for (req, _, requirement) in catalog.requirements() {
        let Some(a) = record.assessments.get(&req) else {
            continue;
        };
        let (state, word) = match a.verdict {
            Verdict::Conforming => ("satisfied", "conforming"),
            Verdict::Nonconforming => ("not-satisfied", "nonconforming"),
            Verdict::NotApplicable | Verdict::NotAssessed => continue,
        };
        let mut f = json!({
            "uuid": ids.uuid("verdict", &format!("{}:{}", req.checklist, req.id)),
            "title": line(&format!("{} {}: {word}", req.id, requirement.title)),
            "description": a.justification.clone().unwrap_or_else(|| format!("Verdict: {word}.")),
            "props": [prop("verdict", word)],
            "target": target(control_id(&req), state),
        });
        let rel = related(&LinkTarget::Requirement(req.clone()));
        if !rel.is_empty() {
            f["related-observations"] = Value::Array(rel);
        }
        findings.push(f);
    }
    for finding in &record.findings {
        // Against no requirement: against the criteria as a whole.
        let target_id = finding.requirements.first().map_or_else(
            || super::token(record.criteria.first().map_or("audit", |c| c.id())),
            control_id,
        );
        let state = if finding.grade.is_nonconformity() || finding.grade == Grade::AreaOfConcern {
            "not-satisfied"
        } else {
            "satisfied"
        };
        let mut props = vec![
            prop("finding-id", &finding.id.to_string()),
            prop("grade", finding.grade.as_str()),
        ];
        for other in finding.requirements.iter().skip(1) {
            props.push(prop("also-against", &control_id(other)));
        }
        let mut description = finding.statement.clone();
        if let Some(oe) = &finding.objective_evidence {
            description.push_str("\n\nObjective evidence: ");
            description.push_str(oe);
        }
        let mut f = json!({
            "uuid": ids.uuid("finding", &finding.uid.0),
            "title": format!("{} ({})", finding.id, finding.grade.label()),
            "description": description,
            "props": props,
            "target": target(target_id, state),
        });
        let mut rel = related(&LinkTarget::Finding(finding.id));
        for r in &finding.requirements {
            rel.extend(related(&LinkTarget::Requirement(r.clone())));
        }
        if !rel.is_empty() {
            f["related-observations"] = Value::Array(rel);
        }
        findings.push(f);
    }
    let mut result = json!({
        "uuid": ids.uuid("result", "audit"),
        "title": line(&title),
        "description": format!(
            "{} audit of {}{}.",
            record.meta.audit_type.label(),
            record.meta.client,
            record.meta.scope.as_deref().map_or(String::new(), |s| format!(" — scope: {s}")),
        ),
        "start": start(record),
        "reviewed-controls": reviewed_controls(record, catalog),
    });
    if let Some(end) = record.meta.end {
        result["end"] = json!(super::local(record, end, end_of_day()));
    }
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }
    json!({
        "assessment-results": {
            "uuid": ids.uuid("document", "assessment-results"),
            "metadata": metadata(record, ids, &title),
            "import-ap": { "href": href(&names.plan) },
            "results": [result],
        }
    })
}

/// The audit's first day, else its first recorded change.
pub(super) fn start(record: &AuditRecord) -> String {
    match record.meta.start {
        Some(d) => super::local(record, d, chrono::NaiveTime::MIN),
        None => record
            .trail
            .iter()
            .map(|e| e.at)
            .min()
            .map_or_else(|| when(&crate::audit::now()), |t| when(&t)),
    }
}

fn end_of_day() -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(chrono::NaiveTime::MIN)
}

fn target(target_id: String, state: &str) -> Value {
    json!({
        "type": "objective-id",
        "target-id": target_id,
        "status": { "state": state },
    })
}

fn evidence_observation(
    target: &LinkTarget,
    link: &EvidenceLink,
    uuid: &str,
    in_report: bool,
) -> Value {
    // Collected files are named by their place in the report already.
    let path = if in_report && link.collected.is_none() {
        crate::report::pack::evidence_name(&link.path)
    } else {
        link.path.clone()
    };
    let name = link
        .collected
        .as_ref()
        .map_or(link.path.as_str(), |c| c.original_name.as_str());
    json!({
        "uuid": uuid,
        "title": line(&format!("Evidence examined for {target}: {name}")),
        "description": format!("{name} ({} bytes, SHA-256 {}), cited by {}.", link.size, link.sha256, link.linked_by),
        "methods": ["EXAMINE"],
        "collected": when(&link.linked_at),
        "relevant-evidence": [{
            "href": href(&path),
            "description": format!("SHA-256 {}", link.sha256),
            "props": [prop("sha256", &link.sha256)],
        }],
    })
}

fn push_prop(v: &mut Value, p: Value) {
    if let Some(props) = v.get_mut("props").and_then(Value::as_array_mut) {
        props.push(p);
    }
}
