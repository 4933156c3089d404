//! `fieldaudit`: parse the command line, run it, print errors with their chain.
//!
//! Everything shown here goes through `cli::out`, so control characters in
//! names are escaped. When the reader of standard output has gone (`| head`),
//! the command ends quietly with status 141, what a shell reports for `cat`
//! or `grep` killed by SIGPIPE: the output was not all delivered, so the
//! status must not say success (a failed `verify` piped into `head` stays a
//! failure), and nothing is printed, since nobody asked for more.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::out::{StdoutClosed, errln};

/// The status of a command whose standard output was closed by its reader
/// (128 + SIGPIPE, as shells report it).
const STDOUT_CLOSED: u8 = 141;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to standard output as clap writes them;
        // a usage error is shown here, so that a typed name is escaped.
        Err(error) if error.use_stderr() => {
            errln!("{}", error.render());
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
        Err(error) => error.exit(),
    };
    match cli::run(cli) {
        Ok(code) => code,
        Err(error) if error.chain().any(|cause| cause.is::<StdoutClosed>()) => {
            ExitCode::from(STDOUT_CLOSED)
        }
        Err(error) => {
            let mut shown = error.to_string();
            errln!("error: {shown}");
            for cause in error.chain().skip(1) {
                let text = cause.to_string();
                // thiserror messages often already include their source.
                if !shown.contains(&text) {
                    errln!("  because: {text}");
                    shown.push_str(&text);
                }
            }
            ExitCode::FAILURE
        }
    }
}
