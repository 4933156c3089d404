//! `fieldaudit crosswalk list|validate|show`, run as a user would.

mod common;
use common::Sandbox;

const SHIPPED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/checklists/crosswalks/eu-ai-act-2024-1689.ron"
);

/// A small crosswalk for another regulation, onto ISO/IEC 42001.
const OTHER: &str = r#"// An auditor's own crosswalk.
Crosswalk(
    id: "acme-ai-rules",
    title: "Acme AI rules to ISO/IEC 42001",
    regulation: "Acme internal AI rules 2026",
    checklist: "iso42001-2023",
    articles: [
        Article(number: "1", title: "Know your risks", maps: [
            Map(requirement: "6.1.2", strength: Supports, note: "The risk process is the rule."),
            Map(requirement: "A.5.4", strength: PartlySupports, note: "Impacts on people, not on the company."),
        ]),
    ],
)
"#;

fn no_raw_control(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character in {text:?}"
    );
}

#[test]
fn list_prints_the_shipped_crosswalk() {
    let s = Sandbox::new();
    let out = s.ok("crosswalk list");
    assert!(out.starts_with("eu-ai-act-2024-1689  "), "{out}");
    assert!(out.contains("14 articles"), "{out}");
    assert!(out.contains("onto iso42001-2023"), "{out}");
    let v = s.json("crosswalk list --json");
    assert_eq!(v[0]["id"], "eu-ai-act-2024-1689");
    assert_eq!(v[0]["checklist"], "iso42001-2023");
    assert_eq!(v[0]["articles"], 14);
}

#[test]
fn validate_accepts_the_shipped_file_and_a_users_own() {
    let s = Sandbox::new();
    let out = s.ok(&["crosswalk", "validate", SHIPPED]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains(": ok: eu-ai-act-2024-1689 \"EU AI Act (Regulation (EU) 2024/1689) to ISO/IEC 42001:2023\", 14 articles, "),
        "{out}"
    );
    s.write("acme.ron", OTHER);
    let out = s.ok("crosswalk validate acme.ron");
    assert!(out.starts_with("acme.ron: ok: acme-ai-rules"), "{out}");
    assert!(
        out.contains("1 articles, 2 mappings onto iso42001-2023, 0 warning(s)"),
        "{out}"
    );
}

#[test]
fn validate_refuses_mistakes_with_their_line_and_column() {
    let s = Sandbox::new();
    let bad = OTHER
        .replace("\"A.5.4\"", "\"A.5.9\"")
        .replace("Know your risks\"", "Know your risks\", colour: \"red\"");
    s.write("bad.ron", &bad);
    let err = s.fails("crosswalk validate bad.ron");
    assert!(
        err.contains("bad.ron:8:56: Unexpected field named `colour`"),
        "{err}"
    );
    assert!(err.contains("colour"), "{err}");

    let bad = OTHER.replace("\"A.5.4\"", "\"A.5.9\"");
    s.write("bad.ron", &bad);
    let err = s.fails("crosswalk validate bad.ron");
    assert!(
        err.contains("bad.ron:10:30: error: article '1': requirement 'A.5.9' does not resolve: iso42001-2023 has no requirement 'A.5.9'"),
        "{err}"
    );
    assert!(
        err.contains("bad.ron: invalid: 1 error(s), 0 warning(s)"),
        "{err}"
    );

    let bad = OTHER.replace("Supports, note", "Fully, note");
    s.write("bad.ron", &bad);
    let err = s.fails("crosswalk validate bad.ron");
    assert!(err.contains("bad.ron:9:"), "{err}");
    assert!(err.contains("crosswalk validate FILE"), "{err}");
    assert!(err.contains("Fully"), "{err}");
}

#[test]
fn validate_checks_against_a_users_checklist_file() {
    let s = Sandbox::new();
    s.write(
        "mine.ron",
        r#"Checklist(id: "mine", title: "Mine", sections: [Section(id: "1", title: "One", requirements: [
            Requirement(id: "1.1", title: "Risk", questions: ["a?", "b?"], evidence: ["e"]),
        ])])"#,
    );
    s.write(
        "onto-mine.ron",
        r#"Crosswalk(id: "x", title: "X", regulation: "R", checklist: "mine", articles: [
            Article(number: "1", title: "T", maps: [Map(requirement: "1.1", strength: Supports, note: "n")]),
        ])"#,
    );
    let err = s.fails("crosswalk validate onto-mine.ron");
    assert!(
        err.contains("maps onto checklist 'mine', which is not known here"),
        "{err}"
    );
    let out = s.ok("crosswalk validate onto-mine.ron --checklist mine.ron");
    assert!(out.contains(": ok: x "), "{out}");
}

#[test]
fn show_gives_each_article_its_verdicts_and_findings() {
    let s = Sandbox::new();
    s.audit();
    s.ok("assess a.ron 6.1.2 --verdict conforming");
    s.ok("assess a.ron 8.2 --verdict nonconforming");
    s.ok("finding add a.ron 8.2 --grade minor --statement 'Risk assessment not repeated'");
    let out = s.ok("crosswalk show a.ron eu-ai-act-2024-1689");
    assert!(out.contains("presumption of conformity"), "{out}");
    let nine = out
        .split("\nArticle ")
        .find(|a| a.starts_with("9  "))
        .unwrap_or_else(|| panic!("no article 9 in {out}"));
    assert!(
        nine.starts_with("9  Risk management system  [nonconformity]"),
        "{nine}"
    );
    assert!(
        nine.contains("1 of 7 mapped requirements conforming; 1 nonconforming; 5 not assessed; NC-001 (minor) open"),
        "{nine}"
    );
    assert!(
        nine.contains("6.1.2     supports         conforming"),
        "{nine}"
    );
    assert!(
        nine.contains("8.2       supports         nonconforming"),
        "{nine}"
    );
    assert!(nine.contains("NC-001"), "{nine}");
    assert!(!nine.contains("note:"), "notes only with --full: {nine}");
    assert!(
        out.ends_with("\n14 articles: 1 nonconformity, 12 not assessed, 1 partly assessed\n"),
        "{out}"
    );
    let full = s.ok("crosswalk show a.ron eu-ai-act-2024-1689 --full");
    assert!(full.contains("documented, repeatable"), "{full}");

    let v = s.json("crosswalk show a.ron eu-ai-act-2024-1689 --json");
    assert_eq!(v["crosswalk"]["id"], "eu-ai-act-2024-1689");
    let articles = v["articles"].as_array().unwrap();
    let nine = articles.iter().find(|a| a["number"] == "9").unwrap();
    assert_eq!(nine["rollup"], "nonconformity");
    assert_eq!(nine["mapped"][2]["requirement"], "iso42001-2023:8.2");
    assert_eq!(nine["mapped"][2]["verdict"], "nonconforming");
    assert_eq!(nine["mapped"][2]["findings"][0]["id"], "NC-001");
    assert!(
        nine["summary"]
            .as_str()
            .unwrap()
            .ends_with("NC-001 (minor) open")
    );
}

#[test]
fn show_reads_a_users_crosswalk_file_too() {
    let s = Sandbox::new();
    s.audit();
    s.write("acme.ron", OTHER);
    let out = s.ok("crosswalk show a.ron acme.ron");
    assert!(
        out.contains("Article 1  Know your risks  [not assessed]"),
        "{out}"
    );
}

#[test]
fn show_refuses_a_crosswalk_onto_a_checklist_the_audit_does_not_use() {
    let s = Sandbox::new();
    s.ok("new b.ron --checklist iso27001-2022 --client Acme");
    let err = s.fails("crosswalk show b.ron eu-ai-act-2024-1689");
    assert!(
        err.contains(
            "maps onto iso42001-2023, which is not among this audit's criteria (iso27001-2022)"
        ),
        "{err}"
    );
    s.write("acme.ron", OTHER);
    let err = s.fails("crosswalk show b.ron acme.ron");
    assert!(err.contains("not among this audit's criteria"), "{err}");
    let err = s.fails("crosswalk show b.ron nope");
    assert!(
        err.contains("no shipped crosswalk and no file named 'nope'"),
        "{err}"
    );
}

#[test]
fn hostile_files_are_refused_escaped_and_bounded() {
    let s = Sandbox::new();
    s.audit();
    // Control characters in a title: refused, and never raw on the terminal.
    s.write(
        "evil.ron",
        &OTHER.replace("Know your risks", "Know\u{1b}[2J\u{9b}31m your risks"),
    );
    for args in [
        "crosswalk validate evil.ron",
        "crosswalk show a.ron evil.ron",
    ] {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(1), "{args}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("control character U+001B"), "{err}");
        no_raw_control(&err);
        no_raw_control(&String::from_utf8_lossy(&out.stdout));
    }
    // Huge: refused unread.
    s.write(
        "huge.ron",
        &format!("Crosswalk(id: \"{}\")", "a".repeat(2 << 20)),
    );
    let err = s.fails("crosswalk validate huge.ron");
    assert!(err.contains("larger than 1024 KiB"), "{err}");
    // Deeply nested: refused with its place, no stack overflow.
    s.write(
        "deep.ron",
        &format!("Crosswalk(id: {}", "(".repeat(200_000)),
    );
    let err = s.fails("crosswalk validate deep.ron");
    assert!(err.contains("deep.ron:1:"), "{err}");
    // A file name with an escape in it is shown escaped.
    s.write("e\u{1b}vil.ron", "nonsense");
    let err = s.fails(&["crosswalk", "validate", "e\u{1b}vil.ron"]);
    no_raw_control(&err);
    assert!(err.contains("e\\x1bvil.ron"), "{err}");
}
