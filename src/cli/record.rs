//! The commands that create, change and read an audit record.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use fieldaudit::audit::conclusion::{Conclusion, Recommendation};
use fieldaudit::audit::report_facts::{Days, Statement, TimeFigure};
use fieldaudit::audit::status::Status;
use fieldaudit::audit::{
    self, AuditRecord, AuditType, Change, Criterion, Finding, FindingEdit, LinkTarget, Member,
    Meta, MetaEdit, Role, store, team,
};
use fieldaudit::checklist::{self, Catalog, ReqRef, registry};
use fieldaudit::evidence::pin;
use fieldaudit::text::{Shown, clipped, to_json_pretty};
use serde_json::json;

use super::change;
use super::out::{errln, outln};

use super::args::{
    AssessArgs, ConcludeArgs, FindingAddArgs, FindingCommand, FindingEditArgs, MetaArgs, NewArgs,
    NoteArgs, ReportArgs, StatusArgs,
};

pub(super) fn load(path: &Path) -> Result<(AuditRecord, Catalog)> {
    let record = store::load(path)?;
    let catalog = record
        .catalog()
        .map_err(|e| anyhow::anyhow!("{}: {e}", Shown(path.display())))?;
    Ok((record, catalog))
}

pub(super) fn evidence_path(given: &Path) -> Result<String> {
    let path = given.canonicalize().with_context(|| {
        format!(
            "{}: cannot open the evidence bundle",
            Shown(given.display())
        )
    })?;
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if !(path.is_dir() || (path.is_file() && is_zip)) {
        bail!(
            "{}: an evidence bundle is a folder or a .zip file",
            Shown(given.display())
        );
    }
    path.to_str().map(str::to_string).with_context(|| {
        format!(
            "{}: the evidence path is not valid UTF-8; move the bundle to a plainer path",
            Shown(given.display())
        )
    })
}

pub fn new(args: NewArgs, given_author: Option<&str>) -> Result<ExitCode> {
    if args.record.exists() {
        return Err(store::StoreError::Exists { path: args.record }.into());
    }
    if args.after.is_some() {
        return super::cycle::new_after(args, given_author);
    }
    let mut criteria = Vec::new();
    let mut checklists = Vec::new();
    for name in &args.checklists {
        let loaded = checklist::load(name)?;
        criteria.push(if registry::get(name)?.is_some() {
            Criterion::Builtin(loaded.id.clone())
        } else {
            Criterion::Custom(loaded.clone())
        });
        checklists.push(loaded);
    }
    Catalog::new(checklists)?;
    let evidence = args.evidence.as_deref().map(evidence_path).transpose()?;
    let client = args.client.unwrap_or_default();
    let meta = Meta::new(client.trim(), args.audit_type.unwrap_or(AuditType::Stage2));
    if meta.client.is_empty() {
        bail!("the client name is empty; give --client \"Organization name\"");
    }
    let who = Change::now(audit::author(given_author, None, super::login().as_deref()));
    let record = AuditRecord::new(meta, criteria, evidence, &who);
    store::create(&args.record, &record)?;
    outln!(
        "created {} ({} audit of {}; criteria: {})",
        Shown(args.record.display()),
        record.meta.audit_type.label(),
        Shown(&record.meta.client),
        Shown(args.checklists.join(", "))
    );
    Ok(ExitCode::SUCCESS)
}

/// An optional value from the record, shown; "-" when absent.
fn or_none(v: &Option<String>) -> Shown<&str> {
    Shown(v.as_deref().unwrap_or("-"))
}

fn print_meta(path: &Path, json: bool) -> Result<()> {
    let record = store::load(path)?;
    let m = &record.meta;
    if json {
        let out = json!({
            "client": m.client, "site": m.site, "scope": m.scope,
            "type": m.audit_type.as_str(),
            "start": m.start.map(|d| d.to_string()), "end": m.end.map(|d| d.to_string()),
            "lead_auditor": m.lead_auditor(),
            "team": m.team.iter().map(|t| json!({"name": t.name, "role": t.role.as_str()})).collect::<Vec<_>>(),
            "auditee_reps": m.auditee_reps,
            "certification_body": m.certification_body, "accreditation": m.accreditation,
            "criteria": record.criteria.iter().map(Criterion::id).collect::<Vec<_>>(),
            "evidence": record.evidence_bundle,
            "report": report_json(m),
            "certification_decision": record.cycle.as_ref().and_then(|c| c.certification_decision).map(|d| d.to_string()),
            "stage1_ncs": m.report.stage1_ncs,
        });
        outln!("{}", to_json_pretty(&out)?);
        return Ok(());
    }
    let date = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    let list = |l: &[String]| {
        if l.is_empty() {
            "-".into()
        } else {
            Shown(l.join(", ")).to_string()
        }
    };
    outln!("client:             {}", Shown(&m.client));
    outln!("site:               {}", or_none(&m.site));
    outln!("scope:              {}", or_none(&m.scope));
    outln!("type:               {}", m.audit_type.as_str());
    outln!("dates:              {} to {}", date(m.start), date(m.end));
    print_team(&m.team, "team:               ")?;
    outln!("auditee reps:       {}", list(&m.auditee_reps));
    outln!("certification body: {}", or_none(&m.certification_body));
    outln!("accreditation:      {}", or_none(&m.accreditation));
    let criteria: Vec<&str> = record.criteria.iter().map(Criterion::id).collect();
    outln!("criteria:           {}", Shown(criteria.join(", ")));
    outln!("evidence:           {}", or_none(&record.evidence_bundle));
    let decision = record.cycle.as_ref().and_then(|c| c.certification_decision);
    let stage1_ncs = if m.report.stage1_ncs {
        "allowed"
    } else {
        "not allowed (areas of concern only)"
    };
    outln!();
    outln!("certification cycle:");
    outln!("  decision        {}", date(decision));
    outln!("  stage 1 NCs     {stage1_ncs}");
    let facts = &m.report;
    outln!();
    outln!("report:");
    for which in Statement::ALL {
        let value = match which {
            Statement::Objectives => Some(facts.objectives_or_default(m.audit_type)),
            other => facts.statement(other).cloned(),
        };
        outln!("  {:<16}{}", which.key(), or_none(&value));
    }
    for which in TimeFigure::ALL {
        let days = facts.time(which).map_or("-".into(), |d| d.to_string());
        outln!("  {:<16}{days}", which.key());
    }
    outln!(
        "  response days   {} (major), {} (minor) after the audit's end",
        facts.response_days(true),
        facts.response_days(false)
    );
    Ok(())
}

/// The report's statements for `meta --json`: `null` where still missing.
fn report_json(m: &Meta) -> serde_json::Value {
    let facts = &m.report;
    let mut out = serde_json::Map::new();
    for which in Statement::ALL {
        out.insert(which.key().into(), json!(facts.statement(which)));
    }
    out.insert(
        "objectives".into(),
        json!(facts.objectives_or_default(m.audit_type)),
    );
    for which in TimeFigure::ALL {
        let days = facts.time(which).map(|d| d.to_string());
        out.insert(which.key().into(), json!(days));
    }
    out.insert(
        "response_days_major".into(),
        json!(facts.response_days(true)),
    );
    out.insert(
        "response_days_minor".into(),
        json!(facts.response_days(false)),
    );
    out.insert("missing".into(), json!(facts.missing()));
    serde_json::Value::Object(out)
}

/// The team one member a line, `Name (role)`, the first after `label`
/// and the rest aligned under it; "-" when there is nobody.
fn print_team(team: &[Member], label: &str) -> Result<()> {
    if team.is_empty() {
        outln!("{label}-");
    }
    for (i, member) in team.iter().enumerate() {
        let lead = if i == 0 {
            label.to_string()
        } else {
            " ".repeat(label.chars().count())
        };
        outln!("{lead}{}", Shown(team::format_line(member)));
    }
    Ok(())
}

/// The role flags given, each with its names (`--lead-auditor` is a role
/// given with one name).
fn team_flags(args: &mut MetaArgs) -> Vec<(Role, Vec<String>)> {
    let lists = [
        (
            Role::LeadAuditor,
            args.lead_auditor.take().into_iter().collect(),
        ),
        (Role::Auditor, std::mem::take(&mut args.auditors)),
        (
            Role::TechnicalExpert,
            std::mem::take(&mut args.technical_experts),
        ),
        (Role::Observer, std::mem::take(&mut args.observers)),
        (
            Role::AuditorInTraining,
            std::mem::take(&mut args.auditors_in_training),
        ),
        (Role::Interpreter, std::mem::take(&mut args.interpreters)),
    ];
    lists
        .into_iter()
        .filter(|(_, names): &(Role, Vec<String>)| !names.is_empty())
        .collect()
}

/// `--auditee-rep a --auditee-rep b` sets the list; no flag leaves it.
fn list_flag(values: Vec<String>) -> Option<Vec<String>> {
    (!values.is_empty()).then_some(values)
}

pub fn meta(mut args: MetaArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let team_given = team_flags(&mut args);
    let edit = MetaEdit {
        client: args.client,
        site: args.site,
        scope: args.scope,
        audit_type: args.audit_type,
        start: args.start.map(|d| d.0),
        end: args.end.map(|d| d.0),
        auditee_reps: list_flag(args.auditee_reps),
        certification_body: args.certification_body,
        accreditation: args.accreditation,
        team: None,
        statements: report_statements(&mut args.report),
        time: report_time(&args.report),
        response_days: [
            args.report.response_days_major.take().map(|d| d.0),
            args.report.response_days_minor.take().map(|d| d.0),
        ],
        certification_decision: args.certification_decision.map(|d| d.0),
        stage1_ncs: args.stage1_ncs,
    };
    let nothing = edit.client.is_none()
        && edit.site.is_none()
        && edit.scope.is_none()
        && edit.audit_type.is_none()
        && edit.start.is_none()
        && edit.end.is_none()
        && team_given.is_empty()
        && edit.auditee_reps.is_none()
        && edit.certification_body.is_none()
        && edit.accreditation.is_none()
        && edit.statements.is_empty()
        && edit.time.is_empty()
        && edit.response_days.iter().all(Option::is_none)
        && edit.certification_decision.is_none()
        && edit.stage1_ncs.is_none();
    if nothing {
        print_meta(&args.record, args.json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let changed = change(&args.record, given_author, |r, _, who| {
        let team = if team_given.is_empty() {
            None
        } else {
            Some(team::with_roles(&r.meta.team, &team_given)?)
        };
        r.set_meta(who, MetaEdit { team, ..edit })
    })?;
    if changed.is_empty() {
        outln!("nothing changed");
    } else {
        outln!("updated {}", changed.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// The report statements given on the command line.
fn report_statements(args: &mut ReportArgs) -> Vec<(Statement, String)> {
    [
        (Statement::ReportNo, args.report_no.take()),
        (Statement::Objectives, args.objectives.take()),
        (Statement::ClientAddress, args.client_address.take()),
        (Statement::TimeReason, args.time_reason.take()),
        (Statement::Changes, args.changes.take()),
        (Statement::Deviations, args.deviations.take()),
        (Statement::Unresolved, args.unresolved.take()),
        (Statement::Sampling, args.sampling.take()),
    ]
    .into_iter()
    .filter_map(|(which, value)| Some((which, value?)))
    .collect()
}

/// The audit time given on the command line.
fn report_time(args: &ReportArgs) -> Vec<(TimeFigure, Option<Days>)> {
    [
        (TimeFigure::Planned, &args.planned_days),
        (TimeFigure::OnSite, &args.onsite_days),
        (TimeFigure::Remote, &args.remote_days),
    ]
    .into_iter()
    .filter_map(|(which, value)| Some((which, value.as_ref()?.0)))
    .collect()
}

pub fn conclude(args: ConcludeArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let (Some(recommendation), Some(reasoning)) = (args.recommendation, args.reasoning) else {
        print_conclusion(&args.record, args.json)?;
        return Ok(ExitCode::SUCCESS);
    };
    let conclusion = Conclusion {
        recommendation,
        reasoning,
        scope_appropriate: args.scope_appropriate,
        effectiveness: args.effectiveness,
        objectives_met: args.objectives_met,
        at: audit::now(),
        by: String::new(),
    };
    let changed = change(&args.record, given_author, |r, _, who| {
        r.conclude(who, conclusion)
    })?;
    if changed {
        outln!("{}: {}", recommendation, recommendation.sentence());
    } else {
        outln!("nothing changed");
    }
    Ok(ExitCode::SUCCESS)
}

/// The conclusion as recorded, and what fieldaudit proposes from the findings.
fn print_conclusion(path: &Path, json: bool) -> Result<()> {
    let record = store::load(path)?;
    let proposed = Recommendation::proposed(&record);
    let c = record.conclusion.as_ref();
    if json {
        let out = json!({
            "proposed": proposed.as_str(),
            "options": Recommendation::options(record.meta.audit_type).map(|r| r.as_str()),
            "conclusion": c.map(|c| json!({
                "recommendation": c.recommendation.as_str(),
                "reasoning": c.reasoning,
                "scope_appropriate": c.scope_appropriate,
                "effectiveness": c.effectiveness,
                "objectives_met": c.objectives_met,
                "by": c.by, "at": c.at.to_rfc3339(),
            })),
        });
        outln!("{}", to_json_pretty(&out)?);
        return Ok(());
    }
    let yes_no = |b: Option<bool>| b.map_or("-", |b| if b { "yes" } else { "no" });
    match c {
        None => outln!("no conclusion yet"),
        Some(c) => {
            outln!(
                "recommendation:    {} ({})",
                c.recommendation,
                c.recommendation.sentence()
            );
            outln!("reasoning:         {}", Shown(&c.reasoning));
            outln!("scope appropriate: {}", yes_no(c.scope_appropriate));
            outln!("effectiveness:     {}", or_none(&c.effectiveness));
            outln!("objectives met:    {}", yes_no(c.objectives_met));
            outln!(
                "by:                {} at {}",
                Shown(&c.by),
                c.at.format("%Y-%m-%d %H:%M")
            );
        }
    }
    outln!(
        "proposed from the findings: {} (options for a {} audit: {})",
        proposed,
        record.meta.audit_type,
        Recommendation::options(record.meta.audit_type)
            .map(|r| r.as_str())
            .join(", ")
    );
    Ok(())
}

pub fn assess(args: AssessArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let (req, verdict_changed, declared_changed) =
        change(&args.record, given_author, |r, catalog, who| {
            let req = catalog.resolve(&args.requirement)?;
            let verdict = match args.verdict {
                Some(v) => r.set_verdict(who, &req, v, args.justification.clone())?,
                None => false,
            };
            let declared = match &args.implementation {
                Some(i) => r.set_implementation(who, &req, i.0)?,
                None => false,
            };
            Ok((req, verdict, declared))
        })?;
    if let Some(verdict) = args.verdict {
        let already = if verdict_changed { "" } else { "already " };
        outln!("{}: {already}{verdict}", Shown(&req));
    }
    if let Some(i) = args.implementation {
        let word = i.0.map_or("not declared", |i| i.as_str());
        let already = if declared_changed { "" } else { "already " };
        outln!("{}: {already}declared {word}", Shown(&req));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn note(args: NoteArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let (req, id) = change(&args.record, given_author, |r, catalog, who| {
        let req = catalog.resolve(&args.requirement)?;
        let id = r.add_note(who, &req, args.text, args.interviewee)?;
        if args.internal {
            r.set_note_internal(who, &req, id, true)?;
        }
        Ok((req, id))
    })?;
    let kind = if args.internal {
        "internal note"
    } else {
        "note"
    };
    outln!("{}: {kind} {id} added", Shown(&req));
    Ok(ExitCode::SUCCESS)
}

pub fn finding(command: FindingCommand, given_author: Option<&str>) -> Result<ExitCode> {
    match command {
        FindingCommand::Add(args) => finding_add(args, given_author),
        FindingCommand::List { record, json } => finding_list(&record, json),
        FindingCommand::Edit(args) => finding_edit(args, given_author),
        FindingCommand::Remove { record, id } => {
            let removed = change(&record, given_author, |r, _, who| {
                r.remove_finding(who, &id)
            })?;
            outln!("removed {} (kept in the audit trail)", removed.id);
            Ok(ExitCode::SUCCESS)
        }
        FindingCommand::Respond(args) => super::follow_up::respond(args, given_author),
        FindingCommand::Review(args) => super::follow_up::review(args, given_author),
        FindingCommand::Implemented(args) => super::follow_up::implemented(args, given_author),
        FindingCommand::Verify(args) => super::follow_up::verify(args, given_author),
    }
}

fn warn_missing_evidence(id: &audit::FindingId, grade: audit::Grade, evidence: bool) {
    if grade.is_nonconformity() && !evidence {
        errln!(
            "warning: {id} has no objective evidence yet; a nonconformity needs it (finding edit … --objective-evidence \"what was seen, and where\")"
        );
    }
}

/// Say on stderr which verdicts `--set-nonconforming` changed (stdout
/// keeps the finding id alone, for scripts).
fn said_nonconforming(set: &[(ReqRef, audit::Verdict)]) {
    for (req, was) in set {
        errln!("{}: nonconforming (was {})", Shown(req), was.words());
    }
}

fn finding_add(args: FindingAddArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let has_evidence = args
        .objective_evidence
        .as_deref()
        .is_some_and(|e| !e.trim().is_empty());
    let grade = args.grade;
    // Hash cited files before taking the record's lock.
    let pinned = if args.evidence_files.is_empty() {
        Vec::new()
    } else {
        let record = store::load(&args.record)?;
        let bundle = pin::bundle_path(
            args.evidence.as_deref(),
            record.evidence_bundle.as_deref(),
            &args.record,
        )?;
        pin::pin(&bundle, &args.evidence_files)?
    };
    if args.set_nonconforming && !grade.is_nonconformity() {
        bail!("--set-nonconforming goes with an NC (--grade major or minor)");
    }
    let (id, set) = change(&args.record, given_author, |r, catalog, who| {
        let mut reqs = vec![catalog.resolve(&args.requirement)?];
        for also in &args.also {
            reqs.push(catalog.resolve(also)?);
        }
        // Without the flag the library refuses an NC on a requirement
        // marked conforming or not applicable.
        let set = if args.set_nonconforming {
            r.marked_clear(&reqs)
        } else {
            Vec::new()
        };
        let set_reqs: Vec<ReqRef> = set.iter().map(|(req, _)| req.clone()).collect();
        let id = r.set_nonconforming_then(who, &set_reqs, |r| match &args.follows {
            Some(earlier) => r.raise_again(
                who,
                earlier,
                grade,
                reqs,
                args.statement,
                args.objective_evidence,
            ),
            None => r.add_finding(who, grade, reqs, args.statement, args.objective_evidence),
        })?;
        for p in &pinned {
            r.link_evidence(
                who,
                &LinkTarget::Finding(id),
                p.path.clone(),
                p.sha256.clone(),
                p.size,
            )?;
        }
        Ok((id, set))
    })?;
    outln!("{id}");
    said_nonconforming(&set);
    warn_missing_evidence(&id, grade, has_evidence);
    Ok(ExitCode::SUCCESS)
}

fn finding_edit(args: FindingEditArgs, given_author: Option<&str>) -> Result<ExitCode> {
    if args.grade.is_none()
        && args.statement.is_none()
        && args.objective_evidence.is_none()
        && args.response_due.is_none()
    {
        bail!(
            "nothing to change: give --grade, --statement, --objective-evidence and/or --response-due"
        );
    }
    let edit = FindingEdit {
        grade: args.grade,
        statement: args.statement,
        objective_evidence: args.objective_evidence,
        also: None,
        response_due: args.response_due.map(|d| d.0),
    };
    let set_nonconforming = args.set_nonconforming;
    let (new_id, finding, set) = change(&args.record, given_author, |r, _, who| {
        let set = if set_nonconforming {
            let regrade = audit::Edit::EditFinding {
                id: r.finding(&args.id)?.id,
                grade: edit.grade,
                statement: None,
                objective_evidence: None,
                also: None,
            };
            regrade.marked_clear(r)
        } else {
            Vec::new()
        };
        let set_reqs: Vec<ReqRef> = set.iter().map(|(req, _)| req.clone()).collect();
        let new_id =
            r.set_nonconforming_then(who, &set_reqs, |r| r.edit_finding(who, &args.id, edit))?;
        Ok((new_id, r.finding(&new_id.to_string())?.clone(), set))
    })?;
    said_nonconforming(&set);
    if new_id.to_string() != args.id.trim().to_ascii_uppercase() {
        outln!(
            "{} is now {new_id}",
            Shown(args.id.trim().to_ascii_uppercase())
        );
    } else {
        outln!("{new_id} updated");
    }
    warn_missing_evidence(&new_id, finding.grade, finding.objective_evidence.is_some());
    Ok(ExitCode::SUCCESS)
}

fn finding_json(f: &Finding, meta: &Meta) -> serde_json::Value {
    json!({
        "id": f.id.to_string(),
        "grade": f.grade.as_str(),
        "requirements": f.requirements.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "statement": f.statement,
        "objective_evidence": f.objective_evidence,
        "raised_at": f.raised_at.to_rfc3339(),
        "raised_by": f.raised_by,
        "evidence": f.evidence.iter().map(|l| json!({"path": l.path, "sha256": l.sha256, "size": l.size})).collect::<Vec<_>>(),
        "response_due": f.response_due(meta).map(|d| d.to_string()),
        "response_due_set": f.response_due.is_some(),
    })
}

fn finding_list(path: &Path, json: bool) -> Result<ExitCode> {
    let (record, catalog) = load(path)?;
    let rows = record.follow_ups(audit::now().date_naive());
    let row = |f: &Finding| rows.iter().find(|r| r.finding.id == f.id);
    let carried = record.previous_findings.iter();
    let all: Vec<(&Finding, Option<&str>)> = carried
        .map(|c| (&c.finding, Some(c.raised_in.as_str())))
        .chain(record.findings.iter().map(|f| (f, None)))
        .collect();
    if json {
        let items: Vec<_> = all
            .iter()
            .map(|(f, raised_in)| {
                let mut item = finding_json(f, &record.meta);
                super::follow_up::add_json(&mut item, &record, f, *raised_in, row(f));
                item
            })
            .collect();
        outln!("{}", to_json_pretty(&items)?);
        return Ok(ExitCode::SUCCESS);
    }
    if all.is_empty() {
        outln!("no findings");
    }
    for (f, raised_in) in all {
        let title = |r: &ReqRef| {
            catalog
                .get(r)
                .map_or(String::new(), |(_, req)| format!(" {}", Shown(&req.title)))
        };
        outln!("{}  {}", f.id, f.grade.label());
        for r in &f.requirements {
            outln!("    requirement:        {}{}", Shown(r), title(r));
        }
        outln!("    statement:          {}", Shown(&f.statement));
        outln!("    objective evidence: {}", or_none(&f.objective_evidence));
        outln!(
            "    raised:             {} by {}",
            f.raised_at.to_rfc3339(),
            Shown(&f.raised_by)
        );
        if f.grade.is_nonconformity() {
            let due = match (f.response_due(&record.meta), f.response_due.is_some()) {
                (Some(due), true) => format!("{due} (set)"),
                (Some(due), false) => due.to_string(),
                (None, _) => "- (no end date yet)".to_string(),
            };
            outln!("    response due:       {due}");
        }
        for line in super::follow_up::text_lines(f, raised_in, row(f)) {
            outln!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn status(args: StatusArgs) -> Result<ExitCode> {
    let (record, catalog) = load(&args.record)?;
    let status = Status::of(&record, &catalog);
    let today = chrono::Local::now().date_naive();
    if args.json {
        let mut value = serde_json::to_value(&status)?;
        super::cycle_status::add_json(&mut value, &record, today);
        value["visit"] = serde_json::to_value(record.visit(&catalog))?;
        value["by_auditor"] = super::plan::status_json(&record, &catalog);
        outln!("{}", to_json_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{} — {} audit{}",
        Shown(&status.client),
        record.meta.audit_type.label(),
        match (record.meta.start, record.meta.end) {
            (Some(s), Some(e)) => format!(", {s} to {e}"),
            (Some(s), None) => format!(", from {s}"),
            _ => String::new(),
        }
    );
    print_team(&record.meta.team, "team: ")?;
    outln!(
        "assessed {}/{} requirements ({}%)",
        status.requirements_assessed,
        status.requirements_total,
        (status.requirements_assessed * 100)
            .checked_div(status.requirements_total)
            .unwrap_or(100)
    );
    if let Some(v) = record.visit(&catalog) {
        outln!(
            "this visit: {}/{} assessed ({} in every surveillance, {} sampled; {} not audited this time)",
            v.assessed,
            v.in_visit,
            v.always,
            v.sampled,
            v.not_audited
        );
    }
    super::plan::print_status(&record, &catalog)?;
    for c in &status.checklists {
        outln!();
        outln!(
            "{}  {}/{} assessed ({}%): {}",
            Shown(&c.id),
            c.coverage.assessed,
            c.coverage.total,
            c.coverage.percent(),
            c.coverage.verdicts()
        );
        for s in &c.sections {
            let line = format!(
                "  {:<6} {:<48} {:>3}/{:<3}{}",
                Shown(&s.id),
                clipped(&Shown(&s.title).to_string(), 48),
                s.coverage.assessed,
                s.coverage.total,
                if s.coverage.nonconforming > 0 {
                    format!("  {} NC", s.coverage.nonconforming)
                } else {
                    String::new()
                }
            );
            outln!("{}", line.trim_end());
        }
    }
    let f = &status.findings;
    outln!();
    outln!(
        "findings: {} major, {} minor, {} observation(s), {} OFI, {} good practice",
        f.major,
        f.minor,
        f.observation,
        f.ofi,
        f.good_practice
    );
    if f.area_of_concern > 0 {
        outln!("areas of concern: {}", f.area_of_concern);
    }
    outln!("notes: {}", status.notes_total);
    super::cycle_status::print(&record, today)?;
    if let Some(s) = &status.sign_off {
        outln!(
            "signed off by {} at {} with key {}: locked until `fieldaudit reopen`",
            Shown(&s.signer),
            s.at.to_rfc3339(),
            Shown(&s.key_id)
        );
    }
    Ok(ExitCode::SUCCESS)
}
