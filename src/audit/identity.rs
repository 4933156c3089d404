//! Who a note or finding is, across laptops: a unique id made without
//! coordination ([`Uid`]), and the short numbers auditors and reports use
//! (`NC-001`, note 3), derived from it.
//!
//! Two auditors working on copies of one record both hand out "the next"
//! number, so numbers clash; uids do not. The short numbers are derived in
//! (raised time, author, uid) order when copies are merged, until the record
//! is first packed: from then on the numbers handed out so far are frozen
//! (`AuditRecord::frozen`) and a merge never changes them; numbers are never
//! reused.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::lifecycle::StepKind;
use super::model::*;

/// A note's or finding's id, unique without coordination: 16 hex digits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Uid(pub String);

impl std::fmt::Display for Uid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Per process: no two uids made by one fieldaudit in the same instant
/// share their input.
static MADE: AtomicU64 = AtomicU64::new(0);

fn hex16(input: &[u8]) -> Uid {
    let digest = Sha256::digest(input);
    Uid(hex::encode(&digest[..8]))
}

impl Uid {
    /// A new uid for an item `by` makes at `at`: the author, the time to
    /// the nanosecond, the process, a counter and the process's random hash
    /// seed, hashed. Two laptops never make the same one.
    pub fn fresh(by: &str, at: &Timestamp) -> Uid {
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let input = format!(
            "{by}\u{0}{}\u{0}{nanos}\u{0}{}\u{0}{n}\u{0}{seed}",
            at.to_rfc3339(),
            std::process::id()
        );
        hex16(input.as_bytes())
    }

    /// The uid an item of a record written before uids gets on upgrade:
    /// from the record's creation time and the item's old id, so that two
    /// laptops upgrading the same record give it the same uid.
    pub fn upgraded(created: &str, what: &str, old_id: &str) -> Uid {
        hex16(format!("{created}\u{0}{what}\u{0}{old_id}").as_bytes())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl AuditRecord {
    /// When the record was made: its first trail entry's time, as written.
    fn created(&self) -> String {
        self.trail
            .first()
            .map(|e| e.at.to_rfc3339())
            .unwrap_or_default()
    }

    /// Give every note and finding without a uid (a record written before
    /// uids) the one [`Uid::upgraded`] derives: the same on every laptop.
    pub(super) fn fill_uids(&mut self) {
        let created = self.created();
        for (req, a) in &mut self.assessments {
            for note in a.notes.iter_mut().filter(|n| n.uid.is_empty()) {
                note.uid = Uid::upgraded(&created, &format!("note {req}"), &note.id.to_string());
            }
        }
        for f in self.findings.iter_mut().filter(|f| f.uid.is_empty()) {
            f.uid = Uid::upgraded(&created, "finding", &f.id.to_string());
        }
        for c in &mut self.previous_findings {
            if c.finding.uid.is_empty() {
                c.finding.uid = Uid::upgraded(&c.raised_in, "finding", &c.finding.id.to_string());
            }
        }
    }

    /// Freeze the numbers handed out so far (at a pack): a merge never
    /// changes them.
    pub fn freeze_numbers(&mut self) {
        self.frozen = self.counters.clone();
        for f in &self.findings {
            let n = f.id.number;
            let slot = self.frozen.slot(f.id.family);
            *slot = (*slot).max(n);
        }
        for a in self.assessments.values() {
            for note in &a.notes {
                self.frozen.note = self.frozen.note.max(note.id);
            }
        }
    }

    /// Whether a finding's number is frozen.
    pub fn is_frozen(&self, id: FindingId) -> bool {
        id.number <= self.frozen.get(id.family)
    }

    /// Number this record's findings and notes whose numbers are not
    /// frozen again ([`derived_numbers`], [`derived_note_numbers`]) and carry
    /// the new finding numbers into every structured reference (follow-up
    /// steps, `follows`). Returns the findings renumbered, old → new. Within
    /// one record ids are unique, so references are mapped by id; a merge,
    /// whose sides may both have used a number, maps each side's references
    /// through the uids instead.
    pub fn renumber_unfrozen(&mut self) -> Vec<(FindingId, FindingId)> {
        let numbers = derived_numbers(&self.findings, &self.frozen);
        let mut renames: HashMap<FindingId, FindingId> = HashMap::new();
        for f in &mut self.findings {
            if let Some(new) = numbers.get(&f.uid).filter(|n| **n != f.id) {
                renames.insert(f.id, *new);
                f.id = *new;
            }
        }
        self.remap_references(|id| renames.get(&id).copied());
        self.findings.sort_by_key(|f| f.id);
        self.counters_past_numbers();
        let notes = derived_note_numbers(&self.assessments, self.frozen.note);
        for a in self.assessments.values_mut() {
            for note in a.notes.iter_mut() {
                if let Some(n) = notes.get(&note.uid) {
                    note.id = *n;
                }
            }
        }
        self.counters_past_numbers();
        let mut out: Vec<(FindingId, FindingId)> = renames.into_iter().collect();
        out.sort();
        out
    }

    /// Change every structured reference to a finding (`follows`, the
    /// follow-up steps in the trail) that `map` gives a new id for.
    pub fn remap_references(&mut self, map: impl Fn(FindingId) -> Option<FindingId>) {
        for f in &mut self.findings {
            if let Some(to) = f.follows.and_then(&map) {
                f.follows = Some(to);
            }
        }
        for entry in &mut self.trail {
            if let Some(step) = &mut entry.step {
                if let Some(to) = map(step.finding) {
                    step.finding = to;
                }
                if let StepKind::RaisedAgain { as_finding } = &mut step.kind
                    && let Some(to) = map(*as_finding)
                {
                    *as_finding = to;
                }
            }
        }
    }

    /// Raise each counter to the largest number in use, so the next number
    /// handed out is new.
    pub fn counters_past_numbers(&mut self) {
        for f in self.all_findings().map(|f| f.id).collect::<Vec<_>>() {
            let slot = self.counters.slot(f.family);
            *slot = (*slot).max(f.number);
        }
        let notes = self
            .assessments
            .values()
            .flat_map(|a| a.notes.iter().map(|n| n.id))
            .max()
            .unwrap_or(0);
        self.counters.note = self.counters.note.max(notes);
    }
}

/// The number each finding has once the unfrozen ones (numbered past
/// `frozen` in their family) are numbered in (raised time, author, uid)
/// order after the frozen ones; frozen ones keep theirs.
pub fn derived_numbers(findings: &[Finding], frozen: &Counters) -> HashMap<Uid, FindingId> {
    let mut out = HashMap::new();
    for family in Family::ALL {
        let limit = frozen.get(family);
        let mut open: Vec<&Finding> = Vec::new();
        for f in findings.iter().filter(|f| f.id.family == family) {
            if f.id.number <= limit {
                out.insert(f.uid.clone(), f.id);
            } else {
                open.push(f);
            }
        }
        open.sort_by(|a, b| {
            (a.raised_at, &a.raised_by, &a.uid).cmp(&(b.raised_at, &b.raised_by, &b.uid))
        });
        let mut next = limit;
        for f in open {
            next = next.saturating_add(1);
            out.insert(
                f.uid.clone(),
                FindingId {
                    family,
                    number: next,
                },
            );
        }
    }
    out
}

/// As [`derived_numbers`], for notes (one numbering for the whole record).
pub fn derived_note_numbers(
    assessments: &std::collections::BTreeMap<crate::checklist::ReqRef, Assessment>,
    frozen: u32,
) -> HashMap<Uid, u32> {
    let mut open: Vec<(Timestamp, &str, &Uid)> = Vec::new();
    let mut out = HashMap::new();
    for note in assessments.values().flat_map(|a| a.notes.iter()) {
        if note.id <= frozen {
            out.insert(note.uid.clone(), note.id);
        } else {
            open.push((note.at, note.by.as_str(), &note.uid));
        }
    }
    open.sort();
    let mut next = frozen;
    for (_, _, uid) in open {
        next = next.saturating_add(1);
        out.insert(uid.clone(), next);
    }
    out
}

impl Counters {
    /// The counter of a finding family.
    pub fn get(&self, family: Family) -> u32 {
        match family {
            Family::Nc => self.nc,
            Family::Obs => self.obs,
            Family::Ofi => self.ofi,
            Family::Gp => self.gp,
            Family::Aoc => self.aoc,
        }
    }

    pub(super) fn slot(&mut self, family: Family) -> &mut u32 {
        match family {
            Family::Nc => &mut self.nc,
            Family::Obs => &mut self.obs,
            Family::Ofi => &mut self.ofi,
            Family::Gp => &mut self.gp,
            Family::Aoc => &mut self.aoc,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Change;
    use crate::audit::testing::record;
    use crate::checklist::ReqRef;

    #[test]
    fn fresh_uids_differ_and_upgraded_ones_are_the_same_everywhere() {
        let at = now();
        let a = Uid::fresh("Lee", &at);
        let b = Uid::fresh("Lee", &at);
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 16);
        assert_eq!(
            Uid::upgraded("2026-11-24T09:00:00+00:00", "finding", "NC-001"),
            Uid::upgraded("2026-11-24T09:00:00+00:00", "finding", "NC-001")
        );
        assert_ne!(
            Uid::upgraded("2026-11-24T09:00:00+00:00", "finding", "NC-001"),
            Uid::upgraded("2026-11-24T09:00:00+00:00", "finding", "NC-002")
        );
    }

    #[test]
    fn unfrozen_numbers_follow_time_then_author_and_frozen_ones_stay() {
        let (mut r, who, req) = record();
        let late = Change {
            by: "Al".into(),
            at: "2026-11-24T10:00:00+00:00".parse().unwrap(),
        };
        r.add_finding(&who, Grade::Minor, vec![req.clone()], "first".into(), None)
            .unwrap();
        r.freeze_numbers();
        r.add_finding(&late, Grade::Minor, vec![req.clone()], "late".into(), None)
            .unwrap();
        // The other laptop's NC-002, raised earlier by Bo.
        let mut other = r.findings[1].clone();
        other.uid = Uid::fresh("Bo", &late.at);
        other.raised_at = "2026-11-24T09:00:00+00:00".parse().unwrap();
        other.raised_by = "Bo".into();
        let mut both = r.findings.clone();
        both.push(other.clone());
        let numbers = derived_numbers(&both, &r.frozen);
        let number = |f: &Finding| numbers[&f.uid].to_string();
        assert_eq!(number(&r.findings[0]), "NC-001", "frozen");
        assert_eq!(number(&other), "NC-002", "earlier");
        assert_eq!(number(&r.findings[1]), "NC-003", "later");
        // Within one record, renumbering changes nothing that is in order.
        assert!(r.renumber_unfrozen().is_empty());
        let _ = ReqRef::new("iso42001-2023", "4.1");
    }
}
