//! `report.html`: the audit report as one self-contained HTML5 document.
//!
//! It follows the shape of an ISO 19011 / ISO/IEC 17021-1 style report:
//! cover, executive summary with the audit team's recommendation, the
//! certification cycle (and the chain of reports before this one), the
//! follow-up of the previous report's findings, nonconformities (and stage
//! 1 areas of concern), other findings, a surveillance visit's sample,
//! results per requirement, Statement of Applicability, evidence index and
//! sign-off. Styles are inline; nothing is
//! fetched (no fonts, scripts, images or links), and it prints to A4.
//!
//! The page is a maud template, checked when fieldaudit is compiled: every
//! piece of user-provided text is spliced in as text, which maud escapes, so
//! it cannot become markup. `PreEscaped` is used only for the built-in
//! stylesheets and the page footer inside `<style>` (see `document`).

use chrono::{DateTime, FixedOffset};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::collections::{BTreeMap, BTreeSet};

use crate::audit::conclusion::Conclusion;
use crate::audit::report_facts::{Days, ReportFacts};
use crate::audit::status::Status;
use crate::audit::{AuditRecord, EvidenceLink, Finding, FindingId, Grade, Member, Role, Verdict};
use crate::checklist::{Catalog, Checklist, Kind, ReqRef};

/// Who signed the report off (absent in a draft): the record's own sign-off.
pub use crate::audit::SignOff;

/// Everything the report is made from.
#[derive(Debug, Clone)]
pub struct ReportContext<'a> {
    pub record: &'a AuditRecord,
    pub catalog: &'a Catalog,
    /// Mark every page DRAFT. A report without a [`SignOff`] is always
    /// rendered as a draft, whatever this says.
    pub draft: bool,
    pub sign_off: Option<SignOff>,
    pub generated_at: DateTime<FixedOffset>,
    pub fieldaudit_version: &'a str,
    /// Who the report is for.
    pub audience: Audience,
}

/// Who a report is for: the certification body gets everything; the
/// auditee's copy is made from [`AuditRecord::auditee_copy`] and says so on
/// every page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Audience {
    #[default]
    CertificationBody,
    Auditee,
}

impl ReportContext<'_> {
    /// Whether the report is rendered as a draft: asked for, or not signed off.
    pub fn is_draft(&self) -> bool {
        self.draft || self.sign_off.is_none()
    }
}

/// The report's stylesheet (print included), built into the binary.
const STYLE: &str = include_str!("../../assets/report.css");
/// Added to a draft: DRAFT on every page.
const DRAFT_STYLE: &str = include_str!("../../assets/report-draft.css");
/// Added to the auditee's copy: it says so on every page.
const AUDITEE_STYLE: &str = include_str!("../../assets/report-auditee.css");

/// The report's sections, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Cover,
    Summary,
    Cycle,
    FollowUp,
    Nonconformities,
    OtherFindings,
    Sample,
    AuditPlan,
    Results,
    Soa,
    Evidence,
    AiAct,
    SignOff,
}

/// The section headings, in report order (also the `id` of each section);
/// a section's number is its place here.
pub const SECTIONS: [(Section, &str, &str); 13] = [
    (Section::Cover, "cover", "Audit report"),
    (Section::Summary, "summary", "Executive summary"),
    (Section::Cycle, "cycle", "Certification cycle"),
    (
        Section::FollowUp,
        "follow-up",
        "Follow-up of previous findings",
    ),
    (
        Section::Nonconformities,
        "nonconformities",
        "Nonconformities",
    ),
    (Section::OtherFindings, "other-findings", "Other findings"),
    (Section::Sample, "sample", "Surveillance sample"),
    (Section::AuditPlan, "audit-plan", "Audit plan"),
    (Section::Results, "results", "Results per requirement"),
    (Section::Soa, "soa", "Statement of Applicability"),
    (Section::Evidence, "evidence", "Evidence index"),
    (Section::AiAct, "ai-act", "EU AI Act readiness"),
    (Section::SignOff, "sign-off", "Sign-off"),
];

impl Section {
    /// Its number (the cover has none) and its place in [`SECTIONS`].
    pub fn number(self) -> usize {
        SECTIONS
            .iter()
            .position(|(s, _, _)| *s == self)
            .unwrap_or(0)
    }

    pub fn id(self) -> &'static str {
        SECTIONS[self.number()].1
    }

    pub fn heading(self) -> &'static str {
        SECTIONS[self.number()].2
    }
}

/// The complete report.
pub fn render(ctx: &ReportContext) -> String {
    document(ctx).into_string()
}

/// The `<style>` element's text: the built-in stylesheets and the printed
/// page footer, one after another, each on its own lines.
fn stylesheet(ctx: &ReportContext, draft: bool) -> String {
    let revision = ctx.record.revision().number;
    let client = &ctx.record.meta.client;
    let footer = super::css::page_footer(&ctx.record.report_no(), revision, draft, client);
    let mut css = String::with_capacity(STYLE.len() + footer.len() + 1024);
    css.push_str(STYLE);
    css.push('\n');
    if ctx.audience == Audience::Auditee {
        css.push_str(AUDITEE_STYLE);
        css.push('\n');
    }
    css.push_str(&footer);
    css.push('\n');
    if draft {
        css.push_str(DRAFT_STYLE);
        css.push('\n');
    }
    css
}

fn document(ctx: &ReportContext) -> Markup {
    let draft = ctx.is_draft();
    let title = format!(
        "{} — {}",
        if draft {
            "Draft audit report"
        } else {
            "Audit report"
        },
        ctx.record.meta.client
    );
    let status = Status::of(ctx.record, ctx.catalog);
    let index = Index::of(ctx.record);
    // The "\n" literals keep one element a line, as the report has always
    // been written, so that it reads (and diffs) line by line.
    html! {
        // maud's own constant, `<!DOCTYPE html>` (a `PreEscaped`).
        (DOCTYPE) "\n"
        html lang="en" {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                meta name="generator" content={ "fieldaudit " (ctx.fieldaudit_version) }; "\n"
                title { (title) } "\n"
                // PreEscaped: CSS, not HTML. The stylesheets are our own
                // files in assets/ (a test checks they hold no `<`), and the
                // only user text, in the page footer, is a CSS string from
                // `css_string`, which writes `<`, `>` and `&` as hex escapes,
                // so `</style>` cannot appear.
                style { (PreEscaped(stylesheet(ctx, draft))) } "\n"
            }
            "\n"
            body {
                "\n"
                @if draft {
                    div class="draft-watermark" aria-hidden="true" { "DRAFT" } "\n"
                    div class="draft-banner" role="note" { "DRAFT — not signed off" } "\n"
                }
                @if ctx.audience == Audience::Auditee {
                    div class="copy-mark" role="note" {
                        "Auditee's copy: working papers and the names of interviewees are left out"
                    }
                    "\n"
                }
                main {
                    "\n"
                    (cover(ctx, draft))
                    (summary(ctx, &status))
                    (cycle(ctx))
                    (follow_up(ctx))
                    (nonconformities(ctx))
                    (other_findings(ctx))
                    (sample(ctx))
                    (audit_plan(ctx))
                    (results(ctx, &index))
                    (soa(ctx))
                    (evidence(ctx))
                    (ai_act(ctx))
                    (sign_off(ctx, draft))
                }
                "\n"
                footer {
                    "Generated by fieldaudit " (ctx.fieldaudit_version) " on "
                    (ctx.generated_at.to_rfc3339()) "."
                }
                "\n"
            }
            "\n"
        }
        "\n"
    }
}

/// Findings per requirement, for the results table.
struct Index {
    findings: BTreeMap<ReqRef, Vec<FindingId>>,
}

impl Index {
    fn of(record: &AuditRecord) -> Index {
        let mut findings: BTreeMap<ReqRef, Vec<FindingId>> = BTreeMap::new();
        for f in &record.findings {
            for r in &f.requirements {
                findings.entry(r.clone()).or_default().push(f.id);
            }
        }
        for ids in findings.values_mut() {
            ids.sort();
        }
        Index { findings }
    }
}

/// A numbered section of the report (the cover has no number or heading).
fn section(section: Section, body: Markup) -> Markup {
    html! {
        section id=(section.id()) {
            "\n"
            @if section.number() > 0 {
                h2 { (section.number()) ". " (section.heading()) } "\n"
            }
            (body)
        }
        "\n"
    }
}

/// User text kept on its lines.
fn text_block(text: &str) -> Markup {
    html! { div class="text" { (text) } }
}

fn missing() -> Markup {
    html! { span class="missing" { "not recorded" } }
}

fn opt(value: &Option<String>) -> Markup {
    value.as_deref().map_or_else(missing, |v| html! { (v) })
}

fn names(list: &[String]) -> Markup {
    if list.is_empty() {
        missing()
    } else {
        html! { (list.join(", ")) }
    }
}

/// The team besides the lead auditor, one member a line with their role;
/// when some roles do not count toward audit time, a note says which do.
fn team(members: &[Member]) -> Markup {
    let others: Vec<&Member> = members
        .iter()
        .filter(|m| m.role != Role::LeadAuditor)
        .collect();
    if others.is_empty() {
        return missing();
    }
    let note = members.iter().any(|m| !m.role.counts_toward_audit_time());
    html! {
        ul class="plain" {
            @for m in &others {
                li { (m.name) " (" (m.role.label()) ")" }
            }
        }
        @if note {
            p class="team-note" { "Only the lead auditor and auditors count toward audit time." }
        }
    }
}

fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Conforming => "conforming",
        Verdict::Nonconforming => "nonconforming",
        Verdict::NotApplicable => "not applicable",
        Verdict::NotAssessed => "not assessed",
    }
}

fn verdict_badge(v: Verdict) -> Markup {
    html! { span class={ "verdict verdict-" (v.as_str()) } { (verdict_label(v)) } }
}

fn grade_badge(g: Grade) -> Markup {
    html! { span class={ "grade grade-" (g.as_str()) } { (capitalised(g.label())) } }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// First 12 hex digits of a hash, as cited in findings.
fn short_hash(sha256: &str) -> String {
    sha256.chars().take(12).collect()
}

/// The audit's dates, as one range.
fn dates(meta: &crate::audit::Meta) -> Markup {
    match (meta.start, meta.end) {
        (Some(s), Some(e)) if s == e => html! { (s) },
        (Some(s), Some(e)) => html! { (s) " to " (e) },
        (Some(s), None) => html! { "from " (s) },
        (None, Some(e)) => html! { "until " (e) },
        (None, None) => missing(),
    }
}

fn cover(ctx: &ReportContext, draft: bool) -> Markup {
    let meta = &ctx.record.meta;
    let criteria = html! {
        ul class="plain" {
            @for c in ctx.catalog.checklists() {
                li { (c.title) }
            }
        }
    };
    let rows = [
        ("Client", html! { (meta.client) }),
        ("Site", opt(&meta.site)),
        ("Scope", statement(&meta.scope)),
        ("Audit type", html! { (meta.audit_type.label()) }),
        ("Audit criteria", criteria),
        ("Audit dates", dates(meta)),
        (
            "Lead auditor",
            meta.lead_auditor()
                .map_or_else(missing, |name| html! { (name) }),
        ),
        ("Audit team", team(&meta.team)),
        ("Auditee representatives", names(&meta.auditee_reps)),
        ("Certification body", opt(&meta.certification_body)),
        ("Accreditation", opt(&meta.accreditation)),
        ("Report number", html! { (ctx.record.report_no()) }),
        ("Revision", revision(ctx)),
        ("Client's address", opt(&meta.report.client_address)),
        (
            "Audit objectives",
            text_block(&meta.report.objectives_or_default(meta.audit_type)),
        ),
        ("Audit time", audit_time(&meta.report)),
        (
            "Changes since the last audit",
            statement(&meta.report.changes),
        ),
        (
            "Deviations from the audit plan",
            html! {
                (statement(&meta.report.deviations))
                div { a href="#plan-deviations" { "Section " (Section::AuditPlan.number()) " sets the plan against what happened." } }
            },
        ),
        (
            "Unresolved issues and diverging opinions",
            statement(&meta.report.unresolved),
        ),
        ("Sampling", sampling(&meta.report.sampling)),
        (
            "Answering nonconformities",
            html! {
                "Correction and corrective-action plans are due "
                (meta.report.response_days(true))
                " days after the audit for a major nonconformity and "
                (meta.report.response_days(false))
                " days for a minor one."
            },
        ),
    ];
    let body = html! {
        h1 {
            @if draft { "Draft audit report" } @else { (Section::Cover.heading()) }
        }
        "\n"
        p class="client" { (meta.client) } "\n"
        table class="facts" {
            tbody {
                "\n"
                @for (label, value) in rows {
                    tr { th scope="row" { (label) } td { (value) } } "\n"
                }
            }
        }
        "\n"
    };
    section(Section::Cover, body)
}

/// The report's revision, and which signed report it supersedes.
fn revision(ctx: &ReportContext) -> Markup {
    let revision = ctx.record.revision();
    html! {
        (revision.number)
        @if ctx.is_draft() { " (draft)" }
        @if let Some(old) = &revision.supersedes {
            p class="supersedes" {
                "Supersedes revision " (old.revision) " of report " (old.report_no)
                ", signed off by " (old.signer) " at " (old.signed_at.to_rfc3339())
                "; its manifest SHA-256 is " code class="sha" { (old.manifest_sha256) } "."
            }
        }
    }
}

fn summary(ctx: &ReportContext, status: &Status) -> Markup {
    // How many verdicts rest on nothing recorded: the reader should know.
    let unsupported = crate::audit::status::unsupported_verdicts(ctx.record, ctx.catalog);
    let rests = if unsupported.is_empty() {
        format!(
            "Every conforming or nonconforming verdict rests on an interview note, a cited evidence file, a justification or a finding (section {} shows which).",
            Section::Results.number()
        )
    } else {
        let ids: Vec<String> = unsupported.iter().map(|r| r.id.clone()).collect();
        format!(
            "{} conforming or nonconforming verdict(s) rest on no interview note, no cited evidence file, no justification and no finding in this record: {}.",
            unsupported.len(),
            ids.join(", ")
        )
    };
    // While requirements remain unassessed (only possible in a draft) the
    // team has not reached a recommendation.
    // A surveillance audit judges only the requirements of its visit: per
    // checklist, those left unassessed outside it.
    let mut outside_of: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &status.unassessed {
        if !ctx.record.in_visit(ctx.catalog, r) {
            *outside_of.entry(r.checklist.as_str()).or_default() += 1;
        }
    }
    let outside: usize = outside_of.values().sum();
    let sampled = ctx.record.samples();
    let open = status.requirements_total - status.requirements_assessed - outside;
    // The recommendation is the team's decision, as `conclude` recorded it.
    let decision = match &ctx.record.conclusion {
        _ if open > 0 => format!("Not yet determined: {open} requirement(s) not yet assessed"),
        None => "Not yet determined: the audit team has not recorded its conclusion".into(),
        Some(c) => c.recommendation.sentence().to_string(),
    };
    let body = html! {
        h3 { "Verdicts per checklist" } "\n"
        table {
            thead {
                tr {
                    th class="title-col" { "Checklist" }
                    th class="num" { "Requirements" }
                    th class="num" { "Conforming" }
                    th class="num" { "Nonconforming" }
                    th class="num" { "Not applicable" }
                    th class="num" { "Not assessed" }
                    @if sampled { th class="num" { "Not audited this visit" } }
                }
            }
            tbody {
                "\n"
                @for c in &status.checklists {
                    @let cov = &c.coverage;
                    @let away = outside_of.get(c.id.as_str()).copied().unwrap_or(0);
                    tr {
                        td { (c.title) }
                        td class="num" { (cov.total) }
                        td class="num" { (cov.conforming) }
                        td class="num" { (cov.nonconforming) }
                        td class="num" { (cov.not_applicable) }
                        td class="num" { (cov.total - cov.assessed - away) }
                        @if sampled { td class="num" { (away) } }
                    }
                    "\n"
                }
            }
        }
        "\n"
        @if sampled {
            p class="outside-visit" {
                (outside) " requirement(s) were not audited this visit (section "
                (Section::Sample.number()) " lists the visit's sample); that is not \"not applicable\"."
            }
            "\n"
        }
        p class="rests" { (rests) } "\n"
        h3 { "Findings per grade" } "\n"
        table class="narrow" {
            thead { tr { th { "Grade" } th class="num" { "Findings" } } }
            tbody {
                "\n"
                @for g in Grade::ALL {
                    tr { td { (grade_badge(*g)) } td class="num" { (status.findings.get(*g)) } } "\n"
                }
            }
        }
        "\n"
        div class="recommendation" {
            p class="label" { "Audit team's recommendation to the certification body" }
            p class="decision" { (decision) } "\n"
            @if let Some(c) = ctx.record.conclusion.as_ref().filter(|_| open == 0) {
                (conclusion(c))
            }
        }
        "\n"
    };
    section(Section::Summary, body)
}

/// A statement of the report, or that it is missing.
fn statement(value: &Option<String>) -> Markup {
    value.as_deref().map_or_else(missing, text_block)
}

/// The sampling statement: the audit was based on sampling, and what.
fn sampling(value: &Option<String>) -> Markup {
    match value {
        Some(what) => html! {
            "The audit was based on sampling; what a finding says holds for the samples taken. Sampled: "
            (text_block(what))
        },
        None => missing(),
    }
}

/// Auditor-days planned and spent, and why they differ.
fn audit_time(facts: &ReportFacts) -> Markup {
    let days = |d: Option<Days>| d.map_or_else(missing, |d| html! { (d) });
    html! {
        "Planned " (days(facts.planned_days)) " auditor-day(s); spent "
        (days(facts.onsite_days)) " on site and " (days(facts.remote_days)) " remotely."
        @if let Some(reason) = &facts.time_reason {
            " Why it differs: " (text_block(reason))
        }
    }
}

/// The team's reasoning and conclusions under its recommendation.
fn conclusion(c: &Conclusion) -> Markup {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not stated",
    };
    let effectiveness = c.effectiveness.as_deref().unwrap_or("not stated");
    html! {
        dl class="conclusion" {
            "\n"
            dt { "Reasoning" } dd { (text_block(&c.reasoning)) } "\n"
            dt { "Certification scope appropriate" } dd { (yes_no(c.scope_appropriate)) } "\n"
            dt { "Effectiveness of the management system" } dd { (text_block(effectiveness)) } "\n"
            dt { "Audit objectives met" } dd { (yes_no(c.objectives_met)) } "\n"
            dt { "Concluded" } dd { "by " (c.by) " at " (c.at.to_rfc3339()) } "\n"
        }
        "\n"
    }
}

fn requirement_line(catalog: &Catalog, r: &ReqRef) -> Markup {
    html! {
        li {
            span class="ref" { (r) } " — "
            @match catalog.get(r) {
                Some((_, req)) => { (req.title) }
                None => { span class="missing" { "not in the audit criteria" } }
            }
        }
    }
}

fn evidence_list(links: &[EvidenceLink]) -> Markup {
    if links.is_empty() {
        return html! { span class="missing" { "none cited" } };
    }
    html! {
        ul class="plain" {
            @for l in links {
                li { span class="path" { (l.path) } " " code title="sha256" { (short_hash(&l.sha256)) } }
            }
        }
    }
}

fn finding(ctx: &ReportContext, f: &Finding) -> Markup {
    let req_label = if f.requirements.len() == 1 {
        "Requirement"
    } else {
        "Requirements"
    };
    let statement_label = if f.grade.is_nonconformity() {
        "Statement of nonconformity"
    } else {
        "Statement"
    };
    let due = f
        .response_due(&ctx.record.meta)
        .map_or_else(missing, |d| html! { (d) });
    html! {
        article class={ "finding finding-" (f.grade.as_str()) } id=(f.id) {
            "\n"
            h3 { (f.id) " " (grade_badge(f.grade)) } "\n"
            dl {
                "\n"
                dt { (req_label) }
                dd {
                    ul class="plain" {
                        @for r in &f.requirements { (requirement_line(ctx.catalog, r)) }
                    }
                }
                "\n"
                dt { "Objective evidence" } dd { (statement(&f.objective_evidence)) } "\n"
                dt { (statement_label) } dd { (text_block(&f.statement)) } "\n"
                dt { "Evidence files" } dd { (evidence_list(&f.evidence)) } "\n"
                dt { "Raised" } dd { "by " (f.raised_by) " at " (f.raised_at.to_rfc3339()) } "\n"
                @if let Some(edit) = &f.edited {
                    dt { "Last edited" } dd { "by " (edit.by) " at " (edit.at.to_rfc3339()) } "\n"
                }
                @if let Some(earlier) = f.follows {
                    dt { "Raised again" } dd class="follows" { "raised again from " (earlier) } "\n"
                }
                @if f.grade.is_nonconformity() {
                    dt { "Response due" }
                    dd class="response-due" {
                        (due)
                        " (the auditee sends its correction, root cause and corrective action plan by then)"
                    }
                    "\n"
                }
            }
            "\n"
            (follow_up_of(ctx, f.id))
        }
        "\n"
    }
}

/// The findings of these grades, most serious first; a sentence when there
/// are none.
fn findings_of(ctx: &ReportContext, grades: &[Grade], none: &str) -> Markup {
    let any = ctx
        .record
        .findings
        .iter()
        .any(|f| grades.contains(&f.grade));
    html! {
        @if any {
            @for g in grades {
                @for f in ctx.record.findings.iter().filter(|f| f.grade == *g) {
                    (finding(ctx, f))
                }
            }
        } @else {
            p { (none) } "\n"
        }
    }
}

fn nonconformities(ctx: &ReportContext) -> Markup {
    let ncs = findings_of(
        ctx,
        &[Grade::Major, Grade::Minor],
        "No nonconformities were raised.",
    );
    let concerns = ctx
        .record
        .findings
        .iter()
        .any(|f| f.grade == Grade::AreaOfConcern);
    let body = html! {
        (ncs)
        @if concerns {
            h3 class="group-heading" id="areas-of-concern" { "Areas of concern" } "\n"
            (findings_of(ctx, &[Grade::AreaOfConcern], ""))
        }
    };
    section(Section::Nonconformities, body)
}

fn other_findings(ctx: &ReportContext) -> Markup {
    let body = findings_of(
        ctx,
        &[Grade::Observation, Grade::Ofi, Grade::GoodPractice],
        "No observations, opportunities for improvement or good practices were recorded.",
    );
    section(Section::OtherFindings, body)
}

fn results(ctx: &ReportContext, index: &Index) -> Markup {
    let body = html! {
        @for checklist in ctx.catalog.checklists() {
            h3 { (checklist.title) } "\n"
            table class="results" {
                thead {
                    tr {
                        th { "Requirement" } th { "Title" } th { "Verdict" }
                        th { "Justification" } th { "What the verdict rests on" } th { "Findings" }
                    }
                }
                tbody {
                    "\n"
                    @for group in &checklist.sections {
                        tr class="group" { th colspan="6" { (group.id) " " (group.title) } } "\n"
                        @for req in &group.requirements {
                            (result_row(ctx, index, &ReqRef::new(&checklist.id, &req.id), req))
                        }
                    }
                }
            }
            "\n"
        }
    };
    section(Section::Results, body)
}

/// One requirement's row in the results table.
fn result_row(
    ctx: &ReportContext,
    index: &Index,
    r: &ReqRef,
    req: &crate::checklist::Requirement,
) -> Markup {
    let assessment = ctx.record.assessment(r);
    let verdict = assessment.map(|a| a.verdict).unwrap_or_default();
    let justification = assessment
        .filter(|a| a.verdict == Verdict::NotApplicable)
        .and_then(|a| a.justification.as_deref());
    let findings = index.findings.get(r).map(Vec::as_slice).unwrap_or_default();
    html! {
        tr {
            td class="ref" { (req.id) }
            td { (req.title) }
            td { (visit_verdict(ctx, r, verdict)) }
            td { @if let Some(j) = justification { (text_block(j)) } }
            td class="rests-on" { @if let Some(a) = assessment { (rests_on(a)) } }
            td {
                @for (i, id) in findings.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "#" (id) } { (id) }
                }
            }
        }
        "\n"
    }
}

/// What a verdict rests on: the interview notes (when, who was
/// interviewed, what was said, by whom noted) and the evidence files cited
/// (path and SHA-256).
fn rests_on(assessment: &crate::audit::Assessment) -> Markup {
    html! {
        @for n in &assessment.notes {
            div class="note" {
                span class="when" {
                    (n.at.format("%Y-%m-%d %H:%M")) " — " (n.by)
                    @if let Some(i) = &n.interviewee { ", interviewing " (i) }
                    @if n.internal { " (internal working paper)" }
                    ":"
                }
                " " (text_block(&n.text))
            }
        }
        @for l in &assessment.evidence {
            div class="file" { "File " (l.path) " " code class="sha" { "SHA-256 " (l.sha256) } }
        }
    }
}

fn sign_off(ctx: &ReportContext, draft: bool) -> Markup {
    let body = html! {
        @match (&ctx.sign_off, draft) {
            (Some(s), false) => {
                dl class="signed" {
                    "\n"
                    dt { "Signed off by" } dd { (s.signer) } "\n"
                    dt { "Signed at" } dd { (s.at.to_rfc3339()) } "\n"
                    dt { "Key id" } dd { code { (s.key_id) } } "\n"
                    dt { "Statement" } dd { (text_block(&s.statement)) } "\n"
                }
                "\n"
            }
            _ => {
                p class="unsigned" { "DRAFT — not signed off" } "\n"
            }
        }
    };
    section(Section::SignOff, body)
}
mod annexes;
mod cycle;
mod plan;

use annexes::{ai_act, evidence, soa};
use cycle::{cycle, follow_up, follow_up_of, sample, visit_verdict};
use plan::audit_plan;

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
