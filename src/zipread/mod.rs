//! A zip reader of our own, for files from outside (evidence bundles and
//! received reports). It reads the directory exactly as written, keeps every
//! name a reader could give an entry (the raw central name, the local
//! header's name, an Info-ZIP Unicode Path extra field), and reports what
//! the zip crate would quietly smooth over: duplicate or ambiguous end
//! records, data before the first entry, overlapping entries, local headers
//! that disagree with the directory. Everything it allocates is bounded by
//! the file's size and the limits below; entry data is inflated lazily, held
//! to its declared size and checked against its CRC-32.

use std::io::{self, Read, Seek, SeekFrom};

mod entry;
pub use entry::EntryReader;

/// A central directory bigger than this is refused unread (64 MiB).
pub const MAX_DIRECTORY: u64 = 64 << 20;
/// More entries than this are refused.
pub const MAX_ENTRIES: u64 = 500_000;

const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;
/// The zip64 extended-information extra field.
pub const ZIP64_EXTRA: u16 = 0x0001;
/// Info-ZIP's Unicode Path extra field: a second name for the entry.
pub const UNICODE_PATH_EXTRA: u16 = 0x7075;

/// Why the zip's directory cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("no end-of-central-directory record (not a zip, or cut short)")]
    NoEnd,
    #[error(
        "{0} end-of-central-directory records could be the real one (a forged record hidden in the comment?)"
    )]
    SeveralEnds(usize),
    #[error("the zip spans several disks")]
    MultiDisk,
    #[error("the zip64 end record is missing or damaged")]
    BadZip64,
    #[error(
        "the central directory is not where the end record says (data before the zip, or a damaged file)"
    )]
    Misplaced,
    #[error("the central directory is {0} bytes, more than fieldaudit reads ({MAX_DIRECTORY})")]
    DirectoryTooBig(u64),
    #[error("the end record lists {0} entries, more than fieldaudit reads ({MAX_ENTRIES})")]
    TooManyEntries(u64),
    #[error("central directory entry #{index} is damaged: {why}")]
    BadEntry { index: usize, why: &'static str },
    #[error("the end record lists {listed} entries but the directory holds {found}")]
    CountMismatch { listed: u64, found: u64 },
}

/// What an entry's local header says (before its data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    pub name: Vec<u8>,
    /// The zip version a reader needs to extract the entry (20 for 2.0).
    pub version_needed: u16,
    pub flags: u16,
    pub method: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub size: u64,
    pub extra_ids: Vec<u16>,
    pub unicode_path: Option<Vec<u8>>,
}

/// One central-directory entry, with its local header if it could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in the central directory.
    pub index: usize,
    /// The raw name in the central directory.
    pub name: Vec<u8>,
    pub made_by: u16,
    /// The zip version a reader needs to extract the entry (20 for 2.0).
    pub version_needed: u16,
    pub flags: u16,
    pub method: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub size: u64,
    pub disk: u32,
    pub external_attrs: u32,
    pub comment_len: u16,
    pub header_offset: u64,
    /// Ids of the central extra fields, in order.
    pub extra_ids: Vec<u16>,
    /// The name in a Unicode Path extra field (central), if any.
    pub unicode_path: Option<Vec<u8>>,
    /// The local header, or why it could not be read.
    pub local: Result<Local, &'static str>,
    /// Where the entry's data starts (after the local header); 0 if unknown.
    pub data_offset: u64,
}

impl Entry {
    /// Where the entry's stored bytes end.
    pub fn data_end(&self) -> u64 {
        self.data_offset.saturating_add(self.compressed_size)
    }

    pub fn utf8_flag(&self) -> bool {
        self.flags & 0x0800 != 0
    }

    pub fn encrypted(&self) -> bool {
        self.flags & 0x0041 != 0
    }

    /// Unix mode bits, when the entry was made on Unix.
    pub fn unix_mode(&self) -> Option<u32> {
        (self.made_by >> 8 == 3).then_some(self.external_attrs >> 16)
    }

    pub fn is_symlink(&self) -> bool {
        self.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000)
    }

    /// Every name a reader could give this entry: the central name, the
    /// local header's, and any Unicode Path name, each once.
    pub fn readings(&self) -> Vec<&[u8]> {
        let local = self.local.as_ref().ok();
        let candidates = [
            Some(self.name.as_slice()),
            self.unicode_path.as_deref(),
            local.map(|l| l.name.as_slice()),
            local.and_then(|l| l.unicode_path.as_deref()),
        ];
        let mut names: Vec<&[u8]> = Vec::new();
        for n in candidates.into_iter().flatten() {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    }

    /// What differs between the local header and the directory (name,
    /// flags, method, sizes, CRC); sizes and CRC may be zero in the local
    /// header when a data descriptor follows the data.
    pub fn local_mismatches(&self) -> Vec<&'static str> {
        let Ok(local) = &self.local else {
            return vec!["local header"];
        };
        let deferred = self.flags & 0x0008 != 0;
        let mut out = Vec::new();
        if local.name != self.name {
            out.push("name");
        }
        if local.flags != self.flags {
            out.push("flags");
        }
        if local.method != self.method {
            out.push("compression method");
        }
        let zero_ok = |l: u64, c: u64| l == c || (deferred && l == 0);
        if !zero_ok(u64::from(local.crc32), u64::from(self.crc32)) {
            out.push("CRC-32");
        }
        if !zero_ok(local.compressed_size, self.compressed_size) {
            out.push("compressed size");
        }
        if !zero_ok(local.size, self.size) {
            out.push("size");
        }
        if local.unicode_path != self.unicode_path {
            out.push("Unicode Path name");
        }
        out
    }
}

/// A zip's directory as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    pub entries: Vec<Entry>,
    pub file_len: u64,
    pub directory_offset: u64,
    pub directory_size: u64,
    /// Where the (zip64 or classic) end record starts.
    pub end_offset: u64,
    pub comment: Vec<u8>,
    pub zip64: bool,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

fn read_at<R: Read + Seek>(r: &mut R, at: u64, len: usize) -> io::Result<Vec<u8>> {
    r.seek(SeekFrom::Start(at))?;
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

/// Extra fields: `(id, payload)` pairs; `None` if they do not add up.
fn extra_fields(extra: &[u8]) -> Option<Vec<(u16, &[u8])>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < extra.len() {
        let head = extra.get(at..at + 4)?;
        let (id, len) = (u16_at(head, 0), usize::from(u16_at(head, 2)));
        out.push((id, extra.get(at + 4..at + 4 + len)?));
        at += 4 + len;
    }
    Some(out)
}

/// The name of a Unicode Path field (version 1, CRC of the raw name, name).
fn unicode_path(payload: &[u8]) -> Vec<u8> {
    payload.get(5..).unwrap_or_default().to_vec()
}

/// The values a zip64 field replaces, in the order the spec gives.
struct Zip64<'a>(&'a [u8]);
impl Zip64<'_> {
    fn take(&mut self, wanted: bool, current: u64) -> Result<u64, &'static str> {
        if !wanted {
            return Ok(current);
        }
        let v = self.0.get(..8).ok_or("zip64 field too short")?;
        let v = u64_at(v, 0);
        self.0 = &self.0[8..];
        Ok(v)
    }
}

impl Archive {
    /// Read a zip's directory and every local header.
    pub fn read<R: Read + Seek>(r: &mut R) -> Result<Archive, ZipError> {
        let file_len = r.seek(SeekFrom::End(0))?;
        let tail_len = file_len.min(22 + 65_535);
        let tail_start = file_len - tail_len;
        let tail = read_at(r, tail_start, tail_len as usize)?;
        // Every record whose comment reaches exactly to the end of the file
        // could be the real end: more than one is an ambiguity that readers
        // resolve differently.
        let candidates: Vec<usize> = (0..tail.len().saturating_sub(21))
            .filter(|&i| {
                u32_at(&tail, i) == EOCD_SIG
                    && i + 22 + usize::from(u16_at(&tail, i + 20)) == tail.len()
            })
            .collect();
        let eocd = match candidates.as_slice() {
            [] => return Err(ZipError::NoEnd),
            [one] => *one,
            many => return Err(ZipError::SeveralEnds(many.len())),
        };
        let rec = &tail[eocd..eocd + 22];
        let eocd_offset = tail_start + eocd as u64;
        let comment = tail[eocd + 22..].to_vec();
        if u16_at(rec, 4) != 0 || u16_at(rec, 6) != 0 || u16_at(rec, 8) != u16_at(rec, 10) {
            return Err(ZipError::MultiDisk);
        }
        let mut count = u64::from(u16_at(rec, 10));
        let mut size = u64::from(u32_at(rec, 12));
        let mut offset = u64::from(u32_at(rec, 16));
        let mut end_offset = eocd_offset;
        let zip64 = count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF;
        if zip64 {
            let loc_at = eocd_offset.checked_sub(20).ok_or(ZipError::BadZip64)?;
            let loc = read_at(r, loc_at, 20).map_err(|_| ZipError::BadZip64)?;
            if u32_at(&loc, 0) != ZIP64_LOCATOR_SIG {
                return Err(ZipError::BadZip64);
            }
            if u32_at(&loc, 4) != 0 || u32_at(&loc, 16) > 1 {
                return Err(ZipError::MultiDisk);
            }
            let rec64_at = u64_at(&loc, 8);
            // The zip64 record sits right before its locator (no extensible data).
            if rec64_at.checked_add(56) != Some(loc_at) {
                return Err(ZipError::BadZip64);
            }
            let rec64 = read_at(r, rec64_at, 56).map_err(|_| ZipError::BadZip64)?;
            if u32_at(&rec64, 0) != ZIP64_EOCD_SIG || u64_at(&rec64, 4) != 44 {
                return Err(ZipError::BadZip64);
            }
            if u32_at(&rec64, 16) != 0 || u32_at(&rec64, 20) != 0 {
                return Err(ZipError::MultiDisk);
            }
            if u64_at(&rec64, 24) != u64_at(&rec64, 32) {
                return Err(ZipError::MultiDisk);
            }
            count = u64_at(&rec64, 32);
            size = u64_at(&rec64, 40);
            offset = u64_at(&rec64, 48);
            end_offset = rec64_at;
        }
        if size > MAX_DIRECTORY {
            return Err(ZipError::DirectoryTooBig(size));
        }
        if count > MAX_ENTRIES {
            return Err(ZipError::TooManyEntries(count));
        }
        // The directory ends exactly where the end record starts: offsets
        // are then absolute, with no guessing about prepended data.
        if offset.checked_add(size) != Some(end_offset) {
            return Err(ZipError::Misplaced);
        }
        if count.saturating_mul(46) > size {
            return Err(ZipError::CountMismatch {
                listed: count,
                found: size / 46,
            });
        }
        let dir = read_at(r, offset, size as usize)?;
        let mut entries = Vec::with_capacity(count as usize);
        let mut at = 0usize;
        while at < dir.len() {
            let index = entries.len();
            let bad = |why| ZipError::BadEntry { index, why };
            let head = dir.get(at..at + 46).ok_or(bad("cut short"))?;
            if u32_at(head, 0) != CENTRAL_SIG {
                return Err(bad("no header signature"));
            }
            let name_len = usize::from(u16_at(head, 28));
            let extra_len = usize::from(u16_at(head, 30));
            let comment_len = u16_at(head, 32);
            let name_end = at + 46 + name_len;
            let extra_end = name_end + extra_len;
            let next = extra_end + usize::from(comment_len);
            let name = dir.get(at + 46..name_end).ok_or(bad("name cut short"))?;
            let extra = dir
                .get(name_end..extra_end)
                .ok_or(bad("extra field cut short"))?;
            if next > dir.len() {
                return Err(bad("comment cut short"));
            }
            let fields = extra_fields(extra).ok_or(bad("extra fields do not add up"))?;
            let mut csize = u64::from(u32_at(head, 20));
            let mut usize_ = u64::from(u32_at(head, 24));
            let mut disk = u32::from(u16_at(head, 34));
            let mut header_offset = u64::from(u32_at(head, 42));
            let mut unicode = None;
            for (id, payload) in &fields {
                match *id {
                    ZIP64_EXTRA => {
                        let mut z = Zip64(payload);
                        usize_ = z.take(usize_ == 0xFFFF_FFFF, usize_).map_err(bad)?;
                        csize = z.take(csize == 0xFFFF_FFFF, csize).map_err(bad)?;
                        header_offset = z
                            .take(header_offset == 0xFFFF_FFFF, header_offset)
                            .map_err(bad)?;
                        if disk == 0xFFFF {
                            let d = z.0.get(..4).ok_or(bad("zip64 field too short"))?;
                            disk = u32_at(d, 0);
                        }
                    }
                    UNICODE_PATH_EXTRA => unicode = Some(unicode_path(payload)),
                    _ => {}
                }
            }
            let mut entry = Entry {
                index,
                name: name.to_vec(),
                made_by: u16_at(head, 4),
                version_needed: u16_at(head, 6),
                flags: u16_at(head, 8),
                method: u16_at(head, 10),
                crc32: u32_at(head, 16),
                compressed_size: csize,
                size: usize_,
                disk,
                external_attrs: u32_at(head, 38),
                comment_len,
                header_offset,
                extra_ids: fields.iter().map(|(id, _)| *id).collect(),
                unicode_path: unicode,
                local: Err("not read"),
                data_offset: 0,
            };
            read_local(r, &mut entry, offset);
            entries.push(entry);
            at = next;
        }
        if entries.len() as u64 != count {
            return Err(ZipError::CountMismatch {
                listed: count,
                found: entries.len() as u64,
            });
        }
        Ok(Archive {
            entries,
            file_len,
            directory_offset: offset,
            directory_size: size,
            end_offset,
            comment,
            zip64,
        })
    }

    /// Pairs of entries whose bytes (local header to end of data) overlap,
    /// or that reach into the central directory.
    pub fn overlapping(&self) -> Vec<usize> {
        let mut spans: Vec<(u64, u64, usize)> = self
            .entries
            .iter()
            .map(|e| {
                (
                    e.header_offset,
                    e.data_end().max(e.header_offset.saturating_add(30)),
                    e.index,
                )
            })
            .collect();
        spans.sort_unstable();
        let mut bad = vec![false; self.entries.len()];
        let mut reach: Option<(u64, usize)> = None;
        for &(start, end, index) in &spans {
            if end > self.directory_offset {
                bad[index] = true;
            }
            if let Some((far, owner)) = reach
                && start < far
            {
                bad[index] = true;
                bad[owner] = true;
            }
            if reach.is_none_or(|(far, _)| end > far) {
                reach = Some((end, index));
            }
        }
        (0..bad.len()).filter(|&i| bad[i]).collect()
    }

    /// Stream an entry's bytes, inflated, held to the declared size and
    /// checked against the CRC-32 at the end.
    pub fn reader<'r, R: Read + Seek>(
        &self,
        source: &'r mut R,
        entry: &Entry,
    ) -> io::Result<EntryReader<'r, R>> {
        EntryReader::new(source, entry)
    }
}

fn read_local<R: Read + Seek>(r: &mut R, entry: &mut Entry, directory: u64) {
    let at = entry.header_offset;
    let Some(fixed_end) = at.checked_add(30).filter(|e| *e <= directory) else {
        entry.local = Err("local header outside the entries");
        return;
    };
    let Ok(head) = read_at(r, at, 30) else {
        entry.local = Err("local header cut short");
        return;
    };
    if u32_at(&head, 0) != LOCAL_SIG {
        entry.local = Err("no local header where the directory points");
        return;
    }
    let name_len = u64::from(u16_at(&head, 26));
    let extra_len = u64::from(u16_at(&head, 28));
    let data_offset = fixed_end + name_len + extra_len;
    if data_offset > directory {
        entry.local = Err("local header runs into the directory");
        return;
    }
    let Ok(rest) = read_at(r, fixed_end, (name_len + extra_len) as usize) else {
        entry.local = Err("local header cut short");
        return;
    };
    let (name, extra) = rest.split_at(name_len as usize);
    let Some(fields) = extra_fields(extra) else {
        entry.local = Err("local extra fields do not add up");
        return;
    };
    let mut csize = u64::from(u32_at(&head, 18));
    let mut size = u64::from(u32_at(&head, 22));
    let mut unicode = None;
    for (id, payload) in &fields {
        match *id {
            // In a local header the zip64 field holds both sizes.
            ZIP64_EXTRA if payload.len() >= 16 && (csize == 0xFFFF_FFFF || size == 0xFFFF_FFFF) => {
                size = u64_at(payload, 0);
                csize = u64_at(payload, 8);
            }
            UNICODE_PATH_EXTRA => unicode = Some(unicode_path(payload)),
            _ => {}
        }
    }
    entry.data_offset = data_offset;
    entry.local = Ok(Local {
        name: name.to_vec(),
        version_needed: u16_at(&head, 4),
        flags: u16_at(&head, 6),
        method: u16_at(&head, 8),
        crc32: u32_at(&head, 14),
        compressed_size: csize,
        size,
        extra_ids: fields.iter().map(|(id, _)| *id).collect(),
        unicode_path: unicode,
    });
}

#[cfg(test)]
mod tests;
