//! `fieldaudit export`: the audit's results written for other tools.

use std::process::ExitCode;

use anyhow::Result;
use fieldaudit::audit::store;
use fieldaudit::text::Shown;

use super::args::ExportArgs;
use super::out::outln;

pub fn run(args: &ExportArgs) -> Result<ExitCode> {
    let record = store::load(&args.record)?;
    let catalog = record
        .catalog()
        .map_err(|e| anyhow::anyhow!("{}: {e}", Shown(args.record.display())))?;
    if args.xlsx {
        fieldaudit::export::xlsx::write(&record, &catalog, &args.output)
            .map_err(|e| anyhow::anyhow!("{}", Shown(e)))?;
    }
    outln!("Wrote {}", Shown(args.output.display()));
    Ok(ExitCode::SUCCESS)
}
