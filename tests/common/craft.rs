//! Zips built byte by byte, for forged reports and hostile bundles: every
//! field a forger controls can be set, and by default an entry has exactly
//! the shape `fieldaudit pack` writes (stored or deflated, no extra field,
//! 0644 made on Unix, the UTF-8 flag exactly on non-ASCII names, back to
//! back from byte 0, no comment).
#![allow(dead_code)]

use std::io::Write;

use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct Item {
    /// The name in the central directory.
    pub name: Vec<u8>,
    /// The name in the local header, if different.
    pub local_name: Option<Vec<u8>>,
    pub data: Vec<u8>,
    pub deflate: bool,
    /// General-purpose flags; `None` for the UTF-8 flag on non-ASCII names.
    pub flags: Option<u16>,
    /// Extra fields written in both headers.
    pub extra: Vec<u8>,
    /// Unix mode, `0o100644` by default.
    pub mode: u32,
    /// Point this central record at an earlier item's local header
    /// (overlapping entries); the item's own local header is not written.
    pub share_with: Option<usize>,
    /// Leave this item out of the central directory (only its local header
    /// and data are written).
    pub hidden: bool,
    /// The uncompressed size written in both headers, if not the data's own
    /// (an entry that lies about its size).
    pub declared_size: Option<u32>,
    /// "Version needed to extract" in both headers (20: zip 2.0).
    pub version_needed: u16,
}

impl Item {
    pub fn new(name: impl AsRef<[u8]>, data: impl AsRef<[u8]>) -> Item {
        Item {
            name: name.as_ref().to_vec(),
            local_name: None,
            data: data.as_ref().to_vec(),
            deflate: false,
            flags: None,
            extra: Vec::new(),
            mode: 0o100644,
            share_with: None,
            hidden: false,
            version_needed: 20,
            declared_size: None,
        }
    }

    pub fn with_extra(mut self, extra: Vec<u8>) -> Item {
        self.extra.extend(extra);
        self
    }

    fn size(&self) -> u32 {
        self.declared_size.unwrap_or(self.data.len() as u32)
    }

    fn flags(&self) -> u16 {
        self.flags
            .unwrap_or(if self.name.is_ascii() { 0 } else { 0x0800 })
    }

    fn stored(&self) -> Vec<u8> {
        if self.deflate {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(&self.data).unwrap();
            e.finish().unwrap()
        } else {
            self.data.clone()
        }
    }
}

/// An Info-ZIP Unicode Path extra field giving `name` as the entry's name.
pub fn unicode_path(raw_name: &[u8], name: &[u8]) -> Vec<u8> {
    let mut payload = vec![1u8];
    payload.extend(crc32fast::hash(raw_name).to_le_bytes());
    payload.extend(name);
    extra_field(0x7075, &payload)
}

pub fn extra_field(id: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = id.to_le_bytes().to_vec();
    out.extend((payload.len() as u16).to_le_bytes());
    out.extend(payload);
    out
}

#[derive(Debug, Clone, Default)]
pub struct Zip {
    pub items: Vec<Item>,
    /// Bytes before the first entry.
    pub prefix: Vec<u8>,
    pub comment: Vec<u8>,
    /// Write a second, plausible end record inside the comment.
    pub fake_end_in_comment: bool,
    /// End with zip64 records (a zip64 end record and its locator before
    /// a classic end record whose fields point to them).
    pub zip64_end: bool,
}

impl Zip {
    pub fn of(items: Vec<Item>) -> Zip {
        Zip {
            items,
            ..Zip::default()
        }
    }

    pub fn build(&self) -> Vec<u8> {
        let mut out = self.prefix.clone();
        let mut locals: Vec<(u64, u32, u64)> = Vec::new();
        for item in &self.items {
            let offset = out.len() as u64;
            // An item sharing the bytes of an earlier one with the same data
            // packs to the same CRC and size: computed once, so that a bomb
            // of a thousand entries builds quickly.
            let same_as = item
                .share_with
                .and_then(|j| self.items.get(j))
                .filter(|earlier| earlier.data == item.data && earlier.deflate == item.deflate);
            if let (Some(j), Some(_)) = (item.share_with, same_as)
                && let Some(&(_, crc, stored_len)) = locals.get(j)
            {
                locals.push((offset, crc, stored_len));
                continue;
            }
            let stored = item.stored();
            let crc = crc32fast::hash(&item.data);
            locals.push((offset, crc, stored.len() as u64));
            if item.share_with.is_some() {
                continue;
            }
            let name = item.local_name.as_ref().unwrap_or(&item.name);
            out.extend(0x0403_4b50u32.to_le_bytes());
            out.extend(item.version_needed.to_le_bytes());
            out.extend(item.flags().to_le_bytes());
            out.extend((if item.deflate { 8u16 } else { 0 }).to_le_bytes());
            out.extend(0u16.to_le_bytes()); // time
            out.extend(0x21u16.to_le_bytes()); // date: 1980-01-01
            out.extend(crc.to_le_bytes());
            out.extend((stored.len() as u32).to_le_bytes());
            out.extend(item.size().to_le_bytes());
            out.extend((name.len() as u16).to_le_bytes());
            out.extend((item.extra.len() as u16).to_le_bytes());
            out.extend(name);
            out.extend(&item.extra);
            out.extend(&stored);
        }
        let directory = out.len();
        let mut count = 0u16;
        for (i, item) in self.items.iter().enumerate() {
            if item.hidden {
                continue;
            }
            count += 1;
            let (mut offset, crc, stored_len) = locals[i];
            if let Some(other) = item.share_with {
                offset = locals[other].0;
            }
            out.extend(0x0201_4b50u32.to_le_bytes());
            out.extend((0x0300u16 | 20).to_le_bytes()); // made on Unix
            out.extend(item.version_needed.to_le_bytes());
            out.extend(item.flags().to_le_bytes());
            out.extend((if item.deflate { 8u16 } else { 0 }).to_le_bytes());
            out.extend(0u16.to_le_bytes());
            out.extend(0x21u16.to_le_bytes());
            out.extend(crc.to_le_bytes());
            out.extend((stored_len as u32).to_le_bytes());
            out.extend(item.size().to_le_bytes());
            out.extend((item.name.len() as u16).to_le_bytes());
            out.extend((item.extra.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes()); // comment
            out.extend(0u16.to_le_bytes()); // disk
            out.extend(0u16.to_le_bytes()); // internal attributes
            out.extend((item.mode << 16).to_le_bytes());
            out.extend((offset as u32).to_le_bytes());
            out.extend(&item.name);
            out.extend(&item.extra);
        }
        let size = out.len() - directory;
        let end = |comment_len: usize| {
            let mut e = 0x0605_4b50u32.to_le_bytes().to_vec();
            e.extend([0u8; 4]);
            e.extend(count.to_le_bytes());
            e.extend(count.to_le_bytes());
            e.extend((size as u32).to_le_bytes());
            e.extend((directory as u32).to_le_bytes());
            e.extend((comment_len as u16).to_le_bytes());
            e
        };
        let mut comment = self.comment.clone();
        if self.fake_end_in_comment {
            comment.extend(end(0));
        }
        if self.zip64_end {
            let record_at = out.len() as u64;
            out.extend(0x0606_4b50u32.to_le_bytes());
            out.extend(44u64.to_le_bytes());
            out.extend(45u16.to_le_bytes());
            out.extend(45u16.to_le_bytes());
            out.extend([0u8; 8]); // this disk, the directory's disk
            out.extend(u64::from(count).to_le_bytes());
            out.extend(u64::from(count).to_le_bytes());
            out.extend((size as u64).to_le_bytes());
            out.extend((directory as u64).to_le_bytes());
            out.extend(0x0706_4b50u32.to_le_bytes());
            out.extend(0u32.to_le_bytes());
            out.extend(record_at.to_le_bytes());
            out.extend(1u32.to_le_bytes());
            out.extend(0x0605_4b50u32.to_le_bytes());
            out.extend([0u8; 4]);
            out.extend([0xFFu8; 4]); // entry counts: see the zip64 record
            out.extend([0xFFu8; 8]); // directory size and offset: likewise
            out.extend((comment.len() as u16).to_le_bytes());
            out.extend(comment);
            return out;
        }
        out.extend(end(comment.len()));
        out.extend(comment);
        out
    }
}

/// A signing key for forged reports.
pub struct Key {
    pub pair: minisign::KeyPair,
}

impl Key {
    pub fn new() -> Key {
        Key {
            pair: minisign::KeyPair::generate_unencrypted_keypair().unwrap(),
        }
    }

    /// The public key file, as `fieldaudit keygen` writes it.
    pub fn public_file(&self) -> String {
        self.pair.pk.to_box().unwrap().to_string()
    }

    pub fn sign(&self, manifest: &[u8]) -> Vec<u8> {
        minisign::sign(
            Some(&self.pair.pk),
            &self.pair.sk,
            manifest,
            Some("fieldaudit report: forged; signed off by test"),
            None,
        )
        .unwrap()
        .into_string()
        .into_bytes()
    }
}

/// The manifest `pack` writes for these files.
pub fn manifest(files: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in files {
        out.extend(hex::encode(Sha256::digest(data)).as_bytes());
        out.extend(b"  ");
        out.extend(*name);
        out.push(b'\n');
    }
    out
}

/// A report of these files, in pack's shape: the files, the manifest that
/// lists them, and (with a key) its signature.
pub fn report(files: &[(&str, &[u8])], key: Option<&Key>) -> Vec<Item> {
    let listed: Vec<(&[u8], &[u8])> = files.iter().map(|(n, d)| (n.as_bytes(), *d)).collect();
    let manifest = manifest(&listed);
    let mut items: Vec<Item> = files.iter().map(|(n, d)| Item::new(n, d)).collect();
    items.push(Item::new("MANIFEST.sha256", &manifest));
    if let Some(key) = key {
        items.push(Item::new("MANIFEST.sha256.minisig", key.sign(&manifest)));
    }
    items
}

/// Re-sign a report's items after changing them: the manifest is rebuilt
/// from `listed` (names and contents) and signed again.
pub fn reseal(items: &mut Vec<Item>, listed: &[(&[u8], &[u8])], key: &Key) {
    let manifest = manifest(listed);
    items.retain(|i| i.name != b"MANIFEST.sha256" && i.name != b"MANIFEST.sha256.minisig");
    items.push(Item::new("MANIFEST.sha256", &manifest));
    items.push(Item::new("MANIFEST.sha256.minisig", key.sign(&manifest)));
}
