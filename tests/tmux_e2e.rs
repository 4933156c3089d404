//! End to end in a real terminal: tmux runs the binary, types like an
//! auditor, and reads the screen. Needs tmux (installed by `.ci/run`).

mod common;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Sandbox, complete_audit};

/// The binary under test: `FIELDAUDIT_BIN` (CI points it at the release
/// build) or the one cargo built for these tests.
fn binary() -> PathBuf {
    std::env::var_os("FIELDAUDIT_BIN")
        .map(PathBuf::from)
        .and_then(|p| p.canonicalize().ok())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_fieldaudit")))
}

/// The shell command that runs fieldaudit with `args` and leaves its exit
/// status in `exit.txt`.
fn fieldaudit_then_exit_status(env: &str, args: &str) -> String {
    format!(
        "{env}'{}' {args}; echo EXIT=$? > exit.txt; sleep 30",
        binary().display()
    )
}

/// `fieldaudit open a.ron` in the sandbox.
fn open_record() -> String {
    fieldaudit_then_exit_status("", "open a.ron")
}

/// A bare `fieldaudit` (the demo) with its data in `data`.
fn demo(data: &std::path::Path) -> String {
    fieldaudit_then_exit_status(&format!("FIELDAUDIT_DATA_DIR='{}' ", data.display()), "")
}

/// `fieldaudit ARGS` with `FIELDAUDIT_PASSWORD` unset, whatever the test
/// runner has, so that minisign asks for the password on the terminal.
fn asking_for_the_password(args: &str) -> String {
    fieldaudit_then_exit_status("env -u FIELDAUDIT_PASSWORD ", args)
}

/// A tmux server of our own, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(s: &Sandbox, width: u16, height: u16, command: &str) -> Tmux {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let socket = format!("fieldaudit-test-{}-{n}", std::process::id());
        let tmux = Tmux { socket };
        let status = Command::new("tmux")
            .args(["-L", &tmux.socket, "new-session", "-d", "-s", "t"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg(command)
            .current_dir(s.dir.path())
            .env("USER", "tester")
            .status()
            .expect("tmux runs");
        assert!(status.success());
        tmux
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "never saw {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screen and everything scrolled off it.
    fn screen_and_history(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "capture-pane",
                "-p",
                "-S",
                "-",
                "-t",
                "t",
            ])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the program in the pane has turned the terminal's echo
    /// off, as a password prompt does just after printing its prompt, so
    /// that what is typed next is never shown even for a moment.
    fn wait_for_hidden_input(&self) {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "display-message", "-p", "-t", "t"])
            .arg("#{pane_tty}")
            .output()
            .expect("display-message");
        let tty = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let start = Instant::now();
        loop {
            let out = Command::new("stty")
                .args(["-a", "-F", &tty])
                .output()
                .expect("stty");
            let settings = String::from_utf8_lossy(&out.stdout);
            if settings.split_whitespace().any(|flag| flag == "-echo") {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "{tty} still echoes input: {settings}\nscreen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Type a password at a prompt and press Enter.
    fn type_password(&self, password: &str) {
        self.wait_for_hidden_input();
        self.text(password);
        self.keys(&["Enter"]);
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t"])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    fn text(&self, text: &str) {
        self.keys(&["-l", text]);
    }

    /// Esc on its own: a key sent right after it would arrive in the same
    /// read and be taken for Alt and that key.
    fn escape(&self) {
        self.keys(&["Escape"]);
        std::thread::sleep(Duration::from_millis(300));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn wait_for_file(path: &std::path::Path, text: &str) -> String {
    let start = Instant::now();
    loop {
        let content = std::fs::read_to_string(path).unwrap_or_default();
        if content.contains(text) {
            return content;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{} never held {text:?}: {content}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs tmux"]
fn an_auditor_finds_6_1_2_and_raises_a_finding_from_the_keyboard() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client 'Acme AI Ltd'");
    let tmux = Tmux::start(&s, 80, 24, &open_record());
    tmux.wait_for("Requirements");
    tmux.keys(&["/"]);
    tmux.wait_for("/ ");
    tmux.text("6.1.2");
    tmux.wait_for("AI risk assessment");
    tmux.keys(&["Enter"]);
    tmux.wait_for("iso42001-2023:6.1.2");
    tmux.keys(&["n"]);
    tmux.wait_for("New finding on iso42001-2023:6.1.2");
    tmux.text("No criteria for accepting AI risks");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Findings (1)");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");

    let status = s.json("status a.ron --json");
    assert_eq!(status["findings"]["minor"], 1);
    let findings = s.json("finding list a.ron --json");
    assert_eq!(findings[0]["requirements"][0], "iso42001-2023:6.1.2");
    assert_eq!(
        findings[0]["statement"],
        "No criteria for accepting AI risks"
    );
    assert_eq!(findings[0]["raised_by"], "tester");
}

#[test]
#[ignore = "needs tmux"]
fn a_tiny_terminal_shows_a_message_and_quits_cleanly() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client A");
    let tmux = Tmux::start(&s, 20, 5, &open_record());
    let screen = tmux.wait_for("Terminal too");
    assert!(!screen.contains("panicked"), "{screen}");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");
    // The alternate screen is gone: the shell's own screen is back.
    let after = tmux.screen();
    assert!(!after.contains("Terminal too"), "{after}");
}

#[test]
#[ignore = "needs tmux"]
fn a_bare_fieldaudit_opens_the_demo_audit_and_keeps_it() {
    let s = Sandbox::new();
    let data = s.path("data");
    let run = demo(&data);
    let tmux = Tmux::start(&s, 80, 24, &run);
    tmux.wait_for("Northwind Lending Ltd");
    tmux.keys(&["x"]);
    tmux.wait_for("1/70 assessed");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");
    let demo = data.join("demo.ron");
    let status = s.json(&["status", demo.to_str().unwrap(), "--json"]);
    assert_eq!(status["requirements_assessed"], 1);
    drop(tmux);

    // A second run reuses the same demo record.
    std::fs::remove_file(s.path("exit.txt")).unwrap();
    let tmux = Tmux::start(&s, 80, 24, &run);
    tmux.wait_for("1/70 assessed");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");
}

#[test]
#[ignore = "needs tmux"]
fn a_change_made_from_another_terminal_shows_up_on_screen() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client A");
    let tmux = Tmux::start(&s, 80, 24, &open_record());
    tmux.wait_for("0/70 assessed");
    s.ok("assess a.ron 9.2.1 --verdict conforming");
    tmux.wait_for("1/70 assessed");
    // And a verdict typed now is saved on top of it, not over it.
    tmux.keys(&["x"]);
    tmux.wait_for("2/70 assessed");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");
    assert_eq!(s.json("status a.ron --json")["requirements_assessed"], 2);
}

#[test]
#[ignore = "needs tmux"]
fn an_auditor_finds_a_document_reads_it_links_it_and_check_proves_it_unchanged() {
    let s = Sandbox::new();
    let data = s.path("data");
    let run = demo(&data);
    let tmux = Tmux::start(&s, 80, 24, &run);
    tmux.wait_for("Northwind Lending Ltd");
    tmux.keys(&["/"]);
    tmux.wait_for("/ ");
    tmux.text("policies/ai-pol");
    tmux.wait_for("file  01-policies/ai-policy.md");
    tmux.keys(&["Enter"]);
    // The preview shows the document's text.
    tmux.wait_for("Northwind Lending Ltd — AI Policy");
    tmux.keys(&["l"]);
    tmux.wait_for("linked 01-policies/ai-policy.md");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");
    let demo = data.join("demo.ron");
    let out = s.ok(&["evidence", "check", demo.to_str().unwrap()]);
    assert!(
        out.contains("1 link(s) checked") && out.contains("1 unchanged, 0 changed, 0 missing"),
        "{out}"
    );
    // Change the cited file: check now fails and names it.
    let policy = data.join("demo-evidence/01-policies/ai-policy.md");
    std::fs::write(&policy, "tampered").unwrap();
    let out = s.run(&["evidence", "check", demo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("CHANGED  01-policies/ai-policy.md"));
}

#[test]
#[ignore = "needs tmux, minisign and unzip"]
fn a_lead_auditor_completes_the_demo_signs_off_on_screen_and_the_body_verifies_it() {
    let s = Sandbox::new();
    let data = s.path("data");
    let data_dir = data.to_str().unwrap();
    // Creating the demo needs no terminal; only its screen does.
    let created = s
        .command()
        .env("FIELDAUDIT_DATA_DIR", data_dir)
        .arg("demo")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&created.stderr).contains("needs a terminal"));
    let record = data.join("demo.ron");
    let record = record.to_str().unwrap();
    common::assess_all(&s, record);
    s.ok(&[
        "finding",
        "add",
        record,
        "6.1.2",
        "--grade",
        "minor",
        "--statement",
        "Risk acceptance criteria are not defined",
        "--objective-evidence",
        "The risk register has no acceptance column",
        "--evidence-file",
        "03-risk/ai-risk-register.xlsx",
    ]);
    let keygen = s
        .command()
        .env("FIELDAUDIT_PASSWORD", "correct horse")
        .args(["keygen", "data/lead"])
        .output()
        .unwrap();
    assert!(keygen.status.success());

    let tmux = Tmux::start(&s, 80, 24, &demo(&data));
    tmux.wait_for("70/70 assessed");
    // The conclusion: fieldaudit proposes the recommendation that follows
    // from the minor NC; the auditor gives the reasoning.
    tmux.keys(&["C"]);
    tmux.wait_for("[recommend-once-closed]");
    tmux.keys(&["Tab"]);
    tmux.text("Risk acceptance criteria are missing; the rest of the system is in place");
    tmux.keys(&["C-s"]);
    tmux.wait_for("70/70 assessed");
    tmux.keys(&["S"]);
    tmux.wait_for("Signing confirms");
    tmux.text("correct horse");
    tmux.wait_for("•••••••••••••");
    tmux.keys(&["Enter"]);
    let done = tmux.wait_for("Report signed");
    assert!(done.contains("demo-report.zip"), "{done}");
    assert!(!done.contains("correct horse"), "{done}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("SIGNED OFF by Demo Auditor");
    // Locked: a verdict key is refused on screen.
    tmux.keys(&["u"]);
    tmux.wait_for("signed off");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");

    let report = data.join("demo-report.zip");
    let report = report.to_str().unwrap();
    let verified = s.ok(&["verify", report, "--pubkey", "data/lead.pub"]);
    assert!(verified.contains("signature verified"), "{verified}");
    let status = s.json(&["status", record, "--json"]);
    assert!(!status["sign_off"].is_null(), "{status}");
    let unzipped = s.path("unzipped");
    let ok = |cmd: &mut Command| {
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{cmd:?}: {out:?}");
    };
    ok(Command::new("unzip")
        .args(["-q", report, "-d"])
        .arg(&unzipped));
    ok(Command::new("sha256sum")
        .args(["-c", "MANIFEST.sha256"])
        .current_dir(&unzipped));
    ok(Command::new("minisign")
        .args(["-Vm", "MANIFEST.sha256", "-p"])
        .arg(s.path("data/lead.pub"))
        .current_dir(&unzipped));
}

#[test]
#[ignore = "needs tmux"]
fn a_key_made_with_a_typed_password_signs_only_with_that_password() {
    const PASSWORD: &str = "Lee's-Pass-42";
    const WRONG: &str = "not-the-password";
    let s = Sandbox::new();
    complete_audit(&s);
    let exit = s.path("exit.txt");

    // keygen: minisign asks for the password twice, hiding what is typed.
    let tmux = Tmux::start(&s, 100, 30, &asking_for_the_password("keygen lead"));
    tmux.wait_for("Please enter a password to protect the secret key.");
    tmux.wait_for("Password:");
    tmux.type_password(PASSWORD);
    tmux.wait_for("Password (one more time):");
    tmux.type_password(PASSWORD);
    wait_for_file(&exit, "EXIT=0");
    let screen = tmux.screen_and_history();
    assert!(
        screen.contains("secret lead.key") && screen.contains("public lead.pub"),
        "{screen}"
    );
    assert!(
        !screen.contains(PASSWORD),
        "the password was shown:\n{screen}"
    );
    drop(tmux);
    assert!(s.read("lead.pub").starts_with("untrusted comment:"));
    // The secret key is stored encrypted: it does not open without a password.
    let clear = fieldaudit::report::keys::load_secret(
        &s.path("lead.key"),
        fieldaudit::report::keys::Protection::None,
    );
    assert!(clear.is_err(), "lead.key is not password-protected");

    // pack with the wrong password: a clear error, no report, record still open.
    let pack = "pack a.ron -o r.zip --key lead.key --signer 'Lee Auditor'";
    std::fs::remove_file(&exit).unwrap();
    let tmux = Tmux::start(&s, 100, 30, &asking_for_the_password(pack));
    tmux.wait_for("Password:");
    tmux.type_password(WRONG);
    wait_for_file(&exit, "EXIT=1");
    let screen = tmux.wait_for("wrong password");
    assert!(
        screen.contains("lead.key: wrong password for this secret key")
            && screen.contains("try again with the password chosen at `fieldaudit keygen`"),
        "{screen}"
    );
    assert!(!screen.contains(WRONG), "the password was shown:\n{screen}");
    drop(tmux);
    assert!(!s.path("r.zip").exists(), "a report was left behind");
    assert!(s.leftover_temps().is_empty(), "{:?}", s.leftover_temps());
    assert!(!s.read("a.ron").contains("sign_off: SignOff("));
    assert_eq!(s.json("status a.ron --json")["requirements_assessed"], 70);
    s.ok("note a.ron 4.1 'Context re-read after the failed pack'");

    // The right password signs, and the report verifies with the public key.
    std::fs::remove_file(&exit).unwrap();
    let tmux = Tmux::start(&s, 100, 30, &asking_for_the_password(pack));
    tmux.wait_for("Password:");
    tmux.type_password(PASSWORD);
    wait_for_file(&exit, "EXIT=0");
    let screen = tmux.wait_for("packed and signed r.zip");
    assert!(
        !screen.contains(PASSWORD),
        "the password was shown:\n{screen}"
    );
    drop(tmux);
    let verified = s.ok("verify r.zip --pubkey lead.pub");
    assert!(
        verified.contains("signature verified with key")
            && verified.contains("signed off by Lee Auditor"),
        "{verified}"
    );
    let err = s.fails("note a.ron 4.1 'too late'");
    assert!(err.contains("signed off by Lee Auditor"), "{err}");
}

#[test]
#[ignore = "needs tmux"]
fn the_evidence_screen_shows_a_table_searches_a_preview_and_helps_at_both_sizes() {
    for (width, height) in [(80, 24), (120, 40)] {
        let s = Sandbox::new();
        let data = s.path("data");
        let tmux = Tmux::start(&s, width, height, &demo(&data));
        tmux.wait_for("Northwind Lending Ltd");
        tmux.keys(&["/"]);
        tmux.wait_for("/ ");
        tmux.text("interested-par");
        tmux.wait_for("file  02-context/interested-parties.csv");
        tmux.keys(&["Enter"]);
        // A table: the header row at the top, columns apart, not a wall of commas.
        tmux.wait_for("│ interested_party");
        let screen = tmux.wait_for("IP-01");
        assert!(!screen.contains("IP-01,"), "{width}x{height}:\n{screen}");
        tmux.keys(&["Tab"]);
        tmux.wait_for("▶ 02-context/interested-parties.csv");
        tmux.keys(&[">"]);
        tmux.wait_for("col 2–");
        tmux.keys(&["Enter"]);
        tmux.wait_for("owner: Sam Whitfield");
        tmux.escape();
        tmux.keys(&["<", "/"]);
        tmux.text("FCA");
        tmux.keys(&["Enter"]);
        tmux.wait_for("/FCA: 1 of");
        // Help from here starts with this screen's keys.
        tmux.keys(&["?"]);
        tmux.wait_for("Evidence screen (here)");
        tmux.escape();
        tmux.wait_for("/FCA: 1 of");
        tmux.keys(&["Tab"]);
        tmux.wait_for("▶ Evidence:");
        tmux.keys(&["b"]);
        tmux.wait_for("Requirements");
        tmux.keys(&["q"]);
        wait_for_file(&s.path("exit.txt"), "EXIT=0");
    }
}

#[test]
#[ignore = "needs tmux"]
fn a_long_note_wraps_on_screen_and_a_signed_off_record_says_so_at_the_key() {
    let s = Sandbox::new();
    common::complete_audit(&s);
    let tmux = Tmux::start(&s, 80, 24, &open_record());
    tmux.wait_for("Requirements");
    tmux.keys(&["i"]);
    tmux.wait_for("New note on");
    tmux.text("The head of data science showed the minutes of the change advisory board, which reviews every impact assessment before release, for the last two meetings");
    // The end of the note is on screen: it wrapped, not scrolled sideways.
    let screen = tmux.wait_for("meetings");
    assert!(screen.contains("The head of data science"), "{screen}");
    tmux.escape();
    tmux.wait_for("Discard what you typed?");
    tmux.keys(&["y", "q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");

    s.ok("keygen lead --no-password");
    s.ok("pack a.ron -o r.zip --key lead.key --signer 'Lee Auditor'");
    std::fs::remove_file(s.path("exit.txt")).unwrap();
    let tmux = Tmux::start(&s, 120, 40, &open_record());
    tmux.wait_for("SIGNED OFF by Lee Auditor");
    tmux.keys(&["i"]);
    let screen = tmux.wait_for("is locked");
    assert!(!screen.contains("New note on"), "{screen}");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");
}

#[test]
#[ignore = "needs tmux"]
fn a_file_collected_on_site_is_previewed_in_the_interface() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client 'Acme AI Ltd'");
    std::fs::write(s.path("badge-log.txt"), "09:02 badge 4411 door B\n").unwrap();
    s.ok("attach a.ron 4.1 badge-log.txt --caption 'Shown in the interview'");
    let tmux = Tmux::start(&s, 80, 24, &open_record());
    tmux.wait_for("Requirements");
    tmux.keys(&["V"]);
    tmux.wait_for("badge-log.txt");
    tmux.keys(&["Enter"]);
    tmux.wait_for("09:02 badge 4411 door B");
    tmux.escape();
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");
}

#[test]
#[ignore = "needs tmux"]
fn the_follow_up_screen_opens_at_80x24_and_records_a_response() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client 'Acme AI Ltd'");
    s.ok("finding add a.ron 6.1.2 --grade minor --statement 'No criteria for accepting AI risks'");
    let tmux = Tmux::start(&s, 80, 24, &open_record());
    tmux.wait_for("Requirements");
    tmux.keys(&["f"]);
    let screen = tmux.wait_for("Follow-up of NCs and areas of concern");
    let row = screen
        .lines()
        .find(|l| l.contains("NC-001"))
        .unwrap_or_default();
    assert!(
        row.contains("minor") && row.contains("awaiting response"),
        "{screen}"
    );
    assert!(screen.contains("R respond"), "{screen}");
    tmux.keys(&["R"]);
    tmux.wait_for("The auditee's response to NC-001");
    for (text, next) in [
        ("Criteria approved by the board", "Tab"),
        ("No one owned risk acceptance", "Tab"),
        ("Risk owner signs off each assessment", "Tab"),
        ("Head of risk", "Enter"),
        ("2027-03-01", "C-s"),
    ] {
        tmux.text(text);
        tmux.keys(&[next]);
    }
    tmux.wait_for("NC-001: plan to review");
    tmux.keys(&["Enter"]);
    let history = tmux.wait_for("History of NC-001");
    assert!(
        history.contains("response received") && history.contains("Head of risk"),
        "{history}"
    );
    tmux.escape();
    tmux.keys(&["q"]);
    tmux.wait_for("Requirements");
    tmux.keys(&["q"]);
    wait_for_file(&s.path("exit.txt"), "EXIT=0");
    wait_for_file(&s.path("a.ron"), "Risk owner signs off each assessment");
}
