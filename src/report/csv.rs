//! `findings.csv`: one row per finding, for the certification body's and the
//! auditee's spreadsheets (RFC 4180, written by the `csv` crate).

use crate::audit::{AuditRecord, EvidenceLink};

/// The header row, in column order.
pub const HEADER: [&str; 8] = [
    "id",
    "grade",
    "requirements",
    "statement",
    "objective_evidence",
    "evidence_files",
    "raised_by",
    "raised_at",
];

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

/// `path (sha256)` for one cited file.
fn evidence_cell(links: &[EvidenceLink]) -> String {
    links
        .iter()
        .map(|l| format!("{} ({})", l.path, l.sha256))
        .collect::<Vec<_>>()
        .join(SEPARATOR)
}

/// Every finding of the record, in id order, as CSV text starting with a
/// UTF-8 BOM (see [`BOM`]).
pub fn findings_csv(record: &AuditRecord) -> Result<String, CsvError> {
    let mut findings: Vec<_> = record.findings.iter().collect();
    findings.sort_by_key(|f| f.id);
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    writer.write_record(HEADER)?;
    for f in findings {
        let requirements = f
            .requirements
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(SEPARATOR);
        writer.write_record([
            f.id.to_string().as_str(),
            f.grade.as_str(),
            &requirements,
            &f.statement,
            f.objective_evidence.as_deref().unwrap_or_default(),
            &evidence_cell(&f.evidence),
            &f.raised_by,
            &f.raised_at.to_rfc3339(),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes)?)
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

        let text = findings_csv(&record).unwrap();
        assert!(text.starts_with(BOM));
        let body = text.strip_prefix(BOM).unwrap();
        let mut reader = ::csv::Reader::from_reader(body.as_bytes());
        assert_eq!(reader.headers().unwrap(), HEADER.as_slice());
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);

        let first = &rows[0];
        assert_eq!(&first[0], nc.to_string());
        assert_eq!(&first[1], "major");
        assert_eq!(&first[2], "iso42001-2023:6.1.2; iso42001-2023:A.5.2");
        assert_eq!(&first[3], tricky);
        assert_eq!(
            &first[4],
            "Interview with the CTO, 2 Nov, \"risk register.xlsx\""
        );
        assert_eq!(
            &first[5],
            format!(
                "policy.pdf ({}); risk/register, v2.xlsx ({})",
                "cd".repeat(32),
                "ab".repeat(32)
            )
        );
        assert_eq!(&first[6], "Zoë Müller");
        assert_eq!(&first[7], who.at.to_rfc3339());
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(&first[7]).unwrap(),
            record.findings[0].raised_at
        );

        let second = &rows[1];
        assert_eq!(&second[0], obs.to_string());
        assert_eq!(&second[1], "observation");
        assert_eq!(&second[4], "");
        assert_eq!(&second[5], "");
    }

    #[test]
    fn no_findings_gives_the_header_alone() {
        let text = findings_csv(&record()).unwrap();
        assert_eq!(
            text,
            format!(
                "{BOM}id,grade,requirements,statement,objective_evidence,evidence_files,raised_by,raised_at\r\n"
            )
        );
    }
}
