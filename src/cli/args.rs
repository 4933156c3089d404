//! The command line, as clap sees it.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use fieldaudit::audit::conclusion::Recommendation;
use fieldaudit::audit::{AuditType, Grade, Verdict};

pub use super::plan::{AssignArgs, PlanCommand};

#[derive(Debug, Parser)]
#[command(
    name = "fieldaudit",
    version,
    about = "ISO/IEC 42001 certification audits in the terminal: checklists, verdicts, notes and findings that are never lost",
    after_help = "Exit status: 0 done, 1 refused or failed (the message says why; nothing saved was changed), 2 bad usage."
)]
pub struct Cli {
    /// Who is making the change (default: $FIELDAUDIT_AS, else the audit's lead auditor)
    #[arg(long = "as", value_name = "NAME", global = true)]
    pub author: Option<String>,

    /// Without a command, the demo audit opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show and validate checklists (audit criteria)
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// List, validate and show crosswalks: a regulation's articles (the EU AI Act) mapped onto a checklist
    #[command(subcommand)]
    Crosswalk(CrosswalkCommand),
    /// Open an audit record in the full-screen interface
    Open(OpenArgs),
    /// Open the demo audit (what a bare `fieldaudit` does)
    Demo {
        /// Start the demo over (the old one is kept as demo.ron.previous)
        #[arg(long)]
        reset: bool,
    },
    /// Create a new audit record
    New(NewArgs),
    /// Show or change the audit's metadata
    Meta(Box<MetaArgs>),
    /// Record the team's conclusions and recommendation (without flags: show them, and what fieldaudit proposes)
    Conclude(ConcludeArgs),
    /// Set the verdict on a requirement
    Assess(AssessArgs),
    /// Append a timestamped interview note to a requirement
    Note(NoteArgs),
    /// Raise, list, edit and remove findings
    #[command(subcommand)]
    Finding(FindingCommand),
    /// Coverage per checklist and clause, findings per grade, the cycle and the follow-up
    Status(StatusArgs),
    /// A surveillance visit's sample: put requirements in or out; without flags, list it
    Sample(SampleArgs),
    /// The audit plan: add, edit, remove and list its sessions (day, time, place, who, topic, requirements)
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Assign requirements to an auditor (--to NAME), or back to the plan's sessions (--unassign)
    Assign(AssignArgs),
    /// Index the auditee's evidence bundle, or check cited files for changes
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Cite an evidence file (pinned by its SHA-256) for a requirement or a finding
    Link(LinkArgs),
    /// Attach a file you collected (kept beside the record under its SHA-256) to a requirement or a finding
    Attach(AttachArgs),
    /// Share an audit record with the team through git: init, join, configure
    #[command(subcommand)]
    Team(super::team::TeamCommand),
    /// Merge two copies of a record changed apart, against their common ancestor
    Merge {
        #[arg(value_name = "BASE.ron")]
        base: PathBuf,
        #[arg(value_name = "OURS.ron")]
        ours: PathBuf,
        #[arg(value_name = "THEIRS.ron")]
        theirs: PathBuf,
        /// The merged record to write (a new file, or OURS.ron itself)
        #[arg(short = 'o', long = "output", value_name = "OUT.ron")]
        out: PathBuf,
    },
    /// Git's merge driver for audit records: merges %O %A %B into %A (exit 1 while conflicts remain)
    MergeDriver {
        #[arg(value_name = "BASE")]
        base: PathBuf,
        #[arg(value_name = "OURS")]
        ours: PathBuf,
        #[arg(value_name = "THEIRS")]
        theirs: PathBuf,
    },
    /// List the record's open merge conflicts, each value numbered
    Conflicts {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Settle one merge conflict: take one of its values, or give another
    Resolve {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        /// The field, as `conflicts` shows it (e.g. iso42001-2023:6.1.2/verdict)
        #[arg(value_name = "FIELD_PATH")]
        path: String,
        /// Take value N of those `conflicts` lists
        #[arg(
            long,
            value_name = "N",
            conflicts_with = "value",
            required_unless_present = "value"
        )]
        take: Option<usize>,
        /// Set this value instead (a verdict word, a date, the text, …)
        #[arg(long, value_name = "VALUE")]
        value: Option<String>,
    },
    /// Create a minisign key pair for signing reports (KEYBASE.key, KEYBASE.pub)
    Keygen {
        #[arg(value_name = "KEYBASE")]
        base: PathBuf,
        /// Do not protect the secret key with a password (not recommended)
        #[arg(long)]
        no_password: bool,
    },
    /// Pack the report zip for the certification body (signed, or --draft)
    Pack {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        /// The zip to write (never overwritten)
        #[arg(short = 'o', long = "output", value_name = "REPORT.zip")]
        out: PathBuf,
        /// The minisign secret key that signs a final report
        #[arg(long, value_name = "KEYBASE.key")]
        key: Option<PathBuf>,
        /// Who signs the report off
        #[arg(long, value_name = "NAME")]
        signer: Option<String>,
        /// An unsigned report marked DRAFT, whatever the record's state
        #[arg(long)]
        draft: bool,
        /// The bundle the cited evidence comes from (default: the record's own)
        #[arg(long, value_name = "PATH")]
        evidence: Option<PathBuf>,
        /// Who the report is for: cb (the certification body: everything)
        /// or client (the auditee's copy: no working papers, interviewees
        /// by role, no evidence copies; signed after the cb report's sign-off)
        #[arg(long = "for", value_name = "WHOM", default_value = "cb", value_parser = ["cb", "client"])]
        audience: String,
    },
    /// Write the audit's results for other tools: --xlsx (a spreadsheet workbook) or --oscal (OSCAL assessment results, plan and SSP stub)
    Export(ExportArgs),
    /// Unlock a signed-off record (the sign-off then no longer holds)
    Reopen {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
    },
    /// Check a report zip: every file against the manifest, and the signature
    Verify {
        #[arg(value_name = "REPORT.zip")]
        report: PathBuf,
        /// The signer's public key; without it the signer is not authenticated
        #[arg(long, value_name = "KEY.pub")]
        pubkey: Option<PathBuf>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

/// `export`: one format, to new files.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("format").required(true)))]
pub struct ExportArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// The file to write (never overwritten)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// A spreadsheet workbook: results per requirement, findings (the
    /// findings.csv columns) and the Statement of Applicability
    #[arg(long, group = "format")]
    pub xlsx: bool,
    /// OSCAL 1.2 assessment results, with the plan (NAME.plan.json) and
    /// SSP stub (NAME.ssp.json) beside them
    #[arg(long, group = "format")]
    pub oscal: bool,
}

impl Command {
    /// The audit record the command opens, if it opens one (for the warning
    /// on a git clone whose merge driver is not configured).
    pub fn record(&self) -> Option<&std::path::Path> {
        match self {
            Command::Open(OpenArgs { record, .. })
            | Command::New(NewArgs { record, .. })
            | Command::Conclude(ConcludeArgs { record, .. })
            | Command::Assess(AssessArgs { record, .. })
            | Command::Note(NoteArgs { record, .. })
            | Command::Status(StatusArgs { record, .. })
            | Command::Sample(SampleArgs { record, .. })
            | Command::Link(LinkArgs { record, .. })
            | Command::Attach(AttachArgs { record, .. })
            | Command::Evidence(EvidenceCommand::Check { record, .. })
            | Command::Crosswalk(CrosswalkCommand::Show { record, .. })
            | Command::Pack { record, .. }
            | Command::Export(ExportArgs { record, .. })
            | Command::Reopen { record }
            | Command::Conflicts { record, .. }
            | Command::Resolve { record, .. } => Some(record),
            Command::Meta(args) => Some(&args.record),
            Command::Plan(command) => Some(command.record()),
            Command::Assign(args) => Some(&args.record),
            Command::Finding(command) => Some(command.record()),
            Command::Checklist(_)
            | Command::Crosswalk(_)
            | Command::Demo { .. }
            | Command::Evidence(EvidenceCommand::Index { .. })
            | Command::Keygen { .. }
            | Command::Verify { .. }
            | Command::Team(_)
            // A merge writes its own output (OUT.ron, or %A inside git,
            // where the driver is evidently configured).
            | Command::Merge { .. }
            | Command::MergeDriver { .. } => None,
        }
    }
}

impl FindingCommand {
    /// The audit record the command works on.
    pub fn record(&self) -> &std::path::Path {
        match self {
            FindingCommand::Add(FindingAddArgs { record, .. })
            | FindingCommand::List { record, .. }
            | FindingCommand::Edit(FindingEditArgs { record, .. })
            | FindingCommand::Remove { record, .. } => record,
            FindingCommand::Respond(args) => &args.record,
            FindingCommand::Review(args) => &args.record,
            FindingCommand::Implemented(args) => &args.record,
            FindingCommand::Verify(args) => &args.record,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Every file of a folder or .zip with its size and SHA-256 (read-only)
    Index {
        /// The bundle: a folder or a .zip
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// Print JSON: [{"path", "size", "sha256"}, …]
        #[arg(long)]
        json: bool,
    },
    /// List cited files that changed or disappeared since they were linked (exit 1 if any)
    Check {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        /// The bundle to check against (default: the record's own)
        #[arg(long, value_name = "PATH")]
        evidence: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Requirement id, e.g. 6.1.2 or 27001:A.5.1
    #[arg(value_name = "REQ")]
    pub requirement: String,
    /// The file's path inside the bundle, e.g. 03-risk/ai-risk-register.xlsx
    #[arg(value_name = "BUNDLE_PATH")]
    pub path: String,
    /// Cite it in this finding (raised on REQ) instead of on the requirement
    #[arg(long, value_name = "ID")]
    pub finding: Option<String>,
    /// The bundle (default: the record's own)
    #[arg(long, value_name = "PATH")]
    pub evidence: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AttachArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Requirement id, e.g. 6.1.2 or 27001:A.5.1
    #[arg(value_name = "REQ")]
    pub requirement: String,
    /// The file to attach (copied into AUDIT.evidence/ beside the record)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Cite it in this finding (raised on REQ) instead of on the requirement
    #[arg(long, value_name = "ID")]
    pub finding: Option<String>,
    /// What the file shows, for the report's evidence index
    #[arg(long, value_name = "TEXT")]
    pub caption: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// Print each shipped checklist: id, title, requirement count
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Print a checklist's outline (or its full content as JSON)
    Show {
        /// A shipped checklist id (see `checklist list`) or a RON file
        #[arg(value_name = "ID_OR_PATH")]
        checklist: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Include the audit questions and evidence hints in the text outline
        #[arg(long)]
        full: bool,
    },
    /// Check a checklist file: syntax, unique ids, titles, cross-references
    Validate {
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Make a checklist from a CISO Assistant framework library (YAML) or a CSV table
    Import(super::checklist_import::ImportArgs),
}

fn parse_type(s: &str) -> Result<AuditType, String> {
    s.parse()
        .map_err(|e: fieldaudit::audit::BadValue| e.to_string())
}

fn parse_verdict(s: &str) -> Result<Verdict, String> {
    s.parse()
        .map_err(|e: fieldaudit::audit::BadValue| e.to_string())
}

fn parse_grade(s: &str) -> Result<Grade, String> {
    s.parse()
        .map_err(|e: fieldaudit::audit::BadValue| e.to_string())
}

pub(super) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|e| format!("'{s}' is not a date written YYYY-MM-DD ({e})"))
}

/// A date to set, or none (`""`) to clear it.
#[derive(Debug, Clone, Copy)]
pub struct DateOrClear(pub Option<NaiveDate>);

fn parse_date_or_clear(s: &str) -> Result<DateOrClear, String> {
    if s.trim().is_empty() {
        return Ok(DateOrClear(None));
    }
    parse_date(s).map(|d| DateOrClear(Some(d)))
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// The auditee's evidence bundle (folder or .zip); remembered by the record
    #[arg(long, value_name = "PATH")]
    pub evidence: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The record file to create (refused if it exists)
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Checklist to audit against: shipped id or RON file (repeat for integrated audits)
    #[arg(
        long = "checklist",
        value_name = "ID_OR_PATH",
        required_unless_present = "after",
        conflicts_with = "after"
    )]
    pub checklists: Vec<String>,
    /// The organization audited
    #[arg(long, required_unless_present = "after", conflicts_with = "after")]
    pub client: Option<String>,
    /// stage1, stage2 (the default), surveillance1, surveillance2,
    /// recertification (or surveillance, unnumbered); after --after, the
    /// next in the cycle
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_type)]
    pub audit_type: Option<AuditType>,
    /// Start the next audit of the cycle from this signed report: verified
    /// first; client, scope, criteria, team carried, and every finding to
    /// follow up
    #[arg(long, value_name = "PREVIOUS_REPORT.zip", requires = "pubkey")]
    pub after: Option<PathBuf>,
    /// The public key the previous report must be signed with (with --after)
    #[arg(long, value_name = "KEY.pub", requires = "after")]
    pub pubkey: Option<PathBuf>,
    /// The auditee's evidence bundle (folder or .zip), opened read-only
    #[arg(long, value_name = "PATH")]
    pub evidence: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Audit team: each role flag given replaces everyone in that role with the names given; \
roles not given are kept. `--observer \"\"` removes all observers. A person named for a \
new role leaves their old one (`--technical-expert \"Sam Lee\"` moves Sam from auditor). \
A name is taken whole: \"Roe, Jane\" is one person. Only the lead auditor and auditors \
count toward audit time.")]
pub struct MetaArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Print the metadata as JSON (when no field is changed)
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub client: Option<String>,
    #[arg(long)]
    pub site: Option<String>,
    #[arg(long)]
    pub scope: Option<String>,
    /// stage1, stage2, surveillance1, surveillance2, recertification (or surveillance, unnumbered)
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_type)]
    pub audit_type: Option<AuditType>,
    /// First audit day, YYYY-MM-DD (--start "" clears it)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_or_clear)]
    pub start: Option<DateOrClear>,
    /// Last audit day, YYYY-MM-DD (--end "" clears it)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_or_clear)]
    pub end: Option<DateOrClear>,
    /// The lead auditor (--lead-auditor "" removes the lead)
    #[arg(long, value_name = "NAME", help_heading = "Audit team")]
    pub lead_auditor: Option<String>,
    /// An auditor (repeat for several)
    #[arg(long = "auditor", value_name = "NAME", help_heading = "Audit team")]
    pub auditors: Vec<String>,
    /// A technical expert (repeat for several)
    #[arg(
        long = "technical-expert",
        value_name = "NAME",
        help_heading = "Audit team"
    )]
    pub technical_experts: Vec<String>,
    /// An observer (repeat for several)
    #[arg(long = "observer", value_name = "NAME", help_heading = "Audit team")]
    pub observers: Vec<String>,
    /// An auditor in training (repeat for several)
    #[arg(
        long = "auditor-in-training",
        value_name = "NAME",
        help_heading = "Audit team"
    )]
    pub auditors_in_training: Vec<String>,
    /// An interpreter (repeat for several)
    #[arg(long = "interpreter", value_name = "NAME", help_heading = "Audit team")]
    pub interpreters: Vec<String>,
    /// Auditee representative (repeat; replaces the list; --auditee-rep "" clears it)
    #[arg(long = "auditee-rep", value_name = "NAME")]
    pub auditee_reps: Vec<String>,
    #[arg(long, value_name = "NAME")]
    pub certification_body: Option<String>,
    /// The certification body's accreditation, e.g. "UKAS 0000"
    #[arg(long, value_name = "TEXT")]
    pub accreditation: Option<String>,
    /// The date the certification body decided to certify; the cycle's
    /// surveillance and recertification dates follow from it ("" clears it)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_or_clear, help_heading = "Certification cycle")]
    pub certification_decision: Option<DateOrClear>,
    /// Whether the certification body allows nonconformities at stage 1
    /// (else a stage 1 audit raises areas of concern only)
    #[arg(long, value_name = "allowed|not-allowed", value_parser = parse_allowed, help_heading = "Certification cycle")]
    pub stage1_ncs: Option<bool>,
    #[command(flatten)]
    pub report: ReportArgs,
}

fn parse_allowed(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "allowed" => Ok(true),
        "not-allowed" => Ok(false),
        _ => Err(format!("'{s}': give allowed or not-allowed")),
    }
}

/// What the report states beyond verdicts and findings. Each is asked for
/// before a final pack; write "none" where there is nothing to say, and ""
/// to clear one.
#[derive(Debug, Args)]
#[command(next_help_heading = "Report")]
pub struct ReportArgs {
    /// The report's number (default, fixed at the first pack: CLIENT-TYPE-STARTDATE)
    #[arg(long, value_name = "TEXT")]
    pub report_no: Option<String>,
    /// The audit objectives ("" goes back to the audit type's usual ones)
    #[arg(long, value_name = "TEXT")]
    pub objectives: Option<String>,
    /// The client's address
    #[arg(long, value_name = "TEXT")]
    pub client_address: Option<String>,
    /// Auditor-days planned, e.g. 3 or 2.5
    #[arg(long, value_name = "DAYS", value_parser = parse_days_or_clear)]
    pub planned_days: Option<DaysOrClear>,
    /// Auditor-days spent on site
    #[arg(long, value_name = "DAYS", value_parser = parse_days_or_clear)]
    pub onsite_days: Option<DaysOrClear>,
    /// Auditor-days spent remotely
    #[arg(long, value_name = "DAYS", value_parser = parse_days_or_clear)]
    pub remote_days: Option<DaysOrClear>,
    /// Why the time spent differs from the plan (asked for only when it does)
    #[arg(long, value_name = "TEXT")]
    pub time_reason: Option<String>,
    /// Changes at the client since the last audit
    #[arg(long, value_name = "TEXT")]
    pub changes: Option<String>,
    /// Deviations from the audit plan, and why
    #[arg(long, value_name = "TEXT")]
    pub deviations: Option<String>,
    /// Unresolved issues and opinions that diverge between the team and the auditee
    #[arg(long, value_name = "TEXT")]
    pub unresolved: Option<String>,
    /// What the audit sampled (the report says it was based on sampling)
    #[arg(long, value_name = "TEXT")]
    pub sampling: Option<String>,
    /// Days after the audit's end to answer a major NC (default 30; "" for the default)
    #[arg(long, value_name = "DAYS", value_parser = parse_response_days)]
    pub response_days_major: Option<ResponseDays>,
    /// Days after the audit's end to answer a minor NC (default 90; "" for the default)
    #[arg(long, value_name = "DAYS", value_parser = parse_response_days)]
    pub response_days_minor: Option<ResponseDays>,
}

/// A number of auditor-days, or "" to clear it.
#[derive(Debug, Clone)]
pub struct DaysOrClear(pub Option<fieldaudit::audit::report_facts::Days>);

fn parse_days_or_clear(s: &str) -> Result<DaysOrClear, String> {
    if s.trim().is_empty() {
        return Ok(DaysOrClear(None));
    }
    s.parse().map(|d| DaysOrClear(Some(d)))
}

/// Days to answer a nonconformity, or "" for the usual.
#[derive(Debug, Clone)]
pub struct ResponseDays(pub Option<u32>);

fn parse_response_days(s: &str) -> Result<ResponseDays, String> {
    if s.trim().is_empty() {
        return Ok(ResponseDays(None));
    }
    s.trim()
        .parse()
        .map(|d| ResponseDays(Some(d)))
        .map_err(|_| format!("'{s}' is not a number of days"))
}

#[derive(Debug, Args)]
#[command(after_help = "\
The options depend on the audit type. Stage 1: ready, ready-once-resolved, not-ready. \
Stage 2 and recertification: recommend, recommend-once-closed, do-not-recommend. \
Surveillance: continue, continue-once-closed, suspend. An unconditional positive \
recommendation (ready, recommend, continue) is refused while a major nonconformity is open.")]
pub struct ConcludeArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// The team's recommendation (see below)
    #[arg(long, value_parser = parse_recommendation, requires = "reasoning")]
    pub recommendation: Option<Recommendation>,
    /// Why: what the recommendation rests on
    #[arg(long, value_name = "TEXT", requires = "recommendation")]
    pub reasoning: Option<String>,
    /// Whether the certification scope is appropriate: yes or no
    #[arg(long, value_parser = parse_yes_no, requires = "recommendation")]
    pub scope_appropriate: Option<bool>,
    /// How effective the management system is, internal audit and management review included
    #[arg(long, value_name = "TEXT", requires = "recommendation")]
    pub effectiveness: Option<String>,
    /// Whether the audit objectives were met: yes or no
    #[arg(long, value_parser = parse_yes_no, requires = "recommendation")]
    pub objectives_met: Option<bool>,
    /// Print the conclusion as JSON (without --recommendation)
    #[arg(long, conflicts_with = "recommendation")]
    pub json: bool,
}

fn parse_recommendation(s: &str) -> Result<Recommendation, String> {
    s.parse()
        .map_err(|e: fieldaudit::audit::BadValue| e.to_string())
}

fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(format!("'{s}': write yes or no")),
    }
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Requirement id, e.g. 6.1.2 or iso27001-2022:A.5.1
    #[arg(value_name = "REQ")]
    pub requirement: String,
    /// conforming, nonconforming, not-applicable or not-assessed
    #[arg(long, value_parser = parse_verdict, required_unless_present = "implementation")]
    pub verdict: Option<Verdict>,
    /// Why (required for not-applicable: it goes into the Statement of Applicability)
    #[arg(long, value_name = "TEXT", requires = "verdict")]
    pub justification: Option<String>,
    /// For a control, how far the auditee declares it implemented (their
    /// Statement of Applicability): implemented, partly-implemented,
    /// planned, not-implemented, or "" to clear
    #[arg(long, value_name = "STATUS", value_parser = parse_implementation)]
    pub implementation: Option<ImplementationOrClear>,
}

/// A declared implementation status, or "" to clear it.
#[derive(Debug, Clone)]
pub struct ImplementationOrClear(pub Option<fieldaudit::audit::Implementation>);

fn parse_implementation(s: &str) -> Result<ImplementationOrClear, String> {
    if s.trim().is_empty() {
        return Ok(ImplementationOrClear(None));
    }
    s.parse()
        .map(|i| ImplementationOrClear(Some(i)))
        .map_err(|e: fieldaudit::audit::BadValue| e.to_string())
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Requirement id, e.g. 6.1.2 or iso27001-2022:A.5.1
    #[arg(value_name = "REQ")]
    pub requirement: String,
    /// What was said, seen or read
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// Who was interviewed
    #[arg(long, value_name = "NAME")]
    pub interviewee: Option<String>,
    /// A working paper: kept in the record and the certification body's
    /// report, never in the auditee's copy (`pack --for client`)
    #[arg(long)]
    pub internal: bool,
}

#[derive(Debug, Subcommand)]
pub enum FindingCommand {
    /// Raise a finding; prints its id (NC-001, OBS-001, OFI-001, GP-001)
    Add(FindingAddArgs),
    /// List the findings
    List {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Change a finding's grade, statement, objective evidence or response date
    Edit(FindingEditArgs),
    /// Remove a finding (the audit trail keeps what it said)
    Remove {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        /// Finding id, e.g. NC-002
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Record the auditee's response to an NC (or read them all from findings.csv)
    Respond(super::follow_up_args::RespondArgs),
    /// Accept the auditee's plan, or return it with a comment
    Review(super::follow_up_args::ReviewArgs),
    /// Record that the corrective action was carried out, with the auditee's evidence
    Implemented(super::follow_up_args::ImplementedArgs),
    /// The auditor's verdict on a corrective action (NC) or an area of concern
    Verify(super::follow_up_args::VerifyArgs),
}

#[derive(Debug, Args)]
pub struct FindingAddArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// The requirement the finding is raised against
    #[arg(value_name = "REQ")]
    pub requirement: String,
    /// major, minor, observation, ofi or good-practice
    #[arg(long, value_parser = parse_grade)]
    pub grade: Grade,
    /// The statement (of nonconformity, for an NC)
    #[arg(long, value_name = "TEXT")]
    pub statement: String,
    /// What was seen, read or heard, and where
    #[arg(long, value_name = "TEXT")]
    pub objective_evidence: Option<String>,
    /// Further requirements the same finding concerns (integrated audits); repeatable
    #[arg(long = "also", value_name = "REQ")]
    pub also: Vec<String>,
    /// For an NC on a requirement marked conforming or not applicable: set it nonconforming in the same change
    #[arg(long)]
    pub set_nonconforming: bool,
    /// A bundle file cited in the finding, pinned by its SHA-256; repeatable
    #[arg(long = "evidence-file", value_name = "BUNDLE_PATH")]
    pub evidence_files: Vec<String>,
    /// The bundle (default: the record's own)
    #[arg(long, value_name = "PATH")]
    pub evidence: Option<PathBuf>,
    /// Raise an earlier finding again (a minor NC not corrected as major, an
    /// area of concern not resolved as an NC); the earlier one closes
    #[arg(long, value_name = "ID")]
    pub follows: Option<String>,
}

#[derive(Debug, Args)]
pub struct FindingEditArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Finding id, e.g. NC-002
    #[arg(value_name = "ID")]
    pub id: String,
    /// major, minor, observation, ofi or good-practice (a change of family gives a new id)
    #[arg(long, value_parser = parse_grade)]
    pub grade: Option<Grade>,
    #[arg(long, value_name = "TEXT")]
    pub statement: Option<String>,
    /// New objective evidence ("" clears it)
    #[arg(long, value_name = "TEXT")]
    pub objective_evidence: Option<String>,
    /// For an NC: the date the auditee must answer by ("" goes back to the audit's end plus the days for its grade)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_or_clear)]
    pub response_due: Option<DateOrClear>,
    /// For a regrade into an NC on requirements marked conforming or not applicable: set them nonconforming in the same change
    #[arg(long)]
    pub set_nonconforming: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum CrosswalkCommand {
    /// Print each shipped crosswalk: id, articles, mappings, the checklist it maps onto
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Check a crosswalk file: syntax, unique articles, requirement ids that resolve, notes
    Validate {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The checklist it maps onto, when that is not a shipped one: a RON file
        #[arg(long, value_name = "ID_OR_PATH")]
        checklist: Option<String>,
    },
    /// Per article: the audit's verdicts on the mapped requirements and the findings citing them
    Show {
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
        /// A shipped crosswalk id (see `crosswalk list`) or a RON file
        #[arg(value_name = "ID_OR_PATH")]
        crosswalk: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Include the crosswalk's notes on each article and mapping
        #[arg(long)]
        full: bool,
    },
}

#[derive(Debug, Args)]
#[command(after_help = "\
A surveillance audit covers a sample: the requirements every surveillance visit \
covers (internal audit, management review, nonconformity and corrective action: \
marked `surveillance: Always` in the checklist) and those the auditor adds. The rest \
is not audited this time, which is not \"not applicable\".")]
pub struct SampleArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Put a requirement in this visit's sample (repeatable), e.g. 6.1.2
    #[arg(long = "add", value_name = "REQ")]
    pub add: Vec<String>,
    /// Take a requirement out of the sample (repeatable)
    #[arg(long = "remove", value_name = "REQ")]
    pub remove: Vec<String>,
    /// Print the visit as JSON (without --add or --remove)
    #[arg(long, conflicts_with_all = ["add", "remove"])]
    pub json: bool,
}
