//! Team audits over real git: `team init`, `team join`, `team configure`,
//! the warning on a clone whose merge driver is missing, the per-user name
//! (`FIELDAUDIT_AS`), and three auditors syncing one record through a bare
//! repository with the merge driver.
//!
//! Git is an external program: the tests that run it are ignored in a plain
//! `cargo test` (CI runs them). Git is kept away from the machine's own
//! configuration: HOME is the sandbox, the system config is off, and every
//! commit names its author.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Sandbox, complete_audit};

/// A sandbox where fieldaudit and git run isolated from the machine's git
/// configuration.
struct Team {
    s: Sandbox,
}

impl Team {
    fn new() -> Team {
        let s = Sandbox::new();
        std::fs::create_dir(s.path("home")).unwrap();
        Team { s }
    }

    fn isolate(&self, cmd: &mut Command) {
        cmd.env("HOME", self.s.path("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0");
        for var in [
            "XDG_CONFIG_HOME",
            "GIT_CONFIG_GLOBAL",
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
            "FIELDAUDIT_AS",
        ] {
            cmd.env_remove(var);
        }
    }

    /// `fieldaudit ARGS` in the sandbox, with `FIELDAUDIT_AS` set to `who`
    /// when given.
    fn fa(&self, who: Option<&str>, args: &[&str]) -> Output {
        let mut cmd = self.s.command();
        self.isolate(&mut cmd);
        if let Some(who) = who {
            cmd.env("FIELDAUDIT_AS", who);
        }
        cmd.args(args).output().expect("run fieldaudit")
    }

    /// `fieldaudit ARGS`, which must succeed; (stdout, stderr).
    fn fa_ok(&self, who: Option<&str>, args: &[&str]) -> (String, String) {
        let out = self.fa(who, args);
        let (stdout, stderr) = texts(&out);
        assert!(
            out.status.success(),
            "fieldaudit {args:?} failed: {stderr}\n{stdout}"
        );
        (stdout, stderr)
    }

    /// `git ARGS` in `dir` (of the sandbox) as `who`.
    fn git(&self, dir: &str, who: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new("git");
        self.isolate(&mut cmd);
        cmd.current_dir(self.s.path(dir))
            .args(["-c", &format!("user.name={who}")])
            .args(["-c", "user.email=auditor@example.invalid"])
            .args(args);
        cmd.output().expect("run git")
    }

    /// `fieldaudit ARGS --json`-style output, parsed.
    fn json(&self, args: &[&str]) -> serde_json::Value {
        let (out, _) = self.fa_ok(None, args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} gave bad JSON ({e}): {out}"))
    }

    fn git_ok(&self, dir: &str, who: &str, args: &[&str]) -> String {
        let out = self.git(dir, who, args);
        let (stdout, stderr) = texts(&out);
        assert!(
            out.status.success(),
            "git {args:?} in {dir} failed: {stderr}\n{stdout}"
        );
        stdout
    }

    fn path(&self, name: &str) -> PathBuf {
        self.s.path(name)
    }

    fn p(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_string()
    }
}

fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const WARNING: &str = "merge driver is not configured";

#[test]
fn fieldaudit_as_names_the_auditor_when_as_is_not_given() {
    let t = Team::new();
    t.s.audit();
    t.fa_ok(
        Some("Ann Env"),
        &["note", "a.ron", "6.1.2", "Risk owner named"],
    );
    t.fa_ok(
        Some("Ann Env"),
        &["--as", "Bo Flag", "note", "a.ron", "6.1.2", "Register seen"],
    );
    t.fa_ok(Some("  "), &["note", "a.ron", "6.1.2", "Blank is unset"]);
    let record = t.s.read("a.ron");
    assert_eq!(note_author(&record, "Risk owner named"), "Ann Env");
    assert_eq!(
        note_author(&record, "Register seen"),
        "Bo Flag",
        "--as wins"
    );
    assert_eq!(
        note_author(&record, "Blank is unset"),
        "Lee Auditor",
        "a blank FIELDAUDIT_AS counts as unset: the lead auditor"
    );
}

/// The `by` of the note whose text is `text`, read from the record's RON.
fn note_author(record: &str, text: &str) -> String {
    let at = record
        .find(&format!("text: \"{text}\""))
        .unwrap_or_else(|| panic!("no note {text:?} in {record}"));
    let before = &record[..at];
    let by = before.rfind("by: \"").expect("the note's author") + 5;
    let len = before[by..].find('"').expect("closing quote");
    before[by..by + len].to_string()
}

#[test]
fn no_warning_and_no_git_outside_a_git_work_tree() {
    let t = Team::new();
    t.s.audit();
    // The attribute alone (no .git up the tree) is not a clone.
    t.s.write(".gitattributes", "*.ron merge=fieldaudit\n");
    let (_, stderr) = t.fa_ok(None, &["status", "a.ron"]);
    assert!(!stderr.contains(WARNING), "{stderr}");
}

#[test]
fn team_init_without_git_says_so_and_leaves_the_folder_as_it_was() {
    let t = Team::new();
    t.s.audit();
    std::fs::create_dir(t.path("empty")).unwrap();
    std::fs::create_dir(t.path("nogit")).unwrap();
    for dir in ["new", "empty"] {
        let out =
            t.s.command()
                .env("PATH", t.path("nogit"))
                .args(["team", "init", dir, "a.ron"])
                .output()
                .unwrap();
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("git is not installed"), "{stderr}");
        assert!(stderr.contains("left as it was"), "{stderr}");
    }
    assert!(!t.path("new").exists());
    assert_eq!(std::fs::read_dir(t.path("empty")).unwrap().count(), 0);
}

#[test]
fn team_init_refuses_a_record_the_attribute_would_not_match() {
    let t = Team::new();
    t.s.audit();
    std::fs::copy(t.path("a.ron"), t.path("a.audit")).unwrap();
    let out = t.fa(None, &["team", "init", "team", "a.audit"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("a.audit") && stderr.contains("end in .ron"),
        "{stderr}"
    );
    assert!(!t.path("team").exists());
}

#[test]
#[ignore = "needs git"]
fn team_init_makes_a_repository_with_the_record_the_attribute_and_the_driver() {
    let t = Team::new();
    t.s.audit();
    std::fs::write(t.path("photo.jpg"), b"a photo").unwrap();
    t.fa_ok(None, &["attach", "a.ron", "7.2", "photo.jpg"]);
    let (out, _) = t.fa_ok(None, &["team", "init", "team", "a.ron"]);
    assert!(out.contains("git init --bare -b main"), "{out}");
    assert!(out.contains("push -u origin HEAD"), "{out}");
    assert!(out.contains("first commit as Lee Auditor"), "{out}");

    let files = t.git_ok("team", "x", &["ls-files"]);
    let files: Vec<&str> = files.lines().collect();
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.contains(&"a.ron") && files.contains(&".gitattributes"));
    assert!(
        files.iter().any(|f| f.starts_with("a.evidence/")),
        "{files:?}"
    );
    assert!(
        t.s.read("team/.gitattributes")
            .lines()
            .any(|l| l == "*.ron merge=fieldaudit")
    );
    let driver = t.git_ok("team", "x", &["config", "merge.fieldaudit.driver"]);
    let exe = env!("CARGO_BIN_EXE_fieldaudit");
    assert!(
        driver.contains(exe),
        "absolute path of the binary: {driver}"
    );
    assert!(driver.trim().ends_with("merge-driver %O %A %B"), "{driver}");
    // The first commit is the lead's, though git had no identity configured.
    let log = t.git_ok("team", "x", &["log", "--format=%an|%cn|%s"]);
    assert!(log.starts_with("Lee Auditor|Lee Auditor|"), "{log}");
    assert_eq!(log.lines().count(), 1);
    // The lock and backup files of later changes are never shared.
    t.fa_ok(None, &["note", "team/a.ron", "7.2", "Seen"]);
    let status = t.git_ok("team", "x", &["status", "--porcelain"]);
    assert_eq!(status.trim(), "M a.ron", "{status}");

    // A folder that is not empty is refused, and left alone.
    std::fs::create_dir(t.path("busy")).unwrap();
    std::fs::write(t.path("busy/keep.txt"), "mine").unwrap();
    let err = t.fa(None, &["team", "init", "busy", "a.ron"]);
    assert_eq!(err.status.code(), Some(1));
    assert!(
        texts(&err).1.contains("not an empty folder"),
        "{:?}",
        texts(&err)
    );
    assert!(!t.path("busy/.git").exists());
}

#[test]
#[ignore = "needs git"]
fn a_clone_without_the_driver_is_warned_and_configure_or_join_fixes_it() {
    let t = Team::new();
    t.s.audit();
    t.fa_ok(None, &["team", "init", "team", "a.ron"]);
    t.git_ok(".", "x", &["init", "-q", "--bare", "-b", "main", "usb.git"]);
    t.git_ok("team", "x", &["remote", "add", "origin", &t.p("usb.git")]);
    t.git_ok("team", "x", &["push", "-q", "-u", "origin", "HEAD"]);

    // A plain git clone: git does not clone .git/config.
    t.git_ok(".", "x", &["clone", "-q", "usb.git", "plain"]);
    let (_, stderr) = t.fa_ok(None, &["status", "plain/a.ron"]);
    assert!(stderr.contains(WARNING), "{stderr}");
    assert!(stderr.contains("fieldaudit team configure"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    // Changing commands warn too.
    let (_, stderr) = t.fa_ok(None, &["note", "plain/a.ron", "7.2", "Seen"]);
    assert!(stderr.contains(WARNING), "{stderr}");
    t.fa_ok(None, &["team", "configure", "plain"]);
    let (_, stderr) = t.fa_ok(None, &["status", "plain/a.ron"]);
    assert!(!stderr.contains(WARNING), "{stderr}");
    // A driver whose binary moved away is said too.
    let gone = "'/nowhere/fieldaudit' merge-driver %O %A %B";
    t.git_ok("plain", "x", &["config", "merge.fieldaudit.driver", gone]);
    let (_, stderr) = t.fa_ok(None, &["status", "plain/a.ron"]);
    assert!(
        stderr.contains("/nowhere/fieldaudit, which is not there"),
        "{stderr}"
    );
    t.fa_ok(None, &["team", "configure", "plain"]);
    let (_, stderr) = t.fa_ok(None, &["status", "plain/a.ron"]);
    assert!(stderr.is_empty(), "{stderr}");

    // team join clones and configures: no warning, and it says what it holds.
    let (out, _) = t.fa_ok(None, &["team", "join", &t.p("usb.git"), "joined"]);
    assert!(out.contains("a.ron"), "{out}");
    assert!(out.contains("Acme AI Ltd"), "{out}");
    assert!(out.contains("lead auditor Lee Auditor"), "{out}");
    let (_, stderr) = t.fa_ok(None, &["status", "joined/a.ron"]);
    assert!(!stderr.contains(WARNING), "{stderr}");
    let driver = t.git_ok("joined", "x", &["config", "merge.fieldaudit.driver"]);
    assert!(driver.contains("merge-driver %O %A %B"), "{driver}");
}

/// Everything the final record must hold, by the auditor who wrote it.
const WORK: [(&str, &str, &str); 3] = [
    (
        "Ann Auditor",
        "7.2",
        "Training records for two data scientists missing",
    ),
    (
        "Bo Auditor",
        "9.2.1",
        "Internal audit programme covers the AI systems",
    ),
    ("Cy Expert", "8.4", "Model cards kept for each release"),
];

#[test]
#[ignore = "needs git"]
fn three_auditors_sync_through_a_bare_repository_and_the_lead_signs_off() {
    let t = Team::new();
    complete_audit(&t.s);
    t.s.ok(
        "meta a.ron --auditor 'Ann Auditor' --auditor 'Bo Auditor' --technical-expert 'Cy Expert'",
    );
    // 8.2 is left open for two auditors to disagree on.
    t.s.ok("assess a.ron 8.2 --verdict not-assessed");

    // The lead makes the repository, and a bare one on "the USB stick".
    t.fa_ok(None, &["team", "init", "lead", "a.ron"]);
    t.git_ok(".", "x", &["init", "-q", "--bare", "-b", "main", "usb.git"]);
    t.git_ok("lead", "x", &["remote", "add", "origin", &t.p("usb.git")]);
    t.git_ok("lead", "x", &["push", "-q", "-u", "origin", "HEAD"]);
    for dir in ["ann", "bo", "cy"] {
        t.fa_ok(None, &["team", "join", &t.p("usb.git"), dir]);
    }

    // Everyone works at the same time on the same base.
    let [
        (ann, ann_req, ann_note),
        (bo, bo_req, bo_note),
        (cy, cy_req, cy_note),
    ] = WORK;
    t.fa_ok(Some(ann), &["note", "ann/a.ron", ann_req, ann_note]);
    t.fa_ok(
        Some(ann),
        &[
            "finding",
            "add",
            "ann/a.ron",
            ann_req,
            "--grade",
            "minor",
            "--statement",
            "Competence of AI staff not evidenced",
            "--objective-evidence",
            "Two of five training records missing",
            "--set-nonconforming",
        ],
    );
    t.fa_ok(
        Some(ann),
        &["assess", "ann/a.ron", "8.2", "--verdict", "conforming"],
    );

    t.fa_ok(None, &["--as", bo, "note", "bo/a.ron", bo_req, bo_note]);
    t.fa_ok(
        None,
        &[
            "--as",
            bo,
            "finding",
            "add",
            "bo/a.ron",
            bo_req,
            "--grade",
            "ofi",
            "--statement",
            "Audit checklists could cite the AI policy",
        ],
    );
    t.fa_ok(
        None,
        &[
            "--as",
            bo,
            "assess",
            "bo/a.ron",
            "8.2",
            "--verdict",
            "nonconforming",
        ],
    );

    t.fa_ok(Some(cy), &["note", "cy/a.ron", cy_req, cy_note]);
    t.fa_ok(
        Some(cy),
        &[
            "finding",
            "add",
            "cy/a.ron",
            cy_req,
            "--grade",
            "observation",
            "--statement",
            "Model cards do not name the test data",
        ],
    );
    t.fa_ok(
        Some(cy),
        &[
            "meta",
            "cy/a.ron",
            "--sampling",
            "Three AI systems and the risk register",
        ],
    );

    // They commit, pull (a merge, so the driver runs) and push in turn.
    let mut conflicted = Vec::new();
    for (dir, who) in [("ann", ann), ("bo", bo), ("cy", cy)] {
        t.git_ok(dir, who, &["commit", "-q", "-am", &format!("{who}'s work")]);
        let pulled = t.git(dir, who, &["pull", "-q", "--no-rebase", "--no-edit"]);
        if !pulled.status.success() {
            // The driver kept both values of a disagreement in the record,
            // which still parses: commit it as it is, for the lead.
            let (stdout, stderr) = texts(&pulled);
            assert!(stdout.contains("CONFLICT"), "{stdout}{stderr}");
            assert!(stderr.contains("8.2/verdict"), "the driver says: {stderr}");
            t.fa_ok(None, &["status", &format!("{dir}/a.ron")]);
            t.git_ok(dir, who, &["add", "a.ron"]);
            t.git_ok(dir, who, &["commit", "-q", "--no-edit"]);
            conflicted.push(dir);
        }
        t.git_ok(dir, who, &["push", "-q"]);
    }
    // Ann was first (a fast-forward); Bo's merge met Ann's verdict on 8.2.
    assert_eq!(conflicted.first(), Some(&"bo"), "{conflicted:?}");
    t.git_ok(
        "lead",
        "Lee Auditor",
        &["pull", "-q", "--no-rebase", "--no-edit"],
    );

    // Every note and finding is there.
    let record = t.s.read("lead/a.ron");
    for (_, _, note) in WORK {
        assert!(record.contains(note), "note lost: {note}");
    }
    let findings = t.json(&["finding", "list", "lead/a.ron", "--json"]);
    let statements: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["statement"].as_str().unwrap())
        .collect();
    for s in [
        "Competence of AI staff not evidenced",
        "Audit checklists could cite the AI policy",
        "Model cards do not name the test data",
        r#"No acceptance <criteria> & "thresholds""#,
    ] {
        assert!(
            statements.contains(&s),
            "finding lost: {s} in {statements:?}"
        );
    }
    assert!(
        record.contains("Three AI systems and the risk register"),
        "{record}"
    );

    // Exactly one conflict: the verdict on 8.2.
    let conflicts = t.json(&["conflicts", "lead/a.ron", "--json"]);
    let conflicts = conflicts.as_array().expect("a list of conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let path = conflicts[0]["path"].as_str().unwrap();
    assert!(path.ends_with("8.2/verdict"), "{path}");
    let values = conflicts[0]["values"].as_array().unwrap();
    assert_eq!(values.len(), 2, "{values:?}");
    let take = values
        .iter()
        .position(|v| {
            v["value"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("conforming")
                && !v["value"].as_str().unwrap().to_lowercase().contains("non")
        })
        .expect("Ann's conforming value")
        + 1;

    // A final pack is refused while it is open; the lead resolves it.
    t.fa_ok(None, &["keygen", "lead-key", "--no-password"]);
    let refused =
        t.s.fails("pack lead/a.ron -o early.zip --key lead-key.key --signer 'Lee Auditor'");
    assert!(refused.to_lowercase().contains("conflict"), "{refused}");
    t.fa_ok(
        None,
        &["resolve", "lead/a.ron", path, "--take", &take.to_string()],
    );
    let left = t.json(&["conflicts", "lead/a.ron", "--json"]);
    assert_eq!(left.as_array().map(Vec::len), Some(0), "{left}");
    t.git_ok(
        "lead",
        "Lee Auditor",
        &["commit", "-q", "-am", "8.2 resolved"],
    );
    t.git_ok("lead", "Lee Auditor", &["push", "-q"]);

    let out =
        t.s.ok("pack lead/a.ron -o report.zip --key lead-key.key --signer 'Lee Auditor'");
    assert!(out.contains("packed and signed"), "{out}");
    t.s.ok("verify report.zip --pubkey lead-key.pub");
    assert!(Path::new(&t.p("report.zip")).is_file());
}
