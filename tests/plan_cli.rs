//! The audit plan through the command line: `plan add|edit|remove|list`,
//! `assign`, the per-auditor progress of `status`, and every refusal.

mod common;
use common::{Sandbox, complete_audit};

/// `a.ron` with a lead (Lee Auditor) and an auditor (Ann Smith).
fn team_audit() -> Sandbox {
    let s = Sandbox::new();
    s.audit();
    s.ok("meta a.ron --auditor 'Ann Smith'");
    s
}

const ADD: &str = "plan add a.ron --day 2026-11-24 --start 09:00 --end 10:30 --auditor 'Lee Auditor' --participant 'Pat CTO' --topic 'Context and risk' --req 4.1 --req 42001:6.1.2";

#[test]
fn sessions_are_added_listed_edited_and_removed() {
    let s = team_audit();
    let out = s.ok(ADD);
    assert!(
        out.contains("added session 1: 2026-11-24 09:00–10:30  on site  Context and risk"),
        "{out}"
    );
    let out = s.ok("plan add a.ron --day 2026-11-24 --start 08:00 --end 09:00 --remote --site Leeds --auditor 'Ann Smith' --topic Opening");
    assert!(
        out.contains("added session 1:"),
        "an earlier session comes first: {out}"
    );
    let list = s.ok("plan list a.ron");
    assert!(list.contains("Tuesday 2026-11-24"), "{list}");
    let first = list.find("Opening").unwrap();
    let second = list.find("Context and risk").unwrap();
    assert!(first < second, "{list}");
    assert!(
        list.contains("   1  08:00–09:00  remote (Leeds)  Opening"),
        "{list}"
    );
    assert!(
        list.contains("   2  09:00–10:30  on site  Context and risk"),
        "{list}"
    );
    assert!(list.contains("participants: Pat CTO"), "{list}");
    assert!(
        list.contains("requirements: iso42001-2023:4.1, iso42001-2023:6.1.2"),
        "{list}"
    );
    assert!(
        list.contains("Lee Auditor  0/2 assessed: iso42001-2023:4.1, iso42001-2023:6.1.2"),
        "{list}"
    );

    let out = s.ok("plan edit a.ron 2 --not-held 'CTO ill' --on-site --topic 'Risk'");
    assert!(out.contains("session 2 changed"), "{out}");
    let list = s.ok("plan list a.ron");
    assert!(list.contains("NOT HELD: CTO ill"), "{list}");
    assert!(list.contains("on site  Risk"), "{list}");
    let out = s.ok("plan edit a.ron 2 --held");
    assert!(out.contains("session 2 changed"), "{out}");
    assert!(!s.ok("plan list a.ron").contains("NOT HELD"));
    let out = s.ok("plan edit a.ron 2 --topic Risk");
    assert!(out.contains("nothing to change"), "{out}");

    let out = s.ok("plan remove a.ron 1 --as 'Ann Smith'");
    assert!(
        out.contains("removed session 1: 2026-11-24 08:00–09:00  remote (Leeds)  Opening"),
        "{out}"
    );
    let json = s.json("plan list a.ron --json");
    assert_eq!(json["sessions"].as_array().unwrap().len(), 1);
    // Every change is on the trail, by who made it.
    let record = s.read("a.ron");
    let removed = record
        .lines()
        .position(|l| l.contains("plan: removed session"))
        .unwrap_or_else(|| panic!("no removal on the trail: {record}"));
    let entry = record
        .lines()
        .skip(removed.saturating_sub(4))
        .take(8)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(entry.contains("Ann Smith"), "{entry}");
}

#[test]
fn plan_list_json_has_its_shape() {
    let s = team_audit();
    s.ok(ADD);
    s.ok("assign a.ron 7.5.3 --to 'Ann Smith'");
    s.ok("assess a.ron 4.1 --verdict conforming");
    let json = s.json("plan list a.ron --json");
    let session = &json["sessions"][0];
    assert_eq!(session["number"], 1);
    assert_eq!(session["day"], "2026-11-24");
    assert_eq!(session["start"], "09:00");
    assert_eq!(session["end"], "10:30");
    assert_eq!(session["remote"], false);
    assert_eq!(session["site"], serde_json::Value::Null);
    assert_eq!(session["auditors"], serde_json::json!(["Lee Auditor"]));
    assert_eq!(session["participants"], serde_json::json!(["Pat CTO"]));
    assert_eq!(session["topic"], "Context and risk");
    assert_eq!(
        session["requirements"],
        serde_json::json!(["iso42001-2023:4.1", "iso42001-2023:6.1.2"])
    );
    assert_eq!(session["not_held"], serde_json::Value::Null);
    assert_eq!(
        json["assigned"],
        serde_json::json!([{"requirement": "iso42001-2023:7.5.3", "auditor": "Ann Smith"}])
    );
    assert_eq!(
        json["by_auditor"],
        serde_json::json!([
            {"name": "Lee Auditor", "assessed": 1, "total": 2,
             "requirements": ["iso42001-2023:4.1", "iso42001-2023:6.1.2"]},
            {"name": "Ann Smith", "assessed": 0, "total": 1,
             "requirements": ["iso42001-2023:7.5.3"]},
        ])
    );
}

#[test]
fn assign_and_unassign_change_who_audits_and_status_shows_progress() {
    let s = team_audit();
    let status = s.json("status a.ron --json");
    assert_eq!(status["by_auditor"], serde_json::json!([]));
    assert!(!s.ok("status a.ron").contains("by auditor:"));

    s.ok(ADD);
    let out = s.ok("assign a.ron 6.1.2 7.5.3 --to 'Ann Smith'");
    assert!(
        out.contains("iso42001-2023:6.1.2: assigned to Ann Smith"),
        "{out}"
    );
    assert!(
        out.contains("iso42001-2023:7.5.3: assigned to Ann Smith"),
        "{out}"
    );
    let out = s.ok("assign a.ron 7.5.3 --to 'Ann Smith'");
    assert!(out.contains("already assigned to Ann Smith"), "{out}");
    s.ok("assess a.ron 7.5.3 --verdict conforming");
    let status = s.json("status a.ron --json");
    assert_eq!(
        status["by_auditor"],
        serde_json::json!([
            {"name": "Lee Auditor", "assessed": 0, "total": 1},
            {"name": "Ann Smith", "assessed": 1, "total": 2},
        ])
    );
    let text = s.ok("status a.ron");
    assert!(text.contains("by auditor:"), "{text}");
    assert!(text.contains("  Ann Smith  1/2 assessed"), "{text}");

    let out = s.ok("assign a.ron 6.1.2 --unassign");
    assert!(
        out.contains("iso42001-2023:6.1.2: audited by the plan's sessions' auditors"),
        "{out}"
    );
    let status = s.json("status a.ron --json");
    assert_eq!(status["by_auditor"][0]["total"], 2, "6.1.2 is Lee's again");
}

#[test]
fn each_bad_value_is_refused_in_words_and_nothing_changes() {
    let s = team_audit();
    s.ok(ADD);
    let before = s.read("a.ron");

    let err = s.fails("plan add a.ron --day 2026-11-24 --start 11:00 --end 10:00 --auditor 'Lee Auditor' --topic X");
    assert!(err.contains("must end after it starts"), "{err}");
    let err = s.fails("plan add a.ron --day 2026-11-24 --start 11:00 --end 12:00 --auditor 'Zed Nobody' --topic X");
    assert!(
        err.contains("\"Zed Nobody\" is not in the audit team") && err.contains("--auditor NAME"),
        "{err}"
    );
    let err = s.fails("plan add a.ron --day 2026-11-24 --start 11:00 --end 12:00 --auditor 'Lee Auditor' --topic X --req 99.9");
    assert!(err.contains("99.9"), "{err}");
    let err = s.fails("plan edit a.ron 7 --topic X");
    assert!(err.contains('7'), "{err}");
    let err = s.fails("plan remove a.ron 0");
    assert!(!err.is_empty());
    let err = s.fails("assign a.ron 6.1.2 --to 'Zed Nobody'");
    assert!(err.contains("not in the audit team"), "{err}");
    let err = s.fails("assign a.ron 99.9 --to 'Ann Smith'");
    assert!(err.contains("99.9"), "{err}");
    let err = s.fails("plan edit a.ron 1 --start 11:00");
    assert!(err.contains("must end after it starts"), "{err}");
    assert_eq!(s.read("a.ron"), before, "a refusal changed the record");

    // Times and dates that cannot be read are usage errors that say what to write.
    let out = s.run(
        "plan add a.ron --day 2026-11-24 --start 9h --end 10:00 --auditor 'Lee Auditor' --topic X",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'9h' is not a time written HH:MM"), "{err}");
    let out = s.run("plan add a.ron --day 24/11/2026 --start 09:00 --end 10:00 --auditor 'Lee Auditor' --topic X");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    let out = s.run("assign a.ron 6.1.2");
    assert_eq!(out.status.code(), Some(2), "--to or --unassign is required");
}

#[test]
fn a_signed_off_record_refuses_plan_changes() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    s.ok("plan add a.ron --day 2026-11-24 --start 09:00 --end 10:00 --auditor 'Lee Auditor' --topic Opening");
    s.ok("pack a.ron -o r.zip --key lead.key --signer 'Lee Auditor'");
    for cmd in [
        "plan add a.ron --day 2026-11-24 --start 11:00 --end 12:00 --auditor 'Lee Auditor' --topic X",
        "plan edit a.ron 1 --topic X",
        "plan remove a.ron 1",
        "assign a.ron 6.1.2 --to 'Lee Auditor'",
    ] {
        let err = s.fails(cmd);
        assert!(err.contains("signed off"), "{cmd}: {err}");
    }
    assert!(s.ok("plan list a.ron").contains("Opening"));
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let s = team_audit();
    s.ok(&[
        "plan",
        "add",
        "a.ron",
        "--day",
        "2026-11-24",
        "--start",
        "09:00",
        "--end",
        "10:00",
        "--auditor",
        "Lee Auditor",
        "--topic",
        "Risk\x1b[2J\nforged line",
        "--participant",
        "Pat\x07",
    ]);
    let list = s.ok("plan list a.ron");
    assert!(!list.contains('\x1b') && !list.contains('\x07'), "{list:?}");
    assert!(!list.contains("\nforged line"), "{list}");
}
