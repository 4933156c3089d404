//! `fieldaudit export --oscal`: the three OSCAL documents, their relative
//! hrefs, and never over an existing file; the report zip carries them.

mod common;

use common::{Sandbox, complete_audit, zip_entries};
use serde_json::Value;

fn read_json(s: &Sandbox, name: &str) -> Value {
    serde_json::from_str(&s.read(name)).unwrap()
}

#[test]
fn export_writes_results_with_their_plan_and_ssp_beside_them() {
    let s = Sandbox::new();
    complete_audit(&s);
    std::fs::create_dir(s.path("out")).unwrap();
    let out = s.ok("export a.ron --oscal -o out/results.json");
    assert!(out.contains("results.ssp.json"), "{out}");
    let results = read_json(&s, "out/results.json");
    let plan = read_json(&s, "out/results.plan.json");
    let ssp = read_json(&s, "out/results.ssp.json");
    let ar = &results["assessment-results"];
    assert_eq!(ar["import-ap"]["href"], "results.plan.json");
    assert_eq!(
        plan["assessment-plan"]["import-ssp"]["href"],
        "results.ssp.json"
    );
    assert_eq!(ar["metadata"]["oscal-version"], "1.2.1");
    assert!(ssp["system-security-plan"]["system-characteristics"].is_object());
    let result = &ar["results"][0];
    assert!(
        result["start"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-24T00:00:00")
    );
    // The finding against 6.1.2: not satisfied, with its grade.
    let nc = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["title"].as_str().unwrap().starts_with("NC-001"))
        .unwrap();
    assert_eq!(nc["target"]["target-id"], "iso42001-2023_6.1.2");
    assert_eq!(nc["target"]["status"]["state"], "not-satisfied");
    // The cited file: an EXAMINE observation with its SHA-256.
    let examined = result["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["methods"][0] == "EXAMINE" && o["title"].as_str().unwrap().contains("scan.pdf"))
        .unwrap();
    assert_eq!(examined["relevant-evidence"][0]["href"], "scan.pdf");
    assert_eq!(
        examined["relevant-evidence"][0]["props"][0]["name"],
        "sha256"
    );
    // The lead auditor is a party in their role.
    assert!(s.read("out/results.json").contains("\"lead-auditor\""));
    // Exported again elsewhere: the same document.
    s.ok("export a.ron --oscal -o again.json");
    assert_eq!(
        s.read("again.json"),
        s.read("out/results.json")
            .replace("results.plan.json", "again.plan.json")
    );
}

#[test]
fn export_refuses_existing_files_and_leaves_them_alone() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.write("results.plan.json", "mine");
    let err = s.fails("export a.ron --oscal -o results.json");
    assert!(err.contains("results.plan.json exists"), "{err}");
    assert_eq!(s.read("results.plan.json"), "mine");
    assert!(!s.path("results.json").exists());
    assert!(s.leftover_temps().is_empty());
    // No format: a usage error naming the formats.
    let out = s.run("export a.ron -o results.json");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--xlsx|--oscal"), "{err}");
}

#[test]
fn the_report_zip_carries_the_oscal_documents_and_verifies() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.ok("pack a.ron -o draft.zip --draft");
    let entries = zip_entries(&s.path("draft.zip"));
    let get = |name: &str| -> Value {
        let (_, bytes) = entries.iter().find(|(n, _)| n == name).unwrap();
        serde_json::from_slice(bytes).unwrap()
    };
    let results = get("results.oscal.json");
    assert_eq!(
        results["assessment-results"]["import-ap"]["href"],
        "results.oscal-plan.json"
    );
    let plan = get("results.oscal-plan.json");
    assert_eq!(
        plan["assessment-plan"]["import-ssp"]["href"],
        "results.oscal-ssp.json"
    );
    get("results.oscal-ssp.json");
    // Cited bundle files point at their copies in the zip.
    assert!(
        String::from_utf8_lossy(
            &entries
                .iter()
                .find(|(n, _)| n == "results.oscal.json")
                .unwrap()
                .1
        )
        .contains("\"href\": \"evidence/scan.pdf\"")
    );
    let manifest = String::from_utf8_lossy(
        &entries
            .iter()
            .find(|(n, _)| n == "MANIFEST.sha256")
            .unwrap()
            .1,
    )
    .to_string();
    for name in [
        "results.oscal.json",
        "results.oscal-plan.json",
        "results.oscal-ssp.json",
    ] {
        assert!(manifest.contains(name), "{name} not in the manifest");
    }
    s.ok("verify draft.zip");
}
