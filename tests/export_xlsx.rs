//! `fieldaudit export --xlsx`: the workbook read back with calamine — its
//! sheets, header rows, a requirement's result, the findings as
//! findings.csv has them, the Statement of Applicability, text that looks
//! like a formula, the layout, and an existing output refused.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Sandbox, complete_audit, zip_entries};

/// The complete audit with notes on 6.1.2 (one internal), exported to
/// `results.xlsx`.
fn exported() -> Sandbox {
    let s = Sandbox::new();
    complete_audit(&s);
    s.ok(
        "note a.ron 6.1.2 'No acceptance thresholds in the register' --interviewee 'Head of Risk'",
    );
    s.ok("note a.ron 6.1.2 'Ask the CTO again' --internal");
    s.ok("export a.ron --xlsx -o results.xlsx");
    s
}

/// Every row of a sheet (header first), each cell as the text it holds.
fn sheet(s: &Sandbox, name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook(s.path("results.xlsx")).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(text) => text.clone(),
                    Data::Empty => String::new(),
                    other => panic!("{name}: a cell that is not text: {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn row_of<'a>(rows: &'a [Vec<String>], col: usize, value: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r[col] == value)
        .unwrap_or_else(|| panic!("no row with {value:?} in column {col}: {rows:?}"))
}

#[test]
fn the_workbook_has_the_three_sheets_with_their_header_rows() {
    let s = exported();
    let book: Xlsx<_> = open_workbook(s.path("results.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Results", "Findings", "Statement of Applicability"]
    );
    assert_eq!(
        sheet(&s, "Results")[0],
        [
            "checklist",
            "id",
            "title",
            "kind",
            "verdict",
            "justification",
            "notes",
            "evidence"
        ]
    );
    assert_eq!(sheet(&s, "Findings")[0], fieldaudit::report::csv::HEADER);
    assert_eq!(
        sheet(&s, "Statement of Applicability")[0],
        [
            "checklist",
            "control",
            "title",
            "applicable",
            "justification",
            "implementation (as declared)",
            "audit verdict"
        ]
    );
}

#[test]
fn a_requirement_row_holds_its_verdict_notes_and_evidence() {
    let s = exported();
    let rows = sheet(&s, "Results");
    let risk = row_of(&rows, 1, "6.1.2");
    assert_eq!(risk[0], "iso42001-2023");
    assert_eq!(risk[3], "clause");
    assert_eq!(risk[4], "nonconforming");
    let notes: Vec<&str> = risk[6].split('\n').collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0]
            .contains(" — Lee Auditor — Head of Risk: No acceptance thresholds in the register"),
        "{notes:?}"
    );
    assert!(
        notes[1].ends_with("Lee Auditor: [internal] Ask the CTO again"),
        "{notes:?}"
    );
    let scan = row_of(&rows, 1, "7.5.3");
    assert!(
        scan[7].starts_with("scan.pdf (") && scan[7].len() == "scan.pdf ()".len() + 64,
        "{scan:?}"
    );
    // Checklist order: clauses first, then the controls; every requirement once.
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    let shown = s.json("checklist show iso42001-2023 --json");
    let expected: Vec<&str> = shown["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn the_findings_sheet_holds_the_rows_of_findings_csv() {
    let s = exported();
    s.ok("pack a.ron -o draft.zip --draft");
    let csv = zip_entries(&s.path("draft.zip"))
        .into_iter()
        .find(|(name, _)| name == "findings.csv")
        .expect("findings.csv in the pack")
        .1;
    let text = String::from_utf8(csv).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let from_csv: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(|c| fieldaudit::report::csv::restored(c).to_string())
                .collect()
        })
        .collect();
    let rows = sheet(&s, "Findings");
    assert_eq!(rows[1..], from_csv[..]);
    assert_eq!(rows.len(), 2, "one finding: {rows:?}");
    assert_eq!(rows[1][2], "NC-001");
}

#[test]
fn a_not_applicable_control_is_excluded_in_the_soa_with_its_justification() {
    let s = exported();
    let rows = sheet(&s, "Statement of Applicability");
    let excluded = row_of(&rows, 1, "A.10.4");
    assert_eq!(excluded[3], "no");
    assert_eq!(excluded[4], "No customers");
    assert_eq!(excluded[5], "not declared");
    assert_eq!(excluded[6], "not applicable");
    assert!(
        rows[1..].iter().all(|r| r[1].starts_with("A.")),
        "controls only"
    );
    assert_eq!(row_of(&rows, 1, "A.2.2")[3], "yes");
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.ok(&[
        "note",
        "a.ron",
        "4.1",
        "=HYPERLINK(\"http://x.example\",\"click\")",
    ]);
    s.ok(&[
        "finding",
        "add",
        "a.ron",
        "4.2",
        "--grade",
        "observation",
        "--statement",
        "=1+1",
    ]);
    s.ok("export a.ron --xlsx -o results.xlsx");
    let results = sheet(&s, "Results");
    assert!(
        row_of(&results, 1, "4.1")[6].ends_with(": =HYPERLINK(\"http://x.example\",\"click\")")
    );
    assert_eq!(row_of(&sheet(&s, "Findings"), 6, "=1+1")[3], "observation");
    let mut book: Xlsx<_> = open_workbook(s.path("results.xlsx")).unwrap();
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} holds a formula"
        );
    }
}

#[test]
fn every_sheet_has_frozen_panes_below_the_header_and_a_filter() {
    let s = exported();
    let entries = zip_entries(&s.path("results.xlsx"));
    for (n, columns) in [(1, "H"), (2, "Q"), (3, "G")] {
        let name = format!("xl/worksheets/sheet{n}.xml");
        let xml = entries
            .iter()
            .find(|(entry, _)| *entry == name)
            .map(|(_, data)| String::from_utf8_lossy(data).into_owned())
            .unwrap_or_else(|| panic!("no {name}"));
        assert!(
            xml.contains("<pane ") && xml.contains("ySplit=\"1\""),
            "{name}: {xml}"
        );
        assert!(xml.contains("state=\"frozen\""), "{name}");
        assert!(
            xml.contains(&format!("<autoFilter ref=\"A1:{columns}")),
            "{name}"
        );
        assert!(xml.contains("<cols>"), "{name}: column widths");
    }
    let styles = entries.iter().find(|(n, _)| n == "xl/styles.xml").unwrap();
    let styles = String::from_utf8_lossy(&styles.1);
    assert!(
        styles.contains("<b/>") && styles.contains("wrapText=\"1\""),
        "{styles}"
    );
}

#[test]
fn an_existing_output_is_refused_and_left_alone() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.write("results.xlsx", "mine");
    let err = s.fails("export a.ron --xlsx -o results.xlsx");
    assert!(
        err.contains("results.xlsx") && err.contains("already exists"),
        "{err}"
    );
    assert_eq!(s.read("results.xlsx"), "mine");
    assert!(s.leftover_temps().is_empty());
    let usage = s.run("export a.ron -o other.xlsx");
    assert_eq!(usage.status.code(), Some(2), "a format is required");
    assert!(!s.path("other.xlsx").exists());
}

#[test]
fn an_output_name_with_control_characters_is_shown_escaped() {
    let s = Sandbox::new();
    complete_audit(&s);
    let name = "r\u{1b}[31m.xlsx";
    s.write(name, "mine");
    let err = s.fails(&["export", "a.ron", "--xlsx", "-o", name]);
    assert!(err.contains("already exists"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "raw escape reached the terminal: {err:?}"
    );
    let out = s.ok(&["export", "a.ron", "--xlsx", "-o", "new\u{7}.xlsx"]);
    assert!(!out.contains('\u{7}'), "{out:?}");
    assert!(s.path("new\u{7}.xlsx").exists());
}
