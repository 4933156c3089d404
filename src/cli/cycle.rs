//! `fieldaudit new NEXT.ron --after PREVIOUS_REPORT.zip --pubkey KEY.pub`:
//! the next audit of a certification cycle, started from the last signed
//! report. The zip is verified first (manifest, every file, the signature
//! with the given key); only then is its `audit.ron` read, from the zip in
//! memory and bounded, never extracted to disk.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use fieldaudit::audit::cycle::PreviousReport;
use fieldaudit::audit::{self, AuditRecord, Change, Criterion, store};
use fieldaudit::report::keys;
use fieldaudit::report::manifest;
use fieldaudit::report::pack::MANIFEST;
use fieldaudit::report::verify::{self, Signature, Verdict};
use fieldaudit::text::Shown;
use fieldaudit::zipread::{Archive, Entry};

use super::args::NewArgs;
use super::out::outln;

/// The record inside a report zip.
const RECORD_ENTRY: &str = "audit.ron";

/// A record above this size is refused unread (a real one is far smaller).
const RECORD_LIMIT: u64 = 64 << 20;

/// `new NEXT.ron --after PREVIOUS_REPORT.zip --pubkey KEY.pub [--type …]`.
pub fn new_after(args: NewArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let (Some(zip), Some(pubkey)) = (args.after.as_deref(), args.pubkey.as_deref()) else {
        bail!("--after PREVIOUS_REPORT.zip goes with --pubkey KEY.pub, the key it was signed with");
    };
    let public = keys::load_public(pubkey)?;
    let (previous, report) = read_previous(zip, &public)?;
    let evidence = args
        .evidence
        .as_deref()
        .map(super::record::evidence_path)
        .transpose()?;
    let who = Change::now(audit::author(
        given_author,
        Some(&previous),
        super::login().as_deref(),
    ));
    let chain = report.clone();
    let mut next = previous
        .next_in_cycle(report, args.audit_type, &who)
        .with_context(|| format!("{}: cannot start the next audit", Shown(zip.display())))?;
    next.evidence_bundle = evidence;
    // Custom checklists travel inside the record; make sure they still load.
    next.catalog()
        .map_err(|e| anyhow::anyhow!("{}: {e}", Shown(zip.display())))?;
    store::create(&args.record, &next)?;
    print_created(&args.record, &next, &chain)?;
    Ok(ExitCode::SUCCESS)
}

/// Verify the report at `zip` with `public`, then read its record: the
/// record and what the next audit records of the report.
fn read_previous(
    zip: &Path,
    public: &minisign::PublicKey,
) -> Result<(AuditRecord, PreviousReport)> {
    let file = File::open(zip)
        .with_context(|| format!("{}: cannot open the previous report", Shown(zip.display())))?;
    let mut source = BufReader::new(file);
    let archive = Archive::read(&mut source).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a readable zip ({e}); give the signed report zip that `fieldaudit pack` wrote",
            Shown(zip.display())
        )
    })?;
    let verdict = verify::verify_archive(&archive, &mut source, Some(public));
    let key_id = verified_key(zip, &verdict)?;
    let manifest_bytes = read_entry(zip, &archive, &mut source, MANIFEST)?;
    let record_bytes = read_entry(zip, &archive, &mut source, RECORD_ENTRY)?;
    let record = store::parse_record(&record_bytes, &zip.join(RECORD_ENTRY))?;
    if record.auditee_copy {
        bail!(
            "{}: this is the auditee's copy of the report (`pack --for client`), without the working papers and the audit trail the next audit follows up from; start from the certification body's report",
            Shown(zip.display())
        );
    }
    let Some(sign_off) = &record.sign_off else {
        bail!(
            "{}: its {RECORD_ENTRY} is not signed off (a draft record packed into a signed zip?): only the record of a signed final report starts the next audit; sign off and pack the previous audit again",
            Shown(zip.display())
        );
    };
    if sign_off.key_id != key_id {
        bail!(
            "{}: its record was signed off with key {}, but the zip is signed with key {}; ask for the report as the lead auditor signed it",
            Shown(zip.display()),
            Shown(&sign_off.key_id),
            Shown(&key_id)
        );
    }
    let revision = sign_off
        .revision
        .or_else(|| record.reports.last().map(|r| r.revision))
        .unwrap_or(1);
    let report = PreviousReport {
        report_no: record.report_no(),
        revision,
        audit_type: record.meta.audit_type,
        manifest_sha256: manifest::digest(&manifest_bytes),
        key_id,
        signer: sign_off.signer.clone(),
        signed_at: sign_off.at,
    };
    Ok((record, report))
}

/// The key id of a report that verified with the given key; otherwise a
/// refusal that says why, lists verify's problems and what to do.
fn verified_key(zip: &Path, verdict: &Verdict) -> Result<String> {
    let problems: String = verdict
        .problems
        .iter()
        .map(|p| format!("\n  - {}", Shown(p)))
        .collect();
    let zip = Shown(zip.display());
    match &verdict.signature {
        Signature::Verified { key_id, .. } if verdict.ok() => Ok(key_id.clone()),
        Signature::Unsigned => bail!(
            "{zip} is an unsigned draft: only a signed final report starts the next audit; ask for the report packed with `fieldaudit pack … --key KEY --signer NAME`{problems}"
        ),
        Signature::Rejected { key_id, .. } => bail!(
            "{zip} is signed by key {}, not by the given public key: start from the report signed with that key, or give the signer's own KEY.pub{problems}",
            Shown(key_id)
        ),
        Signature::Invalid => bail!(
            "{zip}: its signature is unreadable or corrupt, so nothing authenticates it; ask for an intact copy of the signed report{problems}"
        ),
        _ => bail!(
            "{zip} does not verify ({} problem(s)): it was changed after it was signed, or damaged; nothing was created; ask for an intact copy of the signed report (`fieldaudit verify {zip} --pubkey KEY.pub` says the same){problems}",
            verdict.problems.len()
        ),
    }
}

/// An entry of the verified zip, whole, in memory; refused unread above
/// [`RECORD_LIMIT`].
fn read_entry<R: Read + Seek>(
    zip: &Path,
    archive: &Archive,
    source: &mut R,
    name: &str,
) -> Result<Vec<u8>> {
    let Some(entry) = archive
        .entries
        .iter()
        .find(|e: &&Entry| e.name == name.as_bytes())
    else {
        bail!(
            "{}: it has no {name}, so it is not a fieldaudit report; give the report zip that `fieldaudit pack` wrote",
            Shown(zip.display())
        );
    };
    if entry.size > RECORD_LIMIT {
        bail!(
            "{}: its {name} is {} bytes, more than a record can be ({RECORD_LIMIT}); not read",
            Shown(zip.display()),
            entry.size
        );
    }
    let mut bytes = Vec::new();
    archive
        .reader(source, entry)
        .and_then(|r| r.take(RECORD_LIMIT).read_to_end(&mut bytes))
        .with_context(|| format!("{}: cannot read its {name}", Shown(zip.display())))?;
    Ok(bytes)
}

/// What was made: the record, the findings carried, the chain, what next.
fn print_created(path: &Path, next: &AuditRecord, chain: &PreviousReport) -> Result<()> {
    let criteria: Vec<&str> = next.criteria.iter().map(Criterion::id).collect();
    outln!(
        "created {} ({} audit of {}; criteria: {})",
        Shown(path.display()),
        next.meta.audit_type.label(),
        Shown(&next.meta.client),
        Shown(criteria.join(", "))
    );
    let carried: Vec<String> = next
        .previous_findings
        .iter()
        .map(|c| c.finding.id.to_string())
        .collect();
    if carried.is_empty() {
        outln!("carried: nothing to follow up");
    } else {
        outln!(
            "carried ({}) to follow up: {}",
            carried.len(),
            carried.join(", ")
        );
    }
    outln!(
        "follows report {} revision {} ({} audit, signed by {} with key {}), manifest SHA-256 {}",
        Shown(&chain.report_no),
        chain.revision,
        chain.audit_type.label(),
        Shown(&chain.signer),
        Shown(&chain.key_id),
        chain.manifest_sha256
    );
    let path = Shown(path.display());
    outln!("next:");
    outln!("  fieldaudit meta {path} --start YYYY-MM-DD --end YYYY-MM-DD");
    if next.samples() {
        outln!("  fieldaudit sample {path} --add REQ   (this visit's sample)");
    }
    if !carried.is_empty() {
        outln!(
            "  fieldaudit finding respond {path} --from-csv RESPONSES.csv   (the auditee's responses)"
        );
        outln!("  fieldaudit status {path}   (the follow-up, what is overdue)");
    }
    Ok(())
}
