//! `fieldaudit checklist list|show|validate`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use fieldaudit::checklist::{self, Checklist, Kind, Severity, registry};
use serde_json::json;

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
        println!("{}", serde_json::to_string_pretty(&items)?);
    } else {
        let width = all.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in all {
            println!(
                "{:width$}  {:>3} requirements  {}",
                c.id,
                c.requirement_count(),
                c.title
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
                })
            })
            .collect();
        let out = json!({ "id": c.id, "title": c.title, "requirements": requirements });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}  {}", c.id, c.title);
    println!("{}", counts(&c));
    for s in &c.sections {
        println!();
        let kind = if s.kind == Kind::Control {
            "  (controls)"
        } else {
            ""
        };
        println!("{}  {}{kind}", s.id, s.title);
        if full && let Some(objective) = &s.objective {
            println!("    objective: {objective}");
        }
        for r in &s.requirements {
            println!("  {:<9} {}", r.id, r.title);
            if full {
                for q in &r.questions {
                    println!("            ask: {q}");
                }
                for e in &r.evidence {
                    println!("            see: {e}");
                }
                if !r.maps_to.is_empty() {
                    println!("            twins: {}", r.maps_to.join(", "));
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
    for p in &problems {
        eprintln!("{}", p.display_at(path));
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    if errors > 0 {
        eprintln!(
            "{}: invalid: {errors} error(s), {warnings} warning(s)",
            path.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "{}: ok: {} \"{}\", {}, {warnings} warning(s)",
        path.display(),
        c.id,
        c.title,
        counts(&c)
    );
    Ok(ExitCode::SUCCESS)
}
