//! `fieldaudit checklist list|show|validate`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use fieldaudit::checklist::{self, Checklist, Kind, Severity, registry};
use fieldaudit::text::{Shown, to_json_pretty};
use serde_json::json;

use super::out::{errln, outln};

pub fn list(json: bool) -> Result<ExitCode> {
    let all = registry::all()?;
    if json {
        let items: Vec<_> = all
            .iter()
            .map(|c| {
                json!({
                    "id": c.id,
                    "title": c.title,
                    "requirements": c.requirement_count(),
                    "clauses": c.count_kind(Kind::Clause),
                    "controls": c.count_kind(Kind::Control),
                })
            })
            .collect();
        outln!("{}", to_json_pretty(&items)?);
    } else {
        let width = all.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in all {
            outln!(
                "{:width$}  {:>3} requirements  {}",
                Shown(&c.id),
                c.requirement_count(),
                Shown(&c.title)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn counts(c: &Checklist) -> String {
    format!(
        "{} requirements ({} clauses, {} controls)",
        c.requirement_count(),
        c.count_kind(Kind::Clause),
        c.count_kind(Kind::Control)
    )
}

pub fn show(id_or_path: &str, json: bool, full: bool) -> Result<ExitCode> {
    let c = checklist::load(id_or_path)?;
    if json {
        let requirements: Vec<_> = c
            .requirements()
            .map(|(s, r)| {
                json!({
                    "id": r.id,
                    "title": r.title,
                    "kind": s.kind.as_str(),
                    "section": s.id,
                    "questions": r.questions,
                    "evidence": r.evidence,
                    "maps_to": r.maps_to,
                    "surveillance": r.surveillance.map(|rule| rule.as_str()),
                })
            })
            .collect();
        let out = json!({ "id": c.id, "title": c.title, "requirements": requirements });
        outln!("{}", to_json_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{}  {}", Shown(&c.id), Shown(&c.title));
    outln!("{}", counts(&c));
    for s in &c.sections {
        outln!();
        let kind = if s.kind == Kind::Control {
            "  (controls)"
        } else {
            ""
        };
        outln!("{}  {}{kind}", Shown(&s.id), Shown(&s.title));
        if full && let Some(objective) = &s.objective {
            outln!("    objective: {}", Shown(objective));
        }
        for r in &s.requirements {
            outln!("  {:<9} {}", Shown(&r.id), Shown(&r.title));
            if full {
                for q in &r.questions {
                    outln!("            ask: {}", Shown(q));
                }
                for e in &r.evidence {
                    outln!("            see: {}", Shown(e));
                }
                if !r.maps_to.is_empty() {
                    outln!("            twins: {}", Shown(r.maps_to.join(", ")));
                }
                if r.always_in_surveillance() {
                    outln!("            in every surveillance visit");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn validate(path: &Path) -> Result<ExitCode> {
    let text = checklist::read_text(path)?;
    let c = checklist::parse(&text, path)?;
    let shipped = registry::all()?;
    let others: Vec<&Checklist> = shipped.iter().filter(|o| o.id != c.id).collect();
    let problems = checklist::validate(&c, Some(&text), &others);
    validated(path, &problems, &c.id, &c.title, &counts(&c))
}

/// Say what validating the file at `path` found: each problem on stderr,
/// then whether it is invalid (exit 1) or ok, with what it holds (`what`).
pub(super) fn validated(
    path: &Path,
    problems: &[checklist::Problem],
    id: &str,
    title: &str,
    what: &str,
) -> Result<ExitCode> {
    for p in problems {
        errln!("{}", p.display_at(path));
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    if errors > 0 {
        errln!(
            "{}: invalid: {errors} error(s), {warnings} warning(s)",
            Shown(path.display())
        );
        return Ok(ExitCode::FAILURE);
    }
    outln!(
        "{}: ok: {} \"{}\", {what}, {warnings} warning(s)",
        Shown(path.display()),
        Shown(id),
        Shown(title),
    );
    Ok(ExitCode::SUCCESS)
}
