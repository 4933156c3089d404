//! `fieldaudit evidence index|check` and `fieldaudit link`: the auditee's
//! bundle from the command line.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64};

use anyhow::{Result, bail};
use fieldaudit::audit::{AuditError, AuditRecord, Change, LinkTarget, store};
use fieldaudit::checklist::Catalog;
use fieldaudit::evidence::collected;
use fieldaudit::evidence::hash::{self, Sha256Digest};
use fieldaudit::evidence::{Bundle, Entry, Listing, Pinned, pin};
use fieldaudit::text::{Shown, to_json_pretty};
use serde_json::json;

use super::args::AttachArgs;
use super::out::{errln, outln};

/// Hash entries on every core, with a progress bar on stderr when it is a terminal.
pub fn hash_with_progress(bundle: &Bundle, entries: &[Entry]) -> Vec<Result<Sha256Digest, String>> {
    let total = AtomicU64::new(entries.iter().map(|e| e.size).sum());
    let done = AtomicU64::new(0);
    let cancel = AtomicBool::new(false);
    super::progress::with_bar("hashing", &done, &total, || {
        hash::hash_all(bundle, entries, hash::default_threads(), &done, &cancel)
    })
}

fn open_bundle(path: &Path) -> Result<(Bundle, Listing)> {
    let bundle = Bundle::open(path)?;
    let listing = bundle.list()?;
    Ok((bundle, listing))
}

fn warn_problems(bundle: &Bundle, listing: &Listing) {
    for p in &listing.problems {
        errln!(
            "warning: {}: '{}' not read: {}",
            Shown(bundle.root().display()),
            Shown(&p.path),
            Shown(&p.reason)
        );
    }
}

pub fn index(path: &Path, json: bool) -> Result<ExitCode> {
    let (bundle, listing) = open_bundle(path)?;
    warn_problems(&bundle, &listing);
    let results = hash_with_progress(&bundle, &listing.entries);
    let mut rows = Vec::new();
    let mut failed = 0;
    for (entry, result) in listing.entries.iter().zip(results) {
        match result {
            Ok(digest) => rows.push((entry, hash::to_hex(&digest))),
            Err(e) => {
                failed += 1;
                errln!("warning: {}", Shown(&e));
            }
        }
    }
    if json {
        let items: Vec<_> = rows
            .iter()
            .map(|(e, sha)| json!({"path": e.path, "size": e.size, "sha256": sha}))
            .collect();
        outln!("{}", to_json_pretty(&items)?);
    } else {
        for (e, sha) in &rows {
            outln!("{sha}  {:>12}  {}", e.size, Shown(&e.path));
        }
    }
    let skipped = listing.problems.len() + failed;
    if skipped > 0 {
        errln!(
            "{}: {} file(s) indexed, {skipped} not read (see the warnings above)",
            Shown(bundle.root().display()),
            rows.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn check(record_path: &Path, given: Option<&Path>) -> Result<ExitCode> {
    let record = store::load(record_path)?;
    let links = record.evidence_links();
    if links.is_empty() {
        outln!(
            "{}: no evidence is linked yet",
            Shown(record_path.display())
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (collected_links, links): (Vec<_>, Vec<_>) =
        links.into_iter().partition(|(_, l)| l.collected.is_some());
    let (c_changed, c_missing) = check_collected(record_path, &collected_links)?;
    let c_ok = collected_links.len() - c_changed - c_missing;
    if links.is_empty() {
        outln!(
            "{} collected file(s) checked against {}: {c_ok} unchanged, {c_changed} changed, {c_missing} missing",
            collected_links.len(),
            Shown(collected::folder_for(record_path).display())
        );
        return Ok(exit_code(c_changed + c_missing));
    }
    let bundle_path = pin::bundle_path(given, record.evidence_bundle.as_deref(), record_path)?;
    let (bundle, listing) = open_bundle(&bundle_path)?;
    // Hash each linked file once, even when it is cited several times.
    let mut wanted: Vec<Entry> = Vec::new();
    for (_, link) in &links {
        if let Some(e) = listing.get(&link.path)
            && !wanted.iter().any(|w| w.path == e.path)
        {
            wanted.push(e.clone());
        }
    }
    let hashed: Vec<(String, Result<Sha256Digest, String>)> = wanted
        .iter()
        .map(|e| e.path.clone())
        .zip(hash_with_progress(&bundle, &wanted))
        .collect();
    let (mut changed, mut missing) = (0, 0);
    for (target, link) in &links {
        let now = hashed.iter().find(|(p, _)| *p == link.path).map(|(_, r)| r);
        match now {
            None => {
                missing += 1;
                outln!(
                    "MISSING  {}  (cited by {}; linked {} by {})",
                    Shown(&link.path),
                    Shown(target),
                    link.linked_at.to_rfc3339(),
                    Shown(&link.linked_by)
                );
            }
            Some(Err(e)) => {
                missing += 1;
                outln!(
                    "UNREADABLE  {}  (cited by {}): {}",
                    Shown(&link.path),
                    Shown(target),
                    Shown(e)
                );
            }
            Some(Ok(digest)) if hash::to_hex(digest) != link.sha256 => {
                changed += 1;
                outln!(
                    "CHANGED  {}  (cited by {}; sha256 was {}, now {})",
                    Shown(&link.path),
                    Shown(target),
                    Shown(&link.sha256),
                    hash::to_hex(digest)
                );
            }
            Some(Ok(_)) => {}
        }
    }
    let ok = links.len() - changed - missing;
    outln!(
        "{} link(s) checked against {}: {ok} unchanged, {changed} changed, {missing} missing",
        links.len(),
        Shown(bundle.root().display())
    );
    if !collected_links.is_empty() {
        outln!(
            "{} collected file(s) checked against {}: {c_ok} unchanged, {c_changed} changed, {c_missing} missing",
            collected_links.len(),
            Shown(collected::folder_for(record_path).display())
        );
    }
    Ok(exit_code(changed + missing + c_changed + c_missing))
}

fn exit_code(problems: usize) -> ExitCode {
    if problems > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Re-hash the files the auditor collected, each once; print what changed
/// or went missing. Gives (changed, missing), counted per citation.
fn check_collected(
    record_path: &Path,
    links: &[(LinkTarget, &fieldaudit::audit::EvidenceLink)],
) -> Result<(usize, usize)> {
    let folder = collected::folder_for(record_path);
    let mut states: Vec<(&str, collected::State)> = Vec::new();
    let (mut changed, mut missing) = (0, 0);
    for (target, link) in links {
        let state = match states.iter().find(|(sha, _)| *sha == link.sha256) {
            Some((_, state)) => state.clone(),
            None => {
                let state = collected::check(&folder, &link.sha256);
                states.push((&link.sha256, state.clone()));
                state
            }
        };
        let name = link
            .collected
            .as_ref()
            .map_or(link.path.as_str(), |c| c.original_name.as_str());
        match state {
            collected::State::Unchanged => {}
            collected::State::Missing => {
                missing += 1;
                outln!(
                    "MISSING  {}  (collected; cited by {}; sha256 {})",
                    Shown(name),
                    Shown(target),
                    Shown(&link.sha256)
                );
            }
            collected::State::Unreadable(e) => {
                missing += 1;
                outln!(
                    "UNREADABLE  {}  (collected; cited by {}): {}",
                    Shown(name),
                    Shown(target),
                    Shown(&e)
                );
            }
            collected::State::Changed { now } => {
                changed += 1;
                outln!(
                    "CHANGED  {}  (collected; cited by {}; sha256 was {}, now {now})",
                    Shown(name),
                    Shown(target),
                    Shown(&link.sha256)
                );
            }
        }
    }
    Ok((changed, missing))
}

/// Link one file to a requirement, or to a finding on it.
pub fn link(
    record_path: &Path,
    requirement: &str,
    typed: &str,
    finding: Option<&str>,
    given: Option<&Path>,
    author: Option<&str>,
) -> Result<ExitCode> {
    let record = store::load(record_path)?;
    let bundle_path = pin::bundle_path(given, record.evidence_bundle.as_deref(), record_path)?;
    let pinned = pin::pin(&bundle_path, &[typed.to_string()])?;
    let Some(Pinned {
        path,
        sha256: sha,
        size,
    }) = pinned.into_iter().next()
    else {
        bail!("nothing to link");
    };
    let (target, changed) = super::change(record_path, author, |r, catalog, who| {
        let target = target_of(r, catalog, requirement, finding)?;
        let changed = r.link_evidence(who, &target, path.clone(), sha.clone(), size)?;
        Ok((target, changed))
    })?;
    if changed {
        outln!(
            "linked {} to {} (sha256 {sha}, {size} bytes)",
            Shown(&path),
            Shown(&target)
        );
    } else {
        outln!(
            "{} is already linked to {} at this version",
            Shown(&path),
            Shown(&target)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The requirement `requirement`, or the finding `finding` raised on it.
fn target_of(
    r: &AuditRecord,
    catalog: &Catalog,
    requirement: &str,
    finding: Option<&str>,
) -> Result<LinkTarget, AuditError> {
    let req = catalog.resolve(requirement)?;
    Ok(match finding {
        None => LinkTarget::Requirement(req),
        Some(id) => {
            let f = r.finding(id)?;
            if !f.requirements.contains(&req) {
                return Err(AuditError::FindingNotOn {
                    id: f.id.to_string(),
                    req,
                    on: f.requirements.iter().map(ToString::to_string).collect(),
                });
            }
            LinkTarget::Finding(f.id)
        }
    })
}

/// Copy a file the auditor collected beside the record and cite it.
pub fn attach(args: &AttachArgs, author: Option<&str>) -> Result<ExitCode> {
    let record_path = &args.record;
    // Refuse a signed-off or unreadable record before copying anything.
    store::load(record_path)?.ensure_open()?;
    let folder = collected::folder_for(record_path);
    let stored = collected::store(&folder, &args.file)?;
    let (target, changed) = super::change(record_path, author, |r, catalog, who| {
        let target = target_of(r, catalog, &args.requirement, args.finding.as_deref())?;
        let changed = r.cite_collected(
            who,
            &target,
            stored.sha256.clone(),
            stored.size,
            stored.original_name.clone(),
            args.caption.clone(),
        )?;
        Ok((target, changed))
    })?;
    let verb = if changed {
        "attached"
    } else {
        "already attached"
    };
    outln!(
        "{verb} '{}' to {} (sha256 {}, {} bytes; kept as {})",
        Shown(&stored.original_name),
        Shown(&target),
        stored.sha256,
        stored.size,
        Shown(stored.path.display())
    );
    Ok(ExitCode::SUCCESS)
}

/// Remember a bundle in the record (for `open --evidence`).
pub fn remember(record_path: &Path, given: &Path, author: Option<&str>) -> Result<()> {
    let bundle = Bundle::open(given)?;
    let path = bundle.root().to_string_lossy().into_owned();
    super::change(record_path, author, |r, _, who: &Change| {
        r.set_evidence_bundle(who, path.clone())
    })?;
    Ok(())
}
