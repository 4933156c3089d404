//! The crosswalks shipped inside the binary (`checklists/crosswalks/*.ron`).

use super::{Crosswalk, CrosswalkError, parse};
use crate::shipped::Shipped;

/// Shipped crosswalks: id and RON source, in the order `crosswalk list` shows them.
static SHIPPED: Shipped<Crosswalk> = Shipped::new(
    "checklists/crosswalks/",
    &[(
        "eu-ai-act-2024-1689",
        include_str!("../../checklists/crosswalks/eu-ai-act-2024-1689.ron"),
    )],
);

/// The ids of the shipped crosswalks.
pub fn ids() -> impl Iterator<Item = &'static str> {
    SHIPPED.ids()
}

/// The RON source of a shipped crosswalk.
pub fn source(id: &str) -> Option<&'static str> {
    SHIPPED.source(id)
}

/// The path shipped crosswalks are reported under in messages.
pub fn display_path(id: &str) -> String {
    SHIPPED.display_path(id)
}

/// All shipped crosswalks, parsed once per process.
pub fn all() -> Result<&'static [Crosswalk], CrosswalkError> {
    SHIPPED.all(parse).map_err(|message| CrosswalkError::Read {
        path: "<shipped crosswalks>".into(),
        source: std::io::Error::other(message),
    })
}

/// A shipped crosswalk by id, if there is one.
pub fn get(id: &str) -> Result<Option<&'static Crosswalk>, CrosswalkError> {
    Ok(all()?.iter().find(|c| c.id == id))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::checklist::{self, Checklist, Kind};
    use crate::crosswalk::{Strength, validate};

    #[test]
    fn shipped_crosswalks_validate_cleanly_against_the_shipped_checklists() {
        let checklists: Vec<&Checklist> = checklist::registry::all().unwrap().iter().collect();
        for c in all().unwrap() {
            let problems = validate(c, source(&c.id), &checklists);
            assert!(problems.is_empty(), "{}: {problems:#?}", c.id);
        }
    }

    #[test]
    fn the_eu_ai_act_crosswalk_covers_the_articles_the_issue_names() {
        let c = get("eu-ai-act-2024-1689").unwrap().unwrap();
        assert_eq!(c.checklist, "iso42001-2023");
        let numbers: Vec<&str> = c.articles.iter().map(|a| a.number.as_str()).collect();
        for n in [
            "4", "9", "10", "11", "12", "13", "14", "15", "17", "26", "27", "72", "73",
        ] {
            assert!(numbers.contains(&n), "article {n} missing: {numbers:?}");
        }
        let titles: Vec<(&str, &str)> = c
            .articles
            .iter()
            .map(|a| (a.number.as_str(), a.title.as_str()))
            .collect();
        assert!(titles.contains(&("4", "AI literacy")));
        assert!(titles.contains(&("9", "Risk management system")));
        assert!(titles.contains(&("73", "Reporting of serious incidents")));
        for a in &c.articles {
            assert!(
                (3..=8).contains(&a.maps.len()),
                "article {} maps {} requirements",
                a.number,
                a.maps.len()
            );
        }
        // It draws on both the clauses and the Annex A controls, and is
        // honest that most support is partial.
        let iso = checklist::registry::get("iso42001-2023").unwrap().unwrap();
        let kinds: HashSet<Kind> = c
            .articles
            .iter()
            .flat_map(|a| &a.maps)
            .filter_map(|m| iso.find(&m.requirement).map(|(s, _)| s.kind))
            .collect();
        assert_eq!(kinds.len(), 2);
        let partly = c
            .articles
            .iter()
            .flat_map(|a| &a.maps)
            .filter(|m| m.strength == Strength::PartlySupports)
            .count();
        assert!(
            partly * 2 > c.mapping_count(),
            "{partly} of {}",
            c.mapping_count()
        );
        let note = c.note.as_deref().unwrap_or_default();
        assert!(note.contains("presumption of conformity"), "{note}");
    }
}
