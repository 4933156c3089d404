//! The certification cycle on the command line: `new --after` starts the
//! next audit from a signed report (verified first), `status` shows the
//! cycle and the follow-up, `sample` sets a surveillance visit's sample.

mod common;

use common::craft::{self, Key, Zip};
use common::{Sandbox, complete_audit, unzip_and_check, zip_entries};
use sha2::{Digest, Sha256};

/// A signed stage 2 report `stage2.zip` (key `lead`), from a record with a
/// minor NC (NC-001, response due 2020-01-01: overdue), a major NC
/// (NC-002, due 2099-01-01) and an observation (OBS-001).
fn signed_stage2(s: &Sandbox) {
    s.ok("keygen lead --no-password");
    complete_audit(s);
    s.ok("finding add a.ron 6.1.2 --grade major --statement 'No AI risk treatment plan' --objective-evidence 'Plan missing from the register'");
    s.ok("finding add a.ron 7.5.3 --grade observation --statement 'Document control is manual'");
    s.ok("finding edit a.ron NC-001 --response-due 2020-01-01");
    s.ok("finding edit a.ron NC-002 --response-due 2099-01-01");
    s.ok("pack a.ron -o stage2.zip --key lead.key --signer 'Lee Auditor'");
}

/// A report of these files signed with `key` (public key in `forger.pub`).
fn forged(s: &Sandbox, zip: &str, files: &[(&str, &[u8])], key: &Key) {
    std::fs::write(s.path("forger.pub"), key.public_file()).unwrap();
    std::fs::write(
        s.path(zip),
        Zip::of(craft::report(files, Some(key))).build(),
    )
    .unwrap();
}

#[test]
fn the_next_audit_starts_from_the_signed_report_with_the_findings_and_the_chain() {
    let s = Sandbox::new();
    signed_stage2(&s);
    let out = s.ok("new s1.ron --after stage2.zip --pubkey lead.pub");
    assert!(
        out.contains("created s1.ron (surveillance 1 audit of Acme AI Ltd"),
        "{out}"
    );
    assert!(
        out.contains("carried (3) to follow up: NC-001, NC-002, OBS-001"),
        "{out}"
    );
    let (dir, _) = unzip_and_check(&s, "stage2.zip");
    let manifest = std::fs::read(dir.join("MANIFEST.sha256")).unwrap();
    let sha = hex::encode(Sha256::digest(&manifest));
    assert!(out.contains(&format!("manifest SHA-256 {sha}")), "{out}");
    assert!(out.contains("revision 1 (stage 2 audit"), "{out}");

    let status = s.json("status s1.ron --json");
    assert_eq!(status["audit_type"], "surveillance1");
    assert_eq!(status["requirements_assessed"], 0, "verdicts start afresh");
    let previous = &status["cycle"]["previous"];
    assert_eq!(previous.as_array().unwrap().len(), 1);
    assert_eq!(previous[0]["manifest_sha256"], sha.as_str());
    assert_eq!(previous[0]["revision"], 1);
    assert_eq!(previous[0]["audit_type"], "stage2");
    assert_eq!(previous[0]["signer"], "Lee Auditor");
    assert!(
        previous[0]["report_no"]
            .as_str()
            .unwrap()
            .starts_with("ACME-AI-LTD-STAGE2")
    );
    assert_eq!(
        status["cycle"]["carried"],
        serde_json::json!(["NC-001", "NC-002", "OBS-001"])
    );
    let follow = &status["follow_up"];
    let items = follow["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{follow}");
    assert_eq!(items[1]["id"], "NC-002");
    assert_eq!(items[1]["grade"], "major");
    assert_eq!(items[1]["state"], "raised");
    assert_eq!(items[1]["due"], "2099-01-01");
    assert_eq!(items[1]["overdue"], false);
    assert!(
        items[1]["raised_in"]
            .as_str()
            .unwrap()
            .starts_with("ACME-AI-LTD-STAGE2")
    );
    assert_eq!(follow["carried"], 2, "{follow}");
    assert_eq!(follow["states"]["raised"], 2, "{follow}");
    assert_eq!(
        follow["awaiting_verdict"],
        serde_json::json!(["NC-001", "NC-002"])
    );
    let overdue = follow["overdue"].as_array().unwrap();
    assert_eq!(overdue.len(), 1, "{follow}");
    assert_eq!(overdue[0]["id"], "NC-001");
    assert_eq!(overdue[0]["due"], "2020-01-01");
    assert_eq!(overdue[0]["due_kind"], "response");
    let text = s.ok("status s1.ron");
    assert!(text.contains("follows report ACME-AI-LTD-STAGE2"), "{text}");
    assert!(
        text.contains("awaiting this audit's verdict (2): NC-001, NC-002"),
        "{text}"
    );
    assert!(
        text.contains("OVERDUE (1):\n  NC-001  minor  response due 2020-01-01"),
        "{text}"
    );
    // Numbering goes on across the cycle.
    s.ok("assess s1.ron 8.2 --verdict nonconforming");
    let id = s.ok("finding add s1.ron 8.2 --grade minor --statement 'No impact assessment' --objective-evidence 'None on file'");
    assert_eq!(id.trim(), "NC-003");
    // The record names the chain in its trail, and never overwrites.
    assert!(s.read("s1.ron").contains(&sha));
    let err = s.fails("new s1.ron --after stage2.zip --pubkey lead.pub");
    assert!(err.contains("already exists"), "{err}");
    // Another type than the next in the cycle, a new bundle, another author.
    let bundle = s.path("bundle");
    let out = s.ok(&[
        "new",
        "s2.ron",
        "--after",
        "stage2.zip",
        "--pubkey",
        "lead.pub",
        "--type",
        "surveillance2",
        "--evidence",
        bundle.to_str().unwrap(),
        "--as",
        "Ann Second",
    ]);
    assert!(out.contains("(surveillance 2 audit of"), "{out}");
    let meta = s.json("meta s2.ron --json");
    assert_eq!(meta["type"], "surveillance2");
    assert_eq!(meta["scope"], "Credit-scoring AI");
    assert_eq!(meta["certification_body"], "Example Certification Ltd");
    assert_eq!(meta["lead_auditor"], "Lee Auditor");
    assert!(meta["evidence"].as_str().unwrap().ends_with("bundle"));
    assert!(s.read("s2.ron").contains("by: \"Ann Second\""));
}

#[test]
fn a_tampered_unsigned_or_otherwise_signed_report_starts_nothing() {
    let s = Sandbox::new();
    signed_stage2(&s);
    // A byte flipped inside an entry's stored data.
    let mut bytes = std::fs::read(s.path("stage2.zip")).unwrap();
    let archive = fieldaudit::zipread::Archive::read(&mut std::io::Cursor::new(&bytes)).unwrap();
    let html = archive
        .entries
        .iter()
        .find(|e| e.name == b"report.html")
        .unwrap();
    let at = (html.data_offset + html.compressed_size / 2) as usize;
    bytes[at] ^= 0x20;
    std::fs::write(s.path("flipped.zip"), &bytes).unwrap();
    let err = s.fails("new n.ron --after flipped.zip --pubkey lead.pub");
    assert!(err.contains("flipped.zip does not verify"), "{err}");
    assert!(err.contains("'report.html'"), "{err}");
    assert!(err.contains("ask for an intact copy"), "{err}");
    assert!(!s.path("n.ron").exists());

    // The auditee's copy verifies, but it is not what the cycle follows.
    s.ok("pack a.ron -o client.zip --for client --key lead.key");
    s.ok("verify client.zip --pubkey lead.pub");
    let err = s.fails("new n.ron --after client.zip --pubkey lead.pub");
    assert!(
        err.contains("client.zip: this is the auditee's copy"),
        "{err}"
    );
    assert!(
        err.contains("start from the certification body's report"),
        "{err}"
    );
    assert!(!s.path("n.ron").exists());

    // An entry rewritten (the record, with its findings gone), the rest kept.
    let items: Vec<craft::Item> = zip_entries(&s.path("stage2.zip"))
        .into_iter()
        .map(|(name, data)| {
            let data = if name == "audit.ron" {
                String::from_utf8(data)
                    .unwrap()
                    .replace("No AI risk treatment plan", "Nothing to see")
                    .into_bytes()
            } else {
                data
            };
            craft::Item::new(name, data)
        })
        .collect();
    std::fs::write(s.path("rewritten.zip"), Zip::of(items).build()).unwrap();
    let err = s.fails("new n.ron --after rewritten.zip --pubkey lead.pub");
    assert!(err.contains("does not verify (1 problem(s))"), "{err}");
    assert!(err.contains("'audit.ron' was altered"), "{err}");

    // An unsigned draft.
    s.ok("pack a.ron -o draft.zip --draft");
    let err = s.fails("new n.ron --after draft.zip --pubkey lead.pub");
    assert!(err.contains("draft.zip is an unsigned draft"), "{err}");
    assert!(err.contains("not signed"), "{err}");

    // Signed, but not with the given key.
    s.ok("keygen other --no-password");
    let err = s.fails("new n.ron --after stage2.zip --pubkey other.pub");
    assert!(
        err.contains("is signed by key") && err.contains("not by the given public key"),
        "{err}"
    );
    assert!(!s.path("n.ron").exists());

    // --pubkey is required.
    let out = s.run("new n.ron --after stage2.zip");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--pubkey"));
}

#[test]
fn a_signed_zip_whose_record_is_a_draft_or_not_a_record_is_refused() {
    let s = Sandbox::new();
    s.audit();
    let key = Key::new();
    let draft = std::fs::read(s.path("a.ron")).unwrap();
    forged(&s, "draft-record.zip", &[("audit.ron", &draft)], &key);
    s.ok("verify draft-record.zip --pubkey forger.pub");
    let err = s.fails("new n.ron --after draft-record.zip --pubkey forger.pub");
    assert!(
        err.contains("draft-record.zip: its audit.ron is not signed off"),
        "{err}"
    );

    forged(
        &s,
        "junk.zip",
        &[("audit.ron", b"(format_version: 6, nonsense")],
        &key,
    );
    let err = s.fails("new n.ron --after junk.zip --pubkey forger.pub");
    assert!(err.contains("junk.zip/audit.ron"), "{err}");

    // Signed and intact, but no record is that big: refused unread.
    let mut big = draft.clone();
    big.resize(65 << 20, b' ');
    forged(&s, "big.zip", &[("audit.ron", &big)], &key);
    let err = s.fails("new n.ron --after big.zip --pubkey forger.pub");
    assert!(
        err.contains("big.zip: its audit.ron is 68157440 bytes, more than a record can be"),
        "{err}"
    );

    forged(&s, "empty.zip", &[("report.html", b"<p>hi</p>")], &key);
    let err = s.fails("new n.ron --after empty.zip --pubkey forger.pub");
    assert!(err.contains("empty.zip: it has no audit.ron"), "{err}");
    assert!(!s.path("n.ron").exists());
}

#[test]
fn after_an_unnumbered_surveillance_the_type_must_be_given() {
    let s = Sandbox::new();
    s.audit();
    // A signed-off record of an older, unnumbered surveillance audit.
    let text = s
        .read("a.ron")
        .replace("audit_type: Stage2", "audit_type: Surveillance");
    let key = Key::new();
    let key_id = fieldaudit::report::keys::key_id(&key.pair.pk);
    let text = text.replace(
        "sign_off: None",
        &format!("sign_off: Some((signer: \"Lee Auditor\", at: \"2026-11-25T17:00:00+00:00\", key_id: \"{key_id}\", statement: \"signed\", revision: Some(1)))"),
    );
    assert!(text.contains("revision: Some(1)"), "{text}");
    forged(&s, "surv.zip", &[("audit.ron", text.as_bytes())], &key);
    let err = s.fails("new n.ron --after surv.zip --pubkey forger.pub");
    assert!(err.contains("does not say which (1 or 2)"), "{err}");
    let out = s.ok("new n.ron --after surv.zip --pubkey forger.pub --type recertification");
    assert!(out.contains("(recertification audit of"), "{out}");
    // The same record signed with a key other than the one it names.
    let other = Key::new();
    forged(
        &s,
        "resigned.zip",
        &[("audit.ron", text.as_bytes())],
        &other,
    );
    let err = s.fails("new m.ron --after resigned.zip --pubkey forger.pub --type recertification");
    assert!(
        err.contains(&format!(
            "its record was signed off with key {key_id}, but the zip is signed with key"
        )),
        "{err}"
    );
    assert!(!s.path("m.ron").exists());
}

#[test]
fn status_shows_the_cycle_dates_once_the_decision_is_set() {
    let s = Sandbox::new();
    s.ok("new s.ron --checklist iso42001-2023 --client Acme --type surveillance1");
    let text = s.ok("status s.ron");
    assert!(
        text.contains("certification decision: not set: `fieldaudit meta AUDIT.ron --certification-decision YYYY-MM-DD`"),
        "{text}"
    );
    assert!(s.json("status s.ron --json")["cycle"]["surveillance1_due"].is_null());
    s.ok("meta s.ron --certification-decision 2026-12-01 --start 2027-11-20 --end 2027-11-21");
    let cycle = &s.json("status s.ron --json")["cycle"];
    assert_eq!(cycle["certification_decision"], "2026-12-01");
    assert_eq!(cycle["surveillance1_due"], "2027-12-01");
    assert_eq!(cycle["surveillance2_due"], "2028-12-01");
    assert_eq!(cycle["expires"], "2029-12-01");
    assert_eq!(cycle["due"], "2027-12-01");
    assert_eq!(cycle["past_due"], false);
    let text = s.ok("status s.ron");
    assert!(
        text.contains("surveillance 1 due:     2027-12-01  <- this audit\n"),
        "{text}"
    );
    assert!(
        text.contains("expires:                2029-12-01 (recertification before it)"),
        "{text}"
    );
    s.ok("meta s.ron --start 2027-12-02 --end 2027-12-03");
    assert_eq!(s.json("status s.ron --json")["cycle"]["past_due"], true);
    assert!(
        s.ok("status s.ron")
            .contains("<- this audit, and its date is PAST it")
    );
    let meta = s.json("meta s.ron --json");
    assert_eq!(meta["certification_decision"], "2026-12-01");
    assert_eq!(meta["stage1_ncs"], false);
    let text = s.ok("meta s.ron");
    assert!(
        text.contains(
            "certification cycle:\n  decision        2026-12-01\n  stage 1 NCs     not allowed"
        ),
        "{text}"
    );
}

#[test]
fn sample_puts_requirements_in_and_out_of_a_surveillance_visit() {
    let s = Sandbox::new();
    s.ok("new s.ron --checklist iso42001-2023 --client Acme --type surveillance1");
    let list = s.ok("sample s.ron");
    assert!(
        list.contains("6 of 70 requirements in this visit; 64 not audited this time"),
        "{list}"
    );
    assert!(list.contains("  always   iso42001-2023:9.2.1"), "{list}");
    let out = s.ok("sample s.ron --add 6.1.2 --add 8.2 --add 9.3.1");
    assert!(
        out.contains("iso42001-2023:6.1.2: added to this visit's sample"),
        "{out}"
    );
    assert!(
        out.contains("iso42001-2023:9.3.1: always in a surveillance visit"),
        "{out}"
    );
    let json = s.json("sample s.ron --json");
    assert_eq!(
        json["sampled"],
        serde_json::json!(["iso42001-2023:6.1.2", "iso42001-2023:8.2"])
    );
    assert_eq!(json["not_audited"], 62);
    assert!(
        s.ok("sample s.ron")
            .contains("  sampled  iso42001-2023:8.2")
    );
    let out = s.ok("sample s.ron --remove 8.2");
    assert!(
        out.contains("iso42001-2023:8.2: taken out of the sample"),
        "{out}"
    );
    assert_eq!(s.json("sample s.ron --json")["not_audited"], 63);
    // status counts the visit, not the whole checklist.
    s.ok("assess s.ron 6.1.2 --verdict conforming");
    let visit = &s.json("status s.ron --json")["visit"];
    assert_eq!(visit["in_visit"], 7, "{visit}");
    assert_eq!(visit["assessed"], 1, "{visit}");
    assert!(s.ok("status s.ron").contains(
        "this visit: 1/7 assessed (6 in every surveillance, 1 sampled; 63 not audited this time)"
    ));

    let err = s.fails("sample s.ron --remove 10.2");
    assert!(err.contains("is in every surveillance visit"), "{err}");
    let err = s.fails("sample s.ron --add 99.9");
    assert!(err.contains("99.9"), "{err}");
    // Nothing of a refused command is kept (one change for all flags).
    assert_eq!(
        s.json("sample s.ron --json")["sampled"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let err = s.fails("sample s.ron --add 4.1 --remove 9.2.1");
    assert!(
        err.contains("9.2.1 is in every surveillance visit"),
        "{err}"
    );
    assert_eq!(
        s.json("sample s.ron --json")["sampled"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    s.ok("new a.ron --checklist iso42001-2023 --client Acme");
    let err = s.fails("sample a.ron --add 6.1.2");
    assert!(err.contains("only a surveillance audit samples"), "{err}");
    assert!(
        s.ok("sample a.ron")
            .contains("every requirement (70) is audited")
    );
}
