//! Which entries of a zip bundle may be read. The directory is read with our
//! own reader ([`crate::zipread`]), and each entry is judged by everything a
//! tool could make of it, so that what fieldaudit hashes under a name is
//! what `unzip` extracts under that name:
//!
//! - entries whose bytes overlap another entry's (one compressed block
//!   counted many times: a zip bomb under any per-entry limit) or whose local
//!   header disagrees with the central directory are refused;
//! - an entry whose name can be read more than one way (its local header, a
//!   Unicode Path extra field) is refused, and so is every copy of a name
//!   that appears more than once under any reading, after cleaning `.`
//!   parts, in Unicode NFC and in any letter case;
//! - the unsafe names of [`super::bundle::clean_zip_name`], names holding
//!   control characters, links, encrypted entries, compression methods
//!   other than stored and deflated, and the per-entry size limits;
//! - the whole bundle may expand to at most [`expansion_budget`] bytes:
//!   entries past it, in directory order, are refused.
//!
//! A refused entry is a [`Problem`] naming it (control characters escaped)
//! and is never read, hashed, previewed or packed.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::bundle::{Entry, Listing, MAX_ENTRY_SIZE, MAX_RATIO, Problem, clean_zip_name};
use super::human_size;
use crate::text::shown_bytes;
use crate::zipread::{Archive, Entry as ZipEntry};

/// The whole bundle may expand to this many times the zip's size...
pub const MAX_TOTAL_RATIO: u64 = 100;
/// ...but any zip may expand to this much (1 GiB: about a second of hashing)...
pub const TOTAL_FLOOR: u64 = 1 << 30;
/// ...and none to more than this (64 GiB: four of the biggest entries read,
/// about a minute of hashing on two cores).
pub const MAX_TOTAL_SIZE: u64 = 64 << 30;

/// How many bytes the entries of a zip of `zip_len` bytes may expand to in
/// all: [`MAX_TOTAL_RATIO`] times its size, at least [`TOTAL_FLOOR`], at most
/// [`MAX_TOTAL_SIZE`]. Real bundles (documents, spreadsheets, logs) expand
/// 1–20×; only bombs come near 100× across a whole zip bigger than 10 MiB.
pub fn expansion_budget(zip_len: u64) -> u64 {
    zip_len
        .saturating_mul(MAX_TOTAL_RATIO)
        .clamp(TOTAL_FLOOR, MAX_TOTAL_SIZE)
}

/// The keys under which a name clashes with another: its clean form (or the
/// name itself when it is unsafe) in NFC, and that in lower case.
pub fn name_keys(reading: &[u8]) -> Vec<String> {
    let clean =
        clean_zip_name(reading).unwrap_or_else(|_| String::from_utf8_lossy(reading).into_owned());
    let nfc: String = clean.nfc().collect();
    let folded = nfc.to_lowercase();
    let mut keys = vec![nfc, folded];
    keys.dedup();
    keys
}

fn is_directory(e: &ZipEntry) -> bool {
    e.name.ends_with(b"/")
}

/// The listing of a zip bundle whose directory is `archive`.
pub(super) fn listing_of(archive: &Archive) -> Listing {
    let entries = &archive.entries;
    let mut refused: Vec<Vec<String>> = vec![Vec::new(); entries.len()];
    for index in archive.overlapping() {
        refused[index].push(
            "its bytes overlap another entry's (one compressed block counted many times: a zip bomb?)"
                .into(),
        );
    }
    for e in entries {
        let why = &mut refused[e.index];
        match &e.local {
            Err(reason) => why.push(format!("its local header cannot be read ({reason})")),
            Ok(_) => {
                let differ = e.local_mismatches();
                if !differ.is_empty() {
                    why.push(format!(
                        "its local header disagrees with the central directory ({})",
                        differ.join(", ")
                    ));
                }
            }
        }
        for reading in e.readings().into_iter().skip(1) {
            why.push(format!(
                "its name can also be read as '{}' (tools would disagree on which file this is)",
                shown_bytes(reading)
            ));
        }
        if is_directory(e) && (e.size > 0 || e.compressed_size > 0) {
            why.push("a directory entry carrying data".into());
        }
    }
    refuse_duplicates(entries, &mut refused);

    let mut listing = Listing::default();
    let budget = expansion_budget(archive.file_len);
    let mut total: u64 = 0;
    for e in entries {
        let path = shown_bytes(&e.name);
        let why = std::mem::take(&mut refused[e.index]);
        if !why.is_empty() {
            listing.problems.push(Problem {
                path,
                reason: why.join("; "),
            });
            continue;
        }
        if is_directory(e) {
            continue;
        }
        let accepted = accept(e).and_then(|clean| {
            let after = total.saturating_add(e.size);
            if after > budget {
                return Err(format!(
                    "the bundle would expand past {} ({MAX_TOTAL_RATIO}× its {} zip, at least {}, at most {}); this entry's {} are not read",
                    human_size(budget),
                    human_size(archive.file_len),
                    human_size(TOTAL_FLOOR),
                    human_size(MAX_TOTAL_SIZE),
                    human_size(e.size),
                ));
            }
            total = after;
            Ok(clean)
        });
        match accepted {
            Ok(clean) => listing.entries.push(Entry::in_zip(clean, e.size, e.index)),
            Err(reason) => listing.problems.push(Problem { path, reason }),
        }
    }
    listing
}

/// Refuse every copy of a name that more than one entry can be given, under
/// any of each entry's readings.
fn refuse_duplicates(entries: &[ZipEntry], refused: &mut [Vec<String>]) {
    let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
    let mut keys_of: Vec<Vec<String>> = Vec::with_capacity(entries.len());
    for e in entries {
        let mut keys: Vec<String> = e.readings().into_iter().flat_map(name_keys).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in &keys {
            owners.entry(key.clone()).or_default().push(e.index);
        }
        keys_of.push(keys);
    }
    for (e, keys) in entries.iter().zip(&keys_of) {
        if let Some((key, copies)) = keys
            .iter()
            .filter_map(|k| owners.get(k).map(|o| (k, o.len())))
            .find(|(_, copies)| *copies > 1)
        {
            refused[e.index].push(format!(
                "the name '{}' appears {copies} times (counting every way a tool reads a name, `.` parts, letter case and Unicode forms); none of the copies is read",
                shown_bytes(key.as_bytes())
            ));
        }
    }
}

/// The clean path of an entry that is safe to read alone, or why not.
fn accept(e: &ZipEntry) -> Result<String, String> {
    let clean = clean_zip_name(&e.name)?;
    if clean.chars().any(char::is_control) {
        // Such a name would act on a terminal, and a report citing it
        // would fail `verify`.
        return Err("the name holds control characters".into());
    }
    if e.is_symlink() {
        return Err("symbolic link; not followed".into());
    }
    if e.encrypted() {
        return Err("encrypted; ask the auditee for an unencrypted copy".into());
    }
    if !matches!(e.method, 0 | 8) {
        return Err(format!(
            "compression method {} (fieldaudit reads stored and deflated entries); ask the auditee for a plain zip",
            e.method
        ));
    }
    let (size, packed) = (e.size, e.compressed_size);
    if size > MAX_ENTRY_SIZE {
        return Err(format!(
            "declares {size} bytes, more than fieldaudit reads ({MAX_ENTRY_SIZE})"
        ));
    }
    if size > 1 << 20 && size / packed.max(1) > MAX_RATIO {
        return Err(format!(
            "expands {}× ({packed} → {size} bytes): a zip bomb?",
            size / packed.max(1)
        ));
    }
    if e.method == 0 && packed != size {
        return Err(format!(
            "stored, but declares {packed} bytes packed and {size} unpacked"
        ));
    }
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_a_ratio_with_a_floor_and_a_cap() {
        assert_eq!(expansion_budget(0), TOTAL_FLOOR);
        assert_eq!(expansion_budget(1 << 20), TOTAL_FLOOR);
        assert_eq!(expansion_budget(100 << 20), 100 * (100 << 20));
        assert_eq!(expansion_budget(10 << 30), MAX_TOTAL_SIZE);
        assert_eq!(expansion_budget(u64::MAX), MAX_TOTAL_SIZE);
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(shown_bytes(b"plain/caf\xc3\xa9.txt"), "plain/café.txt");
        assert_eq!(shown_bytes(b"dir\\x.txt"), "dir\\x.txt");
        assert_eq!(
            shown_bytes("\u{1b}[2J\u{1b}]0;t\u{7}\u{9b}\u{7f}\n.txt".as_bytes()),
            "\\x1b[2J\\x1b]0;t\\x07\\u{9b}\\x7f\\n.txt"
        );
        assert_eq!(shown_bytes(b"bad-\xff.txt"), "bad-\u{fffd}.txt");
    }

    #[test]
    fn name_keys_clean_normalise_and_fold() {
        assert_eq!(name_keys(b"./A/./B.TXT"), ["A/B.TXT", "a/b.txt"]);
        assert_eq!(name_keys("cafe\u{301}".as_bytes()), ["caf\u{e9}"]);
        assert_eq!(name_keys(b"../x"), ["../x"]);
    }
}
