//! The report's section on the audit plan: its sessions, who audited what,
//! and the plan against what happened (sessions not held, requirements
//! planned but not assessed, assessed but not planned) beside the auditor's
//! own statement of deviations from the plan.

use maud::{Markup, html};

use super::*;
use crate::audit::plan::Session;
use crate::audit::role_only;

pub(super) fn audit_plan(ctx: &ReportContext) -> Markup {
    let record = ctx.record;
    if record.plan.is_empty() {
        let body = html! {
            p class="no-plan" { "No audit plan was recorded in fieldaudit for this audit." } "\n"
            (deviations(ctx))
        };
        return section(Section::AuditPlan, body);
    }
    let body = html! {
        @if !record.sessions().is_empty() {
            table class="plan" {
                thead {
                    tr {
                        th class="num" { "#" } th { "Day" } th { "Time" } th { "Where" }
                        th { "Auditors" } th { "Auditee participants" } th { "Topic" }
                        th { "Requirements" } th { "Held" }
                    }
                }
                tbody {
                    "\n"
                    @for (i, s) in record.sessions().iter().enumerate() {
                        (session_row(ctx, i + 1, s)) "\n"
                    }
                }
            }
            "\n"
        }
        h3 { "Who audits what" } "\n"
        (who_audits_what(ctx))
        (deviations(ctx))
    };
    section(Section::AuditPlan, body)
}

fn session_row(ctx: &ReportContext, number: usize, s: &Session) -> Markup {
    // The auditee's copy names people by their role only, as its notes do.
    let participants: Vec<String> = if ctx.audience == Audience::Auditee {
        s.participants.iter().map(|p| role_only(p)).collect()
    } else {
        s.participants.clone()
    };
    html! {
        tr {
            td class="num" { (number) }
            td { (s.day) }
            td { (s.start.format("%H:%M")) "–" (s.end.format("%H:%M")) }
            td {
                @if s.remote { "remote" } @else { "on site" }
                @if let Some(site) = &s.site { " (" (site) ")" }
            }
            td { (names(&s.auditors)) }
            td { (names(&participants)) }
            td { (s.topic) }
            td class="ref" { (refs(&s.requirements)) }
            td {
                @match &s.not_held {
                    Some(why) => { span class="not-held" { "not held: " } (why) }
                    None => "held",
                }
            }
        }
    }
}

fn refs(reqs: &[ReqRef]) -> Markup {
    if reqs.is_empty() {
        return html! { "—" };
    }
    let joined = reqs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    html! { (joined) }
}

fn who_audits_what(ctx: &ReportContext) -> Markup {
    let progress = ctx.record.progress_by_auditor(ctx.catalog);
    if progress.is_empty() {
        return html! { p { "The plan assigns no requirement to an auditor." } "\n" };
    }
    html! {
        table class="who-audits" {
            thead { tr { th { "Auditor" } th class="num" { "Assessed" } th { "Requirements" } } }
            tbody {
                "\n"
                @for (name, done, total) in &progress {
                    tr {
                        td { (name) }
                        td class="num" { (done) " of " (total) }
                        td class="ref" { (refs(&ctx.record.mine(ctx.catalog, name))) }
                    }
                    "\n"
                }
            }
        }
        "\n"
    }
}

/// The auditor's statement of deviations, then what the record shows.
fn deviations(ctx: &ReportContext) -> Markup {
    let d = ctx.record.deviations(ctx.catalog);
    let statement = &ctx.record.meta.report.deviations;
    html! {
        h3 id="plan-deviations" { "Deviations from the audit plan" } "\n"
        table class="facts" {
            tbody {
                "\n"
                tr { th scope="row" { "The audit team's statement" } td { (super::statement(statement)) } } "\n"
                @if !ctx.record.plan.is_empty() {
                    tr {
                        th scope="row" { "Sessions not held" }
                        td {
                            @if d.not_held.is_empty() { "none" } @else {
                                ul class="plain" {
                                    @for (n, s) in &d.not_held {
                                        li {
                                            "Session " (n) ", " (s.day) " "
                                            (s.start.format("%H:%M")) "–" (s.end.format("%H:%M"))
                                            ", " (s.topic) ": "
                                            (s.not_held.as_deref().unwrap_or_default())
                                        }
                                    }
                                }
                            }
                        }
                    }
                    "\n"
                    tr {
                        th scope="row" { "Planned but not assessed" }
                        td class="ref" { (list_or_none(&d.planned_not_assessed)) }
                    }
                    "\n"
                    tr {
                        th scope="row" { "Assessed but not planned" }
                        td class="ref" { (list_or_none(&d.assessed_not_planned)) }
                    }
                    "\n"
                }
            }
        }
        "\n"
    }
}

fn list_or_none(reqs: &[ReqRef]) -> Markup {
    if reqs.is_empty() {
        html! { "none" }
    } else {
        refs(reqs)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;
    use crate::audit::plan::{SessionDraft, SessionEdit};
    use crate::audit::{AuditType, Change, Criterion, Meta, MetaEdit};

    const HOSTILE: &str = "<script>alert(1)</script> & \"q\"";
    const SHOWN: &str = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;";

    fn req(id: &str) -> ReqRef {
        ReqRef::new("iso42001-2023", id)
    }

    fn record() -> AuditRecord {
        let who = Change::now("Lee Roe");
        let mut r = AuditRecord::new(
            Meta::new("Acme", AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        r.set_meta(
            &who,
            MetaEdit {
                team: Some(vec![
                    Member::new("Lee Roe", Role::LeadAuditor),
                    Member::new("Ann Poe", Role::Auditor),
                ]),
                ..MetaEdit::default()
            },
        )
        .unwrap();
        r
    }

    fn draft(start: &str, auditor: &str, topic: &str, reqs: Vec<ReqRef>) -> SessionDraft {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        SessionDraft {
            day: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            start: t(start),
            end: t(start) + chrono::Duration::hours(1),
            remote: false,
            site: Some("Leeds".into()),
            auditors: vec![auditor.into()],
            participants: vec!["Pat Doe (CTO)".into()],
            topic: topic.into(),
            requirements: reqs,
        }
    }

    fn render_as(record: &AuditRecord, audience: Audience) -> String {
        let catalog = record.catalog().unwrap();
        render(&ReportContext {
            record,
            catalog: &catalog,
            draft: true,
            sign_off: None,
            generated_at: DateTime::parse_from_rfc3339("2026-11-25T10:00:00+00:00").unwrap(),
            fieldaudit_version: "0.1.0",
            audience,
        })
    }

    /// The plan section of the report, alone.
    fn part(html: &str) -> String {
        let start = html
            .find(&format!("<section id=\"{}\">", Section::AuditPlan.id()))
            .unwrap();
        let end = start + html[start..].find("</section>").unwrap();
        html[start..end].to_string()
    }

    #[test]
    fn without_a_plan_the_section_says_so_in_one_sentence() {
        let html = render_as(&record(), Audience::CertificationBody);
        let plan = part(&html);
        assert!(plan.contains("No audit plan was recorded in fieldaudit for this audit."));
        assert!(!plan.contains("<table class=\"plan\""));
        assert!(!plan.contains("Planned but not assessed"));
    }

    #[test]
    fn the_plan_its_auditors_and_each_deviation_are_shown() {
        let who = Change::now("Lee Roe");
        let mut r = record();
        r.add_session(&who, draft("09:00", "Lee Roe", "Context", vec![req("4.1")]))
            .unwrap();
        r.add_session(&who, draft("11:00", "Ann Poe", "Risk", vec![req("6.1.2")]))
            .unwrap();
        r.edit_session(
            &who,
            2,
            SessionEdit {
                not_held: Some(Some("Risk owner ill".into())),
                remote: Some(true),
                ..SessionEdit::default()
            },
        )
        .unwrap();
        r.assign(&who, &req("7.5.3"), Some("Ann Poe".into()))
            .unwrap();
        r.set_verdict(&who, &req("4.1"), Verdict::Conforming, None)
            .unwrap();
        r.set_verdict(&who, &req("8.1"), Verdict::Conforming, None)
            .unwrap();
        r.set_meta(
            &who,
            MetaEdit {
                statements: vec![(
                    crate::audit::report_facts::Statement::Deviations,
                    "Session 2 moved to the follow-up visit".into(),
                )],
                ..MetaEdit::default()
            },
        )
        .unwrap();
        let html = render_as(&r, Audience::CertificationBody);
        let plan = part(&html);
        assert!(plan.contains(
            "<tr><td class=\"num\">1</td><td>2026-11-24</td><td>09:00–10:00</td><td>on site (Leeds)</td><td>Lee Roe</td><td>Pat Doe (CTO)</td><td>Context</td><td class=\"ref\">iso42001-2023:4.1</td><td>held</td></tr>"
        ), "{plan}");
        assert!(plan.contains("<td>remote (Leeds)</td>"), "{plan}");
        assert!(
            plan.contains("<span class=\"not-held\">not held: </span>Risk owner ill"),
            "{plan}"
        );
        // Who audits what, with progress.
        assert!(
            plan.contains("<td>Lee Roe</td><td class=\"num\">1 of 1</td>"),
            "{plan}"
        );
        assert!(
            plan.contains("<td>Ann Poe</td><td class=\"num\">0 of 2</td><td class=\"ref\">iso42001-2023:6.1.2, iso42001-2023:7.5.3</td>"),
            "{plan}"
        );
        // Each kind of deviation, beside the team's own statement.
        assert!(
            plan.contains("Session 2 moved to the follow-up visit"),
            "{plan}"
        );
        assert!(
            plan.contains("Session 2, 2026-11-24 11:00–12:00, Risk: Risk owner ill"),
            "{plan}"
        );
        assert!(
            plan.contains(
                "Planned but not assessed</th><td class=\"ref\">iso42001-2023:7.5.3</td>"
            ),
            "{plan}"
        );
        assert!(
            plan.contains("Assessed but not planned</th><td class=\"ref\">iso42001-2023:8.1</td>"),
            "{plan}"
        );
        // The cover points to them.
        let cover = &html[..html.find("<section id=\"summary\"").unwrap()];
        assert!(cover.contains("#plan-deviations"), "{cover}");
        // The auditee's copy names participants by role only.
        let copy = part(&render_as(&r.auditee_copy(), Audience::Auditee));
        assert!(
            copy.contains("<td>CTO</td>") && !copy.contains("Pat Doe"),
            "{copy}"
        );
    }

    #[test]
    fn hostile_plan_text_is_escaped() {
        let who = Change::now("Lee Roe");
        let mut r = record();
        let mut d = draft("09:00", "Lee Roe", HOSTILE, vec![req("4.1")]);
        d.site = Some(HOSTILE.into());
        d.participants = vec![HOSTILE.into()];
        r.add_session(&who, d).unwrap();
        r.edit_session(
            &who,
            1,
            SessionEdit {
                not_held: Some(Some(HOSTILE.into())),
                ..SessionEdit::default()
            },
        )
        .unwrap();
        let html = render_as(&r, Audience::CertificationBody);
        assert!(!html.to_ascii_lowercase().contains("<script"), "raw script");
        assert!(part(&html).matches(SHOWN).count() >= 5, "{}", part(&html));
    }
}
