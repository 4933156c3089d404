//! `fieldaudit checklist import FILE --from ciso-assistant|csv -o OUT.ron`:
//! a checklist made from another tool's file, validated before it is
//! written, written atomically and never over an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use fieldaudit::checklist::import::{self, Imported};
use fieldaudit::text::Shown;

use super::out::{errln, outln};

/// The import warnings printed one a line; the rest are counted.
const WARNINGS_SHOWN: usize = 50;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Source {
    /// A CISO Assistant framework library (YAML)
    CisoAssistant,
    /// A CSV table: section_id, section_title, kind, id, title, question, evidence, maps_to
    Csv,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to convert
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// What the file is
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub from: Source,
    /// The checklist's id (required for CSV; for a library, instead of its ref_id)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The checklist's title (required for CSV; for a library, instead of its name)
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// The RON checklist to write; an existing file is never replaced
    #[arg(short = 'o', long = "out", value_name = "OUT.ron")]
    pub out: PathBuf,
}

pub fn run(args: &ImportArgs) -> Result<ExitCode> {
    if args.out.exists() {
        bail!(
            "{}: already exists; choose another name or remove it first",
            Shown(args.out.display())
        );
    }
    let text = import::read_bounded(&args.file)?;
    let Imported {
        mut checklist,
        warnings,
    } = match args.from {
        Source::CisoAssistant => import::from_ciso_yaml(&text, &args.file)?,
        Source::Csv => {
            let (Some(id), Some(title)) = (&args.id, &args.title) else {
                bail!("a CSV table needs --id ID and --title TITLE for the checklist");
            };
            import::from_csv(&text, &args.file, id, title)?
        }
    };
    if let Some(id) = &args.id {
        checklist.id = id.clone();
    }
    if let Some(title) = &args.title {
        checklist.title = title.clone();
    }
    for w in warnings.iter().take(WARNINGS_SHOWN) {
        errln!("{}: warning: {}", Shown(args.file.display()), Shown(w));
    }
    if warnings.len() > WARNINGS_SHOWN {
        errln!(
            "{}: … and {} more warning(s)",
            Shown(args.file.display()),
            warnings.len() - WARNINGS_SHOWN
        );
    }
    let (ron, problems) = import::checked_ron(&checklist)
        .with_context(|| format!("{}: not written", Shown(args.out.display())))?;
    write_new(&args.out, ron.as_bytes())?;
    outln!(
        "{}: wrote {} \"{}\": {} sections, {} requirements; {} import warning(s), {} validation warning(s) (see `fieldaudit checklist validate {}`)",
        Shown(args.out.display()),
        Shown(&checklist.id),
        Shown(&checklist.title),
        checklist.sections.len(),
        checklist.requirement_count(),
        warnings.len(),
        problems.len(),
        Shown(args.out.display()),
    );
    Ok(ExitCode::SUCCESS)
}

/// Write `bytes` to `out` through a synced temp file in the same folder,
/// refusing to replace a file that appeared meanwhile.
fn write_new(out: &Path, bytes: &[u8]) -> Result<()> {
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let shown = Shown(out.display());
    let mut temp = tempfile::Builder::new()
        .prefix(".fieldaudit-import-")
        .tempfile_in(folder)
        .with_context(|| format!("{shown}: cannot create a temporary file beside it"))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("{shown}: cannot write"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A checklist is a document to share, not a secret.
        let _ = temp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    temp.persist_noclobber(out).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            anyhow::anyhow!("{shown}: already exists; choose another name or remove it first")
        } else {
            anyhow::Error::new(e.error).context(format!("{shown}: cannot create"))
        }
    })?;
    Ok(())
}
