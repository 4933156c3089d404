//! Unit tests of `update` with the finder's worker carried by a
//! [`FinderHost`], as the run loop carries it.

use super::*;
use crate::audit::Verdict;
use crate::tui::finder_host::FinderHost;
use crate::tui::keymap::key_to_msg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::{Duration, Instant};

/// `update`, with the finder's effects carried out as the run loop does
/// (without waiting for its answers).
fn send(model: &mut Model, finder: &mut FinderHost, msg: Msg) {
    for effect in update(model, msg) {
        if let Effect::Find {
            corpus,
            query,
            request,
        } = effect
        {
            finder.find(corpus, &query, request);
        }
    }
}

fn type_key(model: &mut Model, finder: &mut FinderHost, code: KeyCode) {
    let key = KeyEvent::new(code, KeyModifiers::NONE);
    if let Some(msg) = key_to_msg(model, key) {
        send(model, finder, msg);
    }
}

/// A 42001 audit with Lee as the author.
fn model() -> Model {
    use crate::audit::{AuditRecord, AuditType, Change, Criterion, Meta};
    let meta = Meta::new("A", AuditType::Stage2);
    let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
    let record = AuditRecord::new(meta, criteria, None, &Change::now("t"));
    let catalog = record.catalog().unwrap();
    Model::new("a.ron".into(), record, catalog, "Lee".into())
}

fn type_text(model: &mut Model, finder: &mut FinderHost, text: &str) {
    for c in text.chars() {
        type_key(model, finder, KeyCode::Char(c));
    }
}

#[test]
fn an_edit_carries_the_time_of_the_newest_tick_not_the_clock() {
    let mut model = model();
    let then = chrono::DateTime::parse_from_rfc3339("2031-02-03T04:05:06+01:00").unwrap();
    update(&mut model, Msg::Tick(then));
    let effects = update(
        &mut model,
        Msg::Action(Action::SetVerdict(Verdict::Conforming)),
    );
    let [Effect::Save(p)] = effects.as_slice() else {
        panic!("one save: {effects:?}");
    };
    assert_eq!(p.change.at, then);
    assert_eq!(p.change.by, "Lee");
}

#[test]
fn enter_before_the_results_acts_on_them_when_they_come() {
    let mut model = model();
    let mut finder = FinderHost::new();
    send(&mut model, &mut finder, Msg::Action(Action::OpenFinder));
    type_text(&mut model, &mut finder, "6.1.2");
    // Enter with the query's results not in yet: nothing moves.
    let cursor = model.cursor;
    type_key(&mut model, &mut finder, KeyCode::Enter);
    assert!(matches!(model.popups.last(), Some(Popup::Finder(f)) if f.enter_pending));
    assert_eq!(model.cursor, cursor);
    // They arrive: Enter takes effect on the query as typed.
    for msg in finder.wait(Duration::from_secs(60)) {
        send(&mut model, &mut finder, msg);
    }
    assert!(model.popups.is_empty());
    assert_eq!(
        model.current().map(ToString::to_string).as_deref(),
        Some("iso42001-2023:6.1.2")
    );
}

#[test]
fn a_finder_failure_shows_on_the_status_line_and_typing_on_searches_again() {
    let mut model = model();
    let mut finder = FinderHost::new();
    send(&mut model, &mut finder, Msg::Action(Action::OpenFinder));
    type_text(&mut model, &mut finder, crate::finder::PANIC_WHILE_MATCHING);
    let deadline = Instant::now() + Duration::from_secs(60);
    while model.message.is_none() && Instant::now() < deadline {
        for msg in finder.poll() {
            send(&mut model, &mut finder, msg);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        model.message.as_deref(),
        Some(
            "the finder failed on an internal error (the engine failed on this query (test)) and was restarted; type on to search again, and please report it"
        )
    );
    // Delete the query and type another: results come back.
    for _ in 0..crate::finder::PANIC_WHILE_MATCHING.len() {
        type_key(&mut model, &mut finder, KeyCode::Backspace);
    }
    type_text(&mut model, &mut finder, "risk");
    for msg in finder.wait(Duration::from_secs(60)) {
        send(&mut model, &mut finder, msg);
    }
    let Some(Popup::Finder(f)) = model.popups.last() else {
        panic!("the finder is still open");
    };
    assert_eq!(f.query.lines().concat(), "risk");
    assert!(!f.hits.is_empty());
    assert!(f.waiting.is_none());
}
