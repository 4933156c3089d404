//! `fieldaudit crosswalk list|validate|show`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use fieldaudit::audit::store;
use fieldaudit::checklist::{self, Checklist};
use fieldaudit::crosswalk::{self, ArticleStatus, Crosswalk, Rollup, registry};
use fieldaudit::text::{Shown, to_json_pretty};
use serde_json::json;

use super::args::CrosswalkCommand;
use super::out::outln;

pub fn run(command: CrosswalkCommand) -> Result<ExitCode> {
    match command {
        CrosswalkCommand::List { json } => list(json),
        CrosswalkCommand::Validate { path, checklist } => validate(&path, checklist.as_deref()),
        CrosswalkCommand::Show {
            record,
            crosswalk,
            json,
            full,
        } => show(&record, &crosswalk, json, full),
    }
}

/// "14 articles, 81 mappings onto iso42001-2023".
fn counts(c: &Crosswalk) -> String {
    format!(
        "{} articles, {} mappings onto {}",
        c.articles.len(),
        c.mapping_count(),
        Shown(&c.checklist)
    )
}

fn list(json: bool) -> Result<ExitCode> {
    let all = registry::all()?;
    if json {
        let items: Vec<_> = all
            .iter()
            .map(|c| {
                json!({
                    "id": c.id,
                    "title": c.title,
                    "regulation": c.regulation,
                    "checklist": c.checklist,
                    "articles": c.articles.len(),
                    "mappings": c.mapping_count(),
                })
            })
            .collect();
        outln!("{}", to_json_pretty(&items)?);
        return Ok(ExitCode::SUCCESS);
    }
    let width = all.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for c in all {
        outln!(
            "{:width$}  {}  {}",
            Shown(&c.id),
            counts(c),
            Shown(&c.title)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(path: &Path, checklist: Option<&str>) -> Result<ExitCode> {
    let text = crosswalk::read_text(path)?;
    let c = crosswalk::parse(&text, path)?;
    let mut checklists: Vec<&Checklist> = checklist::registry::all()?.iter().collect();
    let given = checklist.map(checklist::load).transpose()?;
    if let Some(given) = &given {
        checklists.retain(|c| c.id != given.id);
        checklists.push(given);
    }
    let problems = crosswalk::validate(&c, Some(&text), &checklists);
    super::checklist::validated(path, &problems, &c.id, &c.title, &counts(&c))
}

fn show(record_path: &Path, id_or_path: &str, json: bool, full: bool) -> Result<ExitCode> {
    let record = store::load(record_path)?;
    let catalog = record
        .catalog()
        .map_err(|e| anyhow!("{}: {e}", Shown(record_path.display())))?;
    let c = crosswalk::load_for_audit(id_or_path, &record, &catalog)?;
    let statuses = crosswalk::readiness(&c, &record, &catalog);
    if json {
        let mut articles = Vec::with_capacity(statuses.len());
        for status in &statuses {
            let mut value = serde_json::to_value(status)?;
            value["summary"] = status.summary().into();
            articles.push(value);
        }
        let out = json!({
            "crosswalk": {
                "id": c.id,
                "title": c.title,
                "regulation": c.regulation,
                "checklist": c.checklist,
                "note": c.note,
            },
            "client": record.meta.client,
            "articles": articles,
        });
        outln!("{}", to_json_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{}  {}", Shown(&c.id), Shown(&c.title));
    outln!(
        "audit: {} — {} audit against {}",
        Shown(&record.meta.client),
        record.meta.audit_type.label(),
        Shown(&c.checklist)
    );
    if let Some(note) = &c.note {
        outln!("note: {}", Shown(note));
    }
    for status in &statuses {
        outln!();
        article(status, full)?;
    }
    outln!();
    outln!("{}", tally(&statuses));
    Ok(ExitCode::SUCCESS)
}

/// "14 articles: 1 nonconformity, 12 not assessed, 1 partly assessed",
/// worst first.
fn tally(statuses: &[ArticleStatus]) -> String {
    let mut rollups: Vec<Rollup> = statuses.iter().map(|s| s.rollup).collect();
    rollups.sort();
    let mut parts: Vec<String> = Vec::new();
    for chunk in rollups.chunk_by(|a, b| a == b) {
        if let Some(first) = chunk.first() {
            parts.push(format!("{} {}", chunk.len(), first.label()));
        }
    }
    format!("{} articles: {}", statuses.len(), parts.join(", "))
}

fn article(status: &ArticleStatus, full: bool) -> Result<()> {
    outln!(
        "Article {}  {}  [{}]",
        Shown(&status.number),
        Shown(&status.title),
        status.rollup.label()
    );
    outln!("  {}", status.summary());
    if full && let Some(note) = &status.note {
        outln!("  note: {}", Shown(note));
    }
    for m in &status.mapped {
        let findings: Vec<String> = m
            .findings
            .iter()
            .map(|f| format!("{} ({})", f.id, f.grade))
            .collect();
        let line = format!(
            "  {:<9} {:<16} {:<15} {}  {}",
            Shown(&m.requirement.id),
            m.strength.label(),
            m.verdict.as_str(),
            Shown(m.title.as_deref().unwrap_or("?")),
            findings.join(", ")
        );
        outln!("{}", line.trim_end());
        if full {
            outln!("            note: {}", Shown(&m.note));
        }
    }
    Ok(())
}
