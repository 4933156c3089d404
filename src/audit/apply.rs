//! Applying a change to a record on disk as an author: who the author is
//! (one fallback rule for every client), and the transaction under the lock
//! that the command line and the interface's saver both use.

use std::path::{Path, PathBuf};

use super::AuditRecord;
use super::edit::Edit;
use super::ops::{AuditError, Change};
use super::store::{self, StoreError};
use crate::checklist::Catalog;
use crate::text::Shown;

/// Who a change is recorded as: `given` (`--as NAME`, trimmed; blank counts
/// as not given), else the record's lead auditor, else the login name (when
/// not empty), else "unknown". Pure: the caller reads the login name.
pub fn author(given: Option<&str>, record: Option<&AuditRecord>, login: Option<&str>) -> String {
    given
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| record.and_then(|r| r.default_author()).map(str::to_string))
        .or_else(|| login.filter(|s| !s.is_empty()).map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

/// Why a change was not applied. Nothing on disk was changed.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The record's criteria do not make a catalog.
    #[error("{}: {reason}", Shown(path.display()))]
    Catalog { path: PathBuf, reason: AuditError },
    #[error(transparent)]
    Audit(#[from] AuditError),
}

/// Apply a change to the record at `path` durably, under its lock, with the
/// record's catalog, as [`author`] of `given` and `login` (decided on the
/// record as re-read under the lock).
pub fn change_as<T>(
    path: &Path,
    given: Option<&str>,
    login: Option<&str>,
    apply: impl FnOnce(&mut AuditRecord, &Catalog, &Change) -> Result<T, AuditError>,
) -> Result<T, ChangeError> {
    store::update(path, |record| -> Result<T, ChangeError> {
        let catalog = record.catalog().map_err(|reason| ChangeError::Catalog {
            path: path.to_path_buf(),
            reason,
        })?;
        let who = Change::now(author(given, Some(record), login));
        Ok(apply(record, &catalog, &who)?)
    })
}

/// Replay a queued [`Edit`] on the record at `path` durably, under its lock,
/// as `change` (author and time stamped when the auditor confirmed it), so
/// that changes made meanwhile by others are kept. Returns the record as
/// saved.
pub fn save_edit(path: &Path, edit: &Edit, change: &Change) -> Result<AuditRecord, ChangeError> {
    store::update(path, |record| -> Result<AuditRecord, ChangeError> {
        edit.apply(record, change)?;
        Ok(record.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditType, Criterion, Member, Meta, Role};

    #[test]
    fn the_author_falls_back_from_as_to_the_lead_auditor_to_the_login() {
        let mut meta = Meta::new("A", AuditType::Stage2);
        let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
        let none = AuditRecord::new(meta.clone(), criteria.clone(), None, &Change::now("t"));
        meta.team = vec![Member::new("Lee", Role::LeadAuditor)];
        let led = AuditRecord::new(meta, criteria, None, &Change::now("t"));
        assert_eq!(author(Some("  Jo "), Some(&led), Some("me")), "Jo");
        assert_eq!(author(Some("  "), Some(&led), Some("me")), "Lee");
        assert_eq!(author(None, Some(&none), Some("me")), "me");
        assert_eq!(author(None, None, Some("")), "unknown");
        assert_eq!(author(None, None, None), "unknown");
    }
}
