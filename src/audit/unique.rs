//! Refuses, while a record is read, what a hand merge of two copies leaves
//! behind: a map key given twice (the second copy would silently replace the
//! first, notes and all), and a finding or note id used twice.
//!
//! The checks run inside deserialisation, so a refusal carries ron's position
//! of the second key or id. Map keys are checked by [`unique_map`]; ids need
//! to be compared across the whole record, so [`checking_ids`] keeps the ids
//! seen so far (per thread, for the duration of one read) and the id fields
//! use [`finding_id`] and [`note_id`].

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Error, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::model::FindingId;

/// Ids met so far in the record being read.
#[derive(Default)]
struct SeenIds {
    findings: HashSet<FindingId>,
    notes: HashSet<u32>,
}

thread_local! {
    /// `Some` while [`checking_ids`] runs on this thread.
    static SEEN: RefCell<Option<SeenIds>> = const { RefCell::new(None) };
}

/// Puts back what was there before, even if the read panics.
struct Scope(Option<SeenIds>);

impl Drop for Scope {
    fn drop(&mut self) {
        let outer = self.0.take();
        SEEN.with(|seen| *seen.borrow_mut() = outer);
    }
}

/// Run `read` (one record's deserialisation) refusing any finding or note id
/// that was already met in it.
pub(super) fn checking_ids<T>(read: impl FnOnce() -> T) -> T {
    let outer = SEEN.with(|seen| seen.borrow_mut().replace(SeenIds::default()));
    let _scope = Scope(outer);
    read()
}

/// Remember `id` in the record being read; false if it was met before.
/// Outside [`checking_ids`] every id is new.
fn first_time(remember: impl FnOnce(&mut SeenIds) -> bool) -> bool {
    SEEN.with(|seen| seen.borrow_mut().as_mut().is_none_or(remember))
}

/// `deserialize_with` for a finding's id: unique in the record.
pub(super) fn finding_id<'de, D: Deserializer<'de>>(d: D) -> Result<FindingId, D::Error> {
    let id = FindingId::deserialize(d)?;
    if first_time(|seen| seen.findings.insert(id)) {
        Ok(id)
    } else {
        Err(D::Error::custom(format!(
            "finding id {id} is used twice; give this one a number no finding has had (above `{}` in counters) and raise that counter to it",
            id.family.prefix().to_ascii_lowercase()
        )))
    }
}

/// `deserialize_with` for a note's id: unique in the record.
pub(super) fn note_id<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let id = u32::deserialize(d)?;
    if first_time(|seen| seen.notes.insert(id)) {
        Ok(id)
    } else {
        Err(D::Error::custom(format!(
            "note id {id} is used twice (note ids are unique in a record); give this one a number no note has had (above `note` in counters) and raise that counter to it"
        )))
    }
}

/// `deserialize_with` for a map: a key given twice is refused where the
/// second one is, instead of the second entry replacing the first.
pub(super) fn unique_map<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    d.deserialize_map(UniqueMap(PhantomData))
}

struct UniqueMap<K, V>(PhantomData<(K, V)>);

impl<'de, K, V> Visitor<'de> for UniqueMap<K, V>
where
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    type Value = BTreeMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<K>()? {
            if out.contains_key(&key) {
                return Err(A::Error::custom(format!(
                    "\"{key}\" is given twice in this map (the second copy would replace the first); merge the two entries into one"
                )));
            }
            let value = map.next_value()?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::audit::store::{self, StoreError};
    use crate::audit::{AuditRecord, AuditType, Change, Criterion, Grade, Meta};
    use crate::checklist::ReqRef;
    use crate::ronfile;

    /// A record with notes 1 and 2 on 4.1 and 4.2, and NC-001 and NC-002.
    fn text() -> String {
        let who = Change::now("Lee");
        let mut r = AuditRecord::new(
            Meta::new("Acme", AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        for (n, req) in ["4.1", "4.2"].into_iter().enumerate() {
            let req = ReqRef::new("iso42001-2023", req);
            r.add_note(&who, &req, format!("note {n}"), None).unwrap();
            r.add_finding(&who, Grade::Minor, vec![req], "x".into(), None)
                .unwrap();
        }
        ronfile::to_string(&r).unwrap()
    }

    /// Parse `text` after replacing the one `from` by `to`; the error, and
    /// where `to` starts in the text. (For a string, ron points at its first
    /// character, just inside the quote.)
    fn refused(from: &str, to: &str) -> (StoreError, (usize, usize)) {
        let text = text();
        assert_eq!(text.matches(from).count(), 1, "{from} in {text}");
        let hostile = text.replacen(from, to, 1);
        let offset = text.find(from).unwrap();
        let before = &hostile[..offset];
        let line = before.matches('\n').count() + 1;
        let column = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        let err = store::parse(&hostile, Path::new("a.ron")).unwrap_err();
        (err, (line, column))
    }

    fn position(err: &StoreError) -> (usize, usize) {
        match err {
            StoreError::Parse { error, .. } => (error.line, error.column),
            other => panic!("not a parse error: {other}"),
        }
    }

    #[test]
    fn a_clean_record_parses() {
        assert!(store::parse(&text(), Path::new("a.ron")).is_ok());
    }

    #[test]
    fn a_requirement_twice_in_assessments_is_refused_at_the_second() {
        let (err, at) = refused(
            "\"iso42001-2023:4.2\": Assessment(",
            "\"iso42001-2023:4.1\": Assessment(",
        );
        assert_eq!(position(&err), (at.0, at.1 + 1), "{err}");
        assert!(
            err.to_string()
                .contains("\"iso42001-2023:4.1\" is given twice"),
            "{err}"
        );
    }

    #[test]
    fn a_finding_id_twice_is_refused_at_the_second() {
        let (err, at) = refused("id: \"NC-002\"", "id: \"NC-001\"");
        assert_eq!(position(&err), (at.0, at.1 + 5), "{err}");
        assert!(
            err.to_string().contains("finding id NC-001 is used twice"),
            "{err}"
        );
    }

    #[test]
    fn a_note_id_twice_is_refused_at_the_second_even_on_another_requirement() {
        let (err, at) = refused("id: 2,", "id: 1,");
        assert_eq!(position(&err), (at.0, at.1 + 4), "{err}");
        assert!(err.to_string().contains("note id 1 is used twice"), "{err}");
    }

    #[test]
    fn mangled_records_are_refused_with_a_place_never_a_panic() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut random = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let bytes = text().into_bytes();
        for _ in 0..500 {
            let mut mangled = bytes.clone();
            for _ in 0..1 + random() % 3 {
                let at = (random() % mangled.len() as u64) as usize;
                mangled[at] = b"\"'()[]{}:,0129\xff"[(random() % 15) as usize];
            }
            match store::parse_record(&mangled, Path::new("a.ron")) {
                Ok(_) => {}
                Err(StoreError::Parse { error, .. }) => {
                    assert!(error.line >= 1 && error.column >= 1)
                }
                Err(StoreError::NewerFormat { .. }) => {}
                Err(other) => panic!("unexpected refusal: {other}"),
            }
        }
    }

    #[test]
    fn ids_are_checked_per_record_and_only_while_reading_one() {
        let text = text();
        // The same ids in the next record read on this thread are fine.
        assert!(store::parse(&text, Path::new("a.ron")).is_ok());
        assert!(store::parse(&text, Path::new("b.ron")).is_ok());
        let parsed: AuditRecord = ronfile::parse(&text, Path::new("a.ron")).unwrap();
        assert_eq!(parsed.findings.len(), 2);
    }
}
