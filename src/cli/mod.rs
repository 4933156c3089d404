//! The command-line client of the fieldaudit library.

mod args;
mod checklist;
mod record;

use std::process::ExitCode;

pub use args::Cli;
use args::{ChecklistCommand, Command};

/// Run one command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let author = cli.author.as_deref();
    match cli.command {
        Command::Checklist(ChecklistCommand::List { json }) => checklist::list(json),
        Command::Checklist(ChecklistCommand::Show {
            checklist,
            json,
            full,
        }) => checklist::show(&checklist, json, full),
        Command::Checklist(ChecklistCommand::Validate { path }) => checklist::validate(&path),
        Command::Open(args) => {
            fieldaudit::tui::run(&args.record, author.map(str::to_string))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New(args) => record::new(args, author),
        Command::Meta(args) => record::meta(args, author),
        Command::Assess(args) => record::assess(args, author),
        Command::Note(args) => record::note(args, author),
        Command::Finding(command) => record::finding(command, author),
        Command::Status(args) => record::status(args),
    }
}
