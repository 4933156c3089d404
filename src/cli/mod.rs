//! The command-line client of the fieldaudit library.

mod args;
mod checklist;
mod checklist_import;
mod crosswalk;
mod cycle;
mod cycle_status;
mod evidence;
mod export;
mod follow_up;
mod follow_up_args;
mod merge;
pub(crate) mod out;
mod plan;
mod progress;
mod record;
mod report;
mod responses_csv;
mod sample;
mod team;

use std::process::ExitCode;

pub use args::Cli;
use args::{ChecklistCommand, Command, EvidenceCommand};
use fieldaudit::text::Shown;
use out::errln;

/// Run one command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let from_env = team::author_from_env()?;
    let author = team::given_author(cli.author.as_deref(), from_env.as_deref());
    let Some(command) = cli.command else {
        return demo(false, author);
    };
    if let Some(record) = command.record() {
        team::warn_if_driver_missing(record);
    }
    match command {
        Command::Team(command) => team::run(command, author),
        Command::Checklist(ChecklistCommand::List { json }) => checklist::list(json),
        Command::Checklist(ChecklistCommand::Show {
            checklist,
            json,
            full,
        }) => checklist::show(&checklist, json, full),
        Command::Checklist(ChecklistCommand::Validate { path }) => checklist::validate(&path),
        Command::Checklist(ChecklistCommand::Import(args)) => checklist_import::run(&args),
        Command::Crosswalk(command) => crosswalk::run(command),
        Command::Open(args) => {
            if let Some(bundle) = &args.evidence {
                evidence::remember(&args.record, bundle, author)?;
            }
            fieldaudit::tui::run(&args.record, author.map(str::to_string))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { reset } => demo(reset, author),
        Command::New(args) => record::new(args, author),
        Command::Meta(args) => record::meta(*args, author),
        Command::Conclude(args) => record::conclude(args, author),
        Command::Assess(args) => record::assess(args, author),
        Command::Note(args) => record::note(args, author),
        Command::Finding(command) => record::finding(command, author),
        Command::Status(args) => record::status(args),
        Command::Sample(args) => sample::run(args, author),
        Command::Plan(command) => plan::run(command, author),
        Command::Assign(args) => plan::assign(args, author),
        Command::Evidence(EvidenceCommand::Index { path, json }) => evidence::index(&path, json),
        Command::Evidence(EvidenceCommand::Check { record, evidence }) => {
            evidence::check(&record, evidence.as_deref())
        }
        Command::Merge {
            base,
            ours,
            theirs,
            out,
        } => merge::merge(&base, &ours, &theirs, &out),
        Command::MergeDriver { base, ours, theirs } => merge::driver(&base, &ours, &theirs),
        Command::Export(args) => export::run(args),
        Command::Conflicts { record, json } => merge::conflicts(&record, json),
        Command::Resolve {
            record,
            path,
            take,
            value,
        } => merge::resolve(&record, &path, take, value, author),
        Command::Keygen { base, no_password } => report::keygen(&base, no_password),
        Command::Pack {
            record,
            out,
            key,
            signer,
            draft,
            evidence,
            audience,
        } => report::pack(report::PackArgs {
            record: &record,
            out: &out,
            key: key.as_deref(),
            signer: signer.as_deref(),
            draft,
            evidence: evidence.as_deref(),
            for_client: audience == "client",
        }),
        Command::Reopen { record } => report::reopen(&record, author),
        Command::Verify {
            report: zip,
            pubkey,
            json,
        } => report::verify(&zip, pubkey.as_deref(), json),
        Command::Link(args) => evidence::link(
            &args.record,
            &args.requirement,
            &args.path,
            args.finding.as_deref(),
            args.evidence.as_deref(),
            author,
        ),
        Command::Attach(args) => evidence::attach(&args, author),
    }
}

/// The login name, the last fallback for who a change is recorded as
/// ([`fieldaudit::audit::author`]); read here, at the edge.
fn login() -> Option<String> {
    std::env::var("USER").ok()
}

/// Apply a change to the record at `path` durably, with its catalog, as
/// `--as`, else the lead auditor, else the login name: the library's
/// [`fieldaudit::audit::change_as`], given the login name.
fn change<T>(
    path: &std::path::Path,
    given_author: Option<&str>,
    apply: impl FnOnce(
        &mut fieldaudit::audit::AuditRecord,
        &fieldaudit::checklist::Catalog,
        &fieldaudit::audit::Change,
    ) -> Result<T, fieldaudit::audit::AuditError>,
) -> anyhow::Result<T> {
    Ok(fieldaudit::audit::change_as(
        path,
        given_author,
        login().as_deref(),
        apply,
    )?)
}

/// Create or reuse the demo audit and open it.
fn demo(reset: bool, author: Option<&str>) -> anyhow::Result<ExitCode> {
    let dir = fieldaudit::demo::data_dir().ok_or(fieldaudit::demo::DemoError::NoDataDir)?;
    let (path, created) = fieldaudit::demo::ensure(&dir, reset)?;
    let how = if created { "created" } else { "reusing" };
    errln!("demo audit: {how} {}", Shown(path.display()));
    fieldaudit::tui::run(&path, author.map(str::to_string))?;
    errln!(
        "demo audit saved in {} (fieldaudit demo --reset starts over)",
        Shown(path.display())
    );
    Ok(ExitCode::SUCCESS)
}
