//! SHA-256 of evidence files, streamed (nothing is read whole into memory)
//! and spread over the cores. The sha2 crate uses the CPU's SHA extensions
//! when it has them.

use std::io::{self, Read};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use super::{Bundle, BundleError, Entry, Listing};

/// A SHA-256 digest.
pub type Sha256Digest = [u8; 32];

/// Lower-case hex, as `sha256sum` prints it.
pub fn to_hex(digest: &Sha256Digest) -> String {
    hex::encode(digest)
}

/// Hash everything `reader` yields, counting bytes into `progress`.
pub fn sha256(reader: &mut dyn Read, progress: &AtomicU64) -> io::Result<Sha256Digest> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        progress.fetch_add(n as u64, Ordering::Relaxed);
    }
    Ok(hasher.finalize().into())
}

/// Hash one entry.
pub fn hash_entry(bundle: &Bundle, entry: &Entry) -> Result<Sha256Digest, BundleError> {
    let progress = AtomicU64::new(0);
    bundle.with_reader(entry, |r| sha256(r, &progress))
}

/// How many hashing threads to use: one per core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Hash many entries on `threads` workers; results come back in the order
/// of `entries`. `progress` counts bytes hashed so far; setting `cancel`
/// stops the workers early (unfinished entries then report an error).
pub fn hash_all(
    bundle: &Bundle,
    entries: &[Entry],
    threads: usize,
    progress: &AtomicU64,
    cancel: &std::sync::atomic::AtomicBool,
) -> Vec<Result<Sha256Digest, String>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Sha256Digest, String>>>> =
        Mutex::new(vec![None; entries.len()]);
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, entries.len().max(1)) {
            scope.spawn(|| {
                let mut session = bundle.session().ok();
                loop {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(entry) = entries.get(i) else { break };
                    let result = match session.as_mut() {
                        Some(s) => s
                            .read(entry, |r| sha256(r, progress))
                            .map_err(|e| e.to_string()),
                        None => bundle
                            .with_reader(entry, |r| sha256(r, progress))
                            .map_err(|e| e.to_string()),
                    };
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("not hashed (cancelled)".into())))
        .collect()
}

/// Everything `evidence index` does to a bundle, on one thread: open the
/// folder or `.zip` at `path`, list it, and hash every entry that may be
/// read (results in the order of `listing.entries`). For the fuzz harness:
/// whatever the bytes, this returns (a listing or an error) without
/// panicking, and a zip's entries expand to no more than
/// [`super::zip_listing::expansion_budget`] of its size.
pub fn index_bundle(
    path: &Path,
) -> Result<(Listing, Vec<Result<Sha256Digest, String>>), BundleError> {
    let bundle = Bundle::open(path)?;
    let listing = bundle.list()?;
    let progress = AtomicU64::new(0);
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let digests = hash_all(&bundle, &listing.entries, 1, &progress, &cancel);
    Ok((listing, digests))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest_and_progress() {
        let progress = AtomicU64::new(0);
        let digest = sha256(&mut &b"abc"[..], &progress).unwrap();
        assert_eq!(
            to_hex(&digest),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(progress.load(Ordering::Relaxed), 3);
    }
}
