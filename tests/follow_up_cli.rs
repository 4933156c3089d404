//! A nonconformity followed to closure by commands: `finding respond` (one,
//! or all from the auditee's findings.csv), `review`, `implemented`,
//! `verify`, raising again with `finding add --follows`, and what `finding
//! list` shows of it.

mod common;
use std::io::Read;

use common::Sandbox;
use fieldaudit::audit::{self, Change, PreviousReport, SignOff, store};
use serde_json::Value;

/// A stage 2 record `a.ron` (audit 2030-01-08 to 10) with an evidence
/// bundle: NC-001 (major, 6.1.2), NC-002 (minor, 7.5.1), OBS-001 (9.1).
fn audit_with_ncs(s: &Sandbox) {
    std::fs::create_dir_all(s.path("bundle/action")).unwrap();
    s.write(
        "bundle/action/training-log.csv",
        "who,when\nops,2030-02-01\n",
    );
    s.write("bundle/action/register-v4.csv", "risk,owner\nbias,ops\n");
    s.ok("new a.ron --checklist iso42001-2023 --client 'Acme AI Ltd' --evidence bundle");
    s.ok("meta a.ron --lead-auditor 'Lee Auditor' --start 2030-01-08 --end 2030-01-10");
    for (req, grade, statement) in [
        ("6.1.2", "major", "No criteria for accepting AI risks"),
        ("7.5.1", "minor", "Procedure not controlled"),
        ("9.1", "observation", "Monitoring thin"),
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
            "seen on site",
        ]);
    }
}

/// `finding list --json`, the finding with id `id`.
fn listed(s: &Sandbox, record: &str, id: &str) -> Value {
    let list = s.json(&["finding", "list", record, "--json"]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {list}"))
        .clone()
}

fn steps(f: &Value) -> Vec<&str> {
    f["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect()
}

fn respond(s: &Sandbox, id: &str, planned: &str) -> String {
    s.ok(&[
        "finding",
        "respond",
        "a.ron",
        id,
        "--correction",
        "Criteria drafted",
        "--root-cause",
        "No owner for the risk process",
        "--corrective-action",
        "Risk owner named; criteria approved by the board",
        "--owner",
        "Ops lead",
        "--planned-date",
        planned,
    ])
}

#[test]
fn an_nc_is_followed_to_closure_and_list_shows_each_state_and_step() {
    let s = Sandbox::new();
    audit_with_ncs(&s);
    let nc = listed(&s, "a.ron", "NC-001");
    assert_eq!(nc["state"], "raised");
    assert_eq!(nc["raised_in"], Value::Null);
    assert_eq!(nc["due"]["kind"], "response");
    assert_eq!(nc["due"]["date"], "2030-02-09");
    assert_eq!(nc["overdue"], false);
    assert_eq!(nc["verdict_here"], Value::Null);
    assert_eq!(nc["history"], serde_json::json!([]));
    let obs = listed(&s, "a.ron", "OBS-001");
    assert!(obs.get("state").is_none(), "an observation is not followed");
    assert_eq!(obs["statement"], "Monitoring thin");

    let out = respond(&s, "NC-001", "2030-03-01");
    assert_eq!(
        out.trim(),
        "NC-001: response recorded, planned 2030-03-01; now plan to review"
    );
    let nc = listed(&s, "a.ron", "NC-001");
    assert_eq!(nc["state"], "response_received");
    let step = &nc["history"][0];
    assert_eq!(step["step"], "response");
    assert_eq!(step["by"], "Lee Auditor");
    assert_eq!(step["correction"], "Criteria drafted");
    assert_eq!(step["root_cause"], "No owner for the risk process");
    assert_eq!(step["owner"], "Ops lead");
    assert_eq!(step["planned_date"], "2030-03-01");
    assert!(step["at"].as_str().unwrap().starts_with("20"));

    let out = s.ok("finding review a.ron NC-001 --return --comment 'The root cause is a symptom' --as 'Sam Second'");
    assert_eq!(
        out.trim(),
        "NC-001: plan returned; now plan returned; awaiting a new response"
    );
    let nc = listed(&s, "a.ron", "NC-001");
    assert_eq!(nc["state"], "plan_returned");
    assert_eq!(nc["history"][1]["comment"], "The root cause is a symptom");
    assert_eq!(nc["history"][1]["by"], "Sam Second", "--as is who did it");

    respond(&s, "NC-001", "2030-03-01");
    s.ok("finding review a.ron NC-001 --accept --comment 'Plan fits the cause'");
    let nc = listed(&s, "a.ron", "NC-001");
    assert_eq!(nc["state"], "plan_accepted");
    assert_eq!(nc["due"]["kind"], "planned");
    assert_eq!(nc["due"]["date"], "2030-03-01");
    let text = s.ok("finding list a.ron");
    assert!(
        text.contains("    state:              plan accepted\n"),
        "{text}"
    );
    assert!(
        text.contains("    action planned by:  2030-03-01\n"),
        "{text}"
    );

    let out = s.ok("finding implemented a.ron NC-001 --evidence-file action/training-log.csv --comment 'Board approved the criteria'");
    assert!(
        out.contains("NC-001: implemented; now implemented; to verify"),
        "{out}"
    );
    let index = s.json("evidence index bundle --json");
    let sha = index
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "action/training-log.csv")
        .unwrap()["sha256"]
        .clone();
    let nc = listed(&s, "a.ron", "NC-001");
    assert_eq!(nc["state"], "implemented");
    let evidence = &nc["history"][4]["evidence"][0];
    assert_eq!(evidence["path"], "action/training-log.csv");
    assert_eq!(evidence["sha256"], sha, "pinned by its SHA-256");

    let out = s.ok("finding verify a.ron NC-001 --effective --objective-evidence 'Criteria applied in register v4' --evidence-file action/register-v4.csv");
    assert!(
        out.starts_with("NC-001: verified effective; now closed\n"),
        "{out}"
    );
    assert!(!out.contains("proposes"), "{out}");
    let nc = listed(&s, "a.ron", "NC-001");
    assert_eq!(nc["state"], "closed");
    assert_eq!(nc["verdict_here"], "effective");
    assert_eq!(nc["due"], Value::Null);
    assert_eq!(
        steps(&nc),
        [
            "response",
            "plan_returned",
            "response",
            "plan_accepted",
            "implemented",
            "verified"
        ]
    );
    assert_eq!(nc["history"][5]["outcome"], "effective");
    assert_eq!(
        nc["history"][5]["objective_evidence"],
        "Criteria applied in register v4"
    );
    let text = s.ok("finding list a.ron");
    assert!(
        text.contains("    verdict this audit: verified effective\n"),
        "{text}"
    );

    let err = s.fails("finding verify a.ron NC-001 --not-effective --objective-evidence x");
    assert!(
        err.contains("NC-001 is closed; nothing more can be recorded"),
        "{err}"
    );
    let err = s.fails("finding review a.ron NC-002 --accept --comment ok");
    assert!(err.contains("needs a response to review"), "{err}");
    let err = s.fails("finding respond a.ron OBS-001 --correction a --root-cause b --corrective-action c --planned-date 2030-03-01");
    assert!(err.contains("has no follow-up"), "{err}");
    let err =
        s.fails("finding implemented a.ron NC-002 --evidence-file action/nothing.csv --comment x");
    assert!(err.contains("no file 'action/nothing.csv'"), "{err}");
}

#[test]
fn exactly_one_decision_and_one_verdict_are_given() {
    let s = Sandbox::new();
    audit_with_ncs(&s);
    for line in [
        "finding review a.ron NC-001 --accept --return --comment x",
        "finding review a.ron NC-001 --comment x",
        "finding verify a.ron NC-001 --objective-evidence x",
        "finding verify a.ron NC-001 --effective --not-effective --objective-evidence x",
        "finding respond a.ron NC-001 --correction a",
        "finding respond a.ron NC-001 --from-csv r.csv",
    ] {
        assert_eq!(s.run(line).status.code(), Some(2), "{line}");
    }
    let out = s.run("finding respond a.ron NC-001 --correction a --root-cause b --corrective-action c --planned-date 2030-02-30");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'2030-02-30' is not a date written YYYY-MM-DD"),
        "{err}"
    );
}

#[test]
fn not_effective_on_a_minor_proposes_major_and_add_follows_raises_it_again() {
    let s = Sandbox::new();
    audit_with_ncs(&s);
    respond(&s, "NC-002", "2030-03-01");
    s.ok("finding review a.ron NC-002 --accept --comment ok");
    let out = s.ok("finding verify a.ron NC-002 --not-effective --objective-evidence 'Procedure still uncontrolled'");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "NC-002: not effective; now not effective; awaiting a new response"
    );
    assert!(
        lines[1].starts_with("fieldaudit proposes raising NC-002 again as a major"),
        "{out}"
    );
    assert_eq!(
        lines[2],
        "  fieldaudit finding add a.ron iso42001-2023:7.5.1 --grade major --statement 'Procedure not controlled' --follows NC-002"
    );
    // The auditor runs the command proposed.
    let argv = shell_words::split(lines[2].trim()).unwrap();
    let new_id = s.ok(&argv[1..].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(new_id.trim(), "NC-003");
    let earlier = listed(&s, "a.ron", "NC-002");
    assert_eq!(earlier["state"], "raised_again");
    assert_eq!(earlier["raised_again_as"], "NC-003");
    assert_eq!(earlier["verdict_here"], "not-effective");
    assert_eq!(
        steps(&earlier),
        ["response", "plan_accepted", "verified", "raised_again"]
    );
    assert_eq!(earlier["history"][3]["as_finding"], "NC-003");
    let new = listed(&s, "a.ron", "NC-003");
    assert_eq!(new["follows"], "NC-002");
    assert_eq!(new["grade"], "major");
    assert_eq!(new["state"], "raised");
    let text = s.ok("finding list a.ron");
    assert!(text.contains("    follows:            NC-002\n"), "{text}");
    assert!(
        text.contains("    state:              raised again as NC-003\n"),
        "{text}"
    );
    // A closed finding cannot be raised again, and nothing is added.
    let err = s.fails("finding add a.ron 7.5.1 --grade major --statement again --follows NC-002");
    assert!(err.contains("NC-002 is raised again as NC-003"), "{err}");
    assert!(
        s.json("finding list a.ron --json")
            .as_array()
            .unwrap()
            .len()
            == 4
    );
}

/// Sign `from` off by hand and start the next audit from it in `to`, as
/// `new --after` does once the report is verified.
fn next_audit(s: &Sandbox, from: &str, to: &str, report_no: &str) {
    let path = s.path(from);
    let mut record = store::load(&path).unwrap();
    let who = Change::now("Lee Auditor");
    record.sign_off = Some(SignOff {
        signer: "Lee Auditor".into(),
        at: who.at,
        key_id: "ABCD".into(),
        statement: "signed".into(),
        revision: Some(1),
    });
    let report = PreviousReport {
        report_no: report_no.into(),
        revision: 1,
        audit_type: record.meta.audit_type,
        manifest_sha256: "ab".repeat(32),
        key_id: "ABCD".into(),
        signer: "Lee Auditor".into(),
        signed_at: audit::now(),
    };
    let next = record.next_in_cycle(report, None, &who).unwrap();
    store::create(&s.path(to), &next).unwrap();
}

#[test]
fn a_stage1_area_of_concern_is_resolved_or_proposed_as_an_nc_at_stage2() {
    let s = Sandbox::new();
    s.ok("new s1.ron --checklist iso42001-2023 --client 'Acme AI Ltd' --type stage1");
    s.ok("meta s1.ron --lead-auditor 'Lee Auditor'");
    for req in ["4.3", "5.2"] {
        let id = s.ok(&[
            "finding",
            "add",
            "s1.ron",
            req,
            "--grade",
            "area-of-concern",
            "--statement",
            "Scope unclear",
        ]);
        assert!(id.starts_with("AOC-00"), "{id}");
    }
    let err = s.fails("finding verify s1.ron AOC-001 --effective --objective-evidence x");
    assert!(err.contains("give --resolved or --not-resolved"), "{err}");
    s.ok("finding verify s1.ron AOC-001 --resolved --objective-evidence 'Scope statement v2'");
    assert_eq!(listed(&s, "s1.ron", "AOC-001")["state"], "closed");

    next_audit(&s, "s1.ron", "s2.ron", "ACME-STAGE1-1");
    let list = s.json("finding list s2.ron --json");
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["AOC-002"], "the resolved one stays behind");
    assert_eq!(list[0]["raised_in"], "ACME-STAGE1-1");
    let text = s.ok("finding list s2.ron");
    assert!(
        text.contains("    raised in report:   ACME-STAGE1-1\n"),
        "{text}"
    );

    let out = s.ok("finding verify s2.ron AOC-002 --not-resolved --objective-evidence 'Still no scope statement'");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "AOC-002: not resolved; now not resolved");
    assert!(
        lines[1].contains("proposes raising AOC-002 again as a nonconformity"),
        "{out}"
    );
    assert_eq!(
        lines[2],
        "  fieldaudit finding add s2.ron iso42001-2023:5.2 --grade minor --statement 'Scope unclear' --follows AOC-002"
    );
    let argv = shell_words::split(lines[2].trim()).unwrap();
    let id = s.ok(&argv[1..].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(id.trim(), "NC-001");
    let aoc = listed(&s, "s2.ron", "AOC-002");
    assert_eq!(aoc["state"], "raised_again");
    assert_eq!(aoc["verdict_here"], "not-resolved");
    assert_eq!(steps(&aoc), ["verified", "raised_again"]);
    assert_eq!(listed(&s, "s2.ron", "NC-001")["follows"], "AOC-002");
}

#[test]
fn a_carried_nc_is_followed_in_the_next_audit_with_its_history() {
    let s = Sandbox::new();
    audit_with_ncs(&s);
    respond(&s, "NC-001", "2030-03-01");
    next_audit(&s, "a.ron", "b.ron", "ACME-STAGE2-1");
    s.ok("meta b.ron --start 2031-01-08 --end 2031-01-09");
    let nc = listed(&s, "b.ron", "NC-001");
    assert_eq!(nc["raised_in"], "ACME-STAGE2-1");
    assert_eq!(nc["state"], "response_received");
    assert_eq!(steps(&nc), ["response"], "the history came along");
    let id = s.ok("finding add b.ron 8.2 --grade minor --statement 'New one'");
    assert_eq!(id.trim(), "NC-003", "numbering goes on");
    s.ok("finding review b.ron NC-001 --accept --comment ok");
    let out =
        s.ok("finding verify b.ron NC-001 --not-effective --objective-evidence 'Not applied'");
    assert!(
        !out.contains("proposes"),
        "a major is not proposed as major: {out}"
    );
    let nc = listed(&s, "b.ron", "NC-001");
    assert_eq!(nc["state"], "not_effective");
    assert_eq!(nc["verdict_here"], "not-effective");
    assert_eq!(nc["due"]["kind"], "response");
    let ids: Vec<String> = s
        .json("finding list b.ron --json")
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        ["NC-001", "NC-002", "OBS-001", "NC-003"],
        "carried first"
    );
}

#[test]
fn a_signed_off_record_takes_no_step() {
    let s = Sandbox::new();
    audit_with_ncs(&s);
    let path = s.path("a.ron");
    store::update(&path, |r| -> Result<(), audit::StoreError> {
        r.sign_off = Some(SignOff {
            signer: "Lee".into(),
            at: audit::now(),
            key_id: "ABCD".into(),
            statement: "signed".into(),
            revision: Some(1),
        });
        Ok(())
    })
    .unwrap();
    let before = s.read("a.ron");
    s.write(
        "r.csv",
        "id,correction,root_cause,corrective_action,planned_date\nNC-001,a,b,c,2030-03-01\n",
    );
    for line in [
        "finding respond a.ron NC-001 --correction a --root-cause b --corrective-action c --planned-date 2030-03-01",
        "finding respond a.ron --from-csv r.csv",
        "finding review a.ron NC-001 --accept --comment x",
        "finding implemented a.ron NC-001 --comment x",
        "finding verify a.ron NC-001 --effective --objective-evidence x",
        "finding add a.ron 7.5.1 --grade major --statement again --follows NC-002",
    ] {
        let err = s.fails(line);
        assert!(err.contains("is locked"), "{line}: {err}");
    }
    assert_eq!(s.read("a.ron"), before);
}

/// findings.csv out of a draft report of `a.ron`.
fn findings_csv(s: &Sandbox) -> String {
    s.ok("pack a.ron -o draft.zip --draft");
    let file = std::fs::File::open(s.path("draft.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive
        .by_name("findings.csv")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The CSV `text` with the auditee's columns of `id`'s row set to `answer`
/// (correction, root_cause, corrective_action, action_owner, planned_date),
/// written back as a spreadsheet would: BOM, CRLF, quoted where needed.
fn filled(text: &str, answers: &[(&str, [&str; 5])]) -> Vec<u8> {
    let body = text.strip_prefix('\u{FEFF}').unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&header).unwrap();
    for row in reader.records() {
        let mut row: Vec<String> = row.unwrap().iter().map(str::to_string).collect();
        if let Some((_, answer)) = answers.iter().find(|(id, _)| row[col("id")] == *id) {
            for (name, value) in [
                "correction",
                "root_cause",
                "corrective_action",
                "action_owner",
                "planned_date",
            ]
            .iter()
            .zip(answer)
            {
                row[col(name)] = value.to_string();
            }
        }
        writer.write_record(&row).unwrap();
    }
    writer.into_inner().unwrap()
}

const GOOD: [&str; 5] = [
    "'=SUM(A1) was the broken cell",
    "No review \u{1b}[31mstep",
    "Monthly review, minuted",
    "Ops lead",
    "2030-03-31",
];

#[test]
fn responses_come_back_from_the_auditees_findings_csv_all_or_nothing() {
    let s = Sandbox::new();
    audit_with_ncs(&s);
    let csv = findings_csv(&s);
    assert!(csv.contains("correction,root_cause,corrective_action,action_owner,planned_date\r\n"));
    std::fs::write(s.path("r.csv"), filled(&csv, &[("NC-001", GOOD)])).unwrap();
    let out = s.ok("finding respond a.ron --from-csv r.csv");
    assert_eq!(
        out, "NC-001: response recorded, planned 2030-03-31; now plan to review\n",
        "one line per response; NC-002's empty row is skipped"
    );
    let nc = listed(&s, "a.ron", "NC-001");
    let step = &nc["history"][0];
    assert_eq!(
        step["correction"], "=SUM(A1) was the broken cell",
        "guard off"
    );
    assert_eq!(
        step["root_cause"], "No review \u{1b}[31mstep",
        "kept as text"
    );
    assert_eq!(step["owner"], "Ops lead");
    assert_eq!(listed(&s, "a.ron", "NC-002")["state"], "raised");

    // A second file: one good row (NC-002) and one each of the refusals;
    // nothing at all is recorded.
    s.ok("finding review a.ron NC-001 --accept --comment ok");
    let before = s.read("a.ron");
    let text = String::from_utf8(filled(
        &csv,
        &[("NC-001", GOOD), ("NC-002", GOOD), ("OBS-001", GOOD)],
    ))
    .unwrap();
    let extra = "R,A,NC-009,minor,x,t,s,e,,Lee,t,,fix,cause,action,,2030-03-31\r\n\
                 R,A,NC-002,minor,x,t,s,e,,Lee,t,,fix,cause,action,,31/03/2030\r\n\
                 R,A,\u{1b}]0;pwned\u{7},minor,x,t,s,e,,Lee,t,,fix,,action,,\r\n";
    s.write("bad.csv", &format!("{text}{extra}"));
    let out = s.run("finding respond a.ron --from-csv bad.csv");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    for expected in [
        "bad.csv: nothing recorded; fix these",
        "bad.csv:5 (NC-009): id: no finding NC-009 in this audit",
        "bad.csv:6 (NC-002): planned_date: '31/03/2030' is not a date written YYYY-MM-DD",
        "bad.csv:7 (\\x1b]0;pwned\\x07): root_cause, planned_date empty",
        "bad.csv:2 (NC-001): id: NC-001 is plan accepted",
    ] {
        assert!(err.contains(expected), "{expected:?} not in {err}");
    }
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "escaped: {err:?}"
    );
    assert_eq!(s.read("a.ron"), before, "all or nothing");

    // Rows that read well but the record refuses: checked before writing.
    let text = String::from_utf8(filled(
        &csv,
        &[("NC-001", GOOD), ("NC-002", GOOD), ("OBS-001", GOOD)],
    ))
    .unwrap();
    s.write("states.csv", &text);
    let err = s.fails("finding respond a.ron --from-csv states.csv");
    assert!(
        err.contains("states.csv:2 (NC-001): id: NC-001 is plan accepted: a response comes when a response is awaited"),
        "{err}"
    );
    assert!(
        err.contains("states.csv:4 (OBS-001): id: OBS-001 is an observation and has no follow-up"),
        "{err}"
    );
    assert!(!err.contains("(NC-002)"), "NC-002's row was fine: {err}");
    assert_eq!(s.read("a.ron"), before, "NC-002 was not recorded either");
    assert_eq!(listed(&s, "a.ron", "NC-002")["state"], "raised");
}

#[test]
fn a_hostile_responses_file_is_refused_unread_or_with_the_place() {
    let s = Sandbox::new();
    audit_with_ncs(&s);
    let csv = findings_csv(&s);
    let before = s.read("a.ron");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "zip.csv",
            std::fs::read(s.path("draft.zip")).unwrap(),
            "zip.csv:1: a NUL byte: this is not a CSV text file",
        ),
        (
            "cols.csv",
            b"id,correction,root_cause\nNC-001,a,b\n".to_vec(),
            "cols.csv:1: no column corrective_action, planned_date in the header",
        ),
        (
            "latin1.csv",
            [
                &filled(&csv, &[("NC-001", GOOD)])[..],
                b"R,A,NC-002,x,\xe9\r\n",
            ]
            .concat(),
            "latin1.csv:5: not UTF-8 text",
        ),
        (
            "short.csv",
            format!("{}R,A,NC-002\r\n", csv).into_bytes(),
            "short.csv:5: the row has 3 cells where the header has 17",
        ),
    ];
    for (name, bytes, expected) in cases {
        std::fs::write(s.path(name), bytes).unwrap();
        let err = s.fails(&["finding", "respond", "a.ron", "--from-csv", name]);
        assert!(err.contains(expected), "{expected:?} not in {err}");
    }
    let huge = std::fs::File::create(s.path("huge.csv")).unwrap();
    huge.set_len(17 * 1024 * 1024).unwrap();
    let err = s.fails("finding respond a.ron --from-csv huge.csv");
    assert!(
        err.contains("huge.csv: 17825792 bytes is too large"),
        "{err}"
    );
    let err = s.fails("finding respond a.ron --from-csv nowhere.csv");
    assert!(
        err.contains("nowhere.csv: cannot open the CSV file"),
        "{err}"
    );
    assert_eq!(s.read("a.ron"), before);
    // Unanswered: nothing to do, and it says so.
    s.write("empty.csv", &csv);
    let out = s.ok("finding respond a.ron --from-csv empty.csv");
    assert!(out.contains("no answers in it"), "{out}");
}

#[test]
fn an_nc_past_its_date_is_marked_overdue_until_answered() {
    let s = Sandbox::new();
    s.audit();
    s.ok("meta a.ron --start 2020-01-08 --end 2020-01-10");
    s.ok("finding add a.ron 6.1.2 --grade minor --statement 'Late one'");
    let nc = listed(&s, "a.ron", "NC-001");
    assert_eq!(nc["due"]["date"], "2020-04-09");
    assert_eq!(nc["overdue"], true);
    let text = s.ok("finding list a.ron");
    assert!(
        text.contains("    state:              awaiting response  OVERDUE\n"),
        "{text}"
    );
    s.ok("finding respond a.ron NC-001 --correction a --root-cause b --corrective-action c --planned-date 2020-06-01");
    assert_eq!(listed(&s, "a.ron", "NC-001")["overdue"], false, "answered");
    s.ok("finding review a.ron NC-001 --accept --comment ok");
    let nc = listed(&s, "a.ron", "NC-001");
    assert_eq!(nc["due"]["kind"], "planned");
    assert_eq!(nc["overdue"], true, "the planned date has passed");
}
