//! Peak memory of PDF previews, measured in a child process on hostile PDFs
//! that the tests build byte by byte.
//!
//! The parent test writes a PDF to a temporary file and runs this very test
//! binary again, filtered to [`peak_rss_child`], with the file's path in
//! [`INPUT_VAR`]. The child previews the file and prints its peak resident set
//! size (`VmHWM` from `/proc/self/status`) just before it exits.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use flate2::Compression;
use flate2::write::ZlibEncoder;

use crate::evidence::preview::{DOC_LIMIT, preview_pdf};

/// The child reads the PDF to preview from the path in this variable.
const INPUT_VAR: &str = "FIELDAUDIT_PDF_PEAK_INPUT";
/// What the child prints before its peak, so the parent finds the line.
const REPORT: &str = "PDF-PEAK";
/// The child's address space is capped at this many KiB (a safety net).
const CHILD_ADDRESS_SPACE_KIB: u64 = 3 * 1024 * 1024;

/// A PDF written by hand: objects in order, then a cross-reference table.
struct RawPdf {
    out: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

impl RawPdf {
    fn new() -> RawPdf {
        RawPdf {
            out: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            offsets: Vec::new(),
        }
    }

    fn object(&mut self, id: u32, body: &[u8]) -> &mut RawPdf {
        self.offsets.push((id, self.out.len()));
        self.out
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
        self
    }

    fn stream(&mut self, id: u32, dict: &str, data: &[u8]) -> &mut RawPdf {
        let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.object(id, &body)
    }

    /// A catalog (1), a page tree (2) and one page (3) with contents `4 0 R`
    /// and fonts from `fonts` (a dictionary body such as `/F1 5 0 R`).
    fn one_page(&mut self, fonts: &str) -> &mut RawPdf {
        self.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
        self.object(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        let page = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << {fonts} >> >> >>"
        );
        self.object(3, page.as_bytes())
    }

    fn finish(&mut self) -> Vec<u8> {
        let size = self.offsets.iter().map(|(id, _)| id + 1).max().unwrap_or(1);
        let mut table = vec![None; size as usize];
        for &(id, offset) in &self.offsets {
            table[id as usize] = Some(offset);
        }
        let start = self.out.len();
        self.out
            .extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
        for entry in table {
            let line = match entry {
                Some(offset) => format!("{offset:010} 00000 n\r\n"),
                None => "0000000000 65535 f\r\n".to_string(),
            };
            self.out.extend_from_slice(line.as_bytes());
        }
        self.out.extend_from_slice(
            format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n")
                .as_bytes(),
        );
        std::mem::take(&mut self.out)
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::fast());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// `unit` repeated to about `bytes` bytes.
fn repeat_to(unit: &[u8], bytes: usize) -> Vec<u8> {
    unit.repeat(bytes / unit.len())
}

/// Just under the size a preview opens.
const BIG: usize = DOC_LIMIT as usize - 64 * 1024;

fn huge_array() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.one_page("");
    pdf.stream(4, "", b"BT ET");
    let mut array = b"[".to_vec();
    array.extend(repeat_to(b"0 ", BIG));
    array.push(b']');
    pdf.object(5, &array);
    pdf.finish()
}

fn huge_name_array() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.one_page("");
    pdf.stream(4, "", b"BT ET");
    let mut array = b"[".to_vec();
    array.extend(repeat_to(b"/a", BIG));
    array.push(b']');
    pdf.object(5, &array);
    pdf.finish()
}

fn many_objects() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.one_page("");
    pdf.stream(4, "", b"BT ET");
    let mut id = 5;
    while pdf.out.len() < BIG - 1_000_000 - 20 * id as usize {
        pdf.object(id, b"[]");
        id += 1;
    }
    pdf.finish()
}

/// Object streams that each inflate to 15 MiB of one huge array.
fn object_stream_bomb() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.one_page("");
    pdf.stream(4, "", b"BT ET");
    let mut content = b"5 0 [".to_vec();
    content.extend(repeat_to(b"0 ", 15 * 1024 * 1024));
    content.push(b']');
    let packed = deflate(&content);
    for id in 10..210 {
        pdf.stream(
            id,
            "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
            &packed,
        );
    }
    pdf.finish()
}

/// One object stream whose thousands of members all start at the same array.
fn object_stream_overlap() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.one_page("");
    pdf.stream(4, "", b"BT ET");
    let members = 20_000;
    let mut index: Vec<u8> = (0..members)
        .flat_map(|k| format!("{} 0 ", 100 + k).into_bytes())
        .collect();
    let first = index.len();
    index.push(b'[');
    index.extend(repeat_to(b"0 ", 1024 * 1024));
    index.push(b']');
    pdf.stream(
        10,
        &format!("/Type /ObjStm /N {members} /First {first} /Filter /FlateDecode"),
        &deflate(&index),
    );
    pdf.finish()
}

/// A page whose content inflates to one enormous operand list.
fn content_bomb() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.one_page("");
    let mut content = b"BT [".to_vec();
    content.extend(repeat_to(b"0 ", 15 * 1024 * 1024));
    content.extend_from_slice(b"] TJ ET");
    pdf.stream(4, "/Filter /FlateDecode", &deflate(&content));
    pdf.finish()
}

/// Thousands of pages sharing one content stream that inflates to 15 MiB.
fn page_flood() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: String = (0..5000).map(|i| format!("{} 0 R ", 10 + i)).collect();
    pdf.object(
        2,
        format!("<< /Type /Pages /Kids [{kids}] /Count 5000 >>").as_bytes(),
    );
    pdf.stream(
        4,
        "/Filter /FlateDecode",
        &deflate(&repeat_to(b"0 0 m ", 15 * 1024 * 1024)),
    );
    for i in 0..5000 {
        pdf.object(10 + i, b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>");
    }
    pdf.finish()
}

/// Many fonts on one page sharing a ToUnicode map that inflates hugely.
fn cmap_bomb() -> Vec<u8> {
    let mut cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n".to_vec();
    let mut code = 0u32;
    while cmap.len() < 15 * 1024 * 1024 {
        cmap.extend_from_slice(b"100 beginbfchar\n");
        for _ in 0..100 {
            cmap.extend_from_slice(
                format!("<{:04X}> <{:04X}>\n", code & 0xFFFF, code & 0xFFFF).as_bytes(),
            );
            code += 1;
        }
        cmap.extend_from_slice(b"endbfchar\n");
    }
    cmap.extend_from_slice(b"endcmap CMapName currentdict /CMap defineresource pop end end\n");
    let fonts: String = (0..200).map(|i| format!("/F{i} 5 0 R ")).collect();
    let mut pdf = RawPdf::new();
    pdf.one_page(&fonts);
    pdf.stream(4, "", b"BT /F1 12 Tf (hi) Tj ET");
    pdf.object(
        5,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 6 0 R >>",
    );
    pdf.stream(6, "/Filter /FlateDecode", &deflate(&cmap));
    pdf.finish()
}

/// A page naming one CID font ninety thousand times, whose widths array
/// gives 65,536 glyphs a width in three tokens.
fn font_flood() -> Vec<u8> {
    let fonts: String = (0..90_000).map(|i| format!("/F{i} 5 0 R ")).collect();
    let mut pdf = RawPdf::new();
    pdf.one_page(&fonts);
    pdf.stream(4, "", b"BT /F1 12 Tf (hi) Tj ET");
    pdf.object(
        5,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
    );
    pdf.object(
        6,
        b"<< /Type /Font /Subtype /CIDFontType2 /W [0 65535 500] >>",
    );
    pdf.finish()
}

/// Object headers hidden in one comment line, each of which (through the
/// cross-reference table) reads the same array on the next line.
fn shared_array() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.one_page("");
    pdf.stream(4, "", b"BT ET");
    for id in 10..10 + super::budget::HIDDEN_HEADER_LIMIT as u32 {
        pdf.offsets.push((id, pdf.out.len()));
        pdf.out
            .extend_from_slice(format!("{id} 0 obj % ").as_bytes());
    }
    pdf.out.extend_from_slice(b"\n[");
    pdf.out.extend(repeat_to(b"0 ", 2 * 390_000));
    pdf.out.extend_from_slice(b"]\nendobj\n");
    pdf.finish()
}

/// Cross-reference streams chained by `/Prev`, each inflating to millions of entries.
fn xref_stream_chain() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.one_page("");
    pdf.stream(4, "", b"BT ET");
    let entries = 5 * 1024 * 1024;
    let packed = deflate(&[1u8, 0, 0].repeat(entries));
    let mut previous = None;
    for k in 0..40u32 {
        let offset = pdf.out.len();
        let prev = previous.map(|p| format!("/Prev {p}")).unwrap_or_default();
        let dict = format!(
            "/Type /XRef /W [1 1 1] /Index [{} {entries}] /Size 4000000000 /Root 1 0 R {prev} /Filter /FlateDecode",
            1000 + k as usize * entries
        );
        pdf.stream(1000 + k, &dict, &packed);
        previous = Some(offset);
    }
    let start = previous.unwrap_or(0);
    pdf.out
        .extend_from_slice(format!("startxref\n{start}\n%%EOF\n").as_bytes());
    std::mem::take(&mut pdf.out)
}

/// Runs the preview of `pdf` in a child process; its peak RSS in KiB and milliseconds.
fn measure(name: &str, pdf: &[u8]) -> (u64, u64, String) {
    assert!(pdf.len() as u64 <= DOC_LIMIT, "{name}: {} bytes", pdf.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    child(&path)
}

fn child(path: &Path) -> (u64, u64, String) {
    // `/proc/self/exe` is this very binary even if the file was replaced
    // since; the shell caps the child's address space so that a regression
    // fails the test instead of exhausting the machine.
    let output = Command::new("sh")
        .args([
            "-c",
            &format!(
                "ulimit -v {}; exec /proc/{}/exe \"$@\"",
                CHILD_ADDRESS_SPACE_KIB,
                std::process::id()
            ),
            "child",
            "--exact",
            "evidence::preview::pdf::memory_tests::peak_rss_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(INPUT_VAR, path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(line) = stdout
        .lines()
        .find_map(|l| l.split_once(REPORT).map(|(_, rest)| rest))
    else {
        // Killed, or out of its address space: report it as over any limit.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return (
            u64::MAX,
            0,
            format!(
                "the child died ({}; its address space is capped at {} GiB): {}",
                output.status,
                CHILD_ADDRESS_SPACE_KIB / 1024 / 1024,
                last.unwrap_or("")
            ),
        );
    };
    let mut parts = line.trim().splitn(3, ' ');
    let kib = parts.next().unwrap().parse().unwrap();
    let ms = parts.next().unwrap().parse().unwrap();
    (kib, ms, parts.next().unwrap_or("").to_string())
}

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Not a test of its own: the child that [`measure`] runs.
#[test]
fn peak_rss_child() {
    let Some(input) = std::env::var_os(INPUT_VAR) else {
        return;
    };
    let started = Instant::now();
    let summary = if input == "none" {
        "baseline".to_string()
    } else {
        let data = std::fs::read(&input).unwrap();
        match preview_pdf(&data) {
            Ok(p) => format!("ok {:?} {} chars", p.note, p.text.len()),
            Err(e) => format!("error {e}"),
        }
    };
    let ms = started.elapsed().as_millis();
    println!("{REPORT} {} {ms} {summary}", peak_kib());
}

/// Builds one hostile PDF.
type Maker = fn() -> Vec<u8>;

/// Peak memory a preview may reach, whatever the PDF.
const PEAK_LIMIT_KIB: u64 = 256 * 1024;

#[test]
fn hostile_pdfs_preview_within_256_mib() {
    let (baseline, _, _) = child(Path::new("none"));
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo-evidence/05-lifecycle/validation-report-scorewise-v3.pdf");
    let (normal, normal_ms, normal_summary) = child(&demo);
    assert!(normal_summary.contains("PDF, 2 pages"), "{normal_summary}");
    let mut report = vec![
        format!("baseline (no preview): {} MiB", baseline / 1024),
        format!("demo PDF: {} MiB, {normal_ms} ms", normal / 1024),
    ];
    let mut over = Vec::new();
    let cases: [(&str, Maker); 11] = [
        ("huge_array", huge_array),
        ("huge_name_array", huge_name_array),
        ("many_objects", many_objects),
        ("shared_array", shared_array),
        ("object_stream_bomb", object_stream_bomb),
        ("object_stream_overlap", object_stream_overlap),
        ("content_bomb", content_bomb),
        ("page_flood", page_flood),
        ("cmap_bomb", cmap_bomb),
        ("font_flood", font_flood),
        ("xref_stream_chain", xref_stream_chain),
    ];
    for (name, make) in cases {
        let pdf = make();
        let (kib, ms, summary) = measure(name, &pdf);
        report.push(format!(
            "{name} ({} KiB): peak {} MiB, {ms} ms: {summary}",
            pdf.len() / 1024,
            kib / 1024
        ));
        if kib >= PEAK_LIMIT_KIB {
            over.push(name);
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        over.is_empty(),
        "over 256 MiB: {over:?}\n{}",
        report.join("\n")
    );
}
