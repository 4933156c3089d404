//! Key press to redrawn frame, and the first frame, on ratatui's TestBackend
//! with all three shipped checklists in one audit and 2,000 findings plus
//! 2,000 notes in the record. Budget: one 16 ms frame per key, 100 ms to the
//! first frame. Run: `cargo bench --bench tui`.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fieldaudit::audit::{AuditRecord, Edit, Grade, store};
use fieldaudit::tui::finder_host::FinderHost;
use fieldaudit::tui::keymap::key_to_msg;
use fieldaudit::tui::theme::Theme;
use fieldaudit::tui::update::{Effect, Msg, update};
use fieldaudit::tui::{Model, view::view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn big_record() -> AuditRecord {
    let (mut record, who, reqs) = common::integrated_audit();
    for i in 0..2000 {
        let req = reqs[i % reqs.len()].clone();
        Edit::AddNote {
            req: req.clone(),
            text: format!("Interview note {i}: the auditee showed the register and explained the review cycle."),
            interviewee: Some("Process owner".into()),
            internal: false,
        }
        .apply(&mut record, &who)
        .expect("note");
        Edit::AddFinding {
            grade: Grade::ALL[i % Grade::ALL.len()],
            requirements: vec![req],
            statement: format!(
                "Finding {i}: records of the last review could not be shown for the sampled system."
            ),
            objective_evidence: Some("Sampled register, version 4, row 12".into()),
        }
        .apply(&mut record, &who)
        .expect("finding");
    }
    record
}

fn model(record: AuditRecord) -> Model {
    let catalog = record.catalog().expect("catalog");
    Model::new(
        PathBuf::from("bench.ron"),
        record,
        catalog,
        "Bench Auditor".into(),
    )
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

thread_local! {
    /// The finder's worker, as the run loop owns it.
    static FINDER: std::cell::RefCell<FinderHost> = std::cell::RefCell::new(FinderHost::new());
}

/// A key as the run loop handles it: `update`, a search handed to the
/// finder's worker (not waited for), then a frame.
fn press(model: &mut Model, terminal: &mut Terminal<TestBackend>, k: KeyEvent) {
    if let Some(msg) = key_to_msg(model, k) {
        for effect in black_box(update(model, msg)) {
            if let Effect::Find {
                corpus,
                query,
                request,
            } = effect
            {
                FINDER.with_borrow_mut(|f| f.find(corpus, &query, request));
            }
        }
    }
    terminal
        .draw(|f| view(model, Theme { color: true }, f))
        .expect("draw");
}

fn keys(c: &mut Criterion) {
    let record = big_record();
    for (w, h) in [(80, 24), (120, 40)] {
        let mut m = model(record.clone());
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        c.bench_function(&format!("key j (next requirement) + frame {w}x{h}"), |b| {
            b.iter(|| {
                press(&mut m, &mut t, key(KeyCode::Char('j')));
                if m.cursor + 1 >= m.rows.len() {
                    m.cursor = 0;
                }
            })
        });
        let mut m = model(record.clone());
        // On a requirement no open NC cites, where `c` is not refused.
        while m.cursor + 1 < m.rows.len()
            && m.current()
                .is_none_or(|r| m.record.open_ncs_citing(r).next().is_some())
        {
            m.cursor += 1;
        }
        c.bench_function(&format!("key c/x (set verdict) + frame {w}x{h}"), |b| {
            let mut flip = false;
            b.iter(|| {
                flip = !flip;
                press(
                    &mut m,
                    &mut t,
                    key(KeyCode::Char(if flip { 'x' } else { 'c' })),
                );
                m.pending.clear();
            })
        });
        let mut m = model(record.clone());
        press(&mut m, &mut t, key(KeyCode::Char('/')));
        c.bench_function(
            &format!("finder keystroke over requirements + 2000 findings + frame {w}x{h}"),
            |b| {
                let mut typed = 0;
                b.iter(|| {
                    if typed == 4 {
                        for _ in 0..4 {
                            press(&mut m, &mut t, key(KeyCode::Backspace));
                        }
                        typed = 0;
                    }
                    press(
                        &mut m,
                        &mut t,
                        key(KeyCode::Char(['r', 'i', 's', 'k'][typed])),
                    );
                    typed += 1;
                })
            },
        );
        let mut m = model(record.clone());
        press(&mut m, &mut t, key(KeyCode::Char('d')));
        c.bench_function(&format!("dashboard frame {w}x{h}"), |b| {
            b.iter(|| {
                t.draw(|f| view(&m, Theme { color: true }, f))
                    .expect("draw");
            })
        });
    }
}

fn first_frame(c: &mut Criterion) {
    let text = fieldaudit::ronfile::to_string(&big_record()).expect("encode");
    c.bench_function(
        "first frame: parse record + build model + draw 80x24",
        |b| {
            b.iter(|| {
                let record = store::parse(black_box(&text), Path::new("bench.ron")).expect("parse");
                let m = model(record);
                let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
                t.draw(|f| view(&m, Theme { color: true }, f))
                    .expect("draw");
            })
        },
    );
    c.bench_function("saved record arrives (2000 findings) + frame 80x24", |b| {
        let record = big_record();
        let mut m = model(record.clone());
        let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        b.iter(|| {
            black_box(update(
                &mut m,
                Msg::Saved {
                    seq: 0,
                    record: Box::new(record.clone()),
                    at: fieldaudit::audit::now(),
                },
            ));
            t.draw(|f| view(&m, Theme { color: true }, f))
                .expect("draw");
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = keys, first_frame
}
criterion_main!(benches);
