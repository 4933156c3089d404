//! The follow-up screen (`f`) and the certification cycle in the
//! interface, driven headless: keys through `update`, the screen drawn on
//! ratatui's TestBackend and compared with insta snapshots.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fieldaudit::audit::lifecycle::{Outcome, Response, State};
use fieldaudit::audit::{
    AuditRecord, AuditType, Change, Criterion, Edit, FindingId, Grade, Member, Meta,
    PreviousReport, Role, SignOff,
};
use fieldaudit::checklist::ReqRef;
use fieldaudit::tui::keymap::key_to_msg;
use fieldaudit::tui::model::Screen;
use fieldaudit::tui::popup::Popup;
use fieldaudit::tui::theme::Theme;
use fieldaudit::tui::update::{Effect, Msg, update};
use fieldaudit::tui::{Model, view::view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn time(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn who(at: &str) -> Change {
    Change {
        by: "Lee Auditor".into(),
        at: time(at),
    }
}

fn req(id: &str) -> ReqRef {
    ReqRef::new("iso42001-2023", id)
}

fn id(text: &str) -> FindingId {
    text.parse().unwrap()
}

fn stage2() -> AuditRecord {
    let meta = Meta {
        team: vec![Member::new("Lee Auditor", Role::LeadAuditor)],
        end: Some("2026-11-20".parse().unwrap()),
        ..Meta::new("Northwind Lending Ltd", AuditType::Stage2)
    };
    let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
    let at = who("2026-11-20T10:30:00+00:00");
    let mut r = AuditRecord::new(meta, criteria, None, &at);
    for (grade, on, statement) in [
        (
            Grade::Major,
            "6.1.2",
            "No criteria for accepting AI risks are defined.",
        ),
        (
            Grade::Minor,
            "7.5.1",
            "The AI policy in use is not the approved version.",
        ),
        (
            Grade::Observation,
            "9.1",
            "Monitoring results are kept in two places.",
        ),
    ] {
        r.add_finding(&at, grade, vec![req(on)], statement.into(), None)
            .unwrap();
    }
    r.sign_off = Some(SignOff {
        signer: "Lee Auditor".into(),
        at: at.at,
        key_id: "0123456789ABCDEF".into(),
        statement: "complete and accurate".into(),
        revision: Some(1),
    });
    r
}

fn report() -> PreviousReport {
    PreviousReport {
        report_no: "NWL-STAGE2-20261120".into(),
        revision: 1,
        audit_type: AuditType::Stage2,
        manifest_sha256: "ab".repeat(32),
        key_id: "0123456789ABCDEF".into(),
        signer: "Lee Auditor".into(),
        signed_at: time("2026-11-21T09:00:00+00:00"),
    }
}

fn response(planned: &str) -> Response {
    Response {
        correction: "Approved policy v3 published on the intranet".into(),
        root_cause: "No one owned the document register".into(),
        corrective_action: "Register reviewed monthly by the quality lead".into(),
        owner: Some("Quality lead".into()),
        planned_date: planned.parse().unwrap(),
    }
}

/// A first surveillance after that stage 2: NC-001 (major) awaiting its
/// response long past its due date, NC-002 (minor) with a plan accepted
/// and planned after this audit, and NC-003 raised here.
fn surveillance() -> Model {
    let at = who("2027-11-09T09:00:00+00:00");
    let mut r = stage2().next_in_cycle(report(), None, &at).unwrap();
    r.meta.start = Some("2027-11-09".parse().unwrap());
    r.meta.end = Some("2027-11-10".parse().unwrap());
    r.respond(&at, "NC-002", response("2027-12-15")).unwrap();
    r.review(&at, "NC-002", true, "Owner and date are credible".into())
        .unwrap();
    r.add_finding(
        &at,
        Grade::Minor,
        vec![req("8.2")],
        "The AI risk assessment was not repeated after the model change.".into(),
        None,
    )
    .unwrap();
    let catalog = r.catalog().unwrap();
    let mut m = Model::new(PathBuf::from("s.ron"), r, catalog, "Lee Auditor".into());
    update(&mut m, Msg::Tick(time("2027-11-10T14:00:00+00:00")));
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
        effects.extend(press(
            m,
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        ));
    }
    effects
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
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

fn state(m: &Model, finding: &str) -> State {
    m.record.lifecycle(id(finding)).state
}

fn message(m: &Model) -> String {
    m.message.clone().unwrap_or_default()
}

/// Move the follow-up screen's cursor to `finding`.
fn select(m: &mut Model, finding: &str) {
    for _ in 0..10 {
        keys(m, "k");
    }
    let listed = fieldaudit::tui::screen::follow_up::listed(m);
    let at = listed.iter().position(|f| *f == id(finding)).unwrap();
    for _ in 0..at {
        keys(m, "j");
    }
    assert_eq!(
        fieldaudit::tui::screen::follow_up::selected(m),
        Some(id(finding))
    );
}

fn line_with<'a>(shown: &'a str, text: &str) -> &'a str {
    shown
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?}:\n{shown}"))
}

#[test]
fn f_lists_carried_findings_first_with_their_report_and_marks_the_overdue_one() {
    let mut m = surveillance();
    keys(&mut m, "f");
    assert_eq!(m.screen, Screen::FollowUp);
    let listed: Vec<String> = fieldaudit::tui::screen::follow_up::listed(&m)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(listed, ["NC-001", "NC-002", "NC-003"], "no observation");
    for (width, height) in [(80, 24), (120, 40)] {
        let shown = screen(&mut m, width, height);
        assert!(
            shown.contains("Previous, raised in NWL-STAGE2-20261120"),
            "{shown}"
        );
        let overdue = line_with(&shown, "NC-001");
        assert!(
            overdue.contains("! NC-001") && overdue.contains("response due 2026-12-20"),
            "{overdue}"
        );
        let planned = line_with(&shown, "NC-002");
        assert!(
            !planned.contains('!') && planned.contains("planned 2027-12-15"),
            "{planned}"
        );
        assert!(line_with(&shown, "NC-001").contains("none yet"));
    }
    insta::assert_snapshot!("follow_up_80x24", screen(&mut m, 80, 24));
    insta::assert_snapshot!("follow_up_120x40", screen(&mut m, 120, 40));
    // G, g, PgDn and PgUp move within the list and stop at its ends.
    let at = |m: &Model| fieldaudit::tui::screen::follow_up::selected(m).map(|f| f.to_string());
    keys(&mut m, "G");
    assert_eq!(at(&m).as_deref(), Some("NC-003"));
    keys(&mut m, "j");
    assert_eq!(at(&m).as_deref(), Some("NC-003"));
    press(&mut m, code(KeyCode::PageUp));
    assert_eq!(at(&m).as_deref(), Some("NC-001"));
    press(&mut m, code(KeyCode::PageDown));
    assert_eq!(at(&m).as_deref(), Some("NC-003"));
    keys(&mut m, "g");
    assert_eq!(at(&m).as_deref(), Some("NC-001"));
    // f, Esc and q each go back to the requirements.
    for back in [
        code(KeyCode::Char('f')),
        code(KeyCode::Esc),
        code(KeyCode::Char('q')),
    ] {
        press(&mut m, back);
        assert_eq!(m.screen, Screen::Requirements);
        assert!(!m.quit);
        keys(&mut m, "f");
    }
}

#[test]
fn the_overdue_mark_is_red_in_colour() {
    let mut m = surveillance();
    keys(&mut m, "f");
    update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| view(&m, Theme { color: true }, f))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let row = (0..24)
        .find(|&y| {
            (0..80)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .contains("! NC-001")
        })
        .unwrap();
    let mark = (0..80).find(|&x| buffer[(x, row)].symbol() == "!").unwrap();
    assert_eq!(buffer[(mark, row)].fg, ratatui::style::Color::Red);
}

#[test]
fn enter_shows_the_whole_history_with_the_raising_line_and_it_scrolls() {
    let mut m = surveillance();
    keys(&mut m, "f");
    select(&mut m, "NC-002");
    press(&mut m, code(KeyCode::Enter));
    assert!(matches!(m.popups.last(), Some(Popup::History(_))));
    let shown = screen(&mut m, 80, 24);
    for text in [
        "History of NC-002",
        "Carried from the previous report NWL-STAGE2-20261120",
        "2026-11-20 10:30  Lee Auditor  raised NC-002 (minor nonconformity)",
        "response received",
        "root cause",
        "No one owned the document register",
        "planned",
        "plan accepted",
        "Owner and date are credible",
    ] {
        assert!(shown.contains(text), "{text:?} not in:\n{shown}");
    }
    insta::assert_snapshot!("follow_up_history_80x24", shown);
    insta::assert_snapshot!("follow_up_history_120x40", screen(&mut m, 120, 40));
    keys(&mut m, "j");
    assert!(m.overlay_scroll > 0);
    press(&mut m, code(KeyCode::Esc));
    assert!(m.popups.is_empty());
    assert_eq!(m.screen, Screen::FollowUp);
}

#[test]
fn respond_accept_and_verify_effective_from_the_keyboard_close_a_carried_nc() {
    let mut m = surveillance();
    keys(&mut m, "f");
    select(&mut m, "NC-001");
    assert!(m.record.awaiting_verdict().contains(&id("NC-001")));

    keys(&mut m, "R");
    assert!(matches!(m.popups.last(), Some(Popup::Step(_))));
    insta::assert_snapshot!("follow_up_respond_80x24", screen(&mut m, 80, 24));
    keys(&mut m, "Criteria drafted and approved");
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Risk acceptance was never assigned");
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Risk owner signs off each assessment");
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Head of risk");
    press(&mut m, code(KeyCode::Enter)); // a one-line field: Enter moves on
    keys(&mut m, "2027-10-01");
    let effects = press(&mut m, ctrl('s'));
    let saved = saves(&effects);
    let [
        Edit::Respond {
            id: responded,
            response,
        },
    ] = saved.as_slice()
    else {
        panic!("expected one response saved: {effects:?}")
    };
    assert_eq!(*responded, id("NC-001"));
    assert_eq!(response.owner.as_deref(), Some("Head of risk"));
    assert_eq!(response.planned_date.to_string(), "2027-10-01");
    assert!(m.popups.is_empty());
    assert_eq!(state(&m, "NC-001"), State::ResponseReceived);
    assert_eq!(message(&m), "NC-001: plan to review");

    keys(&mut m, "a");
    keys(&mut m, "Criteria and owner are right");
    let effects = press(&mut m, ctrl('s'));
    assert!(matches!(
        saves(&effects).as_slice(),
        [Edit::Review { accept: true, .. }]
    ));
    assert_eq!(state(&m, "NC-001"), State::PlanAccepted);

    keys(&mut m, "v");
    let Some(Popup::Step(form)) = m.popups.last() else {
        panic!("no verify form")
    };
    assert_eq!(
        form.outcomes,
        [
            Outcome::Effective,
            Outcome::NotEffective,
            Outcome::NotYetDue
        ],
        "an NC's verdicts only"
    );
    assert_eq!(form.outcome, Some(Outcome::Effective));
    insta::assert_snapshot!("follow_up_verify_80x24", screen(&mut m, 80, 24));
    press(&mut m, code(KeyCode::Tab));
    keys(
        &mut m,
        "Three assessments since June each signed by the risk owner",
    );
    let effects = press(&mut m, ctrl('s'));
    assert!(matches!(
        saves(&effects).as_slice(),
        [Edit::Verify {
            outcome: Outcome::Effective,
            ..
        }]
    ));
    assert_eq!(state(&m, "NC-001"), State::Closed);
    assert!(!m.record.awaiting_verdict().contains(&id("NC-001")));
    let shown = screen(&mut m, 80, 24);
    let row = line_with(&shown, "NC-001");
    assert!(
        row.contains("closed") && row.contains("effective") && !row.contains('!'),
        "{row}"
    );
    // Closed: every further step is refused at the key, in the library's words.
    for key in ["R", "a", "v"] {
        keys(&mut m, key);
        assert!(m.popups.is_empty(), "{key}");
        assert_eq!(
            message(&m),
            "NC-001 is closed; nothing more can be recorded on it"
        );
    }
}

#[test]
fn refusals_show_in_the_message_line_and_keep_the_form() {
    let mut m = surveillance();
    keys(&mut m, "f");
    select(&mut m, "NC-003");
    // No response yet: nothing to accept. Refused at the key, no form.
    keys(&mut m, "a");
    assert!(m.popups.is_empty());
    assert!(
        message(&m).contains("NC-003 is awaiting response")
            && message(&m).contains("needs a response to review"),
        "{}",
        message(&m)
    );

    // A date not written YYYY-MM-DD is refused in words; the form stays.
    keys(&mut m, "R");
    for text in ["c", "r", "a", "", "1/10/2027"] {
        keys(&mut m, text);
        press(&mut m, code(KeyCode::Tab));
    }
    assert!(saves(&press(&mut m, ctrl('s'))).is_empty());
    assert_eq!(
        message(&m),
        "the planned date '1/10/2027' is not written YYYY-MM-DD"
    );
    assert!(matches!(m.popups.last(), Some(Popup::Step(_))));
    press(&mut m, code(KeyCode::Esc)); // typed text: asks first
    keys(&mut m, "y");
    assert!(m.popups.is_empty());

    // The library refuses "not yet due" for a plan due before the audit.
    select(&mut m, "NC-001");
    let at = who("2027-11-10T14:00:00+00:00");
    m.record
        .respond(&at, "NC-001", response("2027-11-01"))
        .unwrap();
    m.record.review(&at, "NC-001", true, "ok".into()).unwrap();
    keys(&mut m, "v");
    press(&mut m, code(KeyCode::Left)); // effective -> not yet due
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Looked at the register");
    assert!(saves(&press(&mut m, ctrl('s'))).is_empty());
    assert!(
        message(&m).contains("NC-001 is not yet due only while its planned date (2027-11-01)"),
        "{}",
        message(&m)
    );
    assert!(matches!(m.popups.last(), Some(Popup::Step(_))));
    assert_eq!(state(&m, "NC-001"), State::PlanAccepted);
}

#[test]
fn a_minor_nc_not_effective_is_proposed_as_major_and_m_raises_it_again() {
    let mut m = surveillance();
    keys(&mut m, "f");
    select(&mut m, "NC-002");
    keys(&mut m, "M");
    assert!(m.popups.is_empty(), "not proposed yet");
    assert!(message(&m).contains("M raises again"), "{}", message(&m));

    keys(&mut m, "v");
    press(&mut m, code(KeyCode::Right)); // effective -> not effective
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Policy v2 still in use on the shared drive");
    press(&mut m, ctrl('s'));
    assert_eq!(state(&m, "NC-002"), State::NotEffective);
    assert!(m.record.proposes_major(id("NC-002")));
    let shown = screen(&mut m, 80, 24);
    assert!(
        shown.contains("fieldaudit proposes raising it as major"),
        "{shown}"
    );
    insta::assert_snapshot!("follow_up_proposal_80x24", shown);

    keys(&mut m, "M");
    let Some(Popup::Finding(form)) = m.popups.last() else {
        panic!("M opened no finding form: {}", message(&m))
    };
    assert_eq!(form.grade, Grade::Major);
    assert_eq!(form.req, req("7.5.1"));
    assert_eq!(
        form.statement.text(),
        "The AI policy in use is not the approved version."
    );
    assert!(!form.grades.contains(&Grade::AreaOfConcern));
    keys(&mut m, " Not corrected since stage 2.");
    let effects = press(&mut m, ctrl('s'));
    assert!(matches!(
        saves(&effects).as_slice(),
        [Edit::RaiseAgain {
            grade: Grade::Major,
            ..
        }]
    ));
    let major = m.record.findings.iter().find(|f| f.id == id("NC-004"));
    let major = major.expect("NC-004 raised");
    assert_eq!(major.grade, Grade::Major);
    assert_eq!(major.follows, Some(id("NC-002")));
    assert_eq!(state(&m, "NC-002"), State::RaisedAgain(id("NC-004")));
}

#[test]
fn a_signed_off_record_refuses_the_follow_up_keys_with_the_locked_message() {
    let mut m = surveillance();
    m.record.sign_off = stage2().sign_off;
    keys(&mut m, "f");
    let before = m.record.clone();
    for key in ["R", "a", "x", "i", "v", "M"] {
        assert!(keys(&mut m, key).is_empty());
        assert!(m.popups.is_empty(), "{key} opened a form");
        assert!(message(&m).contains("signed off by Lee Auditor"), "{key}");
    }
    assert_eq!(m.record, before);
    press(&mut m, code(KeyCode::Enter));
    assert!(
        matches!(m.popups.last(), Some(Popup::History(_))),
        "looking works"
    );
}

#[test]
fn s_puts_a_requirement_in_the_visit_and_the_tree_and_title_say_so() {
    let mut m = surveillance();
    let total = m.catalog.len();
    let always = m
        .catalog
        .requirements()
        .filter(|(_, _, r)| r.always_in_surveillance())
        .count();
    let shown = screen(&mut m, 120, 40);
    let visit = format!("visit: {always} of {total} │");
    assert!(line_with(&shown, "fieldaudit").contains(&visit), "{shown}");
    let first = m.current().cloned().unwrap();
    assert!(line_with(&shown, &format!(" {} ", first.id)).contains('○'));

    let effects = keys(&mut m, "s");
    assert_eq!(
        saves(&effects),
        [Edit::SetSampled {
            req: first.clone(),
            sampled: true
        }]
    );
    assert!(m.record.sample.contains(&first));
    let visit = format!("visit: {} of {total} requirements", always + 1);
    assert_eq!(message(&m), visit);
    let shown = screen(&mut m, 80, 24);
    assert!(
        line_with(&shown, &format!(" {} ", first.id)).contains('●'),
        "{shown}"
    );
    assert!(
        shown.contains("in this visit's sample; s takes it out"),
        "{shown}"
    );
    insta::assert_snapshot!("sample_80x24", shown);
    keys(&mut m, "d");
    let dashboard = screen(&mut m, 120, 40);
    assert!(
        dashboard.contains(&format!("This surveillance {visit}")),
        "{dashboard}"
    );
    press(&mut m, code(KeyCode::Esc));
    keys(&mut m, "s");
    assert!(!m.record.sample.contains(&first));

    // One every surveillance covers cannot be taken out.
    m.jump_to(&req("9.2.1"));
    assert!(keys(&mut m, "s").is_empty());
    assert!(
        message(&m).contains("in every surveillance visit"),
        "{}",
        message(&m)
    );
    assert!(screen(&mut m, 80, 24).contains("◆"));
}

#[test]
fn s_on_a_stage_2_says_only_a_surveillance_samples() {
    let mut stage2 = stage2();
    stage2.sign_off = None;
    let catalog = stage2.catalog().unwrap();
    let mut m = Model::new(
        PathBuf::from("a.ron"),
        stage2,
        catalog,
        "Lee Auditor".into(),
    );
    assert!(keys(&mut m, "s").is_empty());
    assert!(message(&m).contains("only a surveillance audit samples"));
    assert!(!screen(&mut m, 80, 24).contains("visit:"));
}

#[test]
fn the_finding_form_offers_only_the_grades_the_audit_type_raises() {
    let meta = Meta::new("Northwind Lending Ltd", AuditType::Stage1);
    let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
    let r = AuditRecord::new(meta, criteria, None, &who("2026-10-01T09:00:00+00:00"));
    let catalog = r.catalog().unwrap();
    let mut m = Model::new(PathBuf::from("a.ron"), r, catalog, "Lee Auditor".into());
    let grades = |m: &mut Model| {
        keys(m, "n");
        let Some(Popup::Finding(form)) = m.popups.last() else {
            panic!("no finding form")
        };
        let offered = (form.grade, form.grades.clone());
        press(m, code(KeyCode::Esc));
        offered
    };
    let (grade, offered) = grades(&mut m);
    assert_eq!(
        grade,
        Grade::AreaOfConcern,
        "stage 1 raises areas of concern"
    );
    assert!(!offered.contains(&Grade::Minor) && !offered.contains(&Grade::Major));
    m.record.meta.report.stage1_ncs = true;
    let (grade, offered) = grades(&mut m);
    assert_eq!(grade, Grade::Minor);
    assert!(offered.contains(&Grade::AreaOfConcern) && offered.contains(&Grade::Major));
    m.record.meta.audit_type = AuditType::Stage2;
    let (_, offered) = grades(&mut m);
    assert!(!offered.contains(&Grade::AreaOfConcern));
}

#[test]
fn an_area_of_concern_is_verified_resolved_or_not_at_stage_2() {
    let meta = Meta {
        end: Some("2026-09-01".parse().unwrap()),
        ..Meta::new("Northwind Lending Ltd", AuditType::Stage1)
    };
    let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
    let at = who("2026-09-01T09:00:00+00:00");
    let mut r = AuditRecord::new(meta, criteria, None, &at);
    r.add_finding(
        &at,
        Grade::AreaOfConcern,
        vec![req("5.2")],
        "The AI policy is still a draft.".into(),
        None,
    )
    .unwrap();
    r.sign_off = stage2().sign_off;
    let mut next = r
        .next_in_cycle(report(), None, &who("2026-11-01T09:00:00+00:00"))
        .unwrap();
    next.meta.end = Some("2026-11-02".parse().unwrap());
    let catalog = next.catalog().unwrap();
    let mut m = Model::new(PathBuf::from("b.ron"), next, catalog, "Lee Auditor".into());
    keys(&mut m, "fv");
    let Some(Popup::Step(form)) = m.popups.last() else {
        panic!("no verify form: {}", message(&m))
    };
    assert_eq!(form.outcomes, [Outcome::Resolved, Outcome::NotResolved]);
    press(&mut m, code(KeyCode::Right));
    press(&mut m, code(KeyCode::Tab));
    keys(&mut m, "Policy still unsigned");
    press(&mut m, ctrl('s'));
    assert_eq!(state(&m, "AOC-001"), State::NotResolved);
    assert!(screen(&mut m, 80, 24).contains("M raises it as a nonconformity"));
    keys(&mut m, "M");
    let Some(Popup::Finding(form)) = m.popups.last() else {
        panic!("M opened no form: {}", message(&m))
    };
    assert_eq!(form.grade, Grade::Minor);
}

#[test]
fn a_returned_plan_is_answered_again_from_the_last_response_then_reported_done() {
    let mut m = surveillance();
    keys(&mut m, "f");
    select(&mut m, "NC-003");
    keys(&mut m, "R");
    for text in [
        "Assessment repeated",
        "No trigger on model change",
        "Change procedure names the risk review",
        "",
        "2028-01-15",
    ] {
        keys(&mut m, text);
        press(&mut m, code(KeyCode::Tab));
    }
    press(&mut m, ctrl('s'));
    keys(&mut m, "x");
    keys(&mut m, "Say who runs the review");
    let effects = press(&mut m, ctrl('s'));
    assert!(matches!(
        saves(&effects).as_slice(),
        [Edit::Review { accept: false, .. }]
    ));
    assert_eq!(state(&m, "NC-003"), State::PlanReturned);

    // The new response starts from the last one: only the owner is added.
    keys(&mut m, "R");
    for _ in 0..3 {
        press(&mut m, code(KeyCode::Tab));
    }
    keys(&mut m, "Model owner");
    let effects = press(&mut m, ctrl('s'));
    let saved = saves(&effects);
    let [Edit::Respond { response, .. }] = saved.as_slice() else {
        panic!("expected a response: {effects:?}")
    };
    assert_eq!(
        response.corrective_action,
        "Change procedure names the risk review"
    );
    assert_eq!(response.owner.as_deref(), Some("Model owner"));
    assert_eq!(state(&m, "NC-003"), State::ResponseReceived);

    keys(&mut m, "a");
    keys(&mut m, "Fine now");
    press(&mut m, ctrl('s'));
    keys(&mut m, "i");
    keys(&mut m, "Procedure v4 issued");
    press(&mut m, ctrl('s'));
    assert_eq!(state(&m, "NC-003"), State::Implemented);
    assert_eq!(message(&m), "NC-003: implemented; to verify");
}

#[test]
fn the_follow_up_screen_and_its_forms_draw_at_the_smallest_size() {
    let mut m = surveillance();
    keys(&mut m, "f");
    for (finding, key, popup) in [
        ("NC-001", KeyCode::Char('R'), true),
        ("NC-002", KeyCode::Char('v'), true),
        ("NC-002", KeyCode::Enter, true),
        ("NC-003", KeyCode::Char('j'), false),
    ] {
        select(&mut m, finding);
        press(&mut m, code(key));
        assert_eq!(!m.popups.is_empty(), popup, "{finding} {key:?}");
        let shown = screen(&mut m, 60, 16);
        assert!(shown.contains("fieldaudit"), "{key:?}:\n{shown}");
        m.popups.clear();
    }
}

#[test]
fn a_requirement_shows_the_previous_findings_on_it_and_where_each_stands() {
    let mut m = surveillance();
    m.jump_to(&req("6.1.2"));
    let shown = screen(&mut m, 120, 40);
    assert!(
        shown.contains("Previous findings (1)  f follows them up"),
        "{shown}"
    );
    assert!(
        shown.contains("NC-001 major nonconformity — awaiting response  from"),
        "{shown}"
    );
    assert!(shown.contains("NWL-STAGE2-20261120"), "{shown}");
    assert!(
        shown.contains("No criteria for accepting AI risks are defined."),
        "{shown}"
    );
    m.jump_to(&req("7.5.1"));
    let shown = screen(&mut m, 120, 40);
    assert!(
        shown.contains("NC-002 minor nonconformity — plan accepted"),
        "{shown}"
    );
    m.jump_to(&req("4.1"));
    assert!(!screen(&mut m, 120, 40).contains("Previous findings"));
}

#[test]
fn ctrl_g_on_a_carried_nc_without_a_verdict_opens_the_follow_up_screen_at_it() {
    let mut m = surveillance();
    // S looks around the record (for a key and a free report name) as the
    // run loop does, then opens the form.
    for effect in keys(&mut m, "S") {
        if let Some(msg) = fieldaudit::tui::signoff::probe(&effect, &m.path.clone()) {
            update(&mut m, msg);
        }
    }
    let Some(Popup::SignOff(form)) = m.popups.last_mut() else {
        panic!("S opens the sign-off form");
    };
    // The form lists the carried NCs awaiting a verdict among what is missing.
    let gaps: Vec<String> = form.missing.iter().map(ToString::to_string).collect();
    assert!(
        gaps.iter().any(|g| g.starts_with("NC-002 (carried")),
        "{gaps:?}"
    );
    // With only that left, Ctrl-G goes to it.
    form.missing
        .retain(|g| matches!(g, fieldaudit::report::pack::Missing::FollowUpVerdict(_)));
    form.missing.reverse();
    press(&mut m, ctrl('g'));
    assert!(m.popups.is_empty());
    assert_eq!(m.screen, Screen::FollowUp);
    let shown = screen(&mut m, 120, 40);
    assert!(shown.contains("┌ NC-002 "), "NC-002 is selected: {shown}");
}
