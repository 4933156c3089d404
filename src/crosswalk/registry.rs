//! The crosswalks shipped inside the binary (`checklists/crosswalks/*.ron`).

use std::path::Path;
use std::sync::OnceLock;

use super::{Crosswalk, CrosswalkError, parse};

/// Shipped crosswalks: id and RON source, in the order `crosswalk list` shows them.
const SHIPPED: &[(&str, &str)] = &[(
    "eu-ai-act-2024-1689",
    include_str!("../../checklists/crosswalks/eu-ai-act-2024-1689.ron"),
)];

/// The ids of the shipped crosswalks.
pub fn ids() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(id, _)| *id)
}

/// The RON source of a shipped crosswalk.
pub fn source(id: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}

/// The path shipped crosswalks are reported under in messages.
pub fn display_path(id: &str) -> String {
    format!("checklists/crosswalks/{id}.ron")
}

/// All shipped crosswalks, parsed once per process.
pub fn all() -> Result<&'static [Crosswalk], CrosswalkError> {
    static PARSED: OnceLock<Result<Vec<Crosswalk>, String>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        SHIPPED
            .iter()
            .map(|(id, text)| parse(text, Path::new(&display_path(id))))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())
    });
    match parsed {
        Ok(list) => Ok(list),
        // Only reachable with a broken build; the tests parse every shipped file.
        Err(message) => Err(CrosswalkError::Read {
            path: "<shipped crosswalks>".into(),
            source: std::io::Error::other(message.clone()),
        }),
    }
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
