//! The report's sections on the certification cycle: where this audit
//! stands in it (its dates and the chain of signed reports before it), the
//! follow-up of the findings carried from the previous report, and a
//! surveillance visit's sample; and a finding's follow-up (state and
//! history) wherever the report shows a followed finding.

use maud::{Markup, html};

use super::*;
use crate::audit::lifecycle::{self, Lifecycle, Outcome, StepKind};
use crate::audit::{CarriedFinding, Family, Timestamp, TrailEntry};

pub(super) fn cycle(ctx: &ReportContext) -> Markup {
    let record = ctx.record;
    let audit_type = record.meta.audit_type;
    let dates = record.cycle_dates();
    let date_or = |d: Option<chrono::NaiveDate>, none: &'static str| match d {
        Some(d) => html! { (d) },
        None => html! { span class="missing" { (none) } },
    };
    let previous = record
        .cycle
        .as_ref()
        .map(|c| c.previous.as_slice())
        .unwrap_or_default();
    let body = html! {
        table class="facts cycle" {
            tbody {
                "\n"
                tr { th scope="row" { "This audit" } td { (capitalised(audit_type.label())) } } "\n"
                tr {
                    th scope="row" { "Certification decision" }
                    td { (date_or(dates.map(|d| d.decision), "not yet decided")) }
                }
                "\n"
                @if let Some(d) = dates {
                    tr { th scope="row" { "Surveillance 1 due by" } td { (d.surveillance1_due) } } "\n"
                    tr { th scope="row" { "Surveillance 2 due by" } td { (d.surveillance2_due) } } "\n"
                    tr {
                        th scope="row" { "Certificate expires" }
                        td { (d.expires) " (the recertification audit and its decision come before)" }
                    }
                    "\n"
                    @if let Some(due) = d.due_for(audit_type) {
                        tr { th scope="row" { "This audit due by" } td { (due) } } "\n"
                    }
                }
            }
        }
        "\n"
        @match previous.last() {
            None => { p class="chain" { "This report follows no earlier signed report in fieldaudit." } "\n" }
            Some(last) => {
                p class="chain" {
                    "This report follows report " (last.report_no) " revision " (last.revision)
                    ", whose manifest SHA-256 is " code class="sha" { (last.manifest_sha256) } "."
                }
                "\n"
                h3 { "Reports of the cycle before this one" } "\n"
                table class="chain" {
                    thead {
                        tr {
                            th { "Report" } th class="num" { "Revision" } th { "Audit" }
                            th { "Signed off" } th { "Manifest SHA-256" }
                        }
                    }
                    tbody {
                        "\n"
                        @for p in previous {
                            tr {
                                td { (p.report_no) }
                                td class="num" { (p.revision) }
                                td { (p.audit_type.label()) }
                                td { "by " (p.signer) " at " (p.signed_at.to_rfc3339()) " (key " code { (p.key_id) } ")" }
                                td { code class="sha" { (p.manifest_sha256) } }
                            }
                            "\n"
                        }
                    }
                }
                "\n"
            }
        }
    };
    section(Section::Cycle, body)
}

pub(super) fn follow_up(ctx: &ReportContext) -> Markup {
    let carried = &ctx.record.previous_findings;
    let body = html! {
        @if carried.is_empty() {
            p { "No findings were carried from an earlier report." } "\n"
        } @else {
            p {
                "The findings of the previous report that this audit followed up: its nonconformities not yet verified effective and its areas of concern not resolved, with their history, and its observations."
            }
            "\n"
            @for c in carried {
                (carried_finding(ctx, c))
            }
        }
    };
    section(Section::FollowUp, body)
}

fn carried_finding(ctx: &ReportContext, c: &CarriedFinding) -> Markup {
    let f = &c.finding;
    let followed = matches!(f.id.family, Family::Nc | Family::Aoc);
    let life = followed.then(|| ctx.record.lifecycle(f.id));
    let verdict = followed.then(|| verdict_here(&ctx.record.trail, f.id));
    html! {
        article class={ "finding carried finding-" (f.grade.as_str()) } id=(f.id) {
            "\n"
            h3 { (f.id) " " (grade_badge(f.grade)) } "\n"
            dl {
                "\n"
                dt { "Raised in" } dd { "report " (c.raised_in) } "\n"
                dt { "Requirements" }
                dd {
                    ul class="plain" {
                        @for r in &f.requirements { (requirement_line(ctx.catalog, r)) }
                    }
                }
                "\n"
                dt { "Statement" } dd { (text_block(&f.statement)) } "\n"
                dt { "Objective evidence" } dd { (statement(&f.objective_evidence)) } "\n"
                @if let Some(life) = &life {
                    dt { "State now" } dd class="state" { (life.state.words()) } "\n"
                    dt { "This audit's verdict" }
                    dd class="verdict-here" {
                        @match verdict.flatten() {
                            Some(o) => { (o.words()) }
                            None => { span class="missing" { "none given" } }
                        }
                    }
                    "\n"
                } @else {
                    dt { "Follow-up" } dd { "carried from the previous report" } "\n"
                }
            }
            "\n"
            @if let Some(life) = &life {
                (history(ctx, f.id, life))
            }
        }
        "\n"
    }
}

/// This audit's verification verdict on a finding (the latest), if any.
fn verdict_here(trail: &[TrailEntry], id: FindingId) -> Option<Outcome> {
    trail
        .iter()
        .filter_map(|e| e.step.as_ref())
        .filter(|s| s.finding == id)
        .filter_map(|s| match &s.kind {
            StepKind::Verified { outcome, .. } => Some(*outcome),
            _ => None,
        })
        .next_back()
}

/// For a followed finding raised in this audit: its state, and its history
/// once a step is recorded.
pub(super) fn follow_up_of(ctx: &ReportContext, id: FindingId) -> Markup {
    if !matches!(id.family, Family::Nc | Family::Aoc) {
        return html! {};
    }
    let life = ctx.record.lifecycle(id);
    if life.steps.is_empty() {
        return html! {};
    }
    html! {
        p class="state" { "State now: " (life.state.words()) } "\n"
        (history(ctx, id, &life))
    }
}

/// A finding's follow-up steps as a table: when, who, in which audit,
/// what, and the fields of each step.
fn history(ctx: &ReportContext, id: FindingId, life: &Lifecycle) -> Markup {
    // The steps of earlier audits come first: as many as the carried
    // history alone replays to.
    let earlier = ctx
        .record
        .previous_findings
        .iter()
        .find(|c| c.finding.id == id)
        .map_or(0, |c| lifecycle::replay(id, &c.history).steps.len());
    html! {
        @if life.steps.is_empty() {
            p class="history-none" { "No follow-up recorded yet." } "\n"
        } @else {
            table class="history" {
                thead {
                    tr { th { "Date" } th { "Who" } th { "Recorded in" } th { "Step" } th { "Details" } }
                }
                tbody {
                    "\n"
                    @for (i, (at, by, kind)) in life.steps.iter().enumerate() {
                        @let report = (i < earlier).then(|| earlier_report(ctx.record, at));
                        tr {
                            td class="ref" { (at.format("%Y-%m-%d %H:%M")) }
                            td { (by) }
                            td {
                                @match report {
                                    None => { "this audit" }
                                    Some(Some(no)) => { "report " (no) }
                                    Some(None) => { "an earlier audit" }
                                }
                            }
                            td { (step_name(kind)) }
                            td { (step_details(kind, report.is_some())) }
                        }
                        "\n"
                    }
                }
            }
            "\n"
        }
    }
}

/// The earlier report a step taken at `at` went into: the first of the
/// chain signed at or after it.
fn earlier_report<'a>(record: &'a AuditRecord, at: &Timestamp) -> Option<&'a str> {
    record
        .cycle
        .as_ref()?
        .previous
        .iter()
        .find(|p| p.signed_at >= *at)
        .map(|p| p.report_no.as_str())
}

fn step_name(kind: &StepKind) -> String {
    match kind {
        StepKind::Response(_) => "response received".into(),
        StepKind::PlanAccepted { .. } => "plan accepted".into(),
        StepKind::PlanReturned { .. } => "plan returned".into(),
        StepKind::Implemented { .. } => "implemented".into(),
        StepKind::Verified { outcome, .. } => format!("verification: {}", outcome.words()),
        StepKind::RaisedAgain { as_finding } => format!("raised again as {as_finding}"),
    }
}

/// A step's fields; `earlier`: it was recorded in an earlier audit, whose
/// report holds the files it cites.
fn step_details(kind: &StepKind, earlier: bool) -> Markup {
    match kind {
        StepKind::Response(r) => html! {
            dl class="step" {
                dt { "Correction" } dd { (text_block(&r.correction)) }
                dt { "Root cause" } dd { (text_block(&r.root_cause)) }
                dt { "Corrective action" } dd { (text_block(&r.corrective_action)) }
                dt { "Owner" } dd { (opt(&r.owner)) }
                dt { "Planned date" } dd { (r.planned_date) }
            }
        },
        StepKind::PlanAccepted { comment } | StepKind::PlanReturned { comment } => {
            text_block(comment)
        }
        StepKind::Implemented { comment, evidence } => html! {
            (text_block(comment))
            (step_files(evidence, earlier))
        },
        StepKind::Verified {
            objective_evidence,
            evidence,
            ..
        } => html! {
            "Objective evidence: " (text_block(objective_evidence))
            (step_files(evidence, earlier))
        },
        StepKind::RaisedAgain { as_finding } => html! {
            "Followed from now on by " a href={ "#" (as_finding) } { (as_finding) }
        },
    }
}

/// The files a step cites, each with its name in the report zip (this
/// one's, or the earlier report's) and its SHA-256 in full.
fn step_files(links: &[EvidenceLink], earlier: bool) -> Markup {
    html! {
        @for l in links {
            div class="file" {
                "File " span class="path" { (zip_name(l)) } " "
                code class="sha" { "SHA-256 " (l.sha256) }
                @if earlier { " (in that report's zip)" }
                (annexes::collected_source(l))
            }
        }
    }
}

/// Where a cited file is in the report zip: `evidence/…` for a bundle
/// file, `collected/…` for one the auditor collected.
fn zip_name(link: &EvidenceLink) -> String {
    if link.collected.is_some() {
        link.path.clone()
    } else {
        crate::report::pack::evidence_name(&link.path)
    }
}

pub(super) fn sample(ctx: &ReportContext) -> Markup {
    let record = ctx.record;
    let body = if !record.samples() {
        html! {
            p {
                "A " (record.meta.audit_type.label())
                " audit covers every requirement of the audit criteria; it does not sample."
            }
            "\n"
        }
    } else {
        let mut always = Vec::new();
        let mut sampled = Vec::new();
        let mut outside = 0usize;
        for (r, _, req) in ctx.catalog.requirements() {
            if req.always_in_surveillance() {
                always.push((r, req.title.clone()));
            } else if record.sample.contains(&r) {
                sampled.push((r, req.title.clone()));
            } else {
                outside += 1;
            }
        }
        html! {
            p class="sample-rule" {
                "A surveillance audit samples. The requirements below were audited at this visit; the other "
                (outside)
                " requirement(s) of the audit criteria were not audited this visit, which is not \"not applicable\": they are audited at another visit of the cycle."
            }
            "\n"
            table class="sample" {
                thead { tr { th { "Requirement" } th { "Title" } th { "Why in this visit" } } }
                tbody {
                    "\n"
                    @for (r, title) in &always {
                        tr { td class="ref" { (r) } td { (title) } td { "in every visit" } } "\n"
                    }
                    @for (r, title) in &sampled {
                        tr { td class="ref" { (r) } td { (title) } td { "sampled" } } "\n"
                    }
                }
            }
            "\n"
        }
    };
    section(Section::Sample, body)
}

/// A requirement's verdict, or that it was not audited at this visit.
pub(super) fn visit_verdict(ctx: &ReportContext, r: &ReqRef, verdict: Verdict) -> Markup {
    if verdict == Verdict::NotAssessed && !ctx.record.in_visit(ctx.catalog, r) {
        html! { span class="verdict verdict-not-in-visit" { "not audited this visit" } }
    } else {
        verdict_badge(verdict)
    }
}
