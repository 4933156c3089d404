//! How long the three-way merge takes (`fieldaudit merge`, git's merge
//! driver) for two copies of an audit of all three shipped checklists (255
//! requirements) with 2,000 notes and 500 findings each: a common base of
//! 1,000 notes and 250 findings, then on each side 1,000 notes and 250
//! findings more, verdicts on different requirements, edits to the base's
//! notes and findings, and one verdict both change. Budget: under 100 ms.
//!
//! The reference beside it is cloning the three records (a floor: the
//! merge reads all three and builds a fourth). Criterion measures both in
//! one group; then an interleaved pass (each round runs both, the order
//! alternating) prints medians, minimums and the median ratio.
//!
//! Run: `cargo bench --bench merge` (`FIELDAUDIT_BENCH_ROUNDS`, default
//! 31, for the interleaved pass). Without `--bench` (`cargo test
//! --benches`) it is a smoke run.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use fieldaudit::audit::merge::merge;
use fieldaudit::audit::{AuditRecord, Change, FindingEdit, Grade, Verdict};
use fieldaudit::checklist::ReqRef;

const NOTES: usize = 1_000;
const FINDINGS: usize = 250;

/// `who` at `second` seconds past the audit's first morning.
fn at(who: &str, second: i64) -> Change {
    let start: fieldaudit::audit::Timestamp = "2027-01-18T09:00:00+00:00".parse().expect("time");
    Change {
        by: who.into(),
        at: start + chrono::Duration::seconds(second),
    }
}

/// Add `NOTES` notes and `FINDINGS` findings as `who`, from `start` seconds.
fn work(record: &mut AuditRecord, reqs: &[ReqRef], who: &str, start: i64) {
    for i in 0..NOTES {
        let text = format!(
            "{who}, note {i}: the process owner walked through the register and the minutes of the last review."
        );
        record
            .add_note(
                &at(who, start + i as i64),
                &reqs[i % reqs.len()],
                text,
                Some("Process owner".into()),
            )
            .expect("note");
    }
    for i in 0..FINDINGS {
        let grade = if i % 2 == 0 {
            Grade::Observation
        } else {
            Grade::Ofi
        };
        record
            .add_finding(
                &at(who, start + (NOTES + i) as i64),
                grade,
                vec![reqs[(i * 7) % reqs.len()].clone()],
                format!("{who}, finding {i}: records of the last review could not be shown."),
                Some("Register version 4, rows 10 to 24".into()),
            )
            .expect("finding");
    }
}

/// The base and the two sides.
fn three() -> (AuditRecord, AuditRecord, AuditRecord) {
    let (mut base, _, reqs) = common::integrated_audit();
    work(&mut base, &reqs, "Lee", 0);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    for (side, who, start, parity) in [
        (&mut ours, "Ann", 10_000, 0),
        (&mut theirs, "Bo", 20_000, 1),
    ] {
        work(side, &reqs, who, start);
        for (i, r) in reqs.iter().enumerate().filter(|(i, _)| i % 2 == parity) {
            side.set_verdict(
                &at(who, start + 5_000 + i as i64),
                r,
                Verdict::Conforming,
                None,
            )
            .expect("verdict");
        }
        // Edits to the base's notes and findings, each side its own.
        for n in (parity as u32 + 1..=100).step_by(2) {
            let req = side
                .assessments
                .iter()
                .find(|(_, a)| a.notes.iter().any(|x| x.id == n))
                .map(|(r, _)| r.clone())
                .expect("base note");
            side.edit_note(
                &at(who, start + 6_000 + i64::from(n)),
                &req,
                n,
                format!("{who} edited note {n}"),
            )
            .expect("edit note");
        }
        let base_findings: Vec<String> = side
            .findings
            .iter()
            .filter(|f| f.raised_by == "Lee")
            .enumerate()
            .filter(|(i, _)| i % 2 == parity)
            .map(|(_, f)| f.id.to_string())
            .take(50)
            .collect();
        for f in base_findings {
            let edit = FindingEdit {
                objective_evidence: Some(format!("{who} saw register version 5")),
                ..FindingEdit::default()
            };
            side.edit_finding(&at(who, start + 7_000), &f, edit)
                .expect("edit finding");
        }
    }
    // One requirement both judge, differently.
    let both = &reqs[1];
    ours.set_verdict(&at("Ann", 30_000), both, Verdict::Nonconforming, None)
        .expect("verdict");
    (base, ours, theirs)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Each round runs both, the order alternating; medians, minimums and the
/// median of the per-round ratios.
fn interleaved(records: &(AuditRecord, AuditRecord, AuditRecord), rounds: usize) {
    let (base, ours, theirs) = records;
    let (mut merging, mut cloning, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let time_merge = || {
            let t = Instant::now();
            black_box(merge(base, ours, theirs));
            t.elapsed()
        };
        let time_clone = || {
            let t = Instant::now();
            black_box((base.clone(), ours.clone(), theirs.clone()));
            t.elapsed()
        };
        let (m, c) = if round % 2 == 0 {
            let m = time_merge();
            (m, time_clone())
        } else {
            let c = time_clone();
            (time_merge(), c)
        };
        merging.push(m);
        cloning.push(c);
        ratios.push(m.as_secs_f64() / c.as_secs_f64().max(1e-9));
    }
    ratios.sort_by(f64::total_cmp);
    let min = |t: &[Duration]| t.iter().min().copied().unwrap_or_default();
    eprintln!(
        "interleaved, {rounds} rounds: merge median {:?} (min {:?}); clone of the three (reference) median {:?} (min {:?}); merge/clone median ratio {:.1}",
        median(&mut merging),
        min(&merging),
        median(&mut cloning),
        min(&cloning),
        ratios[ratios.len() / 2]
    );
}

fn bench(c: &mut Criterion) {
    let records = three();
    let (base, ours, theirs) = &records;
    let m = merge(base, ours, theirs);
    let notes = |r: &AuditRecord| r.assessments.values().map(|a| a.notes.len()).sum::<usize>();
    eprintln!(
        "sides: {} notes, {} findings, {} trail entries each; merged: {} notes, {} findings, {} conflict(s)",
        notes(ours),
        ours.findings.len(),
        ours.trail.len(),
        notes(&m.record),
        m.record.findings.len(),
        m.made.len()
    );
    assert_eq!(notes(&m.record), 3 * NOTES);
    assert_eq!(m.record.findings.len(), 3 * FINDINGS);
    assert_eq!(m.made.len(), 1, "{:?}", m.made);
    let mut group =
        c.benchmark_group("merge: 255 requirements, 2,000 notes and 500 findings a side");
    group.bench_function("merge", |b| b.iter(|| merge(base, ours, theirs)));
    group.bench_function("clone of the three (reference)", |b| {
        b.iter(|| (base.clone(), ours.clone(), theirs.clone()))
    });
    group.finish();
    let rounds = std::env::var("FIELDAUDIT_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(31);
    interleaved(&records, rounds);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
