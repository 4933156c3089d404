//! Evidence hashing and indexing, against coreutils `sha256sum` in the same
//! run. Every comparison is interleaved: each round runs every contender once,
//! in an order rotated from round to round, so a stall of the machine hits one
//! sample and not one contender. Per round the time of each contender is
//! divided by the time of the first one (fieldaudit); the median and the
//! minimum of those ratios are printed, with median and best times and GB/s
//! (GB = 10^9 bytes). CPU columns come from /proc (10 ms ticks except for
//! the single-thread in-memory runs), so they mean something only for runs
//! well above 10 ms; "other processes' load" is the rest of the machine's
//! busy time during the run, to show when a neighbour competed for the cores.
//!
//! Sections (all by default; pick some with `FIELDAUDIT_BENCH_ONLY=a,b`):
//! - `folder`: a ~1 GiB folder bundle (two 256 MiB files, 2,000 files of
//!   64–448 KiB): open + list + `hash_all` on 2 and 1 threads against
//!   `sha256sum FILES…` and `xargs -P2 sha256sum`;
//! - `single`: one 256 MiB file end to end, and sha2 hashing-only on the same
//!   bytes in memory (does sha2 use SHA-NI?);
//! - `zip`: a stored zip and a deflated zip, against `sha256sum` on the same
//!   files unpacked, and `unzip -p | sha256sum`;
//! - `index`: a 10,000-file folder: time of `Bundle::list` against the full
//!   hash, and heap bytes kept per listed entry (counting allocator below);
//! - `ziplist`: `Bundle::list` of zips of 2,500 to 20,000 entries;
//! - `sha2` (only when asked for): sha2 on 256 MiB in memory, to compare
//!   builds with other `RUSTFLAGS`.
//!
//! Run: `cargo bench --bench hash` (about 3 minutes, ~2 GB in the temp dir,
//! removed afterwards). `FIELDAUDIT_BENCH_ROUNDS` (default 9),
//! `FIELDAUDIT_BENCH_DIR` (where the temp folder goes). Without `--bench`
//! (`cargo test --benches`) it is a small smoke run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs::{self, File};
use std::hint::black_box;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fieldaudit::evidence::hash::{self, Sha256Digest, hash_all};
use fieldaudit::evidence::{Bundle, Entry};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------
// Heap accounting: the system allocator, with live and peak byte counters.

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call is handed unchanged to the system allocator, whose
// contract is the same as ours; only counters are updated around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc_zeroed`'s contract.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator (that is, from System) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static HEAP: Counting = Counting;

// ---------------------------------------------------------------------------
// Deterministic content.

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;

/// xorshift64*: fast, deterministic filler bytes (not for anything else).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let word = self.next().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

fn create(path: &Path) -> io::Result<BufWriter<File>> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    Ok(BufWriter::with_capacity(MIB as usize, File::create(path)?))
}

/// Incompressible bytes.
fn write_binary(path: &Path, size: u64, rng: &mut Rng) -> io::Result<()> {
    let mut out = create(path)?;
    let mut chunk = vec![0u8; MIB as usize];
    let mut left = size;
    while left > 0 {
        let n = left.min(MIB) as usize;
        rng.fill(&mut chunk[..n]);
        out.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    out.flush()
}

/// Log-like CSV text, which deflates about as well as real exports do.
fn write_text(path: &Path, size: u64, rng: &mut Rng) -> io::Result<()> {
    const EVENTS: [&str; 8] = [
        "login",
        "logout",
        "model-retrained",
        "risk-review",
        "access-granted",
        "access-revoked",
        "incident-opened",
        "incident-closed",
    ];
    let mut out = create(path)?;
    let mut written = 0u64;
    let mut line = Vec::with_capacity(128);
    while written < size {
        let r = rng.next();
        line.clear();
        writeln!(
            line,
            "2025-{:02}-{:02}T{:02}:{:02}:{:02}Z,host-{:03},{},user{:04},{}",
            r % 12 + 1,
            (r >> 4) % 28 + 1,
            (r >> 9) % 24,
            (r >> 14) % 60,
            (r >> 20) % 60,
            (r >> 26) % 200,
            EVENTS[((r >> 34) % 8) as usize],
            (r >> 37) % 5000,
            (r >> 50) % 100_000,
        )?;
        let n = line.len().min((size - written) as usize);
        out.write_all(&line[..n])?;
        written += n as u64;
    }
    out.flush()
}

fn build_zip(src: &Path, files: &[String], dest: &Path, deflate: bool) -> io::Result<()> {
    use zip::write::SimpleFileOptions;
    let options = if deflate {
        SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(6))
    } else {
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
    };
    let mut zip = zip::ZipWriter::new(create(dest)?);
    for name in files {
        zip.start_file(name.as_str(), options)
            .map_err(io::Error::other)?;
        io::copy(&mut File::open(src.join(name))?, &mut zip)?;
    }
    zip.finish().map_err(io::Error::other)?.flush()
}

// ---------------------------------------------------------------------------
// Measuring.

#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    /// CPU time (user + system) spent by the contender: 10 ms resolution
    /// from /proc/self/stat, or exact for single-thread in-memory runs.
    cpu: Duration,
    /// CPU time spent by the whole machine meanwhile (set by `compare`).
    machine: Duration,
}

impl Sample {
    fn new(wall: Duration, cpu: Duration) -> Sample {
        Sample {
            wall,
            cpu,
            machine: Duration::ZERO,
        }
    }
}

/// Busy CPU time of the whole machine (all processes), from /proc/stat.
fn machine_busy() -> Duration {
    let stat = fs::read_to_string("/proc/stat").unwrap_or_default();
    let f: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // user nice system idle iowait irq softirq steal: everything but idle and iowait.
    let busy: u64 = [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| f.get(i)).sum();
    Duration::from_millis(10 * busy)
}

/// On-CPU time of the calling thread, in nanoseconds (/proc/thread-self/schedstat).
fn thread_cpu() -> Duration {
    fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// A run on the calling thread alone, with its exact CPU time.
fn measure_thread(run: impl FnOnce()) -> Sample {
    let cpu0 = thread_cpu();
    let start = Instant::now();
    run();
    let wall = start.elapsed();
    Sample::new(wall, thread_cpu().saturating_sub(cpu0))
}

/// (this process, its waited-for children) CPU time from /proc/self/stat.
fn cpu_times() -> (Duration, Duration) {
    let Ok(stat) = fs::read_to_string("/proc/self/stat") else {
        return (Duration::ZERO, Duration::ZERO);
    };
    let Some((_, fields)) = stat.rsplit_once(')') else {
        return (Duration::ZERO, Duration::ZERO);
    };
    let f: Vec<u64> = fields
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // Fields 14–17 of proc(5) (utime, stime, cutime, cstime), in 1/100 s.
    let ticks = |a: usize, b: usize| Duration::from_millis(10 * (f[a] + f[b]));
    (ticks(11, 12), ticks(13, 14))
}

fn measure_self(run: impl FnOnce()) -> Sample {
    let (cpu0, _) = cpu_times();
    let start = Instant::now();
    run();
    let wall = start.elapsed();
    let (cpu1, _) = cpu_times();
    Sample::new(wall, cpu1.saturating_sub(cpu0))
}

fn measure_command(mut command: Command) -> Sample {
    command.stdout(Stdio::null());
    let (_, cpu0) = cpu_times();
    let start = Instant::now();
    let status = command.status().expect("spawn the reference tool");
    let wall = start.elapsed();
    let (_, cpu1) = cpu_times();
    assert!(status.success(), "{command:?} failed: {status}");
    Sample::new(wall, cpu1.saturating_sub(cpu0))
}

/// Open, list and hash the whole bundle, as `fieldaudit evidence index` does.
fn fieldaudit_end_to_end(root: &Path, threads: usize, expect_bytes: u64) -> Sample {
    measure_self(|| {
        let bundle = Bundle::open(root).expect("open the bundle");
        let listing = bundle.list().expect("list the bundle");
        let progress = AtomicU64::new(0);
        let cancel = AtomicBool::new(false);
        let results = hash_all(&bundle, &listing.entries, threads, &progress, &cancel);
        assert!(results.iter().all(Result::is_ok), "a file failed to hash");
        assert_eq!(progress.load(Ordering::Relaxed), expect_bytes);
        black_box(results);
    })
}

fn fieldaudit_digests(root: &Path) -> Vec<(String, String)> {
    let bundle = Bundle::open(root).expect("open the bundle");
    let listing = bundle.list().expect("list the bundle");
    let progress = AtomicU64::new(0);
    let cancel = AtomicBool::new(false);
    let results = hash_all(&bundle, &listing.entries, 2, &progress, &cancel);
    listing
        .entries
        .iter()
        .zip(results)
        .map(|(e, r)| (e.path.clone(), hash::to_hex(&r.expect("hashed"))))
        .collect()
}

/// `sha256sum`'s own digests of `files` (relative to `root`), sorted by path.
fn sha256sum_digests(root: &Path, files: &[String]) -> Vec<(String, String)> {
    let out = Command::new("sha256sum")
        .args(files)
        .current_dir(root)
        .output()
        .expect("run sha256sum");
    assert!(out.status.success());
    let mut digests: Vec<(String, String)> = String::from_utf8(out.stdout)
        .expect("sha256sum prints UTF-8 here")
        .lines()
        .map(|l| {
            let (hex, path) = l.split_once("  ").expect("sha256sum line");
            (path.to_string(), hex.to_string())
        })
        .collect();
    digests.sort();
    digests
}

fn sha256sum(root: &Path, files: &[String]) -> Command {
    let mut c = Command::new("sha256sum");
    c.args(files).current_dir(root);
    c
}

/// `xargs -0 -P2 -n 8 sha256sum` fed from a NUL-separated list file.
fn xargs_sha256sum(root: &Path, list: &Path) -> Command {
    let mut c = Command::new("xargs");
    c.args(["-0", "-P2", "-n", "8", "sha256sum"])
        .current_dir(root)
        .stdin(File::open(list).expect("list file"));
    c
}

/// The file list for xargs, with each big file at the head of its own batch
/// of 8, so the two sha256sum processes are not handed both big files in
/// one batch (the reference gets its best shot).
fn xargs_list(dir: &Path, name: &str, files: &[String], big: u64, root: &Path) -> PathBuf {
    let (bigs, mut smalls): (Vec<&String>, Vec<&String>) = files
        .iter()
        .partition(|f| fs::metadata(root.join(f)).map_or(0, |m| m.len()) >= big);
    smalls.reverse();
    let mut ordered = Vec::new();
    for b in bigs {
        ordered.push(b);
        for _ in 0..7 {
            if let Some(s) = smalls.pop() {
                ordered.push(s);
            }
        }
    }
    while let Some(s) = smalls.pop() {
        ordered.push(s);
    }
    let path = dir.join(name);
    let mut out = Vec::new();
    for f in ordered {
        out.extend_from_slice(f.as_bytes());
        out.push(0);
    }
    fs::write(&path, out).expect("write the xargs list");
    path
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

type Runner<'a> = Box<dyn FnMut() -> Sample + 'a>;

struct Contender<'a> {
    name: String,
    run: Runner<'a>,
}

fn contender<'a>(name: impl Into<String>, run: impl FnMut() -> Sample + 'a) -> Contender<'a> {
    Contender {
        name: name.into(),
        run: Box::new(run),
    }
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn minimum(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn ms(d: f64) -> String {
    format!("{:.1}", d * 1e3)
}

/// Run every contender once to warm up, then `rounds` interleaved rounds;
/// print the rounds and a summary against the first contender.
fn compare(title: &str, bytes: u64, rounds: usize, contenders: &mut [Contender]) {
    println!("\n## {title}");
    println!(
        "{} bytes ({:.3} GB); {rounds} rounds after one warm-up run each; order rotated per round",
        bytes,
        bytes as f64 / 1e9
    );
    for c in contenders.iter_mut() {
        (c.run)();
    }
    let k = contenders.len();
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); k];
    print!("round");
    for c in contenders.iter() {
        print!(" | {} ms", c.name);
    }
    for c in &contenders[1..] {
        print!(" | {} / first", c.name);
    }
    println!();
    for round in 0..rounds {
        let mut this = vec![None; k];
        for step in 0..k {
            let i = (round + step) % k;
            let machine0 = machine_busy();
            let mut sample = (contenders[i].run)();
            sample.machine = machine_busy().saturating_sub(machine0);
            this[i] = Some(sample);
        }
        let this: Vec<Sample> = this.into_iter().map(|s| s.expect("ran")).collect();
        print!("{round:>5}");
        for s in &this {
            print!(" | {}", ms(s.wall.as_secs_f64()));
        }
        for s in &this[1..] {
            print!(
                " | {:.2}×",
                s.wall.as_secs_f64() / this[0].wall.as_secs_f64()
            );
        }
        println!();
        for (i, s) in this.into_iter().enumerate() {
            samples[i].push(s);
        }
    }
    println!(
        "contender | median ms | min ms | GB/s (median) | GB/s (best) | GB per CPU-second (median) | cores busy (median) | other processes' load, cores (median) | time / first: median | min | ratio of mins"
    );
    let first: Vec<f64> = samples[0].iter().map(|s| s.wall.as_secs_f64()).collect();
    for (c, s) in contenders.iter().zip(&samples) {
        let walls: Vec<f64> = s.iter().map(|s| s.wall.as_secs_f64()).collect();
        let per = |f: &dyn Fn(&Sample) -> f64| -> Vec<f64> { s.iter().map(f).collect() };
        let cores = per(&|s| s.cpu.as_secs_f64() / s.wall.as_secs_f64());
        let others = per(&|s| {
            (s.machine.as_secs_f64() - s.cpu.as_secs_f64()).max(0.0) / s.wall.as_secs_f64()
        });
        let per_cpu = per(&|s| bytes as f64 / s.cpu.as_secs_f64().max(1e-9) / 1e9);
        let ratios: Vec<f64> = walls.iter().zip(&first).map(|(w, f)| w / f).collect();
        let (med, min) = (median(&walls), minimum(&walls));
        println!(
            "{} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2}× | {:.2}× | {:.2}×",
            c.name,
            ms(med),
            ms(min),
            bytes as f64 / med / 1e9,
            bytes as f64 / min / 1e9,
            median(&per_cpu),
            median(&cores),
            median(&others),
            median(&ratios),
            minimum(&ratios),
            min / minimum(&first),
        );
    }
}

// ---------------------------------------------------------------------------
// Data sets.

struct Scale {
    rounds: usize,
    big: u64,
    bigs: usize,
    smalls: usize,
    text_files: usize,
    index_files: usize,
    zip_lists: Vec<usize>,
}

impl Scale {
    fn full(rounds: usize) -> Scale {
        Scale {
            rounds,
            big: 256 * MIB,
            bigs: 2,
            smalls: 2000,
            text_files: 400,
            index_files: 10_000,
            zip_lists: vec![2500, 5000, 10_000, 20_000],
        }
    }

    fn smoke() -> Scale {
        Scale {
            rounds: 1,
            big: 2 * MIB,
            bigs: 2,
            smalls: 20,
            text_files: 4,
            index_files: 100,
            zip_lists: vec![50, 100],
        }
    }
}

/// 64 KiB to 448 KiB, spread evenly (mean 256 KiB).
fn small_size(i: usize) -> u64 {
    64 * KIB + (i as u64 * 7919 % 385) * KIB
}

/// 1 KiB to 63 KiB (mean 32 KiB).
fn index_size(i: usize) -> u64 {
    KIB + (i as u64 * 7919 % 63) * KIB
}

fn files_of(root: &Path) -> (Vec<String>, u64) {
    let listing = Bundle::open(root).expect("open").list().expect("list");
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    let total = listing.total_bytes();
    (listing.entries.into_iter().map(|e| e.path).collect(), total)
}

/// The ~1 GiB folder bundle: big/big-N.bin and small/dNN/fNNNN.bin.
fn make_folder(dir: &Path, scale: &Scale) -> PathBuf {
    let root = dir.join("folder");
    let mut rng = Rng(0x5eed_f1e1_d0a0_d175);
    for b in 0..scale.bigs {
        write_binary(&root.join(format!("big/big-{b}.bin")), scale.big, &mut rng).expect("write");
    }
    for i in 0..scale.smalls {
        let path = root.join(format!("small/d{:02}/f{i:04}.bin", i / 100));
        write_binary(&path, small_size(i), &mut rng).expect("write");
    }
    root
}

/// A folder holding hard links to some of `from`'s files.
fn link_subset(from: &Path, to: &Path, files: &[String]) {
    for f in files {
        let dest = to.join(f);
        fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        fs::hard_link(from.join(f), dest).expect("hard link");
    }
}

// ---------------------------------------------------------------------------
// Sections.

fn folder_section(dir: &Path, root: &Path, scale: &Scale) {
    let (files, bytes) = files_of(root);
    assert_eq!(
        fieldaudit_digests(root),
        sha256sum_digests(root, &files),
        "fieldaudit and sha256sum disagree"
    );
    println!(
        "\nfolder bundle: {} files ({} of {} MiB, {} of 64–448 KiB); digests checked equal to sha256sum's",
        files.len(),
        scale.bigs,
        scale.big / MIB,
        scale.smalls
    );
    let list = xargs_list(dir, "folder.list", &files, scale.big, root);
    let mut contenders = vec![
        contender("fieldaudit 2 threads", || {
            fieldaudit_end_to_end(root, 2, bytes)
        }),
        contender("fieldaudit 1 thread", || {
            fieldaudit_end_to_end(root, 1, bytes)
        }),
        contender("sha256sum FILES", || {
            measure_command(sha256sum(root, &files))
        }),
        contender("xargs -P2 -n8 sha256sum", || {
            measure_command(xargs_sha256sum(root, &list))
        }),
    ];
    compare(
        "Folder bundle, end to end (open + list + hash_all vs sha256sum)",
        bytes,
        scale.rounds,
        &mut contenders,
    );
}

/// sha2's backend as compiled; the runtime choice is shown by the throughput.
#[allow(unexpected_cfgs)]
fn sha2_backend_cfg() -> &'static str {
    if cfg!(any(sha2_backend = "soft", sha2_256_backend = "soft")) {
        "forced soft (--cfg sha2_backend=\"soft\")"
    } else if cfg!(sha2_256_backend = "x86-sha") {
        "forced x86-sha"
    } else if cfg!(all(target_feature = "sha", target_feature = "sse4.1")) {
        "default; SHA-NI enabled at compile time (target-feature)"
    } else {
        "default; SHA-NI chosen at run time by CPUID"
    }
}

fn single_section(dir: &Path, root: &Path, scale: &Scale) {
    let single = dir.join("single");
    let name = "big-0.bin".to_string();
    fs::create_dir_all(&single).expect("mkdir");
    fs::hard_link(root.join("big/big-0.bin"), single.join(&name)).expect("hard link");
    let bytes = scale.big;
    let data = fs::read(single.join(&name)).expect("read");
    let file_digest = fieldaudit_digests(&single)[0].1.clone();
    assert_eq!(hex(&Sha256::digest(&data).into()), file_digest);
    println!(
        "\nCPU: sha_ni in /proc/cpuinfo: {}; CPUID sha: {}, sse4.1: {}; sha2 backend: {}",
        fs::read_to_string("/proc/cpuinfo").is_ok_and(|c| c.contains(" sha_ni")),
        std::is_x86_feature_detected!("sha"),
        std::is_x86_feature_detected!("sse4.1"),
        sha2_backend_cfg()
    );
    let files = [name];
    let mut contenders = vec![
        contender("fieldaudit (file)", || {
            fieldaudit_end_to_end(&single, 2, bytes)
        }),
        contender("sha2 digest (memory)", || {
            measure_thread(|| {
                black_box(Sha256::digest(black_box(&data[..])));
            })
        }),
        contender("hash::sha256 (memory)", || {
            measure_thread(|| {
                let progress = AtomicU64::new(0);
                let mut reader = black_box(&data[..]);
                black_box(hash::sha256(&mut reader, &progress).expect("hash"));
            })
        }),
        contender("sha256sum FILE", || {
            measure_command(sha256sum(&single, &files))
        }),
    ];
    compare(
        "One big file (one thread can do it) and hashing-only in memory",
        bytes,
        scale.rounds,
        &mut contenders,
    );
}

/// Hashing-only, in memory, no files: to compare builds of this bench
/// (default, `--cfg sha2_backend="soft"`, `-C target-cpu=native`).
fn sha2_section(scale: &Scale) {
    let mut data = vec![0u8; scale.big as usize];
    Rng(0x05a2_0000_0000_0001).fill(&mut data);
    println!(
        "\nsha2 backend: {}; CPUID sha: {}",
        sha2_backend_cfg(),
        std::is_x86_feature_detected!("sha")
    );
    let mut contenders = vec![
        contender("sha2 digest (memory)", || {
            measure_thread(|| {
                black_box(Sha256::digest(black_box(&data[..])));
            })
        }),
        contender("hash::sha256 (memory)", || {
            measure_thread(|| {
                let progress = AtomicU64::new(0);
                let mut reader = black_box(&data[..]);
                black_box(hash::sha256(&mut reader, &progress).expect("hash"));
            })
        }),
    ];
    compare(
        "sha2 hashing-only in memory (this build)",
        scale.big,
        scale.rounds,
        &mut contenders,
    );
}

fn hex(d: &Sha256Digest) -> String {
    hash::to_hex(d)
}

fn zip_section(dir: &Path, root: &Path, scale: &Scale) {
    // Stored: one big file and half of the small ones, as plain files and zipped.
    let (all, _) = files_of(root);
    let half = scale.smalls / 2;
    let subset: Vec<String> = all
        .iter()
        .filter(|f| f.as_str() == "big/big-0.bin" || f.starts_with("small/"))
        .take(1 + half)
        .cloned()
        .collect();
    let plain = dir.join("stored-plain");
    link_subset(root, &plain, &subset);
    let (files, bytes) = files_of(&plain);
    let stored = dir.join("stored.zip");
    build_zip(&plain, &files, &stored, false).expect("zip");
    assert_eq!(
        fieldaudit_digests(&stored),
        sha256sum_digests(&plain, &files)
    );
    let list = xargs_list(dir, "stored.list", &files, scale.big, &plain);
    println!(
        "\nstored zip: {} entries, {} bytes of files in a {} byte zip; digests checked equal to sha256sum's",
        files.len(),
        bytes,
        fs::metadata(&stored).expect("zip").len()
    );
    let mut contenders = vec![
        contender("fieldaudit zip (stored)", || {
            fieldaudit_end_to_end(&stored, 2, bytes)
        }),
        contender("fieldaudit same files as folder", || {
            fieldaudit_end_to_end(&plain, 2, bytes)
        }),
        contender("sha256sum FILES", || {
            measure_command(sha256sum(&plain, &files))
        }),
        contender("xargs -P2 -n8 sha256sum", || {
            measure_command(xargs_sha256sum(&plain, &list))
        }),
    ];
    compare(
        "Zip bundle, stored entries (2 threads)",
        bytes,
        scale.rounds,
        &mut contenders,
    );
    drop(contenders);

    // Deflated: text files of 64 KiB–1 MiB.
    let text = dir.join("text");
    let mut rng = Rng(0x7e57_da7a_0000_0001);
    for i in 0..scale.text_files {
        let size = 64 * KIB + (i as u64 * 7919 % 961) * KIB;
        let path = text.join(format!("logs/m{:02}/export-{i:04}.csv", i / 50));
        write_text(&path, size, &mut rng).expect("write");
    }
    let (files, bytes) = files_of(&text);
    let deflated = dir.join("deflated.zip");
    build_zip(&text, &files, &deflated, true).expect("zip");
    let packed = fs::metadata(&deflated).expect("zip").len();
    assert_eq!(
        fieldaudit_digests(&deflated),
        sha256sum_digests(&text, &files)
    );
    let list = xargs_list(dir, "text.list", &files, u64::MAX, &text);
    println!(
        "\ndeflated zip: {} entries, {} bytes of text in a {} byte zip (level 6, {:.1}:1); digests checked equal to sha256sum's",
        files.len(),
        bytes,
        packed,
        bytes as f64 / packed as f64
    );
    let mut contenders = vec![
        contender("fieldaudit zip (deflated)", || {
            fieldaudit_end_to_end(&deflated, 2, bytes)
        }),
        contender("fieldaudit same files as folder", || {
            fieldaudit_end_to_end(&text, 2, bytes)
        }),
        contender("fieldaudit zip (deflated) 1 thread", || {
            fieldaudit_end_to_end(&deflated, 1, bytes)
        }),
        contender(
            "inflate only, no hash, 1 thread (Session::read → sink)",
            || {
                measure_self(|| {
                    let bundle = Bundle::open(&deflated).expect("open");
                    let listing = bundle.list().expect("list");
                    let mut session = bundle.session().expect("session");
                    let mut total = 0;
                    for entry in &listing.entries {
                        total += session
                            .read(entry, |r| io::copy(r, &mut io::sink()))
                            .expect("inflate");
                    }
                    assert_eq!(total, bytes);
                })
            },
        ),
        contender("sha256sum FILES (unpacked)", || {
            measure_command(sha256sum(&text, &files))
        }),
        contender("xargs -P2 -n8 sha256sum (unpacked)", || {
            measure_command(xargs_sha256sum(&text, &list))
        }),
    ];
    if have("unzip") {
        let zip = deflated.clone();
        contenders.push(contender("unzip -p | sha256sum (one stream)", move || {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg("unzip -p \"$1\" | sha256sum")
                .arg("sh")
                .arg(&zip);
            measure_command(c)
        }));
    }
    compare(
        "Zip bundle, deflated entries (2 threads)",
        bytes,
        scale.rounds,
        &mut contenders,
    );
}

/// Listing plus heap kept by it (requested bytes; malloc's own per-block
/// overhead comes on top).
fn listing_memory(label: &str, bundle: &Bundle) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let listing = bundle.list().expect("list");
    let kept = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    let n = listing.entries.len().max(1);
    let paths: usize = listing.entries.iter().map(|e| e.path.capacity()).sum();
    println!(
        "{label}: {} entries; heap kept by the Listing {} B = {:.1} B/entry (size_of::<Entry>() = {} B × capacity {} + path bytes {:.1}/entry); peak while listing {:.1} B/entry",
        listing.entries.len(),
        kept,
        kept as f64 / n as f64,
        std::mem::size_of::<Entry>(),
        listing.entries.capacity(),
        paths as f64 / n as f64,
        peak as f64 / n as f64,
    );
    black_box(listing);
}

fn index_section(dir: &Path, scale: &Scale) {
    const EXT: [&str; 5] = ["pdf", "docx", "xlsx", "csv", "png"];
    let root = dir.join("index");
    let mut rng = Rng(0x1de5_0000_0000_0042);
    for i in 0..scale.index_files {
        let path = root.join(format!(
            "dept-{:03}/record-{i:05}.{}",
            i / 100,
            EXT[i % EXT.len()]
        ));
        write_binary(&path, index_size(i), &mut rng).expect("write");
    }
    let (files, bytes) = files_of(&root);
    println!(
        "\nindex folder: {} files in {} folders, {} bytes",
        files.len(),
        scale.index_files.div_ceil(100),
        bytes
    );
    let mut contenders = vec![
        contender("open + list", || {
            measure_self(|| {
                let listing = Bundle::open(&root).expect("open").list().expect("list");
                assert_eq!(listing.entries.len(), scale.index_files);
                black_box(listing);
            })
        }),
        contender("open + list + hash_all (2 threads)", || {
            fieldaudit_end_to_end(&root, 2, bytes)
        }),
        contender("walkdir + metadata only (control)", || {
            measure_self(|| {
                let mut n = 0usize;
                for item in walkdir::WalkDir::new(&root).sort_by_file_name() {
                    let item = item.expect("walk");
                    if item.file_type().is_file() {
                        let size = item.metadata().expect("metadata").len();
                        black_box((item.path().to_str().map(str::to_owned), size));
                        n += 1;
                    }
                }
                assert_eq!(n, scale.index_files);
            })
        }),
    ];
    compare(
        &format!(
            "Indexing a {}-file folder: listing ready vs hashing done",
            scale.index_files
        ),
        bytes,
        scale.rounds,
        &mut contenders,
    );
    drop(contenders);
    println!();
    let bundle = Bundle::open(&root).expect("open");
    listing_memory("folder listing", &bundle);
    println!(
        "hash_all result per entry: size_of::<Result<Sha256Digest, String>>() = {} B",
        std::mem::size_of::<Result<Sha256Digest, String>>()
    );
}

fn contender_push_zip_control<'a>(contenders: &mut Vec<Contender<'a>>, n: usize, zip: &'a Path) {
    contenders.push(contender(
        format!("zip crate only: open + every entry's name, zip of {n}"),
        move || {
            measure_self(|| {
                let file = io::BufReader::new(File::open(zip).expect("open"));
                let archive = zip::ZipArchive::new(file).expect("zip");
                let mut names = Vec::with_capacity(archive.len());
                for i in 0..archive.len() {
                    let data = archive.by_index_data(i).expect("entry");
                    names.push((data.name_raw().to_vec(), data.size()));
                }
                assert_eq!(names.len(), n);
                black_box(names);
            })
        },
    ));
}

fn ziplist_section(dir: &Path, scale: &Scale) {
    let mut zips = Vec::new();
    for &n in &scale.zip_lists {
        let src = dir.join(format!("tiny-{n}"));
        let mut rng = Rng(0xabcd_0000_0000_0000 ^ n as u64);
        let mut files = Vec::with_capacity(n);
        for i in 0..n {
            let name = format!("dept-{:03}/record-{i:05}.pdf", i / 100);
            write_binary(&src.join(&name), 64, &mut rng).expect("write");
            files.push(name);
        }
        let zip = dir.join(format!("tiny-{n}.zip"));
        build_zip(&src, &files, &zip, false).expect("zip");
        zips.push((n, zip));
    }
    let mut contenders: Vec<Contender> = zips
        .iter()
        .map(|(n, zip)| {
            let n = *n;
            contender(format!("Bundle::list, zip of {n}"), move || {
                measure_self(|| {
                    let listing = Bundle::open(zip).expect("open").list().expect("list");
                    assert_eq!(listing.entries.len(), n);
                    black_box(listing);
                })
            })
        })
        .collect();
    // Control: the zip crate alone reading the same directory (what
    // `list_zip` builds on), for the biggest zip.
    if let Some((n, zip)) = zips.last() {
        let n = *n;
        contender_push_zip_control(&mut contenders, n, zip);
    }
    compare(
        "Listing zip bundles of growing size (bytes column is meaningless here)",
        0,
        scale.rounds,
        &mut contenders,
    );
    drop(contenders);
    println!();
    for (n, zip) in &zips {
        let bundle = Bundle::open(zip).expect("open");
        listing_memory(&format!("zip listing ({n})"), &bundle);
        let before = LIVE.load(Ordering::Relaxed);
        let session = bundle.session().expect("session");
        let kept = LIVE.load(Ordering::Relaxed).saturating_sub(before);
        println!(
            "  a reading Session on it (one per hashing thread) keeps {kept} B = {:.1} B/entry",
            kept as f64 / *n as f64
        );
        drop(session);
    }
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let rounds = std::env::var("FIELDAUDIT_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(9);
    let scale = if bench {
        Scale::full(rounds)
    } else {
        Scale::smoke()
    };
    let only = std::env::var("FIELDAUDIT_BENCH_ONLY").unwrap_or_default();
    let wanted = |s: &str| only.is_empty() || only.split(',').any(|o| o.trim() == s);
    let parent =
        std::env::var_os("FIELDAUDIT_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let dir = tempfile::Builder::new()
        .prefix("fieldaudit-hashbench-")
        .tempdir_in(parent)
        .expect("temp dir");
    println!(
        "# fieldaudit hashing bench ({}; {} cores; temp dir {})",
        if bench { "full" } else { "smoke run" },
        hash::default_threads(),
        dir.path().display()
    );
    if !only.is_empty() && wanted("sha2") {
        sha2_section(&scale);
    }
    let needs_folder = ["folder", "single", "zip"].iter().any(|s| wanted(s));
    let folder = needs_folder.then(|| {
        let start = Instant::now();
        let root = make_folder(dir.path(), &scale);
        println!(
            "folder bundle written in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        root
    });
    if let Some(root) = &folder {
        if wanted("folder") {
            folder_section(dir.path(), root, &scale);
        }
        if wanted("single") {
            single_section(dir.path(), root, &scale);
        }
        if wanted("zip") {
            zip_section(dir.path(), root, &scale);
        }
    }
    if wanted("index") {
        index_section(dir.path(), &scale);
    }
    if wanted("ziplist") {
        ziplist_section(dir.path(), &scale);
    }
}
