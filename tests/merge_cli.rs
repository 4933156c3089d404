//! `merge`, `merge-driver`, `conflicts` and `resolve` through the real
//! binary: two auditors' copies of one record put together.

mod common;

use common::Sandbox;

/// `a.ron` as the base, `ours.ron` and `theirs.ron` copies of it.
fn copies(s: &Sandbox) {
    s.audit();
    std::fs::copy(s.path("a.ron"), s.path("ours.ron")).unwrap();
    std::fs::copy(s.path("a.ron"), s.path("theirs.ron")).unwrap();
}

/// Both copies change the same verdict to different values.
fn disagree(s: &Sandbox) {
    s.ok("--as Ann assess ours.ron 6.1.2 --verdict conforming");
    s.ok("--as Bo assess theirs.ron 6.1.2 --verdict nonconforming");
}

#[test]
fn merge_keeps_both_sides_notes_and_refuses_to_replace_a_file() {
    let s = Sandbox::new();
    copies(&s);
    s.ok("--as Ann note ours.ron 4.1 'Ann heard this'");
    s.ok("--as Bo note theirs.ron 4.2 'Bo heard that'");
    let out = s.ok("merge a.ron ours.ron theirs.ron -o m.ron");
    assert!(out.contains("0 conflict(s) made, 0 open"), "{out}");
    let merged = s.read("m.ron");
    assert!(merged.contains("Ann heard this") && merged.contains("Bo heard that"));
    let err = s.fails("merge a.ron ours.ron theirs.ron -o m.ron");
    assert!(err.contains("m.ron exists"), "{err}");
    // Into ours itself is allowed.
    s.ok("merge a.ron ours.ron theirs.ron -o ours.ron");
    assert!(s.read("ours.ron").contains("Bo heard that"));
}

#[test]
fn a_conflict_is_listed_numbered_and_resolved() {
    let s = Sandbox::new();
    copies(&s);
    disagree(&s);
    let out = s.run("merge a.ron ours.ron theirs.ron -o m.ron");
    assert_eq!(out.status.code(), Some(1), "conflicts remain");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 conflict(s) made, 1 open"), "{stdout}");
    assert!(stdout.contains("iso42001-2023:6.1.2/verdict"), "{stdout}");
    assert!(stdout.contains("1. Conforming   (Ann,"), "{stdout}");
    assert!(stdout.contains("2. Nonconforming   (Bo,"), "{stdout}");
    let json = s.json("conflicts m.ron --json");
    assert_eq!(json[0]["path"], "iso42001-2023:6.1.2/verdict");
    assert_eq!(json[0]["values"][1]["by"], "Bo");
    assert_eq!(json[0]["values"][1]["n"], 2);
    let err = s.fails("resolve m.ron iso42001-2023:9.9/verdict --take 1");
    assert!(err.contains("open: iso42001-2023:6.1.2/verdict"), "{err}");
    let err = s.fails("resolve m.ron iso42001-2023:6.1.2/verdict --take 5");
    assert!(err.contains("values 1 to 2"), "{err}");
    s.ok("--as Lee resolve m.ron iso42001-2023:6.1.2/verdict --take 2");
    assert!(s.ok("conflicts m.ron").contains("no open conflicts"));
    let status = s.json("status m.ron --json");
    assert!(status.to_string().contains("onconforming"), "{status}");
}

#[test]
fn the_merge_driver_writes_ours_and_exits_by_what_is_left_open() {
    let s = Sandbox::new();
    copies(&s);
    s.ok("--as Bo note theirs.ron 4.2 'Bo heard that'");
    s.ok("merge-driver a.ron ours.ron theirs.ron");
    assert!(s.read("ours.ron").contains("Bo heard that"));
    assert!(!s.path("ours.ron.bak").exists(), "git's file gets no .bak");
    disagree(&s);
    let err = s.fails("merge-driver a.ron ours.ron theirs.ron");
    assert!(err.contains("1 new conflict(s) (1 open in all)"), "{err}");
    // The record written still parses, with its conflict.
    assert!(
        s.ok("conflicts ours.ron")
            .contains("iso42001-2023:6.1.2/verdict")
    );
    assert!(s.leftover_temps().is_empty());
    // Once that merge is committed, a later one that makes no new conflict
    // lets git go on: the open conflict is in both sides already.
    let merged = s.read("ours.ron");
    s.write("a.ron", &merged);
    s.write("theirs.ron", &merged);
    s.ok("--as Cy note theirs.ron 4.3 'Cy heard that'");
    let out = s.run("merge-driver a.ron ours.ron theirs.ron");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 conflict(s) from an earlier merge are still open"),
        "{err}"
    );
    assert!(s.read("ours.ron").contains("Cy heard that"));
}

#[test]
fn a_side_that_does_not_parse_leaves_ours_untouched_and_is_named() {
    let s = Sandbox::new();
    copies(&s);
    s.ok("--as Ann note ours.ron 4.1 'mine'");
    let before = s.read("ours.ron");
    s.write(
        "theirs.ron",
        "AuditRecord(\n    format_version: 7,\n    meta: \u{1b}[31m oops",
    );
    let err = s.fails("merge-driver a.ron ours.ron theirs.ron");
    assert!(err.contains("theirs.ron:3:"), "names file:line:col: {err}");
    assert!(!err.contains('\u{1b}'), "no raw control character: {err:?}");
    assert_eq!(s.read("ours.ron"), before, "ours untouched");
    let err = s.fails("merge a.ron ours.ron theirs.ron -o m.ron");
    assert!(err.contains("theirs.ron:3:"), "{err}");
    assert!(!s.path("m.ron").exists());
}

#[test]
fn a_value_in_the_conflict_can_be_given_instead_and_a_bad_one_is_refused() {
    let s = Sandbox::new();
    copies(&s);
    s.ok("--as Ann meta ours.ron --site Leeds");
    s.ok("--as Bo meta theirs.ron --site York");
    s.fails("merge a.ron ours.ron theirs.ron -o m.ron");
    s.ok("resolve m.ron meta/site --value 'Leeds and York'");
    assert!(s.ok("meta m.ron").contains("Leeds and York"));
    let err = s.fails("resolve m.ron meta/site --value x");
    assert!(err.contains("no open conflict meta/site"), "{err}");
    assert!(err.contains("no open conflicts"), "{err}");
}

#[test]
fn a_pack_freezes_the_numbers_it_shows_and_a_later_merge_keeps_them() {
    let s = Sandbox::new();
    s.audit();
    s.ok("--as Ann finding add a.ron 4.1 --grade minor --statement 'Packed one' --objective-evidence seen");
    // Before any pack, nothing is frozen.
    assert!(!s.read("a.ron").contains("frozen:"));
    s.ok("pack a.ron -o draft.zip --draft");
    assert!(
        s.read("a.ron")
            .contains("frozen: Counters(\n        nc: 1,"),
        "the draft showed NC-001: {}",
        s.read("a.ron")
    );
    std::fs::copy(s.path("a.ron"), s.path("ours.ron")).unwrap();
    std::fs::copy(s.path("a.ron"), s.path("theirs.ron")).unwrap();
    // Both laptops raise "NC-002"; the one raised first keeps it.
    s.ok("--as Bo finding add theirs.ron 4.2 --grade minor --statement 'Bo first' --objective-evidence seen");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    s.ok("--as Ann finding add ours.ron 4.3 --grade minor --statement 'Ann later' --objective-evidence seen");
    s.ok("merge a.ron ours.ron theirs.ron -o m.ron");
    let list = s.json("finding list m.ron --json");
    let ids: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["statement"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            ("NC-001".to_string(), "Packed one".to_string()),
            ("NC-002".to_string(), "Bo first".to_string()),
            ("NC-003".to_string(), "Ann later".to_string()),
        ]
    );
    assert!(s.read("m.ron").contains("merge: renumbered NC-002"));
}
