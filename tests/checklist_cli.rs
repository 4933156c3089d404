//! `fieldaudit checklist list|show|validate`, run as a user would.

mod common;
use common::Sandbox;

#[test]
fn list_prints_each_shipped_checklist_with_its_count() {
    let out = Sandbox::new().ok("checklist list");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("iso42001-2023") && lines[0].contains(" 70 requirements"));
    assert!(lines[1].starts_with("iso27001-2022") && lines[1].contains("123 requirements"));
    assert!(lines[2].starts_with("iso9001-2015") && lines[2].contains(" 62 requirements"));
    assert!(lines[0].contains("ISO/IEC 42001:2023"));
}

#[test]
fn show_json_lists_requirements_in_checklist_order() {
    let v = Sandbox::new().json("checklist show iso42001-2023 --json");
    assert_eq!(v["id"], "iso42001-2023");
    let reqs = v["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 70);
    assert_eq!(reqs[0]["id"], "4.1");
    assert_eq!(reqs[0]["kind"], "clause");
    let ids: Vec<&str> = reqs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let at = |id: &str| ids.iter().position(|i| *i == id).unwrap();
    assert!(at("6.1.1") < at("6.1.4") && at("6.1.4") < at("6.2") && at("10.2") < at("A.2.2"));
    let control = &reqs[at("A.6.2.4")];
    assert_eq!(control["kind"], "control");
    assert!(control["questions"].as_array().unwrap().len() >= 2);
    assert!(!control["evidence"].as_array().unwrap().is_empty());
    let twin = &reqs[at("7.5.3")];
    let maps: Vec<&str> = twin["maps_to"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(maps, ["iso27001-2022:7.5.3", "iso9001-2015:7.5.3"]);
}

#[test]
fn show_text_outlines_sections_and_full_adds_questions() {
    let s = Sandbox::new();
    let out = s.ok("checklist show iso9001-2015");
    assert!(out.contains("8  Operation"), "{out}");
    assert!(out.contains("  8.5.1     "), "{out}");
    assert!(!out.contains("ask:"));
    let full = s.ok("checklist show iso9001-2015 --full");
    assert!(full.contains("ask: ") && full.contains("see: "));
}

#[test]
fn show_unknown_name_lists_the_shipped_ones() {
    let err = Sandbox::new().fails("checklist show iso42001");
    assert!(
        err.contains("no shipped checklist and no file named 'iso42001'"),
        "{err}"
    );
    assert!(
        err.contains("iso42001-2023, iso27001-2022, iso9001-2015"),
        "{err}"
    );
}

#[test]
fn shipped_checklists_validate_from_their_files() {
    let s = Sandbox::new();
    for id in ["iso42001-2023", "iso27001-2022", "iso9001-2015"] {
        let path = format!("{}/checklists/{id}.ron", env!("CARGO_MANIFEST_DIR"));
        let out = s.ok(&["checklist", "validate", &path]);
        assert!(
            out.contains(": ok: ") && out.contains("0 warning(s)"),
            "{out}"
        );
    }
}

const CUSTOM: &str = r#"// An auditor's own checklist.
Checklist(
    id: "acme-ai-suppliers",
    title: "Acme AI supplier review",
    sections: [
        Section(
            id: "S",
            title: "Suppliers",
            requirements: [
                Requirement(
                    id: "S.1",
                    title: "Model supplier due diligence",
                    questions: ["Which model suppliers do you use?", "How were they vetted?"],
                    evidence: ["Supplier assessment records"],
                    maps_to: ["iso42001-2023:A.10.3"],
                ),
                Requirement(
                    id: "S.2",
                    title: "Data supplier contracts",
                    questions: ["Show a data licence.", "Who reviews them?"],
                    evidence: ["Signed data licences"],
                ),
            ],
        ),
    ],
)
"#;

#[test]
fn a_good_custom_checklist_validates_with_a_summary() {
    let s = Sandbox::new();
    s.write("mine.ron", CUSTOM);
    let out = s.ok("checklist validate mine.ron");
    assert_eq!(
        out.trim(),
        "mine.ron: ok: acme-ai-suppliers \"Acme AI supplier review\", 2 requirements (2 clauses, 0 controls), 0 warning(s)"
    );
    let shown = s.json("checklist show mine.ron --json");
    assert_eq!(
        shown["requirements"][0]["maps_to"][0],
        "iso42001-2023:A.10.3"
    );
}

#[test]
fn syntax_error_is_reported_at_line_and_column() {
    let s = Sandbox::new();
    // Missing comma after the title on line 4.
    s.write("bad.ron", &CUSTOM.replace("review\",", "review\""));
    let err = s.fails("checklist validate bad.ron");
    assert!(err.starts_with("error: bad.ron:5:5: "), "{err}");
}

#[test]
fn unknown_field_is_reported_at_line_and_column() {
    let s = Sandbox::new();
    s.write(
        "bad.ron",
        &CUSTOM.replace("evidence: [\"Signed", "evidense: [\"Signed"),
    );
    let err = s.fails("checklist validate bad.ron");
    assert!(err.contains("bad.ron:21:21: "), "{err}");
    assert!(err.contains("evidense"), "{err}");
}

#[test]
fn duplicate_ids_empty_titles_and_dangling_references_are_named() {
    let s = Sandbox::new();
    let text = CUSTOM
        .replace("\"S.2\"", "\"S.1\"")
        .replace("\"Data supplier contracts\"", "\"\"")
        .replace("iso42001-2023:A.10.3", "iso42001-2023:A.10.9");
    s.write("bad.ron", &text);
    let err = s.fails("checklist validate bad.ron");
    assert!(
        err.contains("bad.ron:18:25: error: duplicate requirement id 'S.1'"),
        "{err}"
    );
    assert!(
        err.contains("bad.ron:18:25: error: requirement 'S.1' has an empty title"),
        "{err}"
    );
    assert!(
        err.contains("bad.ron:15:31: error: requirement 'S.1': cross-reference 'iso42001-2023:A.10.9' does not resolve"),
        "{err}"
    );
    assert!(
        err.contains("bad.ron: invalid: 3 error(s), 0 warning(s)"),
        "{err}"
    );
}

#[test]
fn missing_questions_are_warnings_not_errors() {
    let s = Sandbox::new();
    s.write(
        "thin.ron",
        &CUSTOM.replace(
            "questions: [\"Show a data licence.\", \"Who reviews them?\"],",
            "",
        ),
    );
    let out = s.run("checklist validate thin.ron");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: requirement 'S.2' has no audit questions"),
        "{err}"
    );
}

#[test]
fn validate_missing_file_says_so() {
    let err = Sandbox::new().fails("checklist validate nope.ron");
    assert!(err.contains("nope.ron: cannot read checklist"), "{err}");
}

#[test]
fn the_readme_example_checklist_validates() {
    let path = format!(
        "{}/checklists/examples/acme-ai-suppliers.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Sandbox::new().ok(&["checklist", "validate", &path]);
    assert!(out.contains("ok: acme-ai-suppliers"), "{out}");
}

#[test]
fn a_checklist_that_is_not_utf8_is_refused_at_the_bad_byte() {
    let s = Sandbox::new();
    let mut bytes = CUSTOM.as_bytes().to_vec();
    // The first "p" of "Suppliers", on line 8, column 23.
    let offset = CUSTOM.find("Suppliers").unwrap() + 2;
    bytes[offset] = 0xe9;
    std::fs::write(s.path("bad.ron"), &bytes).unwrap();
    let err = s.fails("checklist validate bad.ron");
    assert!(
        err.starts_with("error: bad.ron:8:23: byte 0xE9 is not UTF-8 text"),
        "{err}"
    );
    assert!(err.contains("fieldaudit checklist validate"), "{err}");
    let err = s.fails("new a.ron --checklist bad.ron --client A");
    assert!(
        err.contains("bad.ron:8:23: byte 0xE9 is not UTF-8"),
        "{err}"
    );
    assert!(!s.path("a.ron").exists());
}

#[test]
fn an_empty_section_title_is_reported_where_the_section_is() {
    let s = Sandbox::new();
    s.write("bad.ron", &CUSTOM.replace("\"Suppliers\"", "\"  \""));
    let err = s.fails("checklist validate bad.ron");
    assert!(
        err.contains("bad.ron:7:17: error: section 'S' has an empty title"),
        "{err}"
    );
}

#[test]
fn a_problem_points_at_its_requirement_not_at_a_title_that_reads_the_same() {
    let s = Sandbox::new();
    let text = CUSTOM
        .replace("title: \"Suppliers\"", "title: \"S.1\"")
        .replace("\"Model supplier due diligence\"", "\"\"");
    s.write("bad.ron", &text);
    let err = s.fails("checklist validate bad.ron");
    assert!(
        err.contains("bad.ron:11:25: error: requirement 'S.1' has an empty title"),
        "{err}"
    );
}
