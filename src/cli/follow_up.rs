//! The follow-up of a nonconformity (or a stage 1 area of concern) on the
//! command line: `finding respond` (one, or all from the auditee's
//! findings.csv), `finding review`, `finding implemented` and `finding
//! verify`, each a step of the library's state machine applied under the
//! record's lock; and what `finding list` adds for a followed finding (its
//! state, due date, this audit's verdict and, in JSON, its history).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use fieldaudit::audit::lifecycle::{Outcome, Response, State, StepKind};
use fieldaudit::audit::{
    self, AuditRecord, Change, EvidenceLink, Finding, FollowUp, Timestamp, store,
};
use fieldaudit::evidence::pin::{self, Pinned};
use fieldaudit::text::Shown;
use serde_json::json;

use super::change;
use super::follow_up_args::{ImplementedArgs, RespondArgs, ReviewArgs, VerifyArgs};
use super::out::outln;
use super::responses_csv;

/// `finding respond`: one response from the flags, or all from a CSV file.
pub fn respond(args: RespondArgs, author: Option<&str>) -> Result<ExitCode> {
    if let Some(csv) = &args.from_csv {
        return respond_from_csv(&args.record, csv, author);
    }
    let (Some(id), Some(correction), Some(root_cause), Some(corrective_action), Some(planned)) = (
        args.id,
        args.correction,
        args.root_cause,
        args.corrective_action,
        args.planned_date,
    ) else {
        bail!(
            "give ID --correction --root-cause --corrective-action --planned-date, or --from-csv RESPONSES.csv"
        );
    };
    let response = Response {
        correction,
        root_cause,
        corrective_action,
        owner: args.owner,
        planned_date: planned,
    };
    let (id, state) = change(&args.record, author, |r, _, who| {
        let id = r.any_finding(&id)?.id;
        Ok((id, r.respond(who, &id.to_string(), response)?))
    })?;
    outln!(
        "{id}: response recorded, planned {planned}; now {}",
        state.words()
    );
    Ok(ExitCode::SUCCESS)
}

/// Every answered row of `csv`, checked against the record under its lock
/// and then recorded in one change, or none of them.
fn respond_from_csv(record: &Path, csv: &Path, author: Option<&str>) -> Result<ExitCode> {
    let sheet = responses_csv::read(csv)?;
    if sheet.answers.is_empty() && sheet.problems.is_empty() {
        outln!(
            "{}: no answers in it (every row's correction, root_cause, corrective_action and planned_date are empty); nothing recorded",
            Shown(csv.display())
        );
        return Ok(ExitCode::SUCCESS);
    }
    let file = Shown(csv.display()).to_string();
    let outcome = change(record, author, |r, _, who| {
        r.ensure_open()?;
        let mut trial = r.clone();
        let mut problems = sheet.problems.clone();
        let mut done = Vec::new();
        for a in &sheet.answers {
            let step = trial
                .any_finding(&a.id)
                .map(|f| f.id)
                .and_then(|id| Ok((id, trial.respond(who, &id.to_string(), a.response.clone())?)));
            match step {
                Ok((id, state)) => done.push((id, a.response.planned_date, state)),
                Err(e) => problems.push((
                    a.line,
                    format!("{file}:{} ({}): id: {e}", a.line, Shown(&a.id)),
                )),
            }
        }
        if problems.is_empty() {
            *r = trial;
            Ok(Ok(done))
        } else {
            Ok(Err(problems))
        }
    })?;
    let done = match outcome {
        Ok(done) => done,
        Err(problems) => {
            responses_csv::refuse_if_any(csv, problems)?;
            Vec::new()
        }
    };
    for (id, planned, state) in &done {
        outln!(
            "{id}: response recorded, planned {planned}; now {}",
            state.words()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `finding review`: accept the plan or return it.
pub fn review(args: ReviewArgs, author: Option<&str>) -> Result<ExitCode> {
    let accept = args.accept && !args.return_plan;
    let (id, state) = change(&args.record, author, |r, _, who| {
        let id = r.any_finding(&args.id)?.id;
        Ok((id, r.review(who, &id.to_string(), accept, args.comment)?))
    })?;
    let did = if accept {
        "plan accepted"
    } else {
        "plan returned"
    };
    outln!("{id}: {did}; now {}", state.words());
    Ok(ExitCode::SUCCESS)
}

/// The bundle files named, hashed now (before the record's lock is taken).
fn pinned(record: &Path, given: Option<&Path>, typed: &[String]) -> Result<Vec<Pinned>> {
    if typed.is_empty() {
        return Ok(Vec::new());
    }
    let loaded = store::load(record)?;
    let bundle = pin::bundle_path(given, loaded.evidence_bundle.as_deref(), record)?;
    Ok(pin::pin(&bundle, typed)?)
}

/// The pinned files as links made by `who`.
fn links(pinned: &[Pinned], who: &Change) -> Vec<EvidenceLink> {
    pinned
        .iter()
        .map(|p| EvidenceLink {
            path: p.path.clone(),
            sha256: p.sha256.clone(),
            size: p.size,
            linked_at: who.at,
            linked_by: who.by.clone(),
            collected: None,
        })
        .collect()
}

fn said_pinned(pinned: &[Pinned]) -> Result<()> {
    for p in pinned {
        outln!(
            "  evidence {} (sha256 {}, {} bytes)",
            Shown(&p.path),
            p.sha256,
            p.size
        );
    }
    Ok(())
}

/// `finding implemented`: the auditee's word and evidence that the action
/// was carried out.
pub fn implemented(args: ImplementedArgs, author: Option<&str>) -> Result<ExitCode> {
    let pinned = pinned(&args.record, args.evidence.as_deref(), &args.evidence_files)?;
    let (id, state) = change(&args.record, author, |r, _, who| {
        let id = r.any_finding(&args.id)?.id;
        let evidence = links(&pinned, who);
        Ok((
            id,
            r.implemented(who, &id.to_string(), args.comment, evidence)?,
        ))
    })?;
    outln!("{id}: implemented; now {}", state.words());
    said_pinned(&pinned)?;
    Ok(ExitCode::SUCCESS)
}

/// `finding verify`: the auditor's verdict, and what fieldaudit proposes
/// after a negative one.
pub fn verify(args: VerifyArgs, author: Option<&str>) -> Result<ExitCode> {
    let Some(outcome) = args.outcome() else {
        bail!(
            "give the verdict: --effective, --not-effective, --not-yet-due, --resolved or --not-resolved"
        );
    };
    let pinned = pinned(&args.record, args.evidence.as_deref(), &args.evidence_files)?;
    let (id, state, finding, proposes_major) = change(&args.record, author, |r, _, who| {
        let id = r.any_finding(&args.id)?.id;
        let evidence = links(&pinned, who);
        let state = r.verify_finding(
            who,
            &id.to_string(),
            outcome,
            args.objective_evidence,
            evidence,
        )?;
        let finding = r.any_finding(&id.to_string())?.clone();
        Ok((id, state, finding, r.proposes_major(id)))
    })?;
    outln!("{id}: {}; now {}", outcome.words(), state.words());
    said_pinned(&pinned)?;
    let proposal = if proposes_major {
        Some((
            "major",
            "as a major nonconformity: a minor one not corrected",
        ))
    } else if outcome == Outcome::NotResolved {
        Some((
            "minor",
            "as a nonconformity (minor, or major if it warrants)",
        ))
    } else {
        None
    };
    if let Some((grade, why)) = proposal {
        outln!("fieldaudit proposes raising {id} again {why}; the decision is yours:");
        outln!("  {}", raise_again_command(&args.record, &finding, grade));
    }
    Ok(ExitCode::SUCCESS)
}

/// The `finding add … --follows ID` command that raises `earlier` again as
/// `grade`, with its requirements and statement, quoted for a shell.
fn raise_again_command(record: &Path, earlier: &Finding, grade: &str) -> String {
    let mut words = vec![
        "fieldaudit".to_string(),
        "finding".into(),
        "add".into(),
        record.display().to_string(),
    ];
    let mut reqs = earlier.requirements.iter().map(ToString::to_string);
    words.extend(reqs.next());
    for also in reqs {
        words.push("--also".into());
        words.push(also);
    }
    words.extend([
        "--grade".into(),
        grade.into(),
        "--statement".into(),
        earlier.statement.clone(),
        "--follows".into(),
        earlier.id.to_string(),
    ]);
    let quoted: Vec<String> = words
        .iter()
        .map(|w| shell_words::quote(w).into_owned())
        .collect();
    Shown(quoted.join(" ")).to_string()
}

/// One step of a finding's history for `finding list --json`: what it was,
/// when and by whom, and its fields, from the structured step.
fn step_json(at: &Timestamp, by: &str, kind: &StepKind) -> serde_json::Value {
    let evidence = |links: &[EvidenceLink]| {
        links
            .iter()
            .map(|l| json!({"path": l.path, "sha256": l.sha256, "size": l.size}))
            .collect::<Vec<_>>()
    };
    let (step, fields) = match kind {
        StepKind::Response(r) => (
            "response",
            json!({
                "correction": r.correction, "root_cause": r.root_cause,
                "corrective_action": r.corrective_action, "owner": r.owner,
                "planned_date": r.planned_date.to_string(),
            }),
        ),
        StepKind::PlanAccepted { comment } => ("plan_accepted", json!({"comment": comment})),
        StepKind::PlanReturned { comment } => ("plan_returned", json!({"comment": comment})),
        StepKind::Implemented {
            comment,
            evidence: e,
        } => (
            "implemented",
            json!({"comment": comment, "evidence": evidence(e)}),
        ),
        StepKind::Verified {
            outcome,
            objective_evidence,
            evidence: e,
        } => (
            "verified",
            json!({"outcome": outcome.as_str(), "objective_evidence": objective_evidence, "evidence": evidence(e)}),
        ),
        StepKind::RaisedAgain { as_finding } => (
            "raised_again",
            json!({"as_finding": as_finding.to_string()}),
        ),
    };
    let mut out = json!({"step": step, "at": at.to_rfc3339(), "by": by});
    if let (Some(out), serde_json::Value::Object(fields)) = (out.as_object_mut(), fields) {
        out.extend(fields);
    }
    out
}

/// What `finding list --json` adds to a finding: the report it was raised
/// in (null for this audit's) and what it follows; for an NC or area of
/// concern, its follow-up and whole history.
pub fn add_json(
    item: &mut serde_json::Value,
    record: &AuditRecord,
    finding: &Finding,
    raised_in: Option<&str>,
    row: Option<&FollowUp<'_>>,
) {
    let Some(out) = item.as_object_mut() else {
        return;
    };
    out.insert("raised_in".into(), json!(raised_in));
    out.insert(
        "follows".into(),
        json!(finding.follows.map(|f| f.to_string())),
    );
    let Some(row) = row else {
        return;
    };
    let life = record.lifecycle(finding.id);
    out.insert("state".into(), json!(row.state.key()));
    out.insert("state_words".into(), json!(row.state.words()));
    if let State::RaisedAgain(as_finding) = row.state {
        out.insert("raised_again_as".into(), json!(as_finding.to_string()));
    }
    out.insert(
        "due".into(),
        json!(row.due.map(|(kind, date)| json!({
            "kind": match kind { audit::DueKind::Response => "response", audit::DueKind::Planned => "planned" },
            "date": date.to_string(),
        }))),
    );
    out.insert("overdue".into(), json!(row.overdue));
    out.insert(
        "verdict_here".into(),
        json!(row.verdict_here.map(Outcome::as_str)),
    );
    out.insert(
        "history".into(),
        json!(
            life.steps
                .iter()
                .map(|(at, by, kind)| step_json(at, by, kind))
                .collect::<Vec<_>>()
        ),
    );
}

/// The lines `finding list` adds for a finding: where it was raised, what
/// it follows, and for an NC or area of concern where it stands.
pub fn text_lines(
    finding: &Finding,
    raised_in: Option<&str>,
    row: Option<&FollowUp<'_>>,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(report) = raised_in {
        lines.push(format!("    raised in report:   {}", Shown(report)));
    }
    if let Some(earlier) = finding.follows {
        lines.push(format!("    follows:            {earlier}"));
    }
    let Some(row) = row else {
        return lines;
    };
    let overdue = if row.overdue { "  OVERDUE" } else { "" };
    lines.push(format!(
        "    state:              {}{overdue}",
        row.state.words()
    ));
    // The response deadline has its own line already.
    if let Some((audit::DueKind::Planned, date)) = row.due {
        lines.push(format!("    action planned by:  {date}"));
    }
    if let Some(verdict) = row.verdict_here {
        lines.push(format!("    verdict this audit: {}", verdict.words()));
    }
    lines
}
