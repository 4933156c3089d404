//! Packing the report zip: the record, the readable report, the findings
//! CSV, every cited evidence file (re-checked against its pinned hash while
//! it is copied), `MANIFEST.sha256` and, for a final report, its minisign
//! signature. Evidence is streamed, never read whole; compressed formats are
//! stored, text deflated; the same inputs give the same bytes.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::manifest;
use crate::audit::{AuditRecord, Family, FindingId, Grade, Verdict};
use crate::checklist::{Catalog, ReqRef};
use crate::evidence::Bundle;
use crate::evidence::preview::FileKind;
use crate::evidence::zip_listing::name_keys;

pub const MANIFEST: &str = "MANIFEST.sha256";
pub const SIGNATURE: &str = "MANIFEST.sha256.minisig";

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("the record is not complete enough for a final report ({} item(s) missing):\n{}\n  complete them, or pack a --draft", missing.len(), missing.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n"))]
    Incomplete { missing: Vec<Missing> },
    #[error("{}: already exists; fieldaudit never overwrites a report (choose another name)", .0.display())]
    Exists(PathBuf),
    #[error(
        "evidence file '{path}' changed since it was linked (sha256 was {linked}, is {now}); run `fieldaudit evidence check` and re-link or ask the auditee"
    )]
    Changed {
        path: String,
        linked: String,
        now: String,
    },
    #[error("evidence file '{0}' is cited but not in the bundle; run `fieldaudit evidence check`")]
    Missing(String),
    #[error(
        "collected file '{}' is cited but {} is missing; run `fieldaudit evidence check` and attach it again",
        crate::text::shown(name),
        crate::text::shown(&path.display().to_string())
    )]
    CollectedMissing { name: String, path: PathBuf },
    #[error(
        "collected file '{}' ({}) changed since it was attached (sha256 was {linked}, is {now}); run `fieldaudit evidence check` and attach the right file again",
        crate::text::shown(name),
        crate::text::shown(&path.display().to_string())
    )]
    CollectedChanged {
        name: String,
        path: PathBuf,
        linked: String,
        now: String,
    },
    #[error(transparent)]
    Collected(#[from] crate::evidence::collected::CollectedError),
    #[error(
        "the record cites evidence but names no bundle to copy it from: `fieldaudit open AUDIT.ron --evidence PATH` remembers one (or give `pack --evidence PATH`)"
    )]
    NoBundle,
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot write the zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Bundle(#[from] crate::evidence::BundleError),
    #[error("cannot sign: {0}")]
    Sign(String),
    #[error("packing was cancelled; no report was written")]
    Cancelled,
    #[error(
        "evidence files '{}' and '{}' would be one file on the receiver's disk (their names differ only in letter case or Unicode form); cite only one of them, or ask the auditee to rename one",
        crate::text::shown(first),
        crate::text::shown(second)
    )]
    NameClash { first: String, second: String },
}

/// The name a cited bundle file has in the report: under `evidence/`, in
/// Unicode NFC, the form bsdtar extracts names in (a Mac writes "é" as "e"
/// and a combining accent; `verify` accepts NFC names only).
pub(crate) fn evidence_name(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    format!("evidence/{}", path.nfc().collect::<String>())
}

/// Refuse two cited files whose report names would be one file on a
/// receiver's disk (`verify` would refuse the report).
fn refuse_clashes<'a>(paths: impl Iterator<Item = &'a str>) -> Result<(), PackError> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for path in paths {
        for key in name_keys(evidence_name(path).as_bytes()) {
            if let Some(first) = seen.insert(key, path)
                && first != path
            {
                return Err(PackError::NameClash {
                    first: first.to_string(),
                    second: path.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// One thing a final report still lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// A metadata field, named as the auditor knows it ("lead auditor").
    Meta(&'static str),
    /// A statement of the report ("deviations from the audit plan").
    Report(&'static str),
    Verdict(ReqRef),
    Justification(ReqRef),
    Statement(FindingId),
    ObjectiveEvidence(FindingId),
    /// No conclusion recorded yet (`fieldaudit conclude`).
    Conclusion,
    /// The recommendation recorded no longer fits the record (why).
    Recommendation(String),
    /// A requirement marked conforming or not applicable that open NCs
    /// cite (a record made before fieldaudit refused that).
    Contradiction {
        req: ReqRef,
        verdict: Verdict,
        ncs: Vec<FindingId>,
    },
    /// An NC or area of concern carried from the previous report that this
    /// audit has given no verification verdict.
    FollowUpVerdict(FindingId),
    /// A merge conflict still open (its field path as shown).
    Conflict(String),
}

impl Missing {
    /// The requirement to go to in order to mend it, if it is one.
    pub fn requirement(&self) -> Option<&ReqRef> {
        match self {
            Missing::Verdict(r) | Missing::Justification(r) => Some(r),
            Missing::Contradiction { req, .. } => Some(req),
            _ => None,
        }
    }
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Missing::Meta(field) => write!(f, "metadata: {field}"),
            Missing::Report(what) => write!(f, "report: {what}"),
            Missing::Verdict(r) => write!(f, "{r}: no verdict"),
            Missing::Justification(r) => write!(f, "{r}: not applicable without a justification"),
            Missing::Statement(id) => write!(f, "{id}: no statement"),
            Missing::ObjectiveEvidence(id) => write!(f, "{id}: no objective evidence"),
            Missing::Conclusion => write!(
                f,
                "conclusion: no recommendation yet (`fieldaudit conclude AUDIT.ron --recommendation … --reasoning …`)"
            ),
            Missing::Recommendation(why) => write!(f, "conclusion: {why}"),
            Missing::FollowUpVerdict(id) => {
                let outcomes = if id.family == Family::Aoc {
                    "--resolved|--not-resolved"
                } else {
                    "--effective|--not-effective|--not-yet-due"
                };
                write!(
                    f,
                    "{id} (carried from the previous report): no verification verdict from this audit (`fieldaudit finding verify AUDIT.ron {id} {outcomes} --objective-evidence …`)"
                )
            }
            Missing::Conflict(path) => write!(
                f,
                "merge conflict on {path} still open (`fieldaudit conflicts AUDIT.ron` lists its values; `fieldaudit resolve AUDIT.ron {path} --take N` settles it)"
            ),
            Missing::Contradiction { req, verdict, ncs } => {
                let ids: Vec<String> = ncs.iter().map(ToString::to_string).collect();
                let (ids, cite) = match ids.as_slice() {
                    [one] => (one.clone(), "cites"),
                    _ => (ids.join(", "), "cite"),
                };
                write!(
                    f,
                    "{req} is {} but {ids} {cite} it: set it nonconforming, or regrade or remove the finding",
                    verdict.words()
                )
            }
        }
    }
}

/// How far a pack has got, shared with whoever draws a progress bar; and a
/// flag to stop it.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes written into the zip so far (before compression).
    pub done: AtomicU64,
    /// Bytes the zip will hold in all, once known (0 before).
    pub total: AtomicU64,
    /// Set to stop packing; the half-made zip is removed.
    pub cancel: AtomicBool,
}

impl Progress {
    /// Done as a fraction of the total, 0.0 until the total is known.
    pub fn fraction(&self) -> f64 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0)
    }

    fn add(&self, bytes: u64) -> io::Result<()> {
        self.done.fetch_add(bytes, Ordering::Relaxed);
        if self.cancel.load(Ordering::Relaxed) {
            // Not `Interrupted`: write_all would retry that for ever.
            return Err(io::Error::other("packing cancelled"));
        }
        Ok(())
    }
}

/// What a final report still lacks: requirement ids, finding ids, field names.
pub fn missing_for_final(record: &AuditRecord, catalog: &Catalog) -> Vec<Missing> {
    let mut missing: Vec<Missing> = record
        .conflicts_shown()
        .into_iter()
        .map(|(path, _)| Missing::Conflict(path))
        .collect();
    let m = &record.meta;
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if m.client.trim().is_empty() {
        missing.push(Missing::Meta("client"));
    }
    if blank(&m.scope) {
        missing.push(Missing::Meta("scope"));
    }
    if m.start.is_none() {
        missing.push(Missing::Meta("start date"));
    }
    if m.end.is_none() {
        missing.push(Missing::Meta("end date"));
    }
    if m.lead_auditor().is_none_or(|s| s.trim().is_empty()) {
        missing.push(Missing::Meta("lead auditor"));
    }
    if blank(&m.certification_body) {
        missing.push(Missing::Meta("certification body"));
    }
    missing.extend(m.report.missing().into_iter().map(Missing::Report));
    missing.extend(
        record
            .contradictions()
            .into_iter()
            .map(|c| Missing::Contradiction {
                req: c.req,
                verdict: c.verdict,
                ncs: c.ncs,
            }),
    );
    // A surveillance audit judges only the requirements of its visit.
    for (r, _, _) in catalog.requirements() {
        let in_visit = record.in_visit(catalog, &r);
        match record.assessment(&r) {
            None if in_visit => missing.push(Missing::Verdict(r)),
            Some(a) if a.verdict == Verdict::NotAssessed && in_visit => {
                missing.push(Missing::Verdict(r))
            }
            Some(a) if a.verdict == Verdict::NotApplicable && a.justification.is_none() => {
                missing.push(Missing::Justification(r))
            }
            None | Some(_) => {}
        }
    }
    for f in &record.findings {
        if matches!(f.grade, Grade::Major | Grade::Minor) {
            if f.statement.trim().is_empty() {
                missing.push(Missing::Statement(f.id));
            }
            if f.objective_evidence.is_none() {
                missing.push(Missing::ObjectiveEvidence(f.id));
            }
        }
    }
    missing.extend(
        record
            .awaiting_verdict()
            .into_iter()
            .map(Missing::FollowUpVerdict),
    );
    // Re-checked here: an open major, carried or new, rules out an
    // unconditional positive recommendation.
    match &record.conclusion {
        None => missing.push(Missing::Conclusion),
        Some(c) => {
            if let Err(why) = crate::audit::conclusion::check(record, c.recommendation) {
                missing.push(Missing::Recommendation(why.to_string()));
            }
        }
    }
    missing
}

/// The generated parts of a report.
pub struct Contents {
    pub record_ron: String,
    pub report_html: String,
    pub findings_csv: String,
    /// The OSCAL assessment results, plan and SSP stub, if the report
    /// carries them (named as in [`super::oscal::Names::in_report`]).
    pub oscal: Option<super::oscal::Rendered>,
}

/// A signature to add: the unlocked key and its public half.
pub struct Signing<'a> {
    pub secret: &'a minisign::SecretKey,
    pub public: &'a minisign::PublicKey,
    pub trusted_comment: String,
}

/// What was packed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    pub files: usize,
    pub evidence_files: usize,
    /// What went in, before compression.
    pub bytes: u64,
    /// The size of the zip on disk.
    pub zip_bytes: u64,
    pub signed: bool,
    /// SHA-256 of `MANIFEST.sha256`, lower-case hex.
    pub manifest_sha256: String,
}

/// Hashes what passes through on its way to the zip.
struct HashingWriter<'a, W: Write> {
    inner: &'a mut W,
    hasher: Sha256,
    bytes: u64,
    progress: &'a Progress,
}

impl<W: Write> Write for HashingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        self.progress.add(n as u64)?;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn options(kind_compressed: bool, size: u64) -> SimpleFileOptions {
    let method = if kind_compressed {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    SimpleFileOptions::default()
        .compression_method(method)
        // A fixed time: the same inputs give the same bytes.
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .large_file(size >= u64::from(u32::MAX))
}

/// Write the report zip to `out` (refusing to replace a file). The zip is
/// assembled in a temporary file beside `out` and renamed into place, so a
/// failure or a cancel never leaves a half-written report. `progress`
/// counts the bytes as they go in.
pub fn pack(
    record: &AuditRecord,
    bundle: Option<&Bundle>,
    collected_folder: &Path,
    contents: &Contents,
    signing: Option<Signing<'_>>,
    out: &Path,
    progress: &Progress,
) -> Result<Packed, PackError> {
    if out.exists() {
        return Err(PackError::Exists(out.to_path_buf()));
    }
    let io_err = |source| PackError::Io {
        path: out.to_path_buf(),
        source,
    };
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".fieldaudit-report-")
        .suffix(".zip.tmp")
        .tempfile_in(&folder)
        .map_err(io_err)?;
    // Every cited file once, in path order, with the hash it was cited at,
    // found in the bundle before anything is written.
    let mut cited: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, link) in record.evidence_links() {
        if link.collected.is_none() {
            cited.entry(&link.path).or_insert(&link.sha256);
        }
    }
    let collected = collected_files(record, collected_folder)?;
    let listing = match (cited.is_empty(), bundle) {
        (true, _) => None,
        (false, None) => return Err(PackError::NoBundle),
        (false, Some(bundle)) => Some((bundle, bundle.list()?)),
    };
    refuse_clashes(cited.keys().copied())?;
    let mut evidence = Vec::with_capacity(cited.len());
    if let Some((_, listing)) = &listing {
        for (path, linked) in &cited {
            let entry = listing
                .get(path)
                .ok_or_else(|| PackError::Missing(path.to_string()))?;
            evidence.push((entry, *linked));
        }
    }
    let mut texts = vec![
        ("audit.ron", &contents.record_ron),
        ("report.html", &contents.report_html),
        ("findings.csv", &contents.findings_csv),
    ];
    if let Some(o) = &contents.oscal {
        use super::oscal::{REPORT_PLAN, REPORT_RESULTS, REPORT_SSP};
        texts.extend([
            (REPORT_RESULTS, &o.results),
            (REPORT_PLAN, &o.plan),
            (REPORT_SSP, &o.ssp),
        ]);
    }
    let total = texts.iter().map(|(_, t)| t.len() as u64).sum::<u64>()
        + evidence.iter().map(|(e, _)| e.size).sum::<u64>()
        + collected.iter().map(|c| c.size).sum::<u64>();
    progress.total.store(total, Ordering::Relaxed);
    let cancelled = || progress.cancel.load(Ordering::Relaxed);

    let mut zip = ZipWriter::new(BufWriter::new(temp.reopen().map_err(io_err)?));
    let mut manifest_entries: Vec<(String, String)> = Vec::new();
    let mut bytes = 0u64;
    for (name, text) in texts {
        zip.start_file(name, options(false, text.len() as u64))?;
        zip.write_all(text.as_bytes()).map_err(io_err)?;
        manifest_entries.push((
            name.to_string(),
            hex::encode(Sha256::digest(text.as_bytes())),
        ));
        bytes += text.len() as u64;
        progress
            .add(text.len() as u64)
            .map_err(|_| PackError::Cancelled)?;
    }

    let mut evidence_files = 0;
    if let Some((bundle, _)) = &listing {
        let mut session = bundle.session()?;
        for (entry, linked) in evidence {
            let name = evidence_name(&entry.path);
            zip.start_file(
                name.as_str(),
                options(FileKind::of(&entry.path).is_compressed(), entry.size),
            )?;
            let copied = session.read(entry, |r: &mut dyn Read| {
                let mut sink = HashingWriter {
                    inner: &mut zip,
                    hasher: Sha256::new(),
                    bytes: 0,
                    progress,
                };
                io::copy(r, &mut sink)?;
                Ok((hex::encode(sink.hasher.finalize()), sink.bytes))
            });
            let (digest, copied) = match copied {
                Err(_) if cancelled() => return Err(PackError::Cancelled),
                other => other?,
            };
            if digest != linked {
                return Err(PackError::Changed {
                    path: entry.path.clone(),
                    linked: linked.to_string(),
                    now: digest,
                });
            }
            manifest_entries.push((name, digest));
            bytes += copied;
            evidence_files += 1;
        }
    }
    for file in &collected {
        let copied = copy_collected(&mut zip, file, progress);
        let (digest, copied) = match copied {
            Err(_) if cancelled() => return Err(PackError::Cancelled),
            other => other?,
        };
        if digest != file.sha256 {
            return Err(PackError::CollectedChanged {
                name: file.original_name.clone(),
                path: file.path.clone(),
                linked: file.sha256.clone(),
                now: digest,
            });
        }
        manifest_entries.push((file.zip_name.clone(), digest));
        bytes += copied;
        evidence_files += 1;
    }
    if cancelled() {
        return Err(PackError::Cancelled);
    }

    let manifest_text = manifest::render(&manifest_entries);
    zip.start_file(MANIFEST, options(false, manifest_text.len() as u64))?;
    zip.write_all(manifest_text.as_bytes()).map_err(io_err)?;
    let signed = signing.is_some();
    if let Some(signing) = signing {
        let signature = minisign::sign(
            Some(signing.public),
            signing.secret,
            manifest_text.as_bytes(),
            Some(&signing.trusted_comment),
            Some("signature from fieldaudit (minisign format)"),
        )
        .map_err(|e| PackError::Sign(e.to_string()))?;
        zip.start_file(SIGNATURE, options(false, 0))?;
        zip.write_all(signature.into_string().as_bytes())
            .map_err(io_err)?;
    }
    let mut writer = zip.finish()?;
    writer.flush().map_err(io_err)?;
    let file = writer.get_ref();
    // A report is a document to hand on, not a secret: not the temp file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io_err)?;
    }
    file.sync_all().map_err(io_err)?;
    let zip_bytes = file.metadata().map_err(io_err)?.len();
    drop(writer);
    temp.persist_noclobber(out).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            PackError::Exists(out.to_path_buf())
        } else {
            io_err(e.error)
        }
    })?;
    // The rename itself is durable once the folder is synced.
    if let Ok(dir) = std::fs::File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(Packed {
        files: manifest_entries.len(),
        evidence_files,
        bytes,
        zip_bytes,
        signed,
        manifest_sha256: manifest::digest(manifest_text.as_bytes()),
    })
}

/// A file the auditor collected, as it goes into the report.
struct CollectedFile {
    zip_name: String,
    original_name: String,
    sha256: String,
    path: PathBuf,
    size: u64,
}

/// Every collected file the record cites, once per name in the zip, found
/// on disk before anything is written. The zip name is made again from the
/// hash and original name (never taken from the record's `path`), and the
/// stored file is named by the hash alone.
fn collected_files(record: &AuditRecord, folder: &Path) -> Result<Vec<CollectedFile>, PackError> {
    use crate::evidence::collected;
    let mut files: BTreeMap<String, CollectedFile> = BTreeMap::new();
    for (_, link) in record.evidence_links() {
        let Some(c) = &link.collected else { continue };
        let zip_name = collected::zip_name(&link.sha256, &c.original_name);
        if files.contains_key(&zip_name) {
            continue;
        }
        let path = collected::stored_path(folder, &link.sha256)?;
        let size = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => m.len(),
            _ => {
                return Err(PackError::CollectedMissing {
                    name: c.original_name.clone(),
                    path,
                });
            }
        };
        files.insert(
            zip_name.clone(),
            CollectedFile {
                zip_name,
                original_name: c.original_name.clone(),
                sha256: link.sha256.clone(),
                path,
                size,
            },
        );
    }
    // Two names that one disk would store as one file.
    let mut seen: BTreeMap<String, &CollectedFile> = BTreeMap::new();
    for file in files.values() {
        for key in name_keys(file.zip_name.as_bytes()) {
            if let Some(first) = seen.insert(key, file)
                && first.zip_name != file.zip_name
            {
                return Err(PackError::NameClash {
                    first: first.original_name.clone(),
                    second: file.original_name.clone(),
                });
            }
        }
    }
    Ok(files.into_values().collect())
}

/// Stream one collected file into the zip, hashing it on the way.
fn copy_collected<W: Write + io::Seek>(
    zip: &mut ZipWriter<W>,
    file: &CollectedFile,
    progress: &Progress,
) -> Result<(String, u64), PackError> {
    let io_err = |source| PackError::Io {
        path: file.path.clone(),
        source,
    };
    let mut source = std::fs::File::open(&file.path).map_err(io_err)?;
    zip.start_file(
        file.zip_name.as_str(),
        options(FileKind::of(&file.zip_name).is_compressed(), file.size),
    )?;
    let mut sink = HashingWriter {
        inner: zip,
        hasher: Sha256::new(),
        bytes: 0,
        progress,
    };
    io::copy(&mut source, &mut sink).map_err(io_err)?;
    Ok((hex::encode(sink.hasher.finalize()), sink.bytes))
}

#[cfg(test)]
#[path = "pack_gate_tests.rs"]
mod gate_tests;
