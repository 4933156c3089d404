//! The TUI driven headless: actions through `update`, screens rendered on
//! ratatui's TestBackend and compared with insta snapshots.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fieldaudit::audit::conclusion::{Conclusion, Recommendation};
use fieldaudit::audit::report_facts::{Statement, TimeFigure};
use fieldaudit::audit::{
    AuditRecord, AuditType, Change, Criterion, Edit, Grade, LinkTarget, Member, Meta, Role, Verdict,
};
use fieldaudit::checklist::ReqRef;
use fieldaudit::tui::finder_host::FinderHost;
use fieldaudit::tui::keymap::key_to_msg;
use fieldaudit::tui::model::{Item, SaveState};
use fieldaudit::tui::popup::Popup;
use fieldaudit::tui::theme::Theme;
use fieldaudit::tui::update::{Effect, Msg, update};
use fieldaudit::tui::{Action, Model, view::view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn at() -> Change {
    let t: DateTime<FixedOffset> =
        DateTime::parse_from_rfc3339("2026-11-24T10:30:00+00:00").unwrap();
    Change {
        by: "Lee Auditor".into(),
        at: t,
    }
}

fn record(checklists: &[&str]) -> AuditRecord {
    let meta = Meta {
        team: vec![Member::new("Lee Auditor", Role::LeadAuditor)],
        ..Meta::new("Northwind Lending Ltd", AuditType::Stage2)
    };
    let criteria = checklists
        .iter()
        .map(|c| Criterion::Builtin(c.to_string()))
        .collect();
    AuditRecord::new(meta, criteria, None, &at())
}

fn model(checklists: &[&str]) -> Model {
    let r = record(checklists);
    let catalog = r.catalog().unwrap();
    Model::new(PathBuf::from("a.ron"), r, catalog, "Lee Auditor".into())
}

fn req(id: &str) -> ReqRef {
    ReqRef::new("iso42001-2023", id)
}

/// Press keys as the terminal would deliver them.
fn keys(m: &mut Model, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(press(
            m,
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        ));
    }
    effects
}

thread_local! {
    /// The finder's worker, as the run loop owns it (one per test thread).
    static FINDER: std::cell::RefCell<FinderHost> = std::cell::RefCell::new(FinderHost::new());
}

/// Wait for the background finder to catch up with what was typed.
fn settle(m: &mut Model) {
    let answers = FINDER.with_borrow_mut(|f| f.wait(std::time::Duration::from_secs(5)));
    for msg in answers {
        run(m, msg);
    }
}

fn press(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key_to_msg(m, key) {
        Some(msg) => run(m, msg),
        None => Vec::new(),
    }
}

/// `update`, then what the run loop does with the effects it answers on
/// the spot: looking around the record for the sign-off form, and handing
/// a search to the finder (here waiting for its answer, as Enter would).
/// The other effects are returned for the test to look at.
fn run(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut work: std::collections::VecDeque<Effect> = update(m, msg).into();
    while let Some(effect) = work.pop_front() {
        match effect {
            probe @ (Effect::LookAround | Effect::CheckReportName(_)) => {
                let path = m.path.clone();
                if let Some(msg) = fieldaudit::tui::signoff::probe(&probe, &path) {
                    work.extend(update(m, msg));
                }
            }
            Effect::Find {
                corpus,
                query,
                request,
            } => {
                let answers = FINDER.with_borrow_mut(|f| {
                    f.find(corpus, &query, request);
                    f.wait(std::time::Duration::from_secs(5))
                });
                for msg in answers {
                    work.extend(update(m, msg));
                }
            }
            other => effects.push(other),
        }
    }
    effects
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn act(m: &mut Model, a: Action) -> Vec<Effect> {
    run(m, Msg::Action(a))
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

#[test]
fn starts_on_the_first_requirement_and_moves_with_j_and_k() {
    let mut m = model(&["iso42001-2023"]);
    assert_eq!(m.current(), Some(&req("4.1")));
    keys(&mut m, "jjjj");
    // Section headers are skipped: 4.4 then 5.1.
    assert_eq!(m.current(), Some(&req("5.1")));
    keys(&mut m, "k");
    assert_eq!(m.current(), Some(&req("4.4")));
    act(&mut m, Action::LastRequirement);
    assert_eq!(m.current(), Some(&req("A.10.4")));
}

#[test]
fn folding_a_section_hides_its_requirements() {
    let mut m = model(&["iso42001-2023"]);
    let rows = m.rows.len();
    act(&mut m, Action::Collapse);
    assert_eq!(m.rows.len(), rows - 4);
    assert_eq!(m.current(), None, "cursor on the folded section header");
    act(&mut m, Action::Expand);
    assert_eq!(m.rows.len(), rows);
}

#[test]
fn verdict_keys_apply_and_queue_a_save() {
    let mut m = model(&["iso42001-2023"]);
    let effects = keys(&mut m, "x");
    assert_eq!(m.record.verdict(&req("4.1")), Verdict::Nonconforming);
    assert_eq!(
        saves(&effects),
        [Edit::SetVerdict {
            req: req("4.1"),
            verdict: Verdict::Nonconforming,
            justification: None
        }]
    );
    assert_eq!(m.save, SaveState::Saving(1));
    keys(&mut m, "c");
    assert_eq!(m.record.verdict(&req("4.1")), Verdict::Conforming);
}

#[test]
fn not_applicable_asks_for_a_justification_first() {
    let mut m = model(&["iso42001-2023"]);
    assert!(keys(&mut m, "a").is_empty());
    assert!(matches!(m.popups.last(), Some(Popup::Justify(_))));
    // Saving an empty justification is refused and the form stays.
    assert!(press(&mut m, ctrl('s')).is_empty());
    assert!(
        m.message
            .as_deref()
            .unwrap_or_default()
            .contains("justification")
    );
    keys(&mut m, "Only internal use");
    let effects = press(&mut m, ctrl('s'));
    assert_eq!(saves(&effects).len(), 1);
    assert!(m.popups.is_empty());
    let a = m.record.assessment(&req("4.1")).unwrap();
    assert_eq!(
        (a.verdict, a.justification.as_deref()),
        (Verdict::NotApplicable, Some("Only internal use"))
    );
}

#[test]
fn a_note_is_typed_with_its_interviewee_and_saved_with_ctrl_s() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "i");
    keys(&mut m, "Context reviewed in March");
    press(&mut m, code(KeyCode::Enter));
    keys(&mut m, "second line");
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Priya Shah");
    let effects = press(&mut m, ctrl('s'));
    assert!(m.popups.is_empty());
    let [
        Edit::AddNote {
            text, interviewee, ..
        },
    ] = <[Edit; 1]>::try_from(saves(&effects)).unwrap()
    else {
        panic!("expected one note")
    };
    assert_eq!(text, "Context reviewed in March\nsecond line");
    assert_eq!(interviewee.as_deref(), Some("Priya Shah"));
    assert_eq!(m.record.notes_total(), 1);
}

#[test]
fn esc_on_a_form_with_text_asks_before_discarding() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "i");
    keys(&mut m, "precious words");
    press(&mut m, code(KeyCode::Esc));
    assert!(matches!(m.popups.last(), Some(Popup::Confirm(_))));
    keys(&mut m, "n");
    // Still there, text intact.
    let Some(Popup::Note(form)) = m.popups.last() else {
        panic!("note form gone")
    };
    assert_eq!(form.text.text(), "precious words");
    press(&mut m, code(KeyCode::Esc));
    keys(&mut m, "y");
    assert!(m.popups.is_empty());
    assert_eq!(m.record.notes_total(), 0);
    // An empty form closes at once.
    keys(&mut m, "i");
    press(&mut m, code(KeyCode::Esc));
    assert!(m.popups.is_empty());
}

#[test]
fn finder_jumps_to_a_typed_id_and_n_raises_a_finding_there() {
    let mut m = model(&["iso42001-2023", "iso27001-2022"]);
    keys(&mut m, "/");
    keys(&mut m, "6.1.2");
    press(&mut m, code(KeyCode::Enter));
    assert_eq!(m.current(), Some(&req("6.1.2")));
    keys(&mut m, "n");
    keys(&mut m, "No risk acceptance criteria");
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Risk register v4");
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "27001:6.1.2");
    // Grade is the first field: Shift-Tab from "also" goes to evidence; cycle to grade.
    press(&mut m, code(KeyCode::Tab));
    press(&mut m, code(KeyCode::Left));
    let effects = press(&mut m, ctrl('s'));
    let [
        Edit::AddFinding {
            grade,
            requirements,
            statement,
            objective_evidence,
        },
    ] = <[Edit; 1]>::try_from(saves(&effects)).unwrap()
    else {
        panic!("expected a finding")
    };
    assert_eq!(grade, Grade::Major);
    assert_eq!(
        requirements,
        [req("6.1.2"), ReqRef::new("iso27001-2022", "6.1.2")]
    );
    assert_eq!(statement, "No risk acceptance criteria");
    assert_eq!(objective_evidence.as_deref(), Some("Risk register v4"));
    assert_eq!(m.record.findings[0].id.to_string(), "NC-001");
}

#[test]
fn ctrl_f_in_the_finding_form_picks_a_further_requirement_with_the_finder() {
    let mut m = model(&["iso42001-2023", "iso27001-2022"]);
    keys(&mut m, "nDocument control lapses");
    press(&mut m, ctrl('f'));
    keys(&mut m, "iso27001-2022:7.5.3");
    press(&mut m, code(KeyCode::Enter));
    let Some(Popup::Finding(form)) = m.popups.last() else {
        panic!("back in the form")
    };
    assert_eq!(form.also.text(), "iso27001-2022:7.5.3");
    let effects = press(&mut m, ctrl('s'));
    let [Edit::AddFinding { requirements, .. }] = <[Edit; 1]>::try_from(saves(&effects)).unwrap()
    else {
        panic!("expected a finding")
    };
    assert_eq!(
        requirements,
        [req("4.1"), ReqRef::new("iso27001-2022", "7.5.3")]
    );
}

#[test]
fn the_requirement_picker_ranks_as_the_finder_does() {
    let shown = |m: &Model| -> Vec<String> {
        let Some(Popup::Finder(f)) = m.popups.last() else {
            panic!("a finder")
        };
        f.hits
            .iter()
            .filter(|h| matches!(h.target, fieldaudit::finder::Target::Requirement(_)))
            .map(|h| h.label.clone())
            .collect()
    };
    let mut m = model(&["iso42001-2023", "iso27001-2022"]);
    keys(&mut m, "/impact assessment");
    settle(&mut m);
    let finder = shown(&m);
    press(&mut m, code(KeyCode::Esc));
    keys(&mut m, "nA statement");
    press(&mut m, ctrl('f'));
    keys(&mut m, "impact assessment");
    settle(&mut m);
    let picker = shown(&m);
    assert!(picker.len() > 3, "{picker:?}");
    assert_eq!(picker, finder);
}

#[test]
fn the_metadata_form_sets_details_and_refuses_bad_dates() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "m");
    assert!(matches!(m.popups.last(), Some(Popup::Meta(_))));
    press(&mut m, code(KeyCode::Tab)); // site
    keys(&mut m, "Manchester");
    press(&mut m, code(KeyCode::Tab)); // scope
    press(&mut m, code(KeyCode::Tab)); // type
    press(&mut m, code(KeyCode::Right)); // stage 2 -> surveillance 1
    press(&mut m, code(KeyCode::Tab)); // start
    keys(&mut m, "24/11/2026");
    assert!(press(&mut m, ctrl('s')).is_empty());
    assert!(
        m.message
            .as_deref()
            .unwrap_or_default()
            .contains("YYYY-MM-DD")
    );
    for _ in 0.."24/11/2026".len() {
        press(&mut m, code(KeyCode::Backspace));
    }
    keys(&mut m, "2026-11-24");
    press(&mut m, code(KeyCode::Tab)); // end
    press(&mut m, code(KeyCode::Tab)); // lead auditor (already set)
    press(&mut m, code(KeyCode::Tab)); // team
    // One member a line: Enter starts the next.
    keys(&mut m, "Roe, Jane");
    press(&mut m, code(KeyCode::Enter));
    keys(&mut m, "Sam Lee (technical expert)");
    let effects = press(&mut m, ctrl('s'));
    assert_eq!(saves(&effects).len(), 1);
    assert!(m.popups.is_empty());
    let meta = &m.record.meta;
    assert_eq!(meta.site.as_deref(), Some("Manchester"));
    assert_eq!(meta.audit_type, AuditType::Surveillance1);
    assert_eq!(
        meta.start.map(|d| d.to_string()).as_deref(),
        Some("2026-11-24")
    );
    assert_eq!(
        meta.team,
        [
            Member::new("Lee Auditor", Role::LeadAuditor),
            Member::new("Roe, Jane", Role::Auditor),
            Member::new("Sam Lee", Role::TechnicalExpert),
        ],
        "a comma stays in the name"
    );

    // Emptying the date field clears the date.
    keys(&mut m, "m");
    for _ in 0..4 {
        press(&mut m, code(KeyCode::Tab));
    }
    for _ in 0.."2026-11-24".len() {
        press(&mut m, code(KeyCode::Backspace));
    }
    assert_eq!(saves(&press(&mut m, ctrl('s'))).len(), 1);
    assert_eq!(m.record.meta.start, None);
}

#[test]
fn the_metadata_form_refuses_a_team_member_whose_role_it_does_not_know() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "m");
    for _ in 0..7 {
        press(&mut m, code(KeyCode::Tab)); // … lead auditor, team
    }
    keys(&mut m, "A. Auditor (technical expert, ML)");
    press(&mut m, code(KeyCode::Enter));
    keys(&mut m, "B. Auditor");
    assert!(saves(&press(&mut m, ctrl('s'))).is_empty());
    let message = m.message.as_deref().unwrap_or_default();
    assert!(
        message.contains("'technical expert, ML' is not a role"),
        "{message}"
    );
    assert!(
        matches!(m.popups.last(), Some(Popup::Meta(_))),
        "the form stays open"
    );
    assert_eq!(
        m.record.meta.team,
        [Member::new("Lee Auditor", Role::LeadAuditor)]
    );
    insta::assert_snapshot!("details_form_team_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("details_form_team_120x40", screen(&mut m, 120, 40));
}

#[test]
fn finder_lists_move_with_the_arrows_and_enter_on_a_finding_selects_it() {
    let mut m = busy_model();
    keys(&mut m, "/");
    keys(&mut m, "risk");
    settle(&mut m);
    let Some(Popup::Finder(f)) = m.popups.last() else {
        panic!("finder")
    };
    assert!(f.hits.len() >= 3);
    let first = f.hits[0].clone();
    let second = f.hits[1].clone();
    press(&mut m, code(KeyCode::Down));
    press(&mut m, code(KeyCode::Down));
    press(&mut m, code(KeyCode::Up));
    press(&mut m, code(KeyCode::Enter));
    assert_ne!(first, second);
    assert_eq!(
        fieldaudit::finder::Target::Requirement(m.current().unwrap().clone()),
        second.target
    );
    // A finding is found by its words; Enter selects it under its requirement.
    keys(&mut m, "/");
    keys(&mut m, "NC-001");
    press(&mut m, code(KeyCode::Enter));
    assert_eq!(m.current(), Some(&req("4.2")));
    assert!(matches!(m.item, Some(Item::Finding(_))));
    act(&mut m, Action::FirstRequirement);
    assert_eq!(m.cursor, 0);
}

#[test]
fn the_finder_finds_a_note_by_its_interviewee_and_enter_selects_it() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "/5.1");
    press(&mut m, code(KeyCode::Enter));
    assert_eq!(m.current(), Some(&req("5.1")));
    keys(&mut m, "i");
    keys(&mut m, "Chairs the quarterly AI risk review herself");
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Eleanor Marsh");
    assert_eq!(saves(&press(&mut m, ctrl('s'))).len(), 1);
    act(&mut m, Action::FirstRequirement);
    m.item = None;
    // The finder opened after the note was added finds it.
    keys(&mut m, "/Eleanor Marsh");
    press(&mut m, code(KeyCode::Enter));
    assert!(m.popups.is_empty());
    assert_eq!(m.current(), Some(&req("5.1")));
    assert_eq!(m.item, Some(Item::Note(1)));
}

#[test]
fn a_finding_is_edited_in_its_form_and_shift_tab_goes_back_a_field() {
    let mut m = busy_model();
    act(&mut m, Action::NextItem); // the note
    act(&mut m, Action::NextItem); // the finding
    assert!(matches!(m.item, Some(Item::Finding(_))));
    act(&mut m, Action::EditItem);
    press(&mut m, code(KeyCode::BackTab)); // statement -> grade
    press(&mut m, code(KeyCode::Right)); // minor -> observation
    let effects = press(&mut m, ctrl('s'));
    let [Edit::EditFinding { grade, .. }] = <[Edit; 1]>::try_from(saves(&effects)).unwrap() else {
        panic!("expected an edit")
    };
    assert_eq!(grade, Some(Grade::Observation));
    assert_eq!(m.record.findings[0].id.to_string(), "OBS-001");
}

#[test]
fn only_your_own_notes_can_be_edited() {
    let mut m = busy_model();
    m.author = "Someone Else".into();
    act(&mut m, Action::NextItem);
    act(&mut m, Action::EditItem);
    assert!(m.popups.is_empty());
    assert!(
        m.message
            .as_deref()
            .unwrap_or_default()
            .contains("only your own notes")
    );
}

#[test]
fn help_and_dashboard_open_and_close() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "?");
    assert!(matches!(m.popups.last(), Some(Popup::Help(_))));
    press(&mut m, code(KeyCode::Esc));
    keys(&mut m, "d");
    assert!(matches!(m.popups.last(), Some(Popup::Dashboard)));
    keys(&mut m, "jj");
    assert_eq!(m.overlay_scroll, 10);
    keys(&mut m, "k");
    assert_eq!(m.overlay_scroll, 5);
    keys(&mut m, "d");
    assert!(m.popups.is_empty());
    keys(&mut m, "d");
    assert_eq!(
        m.overlay_scroll, 0,
        "a reopened dashboard starts at the top"
    );
    press(&mut m, code(KeyCode::Esc));
    keys(&mut m, "q");
    assert!(m.quit);
}

#[test]
fn paging_and_scrolling_move_by_a_page() {
    let mut m = model(&["iso42001-2023"]);
    m.page = 10;
    act(&mut m, Action::PageDown);
    assert_eq!(m.cursor, 11);
    act(&mut m, Action::ScrollDown);
    assert_eq!(m.detail_scroll, 5);
    act(&mut m, Action::NextRequirement);
    assert_eq!(m.detail_scroll, 0, "a new requirement starts at the top");
    act(&mut m, Action::PageUp);
    act(&mut m, Action::PageUp);
    assert_eq!(m.cursor, 0);
}

#[test]
fn tab_selects_items_which_can_be_edited_and_deleted() {
    let mut m = model(&["iso42001-2023"]);
    Edit::AddNote {
        req: req("4.1"),
        text: "first".into(),
        interviewee: None,
        internal: false,
    }
    .apply(&mut m.record, &at())
    .unwrap();
    act(&mut m, Action::NextItem);
    assert_eq!(m.item, Some(Item::Note(1)));
    act(&mut m, Action::EditItem);
    keys(&mut m, " and more");
    let effects = press(&mut m, ctrl('s'));
    assert_eq!(
        saves(&effects),
        [Edit::EditNote {
            req: req("4.1"),
            id: 1,
            text: "first and more".into()
        }]
    );
    assert_eq!(m.item, Some(Item::Note(1)), "still selected after the edit");
    act(&mut m, Action::DeleteItem);
    let effects = keys(&mut m, "y");
    assert_eq!(
        saves(&effects),
        [Edit::RemoveNote {
            req: req("4.1"),
            id: 1
        }]
    );
    assert_eq!(m.record.notes_total(), 0);
}

#[test]
fn saved_records_replace_the_shown_one_and_failures_are_kept_for_retry() {
    let mut m = model(&["iso42001-2023"]);
    let effects = keys(&mut m, "c");
    let Effect::Save(p) = &effects[0] else {
        panic!("a save")
    };
    // Meanwhile another process added a note on disk.
    let mut on_disk = record(&["iso42001-2023"]);
    Edit::AddNote {
        req: req("5.1"),
        text: "from the CLI".into(),
        interviewee: None,
        internal: false,
    }
    .apply(&mut on_disk, &at())
    .unwrap();
    p.edit.apply(&mut on_disk, &p.change).unwrap();
    update(
        &mut m,
        Msg::Saved {
            seq: p.seq,
            record: Box::new(on_disk),
            at: at().at,
        },
    );
    assert!(matches!(m.save, SaveState::Saved(Some(_))));
    assert_eq!(m.record.notes_total(), 1);
    assert_eq!(m.record.verdict(&req("4.1")), Verdict::Conforming);

    let effects = keys(&mut m, "jx");
    let Effect::Save(p) = &effects[0] else {
        panic!("a save")
    };
    update(
        &mut m,
        Msg::SaveFailed {
            seq: p.seq,
            message: "disk full".into(),
        },
    );
    assert_eq!(
        m.save,
        SaveState::Failed {
            message: "disk full".into(),
            unsaved: 1
        }
    );
    assert_eq!(
        m.record.verdict(&req("4.2")),
        Verdict::Nonconforming,
        "the edit stays in memory"
    );
    // Quitting now asks first.
    keys(&mut m, "q");
    assert!(!m.quit && matches!(m.popups.last(), Some(Popup::Confirm(_))));
    keys(&mut m, "n");
    let retry = press(&mut m, ctrl('r'));
    assert_eq!(saves(&retry).len(), 1);
    assert!(m.failed.is_empty());
}

#[test]
fn changes_made_on_disk_by_others_appear_and_a_broken_file_is_reported() {
    let mut m = busy_model();
    let before = m.save.clone();
    let mut on_disk = m.record.clone();
    Edit::SetVerdict {
        req: req("9.2.1"),
        verdict: Verdict::Conforming,
        justification: None,
    }
    .apply(&mut on_disk, &at())
    .unwrap();
    update(&mut m, Msg::Reloaded(Box::new(on_disk)));
    assert_eq!(m.record.verdict(&req("9.2.1")), Verdict::Conforming);
    assert_eq!(m.save, before, "a reload is not a save of ours");
    update(
        &mut m,
        Msg::DiskError(Box::new(fieldaudit::audit::StoreError::Parse {
            error: fieldaudit::ronfile::ParseError {
                path: "a.ron".into(),
                line: 3,
                column: 1,
                message: "Unexpected end of RON".into(),
            },
            backup: None,
        })),
    );
    assert!(
        m.message
            .as_deref()
            .unwrap_or_default()
            .contains("a.ron:3:1")
    );
    assert_eq!(
        m.record.verdict(&req("9.2.1")),
        Verdict::Conforming,
        "the screen is kept"
    );
}

#[test]
fn actions_read_from_json_like_a_script() {
    let script =
        r#"["next_requirement", {"set_verdict": "nonconforming"}, "open_finder", "close"]"#;
    let actions: Vec<Action> = serde_json::from_str(script).unwrap();
    let mut m = model(&["iso42001-2023"]);
    for a in actions {
        act(&mut m, a);
    }
    assert_eq!(m.record.verdict(&req("4.2")), Verdict::Nonconforming);
    assert!(m.popups.is_empty());
}

// ---- screens -------------------------------------------------------------

fn screen(m: &mut Model, width: u16, height: u16) -> String {
    // As the run loop does: the terminal's size arrives before a frame.
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

/// A record with some of everything, at fixed times.
fn busy_model() -> Model {
    let mut m = model(&["iso42001-2023"]);
    let who = at();
    for (id, v) in [
        ("4.1", Verdict::Conforming),
        ("4.2", Verdict::Nonconforming),
        ("4.3", Verdict::Conforming),
    ] {
        Edit::SetVerdict {
            req: req(id),
            verdict: v,
            justification: None,
        }
        .apply(&mut m.record, &who)
        .unwrap();
    }
    Edit::AddNote {
        req: req("4.2"),
        text: "Interested-party list omits affected loan applicants".into(),
        interviewee: Some("Priya Shah".into()),
        internal: false,
    }
    .apply(&mut m.record, &who)
    .unwrap();
    Edit::AddFinding {
        grade: Grade::Minor,
        requirements: vec![req("4.2")],
        statement: "People affected by credit decisions are not identified as interested parties."
            .into(),
        objective_evidence: Some("interested-parties.csv (v2, 2026-08-01)".into()),
    }
    .apply(&mut m.record, &who)
    .unwrap();
    keys(&mut m, "j");
    m
}

#[test]
fn snapshot_main_screen() {
    let mut m = busy_model();
    insta::assert_snapshot!("main_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("main_120x40", screen(&mut m, 120, 40));
}

#[test]
fn snapshot_finder() {
    let mut m = busy_model();
    keys(&mut m, "/risk");
    settle(&mut m);
    insta::assert_snapshot!("finder_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("finder_120x40", screen(&mut m, 120, 40));
}

#[test]
fn an_edited_note_or_finding_says_when_and_by_whom() {
    let mut m = busy_model();
    let plain = screen(&mut m, 160, 60);
    assert!(plain.contains("interviewee Priya Shah"), "{plain}");
    assert!(!plain.contains("edited"), "{plain}");
    let later = |time: &str, by: &str| Change {
        by: by.into(),
        at: DateTime::parse_from_rfc3339(time).unwrap(),
    };
    Edit::EditNote {
        req: req("4.2"),
        id: 1,
        text: "Interested-party list omits loan applicants".into(),
    }
    .apply(
        &mut m.record,
        &later("2026-11-24T14:32:00+00:00", "Jane Doe"),
    )
    .unwrap();
    Edit::EditFinding {
        id: m.record.findings[0].id,
        grade: None,
        statement: Some("Loan applicants are not identified as interested parties.".into()),
        objective_evidence: None,
        also: None,
    }
    .apply(
        &mut m.record,
        &later("2026-11-25T09:05:00+00:00", "Sam Reid"),
    )
    .unwrap();
    let shown = screen(&mut m, 160, 60);
    let line = |start: &str| {
        shown
            .lines()
            .find(|l| l.contains(start))
            .unwrap_or_else(|| panic!("no line with {start}:\n{shown}"))
            .to_string()
    };
    // On the note's own line, the time only (same day as it was written).
    assert!(
        line("interviewee Priya Shah")
            .contains("(1, interviewee Priya Shah)  edited 14:32 by Jane Doe"),
        "{shown}"
    );
    // On the finding's line, with the date (not the day it was raised).
    assert!(
        line("NC-001 minor nonconformity")
            .contains("NC-001 minor nonconformity  edited 2026-11-25 09:05 by Sam Reid"),
        "{shown}"
    );
}

#[test]
fn snapshot_finding_form() {
    let mut m = busy_model();
    keys(&mut m, "nThe scope statement omits the HelpMate assistant");
    insta::assert_snapshot!("finding_form_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("finding_form_120x40", screen(&mut m, 120, 40));
}

#[test]
fn snapshot_dashboard_and_help() {
    let mut m = busy_model();
    keys(&mut m, "d");
    insta::assert_snapshot!("dashboard_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("dashboard_120x40", screen(&mut m, 120, 40));
    keys(&mut m, "jjj");
    let scrolled = screen(&mut m, 80, 24);
    assert!(scrolled.contains("Not yet assessed (67)"), "{scrolled}");
    press(&mut m, code(KeyCode::Esc));
    keys(&mut m, "?");
    insta::assert_snapshot!("help_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("help_120x40", screen(&mut m, 120, 40));
}

#[test]
fn a_tiny_terminal_gets_a_message_not_a_panic() {
    let mut m = busy_model();
    let out = screen(&mut m, 20, 5);
    assert!(out.contains("Terminal too"), "{out}");
    keys(&mut m, "n");
    let out = screen(&mut m, 20, 5);
    assert!(out.contains("small"), "{out}");
}

// ---- evidence -------------------------------------------------------------

use fieldaudit::evidence::Bundle;
use fieldaudit::tui::model::Screen;
use fieldaudit::tui::screen::evidence::EvidenceWork;

/// A model with a small folder bundle listed and hashed.
fn with_bundle(dir: &std::path::Path) -> Model {
    std::fs::create_dir_all(dir.join("03-risk")).unwrap();
    std::fs::write(
        dir.join("03-risk/ai-risk-register.csv"),
        "id,risk\nR-1,drift\n",
    )
    .unwrap();
    std::fs::write(dir.join("ai-policy.md"), "# AI policy\n").unwrap();
    let mut m = busy_model();
    let bundle = Bundle::open(dir).unwrap();
    let listing = bundle.list().unwrap();
    let hashes: Vec<(String, Result<String, String>)> = listing
        .entries
        .iter()
        .map(|e| {
            let digest = fieldaudit::evidence::hash::hash_entry(&bundle, e).unwrap();
            (
                e.path.clone(),
                Ok(fieldaudit::evidence::hash::to_hex(&digest)),
            )
        })
        .collect();
    let progress = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    update(
        &mut m,
        Msg::EvidenceOpened {
            result: Ok(Box::new((bundle, listing))),
            progress,
        },
    );
    update(&mut m, Msg::EvidenceHashed(hashes));
    m
}

fn evidence_work(effects: &[Effect]) -> Vec<EvidenceWork> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Evidence(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn b_shows_the_bundle_moves_ask_for_previews_and_l_links_to_the_requirement() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = with_bundle(dir.path());
    let req_before = m.current().cloned().unwrap();
    let effects = keys(&mut m, "b");
    assert_eq!(m.screen, Screen::Evidence);
    let [EvidenceWork::Preview(first)] =
        <[EvidenceWork; 1]>::try_from(evidence_work(&effects)).unwrap()
    else {
        panic!("a preview of the first file")
    };
    assert_eq!(first.path, "03-risk/ai-risk-register.csv");
    let effects = keys(&mut m, "j");
    assert!(
        matches!(&evidence_work(&effects)[..], [EvidenceWork::Preview(e)] if e.path == "ai-policy.md")
    );
    keys(&mut m, "k");
    let effects = keys(&mut m, "l");
    let [EvidenceWork::PinAndLink(entry, target)] =
        <[EvidenceWork; 1]>::try_from(evidence_work(&effects)).unwrap()
    else {
        panic!("link work")
    };
    assert_eq!(target, LinkTarget::Requirement(req_before.clone()));
    let sha = fieldaudit::evidence::hash::to_hex(
        &fieldaudit::evidence::hash::hash_entry(&Bundle::open(dir.path()).unwrap(), &entry)
            .unwrap(),
    );
    let effects = update(
        &mut m,
        Msg::Pinned {
            path: entry.path.clone(),
            result: Ok((sha.clone(), entry.size)),
            target,
        },
    );
    assert_eq!(saves(&effects).len(), 1);
    let links = &m.record.assessment(&req_before).unwrap().evidence;
    assert_eq!(
        (links[0].path.as_str(), links[0].sha256.as_str()),
        ("03-risk/ai-risk-register.csv", sha.as_str())
    );
    assert!(
        m.message
            .as_deref()
            .unwrap_or_default()
            .starts_with("linked 03-risk/ai-risk-register.csv")
    );
    // Back on the requirement the citation shows as unchanged.
    keys(&mut m, "b");
    assert_eq!(m.screen, Screen::Requirements);
    let shown = screen(&mut m, 120, 40);
    assert!(
        shown.contains("file 03-risk/ai-risk-register.csv"),
        "{shown}"
    );
    assert!(shown.contains("✓"), "{shown}");
    // If the bundle's copy changes, the badge says so.
    if let Some(view) = m.evidence.as_mut() {
        view.hashes
            .insert("03-risk/ai-risk-register.csv".into(), Ok("0".repeat(64)));
    }
    let shown = screen(&mut m, 120, 40);
    assert!(shown.contains("⚠ CHANGED"), "{shown}");
}

#[test]
fn with_a_finding_selected_l_cites_the_file_in_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = with_bundle(dir.path());
    act(&mut m, Action::NextItem);
    act(&mut m, Action::NextItem);
    let Some(Item::Finding(id)) = m.item else {
        panic!("finding selected")
    };
    keys(&mut m, "b");
    let effects = keys(&mut m, "l");
    assert!(
        matches!(&evidence_work(&effects)[..], [EvidenceWork::PinAndLink(_, LinkTarget::Finding(f))] if *f == id)
    );
}

#[test]
fn the_finder_finds_evidence_paths_and_enter_opens_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = with_bundle(dir.path());
    keys(&mut m, "/riskreg");
    settle(&mut m);
    let Some(Popup::Finder(f)) = m.popups.last() else {
        panic!("finder")
    };
    assert_eq!(
        f.hits[0].target,
        fieldaudit::finder::Target::Evidence("03-risk/ai-risk-register.csv".into())
    );
    let effects = press(&mut m, code(KeyCode::Enter));
    assert_eq!(m.screen, Screen::Evidence);
    assert!(
        matches!(&evidence_work(&effects)[..], [EvidenceWork::Preview(e)] if e.path == "03-risk/ai-risk-register.csv")
    );
}

#[test]
fn without_a_bundle_b_says_how_to_give_one() {
    let mut m = busy_model();
    keys(&mut m, "b");
    assert_eq!(m.screen, Screen::Requirements);
    assert!(
        m.message
            .as_deref()
            .unwrap_or_default()
            .contains("--evidence PATH")
    );
}

/// The evidence screen's first file arrives previewed as `text`.
fn previewed(m: &mut Model, text: &str) {
    let preview = fieldaudit::evidence::preview::Preview {
        kind: fieldaudit::evidence::preview::FileKind::Text,
        text: text.into(),
        truncated: false,
        note: None,
        tables: Vec::new(),
    };
    update(
        m,
        Msg::Previewed {
            path: "03-risk/ai-risk-register.csv".into(),
            result: Ok(preview),
        },
    );
}

#[test]
fn snapshot_evidence_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = with_bundle(dir.path());
    keys(&mut m, "b");
    previewed(&mut m, "id,risk\nR-1,drift");
    insta::assert_snapshot!("evidence_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("evidence_120x40", screen(&mut m, 120, 40));
}

#[test]
fn evidence_preview_keeps_the_files_lines_and_marks_wrapped_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = with_bundle(dir.path());
    keys(&mut m, "b");
    let long = "This line of the policy is much wider than the preview pane is at 80 columns";
    previewed(&mut m, &format!("{long}\nshort line\n| a | b |"));
    let shown = screen(&mut m, 80, 24);
    // The pane's text column: right of the tree, inside the border.
    let rows: Vec<String> = shown
        .lines()
        .filter_map(|l| {
            let right: String = l.chars().skip(32).collect();
            let inner = right.strip_prefix('│')?;
            Some(inner.trim_end_matches(['│', ' ']).to_string())
        })
        .collect();
    let at = rows
        .iter()
        .position(|r| r.starts_with("This line of the policy"))
        .unwrap_or_else(|| panic!("{shown}"));
    // The wide line goes on under a mark; the next file line starts afresh.
    assert!(rows[at + 1].starts_with("↪ "), "{shown}");
    let short = rows.iter().position(|r| r == "short line").expect(&shown);
    assert!(
        rows[at + 1..short].iter().all(|r| r.starts_with("↪ ")),
        "{shown}"
    );
    assert_eq!(rows[short + 1], "| a | b |", "{shown}");
}

#[test]
fn hashing_progress_shows_in_the_status_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), vec![b'x'; 1000]).unwrap();
    let mut m = busy_model();
    let bundle = Bundle::open(dir.path()).unwrap();
    let listing = bundle.list().unwrap();
    let progress = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(250));
    update(
        &mut m,
        Msg::EvidenceOpened {
            result: Ok(Box::new((bundle, listing))),
            progress,
        },
    );
    let shown = screen(&mut m, 80, 24);
    assert!(shown.contains("hashing 25%"), "{shown}");
    update(&mut m, Msg::EvidenceHashed(vec![]));
    assert!(!screen(&mut m, 80, 24).contains("hashing"));
}

// ---- sign-off -------------------------------------------------------------

use fieldaudit::audit::{MetaEdit, store};
use fieldaudit::report::keys::{self, Protection};
use fieldaudit::tui::signoff::PackJob;

fn details() -> MetaEdit {
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d);
    MetaEdit {
        scope: Some("Credit-scoring AI".into()),
        start: Some(day(24)),
        end: Some(day(25)),
        certification_body: Some("Example Certification Ltd".into()),
        statements: [
            (Statement::ClientAddress, "1 Example Road, Leeds"),
            (Statement::Changes, "none"),
            (Statement::Deviations, "none"),
            (Statement::Unresolved, "none"),
            (Statement::Sampling, "The risk register"),
        ]
        .map(|(which, text)| (which, text.to_string()))
        .to_vec(),
        time: [
            (TimeFigure::Planned, "1"),
            (TimeFigure::OnSite, "1"),
            (TimeFigure::Remote, "0"),
        ]
        .map(|(which, days)| (which, days.parse().ok()))
        .to_vec(),
        ..MetaEdit::default()
    }
}

/// A complete 42001 record saved in `dir`, opened as the TUI opens it, with
/// a password-protected key `lead.key` beside it.
fn complete_on_disk(dir: &std::path::Path) -> Model {
    let who = at();
    let mut r = record(&["iso42001-2023"]);
    r.set_meta(&who, details()).unwrap();
    let catalog = r.catalog().unwrap();
    for (req, _, _) in catalog.requirements() {
        r.set_verdict(&who, &req, Verdict::Conforming, None)
            .unwrap();
    }
    let concluded = Conclusion {
        recommendation: Recommendation::Recommend,
        reasoning: "Every requirement conforms".into(),
        scope_appropriate: Some(true),
        effectiveness: None,
        objectives_met: Some(true),
        at: who.at,
        by: String::new(),
    };
    r.conclude(&who, concluded).unwrap();
    let path = dir.join("a.ron");
    store::create(&path, &r).unwrap();
    keys::keygen(
        &dir.join("lead"),
        Protection::Password("correct horse".into()),
    )
    .unwrap();
    Model::new(path, r, catalog, "Lee Auditor".into())
}

fn pack_job(effects: Vec<Effect>) -> PackJob {
    let mut jobs: Vec<PackJob> = effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Pack(job) => Some(job),
            _ => None,
        })
        .collect();
    assert_eq!(jobs.len(), 1, "one pack job");
    jobs.remove(0)
}

fn form_error(m: &Model) -> String {
    match m.popups.last() {
        Some(Popup::SignOff(f)) => f.error.clone().unwrap_or_default(),
        _ => panic!("the sign-off form is not on top"),
    }
}

#[test]
fn sign_off_lists_what_is_missing_refuses_a_final_report_and_ctrl_g_goes_there() {
    let mut m = busy_model();
    keys(&mut m, "S");
    let Some(Popup::SignOff(form)) = m.popups.last() else {
        panic!("S opens the sign-off form");
    };
    assert!(form.draft, "an incomplete record starts on draft");
    assert_eq!(form.missing[0].to_string(), "metadata: scope");
    insta::assert_snapshot!("signoff_incomplete_80x24", screen(&mut m, 80, 24));

    // Final is refused, with the count and the way out.
    press(&mut m, code(KeyCode::Left));
    let effects = press(&mut m, ctrl('s'));
    assert!(effects.is_empty());
    let error = form_error(&m);
    assert!(
        error.contains("item(s) missing for a final report") && error.contains("Ctrl-G"),
        "{error}"
    );
    assert!(screen(&mut m, 80, 24).contains("item(s) missing for a final"));

    // Ctrl-G: the metadata first, then, once complete, the first unassessed requirement.
    press(&mut m, ctrl('g'));
    assert!(matches!(m.popups.last(), Some(Popup::Meta(_))));
    m.popups.clear();
    Edit::SetMeta(details())
        .apply(&mut m.record, &at())
        .unwrap();
    keys(&mut m, "gS");
    press(&mut m, ctrl('g'));
    assert!(m.popups.is_empty());
    assert_eq!(m.current(), Some(&req("4.4")));
    assert_eq!(
        m.message.as_deref(),
        Some("missing: iso42001-2023:4.4: no verdict")
    );
}

#[test]
fn a_complete_record_is_signed_from_the_form_with_its_password_and_then_locked() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = complete_on_disk(dir.path());
    keys(&mut m, "S");
    let Some(Popup::SignOff(form)) = m.popups.last() else {
        panic!("S opens the sign-off form");
    };
    assert!(!form.draft, "a complete record starts on final");
    assert_eq!(form.signer.text(), "Lee Auditor");
    assert_eq!(
        form.key.text(),
        dir.path().join("lead.key").display().to_string(),
        "the only key beside the record is offered"
    );
    let shown = screen(&mut m, 80, 24);
    assert!(
        shown.contains("Signing confirms: I, Lee Auditor, confirm"),
        "{shown}"
    );

    // No password for a protected key: the form says where to type it.
    let job = pack_job(press(&mut m, code(KeyCode::Enter)));
    update(&mut m, Msg::Packed(job.run().map(Box::new)));
    assert!(
        form_error(&m).contains("protected by a password; type it in the Key password field"),
        "{}",
        form_error(&m)
    );

    // A wrong password: the packer says so, the form asks again, empty.
    keys(&mut m, "wrong horse");
    assert!(screen(&mut m, 80, 24).contains("•••••••••••"));
    let job = pack_job(press(&mut m, code(KeyCode::Enter)));
    assert!(matches!(m.popups.last(), Some(Popup::Packing(_))));
    let packing = screen(&mut m, 80, 24);
    assert!(
        packing.contains("Packing and signing the report") && packing.contains("Esc cancel"),
        "{packing}"
    );
    let out = job.out.clone();
    update(&mut m, Msg::Packed(job.run().map(Box::new)));
    assert!(
        form_error(&m).contains("wrong password"),
        "{}",
        form_error(&m)
    );
    let Some(Popup::SignOff(form)) = m.popups.last() else {
        panic!("the form stays");
    };
    assert_eq!(form.password.text(), "");
    assert!(!out.exists());

    // The right one: packed, signed, verified, and the record locked.
    keys(&mut m, "correct horse");
    let screen_text = screen(&mut m, 120, 40);
    assert!(!screen_text.contains("correct horse"), "{screen_text}");
    let job = pack_job(press(&mut m, ctrl('s')));
    let progress = std::sync::Arc::clone(&job.progress);
    update(&mut m, Msg::Packed(job.run().map(Box::new)));
    assert_eq!(
        progress.done.load(std::sync::atomic::Ordering::Relaxed),
        progress.total.load(std::sync::atomic::Ordering::Relaxed)
    );
    let Some(Popup::Notice(notice)) = m.popups.last() else {
        panic!("a notice says what was made: {:?}", m.message);
    };
    assert_eq!(notice.title, " Report signed ");
    assert!(notice.lines[1].starts_with("Signed off by Lee Auditor at "));
    let public = keys::load_public(&dir.path().join("lead.pub")).unwrap();
    let verdict = fieldaudit::report::verify::verify(&out, Some(&public)).unwrap();
    assert!(verdict.ok(), "{:?}", verdict.problems);
    assert!(m.record.sign_off.is_some());
    assert!(store::load(&m.path).unwrap().sign_off.is_some());
    press(&mut m, code(KeyCode::Esc));
    assert!(m.popups.is_empty());
    assert!(screen(&mut m, 80, 24).contains("SIGNED OFF by Lee Auditor, read-only"));
    // A locked record refuses changes, saying why.
    let effects = keys(&mut m, "c");
    assert!(saves(&effects).is_empty());
    let message = m.message.clone().unwrap_or_default();
    assert!(message.contains("signed off"), "{message}");
    // Signing again is refused; a draft may still be packed.
    keys(&mut m, "S");
    press(&mut m, code(KeyCode::Left));
    press(&mut m, ctrl('s'));
    assert!(
        form_error(&m).contains("already signed off"),
        "{}",
        form_error(&m)
    );
}

#[test]
fn esc_while_packing_cancels_and_leaves_no_report_and_an_open_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = complete_on_disk(dir.path());
    keys(&mut m, "S");
    keys(&mut m, "correct horse");
    let job = pack_job(press(&mut m, ctrl('s')));
    let out = job.out.clone();
    press(&mut m, code(KeyCode::Esc));
    assert_eq!(m.message.as_deref(), Some("cancelling…"));
    assert!(
        matches!(m.popups.last(), Some(Popup::Packing(_))),
        "the bar stays until the packer stops"
    );
    update(&mut m, Msg::Packed(job.run().map(Box::new)));
    assert!(form_error(&m).contains("cancelled"), "{}", form_error(&m));
    assert!(!out.exists());
    assert!(store::load(&m.path).unwrap().sign_off.is_none());
    assert!(m.record.sign_off.is_none());
}

#[test]
fn a_report_name_taken_after_the_form_opened_is_refused_in_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = complete_on_disk(dir.path());
    keys(&mut m, "S");
    let Some(Popup::SignOff(form)) = m.popups.last() else {
        panic!("form");
    };
    let out = std::path::PathBuf::from(form.out.text());
    // Someone writes a file of that name while the auditor types.
    std::fs::write(&out, "not a report").unwrap();
    keys(&mut m, "secret");
    let effects = press(&mut m, ctrl('s'));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Pack(_))),
        "nothing is packed"
    );
    let Some(Popup::SignOff(form)) = m.popups.last() else {
        panic!("the form stays");
    };
    let error = form.error.clone().unwrap_or_default();
    assert!(
        error.contains("already exists; fieldaudit never overwrites"),
        "{error}"
    );
    assert_eq!(form.password.text(), "secret", "the password is kept");
    assert_eq!(std::fs::read(&out).unwrap(), b"not a report");
}

#[test]
fn a_draft_packs_an_incomplete_record_and_leaves_it_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = complete_on_disk(dir.path());
    keys(&mut m, "S");
    // Shift-Tab up to the kind row, then → to draft: the name follows.
    for _ in 0..4 {
        press(&mut m, KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    press(&mut m, code(KeyCode::Right));
    let Some(Popup::SignOff(form)) = m.popups.last() else {
        panic!("form");
    };
    assert!(form.draft);
    assert!(
        form.out.text().ends_with("a-draft.zip"),
        "{}",
        form.out.text()
    );
    assert!(screen(&mut m, 80, 24).contains("not needed for a draft"));
    // Enter on the name (the last row a draft needs) packs.
    press(&mut m, code(KeyCode::Tab));
    let job = pack_job(press(&mut m, code(KeyCode::Enter)));
    update(&mut m, Msg::Packed(job.run().map(Box::new)));
    let Some(Popup::Notice(notice)) = m.popups.last() else {
        panic!("notice");
    };
    assert_eq!(notice.title, " DRAFT packed ");
    assert!(store::load(&m.path).unwrap().sign_off.is_none());
    assert!(dir.path().join("a-draft.zip").exists());
}

#[test]
fn snapshot_packing_progress() {
    let mut m = busy_model();
    keys(&mut m, "S");
    // The draft's name is the last row a draft needs: Enter there packs.
    press(&mut m, code(KeyCode::Tab));
    let job = pack_job(press(&mut m, code(KeyCode::Enter)));
    let starting = screen(&mut m, 80, 24);
    assert!(
        starting.contains("checking the record, unlocking the key"),
        "{starting}"
    );
    job.progress
        .total
        .store(8 << 20, std::sync::atomic::Ordering::Relaxed);
    job.progress
        .done
        .store(3 << 20, std::sync::atomic::Ordering::Relaxed);
    insta::assert_snapshot!("packing_80x24", screen(&mut m, 80, 24));
}

#[cfg(unix)]
#[test]
fn the_sign_off_form_refuses_a_secret_key_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut m = complete_on_disk(dir.path());
    let key = dir.path().join("lead.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    keys(&mut m, "S");
    keys(&mut m, "correct horse");
    let job = pack_job(press(&mut m, ctrl('s')));
    let out = job.out.clone();
    update(&mut m, Msg::Packed(job.run().map(Box::new)));
    let error = form_error(&m);
    assert!(
        error.contains("can be read by others") && error.contains("chmod 600"),
        "{error}"
    );
    assert!(!out.exists());
    assert!(store::load(&m.path).unwrap().sign_off.is_none());
}

/// Ratatui drops control characters when text from the record becomes
/// cells; this keeps it so: a hostile client name, note, interviewee or
/// finding never puts a raw ESC, BEL or C1 CSI on the terminal.
#[test]
fn control_characters_from_the_record_never_reach_the_screen() {
    const HOSTILE: &str = "\x1b[2J\x1b]0;pwned\x07\u{9b}31m\x7f";
    let who = at();
    let meta = Meta {
        team: vec![Member::new(HOSTILE, Role::LeadAuditor)],
        ..Meta::new(HOSTILE, AuditType::Stage2)
    };
    let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
    let mut r = AuditRecord::new(meta, criteria, None, &who);
    let req = req("4.1");
    r.add_note(&who, &req, format!("seen {HOSTILE}"), Some(HOSTILE.into()))
        .unwrap();
    r.add_finding(
        &who,
        Grade::Minor,
        vec![req],
        format!("stated {HOSTILE}"),
        None,
    )
    .unwrap();
    let catalog = r.catalog().unwrap();
    let mut m = Model::new(PathBuf::from("a.ron"), r, catalog, HOSTILE.into());
    let raw = |shown: &str| shown.chars().any(|c| c.is_control() && c != '\n');
    let main = screen(&mut m, 120, 40);
    assert!(main.contains("seen [2J]0;pwned31m"), "{main}");
    assert!(!raw(&main), "{main:?}");
    keys(&mut m, "d");
    let dashboard = screen(&mut m, 120, 40);
    assert!(!raw(&dashboard), "{dashboard:?}");
    press(&mut m, code(KeyCode::Esc));
    // The finding's form, where the statement is edited as text.
    act(&mut m, Action::NextItem);
    act(&mut m, Action::NextItem);
    act(&mut m, Action::EditItem);
    let form = screen(&mut m, 120, 40);
    assert!(form.contains("stated [2J]0;pwned31m"), "{form}");
    assert!(!raw(&form), "{form:?}");
}

// ---- what gets in an auditor's way (issue 10) -----------------------------

/// A long note, typed as an auditor would in an interview.
const LONG_NOTE: &str = "The head of data science explained that every model change goes through the change advisory board, which reviews the impact assessment before release, and showed the minutes of the last two meetings";

#[test]
fn a_long_note_wraps_at_word_boundaries_as_it_is_typed() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "i");
    keys(&mut m, LONG_NOTE);
    let shown = screen(&mut m, 80, 24);
    // Every word is on screen, whole: nothing scrolled away sideways.
    for word in ["head", "explained", "advisory", "assessment", "meetings"] {
        assert!(shown.contains(word), "{word} not shown:\n{shown}");
    }
    assert!(
        !shown.contains("advis\n") && !shown.contains("assess\n"),
        "words are not cut at the edge:\n{shown}"
    );
    insta::assert_snapshot!("note_form_wrapped_80x24", shown);
    insta::assert_snapshot!("note_form_wrapped_120x40", screen(&mut m, 120, 40));
}

#[test]
fn up_and_down_in_a_wrapped_note_move_by_screen_line() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "i");
    keys(&mut m, LONG_NOTE);
    // The screen is drawn after every key; the field learns its width then.
    screen(&mut m, 80, 24);
    press(&mut m, code(KeyCode::Up));
    keys(&mut m, "^");
    let Some(Popup::Note(form)) = m.popups.last() else {
        panic!("the note form")
    };
    let text = form.text.text();
    assert_eq!(text.lines().count(), 1, "still one line of text: {text}");
    let at = text.find('^').unwrap();
    assert!(
        at > 20 && at < LONG_NOTE.len() - 20,
        "↑ went up one screen line within the note, not to its start or end: {text}"
    );
}

/// The first section of the help screen: its title line.
fn help_starts_with(shown: &str) -> String {
    shown
        .lines()
        .nth(2)
        .unwrap_or_default()
        .trim_matches(|c: char| c == '│' || c == ' ')
        .to_string()
}

#[test]
fn help_opened_on_the_evidence_screen_shows_its_keys_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = with_bundle(dir.path());
    keys(&mut m, "b?");
    let shown = screen(&mut m, 80, 24);
    assert_eq!(
        help_starts_with(&shown),
        "Evidence screen (here)",
        "{shown}"
    );
    assert!(
        shown.contains("link file to requirement/finding") && shown.contains("scroll preview"),
        "{shown}"
    );
    insta::assert_snapshot!("help_evidence_80x24", shown);
    insta::assert_snapshot!("help_evidence_120x40", screen(&mut m, 120, 40));
    // The rest follows, further down.
    keys(&mut m, "jj");
    let further = screen(&mut m, 80, 24);
    assert!(further.contains("Requirements screen"), "{further}");
}

#[test]
fn f1_in_a_form_shows_the_forms_keys_and_esc_returns_to_the_text() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "i");
    keys(&mut m, "half a thought");
    press(&mut m, code(KeyCode::F(1)));
    let shown = screen(&mut m, 80, 24);
    assert_eq!(
        help_starts_with(&shown),
        "Forms (note, finding, justification, details) (here)",
        "{shown}"
    );
    assert!(
        shown.contains("Ctrl-S") && shown.contains("←/→/Space"),
        "{shown}"
    );
    press(&mut m, code(KeyCode::Esc));
    let Some(Popup::Note(form)) = m.popups.last() else {
        panic!("back in the note form")
    };
    assert_eq!(form.text.text(), "half a thought");
}

#[test]
fn f1_in_the_sign_off_form_shows_ctrl_g() {
    let mut m = busy_model();
    keys(&mut m, "S");
    press(&mut m, code(KeyCode::F(1)));
    let shown = screen(&mut m, 80, 24);
    assert_eq!(help_starts_with(&shown), "Sign-off form (here)", "{shown}");
    assert!(
        shown.contains("Ctrl-G") && shown.contains("go to the first missing item"),
        "{shown}"
    );
    assert!(shown.contains("on the last field: pack"), "{shown}");
    insta::assert_snapshot!("help_signoff_80x24", shown);
}

#[test]
fn the_detail_pane_says_what_l_does_where_it_does_it() {
    let mut m = busy_model();
    let shown = screen(&mut m, 120, 40);
    assert!(!shown.contains("l links"), "{shown}");
    assert!(
        shown.contains("b opens the bundle; l there cites a file"),
        "{shown}"
    );
}

/// `busy_model`, signed off.
fn signed_model() -> Model {
    let mut m = busy_model();
    m.record.sign_off = Some(fieldaudit::audit::SignOff {
        signer: "Lee Auditor".into(),
        at: at().at,
        key_id: "0123456789ABCDEF".into(),
        statement: "complete and accurate".into(),
        revision: None,
    });
    m
}

#[test]
fn a_signed_off_record_refuses_edit_keys_at_once_and_offers_what_works() {
    let mut m = signed_model();
    let before = m.record.clone();
    for key in ["i", "n", "c", "x", "a", "u", "m"] {
        let effects = keys(&mut m, key);
        assert!(effects.is_empty(), "{key}: {effects:?}");
        assert!(
            m.popups.is_empty(),
            "{key} opened a form on a locked record"
        );
        let message = m.message.clone().unwrap_or_default();
        assert!(
            message.contains("signed off by Lee Auditor") && message.contains("reopen"),
            "{key}: {message}"
        );
    }
    press(&mut m, code(KeyCode::Tab));
    for key in [code(KeyCode::Enter), code(KeyCode::Delete)] {
        assert!(press(&mut m, key).is_empty());
        assert!(m.popups.is_empty());
    }
    assert_eq!(m.record, before);
    // Moving, finding and looking still work, and the hint offers those.
    m.message = None;
    keys(&mut m, "j");
    let shown = screen(&mut m, 80, 24);
    let status = shown.lines().nth(23).unwrap_or_default();
    assert!(
        !status.contains("c OK") && !status.contains("i note"),
        "{status}"
    );
    assert!(
        status.contains("/ find") && status.contains("q quit"),
        "{status}"
    );
    insta::assert_snapshot!("main_signed_off_80x24", shown);
}

/// Deliver a preview read by the library from `content`, as the worker does.
fn previewed_as_read(m: &mut Model, content: &str) {
    let data = content.as_bytes().to_vec();
    let path = "03-risk/ai-risk-register.csv";
    let preview = fieldaudit::evidence::preview::preview(path, data.len() as u64, || {
        Ok(Box::new(std::io::Cursor::new(data)))
    })
    .unwrap();
    update(
        m,
        Msg::Previewed {
            path: path.into(),
            result: Ok(preview),
        },
    );
}

fn evidence_pane(m: &Model) -> &fieldaudit::tui::screen::evidence::pane::Pane {
    &m.evidence.as_ref().unwrap().pane
}

#[test]
fn tab_focuses_the_preview_where_slash_searches_and_n_goes_from_hit_to_hit() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = with_bundle(dir.path());
    keys(&mut m, "b");
    let text: Vec<String> = (1..=60)
        .map(|i| match i {
            12 => "Model drift is reviewed monthly by the risk owner".to_string(),
            47 => "Last drift review: 2026-10-02 (DRIFT within tolerance)".to_string(),
            i => format!("line {i} of the monitoring procedure"),
        })
        .collect();
    previewed(&mut m, &text.join("\n"));
    // With the tree focused, / is the finder.
    keys(&mut m, "/");
    assert!(matches!(m.popups.last(), Some(Popup::Finder(_))));
    press(&mut m, code(KeyCode::Esc));

    press(&mut m, code(KeyCode::Tab));
    let shown = screen(&mut m, 80, 24);
    assert!(
        shown.contains("┌▶ 03-risk/ai-risk-register.csv") && shown.contains("┌ Evidence: 2 files"),
        "the focused pane's title says so:\n{shown}"
    );
    keys(&mut m, "/drift");
    assert_eq!(evidence_pane(&m).at, 11, "the first hit is in view at once");
    press(&mut m, code(KeyCode::Enter));
    let shown = screen(&mut m, 80, 24);
    assert!(shown.contains("/drift: 1 of 2"), "{shown}");
    assert!(shown.contains("Model drift is reviewed"), "{shown}");
    insta::assert_snapshot!("evidence_search_80x24", shown);
    keys(&mut m, "n");
    assert_eq!(
        evidence_pane(&m).at,
        46,
        "DRIFT matches too: case is ignored"
    );
    assert!(screen(&mut m, 120, 40).contains("/drift: 2 of 2"));
    insta::assert_snapshot!("evidence_search_120x40", screen(&mut m, 120, 40));
    keys(&mut m, "n");
    assert_eq!(evidence_pane(&m).at, 11, "wraps round");
    keys(&mut m, "N");
    assert_eq!(evidence_pane(&m).at, 46);
    press(&mut m, code(KeyCode::PageUp));
    assert!(evidence_pane(&m).at < 46);
    // j and k move through the text; Tab gives the keys back to the files.
    let at = evidence_pane(&m).at;
    keys(&mut m, "j");
    assert_eq!(evidence_pane(&m).at, at + 1);
    press(&mut m, code(KeyCode::Tab));
    let effects = keys(&mut m, "j");
    assert!(
        matches!(&evidence_work(&effects)[..], [EvidenceWork::Preview(e)] if e.path == "ai-policy.md"),
        "j moves through the files again"
    );
}

#[test]
fn a_csv_preview_is_a_table_scrolled_sideways_and_enter_shows_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = with_bundle(dir.path());
    keys(&mut m, "b");
    let mut csv = String::from("id,risk,owner,likelihood,impact,treatment,review date,status\n");
    for i in 1..=30 {
        csv.push_str(&format!(
            "R-{i:02},\"Model drift in scoring, segment {i}\",Head of Data Science,possible,major,\"Monthly drift report; retrain when PSI > 0.2\",2026-0{}-15,open\n",
            1 + i % 9
        ));
    }
    previewed_as_read(&mut m, &csv);
    press(&mut m, code(KeyCode::Tab));
    let shown = screen(&mut m, 80, 24);
    assert!(
        shown.contains("id   │ risk"),
        "aligned columns under a header:\n{shown}"
    );
    assert!(
        shown.contains("R-01 │ Model drift in scoring, segment 1"),
        "{shown}"
    );
    assert!(
        !shown.contains("R-01,"),
        "rows are not the file's comma-joined lines:\n{shown}"
    );
    insta::assert_snapshot!("evidence_table_80x24", shown);
    insta::assert_snapshot!("evidence_table_120x40", screen(&mut m, 120, 40));

    // The header stays on top while the rows move.
    press(&mut m, code(KeyCode::PageDown));
    press(&mut m, code(KeyCode::PageDown));
    let shown = screen(&mut m, 80, 24);
    assert!(
        shown.contains("id   │ risk") && shown.contains("R-30"),
        "{shown}"
    );
    assert!(!shown.contains("R-01 "), "{shown}");

    // > scrolls the columns; < back.
    keys(&mut m, ">>");
    let shown = screen(&mut m, 80, 24);
    assert!(
        shown.contains("owner") && !shown.contains("id   │"),
        "{shown}"
    );
    keys(&mut m, "<<");
    assert!(screen(&mut m, 80, 24).contains("id   │ risk"));

    // Enter shows the row's cells in full, each with its column's name.
    keys(&mut m, "gj");
    press(&mut m, code(KeyCode::Enter));
    let Some(Popup::Notice(row)) = m.popups.last() else {
        panic!("Enter shows the row")
    };
    assert!(
        row.lines.contains(&"id: R-02".to_string()),
        "{:?}",
        row.lines
    );
    assert!(
        row.lines
            .contains(&"treatment: Monthly drift report; retrain when PSI > 0.2".to_string()),
        "{:?}",
        row.lines
    );
    press(&mut m, code(KeyCode::Esc));
    assert!(m.popups.is_empty());
}

#[test]
fn esc_after_typing_only_an_interviewee_asks_before_discarding_it() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "i");
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Eleanor Marsh");
    press(&mut m, code(KeyCode::Esc));
    assert!(matches!(m.popups.last(), Some(Popup::Confirm(_))));
    keys(&mut m, "n");
    let Some(Popup::Note(form)) = m.popups.last() else {
        panic!("the note form stays")
    };
    assert_eq!(form.interviewee.text(), "Eleanor Marsh");
}

#[test]
fn r_opens_the_report_details_where_time_and_statements_are_set() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "r");
    assert!(matches!(m.popups.last(), Some(Popup::Report(_))));
    insta::assert_snapshot!("report_form_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("report_form_120x40", screen(&mut m, 120, 40));
    // Report number, objectives, then the address and the time.
    for _ in 0..2 {
        press(&mut m, code(KeyCode::Tab));
    }
    keys(&mut m, "1 High St, Leeds");
    press(&mut m, code(KeyCode::Enter));
    keys(&mut m, "2,5");
    assert!(press(&mut m, ctrl('s')).is_empty(), "2,5 is refused");
    let message = m.message.clone().unwrap_or_default();
    assert!(message.contains("auditor-days"), "{message}");
    assert!(matches!(m.popups.last(), Some(Popup::Report(_))));
    press(&mut m, code(KeyCode::Backspace));
    press(&mut m, code(KeyCode::Backspace));
    keys(&mut m, ".5");
    for _ in 0..5 {
        press(&mut m, code(KeyCode::Enter));
    }
    keys(&mut m, "none");
    assert_eq!(saves(&press(&mut m, ctrl('s'))).len(), 1);
    let facts = &m.record.meta.report;
    assert_eq!(facts.client_address.as_deref(), Some("1 High St, Leeds"));
    assert_eq!(
        facts.planned_days.map(|d| d.to_string()).as_deref(),
        Some("2.5")
    );
    assert_eq!(facts.deviations.as_deref(), Some("none"));
    assert_eq!(
        facts.objectives, None,
        "the default objectives stay a default"
    );
    assert_eq!(facts.response_days_major, None);
}

#[test]
fn ctrl_g_goes_to_the_report_details_when_a_statement_is_missing() {
    let mut m = model(&["iso42001-2023"]);
    m.record.set_meta(&at(), details()).unwrap();
    m.record.meta.report.sampling = None;
    let catalog = m.catalog.clone();
    for (req, _, _) in catalog.requirements() {
        m.record
            .set_verdict(&at(), &req, Verdict::Conforming, None)
            .unwrap();
    }
    keys(&mut m, "S");
    press(&mut m, ctrl('g'));
    assert!(matches!(m.popups.last(), Some(Popup::Report(_))));
    assert_eq!(
        m.message.as_deref(),
        Some("missing: report: what was sampled")
    );
}

#[test]
fn the_conclusion_form_proposes_from_the_findings_and_refuses_an_unconditional_yes_under_a_major() {
    let mut m = busy_model();
    Edit::AddFinding {
        grade: Grade::Major,
        requirements: vec![req("9.2")],
        statement: "No internal audit programme".into(),
        objective_evidence: Some("none shown".into()),
    }
    .apply(&mut m.record, &at())
    .unwrap();
    keys(&mut m, "C");
    let Some(Popup::Conclude(form)) = m.popups.last() else {
        panic!("C opens the conclusion form")
    };
    assert_eq!(form.recommendation, Recommendation::RecommendOnceClosed);
    insta::assert_snapshot!("conclude_form_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("conclude_form_120x40", screen(&mut m, 120, 40));
    // ← goes to the unconditional option; with a major NC open it is refused.
    press(&mut m, code(KeyCode::Left));
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "All good");
    assert!(saves(&press(&mut m, ctrl('s'))).is_empty());
    let message = m.message.clone().unwrap_or_default();
    assert!(
        message.contains("cannot be recommended while major nonconformity NC-002 is open"),
        "{message}"
    );
    assert!(matches!(m.popups.last(), Some(Popup::Conclude(_))));
    press(&mut m, code(KeyCode::BackTab));
    press(&mut m, code(KeyCode::Right));
    assert_eq!(saves(&press(&mut m, ctrl('s'))).len(), 1);
    let c = m.record.conclusion.as_ref().unwrap();
    assert_eq!(c.recommendation, Recommendation::RecommendOnceClosed);
    assert_eq!(c.reasoning, "All good");
    assert_eq!(c.by, "Lee Auditor");
}

#[test]
fn a_requirement_an_nc_cites_refuses_c_and_a_naming_the_nc() {
    let mut m = model(&["iso42001-2023"]);
    m.record
        .add_finding(&at(), Grade::Major, vec![req("4.1")], "s".into(), None)
        .unwrap();
    let effects = keys(&mut m, "c");
    assert!(saves(&effects).is_empty(), "nothing queued");
    assert_eq!(m.record.verdict(&req("4.1")), Verdict::NotAssessed);
    let said = m.message.clone().unwrap_or_default();
    assert!(
        said.contains("cannot be conforming: NC-001 (major) is raised on it"),
        "{said}"
    );
    // Not applicable is asked why, then refused; the form keeps the text.
    keys(&mut m, "a");
    keys(&mut m, "Out of scope");
    assert!(saves(&press(&mut m, ctrl('s'))).is_empty());
    assert!(matches!(m.popups.last(), Some(Popup::Justify(_))));
    let said = m.message.clone().unwrap_or_default();
    assert!(said.contains("cannot be not applicable: NC-001"), "{said}");
    assert_eq!(m.record.verdict(&req("4.1")), Verdict::NotAssessed);
}

/// The question on top, if one is asked.
fn question(m: &Model) -> String {
    match m.popups.last() {
        Some(Popup::Confirm(c)) => c.question.clone(),
        _ => panic!("no question asked"),
    }
}

#[test]
fn an_nc_on_a_conforming_requirement_asks_to_set_it_nonconforming() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "c");
    keys(&mut m, "nNo context review");
    let effects = press(&mut m, ctrl('s'));
    assert!(
        saves(&effects).is_empty(),
        "nothing saved before the answer"
    );
    assert_eq!(
        question(&m),
        "4.1 is marked conforming: set it nonconforming and raise the NC?"
    );
    // No: back in the form, the text kept, nothing changed.
    keys(&mut m, "n");
    let Some(Popup::Finding(form)) = m.popups.last() else {
        panic!("back in the finding form")
    };
    assert_eq!(form.statement.text(), "No context review");
    assert!(m.record.findings.is_empty());
    // Yes: both in one edit, the form closed.
    press(&mut m, ctrl('s'));
    let effects = keys(&mut m, "y");
    let [Edit::SetNonconformingThen { reqs, then }] =
        <[Edit; 1]>::try_from(saves(&effects)).unwrap()
    else {
        panic!("expected one edit doing both")
    };
    assert_eq!(reqs, [req("4.1")]);
    assert!(matches!(
        *then,
        Edit::AddFinding {
            grade: Grade::Minor,
            ..
        }
    ));
    assert!(m.popups.is_empty(), "the form closed");
    assert_eq!(m.record.verdict(&req("4.1")), Verdict::Nonconforming);
    assert_eq!(m.record.findings[0].id.to_string(), "NC-001");
    // An observation needs no question.
    keys(&mut m, "j");
    keys(&mut m, "c");
    keys(&mut m, "nA remark");
    press(&mut m, code(KeyCode::BackTab));
    press(&mut m, code(KeyCode::Right));
    let effects = press(&mut m, ctrl('s'));
    assert!(matches!(
        saves(&effects)[..],
        [Edit::AddFinding {
            grade: Grade::Observation,
            ..
        }]
    ));
    assert!(m.popups.is_empty());
}

#[test]
fn regrading_an_observation_to_an_nc_on_a_conforming_requirement_asks_too() {
    let mut m = model(&["iso42001-2023"]);
    m.record
        .set_verdict(
            &at(),
            &req("4.1"),
            Verdict::NotApplicable,
            Some("why".into()),
        )
        .unwrap();
    m.record
        .add_finding(
            &at(),
            Grade::Observation,
            vec![req("4.1")],
            "s".into(),
            None,
        )
        .unwrap();
    act(&mut m, Action::NextItem);
    assert!(matches!(m.item, Some(Item::Finding(_))));
    act(&mut m, Action::EditItem);
    press(&mut m, code(KeyCode::BackTab)); // statement -> grade
    press(&mut m, code(KeyCode::Left)); // observation -> minor
    press(&mut m, ctrl('s'));
    assert_eq!(
        question(&m),
        "4.1 is marked not applicable: set it nonconforming and make OBS-001 an NC?"
    );
    let effects = keys(&mut m, "y");
    assert_eq!(saves(&effects).len(), 1);
    assert!(m.popups.is_empty());
    assert_eq!(m.record.verdict(&req("4.1")), Verdict::Nonconforming);
    assert_eq!(m.record.findings[0].id.to_string(), "NC-001");
}

#[test]
fn sign_off_lists_a_conforming_verdict_an_nc_cites_and_ctrl_g_goes_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = complete_on_disk(dir.path());
    let who = at();
    m.record
        .set_verdict(&who, &req("8.1"), Verdict::Nonconforming, None)
        .unwrap();
    m.record
        .add_finding(
            &who,
            Grade::Minor,
            vec![req("8.1")],
            "s".into(),
            Some("e".into()),
        )
        .unwrap();
    // As a record made before the rule could hold it.
    m.record.assessments.get_mut(&req("8.1")).unwrap().verdict = Verdict::Conforming;
    keys(&mut m, "S");
    let Some(Popup::SignOff(form)) = m.popups.last() else {
        panic!("S opens the sign-off form");
    };
    assert!(form.draft, "a contradiction stops a final report");
    let listed = form
        .missing
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>();
    assert_eq!(
        listed,
        [
            "iso42001-2023:8.1 is conforming but NC-001 cites it: set it nonconforming, or regrade or remove the finding"
        ]
    );
    // Every other verdict rests on nothing: the form warns, without refusing.
    assert_eq!(form.unsupported, 69);
    let shown = screen(&mut m, 100, 30);
    assert!(
        shown.contains("Warning: 69 verdict(s) rest on no note, no cited evidence and no finding"),
        "{shown}"
    );
    press(&mut m, ctrl('g'));
    assert!(m.popups.is_empty());
    assert_eq!(m.current(), Some(&req("8.1")));
}

#[test]
fn further_requirements_changed_in_the_edit_form_are_saved_and_one_marked_conforming_asks() {
    let mut m = busy_model(); // NC-001 on 4.2; 4.1 and 4.3 conforming
    act(&mut m, Action::NextItem); // the note
    act(&mut m, Action::NextItem); // the finding
    act(&mut m, Action::EditItem);
    press(&mut m, code(KeyCode::Tab)); // statement -> evidence
    press(&mut m, code(KeyCode::Tab)); // evidence -> also
    keys(&mut m, "4.4");
    let effects = press(&mut m, ctrl('s'));
    assert_eq!(saves(&effects).len(), 1, "4.4 is not assessed: no question");
    assert_eq!(m.record.findings[0].requirements, [req("4.2"), req("4.4")]);
    act(&mut m, Action::EditItem);
    press(&mut m, code(KeyCode::Tab));
    press(&mut m, code(KeyCode::Tab));
    press(&mut m, code(KeyCode::Enter));
    keys(&mut m, "4.3");
    assert!(saves(&press(&mut m, ctrl('s'))).is_empty());
    assert_eq!(
        question(&m),
        "4.3 is marked conforming: set it nonconforming and raise NC-001 on it too?"
    );
    let effects = keys(&mut m, "y");
    assert_eq!(saves(&effects).len(), 1);
    assert!(m.popups.is_empty());
    assert_eq!(m.record.verdict(&req("4.3")), Verdict::Nonconforming);
    assert_eq!(
        m.record.findings[0].requirements,
        [req("4.2"), req("4.4"), req("4.3")]
    );
}

#[test]
fn a_note_is_kept_as_a_working_paper_from_its_form() {
    let mut m = model(&["iso42001-2023"]);
    keys(&mut m, "i");
    keys(&mut m, "Seemed unsure of the register");
    press(&mut m, code(KeyCode::Tab));
    press(&mut m, code(KeyCode::Tab));
    press(&mut m, code(KeyCode::Right));
    insta::assert_snapshot!("note_form_internal_80x24", screen(&mut m, 80, 24));
    let effects = press(&mut m, ctrl('s'));
    let [Edit::AddNote { internal, .. }] = <[Edit; 1]>::try_from(saves(&effects)).unwrap() else {
        panic!("one note")
    };
    assert!(internal);
    let note = &m.record.assessment(&req("4.1")).unwrap().notes[0];
    assert!(note.internal);
    assert!(screen(&mut m, 120, 40).contains("internal working paper"));
}

#[test]
fn a_attaches_a_collected_file_with_tab_completing_its_path() {
    let mut m = model(&["iso42001-2023"]);
    let current = m.current().cloned().unwrap();
    keys(&mut m, "A");
    assert!(matches!(m.popups.last(), Some(Popup::Attach(_))));
    let shown = screen(&mut m, 100, 30);
    assert!(shown.contains("Attach a collected file to"));
    assert!(
        shown.contains("Tab complete") && !shown.contains("Tab next field"),
        "the hint says what Tab does on the path:\n{shown}"
    );
    keys(&mut m, "shots/pho");
    // Tab asks the run loop for the folder's listing; `update` reads nothing.
    let effects = press(&mut m, code(KeyCode::Tab));
    let [Effect::ListFolder { typed }] = effects.as_slice() else {
        panic!("expected a listing request: {effects:?}")
    };
    assert_eq!(typed, "shots/pho");
    let listing = vec!["photo-1.png".to_string(), "photos/".to_string()];
    run(
        &mut m,
        Msg::Listed {
            typed: typed.clone(),
            result: Ok(listing),
        },
    );
    assert!(m.message.as_deref().unwrap_or("").contains("photos/"));
    keys(&mut m, "-1.png");
    press(&mut m, code(KeyCode::BackTab));
    keys(&mut m, "Access log");
    let effects = press(&mut m, code(KeyCode::Enter));
    assert!(m.popups.is_empty());
    let [
        Effect::Attach {
            file,
            target,
            caption,
        },
    ] = effects.as_slice()
    else {
        panic!("expected an attach: {effects:?}")
    };
    assert_eq!(file, &PathBuf::from("shots/photo-1.png"));
    assert_eq!(target, &LinkTarget::Requirement(current.clone()));
    assert_eq!(caption.as_deref(), Some("Access log"));
    // The run loop copied it; the answer cites it.
    let stored = fieldaudit::evidence::collected::Stored {
        sha256: "ab".repeat(32),
        size: 9,
        original_name: "photo-1.png".into(),
        path: PathBuf::from("a.evidence").join("ab".repeat(32)),
        already: false,
    };
    let effects = run(
        &mut m,
        Msg::Attached {
            target: target.clone(),
            caption: caption.clone(),
            result: Ok(stored),
        },
    );
    assert!(matches!(
        saves(&effects).as_slice(),
        [Edit::AttachCollected { original_name, .. }] if original_name == "photo-1.png"
    ));
    let links = &m.record.assessment(&current).unwrap().evidence;
    let collected = links[0].collected.as_ref().unwrap();
    assert_eq!(collected.caption.as_deref(), Some("Access log"));
    assert_eq!(collected.by, "Lee Auditor");
    let shown = screen(&mut m, 120, 40);
    assert!(
        shown.contains("collected photo-1.png (Access log)"),
        "{shown}"
    );
    // A refusal from the run loop is shown, escaped, and changes nothing.
    run(
        &mut m,
        Msg::Attached {
            target: target.clone(),
            caption: None,
            result: Err("x\u{1b}[2J: it is a folder".into()),
        },
    );
    let message = m.message.clone().unwrap_or_default();
    assert!(message.starts_with("not attached"), "{message}");
    assert!(!message.contains('\u{1b}'), "{message:?}");
}

#[test]
fn i_records_how_far_the_auditee_declares_a_control_implemented() {
    let mut m = model(&["iso42001-2023"]);
    m.jump_to(&req("A.6.2.4"));
    keys(&mut m, "I");
    assert!(matches!(m.popups.last(), Some(Popup::Declare(_))));
    insta::assert_snapshot!("declare_80x24", screen(&mut m, 80, 24));
    press(&mut m, code(KeyCode::Right));
    press(&mut m, code(KeyCode::Right));
    let effects = press(&mut m, ctrl('s'));
    assert_eq!(
        saves(&effects),
        [Edit::SetImplementation {
            req: req("A.6.2.4"),
            implementation: Some(fieldaudit::audit::Implementation::PartlyImplemented),
        }]
    );
    assert!(m.popups.is_empty());
    let shown = screen(&mut m, 120, 40);
    assert!(
        shown.contains("Declared by the auditee: partly-implemented"),
        "{shown}"
    );
}

#[test]
fn v_lists_the_files_you_collected_and_enter_previews_one() {
    let mut m = busy_model();
    let sha = "ab".repeat(32);
    m.record
        .cite_collected(
            &at(),
            &LinkTarget::Requirement(req("4.2")),
            sha.clone(),
            42,
            "access-log photo.txt".into(),
            Some("Badge log shown in the interview".into()),
        )
        .unwrap();
    keys(&mut m, "V");
    let shown = screen(&mut m, 80, 24);
    assert!(
        shown.contains("access-log photo.txt") && shown.contains("Badge log shown"),
        "{shown}"
    );
    let effects = press(&mut m, code(KeyCode::Enter));
    let [Effect::PreviewCollected { sha256, name, .. }] = effects.as_slice() else {
        panic!("a preview asked of the run loop: {effects:?}")
    };
    assert_eq!((sha256, name.as_str()), (&sha, "access-log photo.txt"));
    assert!(screen(&mut m, 80, 24).contains("reading…"));
    let preview = fieldaudit::evidence::preview::Preview {
        kind: fieldaudit::evidence::preview::FileKind::Text,
        text: "09:02 badge 4411 door B\n09:05 badge 0193 door B".into(),
        truncated: false,
        note: None,
        tables: Vec::new(),
    };
    update(
        &mut m,
        Msg::PreviewedCollected {
            sha256: sha,
            result: Ok(preview),
        },
    );
    let shown = screen(&mut m, 80, 24);
    assert!(shown.contains("09:05 badge 0193 door B"), "{shown}");
    insta::assert_snapshot!("collected_80x24", shown);
    insta::assert_snapshot!("collected_120x40", screen(&mut m, 120, 40));
}
