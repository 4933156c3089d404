//! A field two merged copies of a record changed to different values: both
//! values are kept, with who set each and when, until the lead resolves it.
//! While any is open the record cannot be packed final.

use serde::{Deserialize, Serialize};

use super::model::Timestamp;

/// One field in conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// Which field, as `conflicts` shows it and `resolve` takes it:
    /// `iso42001-2023:6.1.2/verdict`, `meta/site`, `NC-002/statement`, …
    /// (findings and notes are stored by uid: `finding:UID/statement`).
    pub path: String,
    /// The values, numbered 1, 2, … in this order.
    pub values: Vec<ConflictValue>,
}

/// One side's value of a field in conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictValue {
    /// The value as RON, as the record writes the field.
    pub value: String,
    pub by: String,
    pub at: Timestamp,
}

use serde::de::DeserializeOwned;

use super::identity::Uid;
use super::model::*;
use super::ops::{AuditError, Change};
use super::report_facts::{Days, Statement, TimeFigure};
use crate::checklist::ReqRef;

/// Which value settles a conflict: one of those kept (1-based), or one
/// given in the command line's words (a verdict word, a date, the text…;
/// RON for a whole conclusion, sign-off or list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Take(usize),
    Value(String),
}

impl AuditRecord {
    /// The open conflicts with their paths as shown: a finding by its
    /// number (`NC-002/statement`), a note by its requirement and number
    /// (`note:REQ:3/text`); other paths as stored.
    pub fn conflicts_shown(&self) -> Vec<(String, &Conflict)> {
        self.conflicts
            .iter()
            .map(|c| (self.shown_path(&c.path), c))
            .collect()
    }

    fn shown_path(&self, path: &str) -> String {
        let (head, field) = path.split_once('/').unwrap_or((path, ""));
        let tail = if field.is_empty() {
            String::new()
        } else {
            format!("/{field}")
        };
        if let Some(uid) = head.strip_prefix("finding:")
            && let Some(f) = self.findings.iter().find(|f| f.uid.0 == uid)
        {
            return format!("{}{tail}", f.id);
        }
        if let Some(uid) = head.strip_prefix("note:") {
            for (req, a) in &self.assessments {
                if let Some(n) = a.notes.iter().find(|n| n.uid.0 == uid) {
                    return format!("note:{req}:{}{tail}", n.id);
                }
            }
        }
        path.to_string()
    }

    /// Settle the conflict on `path` (as shown or as stored): set the field
    /// to the value chosen, drop the conflict and say so in the trail. An
    /// unknown path or number, or a value the field cannot take, is refused
    /// and nothing changes.
    pub fn resolve(
        &mut self,
        change: &Change,
        path: &str,
        choice: Choice,
    ) -> Result<(), AuditError> {
        let path = path.trim();
        // Only the sign-off itself may be settled on a signed-off record
        // (a merge of a side signed while the other worked on).
        if !(path == "sign_off" && self.conflicts.iter().any(|c| c.path == "sign_off")) {
            self.ensure_open()?;
        }
        let shown = self.conflicts_shown();
        let open = || shown.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        let Some(index) = shown.iter().position(|(p, c)| p == path || c.path == path) else {
            return Err(AuditError::UnknownConflict {
                path: path.to_string(),
                open: open(),
            });
        };
        let (shown_path, conflict) = (shown[index].0.clone(), shown[index].1.clone());
        let input = match &choice {
            Choice::Take(n) => match n.checked_sub(1).and_then(|i| conflict.values.get(i)) {
                Some(v) => Input::Ron(v.value.clone()),
                None => {
                    return Err(AuditError::ConflictChoice {
                        path: shown_path,
                        given: *n,
                        count: conflict.values.len(),
                    });
                }
            },
            Choice::Value(words) => Input::Words(words.clone()),
        };
        let mut copy = self.clone();
        let set = set_field(&mut copy, &conflict.path, &input).map_err(|why| {
            AuditError::ConflictValue {
                path: shown_path.clone(),
                why,
            }
        })?;
        *self = copy;
        self.conflicts.remove(index);
        let how = match choice {
            Choice::Take(n) => format!("took value {n}"),
            Choice::Value(_) => "gave a value".into(),
        };
        self.log(
            change,
            format!("resolved conflict {shown_path}: {how}: {set}"),
        );
        Ok(())
    }
}

/// A value for a field: RON as a conflict keeps it, or the command line's
/// words.
enum Input {
    Ron(String),
    Words(String),
}

/// Set `slot` from `input` (words read by `words`); returns the value as RON.
fn put<T: DeserializeOwned + serde::Serialize>(
    slot: &mut T,
    input: &Input,
    words: impl Fn(&str) -> Result<T, String>,
) -> Result<String, String> {
    let value = match input {
        Input::Ron(text) => ron_read(text)?,
        Input::Words(text) => words(text.trim())?,
    };
    *slot = value;
    Ok(super::merge::ron_value(slot))
}

fn ron_read<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| format!("not a value for this field: {e}"))
}

fn text(s: &str) -> Result<String, String> {
    if s.is_empty() {
        Err("the text is empty; write something".into())
    } else {
        Ok(s.to_string())
    }
}
fn text_opt(s: &str) -> Result<Option<String>, String> {
    Ok((!s.is_empty()).then(|| s.to_string()))
}
fn none_or<T>(s: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if s.is_empty() || s.eq_ignore_ascii_case("none") {
        Ok(None)
    } else {
        parse(s).map(Some)
    }
}
fn word<T: std::str::FromStr<Err = E>, E: std::fmt::Display>(s: &str) -> Result<T, String> {
    s.parse().map_err(|e: E| e.to_string())
}
fn date(s: &str) -> Result<chrono::NaiveDate, String> {
    s.parse()
        .map_err(|_| format!("'{s}' is not a date: write it as YYYY-MM-DD (or none)"))
}
fn yes_no(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "yes" | "true" | "allowed" => Ok(true),
        "no" | "false" | "not-allowed" => Ok(false),
        _ => Err(format!("'{s}' is not yes or no")),
    }
}
fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}
fn reqs(s: &str) -> Result<Vec<ReqRef>, String> {
    list(s).iter().map(|r| r.parse()).collect()
}
fn ron_words<T: DeserializeOwned>(s: &str) -> Result<T, String> {
    ron_read(s)
}

/// Set the field a stored conflict path names.
fn set_field(r: &mut AuditRecord, path: &str, input: &Input) -> Result<String, String> {
    let gone = || format!("the field {path} is no longer in the record");
    if let Some(key) = path.strip_prefix("meta/report/") {
        let facts = &mut r.meta.report;
        if let Some(which) = Statement::ALL.into_iter().find(|s| s.key() == key) {
            return put(facts.statement_slot(which), input, text_opt);
        }
        if let Some(which) = TimeFigure::ALL.into_iter().find(|s| s.key() == key) {
            return put(facts.time_slot(which), input, |s| {
                none_or(s, word::<Days, String>)
            });
        }
        return match key {
            "response_days_major" => put(&mut facts.response_days_major, input, |s| {
                none_or(s, word::<u32, _>)
            }),
            "response_days_minor" => put(&mut facts.response_days_minor, input, |s| {
                none_or(s, word::<u32, _>)
            }),
            _ => Err(gone()),
        };
    }
    if let Some(name) = path.strip_prefix("meta/") {
        let m = &mut r.meta;
        return match name {
            "client" => put(&mut m.client, input, text),
            "site" => put(&mut m.site, input, text_opt),
            "scope" => put(&mut m.scope, input, text_opt),
            "type" => put(&mut m.audit_type, input, word::<AuditType, _>),
            "start" => put(&mut m.start, input, |s| none_or(s, date)),
            "end" => put(&mut m.end, input, |s| none_or(s, date)),
            "team" => put(&mut m.team, input, ron_words),
            "auditee_reps" => put(&mut m.auditee_reps, input, |s| Ok(list(s))),
            "certification_body" => put(&mut m.certification_body, input, text_opt),
            "accreditation" => put(&mut m.accreditation, input, text_opt),
            "stage1_ncs" => put(&mut m.report.stage1_ncs, input, yes_no),
            "certification_decision" => {
                let cycle = r.cycle.get_or_insert_with(Default::default);
                put(&mut cycle.certification_decision, input, |s| {
                    none_or(s, date)
                })
            }
            _ => Err(gone()),
        };
    }
    match path {
        "conclusion" => return put(&mut r.conclusion, input, ron_words),
        "sign_off" => return put(&mut r.sign_off, input, ron_words),
        "criteria" => return put(&mut r.criteria, input, ron_words),
        "auditee_copy" => return put(&mut r.auditee_copy, input, yes_no),
        "cycle/previous" => {
            let cycle = r.cycle.get_or_insert_with(Default::default);
            return put(&mut cycle.previous, input, ron_words);
        }
        _ => {}
    }
    let (head, field) = path.split_once('/').ok_or_else(gone)?;
    if let Some(uid) = head.strip_prefix("finding:") {
        let f = r
            .findings
            .iter_mut()
            .find(|f| f.uid.0 == uid)
            .ok_or_else(gone)?;
        return match field {
            "grade" => {
                let set = put(&mut f.grade, input, word::<Grade, _>)?;
                if f.grade.family() != f.id.family {
                    // The number follows the family: the next one there.
                    f.id.family = f.grade.family();
                    f.id.number = u32::MAX;
                    r.renumber_unfrozen();
                }
                Ok(set)
            }
            "statement" => put(&mut f.statement, input, text),
            "objective_evidence" => put(&mut f.objective_evidence, input, text_opt),
            "requirements" => put(&mut f.requirements, input, reqs),
            "response_due" => put(&mut f.response_due, input, |s| none_or(s, date)),
            "follows" => put(&mut f.follows, input, |s| none_or(s, word::<FindingId, _>)),
            other => match other.strip_prefix("evidence/") {
                Some(p) => link(&mut f.evidence, p, input),
                None => Err(gone()),
            },
        };
    }
    if let Some(uid) = head.strip_prefix("note:") {
        let n = r
            .assessments
            .values_mut()
            .flat_map(|a| a.notes.iter_mut())
            .find(|n| n.uid.0 == uid)
            .ok_or_else(gone)?;
        return match field {
            "text" => put(&mut n.text, input, text),
            "interviewee" => put(&mut n.interviewee, input, text_opt),
            "internal" => put(&mut n.internal, input, yes_no),
            _ => Err(gone()),
        };
    }
    if head == "plan" {
        if let Some(req) = field.strip_prefix("assigned/") {
            let req: ReqRef = req.parse()?;
            let mut who = r.plan.assigned.get(&req).cloned();
            let set = put(&mut who, input, text_opt)?;
            match who {
                Some(w) => r.plan.assigned.insert(req, w),
                None => r.plan.assigned.remove(&req),
            };
            return Ok(set);
        }
        let (uid, name) = field.split_once('/').ok_or_else(gone)?;
        let s = r
            .plan
            .sessions
            .iter_mut()
            .find(|s| s.uid == Uid(uid.to_string()))
            .ok_or_else(gone)?;
        return match name {
            "day" => put(&mut s.day, input, date),
            "start" => put(&mut s.start, input, word::<chrono::NaiveTime, _>),
            "end" => put(&mut s.end, input, word::<chrono::NaiveTime, _>),
            "remote" => put(&mut s.remote, input, yes_no),
            "site" => put(&mut s.site, input, text_opt),
            "auditors" => put(&mut s.auditors, input, |t| Ok(list(t))),
            "participants" => put(&mut s.participants, input, |t| Ok(list(t))),
            "topic" => put(&mut s.topic, input, text),
            "requirements" => put(&mut s.requirements, input, reqs),
            "not_held" => put(&mut s.not_held, input, text_opt),
            _ => Err(gone()),
        };
    }
    // The rest are a requirement's: `REQ/FIELD`.
    let req: ReqRef = head.parse().map_err(|_| gone())?;
    let a = r.assessments.entry(req).or_default();
    match field {
        "verdict" => put(&mut a.verdict, input, word::<Verdict, _>),
        "justification" => put(&mut a.justification, input, text_opt),
        "implementation" => put(&mut a.implementation, input, |s| {
            none_or(s, word::<Implementation, _>)
        }),
        other => match other.strip_prefix("evidence/") {
            Some(p) => link(&mut a.evidence, p, input),
            None => Err(gone()),
        },
    }
}

/// An evidence link in conflict: only one of the kept values can settle it.
fn link(links: &mut [EvidenceLink], path: &str, input: &Input) -> Result<String, String> {
    let slot = links
        .iter_mut()
        .find(|l| l.path == path)
        .ok_or_else(|| format!("no evidence link {path} any more"))?;
    put(slot, input, |_| {
        Err("an evidence link is settled by taking one of its values (--take N)".into())
    })
}
