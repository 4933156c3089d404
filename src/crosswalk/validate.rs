//! Checks a parsed crosswalk beyond its syntax: ids and titles present,
//! article numbers unique, every requirement id resolving in the checklist
//! the crosswalk names, a note on every mapping, no control characters.
//!
//! Problems point at their line and column through the checklist's
//! [`Positions`] reader: the crosswalk's fields sit at depth 1, an
//! article's at 3 and a mapping's at 5 (`Crosswalk(` `articles: [`
//! `Article(` `maps: [` `Map(`). Positions are looked up only for the
//! problems reported, and at most [`MAX_PROBLEMS`] are, so a huge file
//! full of mistakes is checked in bounded time.

use std::collections::HashSet;

use super::Crosswalk;
use crate::checklist::positions::Positions;
use crate::checklist::{Checklist, Problem, Severity, valid_checklist_id};
use crate::suggest;

/// Nesting depth of the crosswalk's own fields.
const CROSSWALK: usize = 1;
/// Nesting depth of an article's fields.
const ARTICLE: usize = 3;
/// Nesting depth of a mapping's fields.
const MAP: usize = 5;

/// The most problems one validation reports; the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// Where a problem is: the `nth` field `name` at `depth`.
type Place = (usize, &'static str, usize);

/// Collects problems, finding their positions only for those kept.
struct Report<'a> {
    positions: Option<Positions<'a>>,
    problems: Vec<Problem>,
    dropped: usize,
}

impl Report<'_> {
    fn push(&mut self, severity: Severity, place: Place, message: String) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.dropped += 1;
            return;
        }
        let (depth, name, nth) = place;
        let at = self
            .positions
            .as_ref()
            .and_then(|p| p.field(depth, name, nth));
        self.problems.push(Problem {
            severity,
            at,
            message,
        });
    }

    fn error(&mut self, place: Place, message: String) {
        self.push(Severity::Error, place, message);
    }

    /// An error when `text` holds a control character (a newline too,
    /// unless `newlines` are allowed): it would reach a terminal or report.
    fn plain(&mut self, place: Place, what: &str, text: &str, newlines: bool) {
        if let Some(c) = text
            .chars()
            .find(|&c| crate::text::is_control(c) && !(newlines && c == '\n'))
        {
            self.error(
                place,
                format!(
                    "{what} contains the control character U+{:04X}; remove it",
                    c as u32
                ),
            );
        }
    }
}

/// Check `crosswalk` (whose RON text is `source`, if known, for positions).
/// Its requirement ids must resolve in the one of `checklists` it names.
pub fn validate(
    crosswalk: &Crosswalk,
    source: Option<&str>,
    checklists: &[&Checklist],
) -> Vec<Problem> {
    let mut report = Report {
        positions: source.map(Positions::of),
        problems: Vec::new(),
        dropped: 0,
    };
    header(crosswalk, checklists, &mut report);
    let target = checklists
        .iter()
        .copied()
        .find(|c| c.id == crosswalk.checklist);
    articles(crosswalk, target, &mut report);
    if report.dropped > 0 {
        let message = format!(
            "{} more problem(s) not listed; fix the ones above and validate again",
            report.dropped
        );
        report.problems.push(Problem {
            severity: Severity::Error,
            at: None,
            message,
        });
    }
    report.problems
}

/// The crosswalk's own fields.
fn header(crosswalk: &Crosswalk, checklists: &[&Checklist], report: &mut Report<'_>) {
    let at = |name| (CROSSWALK, name, 0);
    if !valid_checklist_id(&crosswalk.id) {
        report.error(
            at("id"),
            format!(
                "crosswalk id '{}' must be non-empty lowercase letters, digits, '-' or '_' (e.g. \"eu-ai-act-2024-1689\")",
                crosswalk.id
            ),
        );
    }
    for (name, value) in [
        ("title", &crosswalk.title),
        ("regulation", &crosswalk.regulation),
    ] {
        if value.trim().is_empty() {
            report.error(at(name), format!("the crosswalk's {name} is empty"));
        }
        report.plain(at(name), &format!("the crosswalk's {name}"), value, false);
    }
    if let Some(note) = &crosswalk.note {
        report.plain(at("note"), "the crosswalk's note", note, true);
    }
    if !checklists.iter().any(|c| c.id == crosswalk.checklist) {
        let known: Vec<&str> = checklists.iter().map(|c| c.id.as_str()).collect();
        report.error(
            at("checklist"),
            format!(
                "the crosswalk maps onto checklist '{}', which is not known here (known: {}); name one of them",
                crosswalk.checklist,
                known.join(", ")
            ),
        );
    }
    if crosswalk.articles.is_empty() {
        report.error(at("articles"), "the crosswalk has no articles".into());
    }
}

/// Every article and its mappings; `target` is the checklist mapped onto,
/// when known.
fn articles(crosswalk: &Crosswalk, target: Option<&Checklist>, report: &mut Report<'_>) {
    let known: Option<HashSet<&str>> =
        target.map(|c| c.requirements().map(|(_, r)| r.id.as_str()).collect());
    let mut numbers = HashSet::new();
    // Mappings are counted across articles, as their positions are.
    let mut map_index = 0;
    for (index, article) in crosswalk.articles.iter().enumerate() {
        let number = &article.number;
        let at = (ARTICLE, "number", index);
        if number.trim().is_empty() {
            report.error(at, format!("article {} has an empty number", index + 1));
        } else if !numbers.insert(number.as_str()) {
            report.error(
                at,
                format!("duplicate article '{number}' (each article is listed once)"),
            );
        }
        report.plain(at, &format!("article '{number}''s number"), number, false);
        let title_at = (ARTICLE, "title", index);
        if article.title.trim().is_empty() {
            report.error(title_at, format!("article '{number}' has an empty title"));
        }
        report.plain(
            title_at,
            &format!("article '{number}''s title"),
            &article.title,
            false,
        );
        if let Some(note) = &article.note {
            report.plain(
                (ARTICLE, "note", index),
                &format!("article '{number}''s note"),
                note,
                true,
            );
        }
        if article.maps.is_empty() {
            report.push(
                Severity::Warning,
                at,
                format!(
                    "article '{number}' maps to no requirement; say in its note why nothing in {} supports it",
                    crosswalk.checklist
                ),
            );
        }
        let mut mapped = HashSet::new();
        for map in &article.maps {
            let at = (MAP, "requirement", map_index);
            let note_at = (MAP, "note", map_index);
            map_index += 1;
            let id = map.requirement.as_str();
            if let (Some(known), Some(target)) = (&known, target)
                && !known.contains(id)
            {
                // Suggesting costs a pass over the checklist: only for kept problems.
                if report.problems.len() < MAX_PROBLEMS {
                    report.error(at, unknown_requirement(id, number, target));
                } else {
                    report.dropped += 1;
                }
            } else if !mapped.insert(id) {
                report.error(
                    at,
                    format!("article '{number}' maps requirement '{id}' twice"),
                );
            }
            report.plain(at, &format!("article '{number}''s requirement"), id, false);
            if map.note.trim().is_empty() {
                report.error(
                    note_at,
                    format!(
                        "article '{number}', requirement '{id}': the note is empty; say in a line what the requirement gives toward the article and what it leaves out"
                    ),
                );
            }
            report.plain(
                note_at,
                &format!("article '{number}', requirement '{id}': the note"),
                &map.note,
                false,
            );
        }
    }
}

fn unknown_requirement(id: &str, number: &str, target: &Checklist) -> String {
    let near = suggest::nearest_ids(
        id,
        target
            .requirements()
            .map(|(_, r)| (r.id.clone(), r.id.clone(), r.title.clone())),
        3,
    );
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    };
    format!(
        "article '{number}': requirement '{id}' does not resolve: {} has no requirement '{id}'{hint}",
        target.id
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::checklist::registry;
    use crate::crosswalk::parse;

    fn shipped() -> Vec<&'static Checklist> {
        registry::all().unwrap().iter().collect()
    }

    fn check(text: &str) -> Vec<String> {
        let crosswalk = parse(text, Path::new("c.ron")).unwrap();
        validate(&crosswalk, Some(text), &shipped())
            .iter()
            .map(|p| p.display_at(Path::new("c.ron")))
            .collect()
    }

    const HEAD: &str = "Crosswalk(\n    id: \"x\",\n    title: \"X\",\n    regulation: \"R\",\n    checklist: \"iso42001-2023\",\n    articles: [\n";

    fn with(articles: &str) -> String {
        format!("{HEAD}{articles}    ],\n)\n")
    }

    #[test]
    fn a_clean_crosswalk_has_no_problems() {
        let text = with(
            "        Article(number: \"9\", title: \"Risk\", maps: [\n            Map(requirement: \"6.1.2\", strength: Supports, note: \"n\"),\n            Map(requirement: \"A.6.2.8\", strength: PartlySupports, note: \"n\"),\n        ]),\n",
        );
        assert_eq!(check(&text), Vec::<String>::new());
    }

    #[test]
    fn an_unknown_requirement_is_located_and_near_ids_suggested() {
        let text = with(
            "        Article(number: \"9\", title: \"Risk\", maps: [\n            Map(requirement: \"6.1.2\", strength: Supports, note: \"n\"),\n            Map(requirement: \"6.1.9\", strength: Supports, note: \"n\"),\n        ]),\n",
        );
        let problems = check(&text);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with(
                "c.ron:9:30: error: article '9': requirement '6.1.9' does not resolve: iso42001-2023 has no requirement '6.1.9'; did you mean"
            ),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_duplicate_article_is_pointed_at_its_second_number() {
        let text = with(
            "        Article(number: \"9\", title: \"A\", maps: [Map(requirement: \"6.1.2\", strength: Supports, note: \"n\")]),\n        Article(number: \"9\", title: \"B\", maps: [Map(requirement: \"6.1.3\", strength: Supports, note: \"n\")]),\n",
        );
        assert_eq!(
            check(&text),
            ["c.ron:8:25: error: duplicate article '9' (each article is listed once)"]
        );
    }

    #[test]
    fn a_requirement_mapped_twice_and_an_empty_note_are_errors() {
        let text = with(
            "        Article(number: \"9\", title: \"A\", maps: [\n            Map(requirement: \"6.1.2\", strength: Supports, note: \"n\"),\n            Map(requirement: \"6.1.2\", strength: Supports, note: \" \"),\n        ]),\n",
        );
        let problems = check(&text);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(
            problems[0]
                .starts_with("c.ron:9:30: error: article '9' maps requirement '6.1.2' twice")
        );
        assert!(
            problems[1].starts_with(
                "c.ron:9:65: error: article '9', requirement '6.1.2': the note is empty"
            )
        );
    }

    #[test]
    fn an_unknown_checklist_and_header_mistakes_are_errors() {
        let text = "Crosswalk(\n    id: \"Bad Id\",\n    title: \" \",\n    regulation: \"R\\u{1b}[2J\",\n    checklist: \"nope\",\n    articles: [],\n)";
        let problems = check(text);
        let expect = [
            "c.ron:2:9: error: crosswalk id 'Bad Id'",
            "c.ron:3:12: error: the crosswalk's title is empty",
            "c.ron:4:17: error: the crosswalk's regulation contains the control character U+001B",
            "c.ron:5:16: error: the crosswalk maps onto checklist 'nope', which is not known here (known: iso42001-2023, ",
            "c.ron:6:15: error: the crosswalk has no articles",
        ];
        assert_eq!(problems.len(), expect.len(), "{problems:#?}");
        for (got, want) in problems.iter().zip(expect) {
            assert!(got.starts_with(want), "{got} should start {want}");
        }
    }

    #[test]
    fn an_article_without_mappings_is_a_warning() {
        let text = with("        Article(number: \"4\", title: \"A\", maps: []),\n");
        let crosswalk = parse(&text, Path::new("c.ron")).unwrap();
        let problems = validate(&crosswalk, Some(&text), &shipped());
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].severity, Severity::Warning);
        assert_eq!(problems[0].at, Some((7, 25)));
    }

    #[test]
    fn unknown_fields_and_bad_strengths_are_refused_where_they_are() {
        let text =
            with("        Article(number: \"9\", title: \"A\", colour: \"red\", maps: []),\n");
        let err = parse(&text, Path::new("c.ron")).unwrap_err().to_string();
        assert!(err.starts_with("c.ron:7:42: "), "{err}");
        assert!(err.contains("colour"), "{err}");
        let text = with(
            "        Article(number: \"9\", title: \"A\", maps: [\n            Map(requirement: \"6.1.2\", strength: Fully, note: \"n\"),\n        ]),\n",
        );
        let err = parse(&text, Path::new("c.ron")).unwrap_err().to_string();
        assert!(err.starts_with("c.ron:8:"), "{err}");
        assert!(err.contains("Fully"), "{err}");
        assert!(err.contains("crosswalk validate"), "{err}");
    }

    #[test]
    fn a_file_full_of_mistakes_lists_the_first_hundred_quickly() {
        let mut articles = String::new();
        for i in 0..20_000 {
            articles.push_str(&format!(
                "Article(number: \"1\", title: \"\", maps: [Map(requirement: \"no{i}\", strength: Supports, note: \"\")]),\n"
            ));
        }
        let text = with(&articles);
        assert!(text.len() < super::super::MAX_FILE_SIZE as usize * 2);
        let started = std::time::Instant::now();
        let crosswalk = parse(&text, Path::new("c.ron")).unwrap();
        let problems = validate(&crosswalk, Some(&text), &shipped());
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert!(
            problems[MAX_PROBLEMS]
                .message
                .starts_with("79899 more problem(s) not listed"),
            "{}",
            problems[MAX_PROBLEMS].message
        );
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}

#[cfg(test)]
mod mangled {
    use std::path::Path;

    use crate::checklist::{Checklist, registry};
    use crate::crosswalk::{parse, validate};

    #[test]
    fn mangled_crosswalks_never_panic_the_parser_or_the_validator() {
        let text = crate::crosswalk::registry::source("eu-ai-act-2024-1689").unwrap();
        // The first two articles are enough to reach every kind of field.
        let end = text.find("number: \"10\"").unwrap();
        let bytes = format!("{}]) ] )", &text[..end]).into_bytes();
        let checklists: Vec<&Checklist> = registry::all().unwrap().iter().collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut random = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..1000 {
            let mut mangled = bytes.clone();
            for _ in 0..1 + random() % 4 {
                let at = (random() % mangled.len() as u64) as usize;
                match random() % 3 {
                    0 => mangled[at] = b"\"'()[]{}:/*#r\\\x1b\xff"[(random() % 16) as usize],
                    1 => mangled.truncate(at),
                    _ => {
                        mangled.remove(at);
                    }
                }
                if mangled.is_empty() {
                    break;
                }
            }
            let Ok(text) = std::str::from_utf8(&mangled) else {
                continue;
            };
            if let Ok(c) = parse(text, Path::new("t")) {
                let _ = validate(&c, Some(text), &checklists);
            }
        }
    }
}
