//! The certification cycle end to end, by commands only: a signed stage 2
//! with two major NCs, three minor NCs and an observation; the surveillance
//! started from its zip; the auditee's answers read from the stage 2
//! report's own findings.csv; plans accepted and returned; NCs verified
//! effective, not effective and not yet due; the gate that holds the final
//! report until every carried NC has a verdict; and the chain of reports,
//! carried on to the next surveillance.

mod common;

use common::{Sandbox, complete_audit, unzip_and_check};
use sha2::{Digest, Sha256};

/// `stage2.zip`, signed with `lead.key`: NC-001 (minor, from
/// `complete_audit`), NC-002 and NC-003 (major), NC-004 and NC-005 (minor),
/// OBS-001.
fn signed_stage2(s: &Sandbox) {
    s.ok("keygen lead --no-password");
    complete_audit(s);
    for (req, grade, statement) in [
        ("6.1.2", "major", "No AI risk treatment plan exists"),
        ("8.2", "major", "AI risk assessments are not repeated"),
        ("7.5.3", "minor", "Obsolete model cards are in use"),
        (
            "9.2.2",
            "minor",
            "The internal audit programme skips the AI team",
        ),
    ] {
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
            "Seen on site",
            "--set-nonconforming",
        ]);
    }
    s.ok("finding add a.ron 7.2 --grade observation --statement 'Competence records are kept in two places'");
    s.ok("pack a.ron -o stage2.zip --key lead.key --signer 'Lee Auditor'");
}

/// The stage 2 report's findings.csv as the auditee returns it: an answer
/// on every NC, planned for `planned[i]`.
fn answered_csv(s: &Sandbox, planned: &[(&str, &str)]) -> String {
    let (dir, _) = unzip_and_check(s, "stage2.zip");
    let mut reader = csv::Reader::from_path(dir.join("findings.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    for row in reader.records() {
        let mut row: Vec<String> = row.unwrap().iter().map(String::from).collect();
        if let Some((_, date)) = planned.iter().find(|(id, _)| row[col("id")] == *id) {
            row[col("correction")] = "Corrected at once".into();
            row[col("root_cause")] = "=No owner for the process".into();
            row[col("corrective_action")] = "Owner named; monthly review".into();
            row[col("action_owner")] = "Head of AI Governance".into();
            row[col("planned_date")] = (*date).into();
        }
        out.write_record(&row).unwrap();
    }
    std::fs::remove_dir_all(dir).unwrap();
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

fn state(s: &Sandbox, record: &str, id: &str) -> String {
    let list = s.json(&["finding", "list", record, "--json"]);
    let found = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"));
    found["state"].as_str().unwrap().to_string()
}

#[test]
fn a_stage_2_is_followed_up_by_its_surveillance_and_the_reports_form_a_chain() {
    let s = Sandbox::new();
    signed_stage2(&s);
    std::fs::create_dir_all(s.path("bundle/actions")).unwrap();
    std::fs::write(
        s.path("bundle/actions/treatment-plan.pdf"),
        b"%PDF-1.4 plan",
    )
    .unwrap();

    // The surveillance starts from the signed zip, with the six findings.
    s.ok("new s1.ron --after stage2.zip --pubkey lead.pub --evidence bundle");
    let list = s.json("finding list s1.ron --json");
    let carried: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["raised_in"].is_null())
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        carried,
        ["NC-001", "NC-002", "NC-003", "NC-004", "NC-005", "OBS-001"]
    );
    s.ok("meta s1.ron --start 2027-11-10 --end 2027-11-11 --planned-days 1 --onsite-days 1 --remote-days 0 --changes none --deviations none --unresolved none --sampling 'Risk management and internal audit'");

    // The auditee's answers come back in the report's own findings.csv.
    let csv = answered_csv(
        &s,
        &[
            ("NC-001", "2027-01-31"),
            ("NC-002", "2027-02-28"),
            ("NC-003", "2027-02-28"),
            ("NC-004", "2028-03-31"),
            ("NC-005", "2027-03-31"),
        ],
    );
    s.write("answers.csv", &csv);
    let out = s.ok("finding respond s1.ron --from-csv answers.csv");
    assert_eq!(
        out.lines().filter(|l| l.contains("response")).count(),
        5,
        "{out}"
    );
    let list = s.json("finding list s1.ron --json");
    let nc1 = &list[0];
    assert_eq!(nc1["history"][0]["root_cause"], "=No owner for the process");

    // Plans accepted, one returned; verified effective, not effective, not yet due.
    for id in ["NC-001", "NC-002", "NC-003", "NC-004"] {
        s.ok(&[
            "finding",
            "review",
            "s1.ron",
            id,
            "--accept",
            "--comment",
            "Plan addresses the root cause",
        ]);
    }
    s.ok("finding review s1.ron NC-005 --return --comment 'The root cause restates the finding'");
    assert_eq!(state(&s, "s1.ron", "NC-005"), "plan_returned");
    s.ok("finding implemented s1.ron NC-002 --evidence-file actions/treatment-plan.pdf --comment 'Plan approved by the board'");
    s.ok("finding verify s1.ron NC-002 --effective --objective-evidence 'Treatment plan v1 approved 2027-02-20, in use' --evidence-file actions/treatment-plan.pdf");
    s.ok("finding verify s1.ron NC-001 --effective --objective-evidence 'Acceptance criteria in register v5'");
    s.ok("finding verify s1.ron NC-004 --not-yet-due --objective-evidence 'Model card review under way'");
    let out = s.ok("finding verify s1.ron NC-003 --not-effective --objective-evidence 'Assessments still not repeated'");
    assert!(
        !out.contains("--grade major"),
        "NC-003 is major already: {out}"
    );
    assert_eq!(state(&s, "s1.ron", "NC-001"), "closed");
    assert_eq!(state(&s, "s1.ron", "NC-003"), "not_effective");
    assert_eq!(state(&s, "s1.ron", "NC-004"), "plan_accepted");

    // The visit: what every surveillance covers, and a sample.
    s.ok("sample s1.ron --add 6.1.2 --add 8.2 --add 7.5.3");
    let visit = s.json("sample s1.ron --json");
    let always = visit["always"].as_array().unwrap();
    let sampled = visit["sampled"].as_array().unwrap();
    assert_eq!((always.len(), sampled.len()), (6, 3), "{visit}");
    assert_eq!(visit["in_visit"], 9);
    for r in always.iter().chain(sampled) {
        let id = r.as_str().unwrap();
        let verdict = if id.ends_with(":8.2") {
            "nonconforming"
        } else {
            "conforming"
        };
        s.ok(&["assess", "s1.ron", id, "--verdict", verdict]);
    }
    s.ok("finding add s1.ron 8.2 --grade major --statement 'AI risk assessments are still not repeated' --objective-evidence 'Last assessment 2026-06' --follows NC-003");
    s.ok("conclude s1.ron --recommendation continue-once-closed --reasoning 'One major NC raised again' --scope-appropriate yes --objectives-met yes");
    let err = s.fails("conclude s1.ron --recommendation continue --reasoning x");
    assert!(err.contains("NC-006"), "an open major rules it out: {err}");

    // The gate holds the final report until NC-005 has a verdict.
    let err = s.fails("pack s1.ron -o s1.zip --key lead.key --signer 'Lee Auditor'");
    assert!(err.contains("NC-005"), "{err}");
    for done in ["NC-001", "NC-002", "NC-003", "NC-004"] {
        assert!(!err.contains(&format!("{done} (carried")), "{done}: {err}");
    }
    assert!(!s.path("s1.zip").exists());
    s.ok("finding verify s1.ron NC-005 --not-effective --objective-evidence 'No accepted plan; programme unchanged'");
    s.ok("pack s1.ron -o s1.zip --key lead.key --signer 'Lee Auditor'");
    s.ok("verify s1.zip --pubkey lead.pub");

    // Its report names the stage 2 report by its manifest's SHA-256.
    let (stage2, _) = unzip_and_check(&s, "stage2.zip");
    let sha = hex::encode(Sha256::digest(
        std::fs::read(stage2.join("MANIFEST.sha256")).unwrap(),
    ));
    std::fs::remove_dir_all(&stage2).unwrap();
    let (s1, _) = unzip_and_check(&s, "s1.zip");
    let html = std::fs::read_to_string(s1.join("report.html")).unwrap();
    assert!(html.contains(&sha), "the chain is in the report");
    assert!(html.contains("Surveillance 1") || html.contains("surveillance 1"));

    // The next surveillance carries what is still open, and the chain grows.
    let out = s.ok("new s2.ron --after s1.zip --pubkey lead.pub");
    assert!(
        out.contains("NC-004, NC-005, NC-006"),
        "not yet due, not effective and the new NC go on; closed ones and the old observation stay behind: {out}"
    );
    assert!(!out.contains("OBS-001"), "{out}");
    let status = s.json("status s2.ron --json");
    assert_eq!(status["audit_type"], "surveillance2");
    assert_eq!(status["cycle"]["previous"].as_array().unwrap().len(), 2);
    assert_eq!(
        status["cycle"]["previous"][0]["manifest_sha256"],
        sha.as_str()
    );
}
