//! A bundle is a folder or a .zip handed over by the auditee. It is opened
//! read-only: entries are listed, streamed for hashing and previews, and
//! never extracted or written.
//!
//! Entries that could be used to escape the bundle or exhaust the machine
//! (`..`, absolute paths, drive letters, backslashes, symlinks, duplicate or
//! non-UTF-8 names, encrypted entries, sizes beyond a sane bound) are listed
//! as [`Problem`]s and never read.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use super::preview::FileKind;

/// Entries declared bigger than this are not read (16 GiB).
pub const MAX_ENTRY_SIZE: u64 = 16 << 30;
/// Zip entries that claim to expand more than this many times are not read.
pub const MAX_RATIO: u64 = 1000;

/// Why a bundle cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{}: cannot open the evidence bundle: {source}", path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error("{}: not a readable zip archive: {reason}; ask the auditee for a fresh copy", path.display())]
    BadZip { path: PathBuf, reason: String },
    #[error("{}: an evidence bundle is a folder or a .zip file", path.display())]
    NotABundle { path: PathBuf },
    #[error("{bundle}: no file '{path}' in the evidence bundle")]
    NoSuchFile { bundle: String, path: String },
    #[error("{bundle}: '{path}' cannot be read: {reason}")]
    Unreadable {
        bundle: String,
        path: String,
        reason: String,
    },
}

/// A file of the bundle that is safe to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Bundle-relative, `/`-separated, no `.` or `..` components.
    pub path: String,
    pub size: u64,
    pub kind: FileKind,
    /// Position in the zip's central directory (zip bundles only).
    zip_index: Option<usize>,
}

/// Something in the bundle that is listed but never read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The name as found (lossy), for the message.
    pub path: String,
    pub reason: String,
}

/// What a bundle holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Sorted by path.
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

impl Listing {
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.entries[i])
    }

    pub fn total_bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }
}

/// An opened bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bundle {
    Folder(PathBuf),
    Zip(PathBuf),
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

impl Bundle {
    /// Open a folder or a `.zip` (read-only).
    pub fn open(path: &Path) -> Result<Bundle, BundleError> {
        let meta = std::fs::metadata(path).map_err(|source| BundleError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let root = path.canonicalize().map_err(|source| BundleError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        if meta.is_dir() {
            Ok(Bundle::Folder(root))
        } else if meta.is_file() && is_zip(path) {
            Ok(Bundle::Zip(root))
        } else {
            Err(BundleError::NotABundle {
                path: path.to_path_buf(),
            })
        }
    }

    pub fn root(&self) -> &Path {
        match self {
            Bundle::Folder(p) | Bundle::Zip(p) => p,
        }
    }

    fn name(&self) -> String {
        self.root().display().to_string()
    }

    /// Every entry, with the ones that must not be read set apart.
    pub fn list(&self) -> Result<Listing, BundleError> {
        let mut listing = match self {
            Bundle::Folder(root) => list_folder(root),
            Bundle::Zip(path) => list_zip(path)?,
        };
        listing.entries.sort_by(|a, b| a.path.cmp(&b.path));
        listing.entries.shrink_to_fit();
        listing.problems.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(listing)
    }

    fn unreadable(&self, path: &str, reason: impl ToString) -> BundleError {
        BundleError::Unreadable {
            bundle: self.name(),
            path: path.to_string(),
            reason: reason.to_string(),
        }
    }

    /// Stream an entry's bytes to `read`. Reads at most the entry's listed
    /// size; a zip entry that inflates past its declared size is an error.
    pub fn with_reader<T>(
        &self,
        entry: &Entry,
        read: impl FnOnce(&mut dyn Read) -> io::Result<T>,
    ) -> Result<T, BundleError> {
        self.session()?.read(entry, read)
    }

    /// A reading session: for a zip, the archive's directory is parsed once
    /// and reused for every entry read through the session.
    pub fn session(&self) -> Result<Session, BundleError> {
        match self {
            Bundle::Folder(root) => Ok(Session {
                bundle: self.clone(),
                zip: None,
                root: root.clone(),
            }),
            Bundle::Zip(path) => {
                let file = File::open(path).map_err(|source| BundleError::Open {
                    path: path.clone(),
                    source,
                })?;
                let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
                    BundleError::BadZip {
                        path: path.clone(),
                        reason: e.to_string(),
                    }
                })?;
                Ok(Session {
                    bundle: self.clone(),
                    zip: Some(archive),
                    root: path.clone(),
                })
            }
        }
    }

    /// A stream of an entry's bytes that can be handed to another thread
    /// (for previews). Zip entries are inflated by a helper thread into a
    /// pipe, so nothing is held in memory beyond the pipe's buffer.
    pub fn open_stream(&self, entry: &Entry) -> io::Result<Box<dyn Read + Send>> {
        match self {
            Bundle::Folder(root) => {
                let file = File::open(root.join(&entry.path))?;
                Ok(Box::new(BufReader::new(file).take(entry.size)))
            }
            Bundle::Zip(_) => {
                let (reader, mut writer) = io::pipe()?;
                let bundle = self.clone();
                let entry = entry.clone();
                std::thread::spawn(move || {
                    // Stops when the reader is dropped (the write fails).
                    let _ = bundle.with_reader(&entry, |r| io::copy(r, &mut writer));
                });
                Ok(Box::new(reader))
            }
        }
    }
}

/// Reads entries of one bundle; see [`Bundle::session`].
pub struct Session {
    bundle: Bundle,
    root: PathBuf,
    zip: Option<zip::ZipArchive<BufReader<File>>>,
}

impl Session {
    /// Stream an entry's bytes to `read` (bounded by its listed size).
    pub fn read<T>(
        &mut self,
        entry: &Entry,
        read: impl FnOnce(&mut dyn Read) -> io::Result<T>,
    ) -> Result<T, BundleError> {
        let fail = |reason: String| self.bundle.unreadable(&entry.path, reason);
        match (&mut self.zip, entry.zip_index) {
            (None, _) => {
                let file =
                    File::open(self.root.join(&entry.path)).map_err(|e| fail(e.to_string()))?;
                let mut limited = BufReader::with_capacity(256 * 1024, file).take(entry.size);
                read(&mut limited).map_err(|e| fail(e.to_string()))
            }
            (Some(archive), Some(index)) => {
                let zipped = archive.by_index(index).map_err(|e| fail(e.to_string()))?;
                let mut guarded = SizeGuard {
                    inner: zipped,
                    left: entry.size,
                };
                read(&mut guarded).map_err(|e| fail(e.to_string()))
            }
            (Some(_), None) => Err(fail("not an entry of this zip".into())),
        }
    }
}

/// Fails a read that yields more bytes than the entry declared.
struct SizeGuard<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for SizeGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Ask for one byte more than is left, to notice an overrun.
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(io::Error::other(
                "the entry inflates past its declared size (a zip bomb?); not read",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Why a zip entry name is unsafe, or its clean `/`-separated form.
pub fn clean_zip_name(raw: &[u8]) -> Result<String, String> {
    let name = std::str::from_utf8(raw).map_err(|_| "name is not UTF-8".to_string())?;
    if name.contains('\\') {
        return Err("name contains a backslash".into());
    }
    if name.starts_with('/') {
        return Err("absolute path".into());
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err("drive letter".into());
    }
    if name.contains('\0') {
        return Err("name contains a NUL byte".into());
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => continue,
            ".." => return Err("'..' would climb out of the bundle".into()),
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err("empty name".into());
    }
    Ok(parts.join("/"))
}

fn list_zip(path: &Path) -> Result<Listing, BundleError> {
    let file = File::open(path).map_err(|source| BundleError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| BundleError::BadZip {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut listing = Listing::default();
    // The zip crate keeps one entry per name; which copy a reader sees is
    // then arbitrary, so a duplicated name is read from no copy at all.
    let mut duplicated: HashMap<Vec<u8>, usize> = HashMap::new();
    match central_names(path) {
        Some(names) => {
            for name in names {
                *duplicated.entry(name).or_default() += 1;
            }
            duplicated.retain(|_, n| *n > 1);
        }
        None => listing.problems.push(Problem {
            path: "(central directory)".into(),
            reason: "could not be checked for duplicate names (zip64 or damaged directory)".into(),
        }),
    }
    for (name, copies) in &duplicated {
        listing.problems.push(Problem {
            path: String::from_utf8_lossy(name).into_owned(),
            reason: format!("the name appears {copies} times; none of the copies is read"),
        });
    }
    let mut cleaned: HashSet<String> = HashSet::new();
    let mut clashing: HashSet<String> = HashSet::new();
    for index in 0..archive.len() {
        let entry = match archive.by_index_data(index) {
            Ok(e) => e,
            Err(e) => {
                listing.problems.push(Problem {
                    path: format!("entry #{index}"),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let raw = entry.name_raw().to_vec();
        if entry.is_dir() || duplicated.contains_key(&raw) {
            continue;
        }
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let problem = |reason: String| Problem {
            path: shown.clone(),
            reason,
        };
        let clean = match clean_zip_name(&raw) {
            Ok(clean) => clean,
            Err(reason) => {
                listing.problems.push(problem(reason));
                continue;
            }
        };
        if entry.is_symlink() {
            listing
                .problems
                .push(problem("symbolic link; not followed".into()));
            continue;
        }
        if entry.encrypted() {
            listing.problems.push(problem(
                "encrypted; ask the auditee for an unencrypted copy".into(),
            ));
            continue;
        }
        let (size, packed) = (entry.size(), entry.compressed_size());
        if size > MAX_ENTRY_SIZE {
            listing.problems.push(problem(format!(
                "declares {size} bytes, more than fieldaudit reads ({MAX_ENTRY_SIZE})"
            )));
            continue;
        }
        if size > 1 << 20 && size / packed.max(1) > MAX_RATIO {
            listing.problems.push(problem(format!(
                "expands {}× ({packed} → {size} bytes): a zip bomb?",
                size / packed.max(1)
            )));
            continue;
        }
        // Two raw names may clean to the same path (`a/./b` and `a/b`):
        // then none of them is read (all copies are dropped after the loop).
        if !cleaned.insert(clean.clone()) {
            clashing.insert(clean.clone());
            listing.problems.push(problem(format!(
                "another entry also names '{clean}'; none of them is read"
            )));
            continue;
        }
        listing.entries.push(Entry {
            kind: FileKind::of(&clean),
            path: clean,
            size,
            zip_index: Some(index),
        });
    }
    listing.entries.retain(|e| !clashing.contains(&e.path));
    Ok(listing)
}

/// Every name in a zip's central directory, duplicates included, read
/// straight from the file (the zip crate folds duplicates together).
/// `None` for zip64 archives or a directory that cannot be walked.
pub(crate) fn central_names(path: &Path) -> Option<Vec<Vec<u8>>> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    // The end-of-central-directory record is 22 bytes plus a comment of up to 64 KiB.
    let tail_len = len.min(22 + 65_535);
    file.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; usize::try_from(tail_len).ok()?];
    file.read_exact(&mut tail).ok()?;
    let eocd = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let record = tail.get(eocd..eocd + 22)?;
    let u16_at = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let count = u16_at(record, 10);
    let size = u32_at(record, 12);
    let offset = u32_at(record, 16);
    if count == u16::MAX || size == u32::MAX || offset == u32::MAX {
        return None; // zip64
    }
    // Bound the read: a directory cannot be bigger than the file.
    if u64::from(size) > len {
        return None;
    }
    file.seek(SeekFrom::Start(u64::from(offset))).ok()?;
    let mut directory = vec![0u8; size as usize];
    file.read_exact(&mut directory).ok()?;
    let mut names = Vec::with_capacity(usize::from(count));
    let mut at = 0usize;
    while names.len() < usize::from(count) {
        let header = directory.get(at..at + 46)?;
        if &header[..4] != b"PK\x01\x02" {
            return None;
        }
        let name_len = usize::from(u16_at(header, 28));
        let extra_len = usize::from(u16_at(header, 30));
        let comment_len = usize::from(u16_at(header, 32));
        names.push(directory.get(at + 46..at + 46 + name_len)?.to_vec());
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

fn list_folder(root: &Path) -> Listing {
    let mut listing = Listing::default();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name();
    for item in walker {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map_or_else(|| "?".into(), |p| p.display().to_string());
                listing.problems.push(Problem {
                    path,
                    reason: format!(
                        "cannot be read: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    ),
                });
                continue;
            }
        };
        let Ok(relative) = item.path().strip_prefix(root) else {
            continue;
        };
        if relative.as_os_str().is_empty() {
            continue;
        }
        let Some(path) = relative_name(relative) else {
            listing.problems.push(Problem {
                path: relative.display().to_string(),
                reason: "name is not UTF-8".into(),
            });
            continue;
        };
        let file_type = item.file_type();
        if file_type.is_dir() {
            continue;
        }
        let size = if file_type.is_symlink() {
            // Followed only when it stays inside the bundle and is a file.
            match item.path().canonicalize() {
                Ok(target) if target.starts_with(root) && target.is_file() => {
                    std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0)
                }
                Ok(target) if !target.starts_with(root) => {
                    listing.problems.push(Problem {
                        path,
                        reason: "symbolic link pointing outside the bundle; not followed".into(),
                    });
                    continue;
                }
                _ => {
                    listing.problems.push(Problem {
                        path,
                        reason: "symbolic link to nothing readable; not followed".into(),
                    });
                    continue;
                }
            }
        } else if file_type.is_file() {
            match item.metadata() {
                Ok(m) => m.len(),
                Err(e) => {
                    listing.problems.push(Problem {
                        path,
                        reason: format!("cannot be read: {e}"),
                    });
                    continue;
                }
            }
        } else {
            listing.problems.push(Problem {
                path,
                reason: "not a regular file (device, socket or pipe); not read".into(),
            });
            continue;
        };
        if File::open(item.path()).is_err() {
            listing.problems.push(Problem {
                path,
                reason: "cannot be opened (permissions?)".into(),
            });
            continue;
        }
        listing.entries.push(Entry {
            kind: FileKind::of(&path),
            path,
            size,
            zip_index: None,
        });
    }
    listing
}

/// `a/b/c.txt` from a relative path, if every part is UTF-8.
fn relative_name(relative: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in relative.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?.to_string()),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_names_are_cleaned_or_refused() {
        assert_eq!(clean_zip_name(b"a/./b.txt").unwrap(), "a/b.txt");
        for (raw, why) in [
            (&b"../etc/passwd"[..], "'..'"),
            (b"a/../../x", "'..'"),
            (b"/etc/shadow", "absolute"),
            (b"C:/Windows/x", "drive letter"),
            (b"dir\\file.txt", "backslash"),
            (b"\xff\xfe.txt", "UTF-8"),
            (b"", "empty"),
        ] {
            let err = clean_zip_name(raw).unwrap_err();
            assert!(err.contains(why), "{raw:?}: {err}");
        }
    }

    #[test]
    fn names_that_clean_to_the_same_path_are_all_refused() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.zip");
        let mut writer = zip::ZipWriter::new(File::create(&path).unwrap());
        for (name, text) in [
            ("a/b.txt", "one"),
            ("a/./b.txt", "two"),
            ("./a/b.txt", "three"),
            ("ok.txt", "fine"),
        ] {
            writer
                .start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap();
        let listing = Bundle::open(&path).unwrap().list().unwrap();
        let paths: Vec<&str> = listing.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["ok.txt"]);
        assert_eq!(listing.problems.len(), 2, "{:?}", listing.problems);
    }

    #[test]
    fn size_guard_stops_an_overrun() {
        let data = [7u8; 100];
        let mut guard = SizeGuard {
            inner: &data[..],
            left: 10,
        };
        let mut out = Vec::new();
        let err = guard.read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().contains("declared size"));
        let mut exact = SizeGuard {
            inner: &data[..10],
            left: 10,
        };
        out.clear();
        assert_eq!(exact.read_to_end(&mut out).unwrap(), 10);
    }
}
