//! The audit record through the command line: new → meta → assess → note →
//! finding → status, and every refusal on the way.

mod common;
use common::Sandbox;

#[test]
fn new_creates_a_record_and_refuses_to_overwrite_it() {
    let s = Sandbox::new();
    let out = s.ok("new a.ron --checklist iso42001-2023 --client 'Acme AI Ltd' --type stage1");
    assert!(
        out.contains("created a.ron (stage 1 audit of Acme AI Ltd"),
        "{out}"
    );
    let text = s.read("a.ron");
    assert!(text.contains("format_version: 7,"), "{text}");
    assert!(text.contains("Builtin(\"iso42001-2023\")"), "{text}");
    let err = s.fails("new a.ron --checklist iso9001-2015 --client Other");
    assert!(err.contains("a.ron: already exists"), "{err}");
    assert_eq!(s.read("a.ron"), text, "the existing record was touched");
}

#[test]
fn new_refuses_unknown_checklists_bad_types_and_missing_bundles() {
    let s = Sandbox::new();
    let err = s.fails("new a.ron --checklist iso42001 --client A");
    assert!(
        err.contains("no shipped checklist and no file named 'iso42001'"),
        "{err}"
    );
    let out = s.run("new a.ron --checklist iso42001-2023 --client A --type stage3");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "stage1, stage2, surveillance1, surveillance2, recertification, surveillance"
        )
    );
    let err = s.fails("new a.ron --checklist iso42001-2023 --client A --evidence nowhere");
    assert!(
        err.contains("nowhere: cannot open the evidence bundle"),
        "{err}"
    );
    let err = s.fails("new a.ron --checklist iso42001-2023 --checklist iso42001-2023 --client A");
    assert!(err.contains("given twice"), "{err}");
    assert!(!s.path("a.ron").exists());
}

#[test]
fn new_remembers_the_evidence_bundle() {
    let s = Sandbox::new();
    std::fs::create_dir(s.path("bundle")).unwrap();
    s.ok("new a.ron --checklist iso42001-2023 --client A --evidence bundle");
    let meta = s.json("meta a.ron --json");
    let bundle = meta["evidence"].as_str().unwrap();
    assert!(
        bundle.ends_with("/bundle") && bundle.starts_with('/'),
        "{bundle}"
    );
}

#[test]
fn a_custom_checklist_is_copied_into_the_record() {
    let s = Sandbox::new();
    s.write(
        "mine.ron",
        r#"Checklist(id: "mine", title: "Mine", sections: [Section(id: "1", title: "One", requirements: [
            Requirement(id: "1.1", title: "First", questions: ["a?", "b?"], evidence: ["c"]),
        ])])"#,
    );
    s.ok("new a.ron --checklist mine.ron --checklist iso42001-2023 --client A");
    std::fs::remove_file(s.path("mine.ron")).unwrap();
    // The record stands alone: the checklist file is no longer needed.
    s.ok("assess a.ron 1.1 --verdict conforming");
    let status = s.json("status a.ron --json");
    assert_eq!(status["requirements_total"], 71);
    assert_eq!(status["requirements_assessed"], 1);
}

#[test]
fn meta_sets_fields_prints_them_and_validates_dates() {
    let s = Sandbox::new();
    s.audit();
    let out = s.ok("meta a.ron --site 'Leeds HQ' --scope 'Design and operation of the credit-scoring AI' --type surveillance --start 2026-11-24 --end 2026-11-25 --auditor 'Ann Second' --auditor 'Bo Third' --auditee-rep 'Cy CTO' --certification-body 'Example Certification Ltd' --accreditation 'UKAS 0000'");
    assert!(out.starts_with("updated site, scope, certification_body, accreditation, audit_type, start, end, auditee_reps, team"), "{out}");
    let text = s.ok("meta a.ron");
    assert!(text.contains("site:               Leeds HQ"), "{text}");
    assert!(
        text.contains("dates:              2026-11-24 to 2026-11-25"),
        "{text}"
    );
    assert!(
        text.contains(
            "team:               Lee Auditor (lead auditor)\n                    Ann Second (auditor)\n                    Bo Third (auditor)\n"
        ),
        "{text}"
    );
    let json = s.json("meta a.ron --json");
    assert_eq!(json["type"], "surveillance");
    assert_eq!(json["lead_auditor"], "Lee Auditor");
    assert_eq!(json["auditee_reps"][0], "Cy CTO");
    assert_eq!(
        s.ok("meta a.ron --site 'Leeds HQ'").trim(),
        "nothing changed"
    );

    let out = s.run("meta a.ron --start 24/11/2026");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    let err = s.fails("meta a.ron --end 2026-11-01");
    assert!(
        err.contains("cannot end (2026-11-01) before it starts (2026-11-24)"),
        "{err}"
    );
    assert_eq!(s.json("meta a.ron --json")["end"], "2026-11-25");
    // A date set by mistake can be cleared again.
    let out = s.ok("meta a.ron --end ''");
    assert!(out.starts_with("updated end"), "{out}");
    assert!(s.json("meta a.ron --json")["end"].is_null());
    assert!(s.read("a.ron").contains("end: 2026-11-25 → (none)"));
}

#[test]
fn assess_sets_verdicts_and_not_applicable_needs_a_justification() {
    let s = Sandbox::new();
    s.audit();
    assert_eq!(
        s.ok("assess a.ron 6.1.2 --verdict nonconforming").trim(),
        "iso42001-2023:6.1.2: nonconforming"
    );
    let err = s.fails("assess a.ron A.7.3 --verdict not-applicable");
    assert!(
        err.contains("not applicable needs a justification"),
        "{err}"
    );
    s.ok("assess a.ron A.7.3 --verdict not-applicable --justification 'No data is acquired from third parties'");
    let record = s.read("a.ron");
    assert!(
        record.contains("justification: \"No data is acquired from third parties\""),
        "{record}"
    );
    let out = s.run("assess a.ron 4.1 --verdict fine");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("conforming, nonconforming, not-applicable, not-assessed")
    );
    let status = s.json("status a.ron --json");
    assert_eq!(status["requirements_assessed"], 2);
    let back = s.ok("assess a.ron 6.1.2 --verdict not-assessed");
    assert!(back.contains("not-assessed"));
    assert_eq!(s.json("status a.ron --json")["requirements_assessed"], 1);
}

#[test]
fn unknown_requirements_are_refused_with_the_nearest_ids() {
    let s = Sandbox::new();
    s.audit();
    let before = s.read("a.ron");
    let err = s.fails("assess a.ron 6.1.9 --verdict conforming");
    assert!(err.contains("unknown requirement '6.1.9'"), "{err}");
    assert!(err.contains("nearest: 6.1.1, 6.1.2, 6.1.3, 6.1.4"), "{err}");
    let err = s.fails("note a.ron 'risk treatmnt' x");
    assert!(err.contains("nearest: 6.1.3"), "{err}");
    assert_eq!(s.read("a.ron"), before);
}

#[test]
fn in_integrated_audits_ambiguous_ids_list_the_candidates() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --checklist iso27001-2022 --checklist iso9001-2015 --client A");
    let err = s.fails("assess a.ron 7.5.3 --verdict conforming");
    assert!(
        err.contains("iso42001-2023:7.5.3, iso27001-2022:7.5.3, iso9001-2015:7.5.3"),
        "{err}"
    );
    s.ok("assess a.ron iso27001-2022:A.5.1 --verdict conforming");
    assert!(err.contains("or, shorter, 42001:7.5.3"), "{err}");
    // A unique part of the checklist id is enough.
    assert_eq!(
        s.ok("assess a.ron 9001:7.5.3 --verdict conforming").trim(),
        "iso9001-2015:7.5.3: conforming"
    );
    // Unique to one checklist: the bare id is enough.
    s.ok("assess a.ron A.8.28 --verdict conforming");
    let err = s.fails("assess a.ron iso14001-2015:4.1 --verdict conforming");
    assert!(
        err.contains("'iso14001-2015' is not a checklist of this audit"),
        "{err}"
    );
    let status = s.json("status a.ron --json");
    assert_eq!(status["requirements_total"], 70 + 123 + 62);
    assert_eq!(status["checklists"][1]["assessed"], 2);
}

#[test]
fn notes_are_timestamped_with_author_and_interviewee() {
    let s = Sandbox::new();
    s.audit();
    assert_eq!(
        s.ok("note a.ron 6.1.2 'Risk criteria not defined for generative models' --interviewee 'Head of Data Science'")
        .trim(),
        "iso42001-2023:6.1.2: note 1 added"
    );
    s.ok("--as 'Ann Second' note a.ron 6.1.2 'Second note'");
    let record = s.read("a.ron");
    assert!(
        record.contains("interviewee: \"Head of Data Science\""),
        "{record}"
    );
    assert!(record.contains("by: \"Lee Auditor\""), "{record}");
    assert!(record.contains("by: \"Ann Second\""), "{record}");
    let stamp = regex_like_rfc3339(&record);
    assert!(stamp, "no RFC 3339 timestamp in {record}");
    let err = s.fails("note a.ron 6.1.2 '   '");
    assert!(err.contains("the note is empty"), "{err}");
    assert_eq!(s.json("status a.ron --json")["notes_total"], 2);
}

/// `at: "2026-11-24T17:57:05+01:00"` or with `Z`.
fn regex_like_rfc3339(text: &str) -> bool {
    text.lines().any(|l| {
        let Some(v) = l.trim().strip_prefix("at: \"") else {
            return false;
        };
        chrono::DateTime::parse_from_rfc3339(v.trim_end_matches("\",")).is_ok()
    })
}

#[test]
fn findings_get_per_grade_ids_that_are_never_reused() {
    let s = Sandbox::new();
    s.integrated_audit();
    let add = |req: &str, grade: &str, statement: &str| {
        s.ok(&[
            "finding",
            "add",
            "a.ron",
            req,
            "--grade",
            grade,
            "--statement",
            statement,
            "--objective-evidence",
            "seen",
        ])
        .trim()
        .to_string()
    };
    assert_eq!(
        add(
            "iso42001-2023:6.1.2",
            "major",
            "No AI risk assessment process"
        ),
        "NC-001"
    );
    assert_eq!(
        add("A.6.2.4", "minor", "Validation sign-off missing for v2.3"),
        "NC-002"
    );
    assert_eq!(
        add("A.2.2", "observation", "Policy review date near"),
        "OBS-001"
    );
    assert_eq!(
        add("A.9.3", "ofi", "Data quality dashboards could be shared"),
        "OFI-001"
    );
    assert_eq!(
        add(
            "A.3.3",
            "good-practice",
            "Anonymous concern channel well used"
        ),
        "GP-001"
    );

    s.ok("finding remove a.ron NC-002");
    assert_eq!(
        add("A.6.2.5", "minor", "Deployment checklist skipped"),
        "NC-003"
    );

    let findings = s.json("finding list a.ron --json");
    let ids: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["NC-001", "NC-003", "OBS-001", "OFI-001", "GP-001"]);
    assert_eq!(findings[0]["grade"], "major");
    assert_eq!(findings[0]["requirements"][0], "iso42001-2023:6.1.2");

    let status = s.json("status a.ron --json");
    let counts = &status["findings"];
    assert_eq!(
        (
            counts["major"].as_u64(),
            counts["minor"].as_u64(),
            counts["observation"].as_u64(),
            counts["ofi"].as_u64(),
            counts["good_practice"].as_u64()
        ),
        (Some(1), Some(1), Some(1), Some(1), Some(1))
    );

    let record = s.read("a.ron");
    assert!(
        record.contains(
            "removed NC-002 (minor nonconformity on iso42001-2023:A.6.2.4, raised by tester"
        ),
        "{record}"
    );
    assert!(
        record.contains("Validation sign-off missing for v2.3"),
        "the trail must keep what was removed"
    );
}

#[test]
fn also_attaches_one_finding_to_several_standards() {
    let s = Sandbox::new();
    s.integrated_audit();
    let out = s.run("finding add a.ron iso42001-2023:7.5.3 --grade minor --statement 'Obsolete procedures in use' --also iso27001-2022:7.5.3");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "NC-001");
    assert!(String::from_utf8_lossy(&out.stderr).contains("NC-001 has no objective evidence yet"));
    let list = s.ok("finding list a.ron");
    assert!(
        list.contains("requirement:        iso42001-2023:7.5.3 Control of documented information"),
        "{list}"
    );
    assert!(
        list.contains("requirement:        iso27001-2022:7.5.3 Control of documented information"),
        "{list}"
    );
    let err =
        s.fails("finding add a.ron iso42001-2023:7.5.3 --grade minor --statement x --also 7.5.3");
    assert!(err.contains("is in several checklists"), "{err}");
    assert_eq!(
        s.json("finding list a.ron --json")
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn finding_edit_changes_fields_and_regrading_renumbers() {
    let s = Sandbox::new();
    s.audit();
    s.ok("finding add a.ron 8.2 --grade minor --statement 'Old statement' --objective-evidence 'Register v3'");
    assert_eq!(
        s.ok("finding edit a.ron NC-001 --statement 'New statement'")
            .trim(),
        "NC-001 updated"
    );
    assert_eq!(
        s.ok("finding edit a.ron nc-001 --grade observation").trim(),
        "NC-001 is now OBS-001"
    );
    let f = s.json("finding list a.ron --json");
    assert_eq!(f[0]["id"], "OBS-001");
    assert_eq!(f[0]["statement"], "New statement");
    assert_eq!(f[0]["objective_evidence"], "Register v3");
    // Back to an NC: a fresh NC number, NC-001 stays retired.
    assert_eq!(
        s.ok("finding edit a.ron OBS-001 --grade major").trim(),
        "OBS-001 is now NC-002"
    );
    let record = s.read("a.ron");
    assert!(
        record.contains("statement was: \\\"Old statement\\\"")
            || record.contains("statement was: \"Old statement\""),
        "{record}"
    );
    assert!(record.contains("renumbered NC-001 → OBS-001"), "{record}");

    let err = s.fails("finding edit a.ron NC-009 --statement x");
    assert!(
        err.contains("no finding NC-009 in this audit (its findings: NC-002)"),
        "{err}"
    );
    let err = s.fails("finding edit a.ron NC-002");
    assert!(err.contains("nothing to change"), "{err}");
    let err = s.fails("finding remove a.ron bogus");
    assert!(err.contains("no finding bogus"), "{err}");
}

#[test]
fn an_nc_is_due_an_answer_by_the_end_date_plus_its_days_unless_set() {
    let s = Sandbox::new();
    s.audit();
    s.ok("finding add a.ron 8.2 --grade major --statement 'S' --objective-evidence 'E'");
    s.ok("finding add a.ron 9.1 --grade minor --statement 'S' --objective-evidence 'E'");
    s.ok("finding add a.ron 7.3 --grade observation --statement 'S'");
    let due = |i: usize| s.json("finding list a.ron --json")[i]["response_due"].clone();
    assert_eq!(due(0), serde_json::Value::Null, "no end date yet");
    assert!(
        s.ok("finding list a.ron")
            .contains("response due:       - (no end date yet)")
    );
    s.ok("meta a.ron --start 2026-11-24 --end 2026-11-25 --response-days-major 14");
    assert_eq!(due(0), "2026-12-09");
    assert_eq!(due(1), "2027-02-23");
    assert_eq!(due(2), serde_json::Value::Null);
    s.ok("finding edit a.ron NC-002 --response-due 2027-01-15");
    let list = s.json("finding list a.ron --json");
    assert_eq!(list[1]["response_due"], "2027-01-15");
    assert_eq!(list[1]["response_due_set"], true);
    let text = s.ok("finding list a.ron");
    assert!(
        text.contains("response due:       2027-01-15 (set)"),
        "{text}"
    );
    assert!(text.contains("response due:       2026-12-09\n"), "{text}");
    assert_eq!(text.matches("response due").count(), 2, "none for an OBS");
    s.ok(&["finding", "edit", "a.ron", "NC-002", "--response-due", ""]);
    assert_eq!(due(1), "2027-02-23");
    let err = s.fails("finding edit a.ron OBS-001 --response-due 2027-01-15");
    assert!(err.contains("OBS-001 is not a nonconformity"), "{err}");
    let out = s.run("finding edit a.ron NC-001 --response-due 15/01/2027");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn status_reports_coverage_per_checklist_and_clause() {
    let s = Sandbox::new();
    s.audit();
    s.ok("assess a.ron 4.1 --verdict conforming");
    s.ok("assess a.ron 4.2 --verdict nonconforming");
    s.ok("assess a.ron A.10.4 --verdict not-applicable --justification 'No customers use the AI system'");
    let v = s.json("status a.ron --json");
    assert_eq!(v["requirements_total"], 70);
    assert_eq!(v["requirements_assessed"], 3);
    assert_eq!(v["notes_total"], 0);
    let clause4 = &v["checklists"][0]["sections"][0];
    assert_eq!(
        (
            clause4["id"].as_str(),
            clause4["total"].as_u64(),
            clause4["assessed"].as_u64(),
            clause4["nonconforming"].as_u64()
        ),
        (Some("4"), Some(4), Some(2), Some(1))
    );
    assert_eq!(v["unassessed"].as_array().unwrap().len(), 67);
    let text = s.ok("status a.ron");
    assert!(text.contains("assessed 3/70 requirements (4%)"), "{text}");
    assert!(
        text.contains(
            "iso42001-2023  3/70 assessed (4%): 1 conforming, 1 nonconforming, 1 not applicable"
        ),
        "{text}"
    );
    assert!(
        text.contains("findings: 0 major, 0 minor, 0 observation(s), 0 OFI, 0 good practice"),
        "{text}"
    );
}

#[test]
fn every_change_is_in_the_audit_trail_with_its_author() {
    let s = Sandbox::new();
    s.audit();
    s.ok("--as 'Ann Second' assess a.ron 5.2 --verdict conforming");
    s.ok("note a.ron 5.2 'Policy signed by CEO'");
    s.ok("finding add a.ron 5.2 --grade ofi --statement 'Publish policy on intranet'");
    let record = s.read("a.ron");
    let trail = &record[record.find("trail:").unwrap()..];
    for (who, what) in [
        ("tester", "created the stage 2 audit of \\\"Acme AI Ltd\\\""),
        (
            "Ann Second",
            "iso42001-2023:5.2 verdict: not-assessed → conforming",
        ),
        ("Lee Auditor", "iso42001-2023:5.2 note 1 added"),
        (
            "Lee Auditor",
            "raised OFI-001 (opportunity for improvement) on iso42001-2023:5.2",
        ),
    ] {
        let what = what.replace("\\\"", "\"");
        let at = trail
            .find(&what)
            .unwrap_or_else(|| panic!("{what} not in {trail}"));
        let before = &trail[..at];
        let by = before.rfind("by: ").unwrap();
        assert!(
            before[by..].starts_with(&format!("by: \"{who}\"")),
            "{what} should be by {who}: {}",
            &before[by..]
        );
    }
}

#[test]
fn commands_on_a_missing_record_say_how_to_create_one() {
    let err = Sandbox::new().fails(&["note", "gone.ron", "4.1", "x"]);
    assert!(
        err.contains("gone.ron: no such audit record (create one with `fieldaudit new`)"),
        "{err}"
    );
}

#[test]
fn a_hand_broken_custom_checklist_in_a_record_is_refused_clearly() {
    let s = Sandbox::new();
    s.write(
        "mine.ron",
        r#"Checklist(id: "mine", title: "Mine", sections: [Section(id: "1", title: "One", requirements: [
            Requirement(id: "1.1", title: "First", questions: ["a?", "b?"], evidence: ["c"]),
        ])])"#,
    );
    s.ok("new a.ron --checklist mine.ron --client A");
    let text = s.read("a.ron").replace("title: \"First\"", "title: \"\"");
    std::fs::write(s.path("a.ron"), &text).unwrap();
    let err = s.fails("status a.ron");
    assert!(
        err.contains("a.ron: the record's own checklist 'mine' is not valid"),
        "{err}"
    );
    assert!(
        err.contains("requirement '1.1' has an empty title"),
        "{err}"
    );
    assert_eq!(s.read("a.ron"), text);
}

#[test]
fn the_screen_without_a_terminal_says_so_instead_of_panicking() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client Acme");
    let before = s.read("a.ron");
    // The test harness gives no terminal: stdin is /dev/null, stdout a pipe.
    let err = s.fails("open a.ron");
    assert!(
        err.contains("needs a terminal") && err.contains("standard input"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(s.read("a.ron"), before);
}

#[test]
fn a_note_counter_at_the_last_number_refuses_new_notes_and_saves_nothing() {
    let s = Sandbox::new();
    s.audit();
    s.ok("note a.ron 4.1 'first'");
    let text = s.read("a.ron").replace("note: 1,", "note: 4294967294,");
    std::fs::write(s.path("a.ron"), &text).unwrap();
    let out = s.ok("note a.ron 4.1 'the last one'");
    assert!(out.contains("note 4294967295 added"), "{out}");
    let full = std::fs::read(s.path("a.ron")).unwrap();
    let bak = std::fs::read(s.path("a.ron.bak")).unwrap();
    let err = s.fails("note a.ron 4.1 'one too many'");
    assert!(
        err.contains("no note number is left") && err.contains("ids are never reused"),
        "{err}"
    );
    assert_eq!(std::fs::read(s.path("a.ron")).unwrap(), full);
    assert_eq!(std::fs::read(s.path("a.ron.bak")).unwrap(), bak);
}

#[test]
fn a_finding_with_the_last_number_refuses_new_ones_in_its_family_only() {
    let s = Sandbox::new();
    s.audit();
    s.ok("finding add a.ron 4.1 --grade minor --statement x --objective-evidence seen");
    let text = s.read("a.ron").replace("\"NC-001\"", "\"NC-4294967295\"");
    std::fs::write(s.path("a.ron"), &text).unwrap();
    let err = s.fails("finding add a.ron 4.2 --grade major --statement y");
    assert!(err.contains("no NC number is left"), "{err}");
    assert_eq!(s.read("a.ron"), text);
    // A regrade into the exhausted family is refused the same way.
    s.ok("finding add a.ron 4.2 --grade observation --statement z");
    let err = s.fails("finding edit a.ron OBS-001 --grade minor");
    assert!(err.contains("no NC number is left"), "{err}");
    let out = s.ok("finding add a.ron 4.3 --grade ofi --statement w");
    assert!(out.contains("OFI-001"), "{out}");
    assert!(!s.read("a.ron").contains("NC-000"));
}

#[test]
fn a_team_member_with_a_comma_in_the_name_stays_one_person() {
    let s = Sandbox::new();
    s.audit();
    s.ok(&[
        "meta",
        "a.ron",
        "--technical-expert",
        "A. Auditor (technical expert, ML), B. Auditor",
        "--auditor",
        "Roe, Jane",
    ]);
    let team = &s.json("meta a.ron --json")["team"];
    assert_eq!(
        team,
        &serde_json::json!([
            {"name": "Lee Auditor", "role": "lead-auditor"},
            {"name": "Roe, Jane", "role": "auditor"},
            {"name": "A. Auditor (technical expert, ML), B. Auditor", "role": "technical-expert"},
        ])
    );
}

#[test]
fn every_role_round_trips_and_a_role_flag_replaces_only_its_role() {
    let s = Sandbox::new();
    s.audit();
    s.ok("meta a.ron --auditor 'Ann Second' --auditor 'Bo Third' --technical-expert 'Tess Expert' --observer 'Olu Observer' --auditor-in-training 'Ines Trainee' --interpreter 'Ivo Interpreter'");
    let json = s.json("meta a.ron --json");
    let roles: Vec<(&str, &str)> = json["team"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert_eq!(
        roles,
        [
            ("Lee Auditor", "lead-auditor"),
            ("Ann Second", "auditor"),
            ("Bo Third", "auditor"),
            ("Tess Expert", "technical-expert"),
            ("Olu Observer", "observer"),
            ("Ines Trainee", "auditor-in-training"),
            ("Ivo Interpreter", "interpreter"),
        ]
    );
    let record = std::fs::read_to_string(s.path("a.ron")).unwrap();
    assert!(record.contains("format_version: 7,"), "{record}");
    assert!(
        record.contains("name: \"Ines Trainee\",\n                role: auditor_in_training,"),
        "{record}"
    );
    // A role flag replaces that role only; a person named for another role
    // moves; "" clears a role; the lead stays unless --lead-auditor is given.
    s.ok("meta a.ron --observer 'Bo Third' --interpreter ''");
    let text = s.ok("meta a.ron");
    assert!(
        text.contains(
            "team:               Lee Auditor (lead auditor)\n                    Ann Second (auditor)\n                    Tess Expert (technical expert)\n                    Bo Third (observer)\n                    Ines Trainee (auditor in training)\n"
        ),
        "{text}"
    );
    s.ok("meta a.ron --lead-auditor 'Kim Lead'");
    let json = s.json("meta a.ron --json");
    assert_eq!(json["lead_auditor"], "Kim Lead");
    assert_eq!(
        json["team"][0],
        serde_json::json!({"name": "Kim Lead", "role": "lead-auditor"})
    );
    assert_eq!(json["team"].as_array().unwrap().len(), 5, "{json}");
    let status = s.ok("status a.ron");
    assert!(
        status.contains("\nteam: Kim Lead (lead auditor)\n      Ann Second (auditor)\n"),
        "{status}"
    );
}

#[test]
fn a_person_given_twice_is_refused_and_nothing_changes() {
    let s = Sandbox::new();
    s.audit();
    let before = std::fs::read(s.path("a.ron")).unwrap();
    let err = s.fails("meta a.ron --auditor 'Ann' --observer ' ann '");
    assert!(err.contains("ann is on the audit team twice"), "{err}");
    assert_eq!(std::fs::read(s.path("a.ron")).unwrap(), before);
}

#[test]
fn conclude_records_the_recommendation_the_audit_type_allows() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client 'Acme AI Ltd' --type stage1");
    // A stage 1 decides readiness for stage 2, never certification.
    let err = s.fails("conclude a.ron --recommendation recommend --reasoning 'x'");
    assert!(
        err.contains("'recommend' is not a recommendation for a stage 1 audit: choose ready, ready-once-resolved, not-ready"),
        "{err}"
    );
    let shown = s.ok("conclude a.ron");
    assert!(
        shown.contains("no conclusion yet") && shown.contains("proposed from the findings: ready"),
        "{shown}"
    );
    s.ok("meta a.ron --type stage2");
    s.ok("finding add a.ron 9.2.1 --grade major --statement 'No internal audit' --objective-evidence 'none'");
    let err = s.fails("conclude a.ron --recommendation recommend --reasoning 'fine'");
    assert!(
        err.contains("while major nonconformity NC-001 is open"),
        "{err}"
    );
    let out = s.ok("conclude a.ron --recommendation recommend-once-closed --reasoning 'Internal audit missing' --scope-appropriate yes --objectives-met no");
    assert!(
        out.contains("recommends certification once the major"),
        "{out}"
    );
    let json = s.json("conclude a.ron --json");
    assert_eq!(
        json["conclusion"]["recommendation"],
        "recommend-once-closed"
    );
    assert_eq!(json["conclusion"]["objectives_met"], false);
    assert_eq!(json["proposed"], "recommend-once-closed");
    let out =
        s.run("conclude a.ron --recommendation recommend --reasoning 'x' --objectives-met maybe");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("write yes or no"),
        "{err}"
    );
}

#[test]
fn a_requirement_an_nc_cites_cannot_be_assessed_conforming() {
    let s = Sandbox::new();
    s.audit();
    s.ok("finding add a.ron 4.1 --grade minor --statement 'No context review' --objective-evidence seen");
    let err = s.fails("assess a.ron 4.1 --verdict conforming");
    assert!(
        err.contains("iso42001-2023:4.1 cannot be conforming: NC-001 (minor) is raised on it"),
        "{err}"
    );
    assert!(
        err.contains("regrade or remove the finding, or set it nonconforming"),
        "{err}"
    );
    let err = s.fails("assess a.ron 4.1 --verdict not-applicable --justification 'Not ours'");
    assert!(
        err.contains("cannot be not applicable: NC-001 (minor)"),
        "{err}"
    );
    let status = s.json("status a.ron --json");
    assert_eq!(status["requirements_assessed"], 0, "nothing was set");
    s.ok("assess a.ron 4.1 --verdict nonconforming");
    // Once the NC is an observation, the requirement may conform.
    s.ok("finding edit a.ron NC-001 --grade observation");
    s.ok("assess a.ron 4.1 --verdict conforming");
}

#[test]
fn an_nc_on_a_conforming_requirement_needs_set_nonconforming() {
    let s = Sandbox::new();
    s.integrated_audit();
    s.ok("assess a.ron 42001:4.1 --verdict conforming");
    s.ok("assess a.ron 27001:4.1 --verdict not-applicable --justification 'Not ours'");
    let add = "finding add a.ron 42001:4.1 --grade major --statement 'No context review' --also 27001:4.1";
    let err = s.fails(add);
    assert!(
        err.contains("a major nonconformity cannot stand on iso42001-2023:4.1 (conforming) and iso27001-2022:4.1 (not applicable)"),
        "{err}"
    );
    assert!(err.contains("--set-nonconforming"), "{err}");
    assert_eq!(s.json("finding list a.ron --json"), serde_json::json!([]));
    let out = s.run(format!("{add} --set-nonconforming").as_str());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "NC-001");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("iso42001-2023:4.1: nonconforming (was conforming)"),
        "{said}"
    );
    assert!(
        said.contains("iso27001-2022:4.1: nonconforming (was not applicable)"),
        "{said}"
    );
    let status = s.json("status a.ron --json");
    assert_eq!(status["checklists"][0]["nonconforming"], 1, "{status}");
    assert_eq!(status["checklists"][1]["nonconforming"], 1, "{status}");
    // One change: a refused raise leaves the verdict as it was.
    s.ok("assess a.ron 42001:5.1 --verdict conforming");
    let err =
        s.fails("finding add a.ron 42001:5.1 --grade minor --statement ' ' --set-nonconforming");
    assert!(err.contains("statement is empty"), "{err}");
    assert_eq!(
        s.json("status a.ron --json")["checklists"][0]["conforming"],
        1
    );
    let err = s.fails("finding add a.ron 42001:5.1 --grade ofi --statement s --set-nonconforming");
    assert!(err.contains("--set-nonconforming goes with an NC"), "{err}");
}

#[test]
fn an_observation_regraded_to_an_nc_on_a_conforming_requirement_needs_set_nonconforming() {
    let s = Sandbox::new();
    s.audit();
    s.ok("assess a.ron 4.1 --verdict conforming");
    assert_eq!(
        s.ok("finding add a.ron 4.1 --grade observation --statement s")
            .trim(),
        "OBS-001"
    );
    let err = s.fails("finding edit a.ron OBS-001 --grade minor");
    assert!(
        err.contains("a minor nonconformity cannot stand on iso42001-2023:4.1 (conforming)"),
        "{err}"
    );
    let out = s.run("finding edit a.ron OBS-001 --grade minor --set-nonconforming");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("OBS-001 is now NC-001"));
    assert_eq!(
        s.json("status a.ron --json")["checklists"][0]["nonconforming"],
        1
    );
}

#[test]
fn assess_records_a_controls_declared_implementation_beside_the_verdict() {
    let s = Sandbox::new();
    s.audit();
    let out = s.ok("assess a.ron A.6.2.4 --implementation partly-implemented");
    assert!(
        out.contains("iso42001-2023:A.6.2.4: declared partly-implemented"),
        "{out}"
    );
    let out = s.ok("assess a.ron A.6.2.4 --verdict conforming --implementation partly-implemented");
    assert!(
        out.contains(": conforming") && out.contains("already declared"),
        "{out}"
    );
    assert!(
        s.read("a.ron")
            .contains("implementation: partly_implemented")
    );
    let out = s.run("assess a.ron A.6.2.4 --implementation mostly");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("implemented"));
    s.ok("assess a.ron A.6.2.4 --implementation ''");
    assert!(
        !s.read("a.ron")
            .contains("implementation: partly_implemented")
    );
}
