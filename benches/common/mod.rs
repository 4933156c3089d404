//! What the benches share: an empty integrated audit against every shipped
//! checklist (255 requirements), to fill with their own notes and findings.

use fieldaudit::audit::{AuditRecord, AuditType, Change, Criterion, Meta};
use fieldaudit::checklist::{ReqRef, registry};

/// A stage 2 record against all shipped checklists, the change that made
/// it, and its requirements in checklist order.
pub fn integrated_audit() -> (AuditRecord, Change, Vec<ReqRef>) {
    let who = Change::now("Bench Auditor");
    let criteria = registry::ids()
        .map(|c| Criterion::Builtin(c.to_string()))
        .collect();
    let record = AuditRecord::new(
        Meta::new("Bench Ltd", AuditType::Stage2),
        criteria,
        None,
        &who,
    );
    let catalog = record.catalog().expect("shipped checklists");
    let reqs = catalog.requirements().map(|(r, _, _)| r).collect();
    (record, who, reqs)
}
