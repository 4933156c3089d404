//! The demo audit a newcomer gets from a bare `fieldaudit`: the shipped
//! ISO/IEC 42001 checklist and a fictional auditee's evidence bundle
//! (`assets/demo-evidence`, embedded in the binary), kept in the user's data
//! directory and reused across runs.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::audit::report_facts::ReportFacts;

use crate::audit::{
    AuditRecord, AuditType, Change, Criterion, Member, Meta, Role, StoreError, store,
};

/// The sample evidence bundle of the fictional auditee.
static BUNDLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/demo-evidence");

/// Write the embedded bundle to `dir/demo-evidence` (replacing an old copy)
/// and return its path.
fn unpack_bundle(dir: &Path) -> Result<PathBuf, DemoError> {
    let target = dir.join("demo-evidence");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(io(&target))?;
    }
    std::fs::create_dir_all(&target).map_err(io(&target))?;
    BUNDLE.extract(&target).map_err(io(&target))?;
    Ok(target)
}

/// Where the demo lives: `$FIELDAUDIT_DATA_DIR`, else the XDG data directory
/// (`~/.local/share/fieldaudit` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    std::env::var_os("FIELDAUDIT_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("fieldaudit")))
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("no data directory for the demo audit: set FIELDAUDIT_DATA_DIR or HOME")]
    NoDataDir,
    #[error("{}: cannot prepare the demo folder: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DemoError + '_ {
    move |source| DemoError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The demo record in `dir`, created if missing. With `reset`, an existing
/// demo is moved aside to `demo.ron.previous` and a fresh one created.
/// Returns the record's path and whether it was created now.
pub fn ensure(dir: &Path, reset: bool) -> Result<(PathBuf, bool), DemoError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let path = dir.join("demo.ron");
    if path.exists() {
        if !reset {
            return Ok((path, false));
        }
        let previous = dir.join("demo.ron.previous");
        std::fs::rename(&path, &previous).map_err(io(&previous))?;
    }
    let today = chrono::Local::now().date_naive();
    let meta = Meta {
        site: Some("Wharfside House, Leeds (head office)".into()),
        scope: Some(
            "Development and operation of the ScoreWise credit-scoring model and use of the HelpMate customer-service assistant"
                .into(),
        ),
        team: vec![Member::new("Demo Auditor", Role::LeadAuditor)],
        auditee_reps: vec!["Hannah Kowalski (Head of AI Governance)".into()],
        // A two-day audit starting today, so that only the assessing is left
        // before the demo can be signed off.
        start: Some(today),
        end: today.succ_opt(),
        certification_body: Some("Example Certification Ltd (fictional)".into()),
        accreditation: Some("none (fictional demo)".into()),
        report: demo_report(),
        ..Meta::new("Northwind Lending Ltd (fictional demo)", AuditType::Stage2)
    };
    let bundle = unpack_bundle(dir)?;
    let record = AuditRecord::new(
        meta,
        vec![Criterion::Builtin("iso42001-2023".into())],
        Some(bundle.to_string_lossy().into_owned()),
        &Change::now("fieldaudit demo"),
    );
    store::create(&path, &record)?;
    Ok((path, true))
}

/// What the demo's report states besides its findings, filled in as an
/// auditor would before the closing meeting.
fn demo_report() -> ReportFacts {
    let days = |d: &str| d.parse().ok();
    ReportFacts {
        client_address: Some("Wharfside House, 12 Canal Wharf, Leeds LS11 5PS (fictional)".into()),
        planned_days: days("2"),
        onsite_days: days("2"),
        remote_days: days("0"),
        changes: Some("none: this is the first certification audit".into()),
        deviations: Some("none".into()),
        unresolved: Some("none".into()),
        sampling: Some(
            "Both AI systems in scope; the risk register, the impact assessments and the release log were sampled, not read in full"
                .into(),
        ),
        ..ReportFacts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_created_once_reused_and_reset_keeps_the_previous_copy() {
        let dir = tempfile::tempdir().unwrap();
        let (path, created) = ensure(dir.path(), false).unwrap();
        assert!(created);
        store::update(&path, |r| {
            r.meta.site = Some("changed".into());
            Ok::<_, StoreError>(())
        })
        .unwrap();
        let (again, created) = ensure(dir.path(), false).unwrap();
        assert_eq!((again.as_path(), created), (path.as_path(), false));
        assert_eq!(
            store::load(&path).unwrap().meta.site.as_deref(),
            Some("changed")
        );
        let (_, created) = ensure(dir.path(), true).unwrap();
        assert!(created);
        assert_ne!(
            store::load(&path).unwrap().meta.site.as_deref(),
            Some("changed")
        );
        let previous = std::fs::read_to_string(dir.path().join("demo.ron.previous")).unwrap();
        assert!(previous.contains("changed"));
        // The evidence bundle is unpacked beside it and named in the record.
        let bundle = dir.path().join("demo-evidence");
        let record = store::load(&path).unwrap();
        assert_eq!(record.evidence_bundle.as_deref(), bundle.to_str());
        let policy = std::fs::read_to_string(bundle.join("01-policies/ai-policy.md")).unwrap();
        assert!(policy.contains("Northwind Lending Ltd"));
        assert!(bundle.join("03-risk/ai-risk-register.xlsx").is_file());
    }
}
