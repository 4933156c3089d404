//! `merge`, `merge-driver` (git's), `conflicts` and `resolve`: putting two
//! auditors' copies of a record together, and settling what they disagree
//! on.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use fieldaudit::audit::conflict::{Choice, Conflict};
use fieldaudit::audit::merge::{Merged, merge as merge_records};
use fieldaudit::audit::{AuditRecord, store};
use fieldaudit::text::{Shown, to_json_pretty};
use serde_json::json;

use super::out::{errln, outln};

fn load_three(base: &Path, ours: &Path, theirs: &Path) -> Result<Merged> {
    let base_r = store::load(base)?;
    let ours_r = store::load(ours)?;
    let theirs_r = store::load(theirs)?;
    Ok(merge_records(&base_r, &ours_r, &theirs_r))
}

/// `fieldaudit merge BASE OURS THEIRS -o OUT`.
pub fn merge(base: &Path, ours: &Path, theirs: &Path, out: &Path) -> Result<ExitCode> {
    let into_ours = same_file(out, ours);
    if out.exists() && !into_ours {
        anyhow::bail!(
            "{} exists; merge writes a new file (or OURS.ron itself): give another -o",
            Shown(out.display())
        );
    }
    let merged = load_three(base, ours, theirs)?;
    if into_ours {
        store::update(ours, |r| {
            *r = merged.record.clone();
            Ok::<_, store::StoreError>(())
        })?;
    } else {
        store::create(out, &merged.record)?;
    }
    report(&merged, out)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Say what the merge made; exit 1 while conflicts are open.
fn report(merged: &Merged, out: &Path) -> Result<ExitCode> {
    let open = merged.record.conflicts_shown();
    outln!(
        "merged into {}: {} conflict(s) made, {} open",
        Shown(out.display()),
        merged.made.len(),
        open.len()
    );
    for (path, c) in &open {
        print_conflict(path, c)?;
    }
    if open.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        outln!(
            "settle each with `fieldaudit resolve {} FIELD_PATH --take N` (or --value VALUE)",
            Shown(out.display())
        );
        Ok(ExitCode::FAILURE)
    }
}

fn print_conflict(path: &str, c: &Conflict) -> Result<()> {
    outln!("{}", Shown(path));
    for (n, v) in c.values.iter().enumerate() {
        outln!(
            "  {}. {}   ({}, {})",
            n + 1,
            Shown(&v.value),
            Shown(&v.by),
            v.at.to_rfc3339()
        );
    }
    Ok(())
}

/// `fieldaudit merge-driver %O %A %B`: git's merge driver. Writes the merge
/// into %A; exits 1 when this merge made conflicts (git then stops for the
/// team to see them; the record still parses) or when a side does not parse
/// (then %A is left as it was), else 0: conflicts made by an earlier merge
/// and already committed do not stop every later pull again.
pub fn driver(base: &Path, ours: &Path, theirs: &Path) -> Result<ExitCode> {
    let merged = match load_three(base, ours, theirs) {
        Ok(m) => m,
        Err(e) => {
            errln!("fieldaudit merge-driver: {e:#}");
            errln!("  the record was not merged; mend that copy and merge again");
            return Ok(ExitCode::FAILURE);
        }
    };
    store::overwrite(ours, &merged.record)
        .with_context(|| format!("writing the merged record into {}", Shown(ours.display())))?;
    let open = merged.record.conflicts_shown().len();
    if merged.made.is_empty() {
        if open > 0 {
            errln!(
                "fieldaudit: the audit record merged; {open} conflict(s) from an earlier merge are still open (`fieldaudit conflicts AUDIT.ron`)"
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let shown = merged.record.conflicts_shown();
    errln!(
        "fieldaudit: the audit record merged with {} new conflict(s) ({open} open in all):",
        merged.made.len()
    );
    for (path, c) in &shown {
        if merged.made.iter().any(|m| m.path == c.path) {
            errln!("  {}", Shown(path));
        }
    }
    errln!(
        "  list them with `fieldaudit conflicts AUDIT.ron`, settle each with `fieldaudit resolve`"
    );
    Ok(ExitCode::FAILURE)
}

/// `fieldaudit conflicts AUDIT.ron [--json]`.
pub fn conflicts(path: &Path, json: bool) -> Result<ExitCode> {
    let record = store::load(path)?;
    let open = record.conflicts_shown();
    if json {
        let list: Vec<_> = open
            .iter()
            .map(|(shown, c)| {
                json!({
                    "path": shown,
                    "stored": c.path,
                    "values": c.values.iter().enumerate().map(|(n, v)| json!({
                        "n": n + 1, "value": v.value, "by": v.by, "at": v.at.to_rfc3339(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        outln!("{}", to_json_pretty(&list)?);
        return Ok(ExitCode::SUCCESS);
    }
    if open.is_empty() {
        outln!("no open conflicts");
    }
    for (shown, c) in &open {
        print_conflict(shown, c)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `fieldaudit resolve AUDIT.ron FIELD_PATH --take N | --value VALUE`.
pub fn resolve(
    path: &Path,
    field: &str,
    take: Option<usize>,
    value: Option<String>,
    author: Option<&str>,
) -> Result<ExitCode> {
    let choice = match (take, value) {
        (Some(n), _) => Choice::Take(n),
        (None, Some(v)) => Choice::Value(v),
        (None, None) => anyhow::bail!("give --take N or --value VALUE"),
    };
    let left = super::change(path, author, |r: &mut AuditRecord, _, who| {
        r.resolve(who, field, choice)?;
        Ok(r.conflicts.len())
    })?;
    outln!("resolved {}; {left} conflict(s) still open", Shown(field));
    Ok(ExitCode::SUCCESS)
}
