//! `report.html`: the audit report as one self-contained HTML5 document.
//!
//! It follows the shape of an ISO 19011 / ISO/IEC 17021-1 style report:
//! cover, executive summary with the audit team's recommendation,
//! nonconformities, other findings, results per requirement, Statement of
//! Applicability, evidence index and sign-off. Styles are inline; nothing is
//! fetched (no fonts, scripts, images or links), and it prints to A4.
//!
//! Every piece of user-provided text goes through [`escape`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

use chrono::{DateTime, FixedOffset};

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

/// Text made safe for HTML content and attribute values: `& < > " '`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
    let mut out = String::with_capacity(64 * 1024);
    // Writing into a String cannot fail.
    let _ = document(ctx, &mut out);
    out
}

fn document(ctx: &ReportContext, out: &mut String) -> fmt::Result {
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
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"en\">")?;
    writeln!(out, "<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<meta name=\"generator\" content=\"fieldaudit {}\">",
        escape(ctx.fieldaudit_version)
    )?;
    writeln!(out, "<title>{}</title>", escape(&title))?;
    writeln!(out, "<style>{STYLE}")?;
    if ctx.audience == Audience::Auditee {
        writeln!(out, "{AUDITEE_STYLE}")?;
    }
    let revision = ctx.record.revision().number;
    let client = &ctx.record.meta.client;
    let footer = super::css::page_footer(&ctx.record.report_no(), revision, draft, client);
    writeln!(out, "{footer}")?;
    if draft {
        writeln!(out, "{DRAFT_STYLE}")?;
    }
    writeln!(out, "</style>")?;
    writeln!(out, "</head>")?;
    writeln!(out, "<body>")?;
    if draft {
        writeln!(
            out,
            "<div class=\"draft-watermark\" aria-hidden=\"true\">DRAFT</div>"
        )?;
        writeln!(
            out,
            "<div class=\"draft-banner\" role=\"note\">DRAFT — not signed off</div>"
        )?;
    }
    if ctx.audience == Audience::Auditee {
        writeln!(
            out,
            "<div class=\"copy-mark\" role=\"note\">Auditee's copy: working papers and the names of interviewees are left out</div>"
        )?;
    }
    writeln!(out, "<main>")?;
    let status = Status::of(ctx.record, ctx.catalog);
    let index = Index::of(ctx.record);
    cover(ctx, out, draft)?;
    summary(ctx, &status, out)?;
    nonconformities(ctx, out)?;
    other_findings(ctx, out)?;
    results(ctx, &index, out)?;
    soa(ctx, out)?;
    evidence(ctx, out)?;
    ai_act(ctx, out)?;
    sign_off(ctx, out, draft)?;
    writeln!(out, "</main>")?;
    writeln!(
        out,
        "<footer>Generated by fieldaudit {} on {}.</footer>",
        escape(ctx.fieldaudit_version),
        ctx.generated_at.to_rfc3339()
    )?;
    writeln!(out, "</body>")?;
    writeln!(out, "</html>")
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

fn open_section(out: &mut String, section: Section) -> fmt::Result {
    writeln!(out, "<section id=\"{}\">", section.id())?;
    match section.number() {
        0 => Ok(()),
        n => writeln!(out, "<h2>{n}. {}</h2>", section.heading()),
    }
}

/// User text kept on its lines.
fn text_block(text: &str) -> String {
    format!("<div class=\"text\">{}</div>", escape(text))
}

fn missing() -> &'static str {
    "<span class=\"missing\">not recorded</span>"
}

fn opt(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| missing().into(), escape)
}

fn names(list: &[String]) -> String {
    if list.is_empty() {
        missing().into()
    } else {
        escape(&list.join(", "))
    }
}

/// The team besides the lead auditor, one member a line with their role;
/// when some roles do not count toward audit time, a note says which do.
fn team(members: &[Member]) -> String {
    let items: String = members
        .iter()
        .filter(|m| m.role != Role::LeadAuditor)
        .map(|m| format!("<li>{} ({})</li>", escape(&m.name), m.role.label()))
        .collect();
    if items.is_empty() {
        return missing().into();
    }
    let note = if members.iter().any(|m| !m.role.counts_toward_audit_time()) {
        "<p class=\"team-note\">Only the lead auditor and auditors count toward audit time.</p>"
    } else {
        ""
    };
    format!("<ul class=\"plain\">{items}</ul>{note}")
}

fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Conforming => "conforming",
        Verdict::Nonconforming => "nonconforming",
        Verdict::NotApplicable => "not applicable",
        Verdict::NotAssessed => "not assessed",
    }
}

fn verdict_badge(v: Verdict) -> String {
    format!(
        "<span class=\"verdict verdict-{}\">{}</span>",
        v.as_str(),
        verdict_label(v)
    )
}

fn grade_badge(g: Grade) -> String {
    format!(
        "<span class=\"grade grade-{}\">{}</span>",
        g.as_str(),
        capitalised(g.label())
    )
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

fn cover(ctx: &ReportContext, out: &mut String, draft: bool) -> fmt::Result {
    let meta = &ctx.record.meta;
    open_section(out, Section::Cover)?;
    writeln!(
        out,
        "<h1>{}</h1>",
        if draft {
            "Draft audit report"
        } else {
            Section::Cover.heading()
        }
    )?;
    writeln!(out, "<p class=\"client\">{}</p>", escape(&meta.client))?;
    writeln!(out, "<table class=\"facts\"><tbody>")?;
    let criteria: Vec<String> = ctx
        .catalog
        .checklists()
        .iter()
        .map(|c| format!("<li>{}</li>", escape(&c.title)))
        .collect();
    let dates = match (meta.start, meta.end) {
        (Some(s), Some(e)) if s == e => s.to_string(),
        (Some(s), Some(e)) => format!("{s} to {e}"),
        (Some(s), None) => format!("from {s}"),
        (None, Some(e)) => format!("until {e}"),
        (None, None) => missing().into(),
    };
    let rows = [
        ("Client", escape(&meta.client)),
        ("Site", opt(&meta.site)),
        (
            "Scope",
            meta.scope
                .as_deref()
                .map_or_else(|| missing().into(), text_block),
        ),
        ("Audit type", escape(meta.audit_type.label())),
        (
            "Audit criteria",
            format!("<ul class=\"plain\">{}</ul>", criteria.concat()),
        ),
        ("Audit dates", dates),
        (
            "Lead auditor",
            meta.lead_auditor().map_or_else(|| missing().into(), escape),
        ),
        ("Audit team", team(&meta.team)),
        ("Auditee representatives", names(&meta.auditee_reps)),
        ("Certification body", opt(&meta.certification_body)),
        ("Accreditation", opt(&meta.accreditation)),
        ("Report number", escape(&ctx.record.report_no())),
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
            format!(
                "Correction and corrective-action plans are due {} days after the audit for a major nonconformity and {} days for a minor one.",
                meta.report.response_days(true),
                meta.report.response_days(false)
            ),
        ),
    ];
    for (label, value) in rows {
        writeln!(
            out,
            "<tr><th scope=\"row\">{label}</th><td>{value}</td></tr>"
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    writeln!(out, "</section>")
}

/// The report's revision, and which signed report it supersedes.
fn revision(ctx: &ReportContext) -> String {
    let revision = ctx.record.revision();
    let mut text = revision.number.to_string();
    if ctx.is_draft() {
        text.push_str(" (draft)");
    }
    if let Some(old) = revision.supersedes {
        text.push_str(&format!(
            "<p class=\"supersedes\">Supersedes revision {} of report {}, signed off by {} at {}; its manifest SHA-256 is <code class=\"sha\">{}</code>.</p>",
            old.revision,
            escape(&old.report_no),
            escape(&old.signer),
            old.signed_at.to_rfc3339(),
            escape(&old.manifest_sha256)
        ));
    }
    text
}

fn summary(ctx: &ReportContext, status: &Status, out: &mut String) -> fmt::Result {
    open_section(out, Section::Summary)?;
    writeln!(out, "<h3>Verdicts per checklist</h3>")?;
    writeln!(
        out,
        "<table><thead><tr><th class=\"title-col\">Checklist</th><th class=\"num\">Requirements</th>\
         <th class=\"num\">Conforming</th><th class=\"num\">Nonconforming</th>\
         <th class=\"num\">Not applicable</th><th class=\"num\">Not assessed</th></tr></thead><tbody>"
    )?;
    for c in &status.checklists {
        let cov = &c.coverage;
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&c.title),
            cov.total,
            cov.conforming,
            cov.nonconforming,
            cov.not_applicable,
            cov.total - cov.assessed
        )?;
    }
    writeln!(out, "</tbody></table>")?;
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
    writeln!(out, "<p class=\"rests\">{}</p>", escape(&rests))?;
    writeln!(out, "<h3>Findings per grade</h3>")?;
    writeln!(
        out,
        "<table class=\"narrow\"><thead><tr><th>Grade</th><th class=\"num\">Findings</th></tr></thead><tbody>"
    )?;
    for g in Grade::ALL {
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
            grade_badge(*g),
            status.findings.get(*g)
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    // While requirements remain unassessed (only possible in a draft) the
    // team has not reached a recommendation.
    let open = status.requirements_total - status.requirements_assessed;
    // The recommendation is the team's decision, as `conclude` recorded it.
    let decision = match &ctx.record.conclusion {
        _ if open > 0 => format!("Not yet determined: {open} requirement(s) not yet assessed"),
        None => "Not yet determined: the audit team has not recorded its conclusion".into(),
        Some(c) => c.recommendation.sentence().to_string(),
    };
    writeln!(
        out,
        "<div class=\"recommendation\"><p class=\"label\">Audit team's recommendation to the certification body</p>\
         <p class=\"decision\">{}</p>",
        escape(&decision)
    )?;
    if let Some(c) = ctx.record.conclusion.as_ref().filter(|_| open == 0) {
        conclusion(c, out)?;
    }
    writeln!(out, "</div>")?;
    writeln!(out, "</section>")
}

/// A statement of the report, or that it is missing.
fn statement(value: &Option<String>) -> String {
    value
        .as_deref()
        .map_or_else(|| missing().into(), text_block)
}

/// The sampling statement: the audit was based on sampling, and what.
fn sampling(value: &Option<String>) -> String {
    match value {
        Some(what) => format!(
            "The audit was based on sampling; what a finding says holds for the samples taken. Sampled: {}",
            text_block(what)
        ),
        None => missing().into(),
    }
}

/// Auditor-days planned and spent, and why they differ.
fn audit_time(facts: &ReportFacts) -> String {
    let days = |d: Option<Days>| d.map_or_else(|| missing().to_string(), |d| d.to_string());
    let mut text = format!(
        "Planned {} auditor-day(s); spent {} on site and {} remotely.",
        days(facts.planned_days),
        days(facts.onsite_days),
        days(facts.remote_days)
    );
    if let Some(reason) = &facts.time_reason {
        text.push_str(&format!(" Why it differs: {}", text_block(reason)));
    }
    text
}

/// The team's reasoning and conclusions under its recommendation.
fn conclusion(c: &Conclusion, out: &mut String) -> fmt::Result {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not stated",
    };
    writeln!(out, "<dl class=\"conclusion\">")?;
    writeln!(
        out,
        "<dt>Reasoning</dt><dd>{}</dd>",
        text_block(&c.reasoning)
    )?;
    writeln!(
        out,
        "<dt>Certification scope appropriate</dt><dd>{}</dd>",
        yes_no(c.scope_appropriate)
    )?;
    let effectiveness = c.effectiveness.as_deref().unwrap_or("not stated");
    writeln!(
        out,
        "<dt>Effectiveness of the management system</dt><dd>{}</dd>",
        text_block(effectiveness)
    )?;
    writeln!(
        out,
        "<dt>Audit objectives met</dt><dd>{}</dd>",
        yes_no(c.objectives_met)
    )?;
    writeln!(
        out,
        "<dt>Concluded</dt><dd>by {} at {}</dd>",
        escape(&c.by),
        c.at.to_rfc3339()
    )?;
    writeln!(out, "</dl>")
}

fn requirement_line(catalog: &Catalog, r: &ReqRef) -> String {
    let title = catalog.get(r).map_or_else(
        || "<span class=\"missing\">not in the audit criteria</span>".to_string(),
        |(_, req)| escape(&req.title),
    );
    format!(
        "<li><span class=\"ref\">{}</span> — {title}</li>",
        escape(&r.to_string())
    )
}

fn evidence_list(links: &[EvidenceLink]) -> String {
    if links.is_empty() {
        return "<span class=\"missing\">none cited</span>".into();
    }
    let items: Vec<String> = links
        .iter()
        .map(|l| {
            format!(
                "<li><span class=\"path\">{}</span> <code title=\"sha256\">{}</code></li>",
                escape(&l.path),
                escape(&short_hash(&l.sha256))
            )
        })
        .collect();
    format!("<ul class=\"plain\">{}</ul>", items.concat())
}

fn finding(ctx: &ReportContext, f: &Finding, out: &mut String) -> fmt::Result {
    let catalog = ctx.catalog;
    writeln!(
        out,
        "<article class=\"finding finding-{}\" id=\"{}\">",
        f.grade.as_str(),
        f.id
    )?;
    writeln!(out, "<h3>{} {}</h3>", f.id, grade_badge(f.grade))?;
    writeln!(out, "<dl>")?;
    let reqs: Vec<String> = f
        .requirements
        .iter()
        .map(|r| requirement_line(catalog, r))
        .collect();
    let req_label = if f.requirements.len() == 1 {
        "Requirement"
    } else {
        "Requirements"
    };
    writeln!(
        out,
        "<dt>{req_label}</dt><dd><ul class=\"plain\">{}</ul></dd>",
        reqs.concat()
    )?;
    writeln!(
        out,
        "<dt>Objective evidence</dt><dd>{}</dd>",
        f.objective_evidence
            .as_deref()
            .map_or_else(|| missing().into(), text_block)
    )?;
    let statement_label = if f.grade.is_nonconformity() {
        "Statement of nonconformity"
    } else {
        "Statement"
    };
    writeln!(
        out,
        "<dt>{statement_label}</dt><dd>{}</dd>",
        text_block(&f.statement)
    )?;
    writeln!(
        out,
        "<dt>Evidence files</dt><dd>{}</dd>",
        evidence_list(&f.evidence)
    )?;
    writeln!(
        out,
        "<dt>Raised</dt><dd>by {} at {}</dd>",
        escape(&f.raised_by),
        f.raised_at.to_rfc3339()
    )?;
    if let Some(edit) = &f.edited {
        let (by, at) = (escape(&edit.by), edit.at.to_rfc3339());
        writeln!(out, "<dt>Last edited</dt><dd>by {by} at {at}</dd>")?;
    }
    if f.grade.is_nonconformity() {
        let due = f
            .response_due(&ctx.record.meta)
            .map_or_else(|| missing().to_string(), |d| d.to_string());
        writeln!(
            out,
            "<dt>Response due</dt><dd class=\"response-due\">{due} (the auditee sends its correction, root cause and corrective action plan by then)</dd>"
        )?;
    }
    writeln!(out, "</dl>")?;
    writeln!(out, "</article>")
}

fn findings_of(ctx: &ReportContext, grades: &[Grade], out: &mut String) -> fmt::Result {
    for g in grades {
        for f in ctx.record.findings.iter().filter(|f| f.grade == *g) {
            finding(ctx, f, out)?;
        }
    }
    Ok(())
}

fn nonconformities(ctx: &ReportContext, out: &mut String) -> fmt::Result {
    open_section(out, Section::Nonconformities)?;
    let grades = [Grade::Major, Grade::Minor];
    if ctx
        .record
        .findings
        .iter()
        .any(|f| grades.contains(&f.grade))
    {
        findings_of(ctx, &grades, out)?;
    } else {
        writeln!(out, "<p>No nonconformities were raised.</p>")?;
    }
    writeln!(out, "</section>")
}

fn other_findings(ctx: &ReportContext, out: &mut String) -> fmt::Result {
    open_section(out, Section::OtherFindings)?;
    let grades = [Grade::Observation, Grade::Ofi, Grade::GoodPractice];
    if ctx
        .record
        .findings
        .iter()
        .any(|f| grades.contains(&f.grade))
    {
        findings_of(ctx, &grades, out)?;
    } else {
        writeln!(
            out,
            "<p>No observations, opportunities for improvement or good practices were recorded.</p>"
        )?;
    }
    writeln!(out, "</section>")
}

fn results(ctx: &ReportContext, index: &Index, out: &mut String) -> fmt::Result {
    open_section(out, Section::Results)?;
    for checklist in ctx.catalog.checklists() {
        writeln!(out, "<h3>{}</h3>", escape(&checklist.title))?;
        writeln!(
            out,
            "<table class=\"results\"><thead><tr><th>Requirement</th><th>Title</th><th>Verdict</th>\
             <th>Justification</th><th>What the verdict rests on</th><th>Findings</th></tr></thead><tbody>"
        )?;
        for section in &checklist.sections {
            writeln!(
                out,
                "<tr class=\"group\"><th colspan=\"6\">{} {}</th></tr>",
                escape(&section.id),
                escape(&section.title)
            )?;
            for req in &section.requirements {
                let r = ReqRef::new(&checklist.id, &req.id);
                let assessment = ctx.record.assessment(&r);
                let verdict = assessment.map(|a| a.verdict).unwrap_or_default();
                let justification = assessment
                    .filter(|a| a.verdict == Verdict::NotApplicable)
                    .and_then(|a| a.justification.as_deref())
                    .map(text_block)
                    .unwrap_or_default();
                let rests_on = assessment.map(rests_on).unwrap_or_default();
                let findings = index
                    .findings
                    .get(&r)
                    .map(|ids| {
                        ids.iter()
                            .map(|id| format!("<a href=\"#{id}\">{id}</a>"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                writeln!(
                    out,
                    "<tr><td class=\"ref\">{}</td><td>{}</td><td>{}</td><td>{justification}</td>\
                     <td class=\"rests-on\">{rests_on}</td><td>{findings}</td></tr>",
                    escape(&req.id),
                    escape(&req.title),
                    verdict_badge(verdict)
                )?;
            }
        }
        writeln!(out, "</tbody></table>")?;
    }
    writeln!(out, "</section>")
}

/// What a verdict rests on: the interview notes (when, who was
/// interviewed, what was said, by whom noted) and the evidence files cited
/// (path and SHA-256).
fn rests_on(assessment: &crate::audit::Assessment) -> String {
    let notes = assessment.notes.iter().map(|n| {
        let who = n
            .interviewee
            .as_deref()
            .map_or(String::new(), |i| format!(", interviewing {}", escape(i)));
        let kept = if n.internal {
            " (internal working paper)"
        } else {
            ""
        };
        format!(
            "<div class=\"note\"><span class=\"when\">{} — {}{who}{kept}:</span> {}</div>",
            n.at.format("%Y-%m-%d %H:%M"),
            escape(&n.by),
            text_block(&n.text)
        )
    });
    let files = assessment.evidence.iter().map(|l| {
        format!(
            "<div class=\"file\">File {} <code class=\"sha\">SHA-256 {}</code></div>",
            escape(&l.path),
            escape(&l.sha256)
        )
    });
    notes.chain(files).collect()
}

fn soa_table(ctx: &ReportContext, checklist: &Checklist, out: &mut String) -> fmt::Result {
    writeln!(
        out,
        "<table class=\"soa\"><thead><tr><th>Control</th><th>Title</th><th>Applicable</th>\
         <th>Justification for inclusion or exclusion</th><th>Implementation (as declared)</th>\
         <th>Audit verdict</th></tr></thead><tbody>"
    )?;
    for section in checklist
        .sections
        .iter()
        .filter(|s| s.kind == Kind::Control)
    {
        writeln!(
            out,
            "<tr class=\"group\"><th colspan=\"6\">{} {}{}</th></tr>",
            escape(&section.id),
            escape(&section.title),
            section
                .objective
                .as_deref()
                .map(|o| format!("<div class=\"objective\">{}</div>", escape(o)))
                .unwrap_or_default()
        )?;
        for req in &section.requirements {
            let r = ReqRef::new(&checklist.id, &req.id);
            let assessment = ctx.record.assessment(&r);
            let verdict = assessment.map(|a| a.verdict).unwrap_or_default();
            let excluded = verdict == Verdict::NotApplicable;
            let applicable = if excluded {
                "<span class=\"excluded\">No</span>"
            } else {
                "Yes"
            };
            let justification = match assessment.and_then(|a| a.justification.as_deref()) {
                Some(j) => text_block(j),
                None if excluded => missing().into(),
                None => "not given".into(),
            };
            let declared = assessment
                .and_then(|a| a.implementation)
                .map_or("not declared", |i| i.as_str())
                .replace('-', " ");
            writeln!(
                out,
                "<tr><td class=\"ref\">{}</td><td>{}</td><td>{applicable}</td><td>{justification}</td>\
                 <td>{}</td><td>{}</td></tr>",
                escape(&req.id),
                escape(&req.title),
                escape(&declared),
                verdict_badge(verdict)
            )?;
        }
    }
    writeln!(out, "</tbody></table>")
}

fn soa(ctx: &ReportContext, out: &mut String) -> fmt::Result {
    open_section(out, Section::Soa)?;
    for checklist in ctx.catalog.checklists() {
        writeln!(out, "<h3>{}</h3>", escape(&checklist.title))?;
        if checklist.count_kind(Kind::Control) == 0 {
            writeln!(out, "<p>This checklist has no Annex A controls.</p>")?;
        } else {
            soa_table(ctx, checklist, out)?;
        }
    }
    writeln!(out, "</section>")
}

fn evidence(ctx: &ReportContext, out: &mut String) -> fmt::Result {
    open_section(out, Section::Evidence)?;
    // One row per file version (path and hash), with everything citing it.
    let mut files: BTreeMap<(&str, &str), (u64, BTreeSet<String>, String)> = BTreeMap::new();
    for (target, link) in ctx.record.evidence_links() {
        files
            .entry((link.path.as_str(), link.sha256.as_str()))
            .or_insert_with(|| (link.size, BTreeSet::new(), collected_source(link)))
            .1
            .insert(target.to_string());
    }
    if files.is_empty() {
        writeln!(out, "<p>No evidence files are cited.</p>")?;
    } else {
        writeln!(
            out,
            "<table class=\"evidence\"><thead><tr><th>File</th><th class=\"num\">Size (bytes)</th>\
             <th>SHA-256</th><th>Cited by</th></tr></thead><tbody>"
        )?;
        for ((path, sha256), (size, cited, source)) in files {
            let cited: Vec<String> = cited.iter().map(|c| escape(c)).collect();
            writeln!(
                out,
                "<tr><td class=\"path\">{}{source}</td><td class=\"num\">{size}</td><td><code class=\"hash\">{}</code></td>\
                 <td>{}</td></tr>",
                escape(path),
                escape(sha256),
                cited.join(", ")
            )?;
        }
        writeln!(out, "</tbody></table>")?;
    }
    writeln!(out, "</section>")
}

/// For a file the auditor collected, where it came from (HTML, escaped):
/// "collected by NAME at TIME: caption"; empty for a bundle file.
fn collected_source(link: &EvidenceLink) -> String {
    let Some(c) = &link.collected else {
        return String::new();
    };
    let caption = c
        .caption
        .as_deref()
        .map(|t| format!(": {}", escape(t)))
        .unwrap_or_default();
    format!(
        "<br><span class=\"source\">collected by {} at {} (as “{}”){caption}</span>",
        escape(&c.by),
        escape(&c.at.to_rfc3339()),
        escape(&crate::text::shown(&c.original_name))
    )
}

/// The EU AI Act crosswalk shipped with fieldaudit, shown when ISO/IEC
/// 42001 is among the audit criteria.
const AI_ACT: &str = "eu-ai-act-2024-1689";

/// Per article of the EU AI Act, what the audit found on the ISO/IEC 42001
/// requirements that bear on it; never a statement of conformity with the Act.
fn ai_act(ctx: &ReportContext, out: &mut String) -> fmt::Result {
    open_section(out, Section::AiAct)?;
    let crosswalk = match crate::crosswalk::registry::get(AI_ACT) {
        Ok(Some(c)) if crate::crosswalk::check_criteria(c, ctx.record).is_ok() => c,
        _ => {
            writeln!(
                out,
                "<p>Not applicable: ISO/IEC 42001 is not among the audit criteria.</p>"
            )?;
            return writeln!(out, "</section>");
        }
    };
    if let Some(note) = &crosswalk.note {
        writeln!(out, "<p class=\"caveat\">{}</p>", text_block(note))?;
    }
    writeln!(
        out,
        "<table class=\"ai-act\"><thead><tr><th>Article</th><th>What the audit found</th>\
         <th>Requirements (how far each goes toward the article)</th></tr></thead><tbody>"
    )?;
    for article in crate::crosswalk::readiness(crosswalk, ctx.record, ctx.catalog) {
        let mapped: Vec<String> = article
            .mapped
            .iter()
            .map(|m| {
                let findings: Vec<String> = m.findings.iter().map(|f| f.id.to_string()).collect();
                let cited = if findings.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", findings.join(", "))
                };
                format!(
                    "<li>{} {} — {}{}</li>",
                    escape(&m.requirement.id),
                    escape(m.strength.label()),
                    verdict_label(m.verdict),
                    escape(&cited)
                )
            })
            .collect();
        writeln!(
            out,
            "<tr><td>Art. {} {}</td><td>{}: {}</td><td><ul class=\"plain\">{}</ul></td></tr>",
            escape(&article.number),
            escape(&article.title),
            escape(&capitalised(article.rollup.label())),
            escape(&article.summary()),
            mapped.concat()
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    writeln!(out, "</section>")
}

fn sign_off(ctx: &ReportContext, out: &mut String, draft: bool) -> fmt::Result {
    open_section(out, Section::SignOff)?;
    match (&ctx.sign_off, draft) {
        (Some(s), false) => {
            writeln!(out, "<dl class=\"signed\">")?;
            writeln!(out, "<dt>Signed off by</dt><dd>{}</dd>", escape(&s.signer))?;
            writeln!(out, "<dt>Signed at</dt><dd>{}</dd>", s.at.to_rfc3339())?;
            writeln!(
                out,
                "<dt>Key id</dt><dd><code>{}</code></dd>",
                escape(&s.key_id)
            )?;
            writeln!(
                out,
                "<dt>Statement</dt><dd>{}</dd>",
                text_block(&s.statement)
            )?;
            writeln!(out, "</dl>")?;
        }
        _ => writeln!(out, "<p class=\"unsigned\">DRAFT — not signed off</p>")?,
    }
    writeln!(out, "</section>")
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
    fn escape_covers_the_five_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("é — plain"), "é — plain");
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
            "<ul class=\"plain\"><li>Sam O&#39;Neil (auditor)</li><li>Zoë Müller (technical expert)</li></ul>\
             <p class=\"team-note\">Only the lead auditor and auditors count toward audit time.</p>"
        ));
        assert!(html.contains("white-space: pre-wrap"));
        assert!(html.contains("AIMS for credit scoring\nsecond line of scope"));
    }

    #[test]
    fn every_report_statement_note_and_conclusion_is_escaped() {
        const HOSTILE: &str = "<script>alert(1)</script> & \"q\" 'a'";
        const SHOWN: &str = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;";
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
        assert!(ncs.contains(&format!("iso42001-2023:6.1.2</span> — {}", escape(title))));
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
                "<dt>Last edited</dt><dd>by Sam &lt;O&#39;Neil&gt; at 2026-11-03T14:32:00+00:00</dd>"
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
