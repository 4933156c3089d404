//! PDF previews: text, glyph names, metadata, damaged and hostile files.

use super::*;

/// A one-page PDF with the given content stream and Helvetica as /F1.
fn pdf_of(content: &[u8], title: Option<&str>) -> Vec<u8> {
    pdf_with_encoding(
        content,
        title,
        lopdf::Object::Name(b"WinAnsiEncoding".to_vec()),
    )
}

/// The same with `encoding` as the font's /Encoding.
fn pdf_with_encoding(content: &[u8], title: Option<&str>, encoding: lopdf::Object) -> Vec<u8> {
    use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
    let name = |n: &str| Object::Name(n.as_bytes().to_vec());
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut font = Dictionary::new();
    font.set("Type", name("Font"));
    font.set("Subtype", name("Type1"));
    font.set("BaseFont", name("Helvetica"));
    font.set("Encoding", encoding);
    let font_id = doc.add_object(font);
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font_id));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content.to_vec()));
    let mut page = Dictionary::new();
    page.set("Type", name("Page"));
    page.set("Parent", Object::Reference(pages_id));
    page.set("Contents", Object::Reference(content_id));
    page.set("Resources", Object::Dictionary(resources));
    page.set(
        "MediaBox",
        Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
    );
    let page_id = doc.add_object(page);
    let mut pages = Dictionary::new();
    pages.set("Type", name("Pages"));
    pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
    pages.set("Count", Object::Integer(1));
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let mut catalog = Dictionary::new();
    catalog.set("Type", name("Catalog"));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    if let Some(title) = title {
        let mut info = Dictionary::new();
        info.set(
            "Title",
            Object::String(title.as_bytes().to_vec(), StringFormat::Literal),
        );
        // UTF-16BE with a BOM, as many producers write names.
        let mut author = vec![0xFE, 0xFF];
        for unit in "Zoë Ng".encode_utf16() {
            author.extend_from_slice(&unit.to_be_bytes());
        }
        info.set("Author", Object::String(author, StringFormat::Hexadecimal));
        info.set(
            "CreationDate",
            Object::String(b"D:20260709160000+00'00'".to_vec(), StringFormat::Literal),
        );
        let info_id = doc.add_object(info);
        doc.trailer.set("Info", Object::Reference(info_id));
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn pdf_lines_words_and_kerning() {
    let content =
        b"BT /F1 12 Tf 72 700 Td [(Hel) 20 (lo) -400 (world)] TJ 0 -14 Td (Next line) Tj ET \
        BT /F1 12 Tf 72 600 Td (Left) Tj 300 0 Td (Right) Tj ET";
    let p = preview_bytes("x.pdf", pdf_of(content, None)).unwrap();
    assert_eq!(p.text, "Hello world\nNext line\n\nLeft  Right");
    assert_eq!(p.note.as_deref(), Some("PDF, 1 page"));
}

#[test]
fn pdf_list_bullets_drawn_as_their_glyph_name_show_as_the_character() {
    // What some PDF writers produce for a list: the marker's glyph name
    // drawn as text, in a smaller size, overlapped by the item's text.
    let content = b"BT /F1 8 Tf 1 0 0 1 62 465 Tm (bullet) Tj ET \
        BT /F1 9.5 Tf 1 0 0 1 74 463.5 Tm (Information is classified.) Tj ET \
        BT /F1 8 Tf 1 0 0 1 62 452 Tm (endash) Tj ET \
        BT /F1 9.5 Tf 1 0 0 1 74 450.5 Tm (Access is granted.) Tj ET \
        BT /F1 10 Tf 1 0 0 1 62 400 Tm (bullet) Tj 0 -14 Td (The bullet is shown.) Tj ET \
        BT /F1 10 Tf 1 0 0 1 62 360 Tm (bullet) Tj 200 0 Td (far column) Tj ET";
    let p = preview_bytes("list.pdf", pdf_of(content, None)).unwrap();
    assert_eq!(
        p.text,
        "• Information is classified.\n– Access is granted.\n\nbullet\nThe bullet is shown.\n\nbullet  far column"
    );
}

#[test]
fn pdf_glyph_names_in_differences_map_to_characters() {
    use lopdf::{Dictionary, Object};
    let name = |n: &str| Object::Name(n.as_bytes().to_vec());
    let mut encoding = Dictionary::new();
    encoding.set("Type", name("Encoding"));
    encoding.set("BaseEncoding", name("WinAnsiEncoding"));
    let names = [
        "bullet",
        "uni2022",
        "endash",
        "emdash",
        "quotedblleft",
        "quotedblright",
        "quoteright",
        "ellipsis",
        "periodcentered",
        "u1F600",
        "bullet.alt",
        "g17",
        ".notdef",
        "f_i",
        "uni00660069",
    ];
    let mut differences = vec![Object::Integer(128)];
    differences.extend(names.iter().map(|n| name(n)));
    encoding.set("Differences", Object::Array(differences));
    let content = b"BT /F1 12 Tf 72 700 Td (\x80\x81 \x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e Caf\xe9) Tj ET";
    let p = preview_bytes(
        "glyphs.pdf",
        pdf_with_encoding(content, None, Object::Dictionary(encoding)),
    )
    .unwrap();
    assert_eq!(p.text, "•• –—“”’…·😀•fifi Café");
}

#[test]
fn pdf_without_text_shows_metadata() {
    let p = preview_bytes(
        "scan.pdf",
        pdf_of(b"q 100 0 0 100 0 0 cm Q", Some("Scanned minutes")),
    )
    .unwrap();
    assert_eq!(p.text, "");
    assert_eq!(
        p.note.as_deref(),
        Some(
            "PDF without extractable text: 1 page, title ‘Scanned minutes’, author ‘Zoë Ng’, created ‘2026-07-09 16:00’"
        )
    );
}

#[test]
fn preview_pdf_refuses_more_than_the_document_limit() {
    let err = preview_pdf(&vec![b' '; DOC_LIMIT as usize + 1]).unwrap_err();
    assert!(matches!(err, PreviewError::TooLarge { .. }), "{err:?}");
    assert!(preview_pdf(&pdf_of(b"BT ET", None)).is_ok());
}

#[test]
fn pdf_with_shifted_objects_is_rebuilt_and_read() {
    let whole = pdf_of(b"BT /F1 12 Tf 72 700 Td (Shifted) Tj ET", None);
    let header_end = whole.iter().position(|&b| b == b'\n').unwrap() + 1;
    // Bytes inserted after the header, and `startxref` moved to match:
    // the table reads, but every object offset in it is off.
    let inserted = b"% inserted by a mail gateway\n";
    let mut shifted = whole[..header_end].to_vec();
    shifted.extend_from_slice(inserted);
    shifted.extend_from_slice(&whole[header_end..]);
    let at = shifted.windows(9).rposition(|w| w == b"startxref").unwrap() + 9;
    let digits: String = String::from_utf8_lossy(&shifted[at..])
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let start: usize = digits.parse().unwrap();
    let mut fixed = shifted[..at].to_vec();
    fixed.extend_from_slice(format!("\n{}\n%%EOF\n", start + inserted.len()).as_bytes());
    let p = preview_bytes("shifted.pdf", fixed).unwrap();
    assert_eq!(p.text, "Shifted");
}

#[test]
fn malformed_pdf_content_is_survived() {
    // Operators with missing or wrong operands, a font that is not there.
    let content =
        b"BT /F9 12 Tf (ghost) Tj ET BT (x) 12 Tf Tj 1 2 Tm (a) (b) Td /F1 Tf 5 TJ Q Q Q ET \
        BT /F1 10 Tf 50 50 Td (survivor) Tj ET";
    let p = preview_bytes("odd.pdf", pdf_of(content, None)).unwrap();
    assert!(p.text.contains("survivor"), "{:?}", p.text);
    assert!(!p.text.contains("ghost"));
}

#[test]
fn garbage_pdfs_are_errors_not_panics() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 104_729 % 256) as u8).collect();
    let err = preview_bytes("junk.pdf", garbage).unwrap_err();
    assert!(matches!(err, PreviewError::BadPdf(_)), "{err:?}");

    let mut header_then_junk = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R".to_vec();
    header_then_junk.extend(std::iter::repeat_n(b'(', 5000));
    let result = preview_bytes("junk2.pdf", header_then_junk);
    assert!(result.is_err() || result.is_ok_and(|p| p.text.is_empty()));

    let whole = std::fs::read(sample_path(
        "05-lifecycle/validation-report-scorewise-v3.pdf",
    ))
    .unwrap();
    for cut in [100, whole.len() / 3, whole.len() - 40] {
        // Truncated files: an error or whatever text survives, never a panic.
        let _ = preview_bytes("cut.pdf", whole[..cut].to_vec());
    }
}
