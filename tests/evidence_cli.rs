//! The auditee's bundle from the command line: index, link, check, and
//! hostile zips and folders built by the tests themselves.

mod common;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use common::Sandbox;
use common::craft::{self, Item, Zip};
use zip::write::SimpleFileOptions;

/// Every file under `root` with its bytes: to prove nothing was written.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .display()
            .to_string();
        let bytes = if entry.file_type().is_file() {
            std::fs::read(entry.path()).unwrap()
        } else {
            Vec::new()
        };
        out.insert(rel, bytes);
    }
    out
}

fn demo_bundle() -> String {
    format!("{}/assets/demo-evidence", env!("CARGO_MANIFEST_DIR"))
}

/// A small folder bundle in the sandbox.
fn folder_bundle(s: &Sandbox) -> std::path::PathBuf {
    let root = s.path("bundle");
    std::fs::create_dir_all(root.join("policies")).unwrap();
    std::fs::write(
        root.join("policies/ai-policy.md"),
        "# AI policy\nApproved 2026-07-20\n",
    )
    .unwrap();
    std::fs::write(root.join("risk-register.csv"), "id,risk\nR-1,drift\n").unwrap();
    root
}

#[test]
fn index_lists_every_file_with_the_same_hash_as_sha256sum() {
    let s = Sandbox::new();
    let root = folder_bundle(&s);
    let json = s.json(&["evidence", "index", root.to_str().unwrap(), "--json"]);
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["path"], "policies/ai-policy.md");
    assert_eq!(items[0]["size"], 32);
    for item in items {
        let file = root.join(item["path"].as_str().unwrap());
        let out = std::process::Command::new("sha256sum")
            .arg(&file)
            .output()
            .unwrap();
        let expected = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        assert_eq!(item["sha256"], expected.as_str(), "{}", file.display());
    }
    let text = s.ok(&["evidence", "index", root.to_str().unwrap()]);
    assert!(
        text.lines()
            .any(|l| l.ends_with("  risk-register.csv") && l.len() > 64),
        "{text}"
    );
}

#[test]
fn a_zip_of_the_demo_bundle_hashes_like_the_folder_and_is_left_untouched() {
    let s = Sandbox::new();
    let folder = s.json(&["evidence", "index", &demo_bundle(), "--json"]);
    // Zip it the way an auditee would.
    let zip_path = s.path("bundle.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for item in folder.as_array().unwrap() {
        let path = item["path"].as_str().unwrap();
        writer
            .start_file(path, SimpleFileOptions::default())
            .unwrap();
        writer
            .write_all(&std::fs::read(Path::new(&demo_bundle()).join(path)).unwrap())
            .unwrap();
    }
    writer.finish().unwrap();
    let before = std::fs::read(&zip_path).unwrap();
    let zipped = s.json(&["evidence", "index", zip_path.to_str().unwrap(), "--json"]);
    assert_eq!(zipped, folder);
    assert!(folder.as_array().unwrap().len() >= 20);
    assert_eq!(std::fs::read(&zip_path).unwrap(), before);
}

/// Build a zip whose entries are `(name, bytes)`, then patch the bytes.
fn hostile_zip(path: &Path) {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in [
        ("good.txt", b"the one file that may be read".to_vec()),
        ("../escape.txt", b"climbs out".to_vec()),
        ("/etc/absolute.txt", b"absolute".to_vec()),
        ("C:/drive.txt", b"drive letter".to_vec()),
        ("dir\\back.txt", b"backslash".to_vec()),
        ("twin-a.txt", b"first twin".to_vec()),
        ("twin-b.txt", b"second twin".to_vec()),
        ("name-X.txt", b"not utf-8".to_vec()),
        ("secret.txt", b"encrypted".to_vec()),
        ("liar.txt", vec![b'y'; 100_000]),
        ("bomb.bin", vec![0u8; 64 << 20]),
    ] {
        writer.start_file(name, deflate).unwrap();
        writer.write_all(&data).unwrap();
    }
    writer
        .add_symlink(
            "link-to-passwd",
            "/etc/passwd",
            SimpleFileOptions::default(),
        )
        .unwrap();
    let mut bytes = writer.finish().unwrap().into_inner();
    let replace = |bytes: &mut Vec<u8>, from: &[u8], to: &[u8]| {
        assert_eq!(from.len(), to.len());
        let mut i = 0;
        while let Some(at) = bytes[i..].windows(from.len()).position(|w| w == from) {
            bytes[i + at..i + at + from.len()].copy_from_slice(to);
            i += at + from.len();
        }
    };
    replace(&mut bytes, b"twin-b.txt", b"twin-a.txt");
    replace(&mut bytes, b"name-X.txt", b"name-\xff.txt");
    // Flag secret.txt encrypted, and make liar.txt declare 10 bytes.
    let headers = |bytes: &Vec<u8>, sig: &[u8], name: &[u8], name_at: usize| -> Vec<usize> {
        bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == sig)
            .map(|(i, _)| i)
            .filter(|i| bytes.get(i + name_at..i + name_at + name.len()) == Some(name))
            .collect()
    };
    for at in headers(&bytes, b"PK\x03\x04", b"secret.txt", 30) {
        bytes[at + 6] |= 1;
    }
    for at in headers(&bytes, b"PK\x01\x02", b"secret.txt", 46) {
        bytes[at + 8] |= 1;
    }
    for at in headers(&bytes, b"PK\x03\x04", b"liar.txt", 30) {
        bytes[at + 22..at + 26].copy_from_slice(&10u32.to_le_bytes());
    }
    for at in headers(&bytes, b"PK\x01\x02", b"liar.txt", 46) {
        bytes[at + 24..at + 28].copy_from_slice(&10u32.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_hostile_zip_is_indexed_safely_with_a_warning_per_bad_entry() {
    let s = Sandbox::new();
    let zip_path = s.path("hostile.zip");
    hostile_zip(&zip_path);
    let before = snapshot(s.dir.path());
    let out = s.run(&["evidence", "index", zip_path.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["good.txt"], "only the safe entry is indexed");
    let err = String::from_utf8_lossy(&out.stderr);
    for (name, why) in [
        ("../escape.txt", "'..' would climb out of the bundle"),
        ("/etc/absolute.txt", "absolute path"),
        ("C:/drive.txt", "drive letter"),
        ("dir\\back.txt", "backslash"),
        ("twin-a.txt", "appears 2 times"),
        ("name-", "not UTF-8"),
        ("secret.txt", "encrypted"),
        ("liar.txt", "inflates past its declared size"),
        ("bomb.bin", "zip bomb"),
        ("link-to-passwd", "symbolic link"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(name) && l.contains(why)),
            "no warning for {name} ({why}) in:\n{err}"
        );
    }
    // Nothing was extracted or written anywhere in the sandbox.
    assert_eq!(snapshot(s.dir.path()), before);
    // A hostile entry cannot be cited either.
    s.ok(&[
        "new",
        "a.ron",
        "--checklist",
        "iso42001-2023",
        "--client",
        "A",
        "--evidence",
        zip_path.to_str().unwrap(),
    ]);
    let err = s.fails("link a.ron 4.1 ../escape.txt");
    assert!(
        err.contains("no file 'escape.txt'") || err.contains("cannot be cited"),
        "{err}"
    );
    let err = s.fails("link a.ron 4.1 secret.txt");
    assert!(
        err.contains("'secret.txt' cannot be cited: encrypted"),
        "{err}"
    );
}

#[test]
fn folder_symlinks_leading_out_are_not_followed_and_odd_files_are_reported() {
    let s = Sandbox::new();
    let root = folder_bundle(&s);
    std::os::unix::fs::symlink("/etc/passwd", root.join("passwd-link")).unwrap();
    std::os::unix::fs::symlink("risk-register.csv", root.join("register-link.csv")).unwrap();
    let fifo = root.join("a-pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let before = snapshot(&root);
    let out = s.run(&["evidence", "index", root.to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "policies/ai-policy.md",
            "register-link.csv",
            "risk-register.csv"
        ]
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'passwd-link' not read: symbolic link pointing outside the bundle"),
        "{err}"
    );
    assert!(
        err.contains("'a-pipe' not read: not a regular file"),
        "{err}"
    );
    assert_eq!(snapshot(&root), before);
}

#[test]
fn links_are_pinned_by_hash_and_check_finds_changed_and_missing_files() {
    let s = Sandbox::new();
    let root = folder_bundle(&s);
    s.ok(&[
        "new",
        "a.ron",
        "--checklist",
        "iso42001-2023",
        "--client",
        "A",
        "--evidence",
        root.to_str().unwrap(),
    ]);
    let before = snapshot(&root);
    let out = s.ok("link a.ron 5.2 ./policies/ai-policy.md");
    assert!(
        out.starts_with("linked policies/ai-policy.md to iso42001-2023:5.2 (sha256 "),
        "{out}"
    );
    assert_eq!(
        s.ok("link a.ron 5.2 policies/ai-policy.md").trim(),
        "policies/ai-policy.md is already linked to iso42001-2023:5.2 at this version"
    );
    let id = s.ok("finding add a.ron 6.1.2 --grade minor --statement 'No acceptance criteria' --objective-evidence 'Register has no acceptance column' --evidence-file risk-register.csv");
    assert_eq!(id.trim(), "NC-001");
    s.ok("link a.ron 6.1.2 policies/ai-policy.md --finding NC-001");
    let err = s.fails("link a.ron 4.1 risk-register.csv --finding NC-001");
    assert!(
        err.contains("finding NC-001 is not raised on iso42001-2023:4.1"),
        "{err}"
    );
    let findings = s.json("finding list a.ron --json");
    assert_eq!(findings[0]["evidence"].as_array().unwrap().len(), 2);
    let record = s.read("a.ron");
    assert!(record.contains("path: \"risk-register.csv\""), "{record}");
    assert!(record.contains("sha256: \""), "{record}");
    // Linking read the bundle and wrote nothing into it.
    assert_eq!(snapshot(&root), before);

    let ok = s.ok("evidence check a.ron");
    assert!(
        ok.contains("3 link(s) checked") && ok.contains("3 unchanged, 0 changed, 0 missing"),
        "{ok}"
    );

    std::fs::write(
        root.join("risk-register.csv"),
        "id,risk,acceptance\nR-1,drift,12\n",
    )
    .unwrap();
    std::fs::remove_file(root.join("policies/ai-policy.md")).unwrap();
    let out = s.run("evidence check a.ron");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("CHANGED  risk-register.csv  (cited by NC-001; sha256 was "),
        "{text}"
    );
    assert!(
        text.contains("MISSING  policies/ai-policy.md  (cited by iso42001-2023:5.2"),
        "{text}"
    );
    assert!(text.contains("0 unchanged, 1 changed, 2 missing"), "{text}");
}

#[test]
fn commands_without_a_bundle_say_how_to_give_one() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client A");
    let err = s.fails("link a.ron 4.1 x.txt");
    assert!(
        err.contains("a.ron: this audit has no evidence bundle; give --evidence PATH"),
        "{err}"
    );
    let err = s.fails("evidence index nowhere");
    assert!(
        err.contains("nowhere: cannot open the evidence bundle"),
        "{err}"
    );
    s.write("notes.txt", "x");
    let err = s.fails("evidence index notes.txt");
    assert!(
        err.contains("notes.txt: an evidence bundle is a folder or a .zip file"),
        "{err}"
    );
    s.write("broken.zip", "this is not a zip");
    let err = s.fails("evidence index broken.zip");
    assert!(
        err.contains("broken.zip: not a readable zip archive"),
        "{err}"
    );
}

#[test]
fn a_format_1_record_still_opens_and_is_upgraded_on_the_next_save() {
    let s = Sandbox::new();
    s.ok("new a.ron --checklist iso42001-2023 --client A");
    // Format 1 had no `team` (an empty team is left out) and no `report`.
    let current = s.read("a.ron");
    let report = current.find("        report: ReportFacts(").unwrap();
    let end = report + current[report..].find("        ),\n").unwrap() + "        ),\n".len();
    let v1 = format!("{}{}", &current[..report], &current[end..])
        .replace("format_version: 7,", "format_version: 1,")
        .replace("        team: [],\n", "");
    assert!(v1.contains("format_version: 1,") && !v1.contains("team:"));
    std::fs::write(s.path("a.ron"), &v1).unwrap();
    s.ok("status a.ron");
    assert_eq!(s.read("a.ron"), v1, "reading does not rewrite");
    s.ok("note a.ron 4.1 x");
    assert!(s.read("a.ron").contains("format_version: 7,"));
}

#[test]
fn previewing_every_file_of_a_folder_and_a_zip_bundle_changes_nothing() {
    use fieldaudit::evidence::Bundle;
    use fieldaudit::evidence::preview::{FileKind, preview_with_timeout};
    let s = Sandbox::new();
    // A zip copy of the demo bundle, next to the folder itself.
    let zip_path = s.path("demo.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let folder = Bundle::open(Path::new(&demo_bundle())).unwrap();
    let listing = folder.list().unwrap();
    for e in &listing.entries {
        let options = if e.kind.is_compressed() {
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
        } else {
            SimpleFileOptions::default()
        };
        writer.start_file(e.path.as_str(), options).unwrap();
        writer
            .write_all(&std::fs::read(Path::new(&demo_bundle()).join(&e.path)).unwrap())
            .unwrap();
    }
    writer.finish().unwrap();
    let before_folder = snapshot(Path::new(&demo_bundle()));
    let before_zip = std::fs::read(&zip_path).unwrap();
    for bundle in [folder, Bundle::open(&zip_path).unwrap()] {
        let listing = bundle.list().unwrap();
        for e in &listing.entries {
            let (b, entry) = (bundle.clone(), e.clone());
            let shown = preview_with_timeout(
                e.path.clone(),
                e.size,
                move || b.open_stream(&entry),
                std::time::Duration::from_secs(20),
            )
            .unwrap_or_else(|err| panic!("{}: {err}", e.path));
            if matches!(
                e.kind,
                FileKind::Text | FileKind::Docx | FileKind::Xlsx | FileKind::Pdf
            ) {
                assert!(
                    !shown.text.trim().is_empty(),
                    "{} previews as nothing",
                    e.path
                );
            }
        }
    }
    assert_eq!(snapshot(Path::new(&demo_bundle())), before_folder);
    assert_eq!(std::fs::read(&zip_path).unwrap(), before_zip);
}

/// Write a zip built byte by byte into the sandbox.
fn crafted(s: &Sandbox, name: &str, zip: &craft::Zip) -> std::path::PathBuf {
    let path = s.path(name);
    std::fs::write(&path, zip.build()).unwrap();
    path
}

/// `evidence index --json` of a bundle: the indexed paths, stderr, and how
/// long it took.
fn index_json(s: &Sandbox, path: &Path) -> (Vec<String>, String, std::time::Duration) {
    let start = std::time::Instant::now();
    let out = s.run(&["evidence", "index", path.to_str().unwrap(), "--json"]);
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths = json
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap().to_string())
        .collect();
    (paths, err, took)
}

/// The warning line for `name`, which must be there.
fn warning<'a>(err: &'a str, name: &str) -> &'a str {
    let needle = format!(": '{name}' not read: ");
    err.lines()
        .find(|l| l.starts_with("warning: ") && l.contains(&needle))
        .unwrap_or_else(|| panic!("no warning for {name} in:\n{err}"))
}

#[test]
fn an_overlap_bomb_is_refused_at_once_and_none_of_it_is_hashed() {
    // One deflated MiB of zeros (about 1 KiB in the zip), and 999 more
    // directory entries pointing at its local header: each is small enough
    // for the per-entry ratio limit, together they would be 1000 MiB to hash.
    let mut items = vec![Item::new("good.txt", "the one file that may be read")];
    for i in 0..1000 {
        let mut item = Item::new(format!("bomb-{i:03}.bin"), vec![0u8; 1 << 20]);
        item.deflate = true;
        item.share_with = (i > 0).then_some(1);
        items.push(item);
    }
    let s = Sandbox::new();
    let zip = crafted(&s, "bomb.zip", &Zip::of(items));
    assert!(std::fs::metadata(&zip).unwrap().len() < 200_000);
    let (paths, err, took) = index_json(&s, &zip);
    assert_eq!(paths, ["good.txt"]);
    assert!(
        took < std::time::Duration::from_secs(10),
        "took {took:?}: was the bomb read?"
    );
    let first = warning(&err, "bomb-000.bin");
    assert!(
        first.contains("its bytes overlap another entry's"),
        "{first}"
    );
    // The others point at a local header that names another file.
    let other = warning(&err, "bomb-777.bin");
    assert!(
        other.contains("overlap")
            && other.contains("its local header disagrees with the central directory (name")
            && other.contains("can also be read as 'bomb-000.bin'"),
        "{other}"
    );
    assert!(err.contains("1 file(s) indexed, 1000 not read"), "{err}");
}

/// Names a reader can read two ways. unzip extracts the decoy as
/// policy.txt (from its Unicode Path field); with the UTF-8 flag it ignores
/// the field and extracts hidden.txt, which the zip crate listed as
/// register.csv; minutes.txt's local header names another file.
fn two_way_names() -> Zip {
    let decoy = Item::new("notes.txt", "TAMPERED copy")
        .with_extra(craft::unicode_path(b"notes.txt", b"policy.txt"));
    let mut hidden = Item::new("hidden.txt", "a file nobody indexed")
        .with_extra(craft::unicode_path(b"hidden.txt", b"register.csv"));
    hidden.flags = Some(0x0800);
    let mut renamed = Item::new("minutes.txt", "approved minutes");
    renamed.local_name = Some(b"minutes-TAMPERED.txt".to_vec());
    Zip::of(vec![
        decoy,
        Item::new("policy.txt", "the approved policy"),
        hidden,
        Item::new("register.csv", "id,risk\n"),
        renamed,
        Item::new("good.txt", "fine"),
    ])
}

#[test]
fn names_that_read_two_ways_are_never_read_nor_any_copy_they_shadow() {
    let s = Sandbox::new();
    let zip = crafted(&s, "names.zip", &two_way_names());
    let (paths, err, _) = index_json(&s, &zip);
    assert_eq!(paths, ["good.txt"], "{err}");
    for (name, why) in [
        ("notes.txt", "can also be read as 'policy.txt'"),
        ("policy.txt", "the name 'policy.txt' appears 2 times"),
        ("hidden.txt", "can also be read as 'register.csv'"),
        ("register.csv", "the name 'register.csv' appears 2 times"),
        (
            "minutes.txt",
            "its local header disagrees with the central directory (name)",
        ),
    ] {
        let line = warning(&err, name);
        assert!(line.contains(why), "{name}: {line}");
    }
    // The text index says the same.
    let text = s.ok(&["evidence", "index", zip.to_str().unwrap()]);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.trim_end().ends_with("  good.txt"), "{text}");
}

#[test]
fn a_bundle_expands_to_no_more_than_its_budget() {
    // Two entries declaring 1.5 GiB each from 2 MiB of noise (768×, under
    // the per-entry limit): together 3 GiB from a 4 MiB zip, past the
    // 1 GiB any zip may expand to.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut items = vec![Item::new("good.txt", "fine")];
    for i in 0..2 {
        let noise: Vec<u8> = (0..2 << 20)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let mut item = Item::new(format!("export-{i}.csv"), noise);
        item.deflate = true;
        item.declared_size = Some(3 << 29);
        items.push(item);
    }
    let s = Sandbox::new();
    let zip = crafted(&s, "big.zip", &Zip::of(items));
    let (paths, err, _) = index_json(&s, &zip);
    assert_eq!(paths, ["good.txt"], "{err}");
    for name in ["export-0.csv", "export-1.csv"] {
        let line = warning(&err, name);
        assert!(
            line.contains("the bundle would expand past 1.00 GiB (100× its 4.00 MiB zip"),
            "{line}"
        );
    }
}

#[test]
fn names_in_warnings_never_reach_the_terminal_raw() {
    let s = Sandbox::new();
    let zip = crafted(
        &s,
        "esc.zip",
        &Zip::of(vec![
            Item::new("../\u{1b}[2J\u{1b}]0;owned\u{7}.txt", "x"),
            Item::new("csi-\u{9b}31m.txt", "y")
                .with_extra(craft::unicode_path(b"x", b"csi-\x1b[31m.txt")),
            Item::new(
                "title-\u{1b}]0;owned\u{7}.txt",
                "a safe path, a hostile name",
            ),
        ]),
    );
    let (paths, err, _) = index_json(&s, &zip);
    assert!(paths.is_empty());
    assert!(!err.contains('\u{1b}') && !err.contains('\u{9b}') && !err.contains('\u{7}'));
    assert!(warning(&err, "../\\x1b[2J\\x1b]0;owned\\x07.txt").contains("'..'"));
    assert!(
        warning(&err, "title-\\x1b]0;owned\\x07.txt").contains("the name holds control characters")
    );
    assert!(
        warning(&err, "csi-\\u{9b}31m.txt").contains("can also be read as 'csi-\\x1b[31m.txt'")
    );
}

#[test]
#[ignore = "needs unzip (Info-ZIP)"]
fn every_file_indexed_is_the_file_unzip_extracts_under_that_name() {
    let s = Sandbox::new();
    let zip = crafted(&s, "names.zip", &two_way_names());
    let out = s.path("unzipped");
    // unzip may exit non-zero on these names; what it wrote is what counts.
    std::process::Command::new("unzip")
        .args(["-o", "-qq"])
        .arg(&zip)
        .arg("-d")
        .arg(&out)
        .output()
        .expect("run unzip");
    // What the tricks do to a receiver: unzip reads the decoy as
    // policy.txt, and a file nobody would have indexed appears.
    let piped = std::process::Command::new("unzip")
        .arg("-p")
        .arg(&zip)
        .arg("policy.txt")
        .output()
        .expect("run unzip");
    assert!(
        String::from_utf8_lossy(&piped.stdout).contains("TAMPERED copy"),
        "{piped:?}"
    );
    assert!(out.join("hidden.txt").exists());
    let indexed = s.json(&["evidence", "index", zip.to_str().unwrap(), "--json"]);
    let indexed = indexed.as_array().unwrap();
    assert_eq!(indexed.len(), 1);
    for item in indexed {
        let path = item["path"].as_str().unwrap();
        let bytes = std::fs::read(out.join(path)).unwrap();
        assert_eq!(
            item["sha256"].as_str().unwrap(),
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
            "{path}"
        );
    }
}
