//! Records written by earlier fieldaudit releases (formats 1 to 3, kept in
//! tests/fixtures/records/) still open: the team upgrades to members with
//! roles, nothing else is lost, and the next save writes the current format.

use std::path::{Path, PathBuf};

use fieldaudit::audit::store::{self, StoreError};
use fieldaudit::audit::{FORMAT_VERSION, Grade, Member, Role, Verdict};
use fieldaudit::checklist::ReqRef;

fn fixture(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/records/v{version}.ron"))
}

fn req(id: &str) -> ReqRef {
    ReqRef::new("iso42001-2023", id)
}

#[test]
fn every_earlier_format_loads_with_its_team_and_saves_as_the_current_one() {
    assert_eq!(FORMAT_VERSION, 7);
    for version in 1..=7 {
        let original = std::fs::read_to_string(fixture(version)).unwrap();
        assert!(
            original.contains(&format!("format_version: {version},")),
            "v{version}.ron says its version"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        std::fs::write(&path, &original).unwrap();

        let record = store::load(&path).unwrap_or_else(|e| panic!("v{version}: {e}"));
        let m = &record.meta;
        assert_eq!(m.client, "Acme AI Ltd", "v{version}");
        assert_eq!(m.lead_auditor(), Some("Jane Roe"), "v{version}");
        let mut team = vec![
            Member::new("Jane Roe", Role::LeadAuditor),
            Member::new("Sam O'Neil", Role::Auditor),
            Member::new("Zoë Müller", Role::Auditor),
        ];
        if version >= 4 {
            team[2].role = Role::TechnicalExpert;
            team.push(Member::new("Roe, Jim", Role::Observer));
        }
        assert_eq!(m.team, team, "v{version}");
        assert_eq!(m.auditee_reps, ["Pat Doe"], "v{version}");
        assert_eq!(m.accreditation.as_deref(), Some("UKAS 0000"), "v{version}");
        assert_eq!(record.verdict(&req("6.1.2")), Verdict::Nonconforming);
        let a = record.assessment(&req("A.10.4")).unwrap();
        assert_eq!(a.verdict, Verdict::NotApplicable);
        assert!(a.justification.is_some(), "v{version}");
        let notes = &record.assessment(&req("5.2")).unwrap().notes;
        assert_eq!(notes[0].interviewee.as_deref(), Some("Pat Doe"));
        // An edit the trail records is stamped on the note and the finding.
        let edited = |e: &Option<fieldaudit::audit::Edited>| e.as_ref().map(|e| e.by.clone());
        if version < 4 {
            assert_eq!(edited(&notes[0].edited).as_deref(), Some("Sam O'Neil"));
            assert_eq!(
                edited(&record.findings[0].edited).as_deref(),
                Some("Jane Roe")
            );
        }
        assert_eq!(record.findings.len(), 1);
        assert_eq!(record.findings[0].grade, Grade::Minor);
        assert_eq!(record.counters.note, 2);
        assert!(record.trail.len() >= 15, "v{version}");
        let links = record.assessment(&req("5.2")).unwrap().evidence.len()
            + record.findings[0].evidence.len();
        assert_eq!(links, if version >= 2 { 2 } else { 0 }, "v{version}");
        assert_eq!(record.sign_off.is_some(), version >= 3, "v{version}");

        // The next save writes the current format; it reads back the same.
        store::update(&path, |_| Ok::<_, StoreError>(())).unwrap();
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(saved.contains("format_version: 7,"), "v{version}: {saved}");
        assert!(
            !saved.contains("\n        lead_auditor: "),
            "v{version}: {saved}"
        );
        assert!(
            !saved.contains("\n        auditors: "),
            "v{version}: {saved}"
        );
        assert_eq!(store::load(&path).unwrap(), record, "v{version}");
        // What a report states besides its findings came with format 5.
        let facts = &record.meta.report;
        assert_eq!(facts.missing().is_empty(), version >= 5, "v{version}");
        // The certification cycle came with format 6: a stage 1 area of
        // concern carried into this stage 2 and resolved here.
        let aoc: fieldaudit::audit::FindingId = "AOC-001".parse().unwrap();
        assert_eq!(record.previous_findings.len(), usize::from(version >= 6));
        if version >= 6 {
            let life = record.lifecycle(aoc);
            assert_eq!(life.state, fieldaudit::audit::lifecycle::State::Closed);
            assert_eq!(
                life.steps.len(),
                2,
                "the stage 1 response, then resolved here"
            );
            assert_eq!(record.previous_report().unwrap().revision, 1);
            assert_eq!(
                record.cycle_dates().unwrap().surveillance1_due.to_string(),
                "2027-12-20"
            );
            assert!(record.awaiting_verdict().is_empty());
            assert!(record.meta.report.stage1_ncs);
        }
        // Format 7: every note and finding has a uid; an older record gets
        // one derived from its creation time and the old id, the same on
        // every laptop (loading it twice gives the same).
        assert!(record.findings.iter().all(|f| !f.uid.is_empty()));
        let again = store::load(&path).unwrap();
        assert_eq!(again.findings[0].uid, record.findings[0].uid, "v{version}");
        if version < 7 {
            let twice = {
                let other = dir.path().join("b.ron");
                std::fs::write(&other, &original).unwrap();
                store::load(&other).unwrap()
            };
            assert_eq!(twice.findings[0].uid, record.findings[0].uid, "v{version}");
        }
        if version >= 7 {
            assert_eq!(record.frozen.nc, 1);
            assert_eq!(record.conflicts.len(), 1);
            assert_eq!(record.plan.sessions.len(), 1);
            assert_eq!(record.plan.assigned.len(), 1);
        }
        if version == 7 {
            assert_eq!(saved, original, "v7.ron is as fieldaudit writes it");
        } else {
            assert_eq!(
                std::fs::read_to_string(store::backup_path(&path)).unwrap(),
                original,
                "v{version}: the old version is kept as the .bak"
            );
        }
    }
}

#[test]
fn an_old_record_with_a_mistake_is_refused_at_the_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ron");
    let original = std::fs::read_to_string(fixture(3)).unwrap();

    // A field unknown to format 3, where it is.
    let text = original.replace(
        "        auditee_reps: [",
        "        colour: \"red\",\n        auditee_reps: [",
    );
    std::fs::write(&path, &text).unwrap();
    let err = store::load(&path).unwrap_err().to_string();
    let line = text.lines().position(|l| l.contains("colour")).unwrap() + 1;
    assert!(
        err.starts_with(&format!("{}:{line}:9: ", path.display())),
        "{err}"
    );
    assert!(err.contains("colour"), "{err}");

    // A syntax error past the team (so no version can be read): the
    // refusal is the syntax error, not the team's old field names.
    let text = original.replace("verdict: Nonconforming,", "verdict: Nonconforming,,");
    std::fs::write(&path, &text).unwrap();
    let err = store::load(&path).unwrap_err().to_string();
    let line = text.lines().position(|l| l.contains(",,")).unwrap() + 1;
    assert!(
        err.starts_with(&format!("{}:{line}:", path.display())),
        "{err}"
    );
    assert!(!err.contains("lead_auditor"), "{err}");
}

#[test]
fn a_record_with_two_lead_auditors_or_a_person_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ron");
    let original = std::fs::read_to_string(fixture(4)).unwrap();
    let text = original.replace("role: technical_expert", "role: lead_auditor");
    assert_ne!(text, original);
    std::fs::write(&path, &text).unwrap();
    let err = store::load(&path).unwrap_err().to_string();
    assert!(
        err.contains("Jane Roe and Zoë Müller are both lead auditor"),
        "{err}"
    );
    assert!(err.starts_with(&format!("{}:", path.display())), "{err}");

    let text = original.replace("\"Roe, Jim\"", "\"sam o'neil\"");
    std::fs::write(&path, &text).unwrap();
    let err = store::load(&path).unwrap_err().to_string();
    assert!(
        err.contains("sam o'neil is on the audit team twice"),
        "{err}"
    );
}

#[test]
fn a_carried_finding_and_one_of_this_audit_never_share_an_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ron");
    let original = std::fs::read_to_string(fixture(6)).unwrap();
    // This audit's NC-001 and a carried NC-001: a bare id would be ambiguous.
    let text = original.replace("id: \"AOC-001\"", "id: \"NC-001\"");
    assert_ne!(text, original);
    std::fs::write(&path, &text).unwrap();
    let err = store::load(&path).unwrap_err().to_string();
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("id: \"NC-001\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert!(
        err.starts_with(&format!("{}:{line}:", path.display())),
        "{err}"
    );
    assert!(err.contains("finding id NC-001 is used twice"), "{err}");
    // An unknown step is refused where it is, as any unknown field.
    let text = original.replace("kind: Verified(", "kind: Waived(");
    std::fs::write(&path, &text).unwrap();
    let err = store::load(&path).unwrap_err().to_string();
    assert!(err.contains("Waived"), "{err}");
}
