//! The `surveillance` rule on a checklist requirement (issue 12), run as a
//! user would: `checklist validate` refuses an unknown value where it is,
//! and `checklist show` tells other tools which requirements are in every
//! surveillance visit.

mod common;
use common::Sandbox;

/// A custom checklist whose first requirement is in every surveillance visit.
const MARKED: &str = r#"Checklist(
    id: "acme-ai-internal",
    title: "Acme AI internal checks",
    sections: [
        Section(
            id: "S",
            title: "Checks",
            requirements: [
                Requirement(
                    id: "S.1",
                    title: "Internal audit of the AI process",
                    questions: ["When was it last audited?", "By whom?"],
                    evidence: ["Internal audit report"],
                    surveillance: Always,
                ),
                Requirement(
                    id: "S.2",
                    title: "Model inventory",
                    questions: ["Where is the inventory?", "Who keeps it?"],
                    evidence: ["Model inventory"],
                ),
            ],
        ),
    ],
)
"#;

#[test]
fn an_unknown_surveillance_value_is_refused_with_its_place_and_the_allowed_value() {
    let s = Sandbox::new();
    s.write("bad.ron", &MARKED.replace("Always", "Sometimes"));
    let err = s.fails("checklist validate bad.ron");
    // `surveillance: Sometimes,` is line 14; the value starts at column 35.
    assert!(err.contains("bad.ron:14:35: "), "{err}");
    assert!(err.contains("Sometimes"), "{err}");
    assert!(err.contains("`Always`"), "{err}");
    assert!(err.contains("fieldaudit checklist validate FILE"), "{err}");
}

#[test]
fn a_marked_custom_checklist_validates_and_shows_its_rule() {
    let s = Sandbox::new();
    s.write("mine.ron", MARKED);
    let out = s.ok("checklist validate mine.ron");
    assert!(
        out.contains(": ok: ") && out.contains("0 warning(s)"),
        "{out}"
    );
    let v = s.json("checklist show mine.ron --json");
    assert_eq!(v["requirements"][0]["surveillance"], "always", "{v}");
    assert!(v["requirements"][1]["surveillance"].is_null(), "{v}");
    let full = s.ok("checklist show mine.ron --full");
    assert_eq!(
        full.matches("in every surveillance visit").count(),
        1,
        "{full}"
    );
}

#[test]
fn show_json_gives_the_rule_of_each_shipped_requirement() {
    let v = Sandbox::new().json("checklist show iso9001-2015 --json");
    let always: Vec<&str> = v["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["surveillance"] == "always")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        always,
        [
            "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.2.1", "10.2.2"
        ]
    );
    let requirements = v["requirements"].as_array().unwrap();
    let unmarked = requirements.iter().filter(|r| r["surveillance"].is_null());
    assert_eq!(unmarked.count(), requirements.len() - always.len(), "{v}");
}
