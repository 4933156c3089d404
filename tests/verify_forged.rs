//! Forged reports, built byte by byte: each trick a forger or a hostile
//! auditee could play on `fieldaudit verify`, and the problem it must name.
//! Every report here is signed with a real key; the forger controls every
//! byte of the zip.

mod common;
use common::Sandbox;
use common::craft::{self, Item, Key, Zip};

const HTML: &[u8] = b"<html>the signed report</html>";
const RECORD: &[u8] = b"AuditRecord(format_version: 3)";
const TAMPERED: &[u8] = b"<html>TAMPERED: no nonconformities</html>";

/// The files of a small report, in the order pack writes them.
fn files() -> Vec<(&'static str, &'static [u8])> {
    vec![("audit.ron", RECORD), ("report.html", HTML)]
}

struct Forgery {
    s: Sandbox,
    key: Key,
}

/// What `verify --json` said, and its exit code.
struct Outcome {
    code: Option<i32>,
    json: serde_json::Value,
    text: String,
}

impl Outcome {
    fn problems(&self) -> String {
        self.json["problems"]
            .as_array()
            .map(|p| {
                p.iter()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// Refused, with a problem containing `needle`.
    fn refused_for(&self, needle: &str) {
        assert_eq!(self.code, Some(1), "{}\n{}", self.json, self.text);
        assert_eq!(self.json["ok"], false, "{}", self.json);
        assert!(
            self.problems().contains(needle),
            "no problem mentions {needle:?}:\n{}",
            self.problems()
        );
    }
}

impl Forgery {
    fn new() -> Forgery {
        let s = Sandbox::new();
        let key = Key::new();
        s.write("lead.pub", &key.public_file());
        Forgery { s, key }
    }

    /// The report as pack would write it, signed by the lead's key.
    fn items(&self) -> Vec<Item> {
        craft::report(&files(), Some(&self.key))
    }

    fn verify_zip(&self, zip: &Zip, pubkey: bool) -> Outcome {
        self.verify_bytes(&zip.build(), pubkey)
    }

    fn verify_bytes(&self, bytes: &[u8], pubkey: bool) -> Outcome {
        std::fs::write(self.s.path("report.zip"), bytes).unwrap();
        let mut args = vec!["verify", "report.zip"];
        if pubkey {
            args.extend(["--pubkey", "lead.pub"]);
        }
        let text = self.s.run(&args);
        args.push("--json");
        let out = self.s.run(&args);
        let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "verify --json gave no JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert_eq!(text.status.code(), out.status.code());
        Outcome {
            code: out.status.code(),
            json,
            text: format!(
                "{}{}",
                String::from_utf8_lossy(&text.stdout),
                String::from_utf8_lossy(&text.stderr)
            ),
        }
    }

    /// For a zip whose directory cannot be read at all: the exit code and
    /// the error.
    fn unreadable(&self, bytes: &[u8]) -> String {
        std::fs::write(self.s.path("report.zip"), bytes).unwrap();
        self.s.fails("verify report.zip --pubkey lead.pub")
    }
}

#[test]
fn a_report_in_packs_shape_verifies() {
    // The baseline every forgery below departs from: if this failed, the
    // refusals below would prove nothing.
    let f = Forgery::new();
    let out = f.verify_zip(&Zip::of(f.items()), true);
    assert_eq!(out.code, Some(0), "{}", out.json);
    assert_eq!(out.json["signature"], "verified");
    assert_eq!(out.json["files_checked"], 2);
    assert!(
        out.text.contains("signature verified with key"),
        "{}",
        out.text
    );
}

#[test]
fn with_a_pubkey_a_report_without_signature_fails() {
    let f = Forgery::new();
    // Edit report.html, regenerate the manifest, drop the signature.
    let tampered = [("audit.ron", RECORD), ("report.html", TAMPERED)];
    let items = craft::report(&tampered, None);
    let out = f.verify_zip(&Zip::of(items.clone()), true);
    out.refused_for("not signed");
    assert_eq!(out.json["signature"], "unsigned");
    assert!(out.text.contains("NOT SIGNED"), "{}", out.text);

    // Without a key it is a draft: it passes, and says that nothing
    // authenticates it.
    let draft = f.verify_zip(&Zip::of(items), false);
    assert_eq!(draft.code, Some(0), "{}", draft.json);
    assert_eq!(draft.json["signature"], "unsigned");
    assert!(
        draft.text.contains("nothing authenticates"),
        "{}",
        draft.text
    );
}

#[test]
fn a_corrupt_or_unreadable_signature_is_invalid_never_unsigned() {
    let f = Forgery::new();
    let mut items = f.items();
    let sig = items
        .iter_mut()
        .find(|i| i.name.ends_with(b".minisig"))
        .unwrap();
    sig.data = b"untrusted comment: not really\nAAAA\n".to_vec();
    for pubkey in [true, false] {
        let out = f.verify_zip(&Zip::of(items.clone()), pubkey);
        out.refused_for("not a minisign signature");
        assert_eq!(out.json["signature"], "invalid");
    }

    // A signature whose stored bytes no longer match their CRC-32.
    let bytes = Zip::of(f.items()).build();
    let at = find(&bytes, b"untrusted comment:").expect("signature text in the zip");
    let mut bytes = bytes;
    bytes[at] ^= 0x20;
    for pubkey in [true, false] {
        let out = f.verify_bytes(&bytes, pubkey);
        out.refused_for("cannot be read");
        assert_eq!(out.json["signature"], "invalid");
    }
}

#[test]
fn a_manifest_that_cannot_be_read_is_not_called_missing() {
    let f = Forgery::new();
    let mut bytes = Zip::of(f.items()).build();
    let manifest = craft::manifest(&[(b"audit.ron", RECORD), (b"report.html", HTML)]);
    let at = find(&bytes, &manifest).expect("manifest in the zip");
    bytes[at] ^= 1;
    let out = f.verify_bytes(&bytes, true);
    out.refused_for("MANIFEST.sha256 is in the zip but cannot be read");
    assert!(!out.problems().contains("missing"), "{}", out.problems());
}

#[test]
fn a_unicode_path_decoy_named_like_a_signed_file_is_refused() {
    let f = Forgery::new();
    // The decoy comes first under the raw name report.html; its Unicode
    // Path field renames it for the zip crate, so the crate sees no
    // duplicate while unzip extracts the decoy.
    let decoy = Item::new("report.html", TAMPERED)
        .with_extra(craft::unicode_path(b"report.html", b"notes.txt"));
    let mut items = vec![decoy];
    items.extend(f.items());
    let out = f.verify_zip(&Zip::of(items), true);
    out.refused_for("Unicode Path");
    out.refused_for("duplicate entry 'report.html'");
}

#[test]
fn an_unsigned_file_hidden_behind_a_unicode_path_name_is_refused() {
    let f = Forgery::new();
    // Raw name payload.sh with the UTF-8 flag: Info-ZIP ignores the extra
    // field and extracts payload.sh; the zip crate calls it report.html and
    // merges it with the signed one.
    let mut hidden = Item::new("payload.sh", b"#!/bin/sh\necho owned\n")
        .with_extra(craft::unicode_path(b"payload.sh", b"report.html"));
    hidden.flags = Some(0x0800);
    let mut items = f.items();
    items.insert(0, hidden);
    let out = f.verify_zip(&Zip::of(items), true);
    out.refused_for("can also be read as 'report.html'");
    out.refused_for("'payload.sh' is in the zip but not in MANIFEST.sha256");
    out.refused_for("the UTF-8 flag is set on an ASCII name");
}

#[test]
fn two_entries_with_one_name_are_refused_under_every_reading() {
    let f = Forgery::new();
    let mut items = vec![Item::new("report.html", TAMPERED)];
    items.extend(f.items());
    f.verify_zip(&Zip::of(items), true)
        .refused_for("duplicate entry 'report.html'");

    // Names that differ only in case or Unicode form land on one file on
    // many receivers' disks.
    let mut items = f.items();
    items.insert(0, Item::new("Report.HTML", TAMPERED));
    f.verify_zip(&Zip::of(items), true)
        .refused_for("duplicate entry");
    let nfc = "evidence/café.txt";
    let nfd = "evidence/cafe\u{301}.txt";
    let files = [(nfc, &b"signed"[..])];
    let mut items = craft::report(&files, Some(&f.key));
    items.insert(0, Item::new(nfd, b"decoy"));
    let out = f.verify_zip(&Zip::of(items), true);
    out.refused_for("not in Unicode NFC");
    out.refused_for("duplicate entry");
}

#[test]
fn duplicates_cannot_hide_behind_a_directory_our_reader_cannot_walk() {
    let f = Forgery::new();
    let mut items = vec![Item::new("report.html", TAMPERED)];
    items.extend(f.items());

    // Data prepended to the zip.
    let prefixed = Zip {
        prefix: b"#!/bin/sh\nexit 0\n".to_vec(),
        ..Zip::of(items.clone())
    };
    let out = f.verify_zip(&prefixed, true);
    out.refused_for("before the first entry");
    out.refused_for("duplicate entry 'report.html'");

    // A zip64 end record.
    let zip64 = Zip {
        zip64_end: true,
        ..Zip::of(items.clone())
    };
    f.verify_zip(&zip64, true)
        .refused_for("duplicate entry 'report.html'");
    // ... which on its own is readable: pack writes zip64 for huge files.
    let plain64 = Zip {
        zip64_end: true,
        ..Zip::of(f.items())
    };
    assert_eq!(f.verify_zip(&plain64, true).code, Some(0));

    // A fake end record in the comment: two ends, ambiguous; refused whole.
    let faked = Zip {
        fake_end_in_comment: true,
        ..Zip::of(items)
    };
    let err = f.unreadable(&faked.build());
    assert!(err.contains("end-of-central-directory records"), "{err}");

    // A comment alone is not what pack writes.
    let commented = Zip {
        comment: b"looks harmless".to_vec(),
        ..Zip::of(f.items())
    };
    f.verify_zip(&commented, true).refused_for("comment");
}

#[test]
fn directory_entries_and_unsafe_names_count() {
    let f = Forgery::new();
    for (name, why) in [
        ("../../x/", "unsafe name"),
        ("docs/", "a directory entry carrying data"),
        ("report.html/", "a directory entry carrying data"),
        ("evidence/../../etc/passwd", "unsafe name"),
        ("/etc/passwd", "unsafe name"),
        ("evidence\\win.txt", "unsafe name"),
        ("evidence/\u{1b}[2Jx.txt", "control characters"),
    ] {
        let mut entry = Item::new(name, b"carried data");
        if name.ends_with('/') {
            entry.mode = 0o040755;
        }
        let mut items = f.items();
        items.insert(0, entry);
        f.verify_zip(&Zip::of(items), true).refused_for(why);
    }
    // A symbolic link is never what pack writes.
    let mut link = Item::new("evidence/link", b"/etc/passwd");
    link.mode = 0o120777;
    let mut items = f.items();
    items.insert(0, link);
    f.verify_zip(&Zip::of(items), true)
        .refused_for("a symbolic link");
}

#[test]
fn every_entry_must_have_packs_shape() {
    let f = Forgery::new();
    let with = |change: &dyn Fn(&mut Item)| {
        let mut items = f.items();
        let html = items.iter_mut().find(|i| i.name == b"report.html").unwrap();
        change(html);
        f.verify_zip(&Zip::of(items), true)
    };
    with(&|i| i.local_name = Some(b"report.htm".to_vec()))
        .refused_for("local header disagrees with the central directory (name)");
    with(&|i| i.flags = Some(0x0800)).refused_for("UTF-8 flag is set on an ASCII name");
    with(&|i| i.extra = craft::extra_field(0x5455, &[1, 0, 0, 0, 0]))
        .refused_for("an extra field 0x5455");
    with(&|i| i.mode = 0o100755).refused_for("mode 100755");
    // unzip 6.0 refuses an entry that asks for a newer reader; found by the
    // fuzz harness as one flipped bit in a signed report.
    with(&|i| i.version_needed = 52).refused_for("a zip reader of version 5.2");

    // A name in NFD alone: bsdtar extracts it in NFC, a name the manifest
    // does not list.
    let files = [("evidence/cafe\u{301}.txt", &b"x"[..])];
    f.verify_zip(&Zip::of(craft::report(&files, Some(&f.key))), true)
        .refused_for("not in Unicode NFC");

    // A non-ASCII name without the UTF-8 flag reads as CP437 elsewhere.
    let files = [("evidence/café.txt", &b"x"[..])];
    let mut items = craft::report(&files, Some(&f.key));
    items[0].flags = Some(0);
    f.verify_zip(&Zip::of(items), true)
        .refused_for("without the UTF-8 flag");
}

#[test]
fn overlapping_and_unlisted_entries_are_refused() {
    let f = Forgery::new();
    // A second directory record pointing at report.html's bytes.
    let mut items = f.items();
    let mut twin = Item::new("copy.html", HTML);
    twin.share_with = Some(1);
    items.push(twin);
    f.verify_zip(&Zip::of(items), true)
        .refused_for("overlaps another entry");

    // A file the manifest does not list.
    let mut items = f.items();
    items.push(Item::new("evidence/extra.pdf", b"%PDF-1.4 unsigned"));
    f.verify_zip(&Zip::of(items), true)
        .refused_for("'evidence/extra.pdf' is in the zip but not in MANIFEST.sha256");

    // Bytes hidden between entries: a local header without a directory
    // record.
    let mut items = f.items();
    let mut hidden = Item::new("hidden.txt", b"never listed");
    hidden.hidden = true;
    items.insert(1, hidden);
    f.verify_zip(&Zip::of(items), true)
        .refused_for("between entries");
}

#[test]
fn binary_mode_manifest_lines_are_read() {
    let f = Forgery::new();
    let text = String::from_utf8(craft::manifest(&[
        (b"audit.ron", RECORD),
        (b"report.html", HTML),
    ]))
    .unwrap()
    .replace("  ", " *");
    let mut items: Vec<Item> = files().iter().map(|(n, d)| Item::new(n, d)).collect();
    items.push(Item::new("MANIFEST.sha256", text.as_bytes()));
    items.push(Item::new(
        "MANIFEST.sha256.minisig",
        f.key.sign(text.as_bytes()),
    ));
    let out = f.verify_zip(&Zip::of(items), true);
    assert_eq!(out.code, Some(0), "{}", out.json);
    assert_eq!(out.json["files_checked"], 2);
}

#[test]
fn a_wrong_key_and_a_changed_manifest_are_told_apart() {
    let f = Forgery::new();
    let other = Key::new();
    f.s.write("other.pub", &other.public_file());

    std::fs::write(f.s.path("report.zip"), Zip::of(f.items()).build()).unwrap();
    let out = f.s.run("verify report.zip --pubkey other.pub");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not the given key"), "{text}");
    assert!(!text.contains("give --pubkey"), "{text}");

    // Same key, but the manifest was regenerated after signing.
    let mut items = f.items();
    let signature = items.pop().unwrap();
    craft::reseal(
        &mut items,
        &[(b"audit.ron", RECORD), (b"report.html", TAMPERED)],
        &f.key,
    );
    items.pop();
    items.push(signature);
    let html = items.iter_mut().find(|i| i.name == b"report.html").unwrap();
    html.data = TAMPERED.to_vec();
    let out = f.verify_zip(&Zip::of(items), true);
    out.refused_for("MANIFEST.sha256 changed after signing");
    assert!(!out.text.contains("give --pubkey"), "{}", out.text);
    assert_eq!(out.json["signature"], "rejected");

    // Only without a key is the advice given.
    let plain = f.verify_zip(&Zip::of(f.items()), false);
    assert_eq!(plain.code, Some(0));
    assert!(plain.text.contains("give --pubkey"), "{}", plain.text);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn collected_files_are_held_to_the_same_rules_as_evidence_files() {
    let f = Forgery::new();
    let dir = format!("collected/{}", "ab".repeat(32));
    let photo = format!("{dir}/café photo.png");
    let files = [
        ("audit.ron", RECORD),
        ("report.html", HTML),
        (photo.as_str(), &b"\x89PNG log"[..]),
    ];
    let out = f.verify_zip(&Zip::of(craft::report(&files, Some(&f.key))), true);
    assert_eq!(out.code, Some(0), "{}", out.json);
    assert_eq!(out.json["files_checked"], 3);

    // A name in NFD is refused, as under evidence/.
    let nfd = format!("{dir}/cafe\u{301} photo.png");
    let files = [(nfd.as_str(), &b"\x89PNG log"[..])];
    f.verify_zip(&Zip::of(craft::report(&files, Some(&f.key))), true)
        .refused_for("not in Unicode NFC");

    // A collected file the manifest does not list, or altered after signing.
    let mut items = f.items();
    items.push(Item::new(&photo, b"unsigned"));
    f.verify_zip(&Zip::of(items), true)
        .refused_for("is in the zip but not in MANIFEST.sha256");
    let files = [(photo.as_str(), &b"\x89PNG log"[..])];
    let mut items = craft::report(&files, Some(&f.key));
    let entry = items
        .iter_mut()
        .find(|i| i.name == photo.as_bytes())
        .unwrap();
    entry.data = b"\x89PNG forged".to_vec();
    f.verify_zip(&Zip::of(items), true)
        .refused_for("was altered");
}
