//! Checklists made from files other tools publish: a CISO Assistant
//! framework library ([`ciso`]) or a spreadsheet saved as CSV ([`table`]).
//! Each importer returns the checklist with the warnings an auditor should
//! read; [`checked_ron`] turns it into RON that passes `checklist validate`.

mod ciso;
mod ids;
mod table;

use std::io::Read;
use std::path::{Path, PathBuf};

pub use ciso::from_ciso_yaml;
pub use table::from_csv;

use super::{Checklist, Problem, Severity, registry, validate};
use crate::ronfile::{self, ParseError};

/// The largest file an importer reads: far beyond any framework library.
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// A checklist made from another tool's file, with what was changed on the way.
#[derive(Debug)]
pub struct Imported {
    pub checklist: Checklist,
    /// Ids made up, nodes moved, and the like: one line each.
    pub warnings: Vec<String>,
}

/// Why a file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the file is larger than {} MiB; an importer reads no more", path.display(), MAX_BYTES / 1024 / 1024)]
    TooLarge { path: PathBuf },
    #[error("{0}")]
    NotText(ParseError),
    #[error("{}:{line}:{column}: {message}", path.display())]
    At {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}:{line}: column `{column}`: {message}", path.display())]
    Cell {
        path: PathBuf,
        line: u64,
        column: &'static str,
        message: String,
    },
    #[error("{}:{line}: {message}", path.display())]
    Line {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Whole { path: PathBuf, message: String },
    #[error(
        "the imported checklist would not validate:\n{}",
        Problem::listed(Path::new("(imported)"), problems)
    )]
    Invalid { problems: Vec<Problem> },
    #[error(
        "'{}' is the id of a checklist shipped with fieldaudit; give the import its own with --id ID",
        crate::text::shown(id)
    )]
    Shipped { id: String },
    #[error("cannot write the checklist as RON: {0}")]
    Ron(String),
}

/// The text of the file at `path`, refused unread when it is larger than
/// [`MAX_BYTES`] or not UTF-8.
pub fn read_bounded(path: &Path) -> Result<String, ImportError> {
    let read_err = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if meta.len() > MAX_BYTES {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    let mut bytes = Vec::new();
    // The size may change while reading (a pipe, a growing file): read one
    // byte past the bound at most.
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    ronfile::string_from_bytes(bytes, path).map_err(ImportError::NotText)
}

/// `checklist` as RON, after checking that the RON reads back as the same
/// checklist and passes the same validation as `checklist validate` (errors
/// refuse it; warnings are returned).
pub fn checked_ron(checklist: &Checklist) -> Result<(String, Vec<Problem>), ImportError> {
    let text = ronfile::to_string(checklist).map_err(|e| ImportError::Ron(e.to_string()))?;
    let back: Checklist = ronfile::parse(&text, Path::new("(imported)"))
        .map_err(|e| ImportError::Ron(e.to_string()))?;
    if &back != checklist {
        return Err(ImportError::Ron(
            "the RON does not read back the same".into(),
        ));
    }
    let shipped = registry::all().map_err(|e| ImportError::Ron(e.to_string()))?;
    if shipped.iter().any(|c| c.id == checklist.id) {
        return Err(ImportError::Shipped {
            id: checklist.id.clone(),
        });
    }
    let others: Vec<&Checklist> = shipped.iter().filter(|o| o.id != back.id).collect();
    let (errors, warnings): (Vec<Problem>, Vec<Problem>) = validate(&back, None, &others)
        .into_iter()
        .partition(|p| p.severity == Severity::Error);
    if errors.is_empty() {
        Ok((text, warnings))
    } else {
        Err(ImportError::Invalid { problems: errors })
    }
}
