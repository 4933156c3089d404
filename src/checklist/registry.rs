//! The checklists shipped inside the binary (`checklists/*.ron`).

use super::{Checklist, ChecklistError, parse};
use crate::shipped::Shipped;

/// Shipped checklists: id and RON source, in the order `checklist list` shows them.
static SHIPPED: Shipped<Checklist> = Shipped::new(
    "checklists/",
    &[
        (
            "iso42001-2023",
            include_str!("../../checklists/iso42001-2023.ron"),
        ),
        (
            "iso27001-2022",
            include_str!("../../checklists/iso27001-2022.ron"),
        ),
        (
            "iso9001-2015",
            include_str!("../../checklists/iso9001-2015.ron"),
        ),
    ],
);

/// The ids of the shipped checklists.
pub fn ids() -> impl Iterator<Item = &'static str> {
    SHIPPED.ids()
}

/// The RON source of a shipped checklist.
pub fn source(id: &str) -> Option<&'static str> {
    SHIPPED.source(id)
}

/// The path shipped checklists are reported under in messages.
pub fn display_path(id: &str) -> String {
    SHIPPED.display_path(id)
}

/// All shipped checklists, parsed once per process.
pub fn all() -> Result<&'static [Checklist], ChecklistError> {
    SHIPPED.all(parse).map_err(|message| ChecklistError::Read {
        path: "<shipped checklists>".into(),
        source: std::io::Error::other(message),
    })
}

/// A shipped checklist by id, if there is one.
pub fn get(id: &str) -> Result<Option<&'static Checklist>, ChecklistError> {
    Ok(all()?.iter().find(|c| c.id == id))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::checklist::{Kind, Severity, validate};

    fn ids(id: &str, kind: Kind) -> Vec<String> {
        get(id)
            .unwrap()
            .unwrap()
            .requirements()
            .filter(|(s, _)| s.kind == kind)
            .map(|(_, r)| r.id.clone())
            .collect()
    }

    fn split(list: &str) -> Vec<String> {
        list.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn iso42001_has_every_clause_and_the_38_annex_a_controls() {
        assert_eq!(
            ids("iso42001-2023", Kind::Clause),
            split(
                "4.1 4.2 4.3 4.4 5.1 5.2 5.3 6.1.1 6.1.2 6.1.3 6.1.4 6.2 6.3 7.1 7.2 7.3 7.4 \
                 7.5.1 7.5.2 7.5.3 8.1 8.2 8.3 8.4 9.1 9.2.1 9.2.2 9.3.1 9.3.2 9.3.3 10.1 10.2"
            )
        );
        assert_eq!(
            ids("iso42001-2023", Kind::Control),
            split(
                "A.2.2 A.2.3 A.2.4 A.3.2 A.3.3 A.4.2 A.4.3 A.4.4 A.4.5 A.4.6 A.5.2 A.5.3 A.5.4 \
                 A.5.5 A.6.1.2 A.6.1.3 A.6.2.2 A.6.2.3 A.6.2.4 A.6.2.5 A.6.2.6 A.6.2.7 A.6.2.8 \
                 A.7.2 A.7.3 A.7.4 A.7.5 A.7.6 A.8.2 A.8.3 A.8.4 A.8.5 A.9.2 A.9.3 A.9.4 \
                 A.10.2 A.10.3 A.10.4"
            )
        );
    }

    #[test]
    fn iso27001_has_every_clause_and_the_93_annex_a_controls() {
        assert_eq!(
            ids("iso27001-2022", Kind::Clause),
            split(
                "4.1 4.2 4.3 4.4 5.1 5.2 5.3 6.1.1 6.1.2 6.1.3 6.2 6.3 7.1 7.2 7.3 7.4 \
                 7.5.1 7.5.2 7.5.3 8.1 8.2 8.3 9.1 9.2.1 9.2.2 9.3.1 9.3.2 9.3.3 10.1 10.2"
            )
        );
        let expected: Vec<String> = [(5, 37), (6, 8), (7, 14), (8, 34)]
            .iter()
            .flat_map(|&(theme, n)| (1..=n).map(move |i| format!("A.{theme}.{i}")))
            .collect();
        assert_eq!(expected.len(), 93);
        assert_eq!(ids("iso27001-2022", Kind::Control), expected);
    }

    #[test]
    fn iso9001_has_every_clause_at_the_finest_level() {
        assert_eq!(
            ids("iso9001-2015", Kind::Clause),
            split(
                "4.1 4.2 4.3 4.4.1 4.4.2 5.1.1 5.1.2 5.2.1 5.2.2 5.3 6.1.1 6.1.2 6.2.1 6.2.2 6.3 \
                 7.1.1 7.1.2 7.1.3 7.1.4 7.1.5 7.1.6 7.2 7.3 7.4 7.5.1 7.5.2 7.5.3 \
                 8.1 8.2.1 8.2.2 8.2.3 8.2.4 8.3.1 8.3.2 8.3.3 8.3.4 8.3.5 8.3.6 8.4.1 8.4.2 8.4.3 \
                 8.5.1 8.5.2 8.5.3 8.5.4 8.5.5 8.5.6 8.6 8.7.1 8.7.2 \
                 9.1.1 9.1.2 9.1.3 9.2.1 9.2.2 9.3.1 9.3.2 9.3.3 10.1 10.2.1 10.2.2 10.3"
            )
        );
        assert!(ids("iso9001-2015", Kind::Control).is_empty());
    }

    #[test]
    fn every_shipped_requirement_has_questions_and_evidence_hints() {
        for c in all().unwrap() {
            let mut seen = HashSet::new();
            for (_, r) in c.requirements() {
                assert!(
                    r.questions.len() >= 2,
                    "{}:{} needs two questions",
                    c.id,
                    r.id
                );
                assert!(
                    !r.evidence.is_empty(),
                    "{}:{} needs an evidence hint",
                    c.id,
                    r.id
                );
                for q in &r.questions {
                    assert!(seen.insert(q.as_str()), "{}:{} repeats {q:?}", c.id, r.id);
                }
            }
        }
    }

    #[test]
    fn internal_audit_management_review_and_corrective_action_are_always_in_surveillance() {
        let clauses_9_and_10 = "9.2.1 9.2.2 9.3.1 9.3.2 9.3.3";
        for (id, corrective_action) in [
            ("iso42001-2023", "10.2"),
            ("iso27001-2022", "10.2"),
            ("iso9001-2015", "10.2.1 10.2.2"),
        ] {
            let c = get(id).unwrap().unwrap();
            let expected = split(&format!("{clauses_9_and_10} {corrective_action}"));
            for want in &expected {
                assert!(c.find(want).is_some(), "{id} has no requirement {want}");
            }
            let marked: Vec<String> = c.always_in_surveillance().map(|r| r.id.clone()).collect();
            assert_eq!(marked, expected, "{id}");
        }
    }

    #[test]
    fn shipped_checklists_validate_cleanly_against_each_other() {
        let all = all().unwrap();
        for c in all {
            let others: Vec<&Checklist> = all.iter().filter(|o| o.id != c.id).collect();
            let problems = validate(c, source(&c.id), &others);
            assert!(problems.is_empty(), "{}: {problems:?}", c.id);
            assert!(!problems.iter().any(|p| p.severity == Severity::Error));
        }
    }

    #[test]
    fn harmonized_structure_twins_point_back_at_each_other() {
        let all = all().unwrap();
        let mut pairs = HashSet::new();
        for c in all {
            for (_, r) in c.requirements() {
                for target in &r.maps_to {
                    pairs.insert((format!("{}:{}", c.id, r.id), target.clone()));
                }
            }
        }
        for (from, to) in &pairs {
            assert!(
                pairs.contains(&(to.clone(), from.clone())),
                "{from} maps to {to} but not back"
            );
        }
        // The example from the issue: documented information control in all three.
        assert!(pairs.contains(&(
            "iso42001-2023:7.5.3".to_string(),
            "iso9001-2015:7.5.3".to_string()
        )));
        assert!(pairs.contains(&(
            "iso27001-2022:10.1".to_string(),
            "iso9001-2015:10.3".to_string()
        )));
    }
}
