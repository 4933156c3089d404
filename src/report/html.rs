//! `report.html`: the audit report as one self-contained HTML5 document.
//!
//! It follows the shape of an ISO 19011 / ISO/IEC 17021-1 style report:
//! cover, executive summary with the audit team's recommendation,
//! nonconformities, other findings, results per requirement, Statement of
//! Applicability, evidence index and sign-off. Styles are inline; nothing is
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
    Nonconformities,
    OtherFindings,
    Results,
    Soa,
    Evidence,
    AiAct,
    SignOff,
}

/// The section headings, in report order (also the `id` of each section);
/// a section's number is its place here.
pub const SECTIONS: [(Section, &str, &str); 9] = [
    (Section::Cover, "cover", "Audit report"),
    (Section::Summary, "summary", "Executive summary"),
    (
        Section::Nonconformities,
        "nonconformities",
        "Nonconformities",
    ),
    (Section::OtherFindings, "other-findings", "Other findings"),
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
                    (nonconformities(ctx))
                    (other_findings(ctx))
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
            statement(&meta.report.deviations),
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
        "Every conforming or nonconforming verdict rests on an interview note, a cited evidence file, a justification or a finding (section 4 shows which).".to_string()
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
    let open = status.requirements_total - status.requirements_assessed;
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
                }
            }
            tbody {
                "\n"
                @for c in &status.checklists {
                    @let cov = &c.coverage;
                    tr {
                        td { (c.title) }
                        td class="num" { (cov.total) }
                        td class="num" { (cov.conforming) }
                        td class="num" { (cov.nonconforming) }
                        td class="num" { (cov.not_applicable) }
                        td class="num" { (cov.total - cov.assessed) }
                    }
                    "\n"
                }
            }
        }
        "\n"
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
    let body = findings_of(
        ctx,
        &[Grade::Major, Grade::Minor],
        "No nonconformities were raised.",
    );
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
            td { (verdict_badge(verdict)) }
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
            td { (verdict_badge(verdict)) }
        }
        "\n"
    }
}

fn soa(ctx: &ReportContext) -> Markup {
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

fn evidence(ctx: &ReportContext) -> Markup {
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
fn collected_source(link: &EvidenceLink) -> Markup {
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
fn ai_act(ctx: &ReportContext) -> Markup {
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Implementation;
    use crate::audit::conclusion::Recommendation;
    use crate::audit::{AuditType, Change, Criterion, FindingEdit, LinkTarget, Meta, MetaEdit};

    const HOSTILE: &str = "<script>alert(1)</script> \"quotes\" & ampersands";

    fn req(id: &str) -> ReqRef {
        ReqRef::new("iso42001-2023", id)
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// A stage 2 audit with one of each kind of thing the report shows.
    fn record() -> AuditRecord {
        let who = Change::now("Jane Roe");
        let mut record = AuditRecord::new(
            Meta::new("Acme <AI> Ltd", AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        record
            .set_meta(
                &who,
                MetaEdit {
                    site: Some("Leeds & Manchester".into()),
                    scope: Some("AIMS for credit scoring\nsecond line of scope".into()),
                    start: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 2)),
                    end: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 4)),
                    team: Some(vec![
                        Member::new("Jane Roe", Role::LeadAuditor),
                        Member::new("Sam O'Neil", Role::Auditor),
                        Member::new("Zoë Müller", Role::TechnicalExpert),
                    ]),
                    auditee_reps: Some(vec!["Chris CTO".into()]),
                    certification_body: Some("Example Certification Ltd".into()),
                    accreditation: Some("UKAS 1234".into()),
                    ..MetaEdit::default()
                },
            )
            .unwrap();
        record
            .set_verdict(&who, &req("4.1"), Verdict::Conforming, None)
            .unwrap();
        record
            .set_verdict(&who, &req("6.1.2"), Verdict::Nonconforming, None)
            .unwrap();
        record
            .add_note(
                &who,
                &req("6.1.2"),
                "Risk owner interviewed".into(),
                Some("CTO".into()),
            )
            .unwrap();
        record
            .set_verdict(
                &who,
                &req("A.10.4"),
                Verdict::NotApplicable,
                Some("No customers: the AI system is internal only".into()),
            )
            .unwrap();
        record
            .link_evidence(
                &who,
                &LinkTarget::Requirement(req("4.1")),
                "context/issues.docx".into(),
                "0123456789abcdef".repeat(4),
                2048,
            )
            .unwrap();
        let nc = record
            .add_finding(
                &who,
                Grade::Minor,
                vec![req("6.1.2")],
                format!("Risk criteria not applied. {HOSTILE}"),
                Some("Risk register v3 line 12\nsecond line".into()),
            )
            .unwrap();
        record
            .link_evidence(
                &who,
                &LinkTarget::Finding(nc),
                "risk/register.xlsx".into(),
                "fedcba9876543210".repeat(4),
                4096,
            )
            .unwrap();
        record
            .add_finding(
                &who,
                Grade::GoodPractice,
                vec![req("7.3")],
                "Awareness quiz".into(),
                None,
            )
            .unwrap();
        record
    }

    fn render_with(record: &AuditRecord, sign_off: Option<SignOff>, draft: bool) -> String {
        let catalog = record.catalog().unwrap();
        render(&ReportContext {
            record,
            catalog: &catalog,
            draft,
            sign_off,
            generated_at: at("2026-11-05T10:00:00+00:00"),
            fieldaudit_version: "0.1.0",
            audience: Audience::CertificationBody,
        })
    }

    fn signed() -> SignOff {
        SignOff {
            signer: "Jane Roe".into(),
            at: at("2026-11-05T09:30:00+01:00"),
            key_id: "RWQ0123ABCD".into(),
            statement: "I confirm this report.\nJane".into(),
            revision: None,
        }
    }

    #[test]
    fn the_built_in_stylesheets_hold_no_markup() {
        // They are spliced into <style> unescaped: nothing in them may end it.
        for css in [STYLE, DRAFT_STYLE, AUDITEE_STYLE] {
            assert!(!css.contains('<'), "a `<` in a built-in stylesheet");
        }
    }

    #[test]
    fn user_text_is_escaped() {
        let html = render_with(&record(), None, true);
        assert!(!html.to_ascii_lowercase().contains("<script"));
        assert!(
            html.contains(
                "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands"
            )
        );
        assert!(html.contains("Acme &lt;AI&gt; Ltd"));
        // In the printed footer the name is a CSS string that cannot end the stylesheet.
        assert!(html.contains(r#"draft) — Acme \3c AI\3e  Ltd";"#), "{html}");
        assert_eq!(html.matches("</style>").count(), 1);
        assert!(html.contains("Leeds &amp; Manchester"));
        assert!(html.contains(
            "<ul class=\"plain\"><li>Sam O'Neil (auditor)</li><li>Zoë Müller (technical expert)</li></ul>\
             <p class=\"team-note\">Only the lead auditor and auditors count toward audit time.</p>"
        ));
        assert!(html.contains("white-space: pre-wrap"));
        assert!(html.contains("AIMS for credit scoring\nsecond line of scope"));
    }

    #[test]
    fn every_report_statement_note_and_conclusion_is_escaped() {
        const HOSTILE: &str = "<script>alert(1)</script> & \"q\" 'a'";
        const SHOWN: &str = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; 'a'";
        let mut record = record();
        let who = Change::now("Jane Roe");
        let statements = crate::audit::report_facts::Statement::ALL
            .iter()
            .map(|which| (*which, format!("{HOSTILE} {}", which.key())))
            .collect();
        record
            .set_meta(
                &who,
                MetaEdit {
                    statements,
                    ..MetaEdit::default()
                },
            )
            .unwrap();
        record
            .add_note(&who, &req("4.1"), HOSTILE.into(), Some(HOSTILE.into()))
            .unwrap();
        let html = render_with(&record, None, true);
        assert!(!html.to_ascii_lowercase().contains("<script"), "raw script");
        for which in crate::audit::report_facts::Statement::ALL {
            // The report number goes into the page footer as CSS too; the
            // rest are shown as text.
            assert!(
                html.contains(&format!("{SHOWN} {}", which.key())),
                "{} not shown escaped",
                which.key()
            );
        }
        assert!(
            html.matches(SHOWN).count() >= 10,
            "the note and its interviewee"
        );
        assert_eq!(html.matches("</style>").count(), 1);
    }

    #[test]
    fn sections_come_in_report_order() {
        let html = render_with(&record(), Some(signed()), false);
        let mut last = 0;
        for (_, id, heading) in SECTIONS {
            let pos = html
                .find(&format!("<section id=\"{id}\">"))
                .unwrap_or_else(|| panic!("no section {id}"));
            assert!(pos > last, "{id} out of order");
            last = pos;
            assert!(html.contains(heading), "no heading {heading}");
        }
        assert_eq!(html.matches("<section").count(), SECTIONS.len());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn cover_names_the_audit() {
        let html = render_with(&record(), None, true);
        for expected in [
            "stage 2",
            "ISO/IEC 42001",
            "2026-11-02 to 2026-11-04",
            "Chris CTO",
            "Example Certification Ltd",
            "UKAS 1234",
        ] {
            assert!(html.contains(expected), "cover lacks {expected}");
        }
    }

    #[test]
    fn nonconformities_show_requirement_evidence_and_statement() {
        let record = record();
        let html = render_with(&record, None, true);
        let start = html.find("<section id=\"nonconformities\">").unwrap();
        let end = html.find("<section id=\"other-findings\">").unwrap();
        let ncs = &html[start..end];
        let catalog = record.catalog().unwrap();
        let title = &catalog.get(&req("6.1.2")).unwrap().1.title;
        assert!(ncs.contains("NC-001"));
        assert!(ncs.contains("Minor nonconformity"));
        assert!(ncs.contains(&format!(
            "iso42001-2023:6.1.2</span> — {}",
            maud::html! { (title) }.into_string()
        )));
        assert!(ncs.contains("Risk register v3 line 12\nsecond line"));
        assert!(ncs.contains("Risk criteria not applied."));
        assert!(ncs.contains("risk/register.xlsx"));
        assert!(ncs.contains(">fedcba987654<"));
        assert!(!ncs.contains("GP-001"));
        // A minor NC: the audit's end (2026-11-04) plus 90 days.
        assert!(ncs.contains("<dt>Response due</dt><dd class=\"response-due\">2027-02-02 "));
        let others = &html[end..html.find("<section id=\"results\">").unwrap()];
        assert!(others.contains("GP-001") && others.contains("Good practice"));
        assert!(!others.contains("Response due"));
    }

    #[test]
    fn the_recommendation_is_the_teams_recorded_conclusion() {
        let mut record = record();
        // With requirements still unassessed (a draft) there is no recommendation yet.
        assert!(render_with(&record, None, true).contains("Not yet determined"));
        let who = Change::now("Jane Roe");
        record
            .add_finding(
                &who,
                Grade::Major,
                vec![req("9.2")],
                "No internal audit".into(),
                None,
            )
            .unwrap();
        let html = render_with(&record, None, true);
        assert!(html.contains("recommendation to the certification body"));
        assert!(html.find("id=\"NC-002\"").unwrap() < html.find("id=\"NC-001\"").unwrap());
        // Once every requirement is assessed, the team's own words decide.
        let catalog = record.catalog().unwrap();
        for (r, _, _) in catalog.requirements() {
            if record.verdict(&r) == Verdict::NotAssessed {
                record
                    .set_verdict(&who, &r, Verdict::Nonconforming, None)
                    .unwrap();
            }
        }
        assert!(render_with(&record, None, true).contains("has not recorded its conclusion"));
        let conclusion = Conclusion {
            recommendation: Recommendation::RecommendOnceClosed,
            reasoning: "Internal audit <never> done".into(),
            scope_appropriate: Some(true),
            effectiveness: None,
            objectives_met: Some(false),
            at: who.at,
            by: String::new(),
        };
        record.conclude(&who, conclusion).unwrap();
        let html = render_with(&record, None, true);
        assert!(
            html.contains("recommends certification once the major nonconformities are closed")
        );
        assert!(
            html.contains("Internal audit &lt;never&gt; done"),
            "escaped"
        );
        assert!(
            !html.contains("recommends certification."),
            "no unconditional sentence"
        );
    }

    #[test]
    fn results_table_shows_verdicts_notes_and_findings() {
        let html = render_with(&record(), None, true);
        let start = html.find("<section id=\"results\">").unwrap();
        let end = html.find("<section id=\"soa\">").unwrap();
        let results = &html[start..end];
        let row = results
            .lines()
            .find(|l| l.contains("<td class=\"ref\">6.1.2</td>"))
            .unwrap();
        assert!(row.contains("nonconforming"));
        // What the verdict rests on: the note itself, who noted it and whom
        // they interviewed.
        assert!(
            row.contains("Jane Roe, interviewing CTO:</span>")
                && row.contains("Risk owner interviewed"),
            "{row}"
        );
        assert!(row.contains("NC-001"));
        let file = results
            .lines()
            .find(|l| l.contains("<td class=\"ref\">4.1</td>"))
            .unwrap();
        assert!(file.contains("class=\"file\">File "), "{file}");
        assert!(html.contains("Every conforming or nonconforming verdict rests on"));
        // A verdict with nothing behind it is named in the summary.
        let mut bare = record();
        let who = Change::now("Jane Roe");
        bare.set_verdict(&who, &req("4.2"), Verdict::Conforming, None)
            .unwrap();
        let html = render_with(&bare, None, true);
        assert!(html.contains(
            "1 conforming or nonconforming verdict(s) rest on no interview note, no cited evidence file, no justification and no finding in this record: 4.2."
        ));
    }

    #[test]
    fn an_edited_finding_says_who_edited_it_last_and_when() {
        let mut r = record();
        let id = r.findings[0].id;
        let html = render_with(&r, None, true);
        assert!(!html.contains("Last edited"), "never edited");
        let edit = Change {
            by: "Sam <O'Neil>".into(),
            at: chrono::DateTime::parse_from_rfc3339("2026-11-03T14:32:00+00:00").unwrap(),
        };
        let statement = FindingEdit {
            statement: Some("A sharper statement".into()),
            ..Default::default()
        };
        r.edit_finding(&edit, &id.to_string(), statement).unwrap();
        let html = render_with(&r, None, true);
        assert!(
            html.contains(
                "<dt>Last edited</dt><dd>by Sam &lt;O'Neil&gt; at 2026-11-03T14:32:00+00:00</dd>"
            ),
            "{html}"
        );
    }

    #[test]
    fn soa_lists_every_annex_a_control_with_exclusions_justified() {
        let mut record = record();
        let who = Change::now("Jane Roe");
        record
            .set_implementation(
                &who,
                &req("A.6.2.4"),
                Some(Implementation::PartlyImplemented),
            )
            .unwrap();
        let html = render_with(&record, None, true);
        let start = html.find("<section id=\"soa\">").unwrap();
        let end = html.find("<section id=\"evidence\">").unwrap();
        let soa = &html[start..end];
        let rows: Vec<&str> = soa
            .lines()
            .filter(|l| l.starts_with("<tr><td class=\"ref\">A."))
            .collect();
        assert_eq!(rows.len(), 38);
        let excluded = rows.iter().find(|r| r.contains(">A.10.4<")).unwrap();
        assert!(
            excluded.contains("<span class=\"excluded\">No</span>"),
            "{excluded}"
        );
        assert!(excluded.contains("No customers: the AI system is internal only"));
        assert_eq!(soa.matches("class=\"excluded\"").count(), 1);
        // The auditee's declared status and the audit's verdict, apart.
        let declared = rows.iter().find(|r| r.contains(">A.6.2.4<")).unwrap();
        assert!(
            declared.contains("<td>partly implemented</td>") && declared.contains("not-assessed"),
            "{declared}"
        );
        assert!(soa.contains("Implementation (as declared)</th><th>Audit verdict"));
    }

    #[test]
    fn evidence_index_lists_every_cited_file_in_full() {
        let html = render_with(&record(), None, true);
        let start = html.find("<section id=\"evidence\">").unwrap();
        let index = &html[start..html.find("<section id=\"sign-off\">").unwrap()];
        assert!(index.contains("context/issues.docx"));
        assert!(index.contains(&"0123456789abcdef".repeat(4)));
        assert!(index.contains("iso42001-2023:4.1"));
        assert!(index.contains(&"fedcba9876543210".repeat(4)));
        assert!(index.contains("NC-001"));
        assert!(index.contains(">4096<"));
    }

    #[test]
    fn a_draft_says_so_on_every_page() {
        let html = render_with(&record(), None, true);
        assert!(html.contains("<title>Draft audit report — Acme &lt;AI&gt; Ltd</title>"));
        assert!(html.contains("<h1>Draft audit report</h1>"));
        assert!(html.contains("class=\"draft-watermark\""));
        assert!(html.contains("position: fixed"));
        assert!(html.contains("@top-center"));
        assert!(html.contains("DRAFT — not signed off"));
        // Without a sign-off the report is a draft whatever is asked.
        assert!(render_with(&record(), None, false).contains("class=\"draft-watermark\""));
    }

    #[test]
    fn a_signed_report_has_no_draft_mark_and_shows_the_sign_off() {
        let html = render_with(&record(), Some(signed()), false);
        assert!(!html.contains("DRAFT"));
        assert!(!html.contains("Draft"));
        let start = html.find("<section id=\"sign-off\">").unwrap();
        let block = &html[start..];
        assert!(block.contains("Jane Roe"));
        assert!(block.contains("2026-11-05T09:30:00+01:00"));
        assert!(block.contains("RWQ0123ABCD"));
        assert!(block.contains("I confirm this report.\nJane"));
    }

    #[test]
    fn prints_to_a4_and_fetches_nothing() {
        for html in [
            render_with(&record(), None, true),
            render_with(&record(), Some(signed()), false),
        ] {
            assert!(!html.to_ascii_lowercase().contains("http"));
            assert!(!html.contains("<script"));
            assert!(!html.contains("<link"));
            assert!(!html.contains("<img"));
            assert!(!html.contains("url("));
            assert!(html.contains("@media print"));
            assert!(html.contains("size: A4"));
            assert!(html.contains("break-before: page"));
            assert!(html.contains("break-inside: avoid"));
        }
    }
}
