//! Reading one entry's data: stored or deflated, never past the declared
//! size, checked against the CRC-32 when the end is reached.

use std::io::{self, Read, Seek, SeekFrom};

use super::Entry;

enum Inner<'r, R: Read> {
    Stored(io::Take<&'r mut R>),
    Deflated(flate2::bufread::DeflateDecoder<io::BufReader<io::Take<&'r mut R>>>),
}

/// An entry's bytes; see [`super::Archive::reader`].
pub struct EntryReader<'r, R: Read> {
    inner: Inner<'r, R>,
    left: u64,
    size: u64,
    crc: crc32fast::Hasher,
    expected_crc: u32,
    done: bool,
}

impl<'r, R: Read + Seek> EntryReader<'r, R> {
    pub(super) fn new(source: &'r mut R, entry: &Entry) -> io::Result<Self> {
        if entry.encrypted() {
            return Err(io::Error::other("the entry is encrypted"));
        }
        if entry.local.is_err() || entry.data_offset == 0 {
            return Err(io::Error::other("the entry's local header cannot be read"));
        }
        source.seek(SeekFrom::Start(entry.data_offset))?;
        let raw = source.take(entry.compressed_size);
        let inner = match entry.method {
            0 => {
                if entry.compressed_size != entry.size {
                    return Err(io::Error::other(
                        "a stored entry whose sizes differ; not read",
                    ));
                }
                Inner::Stored(raw)
            }
            8 => Inner::Deflated(flate2::bufread::DeflateDecoder::new(
                io::BufReader::with_capacity(64 * 1024, raw),
            )),
            m => {
                return Err(io::Error::other(format!(
                    "compression method {m} is not supported (only stored and deflated)"
                )));
            }
        };
        Ok(EntryReader {
            inner,
            left: entry.size,
            size: entry.size,
            crc: crc32fast::Hasher::new(),
            expected_crc: entry.crc32,
            done: false,
        })
    }
}

impl<R: Read> Read for EntryReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() || self.done {
            return Ok(0);
        }
        // Ask for one byte more than is left, to notice an overrun.
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = match &mut self.inner {
            Inner::Stored(r) => r.read(&mut buf[..want])?,
            Inner::Deflated(r) => r.read(&mut buf[..want])?,
        };
        if n as u64 > self.left {
            return Err(io::Error::other(
                "the entry inflates past its declared size (a zip bomb?); not read",
            ));
        }
        self.left -= n as u64;
        self.crc.update(&buf[..n]);
        if n == 0 {
            self.done = true;
            if self.left != 0 {
                return Err(io::Error::other(format!(
                    "the entry ends after {} of its declared {} bytes",
                    self.size - self.left,
                    self.size
                )));
            }
            if self.crc.clone().finalize() != self.expected_crc {
                return Err(io::Error::other(
                    "the entry's CRC-32 does not match its data (damaged or altered)",
                ));
            }
        }
        Ok(n)
    }
}
