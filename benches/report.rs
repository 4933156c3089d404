//! How long report.html takes to render for a large integrated audit: all
//! three shipped checklists (255 requirements), 2,000 interview notes and
//! 500 findings, every requirement assessed. Budget: under a second.
//!
//! `cargo bench --bench report`; with `FIELDAUDIT_REPORT_HTML=big.html` it
//! also writes the report there, to time printing it:
//! `time chromium --headless --no-sandbox --print-to-pdf=big.pdf big.html`.

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fieldaudit::audit::{AuditRecord, Grade, Verdict};
use fieldaudit::report::html::{ReportContext, render};

fn big_record() -> AuditRecord {
    let (mut record, who, reqs) = common::integrated_audit();
    for (i, r) in reqs.iter().enumerate() {
        let verdict = if i % 10 == 0 {
            Verdict::Nonconforming
        } else {
            Verdict::Conforming
        };
        record.set_verdict(&who, r, verdict, None).expect("verdict");
    }
    for i in 0..2000 {
        let text = format!(
            "Interview note {i}: the process owner walked through the register and showed the review minutes of the last quarter, with the sign-off of the risk committee."
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
    let ncs: Vec<_> = reqs.iter().step_by(10).cloned().collect();
    for i in 0..500 {
        let grade = [Grade::Minor, Grade::Observation, Grade::Ofi, Grade::Major][i % 4];
        let on = if grade == Grade::Major || grade == Grade::Minor {
            ncs[i % ncs.len()].clone()
        } else {
            reqs[i % reqs.len()].clone()
        };
        record
            .add_finding(
                &who,
                grade,
                vec![on],
                format!("Finding {i}: records of the last review could not be shown for the sampled system."),
                Some("Register version 4, rows 10 to 24".into()),
            )
            .expect("finding");
    }
    record
}

fn report(c: &mut Criterion) {
    let record = big_record();
    let catalog = record.catalog().expect("catalog");
    let ctx = ReportContext {
        record: &record,
        catalog: &catalog,
        draft: true,
        sign_off: None,
        generated_at: fieldaudit::audit::now(),
        fieldaudit_version: "bench",
        audience: Default::default(),
    };
    let html = render(&ctx);
    eprintln!("report.html: {} KiB", html.len() / 1024);
    // To time printing it: FIELDAUDIT_REPORT_HTML=big.html, then Chromium.
    if let Some(path) = std::env::var_os("FIELDAUDIT_REPORT_HTML") {
        std::fs::write(&path, &html).expect("write the report");
    }
    c.bench_function(
        "report.html: 255 requirements, 2,000 notes, 500 findings",
        |b| b.iter(|| black_box(render(black_box(&ctx))).len()),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = report
}
criterion_main!(benches);
