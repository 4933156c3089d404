//! `fieldaudit`: parse the command line, run it, print errors with their chain.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            let mut shown = error.to_string();
            eprintln!("error: {shown}");
            for cause in error.chain().skip(1) {
                let text = cause.to_string();
                // thiserror messages often already include their source.
                if !shown.contains(&text) {
                    eprintln!("  because: {text}");
                    shown.push_str(&text);
                }
            }
            ExitCode::FAILURE
        }
    }
}
