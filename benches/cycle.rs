//! How long starting the next audit of a cycle takes
//! (`AuditRecord::next_in_cycle`, what `new --after` does once the report
//! is verified) for a signed stage 2 of all three shipped checklists (255
//! requirements) with 500 open NCs, each raised, edited and answered (a
//! response step), and 500 interview notes: a trail of about 1,800
//! entries. Budget: under 200 ms.
//!
//! The reference beside it is cloning that record (a floor: every carried
//! finding and its history is copied). Criterion measures both in one
//! group; then an interleaved pass (each round runs both, the order
//! alternating, so a stall of the machine hits one sample and not one
//! contender) prints medians, minimums and the median ratio.
//!
//! Run: `cargo bench --bench cycle` (`FIELDAUDIT_BENCH_ROUNDS`, default 31,
//! for the interleaved pass). Without `--bench` (`cargo test --benches`) it
//! is a smoke run.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use fieldaudit::audit::cycle::PreviousReport;
use fieldaudit::audit::lifecycle::Response;
use fieldaudit::audit::{AuditRecord, AuditType, Change, FindingEdit, Grade, SignOff, Verdict};

const NCS: usize = 500;

/// The signed stage 2 the next audit starts from, and the change to start it.
fn signed_record() -> (AuditRecord, Change) {
    let (mut record, who, reqs) = common::integrated_audit();
    record.meta.start = "2027-01-18".parse().ok();
    record.meta.end = "2027-01-20".parse().ok();
    for (i, r) in reqs.iter().enumerate() {
        let verdict = if i % 5 == 0 {
            Verdict::Nonconforming
        } else {
            Verdict::Conforming
        };
        record.set_verdict(&who, r, verdict, None).expect("verdict");
    }
    for i in 0..NCS {
        let text = format!(
            "Interview note {i}: the process owner walked through the register and the minutes of the last review."
        );
        record
            .add_note(
                &who,
                &reqs[i % reqs.len()],
                text,
                Some("Process owner".into()),
            )
            .expect("note");
    }
    let ncs: Vec<_> = reqs.iter().step_by(5).cloned().collect();
    for i in 0..NCS {
        let grade = if i % 4 == 0 {
            Grade::Major
        } else {
            Grade::Minor
        };
        let id = record
            .add_finding(
                &who,
                grade,
                vec![ncs[i % ncs.len()].clone()],
                format!("Finding {i}: records of the last review could not be shown."),
                Some("Register version 4, rows 10 to 24".into()),
            )
            .expect("finding");
        let edit = FindingEdit {
            statement: Some(format!(
                "Finding {i}: records of the last review of the sampled AI system could not be shown."
            )),
            ..FindingEdit::default()
        };
        record
            .edit_finding(&who, &id.to_string(), edit)
            .expect("edit");
        let response = Response {
            correction: "The missing review records were reconstructed from the minutes.".into(),
            root_cause: "Nobody owned the review schedule after the reorganisation.".into(),
            corrective_action:
                "The schedule has an owner and a monthly check in the ISMS calendar.".into(),
            owner: Some("Head of AI governance".into()),
            planned_date: "2027-04-30".parse().expect("date"),
        };
        record
            .respond(&who, &id.to_string(), response)
            .expect("response");
    }
    record.sign_off = Some(SignOff {
        signer: "Bench Auditor".into(),
        at: who.at,
        key_id: "ABCD1234ABCD1234".into(),
        statement: "signed".into(),
        revision: Some(1),
    });
    (record, who)
}

fn report(record: &AuditRecord) -> PreviousReport {
    PreviousReport {
        report_no: record.report_no(),
        revision: 1,
        audit_type: AuditType::Stage2,
        manifest_sha256: "ab".repeat(32),
        key_id: "ABCD1234ABCD1234".into(),
        signer: "Bench Auditor".into(),
        signed_at: fieldaudit::audit::now(),
    }
}

fn next(record: &AuditRecord, who: &Change) -> AuditRecord {
    record
        .next_in_cycle(report(record), None, who)
        .expect("next in cycle")
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Each round runs both, the order alternating; medians, minimums and the
/// median of the per-round ratios.
fn interleaved(record: &AuditRecord, who: &Change, rounds: usize) {
    let mut cycle = Vec::with_capacity(rounds);
    let mut clone = Vec::with_capacity(rounds);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let time_next = || {
            let t = Instant::now();
            black_box(next(record, who));
            t.elapsed()
        };
        let time_clone = || {
            let t = Instant::now();
            black_box(record.clone());
            t.elapsed()
        };
        let (n, c) = if round % 2 == 0 {
            let n = time_next();
            (n, time_clone())
        } else {
            let c = time_clone();
            (time_next(), c)
        };
        cycle.push(n);
        clone.push(c);
        ratios.push(n.as_secs_f64() / c.as_secs_f64().max(1e-9));
    }
    ratios.sort_by(f64::total_cmp);
    let min = |t: &[Duration]| t.iter().min().copied().unwrap_or_default();
    eprintln!(
        "interleaved, {rounds} rounds: next_in_cycle median {:?} (min {:?}); clone (reference) median {:?} (min {:?}); next/clone median ratio {:.1}",
        median(&mut cycle),
        min(&cycle),
        median(&mut clone),
        min(&clone),
        ratios[ratios.len() / 2]
    );
}

fn cycle(c: &mut Criterion) {
    let (record, who) = signed_record();
    let carried = next(&record, &who);
    eprintln!(
        "record: {} findings, {} trail entries; next: {} carried",
        record.findings.len(),
        record.trail.len(),
        carried.previous_findings.len()
    );
    assert_eq!(carried.previous_findings.len(), NCS);
    let mut group = c.benchmark_group("cycle: 500 open NCs");
    group.bench_function("next_in_cycle", |b| b.iter(|| next(&record, &who)));
    group.bench_function("clone (reference)", |b| b.iter(|| record.clone()));
    group.finish();
    let rounds = std::env::var("FIELDAUDIT_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(31);
    interleaved(&record, &who, rounds);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = cycle
}
criterion_main!(benches);
