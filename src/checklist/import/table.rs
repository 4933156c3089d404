//! Checklists from a spreadsheet saved as CSV: one row per requirement,
//! under a header row naming the columns in [`COLUMNS`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{ImportError, Imported};
use crate::checklist::validate::{valid_checklist_id, valid_item_id};
use crate::checklist::{Checklist, Kind, Requirement, Section};
use crate::text::shown;

/// The columns a checklist CSV must have, in any order.
pub const COLUMNS: [&str; 8] = [
    "section_id",
    "section_title",
    "kind",
    "id",
    "title",
    "question",
    "evidence",
    "maps_to",
];

/// Lines of a cell, trimmed, blank ones dropped.
fn lines(cell: &str, also_semicolon: bool) -> Vec<String> {
    cell.split(|c| c == '\n' || (also_semicolon && c == ';'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Convert the CSV `text`, read from `path`, into checklist `id` titled `title`.
pub fn from_csv(text: &str, path: &Path, id: &str, title: &str) -> Result<Imported, ImportError> {
    let whole = |message: String| ImportError::Whole {
        path: path.to_path_buf(),
        message,
    };
    if !valid_checklist_id(id) {
        return Err(whole(format!(
            "--id '{}' must be lowercase letters, digits, '-' or '_' (e.g. \"acme-ai-2026\")",
            shown(id)
        )));
    }
    if title.trim().is_empty() {
        return Err(whole("--title is empty; give the checklist a title".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line());
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!(
                "the row has {len} cell(s) where the header row has {expected_len}; put each value in its column (quote cells holding commas)"
            ),
            _ => e.to_string(),
        };
        ImportError::Line {
            path: path.to_path_buf(),
            line,
            message,
        }
    };
    let header = reader.headers().map_err(csv_err)?.clone();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        index.entry(name.trim()).or_insert(i);
    }
    for column in COLUMNS {
        if !index.contains_key(column) {
            return Err(ImportError::Cell {
                path: path.to_path_buf(),
                line: 1,
                column,
                message: format!(
                    "the header row has no column `{column}`; it needs {}",
                    COLUMNS.join(", ")
                ),
            });
        }
    }
    let mut sections: Vec<Section> = Vec::new();
    let mut section_at: HashMap<String, usize> = HashMap::new();
    let mut seen_ids: HashSet<String> = HashSet::new();
    for row in reader.records() {
        let row = row.map_err(csv_err)?;
        let line = row.position().map_or(0, |p| p.line());
        let cell = |column: &'static str| -> &str {
            index
                .get(column)
                .and_then(|&i| row.get(i))
                .unwrap_or_default()
                .trim()
        };
        let bad = |column: &'static str, message: String| ImportError::Cell {
            path: path.to_path_buf(),
            line,
            column,
            message,
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let section_id = cell("section_id");
        if !valid_item_id(section_id) {
            return Err(bad(
                "section_id",
                format!(
                    "'{}' must be non-empty, without spaces or ':'",
                    shown(section_id)
                ),
            ));
        }
        let kind = match cell("kind") {
            "clause" | "" => Kind::Clause,
            "control" => Kind::Control,
            other => {
                return Err(bad(
                    "kind",
                    format!("'{}' is not a kind; write clause or control", shown(other)),
                ));
            }
        };
        let id = cell("id");
        if !valid_item_id(id) {
            return Err(bad(
                "id",
                format!("'{}' must be non-empty, without spaces or ':'", shown(id)),
            ));
        }
        if !seen_ids.insert(id.to_string()) {
            return Err(bad(
                "id",
                format!(
                    "'{}' is already used by an earlier row; ids must be unique",
                    shown(id)
                ),
            ));
        }
        let req_title = cell("title");
        if req_title.is_empty() {
            return Err(bad(
                "title",
                format!("requirement '{}' has no title", shown(id)),
            ));
        }
        let maps_to = lines(cell("maps_to"), true);
        if let Some(t) = maps_to.iter().find(|t| !t.contains(':')) {
            return Err(bad(
                "maps_to",
                format!(
                    "'{}' must be written CHECKLIST:ID, e.g. iso27001-2022:7.5.3",
                    shown(t)
                ),
            ));
        }
        let at = match section_at.get(section_id) {
            Some(&at) => {
                if sections[at].kind != kind {
                    return Err(bad(
                        "kind",
                        format!(
                            "section '{}' was {} on an earlier row",
                            shown(section_id),
                            sections[at].kind.as_str()
                        ),
                    ));
                }
                at
            }
            None => {
                let section_title = cell("section_title");
                if section_title.is_empty() {
                    return Err(bad(
                        "section_title",
                        format!(
                            "the first row of section '{}' needs its title",
                            shown(section_id)
                        ),
                    ));
                }
                sections.push(Section {
                    id: section_id.to_string(),
                    title: section_title.to_string(),
                    kind,
                    objective: None,
                    requirements: Vec::new(),
                });
                section_at.insert(section_id.to_string(), sections.len() - 1);
                sections.len() - 1
            }
        };
        sections[at].requirements.push(Requirement {
            id: id.to_string(),
            title: req_title.to_string(),
            questions: lines(cell("question"), false),
            evidence: lines(cell("evidence"), false),
            applies_to: Vec::new(),
            surveillance: None,
            maps_to,
        });
    }
    if sections.is_empty() {
        return Err(whole(
            "the file has a header row but no requirement rows".into(),
        ));
    }
    Ok(Imported {
        checklist: Checklist {
            id: id.to_string(),
            title: title.trim().to_string(),
            sections,
        },
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "section_id,section_title,kind,id,title,question,evidence,maps_to\n";

    fn import(rows: &str) -> Result<Imported, ImportError> {
        from_csv(&format!("{HEAD}{rows}"), Path::new("t.csv"), "acme", "Acme")
    }

    #[test]
    fn multi_line_cells_give_several_questions_and_hints() {
        let got = import("6,Planning,clause,6.1,Risks,\"Who owns it?\nHow often?\",Register,iso42001-2023:6.1.2;iso42001-2023:6.1.3\n").unwrap();
        let r = &got.checklist.sections[0].requirements[0];
        assert_eq!(r.questions, ["Who owns it?", "How often?"]);
        assert_eq!(r.evidence, ["Register"]);
        assert_eq!(r.maps_to.len(), 2);
    }

    #[test]
    fn a_bad_kind_names_the_line_and_column() {
        let err = import("6,Planning,clause,6.1,Risks,Q,E,\n6,Planning,policy,6.2,More,Q,E,\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.csv:3: column `kind`:"), "{err}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = from_csv("section_id,id\n", Path::new("t.csv"), "a", "A")
            .unwrap_err()
            .to_string();
        assert!(err.contains("column `section_title`"), "{err}");
    }
}
