//! Writing to the terminal from the command line: every line goes through
//! [`fieldaudit::text::shown_lines`], so no control character from a file
//! or a user reaches the terminal raw, and a closed standard output (the
//! reader of a pipe went away, as `head` does) ends the command quietly
//! instead of panicking.
//!
//! - `outln!` writes a line to standard output and returns
//!   [`StdoutClosed`] (through `?`) when nobody reads it any more;
//! - `errln!` writes a line to standard error and ignores failure: there
//!   is nowhere left to report it.
//!
//! Values from outside are still wrapped in
//! [`Shown`](fieldaudit::text::Shown) where they are interpolated, so that a
//! newline inside a name cannot forge a line of output either.

use std::fmt;
use std::io::{self, Write};

use fieldaudit::text::shown_lines;

/// Standard output was closed by its reader; the binary ends quietly.
#[derive(Debug, thiserror::Error)]
#[error("standard output was closed by its reader")]
pub struct StdoutClosed;

/// Write one line to standard output (use `outln!`).
pub fn line(args: fmt::Arguments<'_>) -> anyhow::Result<()> {
    let text = args.to_string();
    let mut out = io::stdout().lock();
    match writeln!(out, "{}", shown_lines(&text)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        Err(e) => Err(anyhow::Error::new(e).context("cannot write to standard output")),
    }
}

/// Write one line to standard error (use `errln!`); a failure is ignored.
pub fn error_line(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let _ = writeln!(io::stderr().lock(), "{}", shown_lines(&text));
}

/// `println!` that escapes control characters and returns
/// [`StdoutClosed`] when the reader has gone.
macro_rules! outln {
    () => { $crate::cli::out::line(format_args!(""))? };
    ($($arg:tt)*) => { $crate::cli::out::line(format_args!($($arg)*))? };
}

/// `eprintln!` that escapes control characters and never panics.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::out::error_line(format_args!($($arg)*)) };
}

pub(crate) use {errln, outln};
