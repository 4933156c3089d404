//! Loading crosswalks from shipped ids or files, bounded in size.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Crosswalk, check_criteria, registry, validate};
use crate::audit::AuditRecord;
use crate::checklist::{Catalog, Checklist, ChecklistError, Problem, Severity};
use crate::ronfile::{self, ParseError};

/// The largest crosswalk file read, in bytes. The shipped one is a few
/// dozen kilobytes; a file past this is refused before it is parsed.
pub const MAX_FILE_SIZE: u64 = 1 << 20;

/// Why a crosswalk could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CrosswalkError {
    #[error("{}: cannot read crosswalk: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: the crosswalk is larger than {} KiB; fieldaudit does not read it (split it, or check it is the right file)",
        path.display(),
        MAX_FILE_SIZE / 1024
    )]
    TooLarge { path: PathBuf },
    #[error("{0}\n  fix the crosswalk and check it with `fieldaudit crosswalk validate FILE`")]
    Parse(ParseError),
    #[error(
        "no shipped crosswalk and no file named '{name}'\n  shipped crosswalks: {}\n  or give the path of a RON crosswalk file",
        shipped.join(", ")
    )]
    NotFound { name: String, shipped: Vec<String> },
    #[error("{}: the crosswalk has {} error(s):\n{}", path.display(), problems.len(), Problem::listed(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    #[error(
        "the crosswalk '{crosswalk}' maps onto {checklist}, which is not among this audit's criteria ({})\n  the audit gives no verdicts on its requirements; use a crosswalk onto one of them",
        criteria.join(", ")
    )]
    NotInCriteria {
        crosswalk: String,
        checklist: String,
        criteria: Vec<String>,
    },
    #[error(transparent)]
    Checklist(#[from] ChecklistError),
}

/// Parse crosswalk text read from `path` (syntax and schema only).
pub fn parse(text: &str, path: &Path) -> Result<Crosswalk, CrosswalkError> {
    ronfile::parse(text, path).map_err(CrosswalkError::Parse)
}

/// The text of the crosswalk file at `path`: refused past
/// [`MAX_FILE_SIZE`], and where its first byte that is not UTF-8 is.
pub fn read_text(path: &Path) -> Result<String, CrosswalkError> {
    let read_error = |source| CrosswalkError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    // Read one byte past the limit, so a file that grows meanwhile (or a
    // device that never ends) is refused without being read whole.
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(CrosswalkError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    ronfile::string_from_bytes(bytes, path).map_err(CrosswalkError::Parse)
}

/// Read, parse and validate the crosswalk file at `path`; its requirement
/// ids must resolve in the one of `checklists` it names.
pub fn load_path(path: &Path, checklists: &[&Checklist]) -> Result<Crosswalk, CrosswalkError> {
    let text = read_text(path)?;
    let crosswalk = parse(&text, path)?;
    checked(crosswalk, &text, path, checklists)
}

/// `crosswalk` if validation finds no error in it.
fn checked(
    crosswalk: Crosswalk,
    text: &str,
    path: &Path,
    checklists: &[&Checklist],
) -> Result<Crosswalk, CrosswalkError> {
    let errors: Vec<Problem> = validate(&crosswalk, Some(text), checklists)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        Ok(crosswalk)
    } else {
        Err(CrosswalkError::Invalid {
            path: path.to_path_buf(),
            problems: errors,
        })
    }
}

/// A crosswalk to read the audit in `record` through (its checklists are
/// `catalog`): shipped by id, or a file validated against the audit's own
/// checklists. Refused, saying so, when the checklist it maps onto is not
/// among the audit's criteria.
pub fn load_for_audit(
    id_or_path: &str,
    record: &AuditRecord,
    catalog: &Catalog,
) -> Result<Crosswalk, CrosswalkError> {
    if let Some(crosswalk) = registry::get(id_or_path)? {
        check_criteria(crosswalk, record)?;
        return Ok(crosswalk.clone());
    }
    let path = Path::new(id_or_path);
    if !path.is_file() {
        return Err(not_found(id_or_path));
    }
    let text = read_text(path)?;
    let crosswalk = parse(&text, path)?;
    check_criteria(&crosswalk, record)?;
    let checklists: Vec<&Checklist> = catalog.checklists().iter().collect();
    checked(crosswalk, &text, path, &checklists)
}

fn not_found(name: &str) -> CrosswalkError {
    CrosswalkError::NotFound {
        name: name.to_string(),
        shipped: registry::ids().map(str::to_string).collect(),
    }
}

/// A shipped crosswalk by id (`eu-ai-act-2024-1689`), or else a crosswalk
/// file by path, validated against `checklists`.
pub fn load(id_or_path: &str, checklists: &[&Checklist]) -> Result<Crosswalk, CrosswalkError> {
    if let Some(crosswalk) = registry::get(id_or_path)? {
        return Ok(crosswalk.clone());
    }
    let path = Path::new(id_or_path);
    if path.is_file() {
        return load_path(path, checklists);
    }
    Err(not_found(id_or_path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::registry as checklists;

    fn shipped() -> Vec<&'static Checklist> {
        checklists::all().unwrap().iter().collect()
    }

    #[test]
    fn a_file_past_the_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        let mut text = String::from("Crosswalk(id: \"x\", title: \"");
        text.push_str(&"a".repeat(MAX_FILE_SIZE as usize));
        std::fs::write(&path, text).unwrap();
        let err = load_path(&path, &shipped()).unwrap_err().to_string();
        assert!(err.contains("larger than 1024 KiB"), "{err}");
        assert!(err.starts_with(&path.display().to_string()), "{err}");
    }

    #[test]
    fn deep_nesting_and_bad_bytes_are_refused_with_their_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep.ron");
        let text = format!("Crosswalk(id: {}", "[".repeat(100_000));
        std::fs::write(&path, text).unwrap();
        let err = load_path(&path, &shipped()).unwrap_err().to_string();
        assert!(err.contains("deep.ron:1:"), "{err}");
        assert!(err.contains("crosswalk validate"), "{err}");

        std::fs::write(&path, b"Crosswalk(\n id: \"\xff\"").unwrap();
        let err = load_path(&path, &shipped()).unwrap_err().to_string();
        assert!(
            err.contains("deep.ron:2:7: byte 0xFF is not UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_name_lists_the_shipped_crosswalks() {
        let err = load("eu-ai-act", &shipped()).unwrap_err().to_string();
        assert!(
            err.contains("no shipped crosswalk and no file named 'eu-ai-act'"),
            "{err}"
        );
        assert!(err.contains("eu-ai-act-2024-1689"), "{err}");
    }
}
