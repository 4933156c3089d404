//! The mapping from a record to OSCAL.

use serde_json::Value;

use super::*;
use crate::audit::{AuditType, Change, Criterion, Grade, Meta, Verdict};

fn record() -> (AuditRecord, Catalog) {
    let who = Change::now("Jane Roe");
    let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
    let mut meta = Meta::new("Acme AI Ltd", AuditType::Stage2);
    meta.start = chrono::NaiveDate::from_ymd_opt(2026, 11, 24);
    let mut record = AuditRecord::new(meta, criteria, None, &who);
    let catalog = record.catalog().unwrap();
    let conforming = catalog.resolve("4.1").unwrap();
    let na = catalog.resolve("A.10.4").unwrap();
    let nc = catalog.resolve("6.1.2").unwrap();
    record
        .set_verdict(&who, &conforming, Verdict::Conforming, None)
        .unwrap();
    record
        .add_note(
            &who,
            &conforming,
            "Context\nreviewed".into(),
            Some("CEO".into()),
        )
        .unwrap();
    record
        .set_verdict(
            &who,
            &na,
            Verdict::NotApplicable,
            Some("No customers".into()),
        )
        .unwrap();
    record
        .add_finding(
            &who,
            Grade::Minor,
            vec![nc],
            "No acceptance criteria".into(),
            None,
        )
        .unwrap();
    (record, catalog)
}

fn docs(record: &AuditRecord, catalog: &Catalog) -> (Value, Value, Value) {
    let names = Names {
        plan: "p.json".into(),
        ssp: "s.json".into(),
        in_report: false,
    };
    let r = export(record, catalog, &names);
    let parse = |t: &str| serde_json::from_str::<Value>(t).unwrap();
    (parse(&r.results), parse(&r.plan), parse(&r.ssp))
}

fn findings(results: &Value) -> &Vec<Value> {
    results["assessment-results"]["results"][0]["findings"]
        .as_array()
        .unwrap()
}

fn targeting<'a>(results: &'a Value, control: &str) -> Vec<&'a Value> {
    findings(results)
        .iter()
        .filter(|f| f["target"]["target-id"] == control)
        .collect()
}

fn is_token(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[test]
fn control_ids_are_oscal_tokens() {
    assert_eq!(
        control_id(&ReqRef::new("iso42001-2023", "6.1.2")),
        "iso42001-2023_6.1.2"
    );
    assert_eq!(control_id(&ReqRef::new("9x", "A:1 b")), "x9x_A-1-b");
    let (_, catalog) = record();
    for r in controls(&catalog) {
        assert!(is_token(&control_id(&r)), "{}", control_id(&r));
    }
}

#[test]
fn the_same_record_exports_the_same_uuids_and_each_is_unique() {
    let (record, catalog) = record();
    let first = export(
        &record,
        &catalog,
        &Names {
            plan: "p".into(),
            ssp: "s".into(),
            in_report: false,
        },
    );
    let second = export(
        &record,
        &catalog,
        &Names {
            plan: "p".into(),
            ssp: "s".into(),
            in_report: false,
        },
    );
    assert_eq!(first, second);
    let mut uuids: Vec<&str> = first
        .results
        .split("\"uuid\": \"")
        .skip(1)
        .map(|s| &s[..36])
        .collect();
    let all = uuids.len();
    assert!(all > 5);
    uuids.sort_unstable();
    uuids.dedup();
    assert_eq!(uuids.len(), all, "a uuid is used twice");
    assert!(
        uuids
            .iter()
            .all(|u| uuid::Uuid::parse_str(u).is_ok_and(|u| u.get_version_num() == 5))
    );
}

#[test]
fn verdicts_map_to_target_states_and_not_applicable_is_excluded() {
    let (record, catalog) = record();
    let (results, plan, _) = docs(&record, &catalog);
    let conforming = targeting(&results, "iso42001-2023_4.1");
    assert_eq!(conforming.len(), 1);
    assert_eq!(conforming[0]["target"]["status"]["state"], "satisfied");
    assert_eq!(conforming[0]["target"]["type"], "objective-id");
    // The note on it is an INTERVIEW observation it relates to.
    let obs = &results["assessment-results"]["results"][0]["observations"][0];
    assert_eq!(obs["methods"][0], "INTERVIEW");
    assert_eq!(
        conforming[0]["related-observations"][0]["observation-uuid"],
        obs["uuid"]
    );
    // Not applicable: no finding, excluded from the reviewed controls.
    assert!(targeting(&results, "iso42001-2023_A.10.4").is_empty());
    for doc in [
        &results["assessment-results"]["results"][0],
        &plan["assessment-plan"],
    ] {
        let selection = &doc["reviewed-controls"]["control-selections"][0];
        let has = |key: &str, id: &str| {
            selection[key]
                .as_array()
                .is_some_and(|a| a.iter().any(|c| c["control-id"] == id))
        };
        assert!(has("exclude-controls", "iso42001-2023_A.10.4"));
        assert!(!has("include-controls", "iso42001-2023_A.10.4"));
        // Not assessed: reviewed, but no finding.
        assert!(has("include-controls", "iso42001-2023_5.1"));
    }
    assert!(targeting(&results, "iso42001-2023_5.1").is_empty());
    assert_eq!(results["assessment-results"]["import-ap"]["href"], "p.json");
    assert_eq!(plan["assessment-plan"]["import-ssp"]["href"], "s.json");
}

#[test]
fn a_nonconformity_is_not_satisfied_with_its_grade_and_id() {
    let (record, catalog) = record();
    let (results, _, _) = docs(&record, &catalog);
    let nc = targeting(&results, "iso42001-2023_6.1.2");
    assert_eq!(nc.len(), 1);
    assert_eq!(nc[0]["target"]["status"]["state"], "not-satisfied");
    let props = nc[0]["props"].as_array().unwrap();
    let value = |name: &str| {
        props
            .iter()
            .find(|p| p["name"] == name && p["ns"] == NS)
            .map(|p| p["value"].clone())
    };
    assert_eq!(value("grade"), Some("minor".into()));
    assert_eq!(value("finding-id"), Some("NC-001".into()));
}

#[test]
fn a_finding_against_no_requirement_targets_the_criteria() {
    let (mut record, catalog) = record();
    record.findings[0].requirements.clear();
    let (results, _, _) = docs(&record, &catalog);
    let f = targeting(&results, "iso42001-2023");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["title"], "NC-001 (minor nonconformity)");
}

#[test]
fn one_line_strings_never_carry_newlines_or_come_out_empty() {
    assert_eq!(line(" a\n\tb  "), "a b");
    assert_eq!(line(" \n"), "(none)");
    assert_eq!(href("03 risk/ä.csv"), "03%20risk/%C3%A4.csv");
}
