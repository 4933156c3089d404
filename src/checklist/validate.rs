//! Checks a parsed checklist beyond its syntax: unique ids, titles present,
//! cross-references that resolve, questions and evidence hints present.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use super::Checklist;
use super::positions::{CHECKLIST, Positions, REQUIREMENT, SECTION};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The checklist must not be used until this is fixed.
    Error,
    /// Usable, but an auditor would want it fixed.
    Warning,
}

/// One thing wrong with a checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// 1-based line and column in the source, where it could be found.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl Problem {
    /// Problems one a line, indented, each with its place in `path`.
    pub fn listed(path: &Path, problems: &[Problem]) -> String {
        problems
            .iter()
            .map(|p| format!("  {}", p.display_at(path)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `PATH:LINE:COLUMN: error: message` (or without the position when unknown).
    pub fn display_at(&self, path: &Path) -> String {
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.at {
            Some((line, column)) => {
                format!(
                    "{}:{line}:{column}: {word}: {}",
                    path.display(),
                    self.message
                )
            }
            None => format!("{}: {word}: {}", path.display(), self.message),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Collects problems with where in the source they are.
struct Report<'a> {
    positions: Option<Positions<'a>>,
    problems: Vec<Problem>,
}

impl Report<'_> {
    /// Where the value of the `nth` field `name` at `depth` is.
    fn field(&self, depth: usize, name: &str, nth: usize) -> Option<(usize, usize)> {
        self.positions.as_ref()?.field(depth, name, nth)
    }

    fn push(&mut self, severity: Severity, at: Option<(usize, usize)>, message: String) {
        self.problems.push(Problem {
            severity,
            at,
            message,
        });
    }
}

/// Whether `id` is fit to name a checklist (or a crosswalk): non-empty
/// lowercase letters, digits, `-` and `_`.
pub(crate) fn valid_checklist_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

pub(crate) fn valid_item_id(id: &str) -> bool {
    !id.is_empty() && !id.chars().any(|c| c.is_whitespace() || c == ':')
}

/// Check `checklist` (whose RON text is `source`, if known, for positions).
/// `others` are the checklists its cross-references may point into.
pub fn validate(
    checklist: &Checklist,
    source: Option<&str>,
    others: &[&Checklist],
) -> Vec<Problem> {
    use Severity::{Error, Warning};
    let mut report = Report {
        positions: source.map(Positions::of),
        problems: Vec::new(),
    };

    if !valid_checklist_id(&checklist.id) {
        report.push(
            Error,
            report.field(CHECKLIST, "id", 0),
            format!(
                "checklist id '{}' must be non-empty lowercase letters, digits, '-' or '_' (e.g. \"acme-ai-2026\")",
                checklist.id
            ),
        );
    }
    if checklist.title.trim().is_empty() {
        let at = report.field(CHECKLIST, "title", 0);
        report.push(Error, at, "the checklist title is empty".into());
    }
    if checklist.sections.is_empty() {
        let at = report.field(CHECKLIST, "sections", 0);
        report.push(Error, at, "the checklist has no sections".into());
    }

    // Requirement ids of every checklist cross-references may name.
    let mut targets: HashMap<&str, HashSet<&str>> = HashMap::new();
    for other in others.iter().copied().chain(std::iter::once(checklist)) {
        targets
            .entry(other.id.as_str())
            .or_default()
            .extend(other.requirements().map(|(_, r)| r.id.as_str()));
    }

    let mut section_ids = HashSet::new();
    let mut requirement_ids = HashSet::new();
    // Requirements and cross-references are counted across sections.
    let mut requirement_index = 0;
    let mut target_index = 0;
    for (section_index, section) in checklist.sections.iter().enumerate() {
        // Problems of a section or requirement point at its id.
        let at = report.field(SECTION, "id", section_index);
        if !valid_item_id(&section.id) {
            report.push(
                Error,
                at,
                format!(
                    "section id '{}' must be non-empty, without spaces or ':'",
                    section.id
                ),
            );
        } else if !section_ids.insert(section.id.as_str()) {
            report.push(Error, at, format!("duplicate section id '{}'", section.id));
        }
        if section.title.trim().is_empty() {
            report.push(
                Error,
                at,
                format!("section '{}' has an empty title", section.id),
            );
        }
        if section.requirements.is_empty() {
            report.push(
                Warning,
                at,
                format!("section '{}' has no requirements", section.id),
            );
        }
        for req in &section.requirements {
            let at = report.field(REQUIREMENT, "id", requirement_index);
            requirement_index += 1;
            let mut push = |severity, message| {
                report.problems.push(Problem {
                    severity,
                    at,
                    message,
                })
            };
            if !valid_item_id(&req.id) {
                push(
                    Error,
                    format!(
                        "requirement id '{}' must be non-empty, without spaces or ':'",
                        req.id
                    ),
                );
            } else if !requirement_ids.insert(req.id.as_str()) {
                push(
                    Error,
                    format!(
                        "duplicate requirement id '{}' (ids must be unique in a checklist)",
                        req.id
                    ),
                );
            }
            if req.title.trim().is_empty() {
                push(
                    Error,
                    format!("requirement '{}' has an empty title", req.id),
                );
            }
            if req.questions.iter().all(|q| q.trim().is_empty()) {
                push(
                    Warning,
                    format!("requirement '{}' has no audit questions", req.id),
                );
            }
            if req.evidence.iter().all(|e| e.trim().is_empty()) {
                push(
                    Warning,
                    format!("requirement '{}' has no evidence hints", req.id),
                );
            }
            for target in &req.maps_to {
                let message = match target.split_once(':') {
                    None => Some(format!(
                        "requirement '{}': cross-reference '{target}' must be written CHECKLIST:ID, e.g. \"iso27001-2022:7.5.3\"",
                        req.id
                    )),
                    Some((cl, id)) => match targets.get(cl) {
                        None => Some(format!(
                            "requirement '{}': cross-reference '{target}' names an unknown checklist '{cl}' (known: {})",
                            req.id,
                            sorted_keys(&targets)
                        )),
                        Some(ids) if !ids.contains(id) => Some(format!(
                            "requirement '{}': cross-reference '{target}' does not resolve: {cl} has no requirement '{id}'",
                            req.id
                        )),
                        Some(_) => None,
                    },
                };
                let at = report
                    .positions
                    .as_ref()
                    .and_then(|p| p.listed(REQUIREMENT, "maps_to", target_index));
                target_index += 1;
                if let Some(message) = message {
                    report.push(Error, at, message);
                }
            }
        }
    }
    report.problems
}

fn sorted_keys(map: &HashMap<&str, HashSet<&str>>) -> String {
    let mut keys: Vec<&str> = map.keys().copied().collect();
    keys.sort_unstable();
    keys.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::parse;

    fn check(text: &str) -> Vec<Problem> {
        let checklist = parse(text, Path::new("t.ron")).unwrap();
        validate(&checklist, Some(text), &[])
    }

    const GOOD_REQ: &str = "questions: [\"q1?\", \"q2?\"], evidence: [\"e\"]";

    #[test]
    fn clean_checklist_has_no_problems() {
        let text = format!(
            "Checklist(id: \"t\", title: \"T\", sections: [Section(id: \"4\", title: \"S\", requirements: [\n Requirement(id: \"4.1\", title: \"A\", {GOOD_REQ}, maps_to: [\"t:4.2\"]),\n Requirement(id: \"4.2\", title: \"B\", {GOOD_REQ}),\n])])"
        );
        assert_eq!(check(&text), vec![]);
    }

    #[test]
    fn duplicate_id_is_named_and_located_at_second_occurrence() {
        let text = format!(
            "Checklist(id: \"t\", title: \"T\", sections: [Section(id: \"4\", title: \"S\", requirements: [\n Requirement(id: \"4.1\", title: \"A\", {GOOD_REQ}),\n Requirement(id: \"4.1\", title: \"B\", {GOOD_REQ}),\n])])"
        );
        let problems = check(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .message
                .contains("duplicate requirement id '4.1'")
        );
        assert_eq!(problems[0].at, Some((3, 18)));
    }

    #[test]
    fn empty_title_and_unresolved_reference_are_errors() {
        let text = format!(
            "Checklist(id: \"t\", title: \"T\", sections: [Section(id: \"4\", title: \"S\", requirements: [\n Requirement(id: \"4.1\", title: \" \", {GOOD_REQ}, maps_to: [\"t:9.9\", \"nope:1\", \"bare\"]),\n])])"
        );
        let problems = check(&text);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(problems.len(), 4, "{messages:?}");
        assert!(messages[0].contains("empty title"));
        assert!(messages[1].contains("t has no requirement '9.9'"));
        assert!(messages[2].contains("unknown checklist 'nope'"));
        assert!(messages[3].contains("CHECKLIST:ID"));
        assert!(problems.iter().all(|p| p.severity == Severity::Error));
    }

    #[test]
    fn missing_questions_and_evidence_are_warnings() {
        let text = "Checklist(id: \"t\", title: \"T\", sections: [Section(id: \"4\", title: \"S\", requirements: [Requirement(id: \"4.1\", title: \"A\")])])";
        let problems = check(text);
        assert_eq!(problems.len(), 2);
        assert!(problems.iter().all(|p| p.severity == Severity::Warning));
    }

    #[test]
    fn every_problem_has_its_position() {
        // An empty title, a dangling reference, a missing question: each kind,
        // in sections and requirements; titles and comments that look like ids.
        let text = "// id: \"x\"\nChecklist(\n  id: \"Bad Id\",\n  title: \" \",\n  sections: [\n    Section(id: \"4\", title: \"4.1\", requirements: []),\n    Section(id: \"4\", title: \"\", requirements: [\n      Requirement(id: \"4.1\", title: \"\", maps_to: [\"t:9\"]),\n      Requirement(id: \"4.1\", title: \"B\"),\n    ]),\n    Section(id: \"a b\", title: \"C\", requirements: []),\n  ],\n)";
        let checklist = parse(text, Path::new("t.ron")).unwrap();
        let problems = validate(&checklist, Some(text), &[]);
        let shown: Vec<String> = problems
            .iter()
            .map(|p| p.display_at(Path::new("t.ron")))
            .collect();
        let expect = [
            "t.ron:3:7: error: checklist id 'Bad Id'",
            "t.ron:4:10: error: the checklist title is empty",
            "t.ron:6:17: warning: section '4' has no requirements",
            "t.ron:7:17: error: duplicate section id '4'",
            "t.ron:7:17: error: section '4' has an empty title",
            "t.ron:8:23: error: requirement '4.1' has an empty title",
            "t.ron:8:23: warning: requirement '4.1' has no audit questions",
            "t.ron:8:51: error: requirement '4.1': cross-reference 't:9'",
            "t.ron:9:23: error: duplicate requirement id '4.1'",
            "t.ron:11:17: error: section id 'a b' must be",
            "t.ron:11:17: warning: section 'a b' has no requirements",
        ];
        for want in expect {
            assert!(
                shown.iter().any(|s| s.starts_with(want)),
                "{want} not in {shown:#?}"
            );
        }
        assert!(problems.iter().all(|p| p.at.is_some()), "{shown:#?}");
    }

    #[test]
    fn a_checklist_without_sections_is_pointed_at_its_sections() {
        let text = "Checklist(\n    id: \"t\",\n    title: \"T\",\n    sections: [],\n)";
        let problems = check(text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].at, Some((4, 15)), "{problems:?}");
    }

    #[test]
    fn bad_checklist_id_is_an_error() {
        let text = format!(
            "Checklist(id: \"Bad Id\", title: \"T\", sections: [Section(id: \"4\", title: \"S\", requirements: [Requirement(id: \"4.1\", title: \"A\", {GOOD_REQ})])])"
        );
        let problems = check(&text);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("'Bad Id'"));
    }
}
