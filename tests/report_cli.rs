//! Sign-off: keys, the report zip, and `verify` — round trip and tampering.

mod common;
use std::io::Write;
use std::path::Path;

use common::{Sandbox, complete_audit, zip_entries as entries};

fn rewrite(zip_path: &Path, out: &Path, entries: &[(String, Vec<u8>)]) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for (name, data) in entries {
        writer
            .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap();
    let _ = zip_path;
}

#[test]
fn keygen_writes_a_pair_and_never_overwrites() {
    let s = Sandbox::new();
    let out = s.ok("keygen lead --no-password");
    assert!(
        out.contains("lead.key") && out.contains("lead.pub"),
        "{out}"
    );
    assert!(s.read("lead.pub").starts_with("untrusted comment:"));
    let before = s.read("lead.key");
    let err = s.fails("keygen lead --no-password");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(s.read("lead.key"), before);
}

#[test]
fn an_incomplete_record_lists_what_is_missing_and_a_draft_packs_anyway() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    s.ok("new a.ron --checklist iso42001-2023 --client A");
    s.ok("finding add a.ron 4.1 --grade major --statement x");
    let err = s.fails("pack a.ron -o r.zip --key lead.key --signer Lee");
    for item in [
        "metadata: scope",
        "metadata: start date",
        "metadata: lead auditor",
        "metadata: certification body",
        "iso42001-2023:4.1: no verdict",
        "iso42001-2023:A.10.4: no verdict",
        "NC-001: no objective evidence",
    ] {
        assert!(err.contains(item), "{item} not listed in:\n{err}");
    }
    assert!(!s.path("r.zip").exists());
    let out = s.ok("pack a.ron -o draft.zip --draft");
    assert!(out.contains("packed DRAFT"), "{out}");
    let names: Vec<String> = entries(&s.path("draft.zip"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "audit.ron",
            "report.html",
            "findings.csv",
            "results.oscal.json",
            "results.oscal-plan.json",
            "results.oscal-ssp.json",
            "MANIFEST.sha256"
        ]
    );
    let verified = s.ok("verify draft.zip");
    assert!(verified.contains("unsigned report (a draft)"), "{verified}");
}

#[test]
fn pack_then_verify_round_trip_and_every_tampering_is_named() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    let out = s.ok("pack a.ron -o report.zip --key lead.key --signer 'Lee Auditor'");
    assert!(
        out.contains("packed and signed report.zip: 8 files (2 evidence)"),
        "{out}"
    );
    let all = entries(&s.path("report.zip"));
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "audit.ron",
            "report.html",
            "findings.csv",
            "results.oscal.json",
            "results.oscal-plan.json",
            "results.oscal-ssp.json",
            "evidence/03-risk/ai-risk-register.csv",
            "evidence/scan.pdf",
            "MANIFEST.sha256",
            "MANIFEST.sha256.minisig"
        ]
    );
    let ok = s.ok("verify report.zip --pubkey lead.pub");
    assert!(ok.contains("signature verified with key"), "{ok}");
    assert!(
        ok.contains("8 file(s) checked against the manifest, 0 problem(s)"),
        "{ok}"
    );
    let json = s.json("verify report.zip --pubkey lead.pub --json");
    assert_eq!(json["ok"], true);
    assert_eq!(json["signature"], "verified");
    assert!(
        json["signed"]
            .as_str()
            .unwrap()
            .contains("signed off by Lee Auditor")
    );
    // Without the public key: integrity only, said plainly.
    let plain = s.ok("verify report.zip");
    assert!(plain.contains("NOT authenticated"), "{plain}");
    // The same inputs give a report that verifies the same way; never overwritten.
    let err = s.fails("pack a.ron -o report.zip --key lead.key --signer 'Lee Auditor'");
    assert!(err.contains("already exists"), "{err}");

    let check = |name: &str, entries: Vec<(String, Vec<u8>)>, expect: &str| {
        let path = s.path(name);
        rewrite(&s.path("report.zip"), &path, &entries);
        let out = s.run(&["verify", path.to_str().unwrap(), "--pubkey", "lead.pub"]);
        assert_eq!(out.status.code(), Some(1), "{name} verified");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(expect),
            "{name}: expected {expect:?} in\n{text}"
        );
    };
    // One changed byte in each entry.
    for i in 0..all.len() {
        let mut changed = all.clone();
        let last = changed[i].1.len() - 2;
        changed[i].1[last] ^= 1;
        let name = &all[i].0;
        let expect = match name.as_str() {
            "MANIFEST.sha256" => "MANIFEST.sha256 changed after signing".to_string(),
            "MANIFEST.sha256.minisig" => "MANIFEST.sha256.minisig".to_string(),
            other => format!("'{other}' was altered"),
        };
        check(&format!("byte{i}.zip"), changed, &expect);
    }
    let mut added = all.clone();
    added.insert(3, ("evidence/extra.txt".into(), b"smuggled".to_vec()));
    check(
        "added.zip",
        added,
        "'evidence/extra.txt' is in the zip but not in MANIFEST.sha256",
    );
    let removed: Vec<_> = all
        .iter()
        .filter(|(n, _)| n != "evidence/scan.pdf")
        .cloned()
        .collect();
    check(
        "removed.zip",
        removed,
        "'evidence/scan.pdf' is in MANIFEST.sha256 but missing from the zip",
    );
    // The signed-off record is locked until reopened.
    let err = s.fails("note a.ron 4.1 'late note'");
    assert!(
        err.contains("signed off by Lee Auditor") && err.contains("fieldaudit reopen"),
        "{err}"
    );
    assert!(s.read("a.ron").contains("sign_off: SignOff("));
    let status = s.ok("status a.ron");
    assert!(
        status.contains("signed off by Lee Auditor at ") && status.contains("locked"),
        "{status}"
    );
    assert_eq!(
        s.json("status a.ron --json")["sign_off"]["signer"],
        "Lee Auditor"
    );
    // A draft of a signed-off record can still be packed; the lock stays.
    let locked = s.read("a.ron");
    let draft = s.ok("pack a.ron -o later-draft.zip --draft");
    assert!(draft.contains("packed DRAFT later-draft.zip"), "{draft}");
    assert_eq!(s.read("a.ron"), locked);
    let reopened = s.ok("reopen a.ron");
    assert!(reopened.contains("no longer holds"), "{reopened}");
    assert!(
        s.read("a.ron")
            .contains("reopened: the sign-off by Lee Auditor")
    );
    let err = s.fails("reopen a.ron");
    assert!(err.contains("not signed off"), "{err}");
    assert!(s.json("status a.ron --json")["sign_off"].is_null());
    // A signature made by another key.
    s.ok("keygen other --no-password");
    s.ok("pack a.ron -o other.zip --key other.key --signer Mallory");
    let other_sig = entries(&s.path("other.zip"))
        .into_iter()
        .find(|(n, _)| n == "MANIFEST.sha256.minisig")
        .unwrap();
    let swapped: Vec<_> = all
        .iter()
        .map(|e| {
            if e.0 == other_sig.0 {
                other_sig.clone()
            } else {
                e.clone()
            }
        })
        .collect();
    check("swapped.zip", swapped, "not the given key");
    let out = s.run("verify report.zip --pubkey other.pub");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not the given key"), "{text}");
    // A wrong key is not a missing one: no advice to give --pubkey.
    assert!(!text.contains("give --pubkey"), "{text}");
}

#[test]
fn a_report_citing_names_from_a_mac_verifies() {
    // A Mac writes "café" decomposed (NFD); pack writes names in NFC, the
    // form bsdtar extracts them in, so the report verifies.
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    let nfd = "Caf\u{e9}-notes/cafe\u{301} menu.txt";
    std::fs::create_dir_all(s.path("bundle/Caf\u{e9}-notes")).unwrap();
    std::fs::write(s.path(&format!("bundle/{nfd}")), "specials").unwrap();
    s.ok(&["link", "a.ron", "7.5.3", nfd]);
    s.ok("pack a.ron -o r.zip --key lead.key --signer Lee");
    let out = s.ok("verify r.zip --pubkey lead.pub");
    assert!(out.contains("0 problem(s)"), "{out}");
    let listed = String::from_utf8(
        entries(&s.path("r.zip"))
            .into_iter()
            .find(|(n, _)| n == "MANIFEST.sha256")
            .unwrap()
            .1,
    )
    .unwrap();
    assert!(
        listed.contains("  evidence/Caf\u{e9}-notes/caf\u{e9} menu.txt\n"),
        "{listed}"
    );
}

#[test]
fn two_cited_files_that_would_be_one_on_the_receivers_disk_are_refused() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    std::fs::write(s.path("bundle/Minutes.txt"), "upper").unwrap();
    std::fs::write(s.path("bundle/minutes.txt"), "lower").unwrap();
    s.ok("link a.ron 9.3.1 Minutes.txt");
    s.ok("link a.ron 9.3.1 minutes.txt");
    let err = s.fails("pack a.ron -o r.zip --key lead.key --signer Lee");
    assert!(
        err.contains("'Minutes.txt' and 'minutes.txt' would be one file"),
        "{err}"
    );
    assert!(!s.path("r.zip").exists());
}

#[test]
fn a_cited_file_that_changed_stops_the_pack() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    std::fs::write(s.path("bundle/scan.pdf"), b"swapped after linking").unwrap();
    let err = s.fails("pack a.ron -o r.zip --key lead.key --signer Lee");
    assert!(
        err.contains("evidence file 'scan.pdf' changed since it was linked"),
        "{err}"
    );
    assert!(!s.path("r.zip").exists());
    let leftovers: Vec<_> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
#[ignore = "needs unzip and minisign"]
fn standard_tools_verify_the_report() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    s.ok("pack a.ron -o report.zip --key lead.key --signer 'Lee Auditor'");
    let (dir, sums) = common::unzip_and_check(&s, "report.zip");
    // audit.ron, report.html, findings.csv, the three OSCAL documents and
    // the two cited files.
    assert_eq!(
        sums.lines().filter(|l| l.ends_with(": OK")).count(),
        8,
        "{sums}"
    );
    common::run_ok(
        std::process::Command::new("minisign")
            .args(["-Vm", "MANIFEST.sha256", "-p"])
            .arg(s.path("lead.pub"))
            .current_dir(&dir),
    );
}

/// Run fieldaudit in a new session: no controlling terminal to prompt on.
fn without_terminal(s: &Sandbox, args: &[&str]) -> std::process::Output {
    std::process::Command::new("setsid")
        .arg("-w")
        .arg(env!("CARGO_BIN_EXE_fieldaudit"))
        .args(args)
        .current_dir(s.dir.path())
        .env_remove("FIELDAUDIT_PASSWORD")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
#[ignore = "needs setsid (util-linux)"]
fn without_a_terminal_a_password_is_asked_for_by_name_not_by_an_os_error() {
    let s = Sandbox::new();
    complete_audit(&s);
    let needs = "no terminal to ask for the key's password on: set FIELDAUDIT_PASSWORD";
    let out = without_terminal(&s, &["keygen", "lead"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(needs),
        "{out:?}"
    );
    assert!(!s.path("lead.key").exists() && !s.path("lead.pub").exists());

    // A protected key needs the password; an unprotected one does not.
    let made = s
        .command()
        .env("FIELDAUDIT_PASSWORD", "pw")
        .args(["keygen", "lead"])
        .output()
        .unwrap();
    assert!(made.status.success());
    let pack = [
        "pack", "a.ron", "-o", "r.zip", "--key", "lead.key", "--signer", "Lee",
    ];
    let out = without_terminal(&s, &pack);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(needs),
        "{out:?}"
    );
    assert!(!s.path("r.zip").exists());
    s.ok("keygen open --no-password");
    let out = without_terminal(
        &s,
        &[
            "pack", "a.ron", "-o", "r.zip", "--key", "open.key", "--signer", "Lee",
        ],
    );
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn the_gate_lists_a_conforming_verdict_an_nc_cites_and_warns_of_verdicts_resting_on_nothing() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    // As a record made before the rule could hold it: 6.1.2 conforming under NC-001.
    let text = s.read("a.ron");
    assert_eq!(text.matches("verdict: Nonconforming").count(), 1, "{text}");
    s.write(
        "a.ron",
        &text.replace("verdict: Nonconforming", "verdict: Conforming"),
    );
    let err = s.fails("pack a.ron -o r.zip --key lead.key --signer 'Lee Auditor'");
    assert!(err.contains("(1 item(s) missing)"), "{err}");
    assert!(
        err.contains("iso42001-2023:6.1.2 is conforming but NC-001 cites it: set it nonconforming, or regrade or remove the finding"),
        "{err}"
    );
    assert!(!s.path("r.zip").exists());
    // A draft packs, with the warning: only 7.5.3 (a linked file), 6.1.2 (the
    // NC) and A.10.4 (not applicable) rest on something.
    let out = s.run("pack a.ron -o d.zip --draft");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(
        warned.contains("warning: 67 verdict(s) rest on no note, no cited evidence and no finding (iso42001-2023:4.1, iso42001-2023:4.2,"),
        "{warned}"
    );
    // Mended, it signs, still warning.
    s.ok("assess a.ron 6.1.2 --verdict nonconforming");
    let out = s.run("pack a.ron -o r.zip --key lead.key --signer 'Lee Auditor'");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: 67 verdict(s)"));
}

#[test]
fn the_auditees_copy_leaves_out_working_papers_names_and_evidence_and_verifies() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    s.ok("note a.ron 6.1.2 'Policy approved by the board' --interviewee 'Priya Shah (Head of AI Governance)'");
    let out = s.ok("note a.ron 6.1.2 'Risk owner seemed unsure of the register' --interviewee 'Sam Lee' --internal");
    assert!(out.contains("internal note"), "{out}");
    // Before the certification body's report is signed off, only a draft.
    let err = s.fails("pack a.ron -o client.zip --for client --key lead.key");
    assert!(
        err.contains("sign off the certification body's report first"),
        "{err}"
    );
    s.ok("pack a.ron -o report.zip --key lead.key --signer 'Lee Auditor'");
    let record_before = s.read("a.ron");
    let out = s.ok("pack a.ron -o client.zip --for client --key lead.key");
    assert!(
        out.contains("packed and signed client.zip: the auditee's copy"),
        "{out}"
    );
    assert_eq!(s.read("a.ron"), record_before, "the record is not changed");

    let cb = entries(&s.path("report.zip"));
    let cb_html = String::from_utf8_lossy(&cb.iter().find(|(n, _)| n == "report.html").unwrap().1)
        .into_owned();
    assert!(
        cb_html.contains("Risk owner seemed unsure")
            && cb_html.contains("(internal working paper)")
    );
    assert!(cb_html.contains("Priya Shah"));

    let copy = entries(&s.path("client.zip"));
    let names: Vec<&str> = copy.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "audit.ron",
            "report.html",
            "findings.csv",
            "MANIFEST.sha256",
            "MANIFEST.sha256.minisig"
        ],
        "no evidence copies"
    );
    for (name, bytes) in &copy {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("seemed unsure"),
            "{name} holds the working paper"
        );
        assert!(
            !text.contains("Priya Shah") && !text.contains("Sam Lee"),
            "{name} names an interviewee"
        );
    }
    let html = String::from_utf8_lossy(&copy[1].1).into_owned();
    assert!(html.contains("Auditee's copy") && html.contains("Head of AI Governance"));
    assert!(
        html.contains("03-risk/ai-risk-register.csv"),
        "cited files are still listed"
    );
    let ok = s.ok("verify client.zip --pubkey lead.pub");
    assert!(
        ok.contains("signature verified with key")
            && ok.contains("auditee's copy")
            && ok.contains("0 problem(s)"),
        "{ok}"
    );

    // The copy is signed with the key the report was signed off with.
    s.ok("keygen other --no-password");
    let err = s.fails("pack a.ron -o other.zip --for client --key other.key");
    assert!(
        err.contains("signed with the key the report was signed off with"),
        "{err}"
    );
    assert!(!s.path("other.zip").exists());
}

fn entry(zip_path: &Path, name: &str) -> String {
    let all = entries(zip_path);
    let (_, data) = all
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in {}", zip_path.display()));
    String::from_utf8(data.clone()).unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn a_report_signed_again_after_reopen_is_the_next_revision_and_names_the_one_it_supersedes() {
    let s = Sandbox::new();
    s.ok("keygen lead --no-password");
    complete_audit(&s);
    // The number is made and kept in the record at the first pack, a draft.
    s.ok("pack a.ron -o draft.zip --draft");
    assert!(
        s.read("a.ron")
            .contains("report_no: \"ACME-AI-LTD-STAGE2-20261124\"")
    );
    s.ok("meta a.ron --client 'Acme AI Limited'");
    s.ok("pack a.ron -o r1.zip --key lead.key --signer 'Lee Auditor'");
    let first_manifest = entry(&s.path("r1.zip"), "MANIFEST.sha256");
    let first_sha = sha256_hex(first_manifest.as_bytes());
    let html = entry(&s.path("r1.zip"), "report.html");
    assert!(
        html.contains("ACME-AI-LTD-STAGE2-20261124"),
        "the number is kept"
    );
    assert!(!html.contains("Supersedes"));
    let csv = entry(&s.path("r1.zip"), "findings.csv");
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.starts_with("ACME-AI-LTD-STAGE2-20261124,Acme AI Limited,NC-001,minor,"),
        "{row}"
    );
    assert!(row.contains(",2027-02-23,,,,,"), "{row}");
    let record = s.read("a.ron");
    assert!(
        record.contains(&first_sha),
        "the record keeps the chain: {record}"
    );

    // Once issued, the number stays.
    s.ok("reopen a.ron");
    let err = s.fails("meta a.ron --report-no OTHER-1");
    assert!(err.contains("cannot be changed"), "{err}");
    s.ok("pack a.ron -o r2.zip --key lead.key --signer 'Lee Auditor'");
    let html = entry(&s.path("r2.zip"), "report.html");
    assert!(html.contains("<th scope=\"row\">Revision</th><td>2<p class=\"supersedes\">Supersedes revision 1 of report ACME-AI-LTD-STAGE2-20261124"), "{html}");
    assert!(
        html.contains(&first_sha),
        "the second report names the first's manifest"
    );
    let packed = entry(&s.path("r2.zip"), "audit.ron");
    assert!(
        packed.contains(&first_sha),
        "the packed record keeps the chain"
    );
    let second_sha = sha256_hex(entry(&s.path("r2.zip"), "MANIFEST.sha256").as_bytes());
    assert_ne!(first_sha, second_sha);
    let record = s.read("a.ron");
    assert!(record.contains(&first_sha) && record.contains(&second_sha));
    assert!(record.contains("revision: 2"), "{record}");
    let verified = s.json("verify r2.zip --pubkey lead.pub --json");
    assert_eq!(verified["ok"], true);
    assert!(
        verified["signed"]
            .as_str()
            .unwrap()
            .contains("report ACME-AI-LTD-STAGE2-20261124 revision 2")
    );
}
