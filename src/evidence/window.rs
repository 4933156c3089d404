//! Reading a zip's directory through a window of the file. The zip reader
//! seeks to every local header in turn; the headers of small entries sit
//! close together, so one 64 KiB read serves hundreds of them, where a
//! plain file costs two system calls per seek and `BufReader` throws its
//! buffer away on every seek.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// How much of the file one refill reads.
const WINDOW: usize = 64 * 1024;

/// A file read through a window; see the module docs.
pub(super) struct Window {
    file: File,
    /// Where the next read starts.
    pos: u64,
    /// The file's bytes from `start`.
    buf: Vec<u8>,
    start: u64,
}

impl Window {
    pub(super) fn new(file: File) -> Window {
        Window {
            file,
            pos: 0,
            buf: Vec::new(),
            start: 0,
        }
    }

    pub(super) fn into_inner(self) -> File {
        self.file
    }

    /// The window's bytes from `pos` on, if `pos` is inside it.
    fn cached(&self) -> Option<&[u8]> {
        let offset = usize::try_from(self.pos.checked_sub(self.start)?).ok()?;
        self.buf.get(offset..).filter(|rest| !rest.is_empty())
    }
}

impl Read for Window {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.cached().is_none() {
            self.file.seek(SeekFrom::Start(self.pos))?;
            if out.len() >= WINDOW {
                // A big read (the directory itself) goes straight through.
                let n = self.file.read(out)?;
                self.pos += n as u64;
                return Ok(n);
            }
            self.buf.resize(WINDOW, 0);
            let n = self.file.read(&mut self.buf)?;
            self.buf.truncate(n);
            self.start = self.pos;
        }
        let Some(rest) = self.cached() else {
            return Ok(0); // the end of the file
        };
        let n = rest.len().min(out.len());
        out[..n].copy_from_slice(&rest[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(at) => at,
            SeekFrom::End(_) => self.file.seek(to)?,
            SeekFrom::Current(by) => self
                .pos
                .checked_add_signed(by)
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek out of range"))?,
        };
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_anywhere_match_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut w = Window::new(File::open(&path).unwrap());
        assert_eq!(w.seek(SeekFrom::End(0)).unwrap(), data.len() as u64);
        for (at, len) in [
            (0usize, 30usize),
            (10, 5),
            (65_530, 20),
            (299_990, 10),
            (100, 200_000),
            (5, 1),
        ] {
            w.seek(SeekFrom::Start(at as u64)).unwrap();
            let mut got = vec![0u8; len];
            w.read_exact(&mut got).unwrap();
            assert_eq!(got, &data[at..at + len], "at {at} len {len}");
        }
        w.seek(SeekFrom::Start(299_995)).unwrap();
        let mut tail = vec![0u8; 10];
        assert!(w.read_exact(&mut tail).is_err(), "past the end");
        w.seek(SeekFrom::Start(400_000)).unwrap();
        assert_eq!(w.read(&mut tail).unwrap(), 0);
    }
}
