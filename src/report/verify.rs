//! Checking a report zip: every file against `MANIFEST.sha256`, nothing
//! missing or extra, no unsafe or duplicate names, and the minisign
//! signature over the manifest (authenticated when a public key is given).

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use super::manifest;
use super::pack::{MANIFEST, SIGNATURE};
use crate::evidence::bundle::clean_zip_name;

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
    /// Signed, and the signature matches the given public key.
    Verified {
        key_id: String,
        trusted_comment: String,
    },
    /// Signed, but no public key was given: integrity only.
    NotAuthenticated {
        key_id: String,
        trusted_comment: String,
    },
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

fn read_small<R: Read>(reader: R) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(SMALL_FILE_LIMIT).read_to_end(&mut out)?;
    Ok(out)
}

/// Check the report at `path`, authenticating the signer with `public` if given.
pub fn verify(path: &Path, public: Option<&minisign::PublicKey>) -> Result<Verdict, VerifyError> {
    let mut problems = Vec::new();
    // Duplicate names, read from the zip's own directory (the zip crate
    // would silently keep one copy).
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    for name in crate::evidence::bundle::central_names(path).unwrap_or_default() {
        *seen.entry(name).or_default() += 1;
    }
    for (name, n) in &seen {
        if *n > 1 {
            problems.push(format!(
                "duplicate entry '{}' ({n} copies)",
                String::from_utf8_lossy(name)
            ));
        }
    }
    let file = File::open(path).map_err(|source| VerifyError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| VerifyError::BadZip {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    let mut names = BTreeSet::new();
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            problems.push(format!("entry #{i} cannot be read"));
            continue;
        };
        let raw = entry.name_raw().to_vec();
        let shown = String::from_utf8_lossy(&raw).into_owned();
        if entry.is_dir() {
            continue;
        }
        match clean_zip_name(&raw) {
            Ok(clean) if clean == shown => {
                names.insert(clean);
            }
            Ok(_) | Err(_) => problems.push(format!("unsafe entry name '{shown}'")),
        }
    }
    let manifest_bytes = match archive.by_name(MANIFEST) {
        Ok(entry) => read_small(entry).ok(),
        Err(_) => None,
    };
    let Some(manifest_bytes) = manifest_bytes else {
        problems.push(format!("{MANIFEST} is missing"));
        return Ok(Verdict {
            files_checked: 0,
            signature: Signature::Unsigned,
            problems,
        });
    };
    let listed = match std::str::from_utf8(&manifest_bytes)
        .map_err(|e| e.to_string())
        .and_then(manifest::parse)
    {
        Ok(listed) => listed,
        Err(e) => {
            problems.push(e);
            Vec::new()
        }
    };
    let listed_names: BTreeSet<String> = listed.iter().map(|(n, _)| n.clone()).collect();
    for name in &names {
        if name != MANIFEST && name != SIGNATURE && !listed_names.contains(name) {
            problems.push(format!("'{name}' is in the zip but not in {MANIFEST}"));
        }
    }
    let mut checked = 0;
    for (name, sha) in &listed {
        if !names.contains(name) {
            problems.push(format!(
                "'{name}' is in {MANIFEST} but missing from the zip"
            ));
            continue;
        }
        let digest = archive
            .by_name(name)
            .map_err(io::Error::other)
            .and_then(|mut entry| {
                let progress = std::sync::atomic::AtomicU64::new(0);
                crate::evidence::hash::sha256(&mut entry, &progress).map(hex::encode)
            });
        match digest {
            Ok(d) if d == *sha => checked += 1,
            Ok(d) => problems.push(format!(
                "'{name}' was altered (sha256 {d}, manifest says {sha})"
            )),
            Err(e) => problems.push(format!("'{name}' cannot be read: {e}")),
        }
    }
    let signature = match archive
        .by_name(SIGNATURE)
        .ok()
        .and_then(|e| read_small(e).ok())
    {
        None => Signature::Unsigned,
        Some(bytes) => check_signature(&bytes, &manifest_bytes, public, &mut problems),
    };
    Ok(Verdict {
        files_checked: checked,
        signature,
        problems,
    })
}

/// Read the minisign signature over the manifest and, given a public key,
/// verify it; problems found are appended to `problems`.
fn check_signature(
    signature: &[u8],
    manifest: &[u8],
    public: Option<&minisign::PublicKey>,
    problems: &mut Vec<String>,
) -> Signature {
    let text = String::from_utf8_lossy(signature);
    let sig = match minisign::SignatureBox::from_string(&text) {
        Ok(sig) => sig,
        Err(e) => {
            problems.push(format!("{SIGNATURE} is not a minisign signature: {e}"));
            return Signature::Unsigned;
        }
    };
    let key_id = super::keys::key_id_of(sig.keynum());
    let trusted_comment = sig.trusted_comment().unwrap_or_default();
    let Some(pk) = public else {
        return Signature::NotAuthenticated {
            key_id,
            trusted_comment,
        };
    };
    match minisign::verify(pk, &sig, io::Cursor::new(manifest), true, false, false) {
        Ok(()) => Signature::Verified {
            key_id,
            trusted_comment,
        },
        Err(e) => {
            problems.push(format!(
                "the signature does not verify with this public key (signed by key {key_id}, given key {}): {e}",
                super::keys::key_id(pk)
            ));
            Signature::NotAuthenticated {
                key_id,
                trusted_comment,
            }
        }
    }
}
