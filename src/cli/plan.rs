//! `fieldaudit plan add|edit|remove|list AUDIT.ron …` (the audit plan's
//! sessions) and `fieldaudit assign AUDIT.ron REQ… --to NAME|--unassign`
//! (who audits a requirement), with their clap arguments; and the
//! per-auditor progress that `status` shows once the plan names auditors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use chrono::{NaiveDate, NaiveTime};
use clap::{Args, Subcommand};
use fieldaudit::audit::plan::{Session, SessionDraft, SessionEdit};
use fieldaudit::audit::{AuditError, AuditRecord, store};
use fieldaudit::checklist::{Catalog, ReqRef};
use fieldaudit::text::{Shown, to_json_pretty};
use serde_json::json;

use super::args::parse_date;
use super::change;
use super::out::outln;

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Add a session (a time slot of the audit plan)
    Add(PlanAddArgs),
    /// Change session N (see `plan list`); only the flags given change
    Edit(PlanEditArgs),
    /// Remove session N (the trail keeps what it was)
    Remove {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        /// The session's number, as `plan list` shows it
        #[arg(value_name = "N")]
        number: usize,
    },
    /// The agenda by day, and who audits what with their progress
    List {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

impl PlanCommand {
    /// The audit record the command works on.
    pub fn record(&self) -> &Path {
        match self {
            PlanCommand::Add(a) => &a.record,
            PlanCommand::Edit(a) => &a.record,
            PlanCommand::Remove { record, .. } | PlanCommand::List { record, .. } => record,
        }
    }
}

#[derive(Debug, Args)]
pub struct PlanAddArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// The day, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub day: NaiveDate,
    /// When it starts, HH:MM (24-hour)
    #[arg(long, value_name = "HH:MM", value_parser = parse_time)]
    pub start: NaiveTime,
    /// When it ends, HH:MM (24-hour), after the start
    #[arg(long, value_name = "HH:MM", value_parser = parse_time)]
    pub end: NaiveTime,
    /// Held remotely (default: on site)
    #[arg(long)]
    pub remote: bool,
    /// The site, when the audit has several
    #[arg(long, value_name = "TEXT")]
    pub site: Option<String>,
    /// Who audits it (repeatable): a member of the audit team
    #[arg(long = "auditor", value_name = "NAME", required = true)]
    pub auditors: Vec<String>,
    /// Who from the auditee takes part (repeatable)
    #[arg(long = "participant", value_name = "NAME")]
    pub participants: Vec<String>,
    /// What the session covers
    #[arg(long, value_name = "TEXT")]
    pub topic: String,
    /// A requirement it covers (repeatable), e.g. 6.1.2 or 42001:6.1.2
    #[arg(long = "req", value_name = "REQ")]
    pub requirements: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PlanEditArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// The session's number, as `plan list` shows it
    #[arg(value_name = "N")]
    pub number: usize,
    /// The day, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub day: Option<NaiveDate>,
    /// When it starts, HH:MM (24-hour)
    #[arg(long, value_name = "HH:MM", value_parser = parse_time)]
    pub start: Option<NaiveTime>,
    /// When it ends, HH:MM (24-hour), after the start
    #[arg(long, value_name = "HH:MM", value_parser = parse_time)]
    pub end: Option<NaiveTime>,
    /// Held remotely
    #[arg(long, conflicts_with = "on_site")]
    pub remote: bool,
    /// Held on site
    #[arg(long)]
    pub on_site: bool,
    /// The site ("" clears it)
    #[arg(long, value_name = "TEXT")]
    pub site: Option<String>,
    /// The auditors (repeatable; replaces the list)
    #[arg(long = "auditor", value_name = "NAME")]
    pub auditors: Vec<String>,
    /// The auditee's participants (repeatable; replaces the list; "" clears it)
    #[arg(long = "participant", value_name = "NAME")]
    pub participants: Vec<String>,
    /// What the session covers
    #[arg(long, value_name = "TEXT")]
    pub topic: Option<String>,
    /// The requirements (repeatable; replaces the list; "" clears it)
    #[arg(long = "req", value_name = "REQ")]
    pub requirements: Vec<String>,
    /// The session was not held, and why
    #[arg(long, value_name = "WHY", conflicts_with = "held")]
    pub not_held: Option<String>,
    /// The session was held after all
    #[arg(long)]
    pub held: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "\
A requirement is audited by the auditor it is assigned to, else by the auditors \
of the plan's sessions that cover it.")]
pub struct AssignArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Requirement ids, e.g. 6.1.2 or 42001:A.6.2.4
    #[arg(value_name = "REQ", required = true)]
    pub requirements: Vec<String>,
    /// The team member who audits them
    #[arg(long, value_name = "NAME", required_unless_present = "unassign")]
    pub to: Option<String>,
    /// Back to the auditors of the sessions that cover them
    #[arg(long, conflicts_with = "to")]
    pub unassign: bool,
}

/// A time of day written HH:MM.
fn parse_time(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map_err(|_| format!("'{s}' is not a time written HH:MM (24-hour), e.g. 09:30 or 14:00"))
}

fn resolve_all(catalog: &Catalog, queries: &[String]) -> Result<Vec<ReqRef>, AuditError> {
    let mut out = Vec::new();
    for q in queries.iter().filter(|q| !q.trim().is_empty()) {
        out.push(catalog.resolve(q)?);
    }
    Ok(out)
}

pub fn run(command: PlanCommand, given_author: Option<&str>) -> Result<ExitCode> {
    match command {
        PlanCommand::Add(args) => add(args, given_author),
        PlanCommand::Edit(args) => edit(args, given_author),
        PlanCommand::Remove { record, number } => {
            let s = change(&record, given_author, |r, _, who| {
                r.remove_session(who, number)
            })?;
            outln!("removed session {number}: {}", line(&s));
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::List { record, json } => list(&record, json),
    }
}

fn add(args: PlanAddArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let (number, session) = change(&args.record, given_author, |r, catalog, who| {
        let draft = SessionDraft {
            day: args.day,
            start: args.start,
            end: args.end,
            remote: args.remote,
            site: args.site,
            auditors: args.auditors,
            participants: args.participants,
            topic: args.topic,
            requirements: resolve_all(catalog, &args.requirements)?,
        };
        let n = r.add_session(who, draft)?;
        Ok((n, r.sessions().get(n.wrapping_sub(1)).cloned()))
    })?;
    match session {
        Some(s) => outln!("added session {number}: {}", line(&s)),
        None => outln!("added session {number}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn edit(args: PlanEditArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let number = args.number;
    let changed = change(&args.record, given_author, |r, catalog, who| {
        let some = |v: Vec<String>| (!v.is_empty()).then_some(v);
        let edit = SessionEdit {
            day: args.day,
            start: args.start,
            end: args.end,
            remote: match (args.remote, args.on_site) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            site: args.site,
            auditors: some(args.auditors),
            participants: some(args.participants),
            topic: args.topic,
            requirements: match args.requirements.is_empty() {
                true => None,
                false => Some(resolve_all(catalog, &args.requirements)?),
            },
            not_held: match (args.not_held, args.held) {
                (Some(why), _) => Some(Some(why)),
                (None, true) => Some(None),
                (None, false) => None,
            },
        };
        r.edit_session(who, number, edit)
    })?;
    if changed {
        outln!("session {number} changed");
    } else {
        outln!("session {number}: nothing to change");
    }
    Ok(ExitCode::SUCCESS)
}

/// One session on one line (no number): day, time, where, topic.
fn line(s: &Session) -> String {
    format!(
        "{} {}  {}  {}",
        s.day,
        times(s),
        Shown(place(s)),
        Shown(&s.topic)
    )
}

fn times(s: &Session) -> String {
    format!("{}–{}", s.start.format("%H:%M"), s.end.format("%H:%M"))
}

/// "on site", "remote", with the site when there is one.
pub fn place(s: &Session) -> String {
    let how = if s.remote { "remote" } else { "on site" };
    match &s.site {
        Some(site) => format!("{how} ({site})"),
        None => how.to_string(),
    }
}

fn refs(reqs: &[ReqRef]) -> String {
    reqs.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(path: &Path, json: bool) -> Result<ExitCode> {
    let record = store::load(path)?;
    let catalog = record
        .catalog()
        .map_err(|e| anyhow::anyhow!("{}: {e}", Shown(path.display())))?;
    if json {
        outln!("{}", to_json_pretty(&plan_json(&record, &catalog))?);
        return Ok(ExitCode::SUCCESS);
    }
    if record.plan.is_empty() {
        outln!(
            "no audit plan yet: add a session with `fieldaudit plan add {} --day YYYY-MM-DD --start HH:MM --end HH:MM --auditor NAME --topic TEXT`",
            Shown(path.display())
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut day = None;
    for (i, s) in record.sessions().iter().enumerate() {
        if day != Some(s.day) {
            day = Some(s.day);
            outln!("{}", s.day.format("%A %Y-%m-%d"));
        }
        outln!(
            "  {:>2}  {}  {}  {}",
            i + 1,
            times(s),
            Shown(place(s)),
            Shown(&s.topic)
        );
        outln!("      auditors: {}", Shown(s.auditors.join(", ")));
        if !s.participants.is_empty() {
            outln!("      participants: {}", Shown(s.participants.join(", ")));
        }
        if !s.requirements.is_empty() {
            outln!("      requirements: {}", Shown(refs(&s.requirements)));
        }
        if let Some(why) = &s.not_held {
            outln!("      NOT HELD: {}", Shown(why));
        }
    }
    outln!();
    outln!("who audits what:");
    for (name, done, total) in record.progress_by_auditor(&catalog) {
        let mine = record.mine(&catalog, &name);
        outln!(
            "  {}  {done}/{total} assessed: {}",
            Shown(&name),
            Shown(refs(&mine))
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn plan_json(record: &AuditRecord, catalog: &Catalog) -> serde_json::Value {
    let strings = |reqs: &[ReqRef]| reqs.iter().map(ToString::to_string).collect::<Vec<_>>();
    let sessions: Vec<_> = record
        .sessions()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "number": i + 1,
                "day": s.day.to_string(),
                "start": s.start.format("%H:%M").to_string(),
                "end": s.end.format("%H:%M").to_string(),
                "remote": s.remote,
                "site": s.site,
                "auditors": s.auditors,
                "participants": s.participants,
                "topic": s.topic,
                "requirements": strings(&s.requirements),
                "not_held": s.not_held,
            })
        })
        .collect();
    let assigned: Vec<_> = record
        .plan
        .assigned
        .iter()
        .map(|(r, a)| json!({ "requirement": r.to_string(), "auditor": a }))
        .collect();
    let by_auditor: Vec<_> = record
        .progress_by_auditor(catalog)
        .into_iter()
        .map(|(name, assessed, total)| {
            let mine = record.mine(catalog, &name);
            json!({
                "name": name,
                "assessed": assessed,
                "total": total,
                "requirements": strings(&mine),
            })
        })
        .collect();
    json!({ "sessions": sessions, "assigned": assigned, "by_auditor": by_auditor })
}

/// `status --json`'s `by_auditor`: `[{name, assessed, total}]` (empty
/// while the plan names no auditor).
pub fn status_json(record: &AuditRecord, catalog: &Catalog) -> serde_json::Value {
    record
        .progress_by_auditor(catalog)
        .into_iter()
        .map(
            |(name, assessed, total)| json!({ "name": name, "assessed": assessed, "total": total }),
        )
        .collect()
}

/// `status`'s lines of progress per auditor, when the plan names any.
pub fn print_status(record: &AuditRecord, catalog: &Catalog) -> Result<()> {
    let progress = record.progress_by_auditor(catalog);
    if progress.is_empty() {
        return Ok(());
    }
    outln!("by auditor:");
    for (name, done, total) in progress {
        outln!("  {}  {done}/{total} assessed", Shown(&name));
    }
    Ok(())
}

pub fn assign(args: AssignArgs, given_author: Option<&str>) -> Result<ExitCode> {
    let to = if args.unassign { None } else { args.to.clone() };
    let done = change(&args.record, given_author, |r, catalog, who| {
        let mut done = Vec::new();
        for q in &args.requirements {
            let req = catalog.resolve(q)?;
            let changed = r.assign(who, &req, to.clone())?;
            done.push((req, changed));
        }
        Ok(done)
    })?;
    for (req, changed) in done {
        let already = if changed { "" } else { "already " };
        match &to {
            Some(name) => outln!("{}: {already}assigned to {}", Shown(&req), Shown(name)),
            None => outln!(
                "{}: {already}audited by the plan's sessions' auditors",
                Shown(&req)
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}
