//! The command line of a finding's follow-up (`finding respond`, `review`,
//! `implemented`, `verify`), as clap sees it.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{ArgGroup, Args};
use fieldaudit::audit::lifecycle::Outcome;

use super::args::parse_date;

#[derive(Debug, Args)]
#[command(after_help = "\
With --from-csv, the file is findings.csv from the report zip as the auditee filled it in: \
the columns id, correction, root_cause, corrective_action, action_owner and planned_date are \
read by name. Rows with no answer are skipped; every row is checked first, and then all the \
responses are recorded in one change, or none.")]
pub struct RespondArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Finding id, e.g. NC-002
    #[arg(value_name = "ID", required_unless_present = "from_csv")]
    pub id: Option<String>,
    /// What was done at once to put the nonconformity right
    #[arg(long, value_name = "TEXT", required_unless_present = "from_csv")]
    pub correction: Option<String>,
    /// Why it happened
    #[arg(long, value_name = "TEXT", required_unless_present = "from_csv")]
    pub root_cause: Option<String>,
    /// What will stop it happening again
    #[arg(long, value_name = "TEXT", required_unless_present = "from_csv")]
    pub corrective_action: Option<String>,
    /// Who at the auditee carries the action out
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// When the action will be done
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, required_unless_present = "from_csv")]
    pub planned_date: Option<NaiveDate>,
    /// Read every response from the auditee's filled-in findings.csv
    #[arg(
        long,
        value_name = "RESPONSES.csv",
        conflicts_with_all = ["id", "correction", "root_cause", "corrective_action", "owner", "planned_date"]
    )]
    pub from_csv: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("decision").required(true).args(["accept", "return_plan"])))]
pub struct ReviewArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Finding id, e.g. NC-002
    #[arg(value_name = "ID")]
    pub id: String,
    /// Accept the plan
    #[arg(long)]
    pub accept: bool,
    /// Return the plan for a new response
    #[arg(long = "return")]
    pub return_plan: bool,
    /// Why (for a return: what the new response must do)
    #[arg(long, value_name = "TEXT")]
    pub comment: String,
}

#[derive(Debug, Args)]
pub struct ImplementedArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Finding id, e.g. NC-002
    #[arg(value_name = "ID")]
    pub id: String,
    /// A bundle file showing the action was carried out, pinned by its SHA-256; repeatable
    #[arg(long = "evidence-file", value_name = "BUNDLE_PATH")]
    pub evidence_files: Vec<String>,
    /// The bundle (default: the record's own)
    #[arg(long, value_name = "PATH")]
    pub evidence: Option<PathBuf>,
    /// What the auditee says was done
    #[arg(long, value_name = "TEXT")]
    pub comment: String,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("outcome").required(true).args(
    ["effective", "not_effective", "not_yet_due", "resolved", "not_resolved"]
)))]
pub struct VerifyArgs {
    #[arg(value_name = "AUDIT.ron")]
    pub record: PathBuf,
    /// Finding id, e.g. NC-002 or AOC-001
    #[arg(value_name = "ID")]
    pub id: String,
    /// NC: the action worked; the NC closes
    #[arg(long)]
    pub effective: bool,
    /// NC: it did not; a new response is awaited
    #[arg(long)]
    pub not_effective: bool,
    /// NC: its planned date lies after this audit; carried again
    #[arg(long)]
    pub not_yet_due: bool,
    /// Area of concern (stage 1): resolved; it closes
    #[arg(long)]
    pub resolved: bool,
    /// Area of concern (stage 1): not resolved
    #[arg(long)]
    pub not_resolved: bool,
    /// What was seen, read or heard, and where
    #[arg(long, value_name = "TEXT")]
    pub objective_evidence: String,
    /// A bundle file the verdict rests on, pinned by its SHA-256; repeatable
    #[arg(long = "evidence-file", value_name = "BUNDLE_PATH")]
    pub evidence_files: Vec<String>,
    /// The bundle (default: the record's own)
    #[arg(long, value_name = "PATH")]
    pub evidence: Option<PathBuf>,
}

impl VerifyArgs {
    /// The one outcome flag given (clap's group makes it exactly one).
    pub fn outcome(&self) -> Option<Outcome> {
        [
            (self.effective, Outcome::Effective),
            (self.not_effective, Outcome::NotEffective),
            (self.not_yet_due, Outcome::NotYetDue),
            (self.resolved, Outcome::Resolved),
            (self.not_resolved, Outcome::NotResolved),
        ]
        .into_iter()
        .find_map(|(given, outcome)| given.then_some(outcome))
    }
}
