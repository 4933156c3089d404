//! A bundle is a folder or a .zip handed over by the auditee. It is opened
//! read-only: entries are listed, streamed for hashing and previews, and
//! never extracted or written.
//!
//! Entries that could be used to escape the bundle or exhaust the machine
//! (`..`, absolute paths, drive letters, backslashes, symlinks, duplicate or
//! non-UTF-8 names, encrypted entries, sizes beyond a sane bound) are listed
//! as [`Problem`]s and never read. Zips are read with our own reader
//! ([`crate::zipread`]); which of their entries may be read is decided in
//! [`super::zip_listing`].

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use super::preview::FileKind;
use super::window::Window;
use crate::text::shown_bytes;
use crate::zipread::Archive;

/// Entries declared bigger than this are not read (16 GiB).
pub const MAX_ENTRY_SIZE: u64 = 16 << 30;
/// Zip entries that claim to expand more than this many times are not read.
pub const MAX_RATIO: u64 = 1000;

/// Why a bundle cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{}: cannot open the evidence bundle: {source}", path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error("{}: not a readable zip archive: {reason}; ask the auditee for a fresh copy (a plain zip, nothing before or after it)", path.display())]
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

impl Entry {
    /// An entry of a zip bundle, at `index` in its central directory.
    pub(super) fn in_zip(path: String, size: u64, index: usize) -> Entry {
        Entry {
            kind: FileKind::of(&path),
            path,
            size,
            zip_index: Some(index),
        }
    }
}

/// Something in the bundle that is listed but never read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The name as found (lossy UTF-8, control characters escaped), for the message.
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
        // Names reach the terminal in warnings: never with raw control characters.
        for p in &mut listing.problems {
            p.path = shown_bytes(p.path.as_bytes());
        }
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
                let (file, archive) = open_zip(path)?;
                Ok(Session {
                    bundle: self.clone(),
                    zip: Some((file, archive)),
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
    zip: Option<(File, Archive)>,
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
            (Some((file, archive)), Some(index)) => {
                // The directory is read again for the session: if the zip
                // changed since it was listed, the entry must still be the
                // one listed, and is read to no more than its listed size.
                let zipped = archive
                    .entries
                    .get(index)
                    .filter(|z| {
                        z.size == entry.size
                            && clean_zip_name(&z.name).is_ok_and(|clean| clean == entry.path)
                    })
                    .ok_or_else(|| {
                        fail("the zip changed since it was listed; list it again".into())
                    })?;
                let mut reader = archive
                    .reader(file, zipped)
                    .map_err(|e| fail(e.to_string()))?;
                read(&mut reader).map_err(|e| fail(e.to_string()))
            }
            (Some(_), None) => Err(fail("not an entry of this zip".into())),
        }
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
    let (_, archive) = open_zip(path)?;
    Ok(super::zip_listing::listing_of(&archive))
}

/// Open a zip and read its directory with our own reader.
fn open_zip(path: &Path) -> Result<(File, Archive), BundleError> {
    let file = File::open(path).map_err(|source| BundleError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut window = Window::new(file);
    let archive = Archive::read(&mut window).map_err(|e| BundleError::BadZip {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok((window.into_inner(), archive))
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

/// Zips built byte by byte, shared with the integration tests.
#[cfg(test)]
#[path = "../../tests/common/craft.rs"]
mod craft;

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
        // Every copy is refused with a warning, the first one too.
        assert_eq!(listing.problems.len(), 3, "{:?}", listing.problems);
        assert!(
            listing
                .problems
                .iter()
                .all(|p| p.reason.contains("'a/b.txt' appears 3 times")),
            "{:?}",
            listing.problems
        );
    }

    use craft::{Item, Zip, unicode_path};

    /// List a zip built byte by byte.
    fn list(zip: &Zip) -> Listing {
        try_list(zip).unwrap()
    }

    fn try_list(zip: &Zip) -> Result<Listing, BundleError> {
        try_list_bytes(&zip.build())
    }

    fn try_list_bytes(bytes: &[u8]) -> Result<Listing, BundleError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        std::fs::write(&path, bytes).unwrap();
        Bundle::open(&path)?.list()
    }

    fn paths(listing: &Listing) -> Vec<&str> {
        listing.entries.iter().map(|e| e.path.as_str()).collect()
    }

    /// The reason given for `name`, which must be refused.
    fn reason<'a>(listing: &'a Listing, name: &str) -> &'a str {
        let found: Vec<&Problem> = listing.problems.iter().filter(|p| p.path == name).collect();
        assert_eq!(found.len(), 1, "{name}: {:?}", listing.problems);
        &found[0].reason
    }

    #[test]
    fn entries_sharing_one_compressed_block_are_all_refused() {
        let mut items = vec![Item::new("good.txt", "fine")];
        let mut block = Item::new("block.bin", vec![0u8; 1 << 20]);
        block.deflate = true;
        items.push(block);
        for i in 0..50 {
            let mut copy = Item::new(format!("copy-{i:02}.bin"), vec![0u8; 1 << 20]);
            copy.deflate = true;
            copy.share_with = Some(1);
            items.push(copy);
        }
        let listing = list(&Zip::of(items));
        assert_eq!(paths(&listing), ["good.txt"]);
        assert_eq!(listing.problems.len(), 51, "{:?}", listing.problems);
        assert!(reason(&listing, "block.bin").contains("overlap another entry"));
        let copy = reason(&listing, "copy-07.bin");
        assert!(copy.contains("overlap another entry"), "{copy}");
        assert!(
            copy.contains("its local header disagrees with the central directory (name"),
            "{copy}"
        );
        assert!(copy.contains("can also be read as 'block.bin'"), "{copy}");
    }

    #[test]
    fn a_local_header_naming_another_file_is_refused() {
        let mut decoy = Item::new("policy.txt", "TAMPERED copy");
        decoy.local_name = Some(b"policy-v2.txt".to_vec());
        let listing = list(&Zip::of(vec![decoy, Item::new("good.txt", "fine")]));
        assert_eq!(paths(&listing), ["good.txt"]);
        let why = reason(&listing, "policy.txt");
        assert!(
            why.contains("local header disagrees with the central directory (name)"),
            "{why}"
        );
        assert!(why.contains("can also be read as 'policy-v2.txt'"), "{why}");
    }

    #[test]
    fn a_name_read_two_ways_is_refused_and_so_is_every_copy_it_shadows() {
        for utf8_flag in [None, Some(0x0800)] {
            let mut decoy = Item::new("notes.txt", "TAMPERED copy")
                .with_extra(unicode_path(b"notes.txt", b"policy.txt"));
            decoy.flags = utf8_flag;
            let listing = list(&Zip::of(vec![
                decoy,
                Item::new("policy.txt", "the approved policy"),
                Item::new("good.txt", "fine"),
            ]));
            assert_eq!(paths(&listing), ["good.txt"], "flags {utf8_flag:?}");
            let why = reason(&listing, "notes.txt");
            assert!(why.contains("can also be read as 'policy.txt'"), "{why}");
            let why = reason(&listing, "policy.txt");
            assert!(why.contains("'policy.txt' appears 2 times"), "{why}");
        }
    }

    #[test]
    fn duplicates_count_letter_case_and_unicode_forms() {
        let listing = list(&Zip::of(vec![
            Item::new("Policy.txt", "one"),
            Item::new("policy.TXT", "two"),
            Item::new("caf\u{e9}.txt", "composed"),
            Item::new("cafe\u{301}.txt", "decomposed"),
            Item::new("good.txt", "fine"),
        ]));
        assert_eq!(paths(&listing), ["good.txt"]);
        assert_eq!(listing.problems.len(), 4, "{:?}", listing.problems);
        assert!(reason(&listing, "Policy.txt").contains("'policy.txt' appears 2 times"));
        assert!(reason(&listing, "caf\u{e9}.txt").contains("appears 2 times"));
    }

    #[test]
    fn the_whole_bundle_expands_only_within_its_budget() {
        // Three entries that each expand 900×, under the per-entry limit,
        // declaring 900 MiB apiece: the first fits the 1 GiB floor, the
        // others would take the bundle past it. Nothing is read to decide.
        let mut items = vec![Item::new("good.txt", "fine")];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..1 << 20)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        for i in 0..3 {
            let mut big = Item::new(format!("big-{i}.log"), &noise);
            big.deflate = true;
            big.declared_size = Some(900 << 20);
            items.push(big);
        }
        let listing = list(&Zip::of(items));
        assert_eq!(paths(&listing), ["big-0.log", "good.txt"]);
        for name in ["big-1.log", "big-2.log"] {
            let why = reason(&listing, name);
            assert!(
                why.contains("the bundle would expand past 1.00 GiB (100× its"),
                "{why}"
            );
        }
        assert!(listing.total_bytes() <= crate::evidence::zip_listing::expansion_budget(0));
    }

    #[test]
    fn names_in_problems_show_control_characters_escaped() {
        let listing = list(&Zip::of(vec![
            Item::new("../\u{1b}[2J\u{1b}]0;owned\u{7}.txt", "x"),
            Item::new("a\u{9b}31m.txt", "y"),
            Item::new("a\u{9b}31m.txt", "z"),
            Item::new("title-\u{1b}]0;x\u{7}.txt", "a safe path, a hostile name"),
        ]));
        assert!(listing.entries.is_empty());
        assert_eq!(listing.problems.len(), 4, "{:?}", listing.problems);
        assert_eq!(
            reason(&listing, "title-\\x1b]0;x\\x07.txt"),
            "the name holds control characters"
        );
        for p in &listing.problems {
            assert!(!p.path.chars().any(char::is_control), "{:?}", p.path);
            assert!(!p.reason.chars().any(char::is_control), "{:?}", p.reason);
        }
        let why = reason(&listing, "../\\x1b[2J\\x1b]0;owned\\x07.txt");
        assert!(why.contains("'..'"), "{why}");
        let twins: Vec<&Problem> = listing
            .problems
            .iter()
            .filter(|p| p.path == "a\\u{9b}31m.txt")
            .collect();
        assert_eq!(twins.len(), 2, "{:?}", listing.problems);
        assert!(twins.iter().all(|p| p.reason.contains("appears 2 times")));
    }

    #[test]
    fn a_directory_that_cannot_be_read_is_an_error_naming_the_file() {
        let good = Zip::of(vec![Item::new("good.txt", "fine")]).build();
        let two_ends = Zip {
            fake_end_in_comment: true,
            ..Zip::of(vec![Item::new("good.txt", "fine")])
        }
        .build();
        // Bytes put in front without moving the offsets: the directory is
        // not where the end record says.
        let shifted = [b"junk in front".as_slice(), &good].concat();
        for (bytes, why) in [
            (
                two_ends,
                "end-of-central-directory records could be the real one",
            ),
            (
                shifted,
                "the central directory is not where the end record says",
            ),
            (
                good[..good.len() - 10].to_vec(),
                "no end-of-central-directory record",
            ),
        ] {
            let err = try_list_bytes(&bytes).unwrap_err().to_string();
            assert!(err.contains(why), "{err}");
            assert!(
                err.contains("bundle.zip: not a readable zip archive: ")
                    && err.contains("ask the auditee for a fresh copy"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_zip64_offset_at_the_end_of_the_address_space_is_refused_not_a_panic() {
        let item = Item::new("a.txt", "abc")
            .with_extra(craft::extra_field(0x0001, &(u64::MAX - 5).to_le_bytes()));
        let mut bytes = Zip::of(vec![item]).build();
        // The central record's offset says "see the zip64 field".
        let at = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bytes[at + 42..at + 46].copy_from_slice(&[0xff; 4]);
        let listing = try_list_bytes(&bytes).unwrap();
        assert!(listing.entries.is_empty());
        assert!(
            reason(&listing, "a.txt").contains("its local header cannot be read"),
            "{:?}",
            listing.problems
        );
    }

    #[test]
    fn the_listed_entries_read_back_with_their_bytes() {
        let mut deflated = Item::new("logs/a.log", "line\n".repeat(10_000));
        deflated.deflate = true;
        let zip = Zip::of(vec![deflated, Item::new("b.txt", "stored")]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        std::fs::write(&path, zip.build()).unwrap();
        let bundle = Bundle::open(&path).unwrap();
        let listing = bundle.list().unwrap();
        let mut session = bundle.session().unwrap();
        for (name, want) in [
            ("logs/a.log", "line\n".repeat(10_000)),
            ("b.txt", "stored".into()),
        ] {
            let entry = listing.get(name).unwrap();
            let got = session
                .read(entry, |r| {
                    let mut out = String::new();
                    r.read_to_string(&mut out)?;
                    Ok(out)
                })
                .unwrap();
            assert_eq!(got, want);
        }
    }
}
