//! Nothing from a file or a user reaches the terminal raw: control
//! characters in client names, statements, signers, bundle file names and
//! checklist titles are shown escaped, in text and in JSON, on standard
//! output and standard error. And a closed pipe ends a command quietly.

mod common;

use std::process::{Output, Stdio};

use common::craft::{Item, Zip};
use common::{Sandbox, complete_audit};

/// Clears the screen, retitles the window (OSC … BEL) and starts a CSI
/// with the one-character C1 introducer U+009B.
const HOSTILE: &str = "\x1b[2J\x1b]0;pwned\x07\u{9b}31m";
/// How text output shows it.
const SHOWN: &str = "\\x1b[2J\\x1b]0;pwned\\x07\\u{9b}31m";
/// How JSON output shows it.
const JSON: &str = "\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m";

/// `text` holds no ESC, BEL, C1 CSI (UTF-8 C2 9B) or DEL byte.
fn assert_clean(what: &str, stream: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for (i, &b) in bytes.iter().enumerate() {
        let raw =
            b == 0x1b || b == 0x07 || b == 0x7f || (b == 0xc2 && bytes.get(i + 1) == Some(&0x9b));
        assert!(
            !raw,
            "{what}: raw control byte {b:#04x} on {stream}:\n{text}"
        );
    }
}

/// Run `args`, check neither stream holds a raw control character, and
/// return stdout and stderr together.
fn run_clean(s: &Sandbox, args: &[&str]) -> (Output, String) {
    let out = s.run(args);
    let what = format!("{args:?}");
    assert_clean(&what, "stdout", &out.stdout);
    assert_clean(&what, "stderr", &out.stderr);
    let both = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, both)
}

/// As [`run_clean`], and the escaped form is there to see.
fn shows(s: &Sandbox, args: &[&str], form: &str) -> Output {
    let (out, both) = run_clean(s, args);
    assert!(both.contains(form), "{args:?} should show {form}:\n{both}");
    out
}

#[test]
fn record_text_is_escaped_in_new_meta_status_and_finding_list() {
    let s = Sandbox::new();
    let out = shows(
        &s,
        &[
            "new",
            "a.ron",
            "--checklist",
            "iso42001-2023",
            "--client",
            HOSTILE,
        ],
        SHOWN,
    );
    assert!(out.status.success());
    shows(
        &s,
        &[
            "meta",
            "a.ron",
            "--site",
            "Zürich café",
            "--lead-auditor",
            HOSTILE,
        ],
        "updated",
    );
    let out = shows(&s, &["meta", "a.ron"], SHOWN);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("site:               Zürich café"), "{text}");
    let out = shows(&s, &["meta", "a.ron", "--json"], JSON);
    let back: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        back["client"], HOSTILE,
        "JSON still reads back the real name"
    );
    shows(&s, &["status", "a.ron"], SHOWN);
    shows(&s, &["status", "a.ron", "--json"], JSON);

    let out = shows(
        &s,
        &[
            "finding",
            "add",
            "a.ron",
            "6.1.2",
            "--grade",
            "minor",
            "--statement",
            HOSTILE,
            "--as",
            HOSTILE,
        ],
        "NC-001",
    );
    assert!(out.status.success());
    let out = shows(&s, &["finding", "list", "a.ron"], SHOWN);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("statement:          {SHOWN}")),
        "{text}"
    );
    assert!(text.contains(&format!("by {SHOWN}")), "{text}");
    shows(&s, &["finding", "list", "a.ron", "--json"], JSON);
    // A newline in a value cannot forge a line of its own.
    shows(
        &s,
        &["meta", "a.ron", "--scope", "one\nerror: forged"],
        "updated",
    );
    let out = shows(&s, &["meta", "a.ron"], "one\\nerror: forged");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\nerror: forged"));
}

/// A folder bundle holding `name` (plus a plain file).
fn bundle_with(s: &Sandbox, name: &str) -> std::path::PathBuf {
    let bundle = s.path("bundle");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(bundle.join(name), "policy v1\n").unwrap();
    std::fs::write(bundle.join("plain.txt"), "plain\n").unwrap();
    bundle
}

#[test]
fn bundle_names_are_escaped_in_index_link_check_and_errors() {
    let s = Sandbox::new();
    s.audit();
    let name = format!("policy{HOSTILE}.txt");
    let bundle = bundle_with(&s, &name);
    let bundle_arg = bundle.to_str().unwrap();
    shows(&s, &["evidence", "index", bundle_arg], SHOWN);
    let out = shows(&s, &["evidence", "index", bundle_arg, "--json"], JSON);
    let back: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        back.as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == name.as_str())
    );

    let out = shows(
        &s,
        &["link", "a.ron", "7.5.3", &name, "--evidence", bundle_arg],
        SHOWN,
    );
    assert!(out.status.success(), "{out:?}");
    std::fs::write(bundle.join(&name), "policy v2, changed\n").unwrap();
    let out = shows(
        &s,
        &["evidence", "check", "a.ron", "--evidence", bundle_arg],
        &format!("CHANGED  policy{SHOWN}.txt"),
    );
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_file(bundle.join(&name)).unwrap();
    shows(
        &s,
        &["evidence", "check", "a.ron", "--evidence", bundle_arg],
        &format!("MISSING  policy{SHOWN}.txt"),
    );

    // Errors name what was typed, escaped.
    let typed = format!("nothing{HOSTILE}");
    let out = shows(
        &s,
        &["link", "a.ron", "7.5.3", &typed, "--evidence", bundle_arg],
        SHOWN,
    );
    assert_eq!(out.status.code(), Some(1));
    let out = shows(
        &s,
        &["assess", "a.ron", HOSTILE, "--verdict", "conforming"],
        SHOWN,
    );
    assert_eq!(out.status.code(), Some(1));
    let out = shows(&s, &["evidence", "index", &format!("gone{HOSTILE}")], SHOWN);
    assert_eq!(out.status.code(), Some(1));
    // clap's own usage errors too (clap drops the ESC sequences itself).
    let out = shows(
        &s,
        &[
            "new",
            "b.ron",
            "--checklist",
            "iso42001-2023",
            "--client",
            "x",
            "--type",
            HOSTILE,
        ],
        "\\u{9b}31m",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn zip_bundle_warnings_are_escaped_on_stderr_even_with_json() {
    let s = Sandbox::new();
    let bad = format!("../up{HOSTILE}.txt");
    let zip = Zip::of(vec![
        Item::new(bad.as_bytes(), "x"),
        Item::new("ok.txt", "fine"),
    ])
    .build();
    std::fs::write(s.path(&format!("b{HOSTILE}.zip")), zip).unwrap();
    let zip_arg = format!("b{HOSTILE}.zip");
    for json in [false, true] {
        let mut args = vec!["evidence", "index", zip_arg.as_str()];
        if json {
            args.push("--json");
        }
        let out = shows(&s, &args, SHOWN);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("warning"));
    }
}

#[test]
fn signer_is_escaped_in_pack_verify_status_and_reopen() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.ok("keygen lead --no-password");
    let out = shows(
        &s,
        &[
            "pack", "a.ron", "--output", "r.zip", "--key", "lead.key", "--signer", HOSTILE,
        ],
        "packed and signed",
    );
    assert!(out.status.success(), "{out:?}");
    // The trusted comment of the signature names the signer.
    let out = shows(&s, &["verify", "r.zip", "--pubkey", "lead.pub"], SHOWN);
    assert!(out.status.success(), "{out:?}");
    shows(&s, &["verify", "r.zip"], SHOWN);
    shows(
        &s,
        &["verify", "r.zip", "--pubkey", "lead.pub", "--json"],
        JSON,
    );
    shows(&s, &["status", "a.ron"], &format!("signed off by {SHOWN}"));
    shows(&s, &["reopen", "a.ron"], &format!("sign-off by {SHOWN}"));
}

#[test]
fn checklist_text_is_escaped_in_show_and_validate() {
    let s = Sandbox::new();
    let checklist = format!(
        r#"Checklist(
    id: "mine",
    title: "Mine {HOSTILE}",
    sections: [
        Section(
            id: "S",
            title: "Suppliers {HOSTILE}",
            requirements: [
                Requirement(
                    id: "S.1",
                    title: "Due diligence {HOSTILE}",
                    questions: ["Ask {HOSTILE}?"],
                    evidence: ["See {HOSTILE}"],
                ),
            ],
        ),
    ],
)
"#
    );
    s.write("mine.ron", &checklist);
    let out = shows(
        &s,
        &["checklist", "show", "mine.ron", "--full"],
        &format!("ask: Ask {SHOWN}?"),
    );
    assert!(out.status.success(), "{out:?}");
    shows(&s, &["checklist", "show", "mine.ron", "--json"], JSON);
    shows(&s, &["checklist", "validate", "mine.ron"], SHOWN);
}

/// Run with standard output a pipe whose reading end is closed before the
/// program even starts.
fn with_stdout_closed(s: &Sandbox, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    s.command()
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run fieldaudit")
}

#[test]
fn a_closed_pipe_ends_commands_quietly_with_status_141() {
    let s = Sandbox::new();
    s.audit();
    for args in [
        &["meta", "a.ron"][..],
        &["checklist", "show", "iso42001-2023", "--full"],
        &["checklist", "show", "iso42001-2023", "--json"],
        &["status", "a.ron"],
    ] {
        let out = with_stdout_closed(&s, args);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{args:?}: nothing on stderr"
        );
        assert_eq!(out.status.code(), Some(141), "{args:?}: {:?}", out.status);
    }
}
