//! `fieldaudit sample AUDIT.ron [--add REQ]… [--remove REQ]… [--json]`: a
//! surveillance visit's sample. With flags, requirements go in or out of
//! it (in one change); without, the visit is listed: the requirements every
//! surveillance covers, those sampled, and how many are not audited.

use std::process::ExitCode;

use anyhow::Result;
use fieldaudit::audit::store;
use fieldaudit::checklist::ReqRef;
use fieldaudit::text::{Shown, to_json_pretty};
use serde_json::json;

use super::args::SampleArgs;
use super::change;
use super::out::outln;

/// What one `--add` or `--remove` did.
enum Done {
    Added(ReqRef),
    AlreadyIn(ReqRef),
    AlwaysIn(ReqRef),
    Removed(ReqRef),
    NotSampled(ReqRef),
}

pub fn run(args: SampleArgs, given_author: Option<&str>) -> Result<ExitCode> {
    if args.add.is_empty() && args.remove.is_empty() {
        return list(&args);
    }
    let done = change(&args.record, given_author, |r, catalog, who| {
        let mut done = Vec::new();
        for query in &args.add {
            let req = catalog.resolve(query)?;
            let always = catalog
                .get(&req)
                .is_some_and(|(_, q)| q.always_in_surveillance());
            let changed = r.set_sampled(who, catalog, &req, true)?;
            done.push(match (changed, always) {
                (true, _) => Done::Added(req),
                (false, true) => Done::AlwaysIn(req),
                (false, false) => Done::AlreadyIn(req),
            });
        }
        for query in &args.remove {
            let req = catalog.resolve(query)?;
            done.push(if r.set_sampled(who, catalog, &req, false)? {
                Done::Removed(req)
            } else {
                Done::NotSampled(req)
            });
        }
        Ok(done)
    })?;
    for d in done {
        match d {
            Done::Added(req) => outln!("{}: added to this visit's sample", Shown(&req)),
            Done::AlreadyIn(req) => outln!("{}: already in the sample", Shown(&req)),
            Done::AlwaysIn(req) => outln!(
                "{}: always in a surveillance visit (nothing to add)",
                Shown(&req)
            ),
            Done::Removed(req) => outln!("{}: taken out of the sample", Shown(&req)),
            Done::NotSampled(req) => outln!("{}: was not in the sample", Shown(&req)),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The visit: always-in requirements, sampled ones, how many are left out.
fn list(args: &SampleArgs) -> Result<ExitCode> {
    let record = store::load(&args.record)?;
    let catalog = record
        .catalog()
        .map_err(|e| anyhow::anyhow!("{}: {e}", Shown(args.record.display())))?;
    let mut always = Vec::new();
    let mut sampled = Vec::new();
    let mut total = 0usize;
    for (req, _, requirement) in catalog.requirements() {
        total += 1;
        if requirement.always_in_surveillance() {
            always.push((req, requirement.title.clone()));
        } else if record.sample.contains(&req) {
            sampled.push((req, requirement.title.clone()));
        }
    }
    let samples = record.samples();
    let in_visit = if samples {
        always.len() + sampled.len()
    } else {
        total
    };
    let not_audited = total - in_visit;
    if args.json {
        let ids = |list: &[(ReqRef, String)]| -> Vec<String> {
            list.iter().map(|(r, _)| r.to_string()).collect()
        };
        let out = json!({
            "audit_type": record.meta.audit_type.as_str(),
            "samples": samples,
            "always": ids(&always),
            "sampled": ids(&sampled),
            "in_visit": in_visit,
            "not_audited": not_audited,
            "total": total,
        });
        outln!("{}", to_json_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    if !samples {
        outln!(
            "{} audit: every requirement ({total}) is audited; only a surveillance audit samples",
            record.meta.audit_type.label()
        );
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{} audit: {in_visit} of {total} requirements in this visit; {not_audited} not audited this time (not the same as not applicable)",
        record.meta.audit_type.label()
    );
    for (req, title) in &always {
        outln!("  always   {}  {}", Shown(req), Shown(title));
    }
    for (req, title) in &sampled {
        outln!("  sampled  {}  {}", Shown(req), Shown(title));
    }
    if sampled.is_empty() {
        outln!(
            "nothing sampled yet: `fieldaudit sample {} --add REQ`",
            Shown(args.record.display())
        );
    }
    Ok(ExitCode::SUCCESS)
}
