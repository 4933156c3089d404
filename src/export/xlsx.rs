//! `export --xlsx`: the audit's results as a spreadsheet workbook for the
//! certification body and the auditee — one sheet per requirement's result,
//! one with the `findings.csv` columns, and the Statement of Applicability.
//! Each sheet has a bold header row, panes frozen below it, a filter over
//! the rows, and wrapped text. Every cell is written as text (never a
//! formula, whatever it starts with); times are ISO 8601 text.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::audit::{AuditRecord, Implementation, Note, Verdict};
use crate::checklist::{Catalog, Kind, ReqRef};
use crate::report::csv as findings_csv;

/// The sheets' names, in workbook order.
pub const RESULTS: &str = "Results";
pub const FINDINGS: &str = "Findings";
pub const SOA: &str = "Statement of Applicability";

/// The most a spreadsheet cell holds (UTF-16 code units); longer text is
/// cut, and says so.
const MAX_CELL: usize = 32_767;

/// What could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "{0}: already exists; fieldaudit never overwrites an export: give another -o or move the old one away"
    )]
    Exists(PathBuf),
    #[error("{path}: cannot write the workbook: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot build the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// One sheet's content: a header row, the data rows below it, and how it is
/// laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Column widths, in characters, one per header cell.
    pub widths: Vec<f64>,
    /// How many columns stay in view when scrolling sideways.
    pub frozen_columns: u16,
}

/// The three sheets of the workbook, in order.
pub fn sheets(record: &AuditRecord, catalog: &Catalog) -> Vec<Sheet> {
    vec![
        results(record, catalog),
        findings(record, catalog),
        soa(record, catalog),
    ]
}

fn owned(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_string()).collect()
}

/// Per requirement, in checklist order across the audit criteria.
fn results(record: &AuditRecord, catalog: &Catalog) -> Sheet {
    let mut rows = Vec::new();
    for checklist in catalog.checklists() {
        for section in &checklist.sections {
            for req in &section.requirements {
                let a = record.assessment(&ReqRef::new(&checklist.id, &req.id));
                let verdict = a.map(|a| a.verdict).unwrap_or_default();
                let notes = a.map_or(String::new(), |a| {
                    a.notes.iter().map(note_line).collect::<Vec<_>>().join("\n")
                });
                let evidence = a.map_or(String::new(), |a| {
                    let files = a
                        .evidence
                        .iter()
                        .map(|l| format!("{} ({})", l.path, l.sha256));
                    files.collect::<Vec<_>>().join("\n")
                });
                rows.push(vec![
                    checklist.id.clone(),
                    req.id.clone(),
                    req.title.clone(),
                    section.kind.as_str().to_string(),
                    verdict.words().to_string(),
                    a.and_then(|a| a.justification.clone()).unwrap_or_default(),
                    notes,
                    evidence,
                ]);
            }
        }
    }
    Sheet {
        name: RESULTS,
        header: owned(&[
            "checklist",
            "id",
            "title",
            "kind",
            "verdict",
            "justification",
            "notes",
            "evidence",
        ]),
        rows,
        widths: vec![16.0, 10.0, 40.0, 9.0, 15.0, 45.0, 70.0, 60.0],
        frozen_columns: 2,
    }
}

/// One note: `2026-11-24 10:05 — Jane Roe — CTO: text`, marked when internal.
fn note_line(note: &Note) -> String {
    let mut line = note.at.format("%Y-%m-%d %H:%M").to_string();
    line.push_str(" — ");
    line.push_str(&note.by);
    if let Some(who) = &note.interviewee {
        line.push_str(" — ");
        line.push_str(who);
    }
    line.push_str(": ");
    if note.internal {
        line.push_str("[internal] ");
    }
    line.push_str(&note.text);
    line
}

/// The `findings.csv` columns and rows, carried findings included.
fn findings(record: &AuditRecord, catalog: &Catalog) -> Sheet {
    let header = owned(&findings_csv::HEADER);
    let widths = header
        .iter()
        .map(|h| match h.as_str() {
            "statement" | "objective_evidence" | "corrective_action" | "root_cause" => 50.0,
            "requirement_titles" | "evidence_files" | "correction" => 40.0,
            "raised_at" | "report_no" | "client" => 26.0,
            _ => 14.0,
        })
        .collect();
    Sheet {
        name: FINDINGS,
        header,
        rows: findings_csv::findings_rows(record, catalog),
        widths,
        frozen_columns: 3,
    }
}

/// Per Annex A control (a requirement in a control section), what the
/// report's Statement of Applicability shows.
fn soa(record: &AuditRecord, catalog: &Catalog) -> Sheet {
    let mut rows = Vec::new();
    for checklist in catalog.checklists() {
        let controls = checklist
            .sections
            .iter()
            .filter(|s| s.kind == Kind::Control);
        for req in controls.flat_map(|s| &s.requirements) {
            let a = record.assessment(&ReqRef::new(&checklist.id, &req.id));
            let verdict = a.map(|a| a.verdict).unwrap_or_default();
            let applicable = match verdict {
                Verdict::NotApplicable => "no",
                Verdict::NotAssessed => "not assessed",
                Verdict::Conforming | Verdict::Nonconforming => "yes",
            };
            let declared = a
                .and_then(|a| a.implementation)
                .map_or("not declared".to_string(), declared_words);
            rows.push(vec![
                checklist.id.clone(),
                req.id.clone(),
                req.title.clone(),
                applicable.to_string(),
                a.and_then(|a| a.justification.clone()).unwrap_or_default(),
                declared,
                verdict.words().to_string(),
            ]);
        }
    }
    Sheet {
        name: SOA,
        header: owned(&[
            "checklist",
            "control",
            "title",
            "applicable",
            "justification",
            "implementation (as declared)",
            "audit verdict",
        ]),
        rows,
        widths: vec![16.0, 10.0, 45.0, 13.0, 55.0, 20.0, 15.0],
        frozen_columns: 2,
    }
}

/// "partly implemented", as the report's SoA says it.
fn declared_words(i: Implementation) -> String {
    i.as_str().replace('-', " ")
}

/// Text cut to what a cell holds.
fn fitted(text: &str) -> std::borrow::Cow<'_, str> {
    const CUT: &str = " … [cut: too long for a spreadsheet cell]";
    if text.encode_utf16().count() <= MAX_CELL {
        return text.into();
    }
    let room = MAX_CELL - CUT.encode_utf16().count();
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push_str(CUT);
    out.into()
}

/// One sheet laid out: header, rows as text, widths, frozen panes, filter.
fn lay_out(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.set_name(sheet.name)?;
    for (col, (title, width)) in (0u16..).zip(sheet.header.iter().zip(&sheet.widths)) {
        ws.write_string_with_format(0, col, title, &bold)?;
        ws.set_column_width(col, *width)?;
    }
    for (row, cells) in (1u32..).zip(&sheet.rows) {
        for (col, cell) in (0u16..).zip(cells) {
            ws.write_string_with_format(row, col, fitted(cell), &body)?;
        }
    }
    ws.set_freeze_panes(1, sheet.frozen_columns)?;
    let last_row = u32::try_from(sheet.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    let last_col = u16::try_from(sheet.header.len().saturating_sub(1))
        .map_err(|_| XlsxError::RowColumnLimitError)?;
    ws.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(record: &AuditRecord, catalog: &Catalog) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    for sheet in sheets(record, catalog) {
        lay_out(book.add_worksheet(), &sheet)?;
    }
    Ok(book.save_to_buffer()?)
}

/// Write the workbook to `out`, which must not exist: written to a
/// temporary file beside it, then moved into place without replacing
/// anything that appeared meanwhile.
pub fn write(record: &AuditRecord, catalog: &Catalog, out: &Path) -> Result<(), ExportError> {
    if out.symlink_metadata().is_ok() {
        return Err(ExportError::Exists(out.to_path_buf()));
    }
    let bytes = workbook(record, catalog)?;
    let io = |source| ExportError::Io {
        path: out.to_path_buf(),
        source,
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".fieldaudit-export")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    std::io::Write::write_all(&mut tmp, &bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist_noclobber(out).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            ExportError::Exists(out.to_path_buf())
        } else {
            io(e.error)
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn one_sheet(cells: Vec<String>) -> Sheet {
        Sheet {
            name: RESULTS,
            header: owned(&["a", "b"]),
            rows: vec![cells],
            widths: vec![10.0, 10.0],
            frozen_columns: 1,
        }
    }

    /// The cells of the first sheet of a workbook laid out from `sheet`.
    fn read_back(sheet: &Sheet) -> Vec<Vec<Data>> {
        let mut book = Workbook::new();
        lay_out(book.add_worksheet(), sheet).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = xlsx.worksheet_range(RESULTS).unwrap();
        range.rows().map(<[Data]>::to_vec).collect()
    }

    #[test]
    fn text_too_long_for_a_cell_is_cut_and_says_so() {
        let long = "é😀".repeat(20_000);
        let cut = fitted(&long);
        assert!(cut.encode_utf16().count() <= MAX_CELL);
        assert!(cut.ends_with("[cut: too long for a spreadsheet cell]"));
        assert!(cut.starts_with("é😀é😀"));
        assert_eq!(fitted("short"), "short");
        let rows = read_back(&one_sheet(vec![long, "x".into()]));
        assert!(matches!(&rows[1][0], Data::String(s) if s.ends_with("cell]")));
    }

    #[test]
    fn control_characters_and_formulas_come_back_as_the_same_text() {
        let hostile = "bell\u{7} nul\u{0} esc\u{1b}[31m tab\tline\nend".to_string();
        let rows = read_back(&one_sheet(vec![hostile.clone(), "=SUM(A1:A2)".into()]));
        assert_eq!(
            rows[0],
            [Data::String("a".into()), Data::String("b".into())]
        );
        assert_eq!(rows[1][1], Data::String("=SUM(A1:A2)".into()));
        // The XML cannot hold every control character; whatever the writer
        // escapes, the text reads back as text and the workbook opens.
        assert!(
            matches!(&rows[1][0], Data::String(s) if s.starts_with("bell") && s.ends_with("line\nend"))
        );
    }

    #[test]
    fn an_empty_record_gives_header_rows_and_an_empty_filter_range() {
        use crate::audit::{AuditType, Change, Criterion, Meta};
        let who = Change::now("Jane Roe");
        let record = AuditRecord::new(
            Meta::new("Acme AI Ltd", AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        let catalog = record.catalog().unwrap();
        let sheets = sheets(&record, &catalog);
        assert!(sheets[1].rows.is_empty(), "no findings");
        assert!(sheets[0].rows.iter().all(|r| r[4] == "not assessed"));
        assert!(
            sheets[2]
                .rows
                .iter()
                .all(|r| r[3] == "not assessed" && r[5] == "not declared")
        );
        for sheet in &sheets {
            assert_eq!(sheet.header.len(), sheet.widths.len(), "{}", sheet.name);
            assert!(sheet.rows.iter().all(|r| r.len() == sheet.header.len()));
        }
        assert!(workbook(&record, &catalog).is_ok());
    }
}
