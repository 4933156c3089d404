//! PDF previews with lopdf: text page by page (positions keep table rows together), metadata when there is no text.

use super::*;

// ---------------------------------------------------------------------------
// PDF

mod budget;
mod glyphs;
#[cfg(test)]
mod memory_tests;

pub(super) fn pdf_preview(data: &[u8]) -> Result<Preview, PreviewError> {
    let _quiet = QuietPanics::enter();
    match panic::catch_unwind(AssertUnwindSafe(|| pdf_text(data))) {
        Ok(result) => result,
        Err(payload) => Err(PreviewError::PdfCrashed(panic_message(&*payload))),
    }
}

pub(super) fn pdf_text(data: &[u8]) -> Result<Preview, PreviewError> {
    use lopdf::{DecompressError, Error};
    let loaded = budget::load(data)
        .map_err(|reason| PreviewError::PdfTooComplex(reason.to_string()))?
        .map_err(|e| match e {
            Error::InvalidPassword | Error::Decryption(_) => PreviewError::PdfProtected,
            Error::Decompress(DecompressError::MemoryLimitExceeded { limit }) => {
                PreviewError::PdfTooComplex(format!(
                    "a stream it needs inflates to more than {}",
                    human_size(limit as u64)
                ))
            }
            other => PreviewError::BadPdf(other.to_string()),
        })?;
    let doc = loaded.doc;
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(PreviewError::PdfProtected);
    }
    let pages = doc.get_pages();
    let mut sink = Sink::new();
    let mut extracted = 0usize;
    let mut failed_pages = 0usize;
    let mut cut_pages = 0usize;
    let mut content_left = budget::DOCUMENT_CONTENT_BUDGET;
    let mut unread_pages = 0usize;
    for (k, (&number, &page_id)) in pages.iter().enumerate() {
        if sink.full {
            break;
        }
        if content_left == 0 {
            unread_pages = pages.len() - k;
            break;
        }
        if pages.len() > 1 {
            sink.heading(&format!("Page {number}"));
        }
        let limit = PDF_STREAM_LIMIT.min(content_left);
        match page_text(&doc, page_id, &mut sink, limit) {
            Ok(read) => {
                extracted += read.chars;
                cut_pages += usize::from(read.cut);
                content_left -= read.content_bytes.min(content_left);
            }
            Err(_) => {
                failed_pages += 1;
                // A page that failed may have inflated all it was allowed.
                content_left -= limit;
            }
        }
    }
    let count = match pages.len() {
        1 => "1 page".to_string(),
        n => format!("{n} pages"),
    };
    let mut note = if extracted == 0 {
        let mut note = format!("PDF without extractable text: {count}");
        for (key, label) in [
            (&b"Title"[..], "title"),
            (b"Author", "author"),
            (b"CreationDate", "created"),
        ] {
            if let Some(value) = pdf_info(&doc, key) {
                let value = if key == b"CreationDate" {
                    pdf_date(&value)
                } else {
                    value
                };
                note.push_str(&format!(", {label} ‘{value}’"));
            }
        }
        note
    } else {
        format!("PDF, {count}")
    };
    if failed_pages > 0 {
        note.push_str(&format!(
            "; text of {failed_pages} page(s) could not be read"
        ));
    }
    if unread_pages > 0 {
        note.push_str(&format!(
            "; the last {unread_pages} page(s) not read (a preview inflates at most {} of page content)",
            human_size(budget::DOCUMENT_CONTENT_BUDGET as u64)
        ));
    }
    if cut_pages > 0 {
        note.push_str(&format!(
            "; {cut_pages} page(s) too long to read whole (over {} tokens), read in part",
            budget::CONTENT_TOKEN_LIMIT
        ));
    }
    if loaded.dropped > 0 {
        note.push_str(&format!(
            "; {} object(s) left unread to keep the preview within {} of memory",
            loaded.dropped,
            human_size(budget::OBJECT_BUDGET as u64)
        ));
    }
    if extracted == 0 {
        return Ok(Preview::note_only(FileKind::Pdf, clean_text(&note)));
    }
    let text = collapse_blank_lines(&sink.text);
    Ok(finish(
        FileKind::Pdf,
        &text,
        sink.full,
        Some(clean_text(&note)),
    ))
}

/// A value of the document information dictionary, decoded and shortened.
pub(super) fn pdf_info(doc: &lopdf::Document, key: &[u8]) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let (_, info) = doc.dereference(info).ok()?;
    let value = info.as_dict().ok()?.get(key).ok()?;
    let (_, value) = doc.dereference(value).ok()?;
    let text = lopdf::decode_text_string(value).ok()?;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut short: String = text.chars().take(META_CHARS).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    Some(short)
}

/// "D:20260709160000+00'00'" → "2026-07-09 16:00"; anything else unchanged.
pub(super) fn pdf_date(raw: &str) -> String {
    let digits: String = raw
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match digits.len() {
        n if n >= 12 => format!(
            "{}-{}-{} {}:{}",
            &digits[0..4],
            &digits[4..6],
            &digits[6..8],
            &digits[8..10],
            &digits[10..12]
        ),
        n if n >= 8 => format!("{}-{}-{}", &digits[0..4], &digits[4..6], &digits[6..8]),
        _ => raw.to_string(),
    }
}

/// An affine transform `[a b c d e f]` as PDF writes them.
pub(super) type Matrix = [f64; 6];

pub(super) const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n` (PDF's row-vector convention: `m × n`).
pub(super) fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

pub(super) fn translate(tx: f64, ty: f64) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

pub(super) fn number(object: &lopdf::Object) -> Option<f64> {
    match object {
        lopdf::Object::Integer(i) => Some(*i as f64),
        lopdf::Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

pub(super) fn numbers<const N: usize>(operands: &[lopdf::Object]) -> Option<[f64; N]> {
    let mut out = [0.0; N];
    if operands.len() < N {
        return None;
    }
    for (slot, object) in out.iter_mut().zip(&operands[operands.len() - N..]) {
        *slot = number(object)?;
    }
    Some(out)
}

/// What text extraction needs of a font: how to decode it and glyph widths.
pub(super) struct FontInfo<'a> {
    encoding: Option<lopdf::Encoding<'a>>,
    /// The text of each one-byte code, for a simple font whose
    /// `/Differences` lopdf could not read (see `pdf/glyphs.rs`).
    glyphs: Option<Vec<String>>,
    two_byte: bool,
    first_char: i64,
    widths: Vec<f64>,
    cid_widths: HashMap<u32, f64>,
    default_width: f64,
}

impl FontInfo<'_> {
    /// The text the string `bytes` shows in this font; empty when it cannot be decoded.
    fn decode(&self, bytes: &[u8]) -> String {
        let mut text = String::new();
        if let Some(table) = &self.glyphs {
            for &b in bytes {
                text.push_str(table.get(usize::from(b)).map_or("", String::as_str));
            }
        } else if let Some(encoding) = &self.encoding
            && encoding.write_to_string(bytes, &mut text).is_err()
        {
            text.clear();
        }
        text
    }

    /// Width in text space (1/1000 em units divided out) of the glyph `code`.
    fn width(&self, code: u32) -> f64 {
        if self.two_byte {
            return self
                .cid_widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width);
        }
        usize::try_from(i64::from(code) - self.first_char)
            .ok()
            .and_then(|i| self.widths.get(i).copied())
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default_width)
    }
}

/// Bytes the character maps of `font` (its `/ToUnicode` and `/Encoding`
/// streams) decompress to, each counted up to [`budget::CMAP_LIMIT`].
fn cmap_bytes(doc: &lopdf::Document, font: &lopdf::Dictionary) -> usize {
    [&b"ToUnicode"[..], b"Encoding"]
        .into_iter()
        .filter_map(|key| font.get(key).ok())
        .filter_map(|o| doc.dereference(o).ok())
        .filter_map(|(_, o)| o.as_stream().ok())
        .map(|stream| {
            stream
                .decompressed_content_with_limit(budget::CMAP_LIMIT)
                .map_or(budget::CMAP_LIMIT, |content| content.len())
        })
        .sum()
}

/// `font_info` for a page's first [`budget::PAGE_FONT_LIMIT`] fonts, decoding
/// their character maps while [`budget::CMAP_PAGE_BUDGET`] lasts (fonts past
/// it show no text) and reading glyph widths while
/// [`budget::WIDTHS_PAGE_BUDGET`] lasts (past it, an average width is used).
fn page_fonts<'a>(
    doc: &'a lopdf::Document,
    fonts: BTreeMap<Vec<u8>, &'a lopdf::Dictionary>,
) -> BTreeMap<Vec<u8>, FontInfo<'a>> {
    let mut cmap_left = budget::CMAP_PAGE_BUDGET;
    let mut widths_left = budget::WIDTHS_PAGE_BUDGET;
    fonts
        .into_iter()
        .take(budget::PAGE_FONT_LIMIT)
        .map(|(name, font)| {
            let cost = cmap_bytes(doc, font);
            let decode = cost <= cmap_left;
            if decode {
                cmap_left -= cost;
            }
            let info = font_info(doc, font, decode, widths_left);
            widths_left = widths_left.saturating_sub(info.widths.len() + info.cid_widths.len());
            (name, info)
        })
        .collect()
}

pub(super) fn font_info<'a>(
    doc: &'a lopdf::Document,
    font: &'a lopdf::Dictionary,
    decode_encoding: bool,
    max_widths: usize,
) -> FontInfo<'a> {
    let deref = |object: &'a lopdf::Object| doc.dereference(object).ok().map(|(_, o)| o);
    let get = |dict: &'a lopdf::Dictionary, key: &[u8]| dict.get(key).ok().and_then(deref);
    let array = |object: Option<&'a lopdf::Object>| {
        object.and_then(|o| o.as_array().ok()).map(|a| {
            a.iter()
                .filter_map(|o| deref(o).and_then(number))
                .take(max_widths)
                .collect::<Vec<_>>()
        })
    };
    let subtype = get(font, b"Subtype").and_then(|o| o.as_name().ok());
    let two_byte = subtype == Some(&b"Type0"[..]);
    let base = get(font, b"BaseFont")
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).to_ascii_lowercase())
        .unwrap_or_default();
    // Standard fonts often come without widths: guess an average glyph.
    let mut default_width = if base.contains("courier") || base.contains("mono") {
        0.6
    } else {
        0.5
    };
    let mut widths = Vec::new();
    let mut cid_widths = HashMap::new();
    let first_char = get(font, b"FirstChar").and_then(number).unwrap_or(0.0) as i64;
    if two_byte {
        let descendant = get(font, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(deref)
            .and_then(|o| o.as_dict().ok());
        if let Some(cid_font) = descendant {
            if let Some(dw) = get(cid_font, b"DW").and_then(number) {
                default_width = dw / 1000.0;
            }
            if let Some(w) = get(cid_font, b"W").and_then(|o| o.as_array().ok()) {
                read_cid_widths(doc, w, &mut cid_widths, max_widths);
            }
        }
    } else if let Some(list) = array(get(font, b"Widths")) {
        widths = list.into_iter().map(|w| w / 1000.0).collect();
    }
    let encoding = decode_encoding
        .then(|| {
            font.get_font_encoding_with_limit(doc, budget::CMAP_LIMIT)
                .ok()
        })
        .flatten();
    // lopdf gives up on a /Differences array with a name it does not know
    // and reads the font as StandardEncoding; read those names here.
    let glyphs = (decode_encoding
        && !two_byte
        && !matches!(encoding, Some(lopdf::Encoding::Differences(_))))
    .then(|| glyphs::differences_of(doc, font))
    .flatten()
    .map(|differences| differences.table());
    FontInfo {
        encoding,
        glyphs,
        two_byte,
        first_char,
        widths,
        cid_widths,
        default_width,
    }
}

/// Reads a CID font's `W` array: `c [w1 w2 …]` and `c_first c_last w` entries.
pub(super) fn read_cid_widths<'a>(
    doc: &'a lopdf::Document,
    w: &'a [lopdf::Object],
    out: &mut HashMap<u32, f64>,
    max_entries: usize,
) {
    let max_entries = max_entries.min(65_536);
    let deref = |o: &'a lopdf::Object| doc.dereference(o).ok().map(|(_, o)| o);
    let mut i = 0;
    while i < w.len() && out.len() < max_entries {
        let Some(first) = deref(&w[i]).and_then(number) else {
            return;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).and_then(deref) {
            Some(lopdf::Object::Array(list)) => {
                for (k, width) in list.iter().filter_map(number).enumerate() {
                    if out.len() >= max_entries {
                        return;
                    }
                    out.insert(first.saturating_add(k as u32), width / 1000.0);
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) =
                    (number(last), w.get(i + 2).and_then(deref).and_then(number))
                else {
                    return;
                };
                let last = (last.max(0.0) as u32).min(first.saturating_add(max_entries as u32));
                for code in first..=last {
                    if out.len() >= max_entries {
                        return;
                    }
                    out.insert(code, width / 1000.0);
                }
                i += 3;
            }
            None => return,
        }
    }
}

/// Text state while walking a page's content stream.
pub(super) struct PageWalk {
    ctm: Matrix,
    saved: Vec<Matrix>,
    tm: Matrix,
    line: Matrix,
    font: Option<Vec<u8>>,
    font_size: f64,
    leading: f64,
    char_spacing: f64,
    word_spacing: f64,
    scaling: f64,
    /// The last text shown: start x, end x, baseline y, size (device space).
    last: Option<(f64, f64, f64, f64)>,
    /// Non-blank characters written.
    extracted: usize,
    /// The last text shown, if it began a line and is a list marker's glyph name.
    marker: Option<Marker>,
}

/// A list marker some writers draw as its glyph name ("bullet"): where the
/// name sits in the text, where it ends on the page, and its character.
pub(super) struct Marker {
    at: usize,
    end_at: usize,
    end_x: f64,
    symbol: String,
}

impl PageWalk {
    fn new() -> PageWalk {
        PageWalk {
            ctm: IDENTITY,
            saved: Vec::new(),
            tm: IDENTITY,
            line: IDENTITY,
            font: None,
            font_size: 0.0,
            leading: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scaling: 1.0,
            last: None,
            extracted: 0,
            marker: None,
        }
    }

    fn move_line(&mut self, tx: f64, ty: f64) {
        self.line = multiply(&translate(tx, ty), &self.line);
        self.tm = self.line;
    }

    /// Writes `text` shown at the current position, separated from the previous
    /// text by a line break or spaces depending on where it lands, and moves on.
    fn show(&mut self, sink: &mut Sink, font: &FontInfo<'_>, bytes: &[u8], joined: bool) {
        let mut text = font.decode(bytes);
        let trm = multiply(&self.tm, &self.ctm);
        let scale = (trm[0] * trm[3] - trm[1] * trm[2]).abs().sqrt();
        let size = (self.font_size.abs() * scale).max(0.1);
        let (x, y) = (trm[4], trm[5]);

        // Advance by the glyph widths (PDF 9.4.4).
        let codes: Vec<u32> = if font.two_byte {
            bytes
                .chunks(2)
                .map(|pair| pair.iter().fold(0u32, |code, &b| code << 8 | u32::from(b)))
                .collect()
        } else {
            bytes.iter().map(|&b| u32::from(b)).collect()
        };
        let mut advance = 0.0;
        for code in codes {
            advance += font.width(code) * self.font_size + self.char_spacing;
            if !font.two_byte && code == 32 {
                advance += self.word_spacing;
            }
        }
        self.tm = multiply(&translate(advance * self.scaling, 0.0), &self.tm);
        let end_x = multiply(&self.tm, &self.ctm)[4];

        if text.is_empty() {
            return;
        }
        let marker = self.marker.take();
        if let Some((last_start, last_end, last_y, last_size)) = self.last {
            let height = size.max(last_size);
            let dy = (y - last_y).abs();
            if dy > 0.5 * height {
                sink.newline();
                if dy > 2.2 * height {
                    sink.newline();
                }
            } else if let Some(marker) = marker
                .as_ref()
                .filter(|m| x < m.end_x && sink.text.len() == m.end_at && !sink.full)
            {
                // Text drawn over the name just written: the name was a
                // list marker's glyph, so show its character instead.
                sink.text.truncate(marker.at);
                sink.push(&marker.symbol);
                sink.push(" ");
                text = text.trim_start().to_string();
            } else if !joined {
                let gap = x - last_end;
                let spaced = sink.text.ends_with(char::is_whitespace)
                    || text.starts_with(char::is_whitespace);
                if gap > height || x < last_start - 0.5 * height {
                    sink.push(if spaced { " " } else { "  " });
                } else if gap > 0.15 * height && !spaced {
                    sink.push(" ");
                }
            }
        }
        let line_start = sink.text.is_empty() || sink.text.ends_with('\n');
        let at = sink.text.len();
        sink.push(&text);
        if line_start
            && !sink.full
            && let Some(symbol) = glyphs::list_marker(text.trim())
        {
            self.marker = Some(Marker {
                at,
                end_at: sink.text.len(),
                end_x,
                symbol,
            });
        }
        self.extracted += text.chars().filter(|c| !c.is_whitespace()).count();
        self.last = Some((x, end_x, y, size));
    }
}

/// What one page gave.
pub(super) struct PageRead {
    /// Non-blank characters written.
    chars: usize,
    /// Its content was cut at [`budget::CONTENT_TOKEN_LIMIT`].
    cut: bool,
    /// Bytes its content inflated to.
    content_bytes: usize,
}

/// Writes the text of one page, whose content may inflate to `content_limit`.
pub(super) fn page_text(
    doc: &lopdf::Document,
    page_id: lopdf::ObjectId,
    sink: &mut Sink,
    content_limit: usize,
) -> Result<PageRead, lopdf::Error> {
    let fonts = page_fonts(doc, doc.get_page_fonts(page_id)?);
    let content = doc.get_page_content_with_limit(page_id, content_limit)?;
    let content_bytes = content.len();
    let (content, cut) = budget::bounded_content(&content);
    let mut walk = PageWalk::new();
    for operation in lopdf::content::Content::<Vec<lopdf::content::Operation>>::decode_iter(content)
    {
        if sink.full {
            break;
        }
        let Ok(operation) = operation else {
            break; // keep what the page gave before the damage
        };
        let ops = &operation.operands;
        match operation.operator.as_str() {
            "q" if walk.saved.len() < PDF_STATE_DEPTH => walk.saved.push(walk.ctm),
            "Q" => {
                if let Some(ctm) = walk.saved.pop() {
                    walk.ctm = ctm;
                }
            }
            "cm" => {
                if let Some(m) = numbers::<6>(ops) {
                    walk.ctm = multiply(&m, &walk.ctm);
                }
            }
            "BT" => {
                walk.tm = IDENTITY;
                walk.line = IDENTITY;
            }
            "Tf" => {
                walk.font = ops
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec);
                if let Some([size]) = numbers::<1>(ops) {
                    walk.font_size = size;
                }
            }
            "TL" => {
                if let Some([leading]) = numbers::<1>(ops) {
                    walk.leading = leading;
                }
            }
            "Tc" => {
                if let Some([spacing]) = numbers::<1>(ops) {
                    walk.char_spacing = spacing;
                }
            }
            "Tw" => {
                if let Some([spacing]) = numbers::<1>(ops) {
                    walk.word_spacing = spacing;
                }
            }
            "Tz" => {
                if let Some([scale]) = numbers::<1>(ops) {
                    walk.scaling = scale / 100.0;
                }
            }
            "Td" => {
                if let Some([tx, ty]) = numbers::<2>(ops) {
                    walk.move_line(tx, ty);
                }
            }
            "TD" => {
                if let Some([tx, ty]) = numbers::<2>(ops) {
                    walk.leading = -ty;
                    walk.move_line(tx, ty);
                }
            }
            "Tm" => {
                if let Some(m) = numbers::<6>(ops) {
                    walk.line = m;
                    walk.tm = m;
                }
            }
            "T*" => walk.move_line(0.0, -walk.leading),
            "Tj" | "'" | "\"" => {
                if operation.operator == "\""
                    && let Some([aw, ac]) = ops.get(..2).and_then(numbers::<2>)
                {
                    walk.word_spacing = aw;
                    walk.char_spacing = ac;
                }
                if operation.operator != "Tj" {
                    walk.move_line(0.0, -walk.leading);
                }
                let font = walk.font.as_ref().and_then(|name| fonts.get(name));
                if let (Some(font), Some(lopdf::Object::String(bytes, _))) = (font, ops.last()) {
                    walk.show(sink, font, bytes, false);
                }
            }
            "TJ" => {
                let font = walk.font.as_ref().and_then(|name| fonts.get(name));
                let (Some(font), Some(lopdf::Object::Array(items))) = (font, ops.first()) else {
                    continue;
                };
                let mut joined = false;
                for item in items {
                    match item {
                        lopdf::Object::String(bytes, _) => {
                            walk.show(sink, font, bytes, joined);
                            joined = true;
                        }
                        other => {
                            if let Some(adjust) = number(other) {
                                let shift = -adjust / 1000.0 * walk.font_size * walk.scaling;
                                walk.tm = multiply(&translate(shift, 0.0), &walk.tm);
                                // A wide gap inside one array is a word space.
                                if adjust < -200.0
                                    && joined
                                    && !sink.text.ends_with(char::is_whitespace)
                                {
                                    sink.push(" ");
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(PageRead {
        chars: walk.extracted,
        cut,
        content_bytes,
    })
}
