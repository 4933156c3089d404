//! `findings.csv`: one row per finding, for the certification body's and the
//! auditee's spreadsheets (RFC 4180, written by the `csv` crate), with a row
//! for each NC or area of concern carried from the previous report and
//! still open. The last five columns hold the latest response recorded, or
//! are left empty: the certification body can send the file to the auditee
//! as the form for answering the nonconformities.

use chrono::NaiveDate;

use crate::audit::lifecycle::Response;
use crate::audit::{AuditRecord, EvidenceLink, Family, Finding};
use crate::checklist::Catalog;

/// The header row, in column order. A contract: the certification cycle
/// reads these columns back by name.
pub const HEADER: [&str; 17] = [
    "report_no",
    "client",
    "id",
    "grade",
    "requirements",
    "requirement_titles",
    "statement",
    "objective_evidence",
    "evidence_files",
    "raised_by",
    "raised_at",
    "response_due",
    "correction",
    "root_cause",
    "corrective_action",
    "action_owner",
    "planned_date",
];

/// The columns the auditee fills in, at the end of the header.
pub const AUDITEE_COLUMNS: usize = 5;

/// What joins several requirements or evidence files in one cell.
pub const SEPARATOR: &str = "; ";

/// The byte order mark that starts the file.
///
/// Spreadsheet programs (Excel above all) read a CSV file without a BOM in
/// the machine's legacy code page, which garbles non-ASCII text such as
/// "é" or "—" in statements and names. A leading UTF-8 BOM makes them read
/// it as UTF-8; tools that parse CSV properly skip it or treat it as
/// whitespace of the first header name.
pub const BOM: &str = "\u{FEFF}";

/// Why the findings could not be written as CSV.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("cannot write findings as CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("cannot finish the findings CSV: {0}")]
    Io(#[from] std::io::Error),
    #[error("the findings CSV is not valid UTF-8: {0}")]
    Utf8(#[from] std::string::FromUtf8Error),
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return first) gets a leading `'`, so that a statement or
/// a bundle file name from the auditee cannot run in the certification
/// body's spreadsheet. [`restored`] takes it off again when the file is
/// read back.
pub fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A cell as it was before [`defused`].
pub fn restored(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// `path (sha256)` for one cited file.
fn evidence_cell(links: &[EvidenceLink]) -> String {
    links
        .iter()
        .map(|l| format!("{} ({})", l.path, l.sha256))
        .collect::<Vec<_>>()
        .join(SEPARATOR)
}

/// Every finding of the record, and the NCs and areas of concern carried
/// from the previous report that are still open (so that the auditee can
/// answer them on the same form), in id order, as CSV text starting with a
/// UTF-8 BOM (see [`BOM`]). `catalog` gives the requirements' titles. The
/// auditee's columns hold the latest response recorded, if any. Cells a
/// spreadsheet would read as a formula are [`defused`].
pub fn findings_csv(record: &AuditRecord, catalog: &Catalog) -> Result<String, CsvError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    writer.write_record(HEADER)?;
    for row in findings_rows(record, catalog) {
        let row: Vec<String> = row.iter().map(|cell| defused(cell).into_owned()).collect();
        writer.write_record(&row)?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes)?)
}

/// The rows of [`findings_csv`] below its [`HEADER`], one per finding in id
/// order, each with [`HEADER`]`.len()` cells, as the record holds them (not
/// [`defused`]: a writer that can mark a cell as text, such as the xlsx
/// export, needs no guard).
pub fn findings_rows(record: &AuditRecord, catalog: &Catalog) -> Vec<Vec<String>> {
    let lives = record.lifecycles();
    // A carried finding's response date was fixed by the report that raised it.
    let mut findings: Vec<(&Finding, Option<NaiveDate>)> = record
        .previous_findings
        .iter()
        .filter(|c| matches!(c.finding.id.family, Family::Nc | Family::Aoc))
        .filter(|c| lives.get(&c.finding.id).is_none_or(|l| l.state.is_open()))
        .map(|c| (&c.finding, c.finding.response_due))
        .chain(
            record
                .findings
                .iter()
                .map(|f| (f, f.response_due(&record.meta))),
        )
        .collect();
    findings.sort_by_key(|(f, _)| f.id);
    let report_no = record.report_no();
    let mut rows = Vec::with_capacity(findings.len());
    for (f, response_due) in findings {
        let joined = |cells: Vec<String>| cells.join(SEPARATOR);
        let requirements = joined(f.requirements.iter().map(ToString::to_string).collect());
        let titles = joined(
            f.requirements
                .iter()
                .map(|r| {
                    catalog
                        .get(r)
                        .map_or(String::new(), |(_, q)| q.title.clone())
                })
                .collect(),
        );
        let response = lives.get(&f.id).and_then(|l| l.response.as_ref());
        let [correction, root_cause, corrective_action, owner, planned] = response_cells(response);
        let row: [String; HEADER.len()] = [
            report_no.clone(),
            record.meta.client.clone(),
            f.id.to_string(),
            f.grade.as_str().to_string(),
            requirements,
            titles,
            f.statement.clone(),
            f.objective_evidence.clone().unwrap_or_default(),
            evidence_cell(&f.evidence),
            f.raised_by.clone(),
            f.raised_at.to_rfc3339(),
            response_due.map_or(String::new(), |d| d.to_string()),
            correction,
            root_cause,
            corrective_action,
            owner,
            planned,
        ];
        rows.push(row.to_vec());
    }
    rows
}

/// The auditee's columns: the latest response recorded, or empty.
fn response_cells(response: Option<&Response>) -> [String; AUDITEE_COLUMNS] {
    match response {
        None => Default::default(),
        Some(r) => [
            r.correction.clone(),
            r.root_cause.clone(),
            r.corrective_action.clone(),
            r.owner.clone().unwrap_or_default(),
            r.planned_date.to_string(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Change, Criterion, Grade, LinkTarget, Meta};
    use crate::checklist::ReqRef;

    fn record() -> AuditRecord {
        let who = Change::now("Jane Roe");
        AuditRecord::new(
            Meta::new("Acme AI Ltd", crate::audit::AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        )
    }

    fn req(id: &str) -> ReqRef {
        ReqRef::new("iso42001-2023", id)
    }

    #[test]
    fn findings_parse_back_to_the_same_values() {
        let mut record = record();
        let who = Change::now("Zoë Müller");
        let tricky = "Risk criteria \"defined\", but not applied; see:\nregister v2 — \
                      révision é, 100% of cases"
            .to_string();
        let obs = record
            .add_finding(
                &who,
                Grade::Observation,
                vec![req("9.2")],
                "Audit programme thin".into(),
                None,
            )
            .unwrap();
        let nc = record
            .add_finding(
                &who,
                Grade::Major,
                vec![req("6.1.2"), req("A.5.2")],
                tricky.clone(),
                Some("Interview with the CTO, 2 Nov, \"risk register.xlsx\"".into()),
            )
            .unwrap();
        record
            .link_evidence(
                &who,
                &LinkTarget::Finding(nc),
                "risk/register, v2.xlsx".into(),
                "ab".repeat(32),
                1234,
            )
            .unwrap();
        record
            .link_evidence(
                &who,
                &LinkTarget::Finding(nc),
                "policy.pdf".into(),
                "cd".repeat(32),
                9,
            )
            .unwrap();

        record.meta.start = "2026-11-24".parse().ok();
        record.meta.end = "2026-11-25".parse().ok();
        let catalog = record.catalog().unwrap();
        let text = findings_csv(&record, &catalog).unwrap();
        assert!(text.starts_with(BOM));
        let body = text.strip_prefix(BOM).unwrap();
        let mut reader = ::csv::Reader::from_reader(body.as_bytes());
        assert_eq!(reader.headers().unwrap(), HEADER.as_slice());
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);

        let cell = |row: &::csv::StringRecord, name: &str| {
            let i = HEADER.iter().position(|h| *h == name).unwrap();
            row[i].to_string()
        };
        let title = |id: &str| catalog.get(&req(id)).unwrap().1.title.clone();

        let first = &rows[0];
        assert_eq!(cell(first, "report_no"), "ACME-AI-LTD-STAGE2-20261124");
        assert_eq!(cell(first, "client"), "Acme AI Ltd");
        assert_eq!(cell(first, "id"), nc.to_string());
        assert_eq!(cell(first, "grade"), "major");
        assert_eq!(
            cell(first, "requirements"),
            "iso42001-2023:6.1.2; iso42001-2023:A.5.2"
        );
        assert_eq!(
            cell(first, "requirement_titles"),
            format!("{}; {}", title("6.1.2"), title("A.5.2"))
        );
        assert_eq!(cell(first, "statement"), tricky);
        assert_eq!(
            cell(first, "objective_evidence"),
            "Interview with the CTO, 2 Nov, \"risk register.xlsx\""
        );
        assert_eq!(
            cell(first, "evidence_files"),
            format!(
                "policy.pdf ({}); risk/register, v2.xlsx ({})",
                "cd".repeat(32),
                "ab".repeat(32)
            )
        );
        assert_eq!(cell(first, "raised_by"), "Zoë Müller");
        assert_eq!(cell(first, "raised_at"), who.at.to_rfc3339());
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(&cell(first, "raised_at")).unwrap(),
            record.findings[0].raised_at
        );
        // A major NC: the audit's end plus 30 days.
        assert_eq!(cell(first, "response_due"), "2026-12-25");
        for auditee in &HEADER[HEADER.len() - AUDITEE_COLUMNS..] {
            assert_eq!(cell(first, auditee), "", "{auditee} is for the auditee");
        }

        let second = &rows[1];
        assert_eq!(cell(second, "id"), obs.to_string());
        assert_eq!(cell(second, "grade"), "observation");
        assert_eq!(cell(second, "objective_evidence"), "");
        assert_eq!(cell(second, "evidence_files"), "");
        assert_eq!(cell(second, "response_due"), "", "not an NC");
        assert_eq!(second.len(), HEADER.len());
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_kept_as_text_and_restored_on_reading() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("plain", "plain"),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(defused(cell), written);
            assert_eq!(restored(&defused(cell)), cell);
        }
        let mut r = record();
        let who = Change::now("Jane Roe");
        let req = req("6.1.2");
        r.add_finding(
            &who,
            Grade::Observation,
            vec![req],
            "=cmd|' /C calc'!A0".into(),
            None,
        )
        .unwrap();
        let catalog = r.catalog().unwrap();
        let text = findings_csv(&r, &catalog).unwrap();
        assert!(text.contains("'=cmd|"), "{text}");
        assert!(!text.contains(",=cmd"), "{text}");
    }

    #[test]
    fn no_findings_gives_the_header_alone() {
        let record = record();
        let text = findings_csv(&record, &record.catalog().unwrap()).unwrap();
        assert_eq!(
            text,
            format!(
                "{BOM}report_no,client,id,grade,requirements,requirement_titles,statement,\
                 objective_evidence,evidence_files,raised_by,raised_at,response_due,\
                 correction,root_cause,corrective_action,action_owner,planned_date\r\n"
            )
        );
    }

    #[test]
    fn carried_open_ncs_get_rows_and_responses_fill_the_auditees_columns() {
        use crate::report::cycle_testing as t;
        let (mut s, who) = t::surveillance();
        let mut answer = t::response("2028-03-31");
        answer.correction = "=HYPERLINK(\"http://x\")".into();
        answer.owner = None;
        s.respond(&who, "NC-001", answer).unwrap();
        let nc = s
            .add_finding(&who, Grade::Minor, vec![req("6.1.2")], "new".into(), None)
            .unwrap();
        let catalog = s.catalog().unwrap();
        let text = findings_csv(&s, &catalog).unwrap();
        let body = text.strip_prefix(BOM).unwrap();
        let mut reader = ::csv::Reader::from_reader(body.as_bytes());
        assert_eq!(reader.headers().unwrap(), HEADER.as_slice());
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let cell = |row: &::csv::StringRecord, name: &str| {
            let i = HEADER.iter().position(|h| *h == name).unwrap();
            row[i].to_string()
        };
        let ids: Vec<String> = rows.iter().map(|r| cell(r, "id")).collect();
        // NC-002 was verified effective here and OBS-001 needs no answer.
        assert_eq!(ids, ["NC-001", nc.to_string().as_str()], "{text}");
        let carried = &rows[0];
        assert_eq!(carried.len(), HEADER.len());
        assert_eq!(cell(carried, "report_no"), s.report_no());
        assert_eq!(cell(carried, "grade"), "major");
        assert!(cell(carried, "statement").contains(t::HOSTILE));
        assert_eq!(
            cell(carried, "response_due"),
            "2027-02-19",
            "the date the stage 2 set"
        );
        assert_eq!(
            cell(carried, "correction"),
            "'=HYPERLINK(\"http://x\")",
            "defused as every cell"
        );
        assert_eq!(
            restored(&cell(carried, "correction")),
            "=HYPERLINK(\"http://x\")"
        );
        assert_eq!(
            cell(carried, "root_cause"),
            "No one owned the risk register"
        );
        assert_eq!(
            cell(carried, "corrective_action"),
            "Register reviewed monthly by the owner"
        );
        assert_eq!(cell(carried, "action_owner"), "");
        assert_eq!(cell(carried, "planned_date"), "2028-03-31");
        let new = &rows[1];
        for auditee in &HEADER[HEADER.len() - AUDITEE_COLUMNS..] {
            assert_eq!(cell(new, auditee), "", "no response to {nc} yet");
        }
        s.respond(&who, &nc.to_string(), t::response("2028-04-30"))
            .unwrap();
        let text = findings_csv(&s, &catalog).unwrap();
        assert!(text.contains(",Head of Risk,2028-04-30\r\n"), "{text}");
    }
}
