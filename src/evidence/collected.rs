//! Files the auditor collects on site (a photo, a screenshot, a file the
//! auditee emails): kept in a folder beside the record (`acme.ron` →
//! `acme.evidence/`), each stored under its SHA-256 and never overwritten.
//! The file is copied and hashed in one stream (bounded memory, whatever its
//! size) into a temporary file in that folder, synced and renamed into
//! place. The name the auditor gave is kept in the record only; on disk the
//! file is named by its hash, and in the report zip it goes under
//! `collected/<sha256>/` with its name made one safe path segment.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::text::shown;

/// Why a file could not be collected or checked.
#[derive(Debug, thiserror::Error)]
pub enum CollectedError {
    #[error("{}: cannot attach it: {reason}", shown(&path.display().to_string()))]
    NotAFile { path: PathBuf, reason: &'static str },
    #[error("{}: {source}", shown(&path.display().to_string()))]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{}: already holds a file of another content (sha256 {now}) under the name of sha256 {name}; fieldaudit never overwrites collected evidence: move that file away and attach again",
        shown(&path.display().to_string())
    )]
    Clash {
        path: PathBuf,
        name: String,
        now: String,
    },
    #[error(
        "'{}' is not a SHA-256 (64 lower-case hex digits): the record was edited by hand; re-attach the file",
        shown(.0)
    )]
    BadHash(String),
}

/// The folder beside the record that holds the files the auditor collected:
/// `acme.ron` → `acme.evidence`.
pub fn folder_for(record: &Path) -> PathBuf {
    record.with_extension("evidence")
}

/// Where the file of hash `sha256` is stored in `folder`; refuses anything
/// but a SHA-256 so that a hand-edited record never names another path.
pub fn stored_path(folder: &Path, sha256: &str) -> Result<PathBuf, CollectedError> {
    let is_hash = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !is_hash {
        return Err(CollectedError::BadHash(sha256.to_string()));
    }
    Ok(folder.join(sha256))
}

/// The longest file name, in bytes, a report entry gets (most disks allow 255).
const NAME_LIMIT: usize = 200;

/// `original` as one safe path segment: Unicode NFC, control characters,
/// path separators and characters Windows refuses replaced by `_`, not `.`
/// or `..`, not empty, at most `NAME_LIMIT` (200) bytes.
pub fn safe_name(original: &str) -> String {
    let mut name = String::new();
    for c in original.nfc() {
        let bad =
            c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
        let c = if bad { '_' } else { c };
        if name.len() + c.len_utf8() > NAME_LIMIT {
            break;
        }
        name.push(c);
    }
    let trimmed = name.trim_matches(|c: char| c == ' ' || c == '.');
    if trimmed.is_empty() {
        return "file".into();
    }
    trimmed.to_string()
}

/// The name a collected file has in the report zip.
pub fn zip_name(sha256: &str, original: &str) -> String {
    format!("collected/{sha256}/{}", safe_name(original))
}

/// A file stored beside the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
    /// The file's own name, as given.
    pub original_name: String,
    /// Where it is stored.
    pub path: PathBuf,
    /// Whether the same content was stored already.
    pub already: bool,
}

/// Copy `file` into `folder` under its SHA-256. Refuses a directory, a
/// symbolic link, a FIFO or device; an existing stored file is kept when its
/// content hashes the same, and refused loudly when it does not.
pub fn store(folder: &Path, file: &Path) -> Result<Stored, CollectedError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CollectedError::Io { path, source }
    };
    let not_a_file = |reason| CollectedError::NotAFile {
        path: file.to_path_buf(),
        reason,
    };
    let meta = fs::symlink_metadata(file).map_err(io_err(file))?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Err(not_a_file(
            "it is a symbolic link; attach the file it points to",
        ));
    }
    if kind.is_dir() {
        return Err(not_a_file(
            "it is a folder; attach the files in it one by one",
        ));
    }
    if !kind.is_file() {
        return Err(not_a_file(
            "it is not a regular file (a pipe, socket or device); save its content to a file first",
        ));
    }
    let original_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let mut source = File::open(file).map_err(io_err(file))?;
    // The path may have been swapped for something else since it was looked at.
    if !source.metadata().map_err(io_err(file))?.is_file() {
        return Err(not_a_file("it changed while being opened"));
    }
    fs::create_dir_all(folder).map_err(io_err(folder))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".attach-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(io_err(folder))?;
    let (sha256, size) = copy_hashing(&mut source, temp.as_file_mut()).map_err(io_err(file))?;
    temp.as_file().sync_all().map_err(io_err(temp.path()))?;
    let target = folder.join(&sha256);
    let mut already = target.exists();
    if !already {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file()
                .set_permissions(fs::Permissions::from_mode(0o444))
                .map_err(io_err(temp.path()))?;
        }
        match temp.persist_noclobber(&target) {
            Ok(_) => {}
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => already = true,
            Err(e) => return Err(io_err(&target)(e.error)),
        }
        if let Ok(dir) = File::open(folder) {
            let _ = dir.sync_all();
        }
    }
    if already {
        let now = hash_file(&target)?;
        if now != sha256 {
            return Err(CollectedError::Clash {
                path: target,
                name: sha256,
                now,
            });
        }
    }
    Ok(Stored {
        sha256,
        size,
        original_name,
        path: target,
        already,
    })
}

/// Copy `from` into `to`, returning the SHA-256 (hex) and size of what passed.
fn copy_hashing(from: &mut dyn Read, to: &mut dyn Write) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        to.write_all(&buf[..n])?;
        size += n as u64;
    }
    to.flush()?;
    Ok((hex::encode(hasher.finalize()), size))
}

/// The SHA-256 (hex) of a stored file, streamed.
pub fn hash_file(path: &Path) -> Result<String, CollectedError> {
    let io_err = |source| CollectedError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io_err)?;
    let progress = std::sync::atomic::AtomicU64::new(0);
    super::hash::sha256(&mut file, &progress)
        .map(|d| super::hash::to_hex(&d))
        .map_err(io_err)
}

/// How a collected file stands against the hash it was cited at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Unchanged,
    Changed { now: String },
    Missing,
    Unreadable(String),
}

/// Re-hash the stored file of hash `sha256` in `folder`.
pub fn check(folder: &Path, sha256: &str) -> State {
    let path = match stored_path(folder, sha256) {
        Ok(p) => p,
        Err(e) => return State::Unreadable(e.to_string()),
    };
    match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return State::Missing,
        Err(e) => return State::Unreadable(e.to_string()),
        Ok(m) if !m.is_file() => return State::Unreadable("not a regular file".into()),
        Ok(_) => {}
    }
    match hash_file(&path) {
        Ok(now) if now == sha256 => State::Unchanged,
        Ok(now) => State::Changed { now },
        Err(e) => State::Unreadable(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    #[test]
    fn the_folder_sits_beside_the_record() {
        assert_eq!(
            folder_for(Path::new("/a/acme.ron")),
            Path::new("/a/acme.evidence")
        );
        assert_eq!(folder_for(Path::new("acme")), Path::new("acme.evidence"));
    }

    #[test]
    fn a_file_is_stored_under_its_hash_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("photo 1.jpg");
        fs::write(&file, b"log photo").unwrap();
        let folder = dir.path().join("acme.evidence");
        let first = store(&folder, &file).unwrap();
        assert_eq!(first.sha256, sha(b"log photo"));
        assert_eq!(first.size, 9);
        assert_eq!(first.original_name, "photo 1.jpg");
        assert!(!first.already);
        assert_eq!(fs::read(folder.join(&first.sha256)).unwrap(), b"log photo");
        let again = store(&folder, &file).unwrap();
        assert!(again.already);
        // Nothing but the stored file is left in the folder.
        assert_eq!(fs::read_dir(&folder).unwrap().count(), 1);
    }

    #[test]
    fn a_stored_name_of_other_content_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, b"original").unwrap();
        let folder = dir.path().join("acme.evidence");
        fs::create_dir(&folder).unwrap();
        let squatter = folder.join(sha(b"original"));
        fs::write(&squatter, b"forged").unwrap();
        let err = store(&folder, &file).unwrap_err();
        assert!(matches!(err, CollectedError::Clash { .. }), "{err}");
        assert!(err.to_string().contains("never overwrites"), "{err}");
        assert_eq!(fs::read(&squatter).unwrap(), b"forged");
    }

    #[test]
    fn folders_links_and_pipes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("acme.evidence");
        let err = store(&folder, dir.path()).unwrap_err();
        assert!(err.to_string().contains("it is a folder"), "{err}");
        #[cfg(unix)]
        {
            let target = dir.path().join("t.txt");
            fs::write(&target, b"x").unwrap();
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let err = store(&folder, &link).unwrap_err();
            assert!(err.to_string().contains("symbolic link"), "{err}");
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let err = store(&folder, &fifo).unwrap_err();
                assert!(err.to_string().contains("not a regular file"), "{err}");
            }
        }
        let err = store(&folder, &dir.path().join("absent")).unwrap_err();
        assert!(err.to_string().contains("absent"), "{err}");
    }

    #[test]
    fn names_become_one_safe_segment() {
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("a\u{1b}[31m\\b\n.png"), "a_[31m_b_.png");
        assert_eq!(safe_name(".."), "file");
        assert_eq!(safe_name(""), "file");
        // NFC: "e" + combining acute becomes "é".
        assert_eq!(safe_name("re\u{301}sume\u{301}.pdf"), "résumé.pdf");
        assert!(safe_name(&"é".repeat(300)).len() <= NAME_LIMIT);
        assert_eq!(zip_name("ab", "x/y"), "collected/ab/x_y");
    }

    #[test]
    fn only_a_hash_names_a_stored_file() {
        let folder = Path::new("f");
        assert!(stored_path(folder, "../../etc/passwd").is_err());
        assert!(stored_path(folder, &"A".repeat(64)).is_err());
        assert!(stored_path(folder, &"a".repeat(64)).is_ok());
    }

    #[test]
    fn check_tells_changed_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, b"one").unwrap();
        let folder = dir.path().join("acme.evidence");
        let stored = store(&folder, &file).unwrap();
        assert_eq!(check(&folder, &stored.sha256), State::Unchanged);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&stored.path, fs::Permissions::from_mode(0o644)).unwrap();
        }
        fs::write(&stored.path, b"two").unwrap();
        assert_eq!(
            check(&folder, &stored.sha256),
            State::Changed { now: sha(b"two") }
        );
        fs::remove_file(&stored.path).unwrap();
        assert_eq!(check(&folder, &stored.sha256), State::Missing);
    }
}
