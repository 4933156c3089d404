//! `fieldaudit export`: the audit in the machine formats the field reads:
//! a spreadsheet workbook, or OSCAL assessment results with their plan and
//! SSP stub.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use fieldaudit::report::oscal;
use fieldaudit::text::Shown;

use super::args::ExportArgs;
use super::out::outln;

/// Run `export`.
pub fn run(args: ExportArgs) -> Result<ExitCode> {
    let (record, catalog) = super::record::load(&args.record)?;
    if args.xlsx {
        fieldaudit::export::xlsx::write(&record, &catalog, &args.output)
            .map_err(|e| anyhow::anyhow!("{}", Shown(e)))?;
        outln!("wrote {}", Shown(args.output.display()));
        return Ok(ExitCode::SUCCESS);
    }
    // clap asks for one format; not --xlsx is --oscal.
    let files = oscal_files(&args.output)?;
    let names = oscal::Names {
        plan: file_name(&files[1]),
        ssp: file_name(&files[2]),
        in_report: false,
    };
    let docs = oscal::export(&record, &catalog, &names);
    for f in &files {
        if f.exists() {
            bail!(
                "{} exists: fieldaudit does not overwrite it; move it away or name another file with -o",
                Shown(&f.display().to_string())
            );
        }
    }
    for (path, text) in files.iter().zip([&docs.results, &docs.plan, &docs.ssp]) {
        write_new(path, text)?;
        outln!("wrote {}", Shown(path.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// `results.json` and, beside it, `results.plan.json` and `results.ssp.json`.
fn oscal_files(out: &Path) -> Result<[PathBuf; 3]> {
    let stem = out
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.strip_suffix(".json").unwrap_or(n).to_string())
        .filter(|s| !s.is_empty())
        .with_context(|| {
            format!(
                "{}: name a file, e.g. -o results.json",
                Shown(&out.display().to_string())
            )
        })?;
    let beside = |suffix: &str| out.with_file_name(format!("{stem}{suffix}"));
    Ok([beside(".json"), beside(".plan.json"), beside(".ssp.json")])
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Write `text` to a new file `path`, all or nothing.
fn write_new(path: &Path, text: &str) -> Result<()> {
    let shown = || Shown(&path.display().to_string()).to_string();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".fieldaudit-export-")
        .tempfile_in(&folder)
        .with_context(|| format!("{}: cannot write in its folder", shown()))?;
    std::io::Write::write_all(&mut temp, text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("{}: cannot write", shown()))?;
    temp.persist_noclobber(path)
        .map_err(|e| e.error)
        .with_context(|| format!("{}: cannot write (it may exist now)", shown()))?;
    Ok(())
}
