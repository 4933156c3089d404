//! Tests of the previews: the sample bundle, hostile and broken files, limits.

use super::*;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

mod pdf;

type Opener = Box<dyn FnOnce() -> io::Result<Box<dyn Read + Send>> + Send>;

fn bytes(data: impl Into<Vec<u8>>) -> Opener {
    let data = data.into();
    Box::new(move || Ok(Box::new(Cursor::new(data)) as Box<dyn Read + Send>))
}

fn preview_bytes(path: &str, data: impl Into<Vec<u8>>) -> Result<Preview, PreviewError> {
    let data = data.into();
    preview(path, data.len() as u64, bytes(data))
}

fn sample_path(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo-evidence")
        .join(rel)
}

fn sample(rel: &str) -> Preview {
    let path = sample_path(rel);
    let size = std::fs::metadata(&path).unwrap().len();
    preview(rel, size, move || {
        Ok(Box::new(std::fs::File::open(path)?) as Box<dyn Read + Send>)
    })
    .unwrap()
}

/// Counts the bytes a preview pulls from its stream.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::SeqCst);
        Ok(n)
    }
}

fn counting(inner: impl Read + Send + 'static) -> (Opener, Arc<AtomicU64>) {
    let count = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&count);
    let open: Opener = Box::new(move || {
        Ok(Box::new(Counting {
            inner,
            count: counter,
        }) as Box<dyn Read + Send>)
    });
    (open, count)
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn docx_of(body: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[("word/document.xml", xml.as_bytes())])
}

// --- kinds -----------------------------------------------------------

#[test]
fn kinds_come_from_the_extension_case_insensitively() {
    assert_eq!(FileKind::of("01-policies/ai-policy.md"), FileKind::Text);
    assert_eq!(FileKind::of("logs/App.LOG"), FileKind::Text);
    assert_eq!(FileKind::of("x/report.DOCX"), FileKind::Docx);
    assert_eq!(FileKind::of("register.xlsx"), FileKind::Xlsx);
    assert_eq!(FileKind::of("deck.Pptx"), FileKind::Pptx);
    assert_eq!(FileKind::of("a/b/report.pdf"), FileKind::Pdf);
    assert_eq!(FileKind::of("photo.JPEG"), FileKind::Image);
    assert_eq!(FileKind::of("diagram.svg"), FileKind::Image);
    assert_eq!(FileKind::of("bundle.tar.gz"), FileKind::Archive);
    assert_eq!(FileKind::of("old.7z"), FileKind::Archive);
    assert_eq!(FileKind::of("model.onnx"), FileKind::Other);
    assert_eq!(FileKind::of("README"), FileKind::Other);
    assert_eq!(FileKind::of("dir.md/.gitignore"), FileKind::Other);
    assert_eq!(FileKind::of("trailing."), FileKind::Other);
}

#[test]
fn labels_and_compression_hints() {
    assert_eq!(FileKind::Docx.label(), "Word");
    assert_eq!(FileKind::Xlsx.label(), "Excel");
    assert_eq!(FileKind::Pptx.label(), "PowerPoint");
    assert_eq!(FileKind::Pdf.label(), "PDF");
    assert_eq!(FileKind::Text.label(), "text");
    assert_eq!(FileKind::Image.label(), "image");
    assert_eq!(FileKind::Archive.label(), "archive");
    assert_eq!(FileKind::Other.label(), "file");
    for kind in [
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
        FileKind::Pdf,
        FileKind::Image,
        FileKind::Archive,
    ] {
        assert!(kind.is_compressed(), "{kind:?}");
    }
    assert!(!FileKind::Text.is_compressed());
    assert!(!FileKind::Other.is_compressed());
}

// --- the demo bundle -------------------------------------------------

#[test]
fn sample_markdown_policy() {
    let p = sample("01-policies/ai-policy.md");
    assert_eq!(p.kind, FileKind::Text);
    assert!(p.text.starts_with("# Northwind Lending Ltd — AI Policy\n"));
    assert!(p.text.contains("| Document ID    | NWL-AIMS-POL-001"));
    assert!(!p.truncated);
    assert_eq!(p.note, None);
}

#[test]
fn sample_log_is_shown_whole() {
    let p = sample("05-lifecycle/inference-events-2026-10.log");
    let on_disk =
        std::fs::read_to_string(sample_path("05-lifecycle/inference-events-2026-10.log")).unwrap();
    assert!(on_disk.len() < TEXT_LIMIT);
    assert_eq!(p.text, on_disk);
    assert!(!p.truncated);
}

#[test]
fn sample_risk_register_xlsx() {
    let p = sample("03-risk/ai-risk-register.xlsx");
    assert_eq!(p.kind, FileKind::Xlsx);
    let register = p.text.find("── Sheet: Register ──").unwrap();
    let key = p.text.find("── Sheet: Scoring key ──").unwrap();
    let log = p.text.find("── Sheet: Change log ──").unwrap();
    assert!(register < key && key < log, "sheets in workbook order");
    assert!(
        p.text
            .starts_with("── Sheet: Register ──\nNorthwind Lending Ltd — AI Risk Register\n")
    );
    assert!(p.text.contains(
        "\nRisk ID | Risk description (cause → event → consequence) | AI system | Risk source |"
    ));
    assert!(p.text.contains("\nR-01 | Applicant population shifts away"));
    // Inline strings and numbers as written, one line per row; cells with a
    // date format show the date, not Excel's serial number (46073).
    assert!(p.text.contains(
        "\n1 | 2026-02-20 | First register: ScoreWise risks R-01 to R-07 | H. Kowalski\n"
    ));
    assert!(
        p.text
            .contains("| Open – controls operating | 2026-08-27 | 2026-11-30\n")
    );
    assert!(!p.truncated);
    assert_eq!(p.note, None);
}

#[test]
fn sample_csv_and_sheets_come_as_tables() {
    let p = sample("02-context/interested-parties.csv");
    assert_eq!(p.tables.len(), 1);
    let t = &p.tables[0];
    assert_eq!(t.title, "interested-parties.csv");
    assert_eq!(t.header[0], "id");
    assert_eq!(t.header[7], "last_reviewed");
    assert_eq!(t.rows.len(), 13);
    assert_eq!(t.cell(0, 1), "Loan applicants and customers");
    assert_eq!(t.cell(0, 7), "2026-06-01");
    // The text form is unchanged.
    assert!(p.text.starts_with("id,interested_party,"));

    let p = sample("03-risk/ai-risk-register.xlsx");
    let titles: Vec<&str> = p.tables.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["Register", "Scoring key", "Change log"]);
    let register = &p.tables[0];
    assert_eq!(register.preamble.len(), 3);
    assert_eq!(
        register.preamble[0],
        "Northwind Lending Ltd — AI Risk Register"
    );
    assert_eq!(register.header[0], "Risk ID");
    assert_eq!(register.header[14], "Next review date");
    assert_eq!(register.rows.len(), 16);
    assert_eq!(register.cell(0, 0), "R-01");
    assert_eq!(register.cell(0, 13), "2026-08-27");
    assert!(!register.truncated);
    let log = &p.tables[2];
    assert_eq!(log.header, ["Version", "Date", "Change", "By"]);
    assert_eq!(log.cell(0, 1), "2026-02-20");

    let p = sample("01-policies/ai-policy.md");
    assert!(p.tables.is_empty(), "markdown stays text");
}

#[test]
fn tsv_and_semicolon_files_are_tables_too() {
    let p = preview_bytes("a/export.tsv", "name\tnote, with comma\nAnn\tok\n").unwrap();
    assert_eq!(p.tables[0].header, ["name", "note, with comma"]);
    assert_eq!(p.tables[0].rows, [["Ann", "ok"]]);
    let p = preview_bytes(
        "excel.csv",
        b"\xef\xbb\xbfName;Betrag\r\nZo\xc3\xab;1,50\r\n".to_vec(),
    )
    .unwrap();
    assert_eq!(p.tables[0].header, ["Name", "Betrag"]);
    assert_eq!(p.tables[0].rows, [["Zoë", "1,50"]]);
    let p = preview_bytes("empty.csv", Vec::new()).unwrap();
    assert!(p.tables.is_empty());
}

#[test]
fn sample_impact_assessment_docx() {
    let p = sample("04-impact/scorewise-impact-assessment.docx");
    assert_eq!(p.kind, FileKind::Docx);
    assert!(p.text.starts_with(
        "AI System Impact Assessment — ScoreWise v3\nCredit-scoring model for unsecured personal loans\n"
    ));
    assert!(p.text.contains("\nDocument ID | NWL-AIMS-IA-001\n"));
    assert!(p.text.contains("\nGroup | How affected | Notes\n"));
    assert!(p.text.contains(
        "\n• Intended use: new applications for unsecured personal loans from UK residents aged 18+.\n"
    ));
    assert!(!p.truncated);
}

#[test]
fn sample_validation_report_pdf() {
    let p = sample("05-lifecycle/validation-report-scorewise-v3.pdf");
    assert_eq!(p.kind, FileKind::Pdf);
    assert!(
        p.text
            .starts_with("── Page 1 ──\nNorthwind Lending Ltd  Confidential\n")
    );
    assert!(p.text.contains("\nIndependent Model Validation Report\n"));
    // Table rows stay on one line, columns apart.
    assert!(p.text.contains("\nReport reference  NWL-MV-2026-003\n"));
    assert!(
        p.text
            .contains("\nOutcome  APPROVED FOR PRODUCTION WITH CONDITIONS\n")
    );
    assert!(p.text.contains("\nGini  0.612  0.584  0.571  0.541\n"));
    assert!(p.text.contains("\n── Page 2 ──\n"));
    assert_eq!(p.note.as_deref(), Some("PDF, 2 pages"));
    assert!(!p.truncated);
}

#[test]
fn sample_policy_pdf_shows_list_bullets() {
    let p = sample("01-policies/information-security-policy.pdf");
    assert!(p.text.contains(
        "\n3. Principles\n• Information is classified as Public, Internal, Confidential or Restricted"
    ));
    assert!(
        p.text
            .contains("\n• Access is granted on the basis of least privilege")
    );
    assert!(!p.text.contains("bullet"), "{}", p.text);
}

#[test]
fn sample_files_preview_within_a_time_limit_on_a_worker() {
    let path = sample_path("03-risk/ai-risk-assessment-procedure.docx");
    let size = std::fs::metadata(&path).unwrap().len();
    let p = preview_with_timeout(
        "03-risk/ai-risk-assessment-procedure.docx".to_string(),
        size,
        move || Ok(Box::new(std::fs::File::open(path)?) as Box<dyn Read + Send>),
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(p.kind, FileKind::Docx);
    assert!(p.text.contains(" | "), "tables flattened to rows");
    assert!(!p.text.trim().is_empty());
}

// --- text --------------------------------------------------------------

#[test]
fn endless_text_is_cut_at_the_limit_and_read_no_further() {
    let (open, read) = counting(io::repeat(b'x'));
    let started = Instant::now();
    let p = preview("logs/huge.log", 2 * 1024 * 1024 * 1024, open).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(p.text.len(), TEXT_LIMIT);
    assert!(p.truncated);
    assert!(read.load(Ordering::SeqCst) <= TEXT_LIMIT as u64 + 1);
    assert_eq!(p.note.as_deref(), Some("first 64.00 KiB of 2.00 GiB shown"));
}

#[test]
fn text_cut_lands_on_a_char_boundary() {
    // One ASCII byte then two-byte chars: byte TEXT_LIMIT falls inside 'é'.
    let text = format!("a{}", "é".repeat(TEXT_LIMIT));
    let p = preview_bytes("notes.txt", text.clone()).unwrap();
    assert!(p.truncated);
    assert!(p.text.len() <= TEXT_LIMIT);
    assert!(p.text.len() >= TEXT_LIMIT - 1);
    assert!(text.starts_with(&p.text));
    assert!(!p.text.contains('\u{fffd}'));
}

#[test]
fn text_exactly_at_the_limit_is_not_truncated() {
    let p = preview_bytes("a.txt", "y".repeat(TEXT_LIMIT)).unwrap();
    assert_eq!(p.text.len(), TEXT_LIMIT);
    assert!(!p.truncated);
    let p = preview_bytes("a.txt", "y".repeat(TEXT_LIMIT + 1)).unwrap();
    assert!(p.truncated);
}

#[test]
fn nul_bytes_mean_binary_and_only_a_sniff_is_read() {
    let mut data = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    data.resize(1024 * 1024, 7);
    let (open, read) = counting(Cursor::new(data));
    let p = preview("tools/setup.log", 1024 * 1024, open).unwrap();
    assert_eq!(p.text, "");
    assert_eq!(p.note.as_deref(), Some("binary file, 1.00 MiB"));
    assert!(read.load(Ordering::SeqCst) <= SNIFF_LIMIT as u64);
}

#[test]
fn other_files_are_shown_when_they_are_text() {
    let p = preview_bytes("scripts/Makefile", "all:\n\tcargo build\n").unwrap();
    assert_eq!(p.kind, FileKind::Other);
    assert_eq!(p.text, "all:\n\tcargo build\n");
    let p = preview_bytes("model.bin", vec![0u8, 1, 2, 3]).unwrap();
    assert_eq!(p.note.as_deref(), Some("binary file, 4 B"));
    assert_eq!(p.text, "");
}

#[test]
fn crlf_becomes_lf_and_the_bom_goes() {
    let p = preview_bytes("r.csv", "\u{feff}id,name\r\n1,Ann\r\n2,Bo\rb\n").unwrap();
    assert_eq!(p.text, "id,name\n1,Ann\n2,Bo\nb\n");
    assert!(!p.truncated);
}

#[test]
fn control_characters_cannot_reach_the_terminal() {
    let p = preview_bytes("x.log", "\u{1b}[2J\u{1b}]0;pwned\u{7}ok\u{9b}31m\tend").unwrap();
    assert!(
        !p.text
            .chars()
            .any(|c| c.is_control() && c != '\t' && c != '\n')
    );
    assert_eq!(p.text, "␛[2J␛]0;pwned␇ok\u{fffd}31m\tend");
}

#[test]
fn utf16_and_windows_1252_text_is_decoded() {
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Zoë\r\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let p = preview_bytes("export.txt", utf16).unwrap();
    assert_eq!(p.text, "Zoë\n");
    assert_eq!(p.note.as_deref(), Some("UTF-16 text"));

    let p = preview_bytes("excel.csv", b"caf\xe9;\x80 12\n".to_vec()).unwrap();
    assert_eq!(p.text, "café;€ 12\n");
    assert_eq!(p.note.as_deref(), Some("not UTF-8, shown as Windows-1252"));
}

#[test]
fn empty_files_say_so() {
    let p = preview_bytes("empty.txt", Vec::new()).unwrap();
    assert_eq!(p.note.as_deref(), Some("empty file"));
    assert_eq!(p.text, "");
}

// --- images and archives -----------------------------------------------

#[test]
fn images_are_described_from_a_sniff() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&640u32.to_be_bytes());
    png.extend_from_slice(&480u32.to_be_bytes());
    png.resize(3 * 1024 * 1024, 0);
    let (open, read) = counting(Cursor::new(png));
    let p = preview("shots/screen.png", 3 * 1024 * 1024, open).unwrap();
    assert_eq!(p.kind, FileKind::Image);
    assert_eq!(p.note.as_deref(), Some("PNG image, 640×480, 3.00 MiB"));
    assert!(read.load(Ordering::SeqCst) <= SNIFF_LIMIT as u64);

    // Baseline JPEG: SOI, an APP0 segment, then SOF0 with height 300, width 400.
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46];
    jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x01, 0x90]);
    let p = preview_bytes("photo.jpg", jpeg).unwrap();
    assert_eq!(p.note.as_deref(), Some("JPEG image, 400×300, 17 B"));

    let p = preview_bytes("a.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    assert_eq!(p.note.as_deref(), Some("SVG image, 41 B"));
    let p = preview_bytes("fake.gif", "not an image").unwrap();
    assert_eq!(
        p.note.as_deref(),
        Some("image (format not recognised), 12 B")
    );
}

#[test]
fn archives_are_not_opened() {
    let p = preview("old/evidence.zip", 5 * 1024 * 1024, || {
        panic!("an archive must not be read")
    })
    .unwrap();
    assert_eq!(p.kind, FileKind::Archive);
    assert_eq!(
        p.note.as_deref(),
        Some("ZIP archive, 5.00 MiB; contents are not previewed")
    );
}

// --- office documents built in memory ---------------------------------

#[test]
fn docx_paragraphs_tabs_tables_and_entities() {
    let body = concat!(
        "<w:p><w:r><w:t>Title &amp; scope</w:t></w:r></w:p>",
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>",
        "<w:r><w:t>Key</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">value &#8212; </w:t></w:r><w:r><w:t>more</w:t></w:r></w:p>",
        "<w:p/>",
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc>",
        "<w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p><w:p><w:r><w:t>second para</w:t></w:r></w:p></w:tc></w:tr>",
        "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>B2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t>listed</w:t></w:r></w:p>",
        "<w:p><w:r><w:delText>deleted</w:delText><w:t>kept</w:t><w:br/><w:t>next</w:t></w:r></w:p>",
    );
    let p = preview_bytes("doc.docx", docx_of(body)).unwrap();
    assert_eq!(
        p.text,
        "Title & scope\nKey\tvalue — more\n\nA1 | B1 second para\n | B2\n• listed\nkept\nnext"
    );
    assert!(!p.truncated);
    assert_eq!(p.note, None);
}

#[test]
fn docx_without_text_says_so() {
    let p = preview_bytes("empty.docx", docx_of("<w:p/><w:p/>")).unwrap();
    assert_eq!(p.text, "");
    assert_eq!(p.note.as_deref(), Some("document has no text"));
}

#[test]
fn xlsx_shared_inline_numbers_booleans_and_gaps() {
    let workbook = br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Risks" sheetId="1" r:id="rId7"/><sheet name="Secret" sheetId="2" state="hidden" r:id="rId8"/></sheets></workbook>"#;
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId8" Type="worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
    let shared = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Risk</t></si><si><r><t>Rich </t></r><r><t>text</t></r><rPh><t>phonetic</t></rPh></si><si/><si><t>Owner &lt;H&gt;</t></si></sst>"#;
    let risks = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>3</v></c><c r="D1" t="s"><v>1</v></c></row>
        <row r="2"><c r="A2" s="1"/></row>
        <row r="3"><c r="A3" t="inlineStr"><is><t>R-01</t></is></c><c r="B3"><v>12.5</v></c><c r="C3" t="b"><v>1</v></c><c r="D3"><f>B3*2</f><v>25</v></c></row>
        </sheetData></worksheet>"#;
    let secret = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="B2" t="str"><v>hidden value</v></c></row></sheetData></worksheet>"#;
    let data = zip_of(&[
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", secret),
        ("xl/worksheets/sheet2.xml", risks),
    ]);
    let p = preview_bytes("risks.xlsx", data).unwrap();
    assert_eq!(
        p.text,
        "── Sheet: Risks ──\nRisk | Owner <H> |  | Rich text\nR-01 | 12.5 | TRUE | 25\n\n── Sheet: Secret (hidden) ──\n | hidden value"
    );
    assert!(!p.truncated);
}

#[test]
fn xlsx_dates_and_times_show_as_such() {
    let styles = br#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[Red]0.00;&quot;days&quot; 0"/><numFmt numFmtId="166" formatCode="yyyy\-mm\-dd\ hh:mm"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="21"/><xf numFmtId="20"/></cellXfs></styleSheet>"#;
    let sheet = br#"<worksheet><sheetData>
        <row r="1"><c r="A1" s="1"><v>46261</v></c><c r="B1" s="2"><v>46073</v></c><c r="C1" s="3"><v>46261</v></c><c r="D1" s="0"><v>46261</v></c></row>
        <row r="2"><c r="A2" s="4"><v>46261.75</v></c><c r="B2" s="5"><v>0.5208449074</v></c><c r="C2" s="6"><v>0.25</v></c><c r="D2" s="1" t="s"><v>0</v></c></row>
        <row r="3"><c r="A3" s="1"><v>60</v></c><c r="B3" s="1"><v>61</v></c><c r="C3" s="1"><v>59</v></c><c r="D3" s="1"><v>-3</v></c></row>
        <row r="4"><c r="A4" s="99"><v>46261</v></c><c r="B4" s="1"><v>99999999</v></c><c r="C4" s="1"><v>NaN</v></c><c r="D4" s="-1"><v>46261</v></c></row>
        <row r="5"><c r="A5" t="d"><v>2026-08-27T00:00:00</v></c><c r="B5" t="d"><v>2026-08-27T18:30:00Z</v></c></row>
        </sheetData></worksheet>"#;
    let shared = br#"<sst><si><t>text</t></si></sst>"#;
    let data = zip_of(&[
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/styles.xml", styles),
        ("xl/sharedStrings.xml", shared),
    ]);
    let p = preview_bytes("dates.xlsx", data).unwrap();
    assert_eq!(
        p.text,
        "── Sheet: Sheet 1 ──\n2026-08-27 | 2026-02-20 | 46261 | 46261\n2026-08-27 18:00 | 12:30:01 | 06:00 | text\n1900-02-29 | 1900-03-01 | 1900-02-28 | -3\n46261 | 99999999 | NaN | 46261\n2026-08-27 | 2026-08-27 18:30"
    );

    // The 1904 date system counts from 1904-01-01.
    let workbook = br#"<workbook><workbookPr date1904="1"/><sheets><sheet name="Old Mac" sheetId="1" r:id="rId1" xmlns:r="r"/></sheets></workbook>"#;
    let rels = br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>44799</v></c></row></sheetData></worksheet>"#;
    let data = zip_of(&[
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/styles.xml", styles),
    ]);
    let p = preview_bytes("mac.xlsx", data).unwrap();
    assert_eq!(p.text, "── Sheet: Old Mac ──\n1904-01-01 | 2026-08-27");
}

#[test]
fn xlsx_huge_styles_stay_bounded() {
    // Far more formats and styles than any workbook has: the preview reads
    // what it may and shows the rest as numbers, without panicking.
    let formats: String = (0..200_000)
        .map(|i| format!("<numFmt numFmtId=\"{}\" formatCode=\"yyyy\"/>", 164 + i))
        .collect();
    let xfs = "<xf numFmtId=\"14\"/>".repeat(300_000);
    let styles =
        format!("<styleSheet><numFmts>{formats}</numFmts><cellXfs>{xfs}</cellXfs></styleSheet>");
    let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1" s="5"><v>46261</v></c><c r="B1" s="299999"><v>46261</v></c><c r="C1" s="4294967296"><v>46261</v></c></row></sheetData></worksheet>"#;
    let data = zip_of(&[
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/styles.xml", styles.as_bytes()),
    ]);
    let p = preview_bytes("styles.xlsx", data).unwrap();
    assert_eq!(p.text, "── Sheet: Sheet 1 ──\n2026-08-27 | 46261 | 46261");
}

#[test]
fn xlsx_without_workbook_falls_back_to_numbered_sheets() {
    let sheet = |v: &str| {
        format!(
            r#"<worksheet><sheetData><row><c t="inlineStr"><is><t>{v}</t></is></c></row></sheetData></worksheet>"#
        )
    };
    let (s1, s2, s10) = (sheet("one"), sheet("two"), sheet("ten"));
    let data = zip_of(&[
        ("xl/worksheets/sheet10.xml", s10.as_bytes()),
        ("xl/worksheets/sheet2.xml", s2.as_bytes()),
        ("xl/worksheets/sheet1.xml", s1.as_bytes()),
    ]);
    let p = preview_bytes("book.xlsx", data).unwrap();
    assert_eq!(
        p.text,
        "── Sheet: Sheet 1 ──\none\n\n── Sheet: Sheet 2 ──\ntwo\n\n── Sheet: Sheet 10 ──\nten"
    );
}

#[test]
fn xlsx_far_columns_and_empty_cells_stay_bounded() {
    let empties = "<c s=\"1\"/>".repeat(200_000);
    let sheet = format!(
        r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="ZZZ1" t="inlineStr"><is><t>far</t></is></c></row><row r="2">{empties}<c t="inlineStr"><is><t>after</t></is></c></row></sheetData></worksheet>"#
    );
    let data = zip_of(&[("xl/worksheets/sheet1.xml", sheet.as_bytes())]);
    let p = preview_bytes("wide.xlsx", data).unwrap();
    let lines: Vec<&str> = p.text.lines().collect();
    assert_eq!(lines[0], "── Sheet: Sheet 1 ──");
    // At most MAX_CELL_GAP blank cells stand in for a gap.
    assert_eq!(
        lines[1],
        format!("a{}far", " | ".repeat(MAX_CELL_GAP as usize + 1))
    );
    assert_eq!(
        lines[2],
        format!("{}after", " | ".repeat(MAX_CELL_GAP as usize))
    );
    assert_eq!(lines.len(), 3);
    // The table keeps the same columns.
    let table = &p.tables[0];
    assert_eq!(table.header.len(), MAX_CELL_GAP as usize + 2);
    assert_eq!(table.header.last().map(String::as_str), Some("far"));
    assert_eq!(table.cell(0, MAX_CELL_GAP as usize), "after");
}

#[test]
fn xlsx_tables_stay_within_the_text_limit() {
    let cell = format!("<c t=\"inlineStr\"><is><t>{}</t></is></c>", "x".repeat(100));
    let row = format!("<row>{}</row>", cell.repeat(10));
    let sheet = format!(
        "<worksheet><sheetData>{}</sheetData></worksheet>",
        row.repeat(2_000)
    );
    let data = zip_of(&[("xl/worksheets/sheet1.xml", sheet.as_bytes())]);
    let p = preview_bytes("big.xlsx", data).unwrap();
    assert!(p.truncated);
    let table = &p.tables[0];
    assert!(table.truncated);
    let bytes: usize = table.rows.iter().flatten().map(String::len).sum();
    assert!(bytes <= TEXT_LIMIT, "{bytes}");
    assert!(table.rows.len() > 10);
}

#[test]
fn pptx_slides_in_numeric_order() {
    let slide = |lines: &[&str]| {
        let paragraphs: String = lines
            .iter()
            .map(|l| format!("<a:p><a:r><a:t>{l}</a:t></a:r></a:p><a:p/>"))
            .collect();
        format!(
            r#"<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
    };
    let s1 = slide(&["Welcome", "Agenda"]);
    let s2 = slide(&["Risks"]);
    let s10 = slide(&["Questions?"]);
    let bullets = r#"<p:sld xmlns:a="a" xmlns:p="p"><p:txBody><a:p><a:pPr><a:buChar char="-"/></a:pPr><a:r><a:t>point</a:t></a:r><a:br/><a:r><a:t>wrapped</a:t></a:r></a:p></p:txBody></p:sld>"#;
    let data = zip_of(&[
        ("ppt/presentation.xml", b"<p:presentation xmlns:p=\"p\"/>"),
        ("ppt/slides/slide10.xml", s10.as_bytes()),
        ("ppt/slides/slide2.xml", s2.as_bytes()),
        ("ppt/slides/slide1.xml", s1.as_bytes()),
        ("ppt/slides/slide3.xml", bullets.as_bytes()),
        ("ppt/slides/_rels/slide1.xml.rels", b"<Relationships/>"),
    ]);
    let p = preview_bytes("deck.pptx", data).unwrap();
    assert_eq!(p.kind, FileKind::Pptx);
    assert_eq!(
        p.text,
        "── Slide 1 ──\nWelcome\nAgenda\n\n── Slide 2 ──\nRisks\n\n── Slide 3 ──\n• point\nwrapped\n\n── Slide 10 ──\nQuestions?"
    );
}

#[test]
fn docx_zip_bomb_stays_bounded() {
    // ~18 MB of markup that yields no text, then text past the part limit.
    let filler = "<w:proofErr w:type=\"spellStart\"/>";
    let mut body = filler.repeat(18 * 1024 * 1024 / filler.len());
    body.push_str("<w:p><w:r><w:t>BEYOND THE LIMIT</w:t></w:r></w:p>");
    let head = "<w:p><w:r><w:t>Start</w:t></w:r></w:p>";
    let data = docx_of(&format!("{head}{body}"));
    assert!(
        data.len() < 1024 * 1024,
        "highly compressible: {} bytes",
        data.len()
    );
    let started = Instant::now();
    let p = preview_bytes("bomb.docx", data).unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(p.text, "Start");
    assert!(p.truncated);
    assert_eq!(
        p.note.as_deref(),
        Some("word/document.xml larger than 16.00 MiB uncompressed; only its start is shown")
    );
}

#[test]
fn docx_full_of_text_is_cut_at_the_text_limit() {
    let run = "<w:p><w:r><w:t>lorem ipsum dolor sit amet</w:t></w:r></w:p>";
    let data = docx_of(&run.repeat(200_000));
    let p = preview_bytes("long.docx", data).unwrap();
    assert!(p.truncated);
    assert!(p.text.len() <= TEXT_LIMIT);
    assert!(p.text.len() > TEXT_LIMIT - 100);
    assert!(p.text.starts_with("lorem ipsum dolor sit amet\nlorem"));
}

#[test]
fn corrupt_office_files_are_errors_not_panics() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    for path in ["a.docx", "a.xlsx", "a.pptx"] {
        let err = preview_bytes(path, garbage.clone()).unwrap_err();
        assert!(
            matches!(err, PreviewError::BadZip { .. }),
            "{path}: {err:?}"
        );
        assert!(err.to_string().contains("damaged"), "{err}");
    }

    let mut ole = OLE_MAGIC.to_vec();
    ole.resize(2048, 0);
    let err = preview_bytes("protected.docx", ole).unwrap_err();
    assert!(
        matches!(err, PreviewError::Protected { kind: "Word" }),
        "{err:?}"
    );
    assert!(err.to_string().contains("password-protected"));

    let err = preview_bytes("x.docx", zip_of(&[("hello.txt", b"hi")])).unwrap_err();
    assert!(
        matches!(err, PreviewError::MissingPart { ref part, .. } if part == "word/document.xml")
    );

    let err = preview_bytes(
        "x.docx",
        zip_of(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]),
    )
    .unwrap_err();
    assert!(
        matches!(err, PreviewError::BadXml { ref part, .. } if part == "word/document.xml"),
        "{err:?}"
    );

    // A valid zip cut in half.
    let whole = std::fs::read(sample_path("04-impact/scorewise-impact-assessment.docx")).unwrap();
    let err = preview_bytes("half.docx", whole[..whole.len() / 2].to_vec()).unwrap_err();
    assert!(matches!(err, PreviewError::BadZip { .. }), "{err:?}");
}

#[test]
fn oversized_documents_are_not_opened() {
    let opened = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&opened);
    let p = preview("big.pdf", DOC_LIMIT + 1, move || {
        flag.store(true, Ordering::SeqCst);
        Ok(Box::new(io::empty()) as Box<dyn Read + Send>)
    })
    .unwrap();
    assert!(!opened.load(Ordering::SeqCst));
    assert_eq!(p.text, "");
    assert_eq!(
        p.note.as_deref(),
        Some("PDF file of 32.00 MiB: larger than the 32.00 MiB preview limit, not opened")
    );

    // A stream longer than its stated size is cut off too.
    let (open, read) = counting(io::repeat(0));
    let p = preview("liar.docx", 10, open).unwrap();
    assert!(
        p.note
            .unwrap()
            .contains("larger than the 32.00 MiB preview limit")
    );
    assert_eq!(read.load(Ordering::SeqCst), DOC_LIMIT + 1);
}

// --- workers, timeouts and panics -------------------------------------

#[test]
fn slow_files_time_out() {
    let started = Instant::now();
    let result = preview_with_timeout(
        "slow/share.pdf".to_string(),
        100,
        || {
            std::thread::sleep(Duration::from_secs(3));
            Ok(Box::new(io::empty()) as Box<dyn Read + Send>)
        },
        Duration::from_millis(200),
    );
    let waited = started.elapsed();
    assert!(matches!(result, Err(PreviewError::TimedOut(d)) if d == Duration::from_millis(200)));
    assert!(waited >= Duration::from_millis(200));
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    assert_eq!(
        result.unwrap_err().to_string(),
        "the preview gave up after 0.2 s; the file is too slow to read"
    );
}

#[test]
fn a_panic_on_the_worker_becomes_an_error() {
    let result = preview_with_timeout(
        "boom.txt".to_string(),
        1,
        || panic!("source vanished"),
        Duration::from_secs(10),
    );
    match result {
        Err(PreviewError::Worker(message)) => assert_eq!(message, "source vanished"),
        other => panic!("expected a worker error, got {other:?}"),
    }
}

#[test]
fn io_errors_are_reported() {
    let err = preview("gone.txt", 5, || Err(io::Error::other("share offline"))).unwrap_err();
    assert!(matches!(err, PreviewError::Io(_)));
    assert_eq!(err.to_string(), "could not read the file: share offline");
}

#[test]
fn caught_preview_panics_skip_the_previous_hook() {
    static PROBE_PANICS: AtomicUsize = AtomicUsize::new(0);
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("hook-probe") {
            PROBE_PANICS.fetch_add(1, Ordering::SeqCst);
        }
        default(info);
    }));
    silence_caught_preview_panics();
    let probe = |quiet: bool| {
        std::thread::Builder::new()
            .name("hook-probe".to_string())
            .spawn(move || {
                let _guard = quiet.then(QuietPanics::enter);
                panic::catch_unwind(|| panic!("probe")).is_err()
            })
            .unwrap()
            .join()
            .unwrap()
    };
    assert!(probe(true));
    assert_eq!(PROBE_PANICS.load(Ordering::SeqCst), 0);
    assert!(probe(false));
    assert_eq!(PROBE_PANICS.load(Ordering::SeqCst), 1);
}
