//! The audit record: what one audit found, as stored in `AUDIT.ron`.
//!
//! Maps are keyed by requirement and findings kept sorted by id, and
//! timestamps are RFC 3339 with the local offset, so two copies of a record
//! diff and merge cleanly.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

pub use super::team::{Member, Role};
pub use crate::checklist::AuditType;
use crate::checklist::{Checklist, ReqRef};
pub use crate::words::BadValue;
use crate::words::words;

/// The record layout this binary reads and writes.
pub const FORMAT_VERSION: u32 = 7;
// Format history: 1 — first release; 2 — evidence links on requirements and
// findings; 3 — sign-off; 4 — the team as members with roles (`team`
// replaces `lead_auditor` and `auditors`; older records upgrade on load,
// see `legacy`), and notes and findings say who last edited them
// (`edited`, taken from the trail on upgrade); 5 — what a report must state
// beyond verdicts and findings (`meta.report`: number, objectives, address,
// audit time, changes, deviations, unresolved issues, sampling, response
// deadlines). Format 4 records load as they are; 6 — the certification
// cycle: numbered surveillance audits, the reports before this one and the
// certification decision (`cycle`), findings carried from the previous
// report (`previous_findings`), the steps that follow an NC to closure as
// structured trail entries (`TrailEntry::step`), stage 1 areas of concern
// (`AOC-…`, `counters.aoc`), a finding raised again from an earlier one
// (`follows`), the surveillance visit's sample (`sample`), whether the
// certification body allows NCs at stage 1 (`meta.report.stage1_ncs`) and
// the mark of the auditee's copy (`auditee_copy`).
// Format 5 records load as they are; 7 — team audits: notes and findings
// have a uid unique without coordination (`uid`; older records get one
// derived from the record's creation time and the old id, the same on every
// laptop), the numbers frozen at the last pack (`frozen`), merge conflicts
// kept as data (`conflicts`) and the audit plan (`plan`). Format 6 records
// load as they are.

/// A point in time, with the offset of the machine it was taken on.
pub type Timestamp = DateTime<FixedOffset>;

/// Now, in local time, to the second.
pub fn now() -> Timestamp {
    let now = chrono::Local::now().fixed_offset();
    now - chrono::Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    pub format_version: u32,
    pub meta: Meta,
    /// The audit criteria: the checklists audited against.
    pub criteria: Vec<Criterion>,
    /// The auditee's evidence bundle (folder or .zip), absolute path.
    #[serde(default)]
    pub evidence_bundle: Option<String>,
    /// Verdicts and notes, per requirement.
    #[serde(default, deserialize_with = "super::unique::unique_map")]
    pub assessments: BTreeMap<ReqRef, Assessment>,
    /// Findings, sorted by id.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Last numbers handed out; ids are never reused.
    #[serde(default)]
    pub counters: Counters,
    /// The team's conclusions and recommendation (`conclude`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<super::conclusion::Conclusion>,
    /// Who changed what, when; append-only.
    #[serde(default)]
    pub trail: Vec<TrailEntry>,
    /// The lead auditor's sign-off; while present the record is locked.
    #[serde(default)]
    pub sign_off: Option<SignOff>,
    /// The final reports issued from this record, oldest first (a report
    /// packed from the record holds those before it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<super::report_identity::IssuedReport>,
    /// Where the audit stands in the certification cycle, and the signed
    /// reports of the cycle before it (`new --after`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<super::cycle::Cycle>,
    /// The findings of earlier audits that this one follows up: NCs not yet
    /// verified effective, stage 1 areas of concern and observations, each
    /// with its history. Their ids stay theirs; new findings number on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_findings: Vec<super::cycle::CarriedFinding>,
    /// A surveillance audit's sample: the requirements the auditor chose
    /// for this visit, besides those every surveillance covers (marked
    /// `surveillance: Always` in the checklist). Empty for other audits.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub sample: std::collections::BTreeSet<ReqRef>,
    /// Set in the auditee's copy (`pack --for client`): a record without
    /// working papers and without most of its trail, which the next audit
    /// of the cycle must not start from.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auditee_copy: bool,
    /// The numbers handed out when the record was last packed: a merge
    /// never changes a number up to these (see `identity`).
    #[serde(default, skip_serializing_if = "Counters::is_zero")]
    pub frozen: Counters,
    /// Fields two merged copies changed to different values, each value
    /// kept with its author and time until the lead resolves it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<super::conflict::Conflict>,
    /// The audit plan: its sessions, and who audits which requirement.
    #[serde(default, skip_serializing_if = "super::plan::Plan::is_empty")]
    pub plan: super::plan::Plan,
}

/// The sign-off of a final report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    pub signer: String,
    pub at: Timestamp,
    /// The minisign key id the report was signed with.
    pub key_id: String,
    /// What the signer confirms.
    pub statement: String,
    /// The revision of the report it signs (none: signed before reports
    /// had revisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
}

/// Who is audited, where, by whom, and for which certification body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub client: String,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    pub audit_type: AuditType,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// The audit team, each member once with a role, the lead auditor
    /// first; at most one lead auditor.
    #[serde(default, deserialize_with = "super::team::checked")]
    pub team: Vec<Member>,
    /// Auditee representatives.
    #[serde(default)]
    pub auditee_reps: Vec<String>,
    #[serde(default)]
    pub certification_body: Option<String>,
    /// The certification body's accreditation (body and number, e.g. "UKAS 1234").
    #[serde(default)]
    pub accreditation: Option<String>,
    /// What the report states beyond the verdicts and findings.
    #[serde(default)]
    pub report: super::report_facts::ReportFacts,
}

impl Meta {
    /// Metadata with only the client and audit type set.
    pub fn new(client: impl Into<String>, audit_type: AuditType) -> Meta {
        Meta {
            client: client.into(),
            site: None,
            scope: None,
            audit_type,
            start: None,
            end: None,
            team: Vec::new(),
            auditee_reps: Vec::new(),
            certification_body: None,
            accreditation: None,
            report: Default::default(),
        }
    }

    /// The lead auditor's name, if the team has one.
    pub fn lead_auditor(&self) -> Option<&str> {
        super::team::lead(&self.team)
    }
}

/// A checklist the audit is conducted against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Criterion {
    /// One of the checklists shipped with fieldaudit, by id.
    Builtin(String),
    /// An auditor's own checklist, copied into the record so that the record
    /// stands alone (on another laptop, or at the certification body).
    Custom(Checklist),
}

impl Criterion {
    pub fn id(&self) -> &str {
        match self {
            Criterion::Builtin(id) => id,
            Criterion::Custom(c) => &c.id,
        }
    }
}

/// What the auditor concluded on one requirement, and what was heard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    #[serde(default)]
    pub verdict: Verdict,
    /// Why the verdict (mandatory for not applicable: it feeds the SoA).
    #[serde(default)]
    pub justification: Option<String>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Evidence files cited for this requirement, pinned by hash.
    #[serde(default)]
    pub evidence: Vec<EvidenceLink>,
    /// For a control: how far the auditee declares it implemented (their
    /// Statement of Applicability), beside the audit's own verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<Implementation>,
}

/// How far the auditee declares a control implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Implementation {
    Implemented,
    PartlyImplemented,
    Planned,
    NotImplemented,
}
words!(Implementation, "implementation status", {
    Implemented => "implemented", PartlyImplemented => "partly-implemented",
    Planned => "planned", NotImplemented => "not-implemented",
});

/// A file of the auditee's bundle, cited as it was when linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceLink {
    /// Bundle-relative, `/`-separated.
    pub path: String,
    /// SHA-256 of the content at linking time, lower-case hex.
    pub sha256: String,
    pub size: u64,
    pub linked_at: Timestamp,
    pub linked_by: String,
    /// Set when the auditor collected the file (`fieldaudit attach`): it is
    /// then not in the bundle but in the folder beside the record, and
    /// `path` is its name in the report zip (`collected/<sha256>/<name>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<Collected>,
}

/// Where a file the auditor collected came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collected {
    /// The file's name as the auditor gave it (shown escaped; never used as
    /// a path on disk).
    pub original_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    pub by: String,
    pub at: Timestamp,
}

/// An interview note, timestamped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The short number shown (`note 3`): unique in the record, never
    /// reused; derived from `uid` order until the record is packed.
    #[serde(deserialize_with = "super::unique::note_id")]
    pub id: u32,
    /// Unique without coordination, whichever laptop made it.
    #[serde(default, skip_serializing_if = "super::identity::Uid::is_empty")]
    pub uid: super::identity::Uid,
    pub at: Timestamp,
    pub by: String,
    #[serde(default)]
    pub interviewee: Option<String>,
    pub text: String,
    /// A working paper: kept in the record and the certification body's
    /// report, never in the auditee's copy.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// The last change of its text (the trail keeps what it said before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Edited>,
}

/// Who last changed a note or finding, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edited {
    pub at: Timestamp,
    pub by: String,
}

/// A graded finding, attached to one or more requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The short id shown (`NC-003`): unique in the record, never reused;
    /// derived from `uid` order until the record is packed.
    #[serde(deserialize_with = "super::unique::finding_id")]
    pub id: FindingId,
    /// Unique without coordination, whichever laptop made it.
    #[serde(default, skip_serializing_if = "super::identity::Uid::is_empty")]
    pub uid: super::identity::Uid,
    pub grade: Grade,
    /// The requirements concerned; the first is the one it was raised on.
    pub requirements: Vec<ReqRef>,
    /// The statement (of nonconformity, for an NC).
    pub statement: String,
    /// What was seen, read or heard, and where.
    #[serde(default)]
    pub objective_evidence: Option<String>,
    pub raised_at: Timestamp,
    pub raised_by: String,
    /// The last change of its grade, statement or objective evidence (the
    /// trail keeps what they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Edited>,
    /// Evidence files cited in the finding, pinned by hash.
    #[serde(default)]
    pub evidence: Vec<EvidenceLink>,
    /// For an NC: the date the auditee must answer by, when the auditor set
    /// one; otherwise it follows from the audit's end (see
    /// [`Finding::response_due`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_due: Option<NaiveDate>,
    /// The earlier finding this one raises again (a minor NC not corrected
    /// by the next audit raised as major; a stage 1 area of concern not
    /// resolved at stage 2 raised as an NC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<FindingId>,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrailEntry {
    pub at: Timestamp,
    pub by: String,
    pub what: String,
    /// A step in following a finding to closure, as data: what the state
    /// shown is replayed from (`what` only says it in words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<super::lifecycle::Step>,
}

/// The last number given out per finding family, and for notes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counters {
    #[serde(default)]
    pub nc: u32,
    #[serde(default)]
    pub obs: u32,
    #[serde(default)]
    pub ofi: u32,
    #[serde(default)]
    pub gp: u32,
    /// Stage 1 areas of concern.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub aoc: u32,
    #[serde(default)]
    pub note: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Counters {
    /// No number handed out yet.
    pub fn is_zero(&self) -> bool {
        *self == Counters::default()
    }
}

impl Counters {
    /// Hand out the next number of a family: past its counter and past
    /// `in_use`, the largest number the record holds (a hand edit may have put
    /// it past the counter). `None` when no number is left; then nothing
    /// changes.
    pub fn next(&mut self, family: Family, in_use: u32) -> Option<u32> {
        let counter = match family {
            Family::Nc => &mut self.nc,
            Family::Obs => &mut self.obs,
            Family::Ofi => &mut self.ofi,
            Family::Gp => &mut self.gp,
            Family::Aoc => &mut self.aoc,
        };
        bump(counter, in_use)
    }

    /// Hand out the next note number, as [`Counters::next`] does.
    pub fn next_note(&mut self, in_use: u32) -> Option<u32> {
        bump(&mut self.note, in_use)
    }
}

/// Ids are never reused, so a counter never wraps: at `u32::MAX` it stops.
fn bump(counter: &mut u32, in_use: u32) -> Option<u32> {
    let next = (*counter).max(in_use).checked_add(1)?;
    *counter = next;
    Some(next)
}

/// The verdict on one requirement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    #[default]
    NotAssessed,
    Conforming,
    Nonconforming,
    NotApplicable,
}
words!(Verdict, "verdict", {
    Conforming => "conforming", Nonconforming => "nonconforming",
    NotApplicable => "not-applicable", NotAssessed => "not-assessed",
});

/// How serious a finding is, the ISO way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    Major,
    Minor,
    Observation,
    Ofi,
    GoodPractice,
    /// Stage 1: what must be resolved before stage 2, not yet a
    /// nonconformity.
    AreaOfConcern,
}
words!(Grade, "grade", {
    Major => "major", Minor => "minor", Observation => "observation",
    Ofi => "ofi", GoodPractice => "good-practice", AreaOfConcern => "area-of-concern",
});

impl Grade {
    pub fn family(self) -> Family {
        match self {
            Grade::Major | Grade::Minor => Family::Nc,
            Grade::Observation => Family::Obs,
            Grade::Ofi => Family::Ofi,
            Grade::GoodPractice => Family::Gp,
            Grade::AreaOfConcern => Family::Aoc,
        }
    }

    pub fn is_nonconformity(self) -> bool {
        self.family() == Family::Nc
    }

    /// How auditors say it.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Major => "major nonconformity",
            Grade::Minor => "minor nonconformity",
            Grade::Observation => "observation",
            Grade::Ofi => "opportunity for improvement",
            Grade::GoodPractice => "good practice",
            Grade::AreaOfConcern => "area of concern",
        }
    }
}

/// The id prefix a finding's number belongs to: NC, OBS, OFI, GP or AOC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Nc,
    Obs,
    Ofi,
    Gp,
    Aoc,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Nc,
        Family::Obs,
        Family::Ofi,
        Family::Gp,
        Family::Aoc,
    ];

    pub fn prefix(self) -> &'static str {
        match self {
            Family::Nc => "NC",
            Family::Obs => "OBS",
            Family::Ofi => "OFI",
            Family::Gp => "GP",
            Family::Aoc => "AOC",
        }
    }
}

/// `NC-003`, `OBS-001`, `OFI-002`, `GP-001`, `AOC-001`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct FindingId {
    pub family: Family,
    pub number: u32,
}

impl fmt::Display for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", self.family.prefix(), self.number)
    }
}

impl FromStr for FindingId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!("'{s}' is not a finding id (e.g. NC-001, OBS-002, OFI-001, GP-001, AOC-001)")
        };
        let (prefix, number) = s.trim().split_once('-').ok_or_else(bad)?;
        let family = Family::ALL
            .into_iter()
            .find(|f| f.prefix().eq_ignore_ascii_case(prefix))
            .ok_or_else(bad)?;
        let number = number.parse().map_err(|_| bad())?;
        Ok(FindingId { family, number })
    }
}

impl From<FindingId> for String {
    fn from(id: FindingId) -> String {
        id.to_string()
    }
}

impl TryFrom<String> for FindingId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_ids_format_parse_and_sort_by_family_then_number() {
        let mut ids: Vec<FindingId> = ["GP-001", "OBS-002", "NC-010", "nc-002", "OFI-001"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        ids.sort();
        let shown: Vec<String> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["NC-002", "NC-010", "OBS-002", "OFI-001", "GP-001"]);
        assert!("XX-1".parse::<FindingId>().is_err());
        assert!("NC-".parse::<FindingId>().is_err());
    }

    #[test]
    fn words_parse_case_and_underscore_insensitively() {
        assert_eq!(
            "Not_Applicable".parse::<Verdict>().unwrap(),
            Verdict::NotApplicable
        );
        assert_eq!(
            "good-practice".parse::<Grade>().unwrap(),
            Grade::GoodPractice
        );
        let err = "stage3".parse::<AuditType>().unwrap_err();
        assert!(err.to_string().contains(
            "stage1, stage2, surveillance1, surveillance2, recertification, surveillance"
        ));
    }

    #[test]
    fn major_and_minor_share_the_nc_counter() {
        let mut c = Counters::default();
        assert_eq!(c.next(Grade::Major.family(), 0), Some(1));
        assert_eq!(c.next(Grade::Minor.family(), 0), Some(2));
        assert_eq!(c.next(Grade::Ofi.family(), 0), Some(1));
    }

    #[test]
    fn counters_pass_ids_in_use_and_stop_at_the_last_number() {
        let mut c = Counters::default();
        assert_eq!(c.next(Family::Obs, 7), Some(8));
        assert_eq!(c.obs, 8);
        assert_eq!(c.next_note(u32::MAX - 1), Some(u32::MAX));
        assert_eq!(c.next_note(0), None);
        assert_eq!(c.note, u32::MAX, "a refused number changes nothing");
        c.gp = 3;
        assert_eq!(c.next(Family::Gp, u32::MAX), None);
        assert_eq!(c.gp, 3, "a refused number changes nothing");
    }

    #[test]
    fn now_has_whole_seconds() {
        assert_eq!(now().timestamp_subsec_nanos(), 0);
    }
}
