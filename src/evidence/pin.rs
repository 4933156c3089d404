//! Pinning evidence: finding the files an auditor named in the bundle and
//! hashing them now, so a link records the exact version seen. Used by
//! `link`, `finding add --evidence-file` and the interface.

use std::path::{Path, PathBuf};

use super::hash;
use super::{Bundle, BundleError, Entry, Listing};
use crate::text::Shown;

/// A file of the bundle as it is now: its bundle path, SHA-256 (hex) and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// Why a file could not be pinned.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error(
        "{}: this audit has no evidence bundle; give --evidence PATH (or remember one with `fieldaudit open {} --evidence PATH`)",
        Shown(record.display()),
        Shown(record.display())
    )]
    NoBundle { record: PathBuf },
    #[error("{}: '{}' cannot be cited: {}", Shown(root.display()), Shown(path), Shown(reason))]
    CannotCite {
        root: PathBuf,
        path: String,
        reason: String,
    },
    #[error(
        "{}: no file '{}' in the evidence bundle{}",
        Shown(root.display()),
        Shown(path),
        nearest_hint(nearest)
    )]
    NoSuchFile {
        root: PathBuf,
        path: String,
        nearest: Vec<String>,
    },
    #[error(transparent)]
    Bundle(#[from] BundleError),
}

fn nearest_hint(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!("\n  nearest: {}", Shown(nearest.join(", ")))
    }
}

/// The bundle a command works on: `given` (`--evidence`), else the one the
/// record at `record_path` remembers.
pub fn bundle_path(
    given: Option<&Path>,
    remembered: Option<&str>,
    record_path: &Path,
) -> Result<PathBuf, PinError> {
    match (given, remembered) {
        (Some(p), _) => Ok(p.to_path_buf()),
        (None, Some(p)) => Ok(PathBuf::from(p)),
        (None, None) => Err(PinError::NoBundle {
            record: record_path.to_path_buf(),
        }),
    }
}

/// `./a/b.txt` or `a\b.txt` as typed → `a/b.txt`.
fn normalise(typed: &str) -> String {
    let unified = typed.trim().replace('\\', "/");
    unified
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// The entry a user named, or an error with the nearest paths.
pub fn find_entry<'a>(
    bundle: &Bundle,
    listing: &'a Listing,
    typed: &str,
) -> Result<&'a Entry, PinError> {
    let path = normalise(typed);
    if let Some(entry) = listing.get(&path) {
        return Ok(entry);
    }
    if let Some(problem) = listing.problems.iter().find(|p| normalise(&p.path) == path) {
        return Err(PinError::CannotCite {
            root: bundle.root().to_path_buf(),
            path: problem.path.clone(),
            reason: problem.reason.clone(),
        });
    }
    let nearest = crate::suggest::nearest_ids(
        &path,
        listing
            .entries
            .iter()
            .map(|e| (e.path.clone(), e.path.clone(), String::new())),
        5,
    );
    Err(PinError::NoSuchFile {
        root: bundle.root().to_path_buf(),
        path,
        nearest,
    })
}

/// Hash one entry of the bundle now.
pub fn pin_entry(bundle: &Bundle, entry: &Entry) -> Result<Pinned, BundleError> {
    let digest = hash::hash_entry(bundle, entry)?;
    Ok(Pinned {
        path: entry.path.clone(),
        sha256: hash::to_hex(&digest),
        size: entry.size,
    })
}

/// Hash the files named `typed` in the bundle at `bundle_path` now, for
/// linking; nothing is opened when no file is named.
pub fn pin(bundle_path: &Path, typed: &[String]) -> Result<Vec<Pinned>, PinError> {
    if typed.is_empty() {
        return Ok(Vec::new());
    }
    let bundle = Bundle::open(bundle_path)?;
    let listing = bundle.list()?;
    let mut pinned = Vec::new();
    for t in typed {
        let entry = find_entry(&bundle, &listing, t)?;
        pinned.push(pin_entry(&bundle, entry)?);
    }
    Ok(pinned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_named_as_typed_is_pinned_and_a_typo_suggests_the_nearest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("03-risk")).unwrap();
        std::fs::write(dir.path().join("03-risk/register.csv"), "a,b\n").unwrap();
        let pinned = pin(dir.path(), &[r".\03-risk\register.csv".into()]).unwrap();
        assert_eq!(pinned[0].path, "03-risk/register.csv");
        assert_eq!(pinned[0].size, 4);
        assert_eq!(pinned[0].sha256.len(), 64);
        let err = pin(dir.path(), &["03-risk/registr.csv".into()]).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("no file '03-risk/registr.csv' in the evidence bundle\n  nearest: 03-risk/register.csv"),
            "{err}"
        );
        assert!(pin(dir.path(), &[]).unwrap().is_empty());
        assert!(matches!(
            bundle_path(None, None, Path::new("a.ron")),
            Err(PinError::NoBundle { .. })
        ));
    }
}
