//! Checking a report zip. `verify` accepts only the shape that `pack`
//! writes, read with our own zip reader ([`crate::zipread`]) so that what it
//! checks is what any receiver's `unzip` or `bsdtar` extracts:
//!
//! - the directory is unambiguous (one end record, at the file's end, no
//!   comment), entries are back to back from byte 0 with nothing before,
//!   between or overlapping them;
//! - every entry is a plain file (0644, made on Unix), stored or deflated,
//!   with no extra field but zip64, the UTF-8 flag set exactly when its name
//!   is not ASCII, and its local header equal to its directory record;
//! - every name is clean (no `..`, `/` at either end, `\`, `.` parts or
//!   control characters) and in Unicode NFC (as `pack` writes them and
//!   bsdtar extracts them), and no two entries share a name under any
//!   reading (raw, local, Unicode Path; each in NFC and case-folded, as a
//!   Mac or Windows disk would store them);
//! - every entry but the manifest and its signature is listed in
//!   `MANIFEST.sha256`, every listed file is there with that SHA-256;
//! - the minisign signature over the manifest, authenticated when a public
//!   key is given; with a key, a missing or unreadable signature fails.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use super::manifest;
use super::pack::{MANIFEST, SIGNATURE};
use crate::evidence::bundle::clean_zip_name;
use crate::evidence::zip_listing::name_keys;
use crate::text::{shown, shown_bytes};
use crate::zipread::{self, Archive, Entry, ZIP64_EXTRA};

/// The highest "version needed to extract" `pack` writes (4.5, zip64).
const MAX_VERSION_NEEDED: u16 = 45;

/// The manifest and signature are small; a bigger one is refused unread.
const SMALL_FILE_LIMIT: u64 = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{}: cannot open: {source}", path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error("{}: not a readable zip: {reason}", path.display())]
    BadZip { path: PathBuf, reason: String },
}

/// What the signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    /// No signature in the zip (a draft).
    Unsigned,
    /// A signature entry that cannot be read or is not a minisign signature.
    Invalid,
    /// Signed, and the signature matches the given public key.
    Verified {
        key_id: String,
        trusted_comment: String,
    },
    /// Signed, but it does not verify with the given public key.
    Rejected {
        key_id: String,
        trusted_comment: String,
    },
    /// Signed, but no public key was given: integrity only.
    NotAuthenticated {
        key_id: String,
        trusted_comment: String,
    },
}

impl Signature {
    /// The state as `--json` names it.
    pub fn state(&self) -> &'static str {
        match self {
            Signature::Unsigned => "unsigned",
            Signature::Invalid => "invalid",
            Signature::Verified { .. } => "verified",
            Signature::Rejected { .. } => "rejected",
            Signature::NotAuthenticated { .. } => "not_authenticated",
        }
    }
}

/// The outcome: files checked, the signature, and every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub files_checked: usize,
    pub signature: Signature,
    pub problems: Vec<String>,
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Check the report at `path`, authenticating the signer with `public` if given.
pub fn verify(path: &Path, public: Option<&minisign::PublicKey>) -> Result<Verdict, VerifyError> {
    let file = File::open(path).map_err(|source| VerifyError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut source = BufReader::new(file);
    let archive = Archive::read(&mut source).map_err(|e| VerifyError::BadZip {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(verify_archive(&archive, &mut source, public))
}

/// [`verify`] on an archive already read from `source`.
pub fn verify_archive<R: Read + io::Seek>(
    archive: &Archive,
    source: &mut R,
    public: Option<&minisign::PublicKey>,
) -> Verdict {
    let mut problems = shape_problems(archive);
    // Entries by their exact name; the shape check has already refused any
    // name that is not its own clean, NFC form or that collides.
    let mut by_name: BTreeMap<&[u8], &Entry> = BTreeMap::new();
    for e in &archive.entries {
        by_name.entry(&e.name).or_insert(e);
    }
    let read_small = |source: &mut R, e: &Entry| -> io::Result<Vec<u8>> {
        if e.size > SMALL_FILE_LIMIT {
            return Err(io::Error::other(format!(
                "{} bytes, more than a manifest or signature can be",
                e.size
            )));
        }
        let mut out = Vec::new();
        archive.reader(source, e)?.read_to_end(&mut out)?;
        Ok(out)
    };
    let manifest_bytes = match by_name.get(MANIFEST.as_bytes()) {
        None => {
            problems.push(format!("{MANIFEST} is missing"));
            None
        }
        Some(e) => match read_small(source, e) {
            Ok(bytes) => Some(bytes),
            Err(err) => {
                problems.push(format!(
                    "{MANIFEST} is in the zip but cannot be read: {err}"
                ));
                None
            }
        },
    };
    let listed = match manifest_bytes.as_deref().map(std::str::from_utf8) {
        None => Vec::new(),
        Some(Err(e)) => {
            problems.push(format!("{MANIFEST} is not UTF-8 text ({e})"));
            Vec::new()
        }
        Some(Ok(text)) => match manifest::parse(text) {
            Ok(listed) => listed,
            Err(e) => {
                problems.push(e);
                Vec::new()
            }
        },
    };
    let mut listed_names: HashMap<&str, usize> = HashMap::new();
    for (name, _) in &listed {
        *listed_names.entry(name.as_str()).or_default() += 1;
    }
    for (name, n) in &listed_names {
        if *n > 1 {
            problems.push(format!(
                "'{}' is listed {n} times in {MANIFEST}",
                shown(name)
            ));
        }
    }
    if manifest_bytes.is_some() {
        for e in &archive.entries {
            let name = String::from_utf8_lossy(&e.name);
            if name != MANIFEST && name != SIGNATURE && !listed_names.contains_key(name.as_ref()) {
                problems.push(format!(
                    "'{}' is in the zip but not in {MANIFEST}",
                    shown_bytes(&e.name)
                ));
            }
        }
    }
    let mut checked = 0;
    for (name, sha) in &listed {
        let Some(entry) = by_name.get(name.as_bytes()) else {
            problems.push(format!(
                "'{}' is in {MANIFEST} but missing from the zip",
                shown(name)
            ));
            continue;
        };
        let digest = archive.reader(source, entry).and_then(|mut r| {
            let progress = std::sync::atomic::AtomicU64::new(0);
            crate::evidence::hash::sha256(&mut r, &progress).map(hex::encode)
        });
        match digest {
            Ok(d) if d == *sha => checked += 1,
            Ok(d) => problems.push(format!(
                "'{}' was altered (sha256 {d}, manifest says {sha})",
                shown(name)
            )),
            Err(e) => problems.push(format!("'{}' cannot be read: {e}", shown(name))),
        }
    }
    let signature = match (by_name.get(SIGNATURE.as_bytes()), &manifest_bytes) {
        (None, _) => {
            if public.is_some() {
                problems.push(format!(
                    "the report is not signed ({SIGNATURE} is missing), but a signed report was expected: --pubkey was given"
                ));
            }
            Signature::Unsigned
        }
        (Some(e), manifest) => match read_small(source, e) {
            Err(err) => {
                problems.push(format!("{SIGNATURE} cannot be read: {err}"));
                Signature::Invalid
            }
            Ok(bytes) => check_signature(&bytes, manifest.as_deref(), public, &mut problems),
        },
    };
    Verdict {
        files_checked: checked,
        signature,
        problems,
    }
}

/// Everything about the zip's shape that differs from what `pack` writes.
fn shape_problems(archive: &Archive) -> Vec<String> {
    let mut problems = Vec::new();
    if !archive.comment.is_empty() {
        problems.push(format!(
            "the zip has a comment of {} bytes (fieldaudit writes none)",
            archive.comment.len()
        ));
    }
    let mut spans: Vec<&Entry> = archive.entries.iter().collect();
    spans.sort_by_key(|e| e.header_offset);
    let mut expected = 0u64;
    for e in &spans {
        if e.header_offset > expected {
            let what = if expected == 0 {
                "before the first entry".to_string()
            } else {
                "between entries".to_string()
            };
            problems.push(format!(
                "{} bytes {what} (at offset {expected}), which no entry accounts for",
                e.header_offset - expected
            ));
        }
        expected = expected.max(e.data_end());
    }
    if expected < archive.directory_offset {
        problems.push(format!(
            "{} bytes between the last entry and the central directory",
            archive.directory_offset - expected
        ));
    }
    for index in archive.overlapping() {
        problems.push(format!(
            "entry '{}' overlaps another entry's bytes",
            shown_bytes(&archive.entries[index].name)
        ));
    }
    // Every reading of every name, to catch duplicates however a reader
    // names the entries (and on case-insensitive file systems).
    let mut readings: HashMap<String, Vec<usize>> = HashMap::new();
    for e in &archive.entries {
        let name = shown_bytes(&e.name);
        let mut entry_problem = |what: String| problems.push(format!("entry '{name}': {what}"));
        if e.disk != 0 {
            entry_problem("on another disk".into());
        }
        if e.flags & !0x0800 != 0 {
            entry_problem(format!(
                "general-purpose flags {:#06x} (fieldaudit sets only the UTF-8 flag)",
                e.flags
            ));
        }
        let ascii = e.name.is_ascii();
        if e.utf8_flag() == ascii {
            entry_problem(if ascii {
                "the UTF-8 flag is set on an ASCII name".into()
            } else {
                "a non-ASCII name without the UTF-8 flag (readers may decode it as CP437)".into()
            });
        }
        let local_version = e
            .local
            .as_ref()
            .map_or(e.version_needed, |l| l.version_needed);
        if local_version != e.version_needed {
            entry_problem(format!(
                "the local header asks for zip version {local_version}, the directory for {}",
                e.version_needed
            ));
        }
        if e.version_needed > MAX_VERSION_NEEDED {
            entry_problem(format!(
                "it asks for a zip reader of version {}.{} (fieldaudit writes at most {}.{}; unzip would refuse it)",
                e.version_needed / 10,
                e.version_needed % 10,
                MAX_VERSION_NEEDED / 10,
                MAX_VERSION_NEEDED % 10
            ));
        }
        if !matches!(e.method, 0 | 8) {
            entry_problem(format!("compression method {}", e.method));
        }
        let local_ids = e
            .local
            .as_ref()
            .map(|l| l.extra_ids.clone())
            .unwrap_or_default();
        for id in e.extra_ids.iter().chain(&local_ids) {
            if *id == zipread::UNICODE_PATH_EXTRA {
                entry_problem(
                    "a Unicode Path extra field (0x7075) gives it a second name".to_string(),
                );
            } else if *id != ZIP64_EXTRA {
                entry_problem(format!("an extra field {id:#06x} (fieldaudit writes none)"));
            }
        }
        if e.comment_len != 0 {
            entry_problem("an entry comment".into());
        }
        match e.unix_mode() {
            Some(0o100644) => {}
            Some(mode) if mode & 0o170000 == 0o040000 => {
                entry_problem(format!(
                    "a directory entry{}",
                    if e.size > 0 { " carrying data" } else { "" }
                ));
            }
            Some(mode) if mode & 0o170000 == 0o120000 => {
                entry_problem("a symbolic link".into());
            }
            Some(mode) => entry_problem(format!("mode {mode:o}, not a plain 0644 file")),
            None => entry_problem("not made on Unix as a plain 0644 file".into()),
        }
        let mismatched = e.local_mismatches();
        if !mismatched.is_empty() {
            entry_problem(format!(
                "the local header disagrees with the central directory ({})",
                mismatched.join(", ")
            ));
        }
        for reading in e.readings() {
            if reading != e.name.as_slice() {
                entry_problem(format!("can also be read as '{}'", shown_bytes(reading)));
            }
        }
        match std::str::from_utf8(&e.name) {
            Err(_) => entry_problem("the name is not UTF-8".into()),
            Ok(text) => {
                if text.chars().any(char::is_control) {
                    entry_problem("the name holds control characters".into());
                }
                match clean_zip_name(&e.name) {
                    Err(why) => entry_problem(format!("unsafe name ({why})")),
                    Ok(clean) if clean != text => entry_problem(format!(
                        "the name is not in its plain form (a reader makes it '{}')",
                        shown(&clean)
                    )),
                    Ok(_) => {}
                }
                // bsdtar writes names in NFC: another form would extract
                // under a name the manifest does not list.
                if !unicode_normalization::is_nfc(text) {
                    entry_problem(
                        "the name is not in Unicode NFC (bsdtar would extract it under another name)"
                            .into(),
                    );
                }
            }
        }
        for reading in e.readings() {
            for key in name_keys(reading) {
                let owners = readings.entry(key).or_default();
                if !owners.contains(&e.index) {
                    owners.push(e.index);
                }
            }
        }
    }
    let mut clashes: Vec<(&String, &Vec<usize>)> =
        readings.iter().filter(|(_, v)| v.len() > 1).collect();
    clashes.sort();
    let mut reported: Vec<&Vec<usize>> = Vec::new();
    for (key, owners) in clashes {
        if reported.contains(&owners) {
            continue;
        }
        reported.push(owners);
        problems.push(format!(
            "duplicate entry '{}' ({} entries share this name, counting case and Unicode forms)",
            shown(key),
            owners.len()
        ));
    }
    problems
}

/// Read the minisign signature over the manifest and, given a public key,
/// verify it; problems found are appended to `problems`.
fn check_signature(
    signature: &[u8],
    manifest: Option<&[u8]>,
    public: Option<&minisign::PublicKey>,
    problems: &mut Vec<String>,
) -> Signature {
    let sig = match std::str::from_utf8(signature)
        .map_err(|e| e.to_string())
        .and_then(|text| minisign::SignatureBox::from_string(text).map_err(|e| e.to_string()))
    {
        Ok(sig) => sig,
        Err(e) => {
            problems.push(format!("{SIGNATURE} is not a minisign signature: {e}"));
            return Signature::Invalid;
        }
    };
    let key_id = super::keys::key_id_of(sig.keynum());
    let Ok(trusted_comment) = sig.trusted_comment() else {
        problems.push(format!("{SIGNATURE} has no readable trusted comment"));
        return Signature::Invalid;
    };
    let Some(pk) = public else {
        return Signature::NotAuthenticated {
            key_id,
            trusted_comment,
        };
    };
    let Some(manifest) = manifest else {
        problems.push(format!(
            "the signature cannot be checked without a readable {MANIFEST}"
        ));
        return Signature::Rejected {
            key_id,
            trusted_comment,
        };
    };
    let given = super::keys::key_id(pk);
    if given != key_id {
        problems.push(format!("signed by key {key_id}, not the given key {given}"));
        return Signature::Rejected {
            key_id,
            trusted_comment,
        };
    }
    match minisign::verify(pk, &sig, io::Cursor::new(manifest), true, false, false) {
        Ok(()) => Signature::Verified {
            key_id,
            trusted_comment,
        },
        Err(_) => {
            problems.push(format!(
                "{MANIFEST} changed after signing: the signature by key {key_id} does not match it (or the signature itself was altered)"
            ));
            Signature::Rejected {
                key_id,
                trusted_comment,
            }
        }
    }
}
