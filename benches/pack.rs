//! Packing a ~0.9 GB report against Info-ZIP on the same files, in the same
//! run, rounds interleaved. Run: `cargo bench --bench pack` (needs `zip`).
//! Prints per-round times, the median and minimum ratios, and peak memory.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fieldaudit::audit::{AuditRecord, AuditType, Change, Criterion, LinkTarget, Meta};
use fieldaudit::checklist::ReqRef;
use fieldaudit::evidence::{Bundle, hash};
use fieldaudit::report::pack::{Contents, Progress, pack};

/// Deterministic pseudo-random bytes (incompressible, like a PDF or JPEG).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn build_bundle(root: &Path) {
    std::fs::create_dir_all(root.join("scans")).expect("mkdir");
    for i in 0..20 {
        let ext = if i % 2 == 0 { "pdf" } else { "jpg" };
        std::fs::write(
            root.join(format!("scans/scan-{i:02}.{ext}")),
            noise(i, 40 << 20),
        )
        .expect("write");
    }
    for i in 0..5000 {
        let dir = root.join(format!("logs/{:02}", i / 250));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let line = format!(
            "2026-10-{:02}T12:00:00Z INFO scorewise decision app={i} score=712 band=approve\n",
            i % 28 + 1
        );
        std::fs::write(
            dir.join(format!("events-{i:04}.log")),
            line.repeat(20 + i % 200),
        )
        .expect("write");
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    if Command::new("zip").arg("-v").output().is_err() {
        eprintln!("`zip` (Info-ZIP) is not installed; skipping the pack bench");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("bundle");
    build_bundle(&root);
    let bundle = Bundle::open(&root).expect("bundle");
    let listing = bundle.list().expect("list");
    let who = Change::now("bench");
    let mut record = AuditRecord::new(
        Meta::new("Bench Ltd", AuditType::Stage2),
        vec![Criterion::Builtin("iso42001-2023".into())],
        Some(root.display().to_string()),
        &who,
    );
    let req = ReqRef::new("iso42001-2023", "7.5.3");
    let progress = std::sync::atomic::AtomicU64::new(0);
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let digests = hash::hash_all(
        &bundle,
        &listing.entries,
        hash::default_threads(),
        &progress,
        &cancel,
    );
    for (e, d) in listing.entries.iter().zip(digests) {
        let d = d.expect("hash");
        record
            .link_evidence(
                &who,
                &LinkTarget::Requirement(req.clone()),
                e.path.clone(),
                hash::to_hex(&d),
                e.size,
            )
            .expect("link");
    }
    let contents = Contents {
        record_ron: fieldaudit::ronfile::to_string(&record).expect("ron"),
        report_html: "<html></html>".into(),
        findings_csv: String::new(),
        oscal: None,
    };
    let total: u64 = listing.total_bytes();
    println!(
        "bundle: {} files, {:.2} GB",
        listing.entries.len(),
        total as f64 / 1e9
    );
    let rounds = 3;
    let (mut ours, mut zr, mut z0) = (Vec::new(), Vec::new(), Vec::new());
    let run_zip = |args: &[&str], out: &Path| -> Duration {
        let start = Instant::now();
        let status = Command::new("zip")
            .args(args)
            .arg(out)
            .arg(".")
            .current_dir(&root)
            .status()
            .expect("zip");
        assert!(status.success());
        start.elapsed()
    };
    for round in 0..rounds {
        let out = dir.path().join(format!("ours-{round}.zip"));
        let start = Instant::now();
        pack(
            &record,
            Some(&bundle),
            &dir.path().join("none.evidence"),
            &contents,
            None,
            &out,
            &Progress::default(),
        )
        .expect("pack");
        ours.push(start.elapsed().as_secs_f64());
        let out = dir.path().join(format!("r-{round}.zip"));
        zr.push(run_zip(&["-q", "-r"], &out).as_secs_f64());
        let out = dir.path().join(format!("z0-{round}.zip"));
        z0.push(run_zip(&["-q", "-r", "-0"], &out).as_secs_f64());
        println!(
            "round {round}: fieldaudit {:.2} s, zip -r {:.2} s, zip -0 {:.2} s",
            ours[round], zr[round], z0[round]
        );
        for f in ["ours", "r", "z0"] {
            let _ = std::fs::remove_file(dir.path().join(format!("{f}-{round}.zip")));
        }
    }
    let ratio = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| y / x).collect::<Vec<f64>>();
    let vs_r = ratio(&ours, &zr);
    let vs_0 = ratio(&ours, &z0);
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "fieldaudit median {:.2} s ({:.2} GB/s, manifest hashing included)",
        median(ours.clone()),
        total as f64 / 1e9 / median(ours.clone())
    );
    println!(
        "vs zip -r: {:.1}× faster (median), {:.1}× (min)",
        median(vs_r.clone()),
        min(&vs_r)
    );
    println!(
        "vs zip -0: {:.2}× (median), {:.2}× (min)",
        median(vs_0.clone()),
        min(&vs_0)
    );
    println!(
        "peak memory of this process: {} MiB (the bundle is {} MiB)",
        peak_rss_kib() / 1024,
        total >> 20
    );
}
