//! The checklists one audit is conducted against, and requirement lookup.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Checklist, Requirement, Section};
use crate::suggest;

/// A requirement named unambiguously: `iso42001-2023:6.1.2`.
///
/// Ordered checklist first, then by clause number read numerically
/// (4.2 < 4.10, clauses before `A.` controls), so records list requirements
/// in the order an auditor reads them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct ReqRef {
    pub checklist: String,
    pub id: String,
}

impl ReqRef {
    pub fn new(checklist: impl Into<String>, id: impl Into<String>) -> Self {
        ReqRef {
            checklist: checklist.into(),
            id: id.into(),
        }
    }
}

impl fmt::Display for ReqRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.checklist, self.id)
    }
}

impl From<ReqRef> for String {
    fn from(r: ReqRef) -> String {
        r.to_string()
    }
}

impl TryFrom<String> for ReqRef {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl FromStr for ReqRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once(':') {
            Some((cl, id)) if !cl.is_empty() && !id.is_empty() => Ok(ReqRef::new(cl, id)),
            _ => Err(format!(
                "'{s}' is not a qualified requirement (write CHECKLIST:ID, e.g. iso42001-2023:6.1.2)"
            )),
        }
    }
}

/// Compare clause numbers segment by segment, numbers numerically.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

impl Ord for ReqRef {
    fn cmp(&self, other: &Self) -> Ordering {
        self.checklist
            .cmp(&other.checklist)
            .then_with(|| compare_ids(&self.id, &other.id))
            .then_with(|| self.id.cmp(&other.id))
    }
}

impl PartialOrd for ReqRef {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Why a requirement name did not lead to exactly one requirement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("unknown requirement '{query}'{}", did_you_mean(suggestions))]
    Unknown {
        query: String,
        suggestions: Vec<String>,
    },
    #[error(
        "requirement '{query}' is in several checklists of this audit: {}\n  write it with its checklist, e.g. {} or, shorter, {}",
        candidates.join(", "),
        candidates.first().map(String::as_str).unwrap_or_default(),
        short_example(candidates)
    )]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
    #[error(
        "'{checklist}' is not a checklist of this audit (its checklists: {})",
        known.join(", ")
    )]
    UnknownChecklist {
        checklist: String,
        known: Vec<String>,
    },
}

/// `iso42001-2023:6.1.2` → `42001:6.1.2`.
fn short_example(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let short = first
        .trim_start_matches("iso")
        .split_once('-')
        .map(|(number, rest)| {
            let id = rest.split_once(':').map_or("", |(_, id)| id);
            format!("{number}:{id}")
        });
    short.unwrap_or_else(|| first.clone())
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("\n  nearest: {}", suggestions.join(", "))
    }
}

/// Why a set of checklists cannot be audited together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("checklist '{0}' is given twice; an audit lists each checklist once")]
    Duplicate(String),
    #[error("an audit needs at least one checklist (give --checklist ID_OR_PATH)")]
    Empty,
}

/// The checklists of one audit, in the order they were chosen, indexed by
/// qualified requirement.
#[derive(Debug, Clone)]
pub struct Catalog {
    checklists: Vec<Checklist>,
    index: HashMap<ReqRef, (usize, usize, usize)>,
}

impl Catalog {
    pub fn new(checklists: Vec<Checklist>) -> Result<Catalog, CatalogError> {
        if checklists.is_empty() {
            return Err(CatalogError::Empty);
        }
        let mut index = HashMap::new();
        for (ci, checklist) in checklists.iter().enumerate() {
            if checklists[..ci].iter().any(|c| c.id == checklist.id) {
                return Err(CatalogError::Duplicate(checklist.id.clone()));
            }
            for (si, section) in checklist.sections.iter().enumerate() {
                for (ri, req) in section.requirements.iter().enumerate() {
                    index
                        .entry(ReqRef::new(&checklist.id, &req.id))
                        .or_insert((ci, si, ri));
                }
            }
        }
        Ok(Catalog { checklists, index })
    }

    pub fn checklists(&self) -> &[Checklist] {
        &self.checklists
    }

    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.id == id)
    }

    /// A checklist by its id, or by a part of its id that names only one
    /// checklist of this audit (`42001` for `iso42001-2023`).
    pub fn checklist_by_prefix(&self, name: &str) -> Option<&Checklist> {
        let name = name.trim();
        if let Some(exact) = self.checklist(name) {
            return Some(exact);
        }
        let mut matching = self
            .checklists
            .iter()
            .filter(|c| !name.is_empty() && c.id.contains(name));
        match (matching.next(), matching.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// The requirement and its section.
    pub fn get(&self, r: &ReqRef) -> Option<(&Section, &Requirement)> {
        let &(ci, si, ri) = self.index.get(r)?;
        let section = &self.checklists[ci].sections[si];
        Some((section, &section.requirements[ri]))
    }

    pub fn contains(&self, r: &ReqRef) -> bool {
        self.index.contains_key(r)
    }

    /// Every requirement in checklist order.
    pub fn requirements(&self) -> impl Iterator<Item = (ReqRef, &Section, &Requirement)> {
        self.checklists.iter().flat_map(|c| {
            c.requirements()
                .map(move |(s, r)| (ReqRef::new(&c.id, &r.id), s, r))
        })
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Turn what a user typed (`6.1.2` or `iso27001-2022:A.5.1`) into a requirement.
    pub fn resolve(&self, query: &str) -> Result<ReqRef, ResolveError> {
        let query = query.trim();
        if let Some((cl, id)) = query.split_once(':') {
            let Some(checklist) = self.checklist_by_prefix(cl) else {
                return Err(ResolveError::UnknownChecklist {
                    checklist: cl.to_string(),
                    known: self.checklists.iter().map(|c| c.id.clone()).collect(),
                });
            };
            let r = ReqRef::new(&checklist.id, id);
            if self.contains(&r) {
                return Ok(r);
            }
            return Err(ResolveError::Unknown {
                query: query.to_string(),
                suggestions: self.suggest(id, Some(checklist)),
            });
        }
        let candidates: Vec<ReqRef> = self
            .checklists
            .iter()
            .map(|c| ReqRef::new(&c.id, query))
            .filter(|r| self.contains(r))
            .collect();
        match candidates.as_slice() {
            [only] => Ok(only.clone()),
            [] => Err(ResolveError::Unknown {
                query: query.to_string(),
                suggestions: self.suggest(query, None),
            }),
            [..] => Err(ResolveError::Ambiguous {
                query: query.to_string(),
                candidates: candidates.iter().map(ToString::to_string).collect(),
            }),
        }
    }

    /// The nearest requirement ids to a mistyped one.
    fn suggest(&self, query: &str, only: Option<&Checklist>) -> Vec<String> {
        let qualify = only.is_none() && self.checklists.len() > 1;
        let candidates = self
            .requirements()
            .filter(|(r, _, _)| only.is_none_or(|c| c.id == r.checklist))
            .map(|(r, _, req)| {
                let name = if qualify { r.to_string() } else { r.id.clone() };
                (name, req.id.clone(), req.title.clone())
            });
        suggest::nearest_ids(query, candidates, 5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::registry;

    fn catalog(ids: &[&str]) -> Catalog {
        Catalog::new(
            ids.iter()
                .map(|id| registry::get(id).unwrap().unwrap().clone())
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn ids_sort_numerically_and_clauses_before_controls() {
        let mut ids = vec!["A.5.10", "10.1", "4.2", "A.5.9", "4.10", "6.1.2", "A.10.4"];
        ids.sort_by(|a, b| compare_ids(a, b));
        assert_eq!(
            ids,
            ["4.2", "4.10", "6.1.2", "10.1", "A.5.9", "A.5.10", "A.10.4"]
        );
    }

    #[test]
    fn req_ref_round_trips_as_string() {
        let r: ReqRef = "iso27001-2022:A.5.1".parse().unwrap();
        assert_eq!(r, ReqRef::new("iso27001-2022", "A.5.1"));
        assert_eq!(r.to_string(), "iso27001-2022:A.5.1");
        assert!("6.1.2".parse::<ReqRef>().is_err());
    }

    #[test]
    fn bare_id_resolves_in_single_checklist() {
        let cat = catalog(&["iso42001-2023"]);
        assert_eq!(
            cat.resolve("6.1.2").unwrap(),
            ReqRef::new("iso42001-2023", "6.1.2")
        );
    }

    #[test]
    fn bare_id_in_several_checklists_is_ambiguous() {
        let cat = catalog(&["iso42001-2023", "iso27001-2022"]);
        let err = cat.resolve("7.5.3").unwrap_err();
        assert_eq!(
            err,
            ResolveError::Ambiguous {
                query: "7.5.3".into(),
                candidates: vec!["iso42001-2023:7.5.3".into(), "iso27001-2022:7.5.3".into()],
            }
        );
        assert_eq!(
            cat.resolve("iso27001-2022:7.5.3").unwrap(),
            ReqRef::new("iso27001-2022", "7.5.3")
        );
        // A part of the checklist id that names one checklist is enough.
        assert_eq!(
            cat.resolve("27001:7.5.3").unwrap(),
            ReqRef::new("iso27001-2022", "7.5.3")
        );
        assert!(cat.resolve("iso:7.5.3").is_err());
        // Only in 27001: no ambiguity.
        assert_eq!(
            cat.resolve("A.8.28").unwrap(),
            ReqRef::new("iso27001-2022", "A.8.28")
        );
    }

    #[test]
    fn unknown_id_suggests_nearest() {
        let cat = catalog(&["iso42001-2023"]);
        let ResolveError::Unknown { suggestions, .. } = cat.resolve("6.1.9").unwrap_err() else {
            panic!("expected Unknown");
        };
        assert!(
            suggestions.contains(&"6.1.2".to_string()),
            "{suggestions:?}"
        );
    }

    #[test]
    fn unknown_checklist_prefix_lists_known() {
        let cat = catalog(&["iso42001-2023"]);
        let err = cat.resolve("iso9001-2015:4.1").unwrap_err();
        assert!(err.to_string().contains("iso42001-2023"), "{err}");
    }

    #[test]
    fn duplicate_checklists_refused() {
        let c = registry::get("iso42001-2023").unwrap().unwrap().clone();
        assert_eq!(
            Catalog::new(vec![c.clone(), c]).unwrap_err(),
            CatalogError::Duplicate("iso42001-2023".into())
        );
    }
}
