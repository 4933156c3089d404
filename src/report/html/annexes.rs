//! The report's annexes: the Statement of Applicability, the evidence
//! index and the EU AI Act readiness.

use maud::{Markup, html};

use super::*;

fn soa_table(ctx: &ReportContext, checklist: &Checklist) -> Markup {
    let controls = checklist
        .sections
        .iter()
        .filter(|s| s.kind == Kind::Control);
    html! {
        table class="soa" {
            thead {
                tr {
                    th { "Control" } th { "Title" } th { "Applicable" }
                    th { "Justification for inclusion or exclusion" }
                    th { "Implementation (as declared)" }
                    th { "Audit verdict" }
                }
            }
            tbody {
                "\n"
                @for group in controls {
                    tr class="group" {
                        th colspan="6" {
                            (group.id) " " (group.title)
                            @if let Some(o) = &group.objective { div class="objective" { (o) } }
                        }
                    }
                    "\n"
                    @for req in &group.requirements {
                        (soa_row(ctx, &ReqRef::new(&checklist.id, &req.id), req))
                    }
                }
            }
        }
        "\n"
    }
}

/// One control's row in the Statement of Applicability.
fn soa_row(ctx: &ReportContext, r: &ReqRef, req: &crate::checklist::Requirement) -> Markup {
    let assessment = ctx.record.assessment(r);
    let verdict = assessment.map(|a| a.verdict).unwrap_or_default();
    let excluded = verdict == Verdict::NotApplicable;
    let justification = match assessment.and_then(|a| a.justification.as_deref()) {
        Some(j) => text_block(j),
        None if excluded => missing(),
        None => html! { "not given" },
    };
    let declared = assessment
        .and_then(|a| a.implementation)
        .map_or("not declared", |i| i.as_str())
        .replace('-', " ");
    html! {
        tr {
            td class="ref" { (req.id) }
            td { (req.title) }
            td { @if excluded { span class="excluded" { "No" } } @else { "Yes" } }
            td { (justification) }
            td { (declared) }
            td { (visit_verdict(ctx, r, verdict)) }
        }
        "\n"
    }
}

pub(super) fn soa(ctx: &ReportContext) -> Markup {
    let body = html! {
        @for checklist in ctx.catalog.checklists() {
            h3 { (checklist.title) } "\n"
            @if checklist.count_kind(Kind::Control) == 0 {
                p { "This checklist has no Annex A controls." } "\n"
            } @else {
                (soa_table(ctx, checklist))
            }
        }
    };
    section(Section::Soa, body)
}

pub(super) fn evidence(ctx: &ReportContext) -> Markup {
    // One row per file version (path and hash), with everything citing it.
    let mut files: BTreeMap<(&str, &str), (u64, BTreeSet<String>, &EvidenceLink)> = BTreeMap::new();
    for (target, link) in ctx.record.evidence_links() {
        files
            .entry((link.path.as_str(), link.sha256.as_str()))
            .or_insert_with(|| (link.size, BTreeSet::new(), link))
            .1
            .insert(target.to_string());
    }
    let body = html! {
        @if files.is_empty() {
            p { "No evidence files are cited." } "\n"
        } @else {
            table class="evidence" {
                thead {
                    tr {
                        th { "File" } th class="num" { "Size (bytes)" }
                        th { "SHA-256" } th { "Cited by" }
                    }
                }
                tbody {
                    "\n"
                    @for ((path, sha256), (size, cited, link)) in &files {
                        tr {
                            td class="path" { (path) (collected_source(link)) }
                            td class="num" { (size) }
                            td { code class="hash" { (sha256) } }
                            td { (cited.iter().map(String::as_str).collect::<Vec<_>>().join(", ")) }
                        }
                        "\n"
                    }
                }
            }
            "\n"
        }
    };
    section(Section::Evidence, body)
}

/// For a file the auditor collected, where it came from:
/// "collected by NAME at TIME: caption"; nothing for a bundle file.
pub(super) fn collected_source(link: &EvidenceLink) -> Markup {
    html! {
        @if let Some(c) = &link.collected {
            br;
            span class="source" {
                "collected by " (c.by) " at " (c.at.to_rfc3339())
                " (as “" (crate::text::shown(&c.original_name)) "”)"
                @if let Some(caption) = &c.caption { ": " (caption) }
            }
        }
    }
}

/// The EU AI Act crosswalk shipped with fieldaudit, shown when ISO/IEC
/// 42001 is among the audit criteria.
const AI_ACT: &str = "eu-ai-act-2024-1689";

/// Per article of the EU AI Act, what the audit found on the ISO/IEC 42001
/// requirements that bear on it; never a statement of conformity with the Act.
pub(super) fn ai_act(ctx: &ReportContext) -> Markup {
    let crosswalk = match crate::crosswalk::registry::get(AI_ACT) {
        Ok(Some(c)) if crate::crosswalk::check_criteria(c, ctx.record).is_ok() => c,
        _ => {
            let body = html! {
                p { "Not applicable: ISO/IEC 42001 is not among the audit criteria." } "\n"
            };
            return section(Section::AiAct, body);
        }
    };
    let body = html! {
        @if let Some(note) = &crosswalk.note {
            p class="caveat" { (text_block(note)) } "\n"
        }
        table class="ai-act" {
            thead {
                tr {
                    th { "Article" } th { "What the audit found" }
                    th { "Requirements (how far each goes toward the article)" }
                }
            }
            tbody {
                "\n"
                @for article in crate::crosswalk::readiness(crosswalk, ctx.record, ctx.catalog) {
                    tr {
                        td { "Art. " (article.number) " " (article.title) }
                        td { (capitalised(article.rollup.label())) ": " (article.summary()) }
                        td {
                            ul class="plain" {
                                @for m in &article.mapped {
                                    li {
                                        (m.requirement.id) " " (m.strength.label()) " — "
                                        (verdict_label(m.verdict))
                                        @if !m.findings.is_empty() {
                                            " ("
                                            (m.findings.iter().map(|f| f.id.to_string()).collect::<Vec<_>>().join(", "))
                                            ")"
                                        }
                                    }
                                }
                            }
                        }
                    }
                    "\n"
                }
            }
        }
        "\n"
    };
    section(Section::AiAct, body)
}
