//! Never lose a note: concurrent writers, SIGKILL in the middle of saves,
//! records that do not parse, and records from a newer fieldaudit.

mod common;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::Sandbox;

#[test]
fn forty_concurrent_notes_are_all_kept() {
    let s = Sandbox::new();
    s.audit();
    let children: Vec<_> = (0..40)
        .map(|i| {
            s.command()
                .args(["note", "a.ron", "4.1", &format!("concurrent note {i:02}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let record = s.read("a.ron");
    for i in 0..40 {
        assert!(
            record.contains(&format!("\"concurrent note {i:02}\"")),
            "note {i} lost"
        );
    }
    let status = s.json("status a.ron --json");
    assert_eq!(status["notes_total"], 40);
    // Every note got its own id.
    let mut ids: Vec<&str> = record
        .lines()
        .filter(|l| l.trim().starts_with("id: ") && !l.contains('"'))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 40);
}

/// A small deterministic generator; the seed is printed so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn sigkill_at_random_moments_never_loses_a_confirmed_note() {
    let s = Sandbox::new();
    s.audit();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);

    // How long one note takes here, so kills land across its whole life.
    let started = Instant::now();
    for i in 0..5 {
        s.ok(&["note", "a.ron", "4.1", &format!("warm-up {i}")]);
    }
    let life = (started.elapsed() / 5).as_micros() as u64;

    let mut confirmed = Vec::new();
    let mut killed = 0;
    let mut i = 0;
    // Kill at least 100 writers; the delay leans towards the save at the end
    // of a run's life rather than process start-up.
    while killed < 100 && i < 600 {
        i += 1;
        let text = format!("kill test {i}");
        let mut child = s
            .command()
            .args(["note", "a.ron", "4.2", &text])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(life / 4 + rng.below(life)));
        let _ = child.kill(); // SIGKILL; fails harmlessly if it already exited
        let status = child.wait().unwrap();
        if status.success() {
            confirmed.push(text);
        } else {
            killed += 1;
        }
        // Whatever happened, the record loads and holds every confirmed note.
        let out = s.run("status a.ron --json");
        assert!(
            out.status.success(),
            "record unreadable after kill {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let record = s.read("a.ron");
        for note in &confirmed {
            assert!(
                record.contains(&format!("\"{note}\"")),
                "{note} lost after kill {i}"
            );
        }
    }
    assert!(
        killed >= 100,
        "only {killed} of {i} runs were killed mid-flight"
    );
    assert!(
        !confirmed.is_empty(),
        "no run finished: the kill window is too early"
    );
    // The next writer cleans up temp files killed writers left behind.
    s.ok("note a.ron 4.3 'after the storm'");
    assert_eq!(s.leftover_temps(), Vec::<String>::new());
}

/// Every command that reads or changes a record.
fn every_command() -> Vec<Vec<&'static str>> {
    vec![
        vec!["meta", "a.ron", "--site", "Leeds"],
        vec!["meta", "a.ron"],
        vec!["assess", "a.ron", "4.1", "--verdict", "conforming"],
        vec!["note", "a.ron", "4.1", "a note"],
        vec![
            "finding",
            "add",
            "a.ron",
            "4.1",
            "--grade",
            "minor",
            "--statement",
            "x",
        ],
        vec!["finding", "edit", "a.ron", "NC-001", "--statement", "y"],
        vec!["finding", "remove", "a.ron", "NC-001"],
        vec!["finding", "list", "a.ron"],
        vec!["status", "a.ron"],
    ]
}

#[test]
fn a_truncated_record_is_refused_by_every_command_and_left_byte_identical() {
    let s = Sandbox::new();
    s.audit();
    s.ok("finding add a.ron 4.1 --grade minor --statement x");
    assert!(s.path("a.ron.bak").exists());
    let full = std::fs::read(s.path("a.ron")).unwrap();
    let truncated = &full[..full.len() * 2 / 3];
    std::fs::write(s.path("a.ron"), truncated).unwrap();
    let bak = std::fs::read(s.path("a.ron.bak")).unwrap();
    for args in every_command() {
        let err = s.fails(&args);
        let first = err.lines().next().unwrap_or_default();
        let place = first
            .strip_prefix("error: a.ron:")
            .unwrap_or_else(|| panic!("{args:?}: {err}"));
        let mut parts = place.splitn(3, ':');
        let line: usize = parts
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("{err}"));
        let column: usize = parts
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("{err}"));
        assert!(line > 1 && column >= 1, "{err}");
        assert!(err.contains("the record was not changed"), "{err}");
        assert!(
            err.contains("a.ron.bak"),
            "{args:?} should mention the .bak: {err}"
        );
        assert_eq!(
            std::fs::read(s.path("a.ron")).unwrap(),
            truncated,
            "{args:?} touched the record"
        );
        assert_eq!(
            std::fs::read(s.path("a.ron.bak")).unwrap(),
            bak,
            "{args:?} touched the .bak"
        );
    }
}

#[test]
fn a_hand_edit_gone_wrong_is_pinpointed_and_says_when_there_is_no_bak() {
    let s = Sandbox::new();
    s.audit();
    std::fs::remove_file(s.path("a.ron.bak")).unwrap();
    let text = s
        .read("a.ron")
        .replace("audit_type: Stage2,", "audit_type: Stage9,");
    std::fs::write(s.path("a.ron"), &text).unwrap();
    let line = text.lines().position(|l| l.contains("Stage9")).unwrap() + 1;
    let err = s.fails("note a.ron 4.1 x");
    assert!(err.starts_with(&format!("error: a.ron:{line}:")), "{err}");
    assert!(err.contains("Stage9"), "{err}");
    assert!(err.contains("there is no .bak"), "{err}");
    assert_eq!(s.read("a.ron"), text);
}

#[test]
fn a_record_from_a_newer_fieldaudit_is_refused_clearly() {
    let s = Sandbox::new();
    s.audit();
    let text = s.read("a.ron").replace(
        "format_version: 7,",
        "format_version: 8,\n    signatures: [],",
    );
    std::fs::write(s.path("a.ron"), &text).unwrap();
    for args in every_command() {
        let err = s.fails(&args);
        assert!(
            err.contains("a.ron: written by a newer fieldaudit (record format 8, this one reads up to 7); upgrade fieldaudit"),
            "{args:?}: {err}"
        );
        assert_eq!(s.read("a.ron"), text);
    }
}

#[test]
fn a_save_that_fails_keeps_the_record_as_it_was() {
    let s = Sandbox::new();
    s.audit();
    let before = s.read("a.ron");
    // A folder where the .bak must go makes the save fail, even for root.
    std::fs::remove_file(s.path("a.ron.bak")).unwrap();
    std::fs::create_dir(s.path("a.ron.bak")).unwrap();
    std::fs::write(s.path("a.ron.bak/keep"), "x").unwrap();
    let err = s.fails("note a.ron 4.1 x");
    assert!(
        err.contains("a.ron: cannot save the change (keeping the previous version as a.ron.bak)"),
        "{err}"
    );
    assert!(err.contains("the record was not changed"), "{err}");
    assert_eq!(s.read("a.ron"), before);
    assert_eq!(s.leftover_temps(), Vec::<String>::new());
}

/// `a.ron` with notes 1 and 2 on 4.1 and 4.2, findings NC-001 and NC-002,
/// and a `.bak`.
fn two_notes_two_findings(s: &Sandbox) {
    s.audit();
    s.ok("note a.ron 4.1 'first'");
    s.ok("note a.ron 4.2 'second'");
    s.ok("finding add a.ron 4.1 --grade minor --statement x --objective-evidence seen");
    s.ok("finding add a.ron 4.2 --grade minor --statement y --objective-evidence seen");
}

/// Every command refuses the record in `a.ron` with `error: a.ron:LINE:COLUMN: `
/// and a message containing `what`, and leaves it and its .bak byte-identical.
fn refused_by_every_command_at(s: &Sandbox, (line, column): (usize, usize), what: &str) {
    let record = std::fs::read(s.path("a.ron")).unwrap();
    let bak = std::fs::read(s.path("a.ron.bak")).unwrap();
    for args in every_command() {
        let err = s.fails(&args);
        assert!(
            err.starts_with(&format!("error: a.ron:{line}:{column}: ")),
            "{args:?}: {err}"
        );
        assert!(err.contains(what), "{args:?}: {err}");
        assert!(err.contains("the record was not changed"), "{err}");
        assert!(err.contains("a.ron.bak"), "{args:?}: {err}");
        assert_eq!(std::fs::read(s.path("a.ron")).unwrap(), record, "{args:?}");
        assert_eq!(std::fs::read(s.path("a.ron.bak")).unwrap(), bak, "{args:?}");
        assert_eq!(s.leftover_temps(), Vec::<String>::new());
    }
}

/// Replace the only `from` in `a.ron` by `to`; where `to` starts, 1-based.
fn hand_edit(s: &Sandbox, from: &str, to: &str) -> (usize, usize) {
    let text = s.read("a.ron");
    assert_eq!(text.matches(from).count(), 1, "{from}: {text}");
    let offset = text.find(from).unwrap();
    std::fs::write(s.path("a.ron"), text.replacen(from, to, 1)).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

#[test]
fn a_requirement_twice_in_a_hand_merged_record_is_refused_where_the_second_is() {
    let s = Sandbox::new();
    two_notes_two_findings(&s);
    let (line, column) = hand_edit(
        &s,
        "\"iso42001-2023:4.2\": Assessment(",
        "\"iso42001-2023:4.1\": Assessment(",
    );
    // ron points at the first character inside the quotes.
    refused_by_every_command_at(
        &s,
        (line, column + 1),
        "\"iso42001-2023:4.1\" is given twice",
    );
}

#[test]
fn a_finding_id_twice_is_refused_where_the_second_is() {
    let s = Sandbox::new();
    two_notes_two_findings(&s);
    let (line, column) = hand_edit(&s, "id: \"NC-002\"", "id: \"NC-001\"");
    refused_by_every_command_at(&s, (line, column + 5), "finding id NC-001 is used twice");
}

#[test]
fn a_note_id_twice_across_requirements_is_refused_where_the_second_is() {
    let s = Sandbox::new();
    two_notes_two_findings(&s);
    let (line, column) = hand_edit(&s, "id: 2,", "id: 1,");
    refused_by_every_command_at(&s, (line, column + 4), "note id 1 is used twice");
}

#[test]
fn a_record_that_is_not_utf8_is_refused_at_the_bad_byte_with_the_bak_advice() {
    let s = Sandbox::new();
    two_notes_two_findings(&s);
    let text = s.read("a.ron");
    let offset = text.find("second").unwrap() + 3;
    let mut bytes = text.into_bytes();
    bytes[offset] = 0xff;
    std::fs::write(s.path("a.ron"), &bytes).unwrap();
    let before = String::from_utf8_lossy(&bytes[..offset]).into_owned();
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    refused_by_every_command_at(&s, (line, column), "byte 0xFF is not UTF-8");
}
