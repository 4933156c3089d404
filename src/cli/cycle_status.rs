//! What `status` says of the certification cycle (the decision, the dates
//! that follow, the chain of earlier reports) and of the follow-up of
//! nonconformities and areas of concern (how many in each state, which are
//! overdue, which carried ones still await this audit's verdict).

use anyhow::Result;
use chrono::NaiveDate;
use fieldaudit::audit::lifecycle::State;
use fieldaudit::audit::{AuditRecord, AuditType, DueKind, FollowUp};
use fieldaudit::text::Shown;
use serde_json::{Value, json};

use super::out::outln;

/// Every state's `--json` word, in the order the follow-up moves.
const STATE_KEYS: [&str; 9] = [
    "raised",
    "response_received",
    "plan_returned",
    "plan_accepted",
    "implemented",
    "not_effective",
    "not_resolved",
    "closed",
    "raised_again",
];

/// The day the audit is judged on: its last day, else its first, else today.
fn audit_day(record: &AuditRecord, today: NaiveDate) -> NaiveDate {
    record.meta.end.or(record.meta.start).unwrap_or(today)
}

/// This audit's due date in the cycle, and whether the audit's day is past it.
fn this_audit_due(record: &AuditRecord, today: NaiveDate) -> Option<(NaiveDate, bool)> {
    let due = record.cycle_dates()?.due_for(record.meta.audit_type)?;
    Some((due, audit_day(record, today) > due))
}

fn due_kind_key(kind: DueKind) -> &'static str {
    match kind {
        DueKind::Response => "response",
        DueKind::Planned => "planned",
    }
}

/// How many of `follow_ups` are in each state, every state named.
fn counts(follow_ups: &[FollowUp<'_>]) -> serde_json::Map<String, Value> {
    STATE_KEYS
        .iter()
        .map(|key| {
            let n = follow_ups.iter().filter(|f| f.state.key() == *key).count();
            (key.to_string(), json!(n))
        })
        .collect()
}

/// The `cycle` and `follow_up` keys `status --json` adds to the status.
pub fn add_json(status: &mut Value, record: &AuditRecord, today: NaiveDate) {
    let Value::Object(map) = status else {
        return;
    };
    let dates = record.cycle_dates();
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let due = this_audit_due(record, today);
    let previous: Vec<Value> = record
        .cycle
        .as_ref()
        .map(|c| c.previous.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|p| {
            json!({
                "report_no": p.report_no,
                "revision": p.revision,
                "audit_type": p.audit_type.as_str(),
                "manifest_sha256": p.manifest_sha256,
                "key_id": p.key_id,
                "signer": p.signer,
                "signed_at": p.signed_at.to_rfc3339(),
            })
        })
        .collect();
    map.insert(
        "cycle".into(),
        json!({
            "audit_type": record.meta.audit_type.as_str(),
            "certification_decision": day(dates.map(|d| d.decision)),
            "surveillance1_due": day(dates.map(|d| d.surveillance1_due)),
            "surveillance2_due": day(dates.map(|d| d.surveillance2_due)),
            "expires": day(dates.map(|d| d.expires)),
            "due": day(due.map(|d| d.0)),
            "past_due": due.map(|d| d.1),
            "previous": previous,
            "carried": record
                .previous_findings
                .iter()
                .map(|c| c.finding.id.to_string())
                .collect::<Vec<_>>(),
        }),
    );
    let follow_ups = record.follow_ups(today);
    let item = |f: &FollowUp<'_>| {
        json!({
            "id": f.finding.id.to_string(),
            "grade": f.finding.grade.as_str(),
            "state": f.state.key(),
            "due_kind": f.due.map(|(k, _)| due_kind_key(k)),
            "due": f.due.map(|(_, d)| d.to_string()),
            "overdue": f.overdue,
            "raised_in": f.raised_in,
            "verdict_here": f.verdict_here.map(|o| o.as_str()),
        })
    };
    let items: Vec<Value> = follow_ups.iter().map(item).collect();
    let overdue: Vec<Value> = follow_ups.iter().filter(|f| f.overdue).map(item).collect();
    let awaiting: Vec<String> = record
        .awaiting_verdict()
        .iter()
        .map(ToString::to_string)
        .collect();
    map.insert(
        "follow_up".into(),
        json!({
            "total": follow_ups.len(),
            "open": follow_ups.iter().filter(|f| f.state.is_open()).count(),
            "carried": follow_ups.iter().filter(|f| f.raised_in.is_some()).count(),
            "states": counts(&follow_ups),
            "items": items,
            "overdue": overdue,
            "awaiting_verdict": awaiting,
        }),
    );
}

/// The cycle and the follow-up, for `status` in text.
pub fn print(record: &AuditRecord, today: NaiveDate) -> Result<()> {
    outln!();
    outln!("cycle: {} audit", record.meta.audit_type.label());
    match record.cycle_dates() {
        None => outln!(
            "  certification decision: not set: `fieldaudit meta AUDIT.ron --certification-decision YYYY-MM-DD`"
        ),
        Some(dates) => {
            let due = this_audit_due(record, today);
            let mark = |date: NaiveDate, this: AuditType| -> String {
                match due {
                    Some((d, past)) if d == date && record.meta.audit_type == this => {
                        if past {
                            "  <- this audit, and its date is PAST it".into()
                        } else {
                            "  <- this audit".into()
                        }
                    }
                    _ => String::new(),
                }
            };
            outln!("  certification decision: {}", dates.decision);
            outln!(
                "  surveillance 1 due:     {}{}",
                dates.surveillance1_due,
                mark(dates.surveillance1_due, AuditType::Surveillance1)
            );
            outln!(
                "  surveillance 2 due:     {}{}",
                dates.surveillance2_due,
                mark(dates.surveillance2_due, AuditType::Surveillance2)
            );
            outln!(
                "  expires:                {} (recertification before it){}",
                dates.expires,
                mark(dates.expires, AuditType::Recertification)
            );
        }
    }
    let previous = record
        .cycle
        .as_ref()
        .map(|c| c.previous.as_slice())
        .unwrap_or_default();
    for p in previous {
        outln!(
            "  follows report {} revision {} ({}), manifest SHA-256 {}",
            Shown(&p.report_no),
            p.revision,
            p.audit_type.label(),
            Shown(&p.manifest_sha256)
        );
    }
    print_follow_up(record, today)
}

fn print_follow_up(record: &AuditRecord, today: NaiveDate) -> Result<()> {
    let follow_ups = record.follow_ups(today);
    if follow_ups.is_empty() {
        return Ok(());
    }
    outln!();
    let open = follow_ups.iter().filter(|f| f.state.is_open()).count();
    let carried = follow_ups.iter().filter(|f| f.raised_in.is_some()).count();
    outln!(
        "follow-up: {} NC(s)/AOC(s), {carried} carried, {open} open",
        follow_ups.len()
    );
    let mut states: Vec<(State, usize)> = Vec::new();
    for f in &follow_ups {
        match states.iter_mut().find(|(s, _)| s.key() == f.state.key()) {
            Some((_, n)) => *n += 1,
            None => states.push((f.state, 1)),
        }
    }
    for (state, n) in states {
        let words = match state {
            State::RaisedAgain(_) => "raised again".to_string(),
            other => other.words(),
        };
        outln!("  {n:>3}  {words}");
    }
    let awaiting = record.awaiting_verdict();
    if !awaiting.is_empty() {
        let ids: Vec<String> = awaiting.iter().map(ToString::to_string).collect();
        outln!(
            "awaiting this audit's verdict ({}): {}",
            ids.len(),
            ids.join(", ")
        );
    }
    let overdue: Vec<&FollowUp<'_>> = follow_ups.iter().filter(|f| f.overdue).collect();
    if !overdue.is_empty() {
        outln!("OVERDUE ({}):", overdue.len());
    }
    for f in overdue {
        let (what, date) = f
            .due
            .map_or(("due", String::new()), |(k, d)| (k.words(), d.to_string()));
        outln!(
            "  {}  {}  {what} {date}  ({})",
            f.finding.id,
            f.finding.grade.as_str(),
            f.state.words()
        );
    }
    Ok(())
}
