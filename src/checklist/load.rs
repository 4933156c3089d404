//! Loading checklists from shipped ids or files.

use std::path::{Path, PathBuf};

use super::registry;
use super::{Checklist, Problem, Severity, validate};
use crate::ronfile::{self, ParseError};

/// Why a checklist could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ChecklistError {
    #[error("{}: cannot read checklist: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}\n  fix the checklist and check it with `fieldaudit checklist validate FILE`")]
    Parse(ParseError),
    #[error(
        "no shipped checklist and no file named '{name}'\n  shipped checklists: {}\n  or give the path of a RON checklist file",
        shipped.join(", ")
    )]
    NotFound { name: String, shipped: Vec<String> },
    #[error("{}: the checklist has {} error(s):\n{}", path.display(), problems.len(), Problem::listed(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

/// Parse checklist text read from `path` (syntax and schema only).
pub fn parse(text: &str, path: &Path) -> Result<Checklist, ChecklistError> {
    ronfile::parse(text, path).map_err(ChecklistError::Parse)
}

/// Parse a checklist's bytes, read from `path` (syntax and schema only).
/// Never panics, whatever the bytes; a refusal names `PATH:LINE:COLUMN`.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Checklist, ChecklistError> {
    ronfile::parse_bytes(bytes, path).map_err(ChecklistError::Parse)
}

/// The text of the checklist file at `path`; bytes that are not UTF-8 are
/// refused with their position.
pub fn read_text(path: &Path) -> Result<String, ChecklistError> {
    let bytes = std::fs::read(path).map_err(|source| ChecklistError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    ronfile::string_from_bytes(bytes, path).map_err(ChecklistError::Parse)
}

/// Read, parse and validate the checklist file at `path`, resolving its
/// cross-references against the shipped checklists.
pub fn load_path(path: &Path) -> Result<Checklist, ChecklistError> {
    let text = read_text(path)?;
    let checklist = parse(&text, path)?;
    let shipped = registry::all()?;
    let others: Vec<&Checklist> = shipped.iter().filter(|c| c.id != checklist.id).collect();
    let errors: Vec<Problem> = validate(&checklist, Some(&text), &others)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        Ok(checklist)
    } else {
        Err(ChecklistError::Invalid {
            path: path.to_path_buf(),
            problems: errors,
        })
    }
}

/// A shipped checklist by id (`iso42001-2023`) or else a checklist file by path.
pub fn load(id_or_path: &str) -> Result<Checklist, ChecklistError> {
    if let Some(checklist) = registry::get(id_or_path)? {
        return Ok(checklist.clone());
    }
    let path = Path::new(id_or_path);
    if path.is_file() {
        return load_path(path);
    }
    Err(ChecklistError::NotFound {
        name: id_or_path.to_string(),
        shipped: registry::ids().map(str::to_string).collect(),
    })
}
