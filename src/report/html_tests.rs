//! Tests of report.html: its sections, escaping, and what each part shows.

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
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands")
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
    assert!(html.contains("recommends certification once the major nonconformities are closed"));
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

/// The sections on the certification cycle, on a surveillance audit
/// started from a signed stage 2.
mod cycle {
    use super::*;
    use crate::report::cycle_testing::{self as t, HOSTILE as CARRIED};

    /// The text of one section of the page.
    fn part(html: &str, s: Section) -> String {
        let start = html
            .find(&format!("<section id=\"{}\">", s.id()))
            .unwrap_or_else(|| panic!("no section {}", s.id()));
        let end = start + html[start..].find("</section>").unwrap();
        html[start..end].to_string()
    }

    /// One finding's article in a section.
    fn article(section: &str, id: &str) -> String {
        let start = section
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no {id} in {section}"));
        let end = start + section[start..].find("</article>").unwrap();
        section[start..end].to_string()
    }

    #[test]
    fn the_cycle_section_gives_the_type_the_dates_and_the_chain() {
        let (s, _) = t::surveillance();
        let html = render_with(&s, None, true);
        let cycle = part(&html, Section::Cycle);
        assert!(cycle.contains("<h2>2. Certification cycle</h2>"), "{cycle}");
        assert!(cycle.contains("<td>Surveillance 1</td>"), "{cycle}");
        for date in ["2027-02-28", "2028-02-28", "2029-02-28", "2030-02-28"] {
            assert!(cycle.contains(date), "no {date} in {cycle}");
        }
        assert!(cycle.contains("recertification audit and its decision come before"));
        assert!(!cycle.contains("not yet decided"));
        assert!(
            cycle.contains(&format!(
                "This report follows report ACME-STAGE2-20270118 revision 1, whose manifest SHA-256 is <code class=\"sha\">{}</code>.",
                t::manifest()
            )),
            "{cycle}"
        );
        // The chain's table: the report, its type, who signed it, the key.
        assert!(cycle.contains("<td>stage 2</td>"), "{cycle}");
        assert!(cycle.contains("by Lee Lead at "), "{cycle}");
        assert!(cycle.contains("<code>ABCD1234</code>"), "{cycle}");
        // A stage 2 without a decision or an earlier report says so.
        let first = part(&render_with(&record(), None, true), Section::Cycle);
        assert!(first.contains("not yet decided"), "{first}");
        assert!(
            first.contains("follows no earlier signed report"),
            "{first}"
        );
    }

    #[test]
    fn carried_findings_show_where_they_come_from_their_state_verdict_and_history() {
        let (s, _) = t::surveillance();
        let html = render_with(&s, None, true);
        let follow = part(&html, Section::FollowUp);
        let nc1 = article(&follow, "NC-001");
        assert!(nc1.contains("report ACME-STAGE2-20270118"), "{nc1}");
        assert!(nc1.contains("Major nonconformity"), "{nc1}");
        assert!(nc1.contains("iso42001-2023:6.1.2"), "{nc1}");
        assert!(nc1.contains("Risk register v3"), "{nc1}");
        assert!(nc1.contains("awaiting response"), "{nc1}");
        assert!(nc1.contains("none given"), "{nc1}");
        assert!(nc1.contains("No follow-up recorded yet."), "{nc1}");

        let nc2 = article(&follow, "NC-002");
        assert!(nc2.contains("<dd class=\"state\">closed</dd>"), "{nc2}");
        assert!(
            nc2.contains("<dd class=\"verdict-here\">verified effective</dd>"),
            "{nc2}"
        );
        // Its history: the response from the stage 2, then this audit's steps.
        let rows: Vec<&str> = nc2.lines().filter(|l| l.starts_with("<tr><td")).collect();
        assert_eq!(rows.len(), 4, "{nc2}");
        for (row, step) in rows.iter().zip([
            "response received",
            "plan accepted",
            "implemented",
            "verification: verified effective",
        ]) {
            assert!(row.contains(&format!("<td>{step}</td>")), "{row}");
            assert!(row.contains("<td>Lee Lead</td>"), "{row}");
        }
        // The response was recorded at the stage 2; the rest here.
        assert!(
            rows[0].contains("<td>report ACME-STAGE2-20270118</td>"),
            "{}",
            rows[0]
        );
        for row in &rows[1..] {
            assert!(row.contains("<td>this audit</td>"), "{row}");
        }
        for field in [
            "Register owner named",
            "No one owned the risk register",
            "Register reviewed monthly by the owner",
            "Head of Risk",
            "2027-06-30",
            "plan is sound",
            "owner named in the policy",
            "Policy v2 names the owner; two monthly reviews seen",
            "evidence/followup/policy v2.pdf",
        ] {
            assert!(nc2.contains(field), "no {field:?} in {nc2}");
        }
        assert!(
            nc2.contains(&format!("SHA-256 {}", "7a".repeat(32))),
            "{nc2}"
        );

        let obs = article(&follow, "OBS-001");
        assert!(obs.contains("carried from the previous report"), "{obs}");
        assert!(!obs.contains("State now"), "{obs}");
        assert!(
            !follow.contains("id=\"NC-003\""),
            "closed at stage 2: not carried"
        );
        // The file the auditee showed is in the evidence index too.
        assert!(part(&html, Section::Evidence).contains("followup/policy v2.pdf"));
    }

    #[test]
    fn a_hostile_statement_in_a_carried_finding_is_escaped() {
        let (s, _) = t::surveillance();
        for html in [
            render_with(&s, None, true),
            render_with(&s.auditee_copy(), None, true),
        ] {
            assert!(!html.contains(CARRIED), "raw markup on the page");
            assert!(!html.to_ascii_lowercase().contains("<script"));
            assert!(
                html.contains(
                    "&lt;script&gt;alert('carried')&lt;/script&gt; &amp; &quot;more&quot;"
                ),
                "the statement is not shown escaped"
            );
        }
    }

    #[test]
    fn the_sample_is_listed_and_the_rest_is_not_audited_not_inapplicable() {
        let (s, _) = t::surveillance();
        let html = render_with(&s, None, true);
        let sample = part(&html, Section::Sample);
        assert!(
            sample.contains("were not audited this visit, which is not &quot;not applicable&quot;"),
            "{sample}"
        );
        let row = |id: &str| {
            sample
                .lines()
                .find(|l| l.contains(&format!(">iso42001-2023:{id}<")))
                .unwrap_or_else(|| panic!("{id} not in the sample: {sample}"))
                .to_string()
        };
        assert!(row("9.2.1").contains("in every visit"));
        assert!(row("10.2").contains("in every visit"));
        assert!(row("6.1.2").contains("<td>sampled</td>"));
        assert!(!sample.contains(">iso42001-2023:7.5.1<"), "not sampled");

        let results = part(&html, Section::Results);
        let result = |id: &str| {
            results
                .lines()
                .find(|l| l.starts_with(&format!("<tr><td class=\"ref\">{id}</td>")))
                .unwrap_or_else(|| panic!("no row {id}"))
                .to_string()
        };
        assert!(result("7.5.1").contains("not audited this visit"));
        assert!(result("6.1.2").contains("not assessed"));
        assert!(result("9.2.1").contains("not assessed"));

        let soa = part(&html, Section::Soa);
        assert!(soa.contains("not audited this visit"));
        assert!(
            !soa.contains("not applicable"),
            "an unsampled control is not N/A"
        );
        assert!(!soa.contains("class=\"excluded\""));
        // The summary says the open count is of the visit, and why the rest is open.
        let summary = part(&html, Section::Summary);
        let catalog = s.catalog().unwrap();
        let in_visit = catalog
            .requirements()
            .filter(|(r, _, _)| s.in_visit(&catalog, r))
            .count();
        let outside = catalog.len() - in_visit;
        assert!(summary.contains("<th class=\"num\">Not audited this visit</th>"));
        assert!(
            summary.contains(&format!(
                "<td class=\"num\">{in_visit}</td><td class=\"num\">{outside}</td></tr>"
            )),
            "{summary}"
        );
        assert!(
            summary.contains(&format!(
                "{outside} requirement(s) were not audited this visit"
            )),
            "{summary}"
        );
        assert!(
            summary.contains(&format!(
                "Not yet determined: {in_visit} requirement(s) not yet assessed"
            )),
            "{summary}"
        );

        // A stage 2 covers everything: no such words.
        let stage2 = render_with(&record(), None, true);
        assert!(!stage2.to_lowercase().contains("not audited this visit"));
        assert!(part(&stage2, Section::Sample).contains("does not sample"));
    }

    #[test]
    fn this_audits_nc_with_follow_up_shows_its_state_and_a_raised_again_one_says_from_what() {
        let (mut s, who) = t::surveillance();
        let nc = s
            .add_finding(
                &who,
                Grade::Minor,
                vec![t::req("6.1.2")],
                "new".into(),
                None,
            )
            .unwrap();
        s.respond(&who, &nc.to_string(), t::response("2028-06-01"))
            .unwrap();
        let again = s
            .raise_again(
                &who,
                "NC-001",
                Grade::Major,
                vec![t::req("6.1.2")],
                "still".into(),
                None,
            )
            .unwrap();
        let html = render_with(&s, None, true);
        let ncs = part(&html, Section::Nonconformities);
        let new = article(&ncs, &nc.to_string());
        assert!(new.contains("State now: plan to review"), "{new}");
        assert!(new.contains("<td>response received</td>"), "{new}");
        let again = article(&ncs, &again.to_string());
        assert!(again.contains("raised again from NC-001"), "{again}");
        assert!(!again.contains("State now"), "no step on it yet: {again}");
        let follow = part(&html, Section::FollowUp);
        assert!(article(&follow, "NC-001").contains("raised again as NC-"));
    }

    #[test]
    fn stage1_areas_of_concern_have_their_own_group() {
        let who = Change::now("Jane Roe");
        let mut r = AuditRecord::new(
            Meta::new("Acme", AuditType::Stage1),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        let html = render_with(&r, None, true);
        assert!(!html.contains("Areas of concern"));
        r.add_finding(
            &who,
            Grade::AreaOfConcern,
            vec![req("6.1.2")],
            "Risk method unclear".into(),
            None,
        )
        .unwrap();
        let html = render_with(&r, None, true);
        let ncs = part(&html, Section::Nonconformities);
        assert!(ncs.contains("No nonconformities were raised."), "{ncs}");
        let group = &ncs[ncs
            .find("<h3 class=\"group-heading\" id=\"areas-of-concern\">Areas of concern</h3>")
            .expect("no group")..];
        let aoc = article(group, "AOC-001");
        assert!(aoc.contains("Area of concern"), "{aoc}");
        assert!(aoc.contains("Risk method unclear"), "{aoc}");
    }
}
