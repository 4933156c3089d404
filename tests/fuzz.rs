//! Fuzzing, kept: every reader of outside bytes (records, checklists, bundle
//! zips, previews, received reports), fed mutated real files for
//! a time budget (tests/common/fuzz.rs), and `verify` fed whole generated
//! reports. Plain `cargo test` runs each target for 3 seconds; CI for longer
//! (`FIELDAUDIT_FUZZ_SECONDS`); a long run:
//!
//! ```sh
//! FIELDAUDIT_FUZZ_SECONDS=3600 cargo test --release --test fuzz -- --include-ignored --nocapture
//! ```

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::craft::{self, Item, Key, Zip};
use common::fuzz::{self, RON_TOKENS, ZIP_TOKENS};
use common::{Sandbox, complete_audit};
use fieldaudit::audit::store;
use fieldaudit::evidence::zip_listing::expansion_budget;
use fieldaudit::report::verify;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use sha2::{Digest, Sha256};

/// A record that a change refused is byte-identical afterwards, and one
/// that was accepted reads back with the change in it. Never a panic.
#[test]
fn fuzz_record_reader() {
    let s = Sandbox::new();
    let (demo, _) = fieldaudit::demo::ensure(&s.path("demo"), false).unwrap();
    complete_audit(&s);
    let seeds = vec![
        std::fs::read(demo).unwrap(),
        std::fs::read(s.path("a.ron")).unwrap(),
    ];
    let work = s.path("fuzzed.ron");
    fuzz::run_for("record reader", fuzz::mutations(seeds.len()), |m| {
        let bytes = fuzz::mutate(&seeds, &m, RON_TOKENS);
        let _ = std::fs::remove_file(store::backup_path(&work));
        std::fs::write(&work, &bytes).unwrap();
        let loaded = store::load(&work);
        let changed = store::update(&work, |r| {
            r.meta.site = Some("fuzzed site".into());
            Ok::<_, store::StoreError>(())
        });
        let after = std::fs::read(&work).unwrap();
        match changed {
            Err(_) => {
                prop_assert!(after == bytes, "a refused record was changed");
                prop_assert!(
                    !store::backup_path(&work).exists(),
                    "a refused record got a .bak"
                );
            }
            Ok(()) => {
                prop_assert!(loaded.is_ok(), "update accepted what load refused");
                let again = store::load(&work);
                prop_assert!(again.is_ok(), "a saved record does not read back");
                let site = again.ok().and_then(|r| r.meta.site);
                prop_assert_eq!(site.as_deref(), Some("fuzzed site"));
            }
        }
        Ok(())
    });
}

/// Checklists: every shipped one and the example, mutated; loading and
/// validating never panics.
#[test]
fn fuzz_checklist_reader() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
    let seeds: Vec<Vec<u8>> = [
        "iso42001-2023.ron",
        "iso27001-2022.ron",
        "iso9001-2015.ron",
        "examples/acme-ai-suppliers.ron",
    ]
    .iter()
    .map(|f| std::fs::read(root.join(f)).unwrap())
    .collect();
    let s = Sandbox::new();
    let work = s.path("fuzzed-checklist.ron");
    fuzz::run_for("checklist reader", fuzz::mutations(seeds.len()), |m| {
        let bytes = fuzz::mutate(&seeds, &m, RON_TOKENS);
        std::fs::write(&work, &bytes).unwrap();
        if let Ok(checklist) = fieldaudit::checklist::load_path(&work) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = fieldaudit::checklist::validate(&checklist, Some(&text), &[]);
        }
        Ok(())
    });
}

/// The demo bundle zipped, and small hand-built zips, mutated: listing and
/// hashing every entry never panics, and never reads more than the bundle
/// may expand to.
#[test]
fn fuzz_bundle_zip_reader() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-evidence");
    let seeds = vec![
        zip_folder(&demo),
        Zip::of(vec![
            Item::new("policy.txt", b"AI policy v3"),
            Item {
                deflate: true,
                ..Item::new("logs/run.log", "ok\n".repeat(400))
            },
        ])
        .build(),
    ];
    let s = Sandbox::new();
    let work = s.path("fuzzed-bundle.zip");
    fuzz::run_for("bundle zip reader", fuzz::mutations(seeds.len()), |m| {
        let bytes = fuzz::mutate(&seeds, &m, ZIP_TOKENS);
        std::fs::write(&work, &bytes).unwrap();
        let Ok((listing, digests)) = fieldaudit::evidence::hash::index_bundle(&work) else {
            return Ok(());
        };
        let read: u64 = listing
            .entries
            .iter()
            .zip(&digests)
            .filter(|(_, d)| d.is_ok())
            .map(|(e, _)| e.size)
            .sum();
        let budget = expansion_budget(bytes.len() as u64);
        prop_assert!(
            read <= budget,
            "{read} bytes read from a {} byte zip (budget {budget})",
            bytes.len()
        );
        Ok(())
    });
}

/// The demo's PDFs, Word and Excel files and CSV tables, mutated: a preview never panics
/// (lopdf's and the office readers' own panics included: they are caught
/// and shown as errors).
#[test]
fn fuzz_previews() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-evidence");
    let files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&demo)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            [".pdf", ".docx", ".xlsx", ".pptx", ".csv"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    assert!(files.len() >= 5, "the demo's documents: {files:?}");
    let seeds: Vec<Vec<u8>> = files.iter().map(|(_, d)| d.clone()).collect();
    fieldaudit::evidence::preview::silence_caught_preview_panics();
    fuzz::run_for("previews", fuzz::mutations(seeds.len()), |m| {
        let bytes = fuzz::mutate(&seeds, &m, ZIP_TOKENS);
        let name = &files[m.0].0;
        let size = bytes.len() as u64;
        let _ = fieldaudit::evidence::preview::preview(name, size, move || {
            Ok(Box::new(std::io::Cursor::new(bytes)) as Box<dyn std::io::Read + Send>)
        });
        Ok(())
    });
}

/// A real report (pack's own output) and a hand-built signed one,
/// mutated: `verify` never panics, and whatever it accepts with the key is
/// exactly what `unzip` and `bsdtar` extract.
#[test]
#[ignore = "needs unzip and bsdtar"]
fn fuzz_verify_reader_on_mutated_reports() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.ok("keygen lead --no-password");
    s.ok("pack a.ron -o report.zip --key lead.key --signer 'Lee Auditor'");
    let public = fieldaudit::report::keys::load_public(&s.path("lead.pub")).unwrap();
    let seeds = vec![std::fs::read(s.path("report.zip")).unwrap()];
    let work = s.path("fuzzed-report.zip");
    let accepted = std::cell::Cell::new(0u64);
    fuzz::run_for(
        "verify reader (mutated)",
        fuzz::mutations(seeds.len()),
        |m| {
            let bytes = fuzz::mutate(&seeds, &m, ZIP_TOKENS);
            std::fs::write(&work, &bytes).unwrap();
            if let Ok(v) = verify::verify(&work, Some(&public))
                && v.ok()
            {
                accepted.set(accepted.get() + 1);
                extracts_exactly_the_manifest(&s, &work)?;
            }
            Ok(())
        },
    );
    eprintln!(
        "fuzz verify reader (mutated): {} mutated reports accepted",
        accepted.get()
    );
}

/// One entry of a generated report: a name (mostly plausible, sometimes
/// hostile) and what a forger may do to its headers.
#[derive(Debug, Clone)]
struct Planned {
    name: String,
    data: Vec<u8>,
    deflate: bool,
    flags: Option<u16>,
    extra: Extra,
    mode: u32,
    local_name: Option<String>,
    share_with: Option<prop::sample::Index>,
    hidden: bool,
    listed: bool,
    version_needed: u16,
}

#[derive(Debug, Clone)]
enum Extra {
    None,
    UnicodePath(String),
    Unknown(u16),
    Zip64,
}

#[derive(Debug, Clone)]
struct Plan {
    entries: Vec<Planned>,
    prefix: Vec<u8>,
    comment: Vec<u8>,
    fake_end: bool,
    zip64_end: bool,
    binary_manifest: bool,
    /// Names listed in the manifest though not in the zip.
    phantom: Option<String>,
}

const NAMES: &[&str] = &[
    "audit.ron",
    "report.html",
    "findings.csv",
    "evidence/01-policies/ai-policy.pdf",
    "evidence/café.txt",
    "evidence/cafe\u{301}.txt",
    "Report.html",
    "REPORT.HTML",
    "evidence/A.txt",
    "evidence/a.txt",
    "evidence/",
    "evidence/a.txt/",
    "../x.txt",
    "evidence/../../x.txt",
    "/etc/passwd",
    "evidence\\win.txt",
    "evidence//double.txt",
    "./report.html",
    "evidence/\u{1b}[2J.txt",
    "evidence/\u{9b}x.txt",
    "MANIFEST.sha256",
    "MANIFEST.sha256.minisig",
    "evidence/a.txt ",
    "evidence/dir/deep.txt",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "evidence/[a-z]{1,6}\\.(txt|pdf)",
        3 => prop::sample::select(NAMES).prop_map(str::to_string),
        1 => "[a-zA-Z0-9./\\\\é-]{1,12}",
    ]
}

fn planned() -> impl Strategy<Value = Planned> {
    (
        (name(), prop::collection::vec(any::<u8>(), 0..48), any::<bool>()),
        prop_oneof![
            8 => Just(None),
            1 => Just(Some(0x0800u16)),
            1 => Just(Some(0u16)),
            1 => prop::sample::select(vec![0x0001u16, 0x0008, 0x0040, 0x2000]).prop_map(Some),
        ],
        prop_oneof![
            8 => Just(Extra::None),
            1 => name().prop_map(Extra::UnicodePath),
            1 => prop::sample::select(vec![0x5455u16, 0x7855, 0x000a, 0x6375]).prop_map(Extra::Unknown),
            1 => Just(Extra::Zip64),
        ],
        prop_oneof![
            12 => Just(0o100644u32),
            1 => Just(0o040755),
            1 => Just(0o120777),
            1 => Just(0o100755),
        ],
        prop_oneof![10 => Just(None), 1 => name().prop_map(Some)],
        prop_oneof![12 => Just(None), 1 => any::<prop::sample::Index>().prop_map(Some)],
        (
            prop::bool::weighted(0.05),
            prop::bool::weighted(0.95),
            prop_oneof![12 => Just(20u16), 1 => prop::sample::select(vec![10u16, 45, 46, 63])],
        ),
    )
        .prop_map(
            |(
                (name, data, deflate),
                flags,
                extra,
                mode,
                local_name,
                share_with,
                (hidden, listed, version_needed),
            )| {
                Planned {
                    version_needed,
                    name,
                    data,
                    deflate,
                    flags,
                    extra,
                    mode,
                    local_name,
                    share_with,
                    hidden,
                    listed,
                }
            },
        )
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec(planned(), 1..5),
        prop_oneof![10 => Just(Vec::new()), 1 => prop::collection::vec(any::<u8>(), 1..32)],
        prop_oneof![10 => Just(Vec::new()), 1 => prop::collection::vec(any::<u8>(), 1..32)],
        prop::bool::weighted(0.05),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.2),
        prop_oneof![12 => Just(None), 1 => name().prop_map(Some)],
    )
        .prop_map(
            |(entries, prefix, comment, fake_end, zip64_end, binary_manifest, phantom)| Plan {
                entries,
                prefix,
                comment,
                fake_end,
                zip64_end,
                binary_manifest,
                phantom,
            },
        )
}

/// The zip a plan describes, with its manifest signed by `key`.
fn build(plan: &Plan, key: &Key) -> Vec<u8> {
    let mut manifest = String::new();
    for e in plan.entries.iter().filter(|e| e.listed) {
        let sep = if plan.binary_manifest { " *" } else { "  " };
        manifest += &format!("{}{sep}{}\n", hex::encode(Sha256::digest(&e.data)), e.name);
    }
    if let Some(p) = &plan.phantom {
        manifest += &format!("{}  {p}\n", hex::encode(Sha256::digest(b"")));
    }
    let mut items: Vec<Item> = Vec::new();
    for (i, e) in plan.entries.iter().enumerate() {
        let mut item = Item::new(&e.name, &e.data);
        item.deflate = e.deflate;
        item.flags = e.flags;
        item.mode = e.mode;
        item.hidden = e.hidden;
        item.version_needed = e.version_needed;
        item.local_name = e.local_name.as_ref().map(|n| n.as_bytes().to_vec());
        item.share_with = e.share_with.as_ref().filter(|_| i > 0).map(|x| x.index(i));
        item.extra = match &e.extra {
            Extra::None => Vec::new(),
            Extra::UnicodePath(n) => craft::unicode_path(e.name.as_bytes(), n.as_bytes()),
            Extra::Unknown(id) => craft::extra_field(*id, &[0; 5]),
            Extra::Zip64 => craft::extra_field(0x0001, &[]),
        };
        items.push(item);
    }
    items.push(Item::new("MANIFEST.sha256", manifest.as_bytes()));
    items.push(Item::new(
        "MANIFEST.sha256.minisig",
        key.sign(manifest.as_bytes()),
    ));
    Zip {
        items,
        prefix: plan.prefix.clone(),
        comment: plan.comment.clone(),
        fake_end_in_comment: plan.fake_end,
        zip64_end: plan.zip64_end,
    }
    .build()
}

/// Reports generated from entry lists (names, flags, extra fields,
/// duplicates, overlaps, prepended data) with a matching manifest and a
/// real signature: whatever `verify --pubkey` accepts, `unzip` and `bsdtar`
/// extract to exactly the manifest's files with the manifest's hashes.
#[test]
#[ignore = "needs unzip and bsdtar"]
fn fuzz_verify_on_generated_reports() {
    let s = Sandbox::new();
    let key = Key::new();
    s.write("lead.pub", &key.public_file());
    let public = fieldaudit::report::keys::load_public(&s.path("lead.pub")).unwrap();
    let work = s.path("generated.zip");
    let accepted = std::cell::Cell::new(0u64);
    let cases = fuzz::run_for("verify (generated reports)", plan(), |plan| {
        std::fs::write(&work, build(&plan, &key)).unwrap();
        if let Ok(v) = verify::verify(&work, Some(&public))
            && v.ok()
        {
            accepted.set(accepted.get() + 1);
            extracts_exactly_the_manifest(&s, &work)?;
        }
        Ok(())
    });
    println!(
        "fuzz verify (generated reports): {cases} generated, {} accepted, each extracted by unzip and bsdtar to exactly its manifest",
        accepted.get()
    );
    assert!(
        accepted.get() > 0,
        "no generated report was accepted: the generator no longer makes valid reports, so the property was never checked"
    );
}

/// Extract `zip` with `unzip` (first and last copy of a name) and
/// `bsdtar`; each must give exactly the manifest's files (plus the
/// manifest and signature) with the manifest's hashes, and nothing else.
fn extracts_exactly_the_manifest(s: &Sandbox, zip: &Path) -> Result<(), TestCaseError> {
    let v = verify::verify(zip, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        v.ok(),
        "accepted with a key but not without: {:?}",
        v.problems
    );
    let manifest = extracted_manifest(s, zip)?;
    for (tool, args) in [
        ("unzip", vec!["-qq", "-n"]),
        ("unzip", vec!["-qq", "-o"]),
        ("bsdtar", vec!["-x", "-f"]),
    ] {
        let parent = tempfile::tempdir_in(s.dir.path()).unwrap();
        let out = parent.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let mut cmd = Command::new(tool);
        cmd.args(&args).arg(zip);
        if tool == "unzip" {
            cmd.arg("-d").arg(&out);
        } else {
            cmd.arg("-C").arg(&out);
        }
        let status = cmd
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
        prop_assert!(
            status.status.success(),
            "{tool} {args:?} failed on a report verify accepted: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        let outside: Vec<_> = std::fs::read_dir(parent.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        prop_assert_eq!(outside.len(), 1, "{} wrote beside its folder", tool);
        let found = files_under(&out)?;
        prop_assert_eq!(
            &found,
            &manifest,
            "{} {:?} extracted other files than the manifest lists",
            tool,
            args
        );
    }
    Ok(())
}

/// The manifest's files (name → sha256), plus the manifest and signature
/// with their own hashes, read as `unzip -p` gives them.
fn extracted_manifest(s: &Sandbox, zip: &Path) -> Result<BTreeMap<String, String>, TestCaseError> {
    let parent = tempfile::tempdir_in(s.dir.path()).unwrap();
    let out = Command::new("unzip")
        .args(["-qq", "-o"])
        .arg(zip)
        .args(["MANIFEST.sha256", "MANIFEST.sha256.minisig", "-d"])
        .arg(parent.path())
        .output()
        .expect("run unzip");
    prop_assert!(out.status.success(), "unzip could not extract the manifest");
    let text = std::fs::read_to_string(parent.path().join("MANIFEST.sha256")).unwrap();
    let mut listed = BTreeMap::new();
    for line in text.lines() {
        let (sha, name) = line.split_at(64);
        listed.insert(name[2..].to_string(), sha.to_string());
    }
    for name in ["MANIFEST.sha256", "MANIFEST.sha256.minisig"] {
        let bytes = std::fs::read(parent.path().join(name)).unwrap();
        listed.insert(name.to_string(), hex::encode(Sha256::digest(&bytes)));
    }
    Ok(listed)
}

/// Every regular file under `root` (relative, `/`-joined) and its sha256;
/// a link or anything but files and folders is a failure.
fn files_under(root: &Path) -> Result<BTreeMap<String, String>, TestCaseError> {
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let kind = entry.file_type();
        prop_assert!(
            kind.is_file() || kind.is_dir(),
            "{} is neither a file nor a folder",
            entry.path().display()
        );
        if kind.is_file() {
            let rel = entry.path().strip_prefix(root).unwrap();
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(entry.path()).unwrap();
            found.insert(name, hex::encode(Sha256::digest(&bytes)));
        }
    }
    Ok(found)
}

/// A folder zipped as a receiver would (the zip crate, deflated).
fn zip_folder(root: &Path) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let name = entry.path().strip_prefix(root).unwrap().to_string_lossy();
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&std::fs::read(entry.path()).unwrap()).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}
