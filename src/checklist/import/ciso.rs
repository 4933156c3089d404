//! CISO Assistant framework libraries (YAML): the non-assessable
//! requirement nodes become sections, the assessable ones requirements.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_yaml_ng::Value;

use super::ids::Ids;
use super::{ImportError, Imported};
use crate::checklist::validate::valid_checklist_id;
use crate::checklist::{Checklist, Kind, Requirement, Section};
use crate::text::{clipped, shown};

#[derive(Deserialize)]
struct Library {
    urn: Option<String>,
    ref_id: Option<Value>,
    name: Option<String>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Objects {
    framework: Framework,
}

#[derive(Deserialize)]
struct Framework {
    ref_id: Option<Value>,
    name: Option<String>,
    requirement_nodes: Vec<Node>,
}

#[derive(Deserialize)]
struct Node {
    urn: String,
    ref_id: Option<Value>,
    name: Option<String>,
    description: Option<String>,
    parent_urn: Option<String>,
    assessable: bool,
    annotation: Option<String>,
    /// Lines of text, or a list of them.
    typical_evidence: Option<Value>,
}

/// A scalar written as a string, number or boolean, as text.
fn scalar(value: &Option<Value>) -> Option<String> {
    match value.as_ref()? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Why a node's ref_id was not used, naming it.
fn reason(why: &str, ref_id: Option<&str>) -> String {
    match ref_id.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("its ref_id '{}' {why}", shown(r)),
        None => why.to_string(),
    }
}

/// Typical evidence written as text or as a list of texts, one a line.
fn evidence_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// The first non-blank of `texts`, trimmed; long descriptions are cut.
fn first_text(texts: &[Option<&str>]) -> Option<String> {
    texts
        .iter()
        .flatten()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .map(|t| clipped(t.lines().next().unwrap_or(t), 160))
}

fn last_part(urn: &str) -> &str {
    urn.rsplit(':').next().unwrap_or(urn)
}

/// How deep `[` and `{` may nest. The YAML parser's time grows with the
/// square of this depth, so a file of brackets could hold it for hours; a
/// framework library needs a handful.
const MAX_FLOW_DEPTH: usize = 64;

/// Where the brackets of `text` first nest deeper than [`MAX_FLOW_DEPTH`].
/// Quotes are not followed: brackets inside text count too, which refuses
/// only text with dozens of unclosed brackets.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Convert the CISO Assistant library `text`, read from `path`.
pub fn from_ciso_yaml(text: &str, path: &Path) -> Result<Imported, ImportError> {
    if let Some((line, column)) = too_deep(text) {
        return Err(ImportError::At {
            path: path.to_path_buf(),
            line,
            column,
            message: format!(
                "brackets nest deeper than {MAX_FLOW_DEPTH} levels; a framework library needs far fewer"
            ),
        });
    }
    let library: Library = serde_yaml_ng::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        ImportError::At {
            path: path.to_path_buf(),
            line,
            column,
            message: format!(
                "{e}\n  a CISO Assistant library needs objects.framework.requirement_nodes, each with urn and assessable"
            ),
        }
    })?;
    let framework = &library.objects.framework;
    let nodes = &framework.requirement_nodes;
    if !nodes.iter().any(|n| n.assessable) {
        return Err(ImportError::Whole {
            path: path.to_path_buf(),
            message: "the library has no assessable requirement node to audit".into(),
        });
    }
    let mut warnings = Vec::new();
    let named = |i: usize, n: &Node| format!("node {} (urn '{}')", i + 1, shown(&n.urn));

    for (i, n) in nodes.iter().enumerate() {
        if let Some(Value::Number(number)) = &n.ref_id
            && number.is_f64()
        {
            warnings.push(format!(
                "{}: its ref_id {number} is written as a number; quote it in the library if it read otherwise (4.10 reads as 4.1)",
                named(i, n)
            ));
        }
    }
    let mut by_urn: HashMap<&str, usize> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        if by_urn.insert(n.urn.as_str(), i).is_some() {
            warnings.push(format!(
                "{}: the urn is used twice; parents naming it mean the later node",
                named(i, n)
            ));
        }
    }

    // The nearest non-assessable ancestor of each assessable node. Each
    // walk up stops at a node already answered, so the whole takes time in
    // proportion to the nodes, whatever the chains; a cycle ends its walk.
    let mut answered: Vec<Option<Option<usize>>> = vec![None; nodes.len()];
    let mut on_path = vec![false; nodes.len()];
    let mut home = |i: usize, warnings: &mut Vec<String>| -> Option<usize> {
        let mut path = Vec::new();
        let mut at = i;
        let found = loop {
            if let Some(known) = answered[at] {
                break known;
            }
            if on_path[at] {
                warnings.push(format!(
                    "{}: its parents form a cycle; placed at the top",
                    named(i, &nodes[i])
                ));
                break None;
            }
            on_path[at] = true;
            path.push(at);
            let node = &nodes[at];
            let Some(parent) = node.parent_urn.as_deref().filter(|p| !p.trim().is_empty()) else {
                break None;
            };
            let Some(&p) = by_urn.get(parent) else {
                warnings.push(format!(
                    "{}: its parent '{}' is not in the library; placed at the top",
                    named(at, node),
                    shown(parent)
                ));
                break None;
            };
            if !nodes[p].assessable {
                break Some(p);
            }
            at = p;
        };
        for n in path {
            on_path[n] = false;
            answered[n] = Some(found);
        }
        found
    };

    let mut section_ids = Ids::default();
    let mut requirement_ids = Ids::default();
    // Index of each section node in `sections`; `None` keys the top section.
    let mut slot: HashMap<Option<usize>, usize> = HashMap::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut order: Vec<(usize, Option<usize>)> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        if node.assessable {
            let h = home(i, &mut warnings);
            order.push((i, h));
        }
    }
    // Sections in the order their nodes appear, the top one first.
    let mut homes: Vec<Option<usize>> = order.iter().map(|(_, h)| *h).collect();
    homes.sort_by_key(|h| h.map_or(0, |i| i + 1));
    homes.dedup();
    for h in homes {
        let section = match h {
            None => Section {
                id: section_ids.take(Some("requirements"), None, "S").0,
                title: "Requirements".into(),
                kind: Kind::Clause,
                objective: None,
                requirements: Vec::new(),
            },
            Some(s) => {
                let node = &nodes[s];
                let ref_id = scalar(&node.ref_id);
                let (id, why) =
                    section_ids.take(ref_id.as_deref(), Some(last_part(&node.urn)), "S");
                if let Some(why) = why {
                    warnings.push(format!(
                        "{}: {}; its section is '{}'",
                        named(s, node),
                        reason(why, ref_id.as_deref()),
                        shown(&id)
                    ));
                }
                let title = first_text(&[
                    node.name.as_deref(),
                    ref_id.as_deref(),
                    node.description.as_deref(),
                ])
                .unwrap_or_else(|| id.clone());
                let objective = node
                    .description
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty() && node.name.is_some())
                    .map(str::to_string);
                Section {
                    id,
                    title,
                    kind: Kind::Clause,
                    objective,
                    requirements: Vec::new(),
                }
            }
        };
        slot.insert(h, sections.len());
        sections.push(section);
    }
    for (i, h) in order {
        let node = &nodes[i];
        let ref_id = scalar(&node.ref_id);
        let (id, why) = requirement_ids.take(ref_id.as_deref(), Some(last_part(&node.urn)), "R");
        if let Some(why) = why {
            warnings.push(format!(
                "{}: {}; its requirement is '{}'",
                named(i, node),
                reason(why, ref_id.as_deref()),
                shown(&id)
            ));
        }
        let title = first_text(&[
            node.name.as_deref(),
            ref_id.as_deref(),
            node.description.as_deref(),
        ])
        .unwrap_or_else(|| id.clone());
        let questions: Vec<String> = [node.description.as_deref(), node.annotation.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let evidence: Vec<String> = evidence_text(node.typical_evidence.as_ref())
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '*', '•']).trim())
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        let requirement = Requirement {
            id,
            title,
            questions,
            evidence,
            applies_to: Vec::new(),
            surveillance: None,
            maps_to: Vec::new(),
        };
        if let Some(&s) = slot.get(&h) {
            sections[s].requirements.push(requirement);
        }
    }

    let ref_id = scalar(&library.ref_id).or_else(|| scalar(&framework.ref_id));
    let id = checklist_id(ref_id.as_deref(), library.urn.as_deref());
    let title = first_text(&[
        library.name.as_deref(),
        framework.name.as_deref(),
        ref_id.as_deref(),
    ])
    .unwrap_or_else(|| id.clone());
    Ok(Imported {
        checklist: Checklist {
            id,
            title,
            sections,
        },
        warnings,
    })
}

/// A checklist id from the library's ref_id (or its urn): lowercase, every
/// other character a `-`.
fn checklist_id(ref_id: Option<&str>, urn: Option<&str>) -> String {
    let raw = ref_id.or(urn.map(last_part)).unwrap_or_default();
    let mut id: String = raw
        .trim()
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    id = id.trim_matches('-').to_string();
    if valid_checklist_id(&id) {
        id
    } else {
        "imported".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &str) -> Result<Imported, ImportError> {
        from_ciso_yaml(text, Path::new("lib.yaml"))
    }

    const SMALL: &str = "urn: urn:x:risk:library:demo
ref_id: Demo-Lib 1.0
name: Demo library
objects:
  framework:
    urn: urn:x:risk:framework:demo
    requirement_nodes:
      - urn: urn:x:req:demo:4
        ref_id: '4'
        name: Context
        depth: 1
        assessable: false
      - urn: urn:x:req:demo:4.1
        ref_id: 4.1
        name: Understanding
        description: How is the context known?
        annotation: Ask for the register.
        typical_evidence: \"- Context register\\n- Minutes\"
        parent_urn: urn:x:req:demo:4
        depth: 2
        assessable: true
      - urn: urn:x:req:demo:loose
        description: A node without a parent or name
        depth: 1
        assessable: true
";

    #[test]
    fn sections_requirements_questions_and_evidence_are_mapped() {
        let got = import(SMALL).unwrap();
        let c = &got.checklist;
        assert_eq!(c.id, "demo-lib-1-0");
        assert_eq!(c.title, "Demo library");
        assert_eq!(c.sections[0].id, "requirements");
        assert_eq!(c.sections[0].requirements[0].id, "loose");
        assert_eq!(
            c.sections[0].requirements[0].title,
            "A node without a parent or name"
        );
        assert_eq!(c.sections[1].id, "4");
        let r = &c.sections[1].requirements[0];
        assert_eq!(r.id, "4.1");
        assert_eq!(
            r.questions,
            ["How is the context known?", "Ask for the register."]
        );
        assert_eq!(r.evidence, ["Context register", "Minutes"]);
        assert_eq!(got.warnings.len(), 2, "{:?}", got.warnings);
        assert!(
            got.warnings[0].contains("ref_id 4.1 is written as a number"),
            "{:?}",
            got.warnings
        );
        assert!(
            got.warnings[1].contains("urn:x:req:demo:loose"),
            "{:?}",
            got.warnings
        );
    }

    #[test]
    fn typical_evidence_may_be_a_list() {
        let text = SMALL.replace(
            "typical_evidence: \"- Context register\\n- Minutes\"",
            "typical_evidence: [Context register, Minutes]",
        );
        assert_ne!(text, SMALL);
        let got = import(&text).unwrap();
        let r = &got.checklist.sections[1].requirements[0];
        assert_eq!(r.evidence, ["Context register", "Minutes"]);
    }

    #[test]
    fn deep_brackets_are_refused_where_they_get_too_deep() {
        let text = format!("x: {}\n", "[".repeat(100));
        let err = import(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("lib.yaml:1:68: brackets nest deeper"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_field_names_line_and_column() {
        let bad = SMALL.replace("        assessable: false\n", "");
        let err = import(&bad).unwrap_err().to_string();
        assert!(err.starts_with("lib.yaml:"), "{err}");
        assert!(err.contains("assessable"), "{err}");
    }

    #[test]
    fn a_cycle_and_a_missing_parent_are_placed_at_the_top() {
        let text = [
            "objects:",
            "  framework:",
            "    requirement_nodes:",
            "      - {urn: a, ref_id: A, assessable: true, parent_urn: b}",
            "      - {urn: b, ref_id: B, assessable: true, parent_urn: a}",
            "      - {urn: c, ref_id: C, assessable: true, parent_urn: nowhere}",
        ]
        .join("\n");
        let text = text.as_str();
        let got = import(text).unwrap();
        assert_eq!(got.checklist.sections.len(), 1);
        assert_eq!(got.checklist.sections[0].requirements.len(), 3);
        let all = got.warnings.join("\n");
        assert!(all.contains("cycle"), "{all}");
        assert!(all.contains("'nowhere' is not in the library"), "{all}");
        assert_eq!(got.checklist.id, "imported");
    }
}
