//! The audit plan in the interface, driven headless: the plan screen (`p`)
//! with the session under way marked, the tree narrowed (`N`, Enter on a
//! session), assignment (`o`) and progress per auditor on the dashboard;
//! keys through `update`, screens drawn on ratatui's TestBackend and
//! compared with insta snapshots.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fieldaudit::audit::plan::{SessionDraft, SessionEdit};
use fieldaudit::audit::{
    AuditRecord, AuditType, Change, Criterion, Edit, Member, Meta, Role, Verdict,
};
use fieldaudit::checklist::ReqRef;
use fieldaudit::tui::keymap::key_to_msg;
use fieldaudit::tui::model::Screen;
use fieldaudit::tui::popup::Popup;
use fieldaudit::tui::scope::Scope;
use fieldaudit::tui::theme::Theme;
use fieldaudit::tui::update::{Effect, Msg, update};
use fieldaudit::tui::{Model, view::view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn time(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn lee() -> Change {
    Change {
        by: "Lee Auditor".into(),
        at: time("2026-11-20T16:00:00+00:00"),
    }
}

fn req(id: &str) -> ReqRef {
    ReqRef::new("iso42001-2023", id)
}

fn hm(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap()
}

fn session(
    day: u32,
    start: &str,
    end: &str,
    who: &[&str],
    topic: &str,
    reqs: &[&str],
) -> SessionDraft {
    SessionDraft {
        day: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
        start: hm(start),
        end: hm(end),
        remote: start == "10:30",
        site: None,
        auditors: who.iter().map(|w| w.to_string()).collect(),
        participants: vec!["Priya Shah (CISO)".into(), "Tom Reyes".into()],
        topic: topic.into(),
        requirements: reqs.iter().map(|r| req(r)).collect(),
    }
}

/// A three-person team's record with a plan of four sessions over two
/// days (the last not held) and one requirement assigned directly.
fn planned() -> AuditRecord {
    let meta = Meta {
        team: vec![
            Member::new("Lee Auditor", Role::LeadAuditor),
            Member::new("Sam Auditor", Role::Auditor),
            Member::new("Ana Expert", Role::TechnicalExpert),
        ],
        ..Meta::new("Northwind Lending Ltd", AuditType::Stage2)
    };
    let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
    let mut r = AuditRecord::new(meta, criteria, None, &lee());
    let c = lee();
    for s in [
        session(
            24,
            "09:00",
            "10:30",
            &["Lee Auditor"],
            "Context and leadership",
            &["4.1", "4.2", "5.1"],
        ),
        session(
            24,
            "10:30",
            "12:00",
            &["Sam Auditor"],
            "AI risk assessment",
            &["6.1.1", "6.1.2", "8.2"],
        ),
        session(
            24,
            "13:00",
            "14:00",
            &["Lee Auditor", "Ana Expert"],
            "AI system impact assessment",
            &["6.1.4", "8.4"],
        ),
        session(
            25,
            "09:00",
            "10:00",
            &["Sam Auditor"],
            "Internal audit",
            &["9.2.1", "9.2.2"],
        ),
    ] {
        r.add_session(&c, s).unwrap();
    }
    r.edit_session(
        &c,
        4,
        SessionEdit {
            not_held: Some(Some("the internal auditor was ill".into())),
            ..SessionEdit::default()
        },
    )
    .unwrap();
    r.assign(&c, &req("10.2"), Some("Lee Auditor".into()))
        .unwrap();
    for (id, v) in [
        ("4.1", Verdict::Conforming),
        ("6.1.2", Verdict::Nonconforming),
    ] {
        r.set_verdict(&c, &req(id), v, None).unwrap();
    }
    r
}

/// The model of Lee's copy, its clock at `now`.
fn model_at(now: &str) -> Model {
    let r = planned();
    let catalog = r.catalog().unwrap();
    let mut m = Model::new(PathBuf::from("a.ron"), r, catalog, "Lee Auditor".into());
    update(&mut m, Msg::Tick(time(now)));
    m
}

fn press(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key_to_msg(m, key) {
        Some(msg) => update(m, msg),
        None => Vec::new(),
    }
}

fn keys(m: &mut Model, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        effects.extend(press(m, KeyEvent::new(KeyCode::Char(c), mods)));
    }
    effects
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn saves(effects: &[Effect]) -> Vec<Edit> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Save(p) => Some(p.edit.clone()),
            _ => None,
        })
        .collect()
}

/// The requirements j visits from the top of the tree (g), in order.
fn visited(m: &mut Model) -> Vec<String> {
    keys(m, "g");
    let mut out: Vec<String> = m.current().map(|r| r.id.clone()).into_iter().collect();
    for _ in 0..400 {
        let before = m.cursor;
        keys(m, "j");
        if m.cursor == before {
            break;
        }
        if let Some(r) = m.current() {
            out.push(r.id.clone());
        }
    }
    out
}

fn screen(m: &mut Model, width: u16, height: u16) -> String {
    update(m, Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view(m, Theme { color: false }, f))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_plan_screen_lists_the_sessions_by_day_and_marks_the_one_under_way() {
    let mut m = model_at("2026-11-24T10:45:00+00:00");
    keys(&mut m, "p");
    assert_eq!(m.screen, Screen::Plan);
    // It opens on the session under way.
    assert_eq!(m.plan_cursor, 1);
    let small = screen(&mut m, 80, 24);
    assert!(small.contains("▶ now  2  10:30–12:00  remote"), "{small}");
    assert!(
        small.contains("✗ NOT HELD  Internal audit")
            && small.contains("not held: the internal auditor was ill"),
        "{small}"
    );
    insta::assert_snapshot!("plan_80x24", small);
    insta::assert_snapshot!("plan_120x40", screen(&mut m, 120, 40));
    // j/k move, within the plan.
    keys(&mut m, "jjjjj");
    assert_eq!(m.plan_cursor, 3);
    keys(&mut m, "g");
    assert_eq!(m.plan_cursor, 0);
    // p, Esc and q go back.
    keys(&mut m, "p");
    assert_eq!(m.screen, Screen::Requirements);
    keys(&mut m, "p");
    press(&mut m, code(KeyCode::Esc));
    assert_eq!(m.screen, Screen::Requirements);
    keys(&mut m, "pq");
    assert_eq!(m.screen, Screen::Requirements);
    assert!(!m.quit);
}

#[test]
fn between_sessions_none_is_marked_now() {
    let mut m = model_at("2026-11-24T12:30:00+00:00");
    keys(&mut m, "p");
    let text = screen(&mut m, 80, 24);
    assert!(!text.contains("▶ now"), "{text}");
    assert!(text.contains("no session under way now"), "{text}");
}

#[test]
fn enter_on_a_session_narrows_the_tree_to_its_requirements() {
    let mut m = model_at("2026-11-24T10:45:00+00:00");
    keys(&mut m, "pj");
    press(&mut m, code(KeyCode::Enter));
    assert_eq!(m.screen, Screen::Requirements);
    assert!(matches!(m.scope, Scope::Session(_)));
    assert_eq!(visited(&mut m), ["6.1.4", "8.4"]);
    keys(&mut m, "G");
    assert_eq!(m.current(), Some(&req("8.4")));
    let text = screen(&mut m, 80, 24);
    assert!(text.contains("tree: session 3 (N)"), "{text}");
    insta::assert_snapshot!("narrowed_session_80x24", text);
}

#[test]
fn n_narrows_to_the_session_under_way_then_to_mine_then_shows_all() {
    let mut m = model_at("2026-11-24T09:30:00+00:00");
    let all = visited(&mut m);
    assert_eq!(all.len(), m.catalog.len());
    keys(&mut m, "N");
    assert_eq!(visited(&mut m), ["4.1", "4.2", "5.1"]);
    keys(&mut m, "N");
    assert_eq!(m.scope, Scope::Mine);
    // Lee's: sessions 1 and 3, and 10.2 assigned directly.
    assert_eq!(
        visited(&mut m),
        ["4.1", "4.2", "5.1", "6.1.4", "8.4", "10.2"]
    );
    let text = screen(&mut m, 120, 40);
    assert!(text.contains("tree: mine (N)"), "{text}");
    insta::assert_snapshot!("narrowed_mine_120x40", text);
    keys(&mut m, "N");
    assert_eq!(m.scope, Scope::All);
    assert_eq!(visited(&mut m), all);
}

#[test]
fn with_no_session_under_way_n_goes_straight_to_mine() {
    let mut m = model_at("2026-11-26T09:30:00+00:00");
    keys(&mut m, "N");
    assert_eq!(m.scope, Scope::Mine);
}

#[test]
fn the_finder_still_reaches_a_requirement_outside_the_scope() {
    let mut m = model_at("2026-11-24T09:30:00+00:00");
    keys(&mut m, "N");
    m.jump_to(&req("7.2"));
    assert_eq!(m.scope, Scope::All);
    assert_eq!(m.current(), Some(&req("7.2")));
}

#[test]
fn o_assigns_the_requirement_to_a_team_member_and_the_detail_says_who() {
    let mut m = model_at("2026-11-24T09:30:00+00:00");
    m.jump_to(&req("6.1.2"));
    let before = screen(&mut m, 80, 24);
    assert!(before.contains("Audited by: Sam Auditor"), "{before}");
    keys(&mut m, "o");
    assert!(matches!(m.popups.last(), Some(Popup::Assign(_))));
    // (the plan's) → Lee → Sam → Ana.
    for _ in 0..3 {
        press(&mut m, code(KeyCode::Right));
    }
    insta::assert_snapshot!("assign_80x24", screen(&mut m, 80, 24));
    let effects = press(
        &mut m,
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
    );
    assert_eq!(
        saves(&effects),
        [Edit::Assign {
            req: req("6.1.2"),
            auditor: Some("Ana Expert".into())
        }]
    );
    assert!(m.popups.is_empty());
    assert_eq!(m.record.auditors_of(&req("6.1.2")), ["Ana Expert"]);
    let after = screen(&mut m, 80, 24);
    assert!(after.contains("Audited by: Ana Expert"), "{after}");
    // Back to the plan's auditors: the choice wraps round to "(the plan's)".
    keys(&mut m, "o");
    press(&mut m, code(KeyCode::Right));
    let effects = press(
        &mut m,
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
    );
    assert_eq!(
        saves(&effects),
        [Edit::Assign {
            req: req("6.1.2"),
            auditor: None
        }]
    );
    assert!(!m.record.plan.assigned.contains_key(&req("6.1.2")));
    assert_eq!(m.record.auditors_of(&req("6.1.2")), ["Sam Auditor"]);
}

#[test]
fn an_assignment_narrowed_to_mine_shows_up_in_the_tree() {
    let mut m = model_at("2026-11-26T09:30:00+00:00");
    keys(&mut m, "N");
    assert!(!visited(&mut m).contains(&"7.1".to_string()));
    m.jump_to(&req("7.1"));
    keys(&mut m, "o");
    press(&mut m, code(KeyCode::Right));
    press(
        &mut m,
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
    );
    keys(&mut m, "N");
    assert_eq!(m.scope, Scope::Mine);
    assert!(visited(&mut m).contains(&"7.1".to_string()));
}

#[test]
fn the_dashboard_shows_progress_per_auditor() {
    let mut m = model_at("2026-11-24T09:30:00+00:00");
    keys(&mut m, "d");
    let small = screen(&mut m, 80, 24);
    assert!(small.contains("Progress per auditor"), "{small}");
    // Lee: 4.1 of 6 assessed; Sam: 6.1.2 of 5 (sessions 2 and 4); Ana: 0 of 2.
    assert!(
        small.contains("Lee Auditor ██░░░░░░░░░░░░░░   1/6   assessed"),
        "{small}"
    );
    assert!(
        small.contains("Sam Auditor ███░░░░░░░░░░░░░   1/5   assessed"),
        "{small}"
    );
    assert!(
        small.contains("Ana Expert  ░░░░░░░░░░░░░░░░   0/2   assessed"),
        "{small}"
    );
    insta::assert_snapshot!("dashboard_plan_80x24", small);
    insta::assert_snapshot!("dashboard_plan_120x40", screen(&mut m, 120, 40));
}

#[test]
fn without_a_plan_the_screen_says_how_to_make_one() {
    let meta = Meta {
        team: vec![Member::new("Lee Auditor", Role::LeadAuditor)],
        ..Meta::new("Northwind Lending Ltd", AuditType::Stage2)
    };
    let r = AuditRecord::new(
        meta,
        vec![Criterion::Builtin("iso42001-2023".into())],
        None,
        &lee(),
    );
    let catalog = r.catalog().unwrap();
    let mut m = Model::new(PathBuf::from("a.ron"), r, catalog, "Lee Auditor".into());
    keys(&mut m, "N");
    assert_eq!(m.scope, Scope::All);
    assert!(
        m.message
            .as_deref()
            .is_some_and(|t| t.contains("no session is under way"))
    );
    keys(&mut m, "p");
    press(&mut m, code(KeyCode::Enter));
    let text = screen(&mut m, 80, 24);
    assert!(text.contains("The plan has no session yet."), "{text}");
    assert_eq!(m.screen, Screen::Plan);
}

#[test]
fn a_narrowed_tree_whose_session_goes_shows_all_again() {
    let mut m = model_at("2026-11-24T09:30:00+00:00");
    keys(&mut m, "N");
    assert!(matches!(m.scope, Scope::Session(_)));
    // Another laptop removed the session; the record on disk now lacks it.
    let mut on_disk = m.record.clone();
    on_disk.remove_session(&lee(), 1).unwrap();
    update(&mut m, Msg::Reloaded(Box::new(on_disk)));
    assert_eq!(m.scope, Scope::All);
    assert_eq!(visited(&mut m).len(), m.catalog.len());
}

// ---- merge conflicts ------------------------------------------------------

/// The planned record as a merge left it: 6.1.2's verdict and the site in
/// conflict, two values each.
fn conflicted() -> Model {
    use fieldaudit::audit::conflict::{Conflict, ConflictValue};
    let mut m = model_at("2026-11-24T15:00:00+00:00");
    let value = |v: &str, by: &str, at: &str| ConflictValue {
        value: v.into(),
        by: by.into(),
        at: time(at),
    };
    m.record.conflicts = vec![
        Conflict {
            path: "iso42001-2023:6.1.2/verdict".into(),
            values: vec![
                value(
                    &ron::to_string(&Verdict::Conforming).unwrap(),
                    "Sam Auditor",
                    "2026-11-24T11:40:00+00:00",
                ),
                value(
                    &ron::to_string(&Verdict::Nonconforming).unwrap(),
                    "Ana Expert",
                    "2026-11-24T11:52:00+00:00",
                ),
            ],
        },
        Conflict {
            path: "meta/site".into(),
            values: vec![
                value("\"Hall B\"", "Lee Auditor", "2026-11-24T08:10:00+00:00"),
                value("\"Hall C\"", "Sam Auditor", "2026-11-24T08:15:00+00:00"),
            ],
        },
    ];
    m
}

#[test]
fn the_title_says_how_many_conflicts_are_open() {
    let mut m = conflicted();
    let text = screen(&mut m, 80, 24);
    assert!(
        text.lines().next().unwrap().contains("│ 2 conflicts"),
        "{text}"
    );
}

#[test]
fn the_conflicts_screen_lists_each_value_and_a_digit_or_enter_settles_it() {
    let mut m = conflicted();
    keys(&mut m, "X");
    assert_eq!(m.screen, Screen::Conflicts);
    let small = screen(&mut m, 80, 24);
    assert!(small.contains("iso42001-2023:6.1.2/verdict"), "{small}");
    assert!(
        small.contains("2  Nonconforming  — Ana Expert, 2026-11-24 11:52"),
        "{small}"
    );
    insta::assert_snapshot!("conflicts_80x24", small);
    insta::assert_snapshot!("conflicts_120x40", screen(&mut m, 120, 40));
    // A value the conflict does not have is refused, and nothing is saved.
    assert!(saves(&keys(&mut m, "5")).is_empty());
    assert!(
        m.message.as_deref().is_some_and(|t| t.contains("6.1.2")),
        "{:?}",
        m.message
    );
    assert_eq!(m.record.conflicts.len(), 2);
    // 2 takes Ana's verdict.
    let effects = keys(&mut m, "2");
    assert_eq!(
        saves(&effects),
        [Edit::Resolve {
            path: "iso42001-2023:6.1.2/verdict".into(),
            choice: fieldaudit::audit::conflict::Choice::Take(2),
        }]
    );
    assert_eq!(m.record.verdict(&req("6.1.2")), Verdict::Nonconforming);
    assert_eq!(m.record.conflicts.len(), 1);
    // The cursor is on the site's first value; j and Enter take the second.
    keys(&mut m, "j");
    let effects = press(&mut m, code(KeyCode::Enter));
    assert_eq!(saves(&effects).len(), 1);
    assert_eq!(m.record.meta.site.as_deref(), Some("Hall C"));
    assert!(m.record.conflicts.is_empty());
    let done = screen(&mut m, 80, 24);
    assert!(done.contains("No conflict is open."), "{done}");
    assert!(!done.lines().next().unwrap().contains("conflict"), "{done}");
    // X, Esc and q go back.
    keys(&mut m, "X");
    assert_eq!(m.screen, Screen::Requirements);
    keys(&mut m, "Xq");
    assert_eq!(m.screen, Screen::Requirements);
    assert!(!m.quit);
}
