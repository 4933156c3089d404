//! The checklists shipped inside the binary (`checklists/*.ron`).

use std::path::Path;
use std::sync::OnceLock;

use super::{Checklist, ChecklistError, parse};

/// Shipped checklists: id and RON source, in the order `checklist list` shows them.
const SHIPPED: &[(&str, &str)] = &[
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
];

/// The ids of the shipped checklists.
pub fn ids() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(id, _)| *id)
}

/// The RON source of a shipped checklist.
pub fn source(id: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}

/// The path shipped checklists are reported under in messages.
pub fn display_path(id: &str) -> String {
    format!("checklists/{id}.ron")
}

/// All shipped checklists, parsed once per process.
pub fn all() -> Result<&'static [Checklist], ChecklistError> {
    static PARSED: OnceLock<Result<Vec<Checklist>, String>> = OnceLock::new();
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
        Err(message) => Err(ChecklistError::Read {
            path: "<shipped checklists>".into(),
            source: std::io::Error::other(message.clone()),
        }),
    }
}

/// A shipped checklist by id, if there is one.
pub fn get(id: &str) -> Result<Option<&'static Checklist>, ChecklistError> {
    Ok(all()?.iter().find(|c| c.id == id))
}
