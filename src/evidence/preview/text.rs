//! Plain-text previews (bounded, decoded, defused), and the notes shown for images and archives.

use super::*;

// ---------------------------------------------------------------------------
// Plain text

/// `path` names the file: `.csv` and `.tsv` files also come as a [`Table`].
pub(super) fn text_preview(
    path: &str,
    kind: FileKind,
    size: u64,
    mut reader: Box<dyn Read + Send>,
) -> Result<Preview, PreviewError> {
    let mut raw = Vec::with_capacity(SNIFF_LIMIT);
    reader
        .by_ref()
        .take(SNIFF_LIMIT as u64)
        .read_to_end(&mut raw)?;
    let utf16 = utf16_bom(&raw);
    if utf16.is_none() && raw.contains(&0) {
        return Ok(Preview::note_only(
            kind,
            format!("binary file, {}", human_size(size.max(raw.len() as u64))),
        ));
    }
    let rest = (TEXT_LIMIT + 1).saturating_sub(raw.len()) as u64;
    reader.take(rest).read_to_end(&mut raw)?;
    if raw.is_empty() {
        return Ok(Preview::note_only(kind, "empty file".to_string()));
    }
    let truncated = raw.len() > TEXT_LIMIT;
    if truncated {
        raw.truncate(TEXT_LIMIT);
    }
    let mut notes = Vec::new();
    if truncated {
        notes.push(format!(
            "first {} of {} shown",
            human_size(TEXT_LIMIT as u64),
            human_size(size.max(TEXT_LIMIT as u64 + 1))
        ));
    }
    let text = match utf16 {
        Some(big_endian) => {
            notes.push("UTF-16 text".to_string());
            let mut text = decode_utf16(&raw[2..], big_endian);
            if truncated && text.ends_with('\u{fffd}') {
                text.pop(); // half of a surrogate pair, cut
            }
            text
        }
        None => {
            if truncated {
                drop_partial_utf8(&mut raw);
            }
            let body = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&raw);
            match std::str::from_utf8(body) {
                Ok(s) => s.to_string(),
                Err(_) => {
                    notes.push("not UTF-8, shown as Windows-1252".to_string());
                    decode_windows_1252(body)
                }
            }
        }
    };
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    let delimiter = match extension(path).as_deref() {
        Some("csv") => Some(None),
        Some("tsv") => Some(Some(b'\t')),
        _ => None,
    };
    let mut preview = finish(kind, &text, truncated, note);
    if let Some(delimiter) = delimiter {
        let name = path.rsplit('/').next().unwrap_or(path);
        let table = csv_table(name, &text, delimiter, truncated);
        if !table.header.is_empty() {
            preview.tables.push(table);
        }
    }
    Ok(preview)
}

/// `Some(true)` for a UTF-16 big-endian BOM, `Some(false)` for little-endian.
pub(super) fn utf16_bom(head: &[u8]) -> Option<bool> {
    match head {
        [0xFE, 0xFF, ..] => Some(true),
        [0xFF, 0xFE, ..] => Some(false),
        _ => None,
    }
}

pub(super) fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|pair| {
        if big_endian {
            u16::from_be_bytes([pair[0], pair[1]])
        } else {
            u16::from_le_bytes([pair[0], pair[1]])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{fffd}'))
        .collect()
}

/// Drops a UTF-8 sequence left incomplete at the end by a cut.
pub(super) fn drop_partial_utf8(bytes: &mut Vec<u8>) {
    let len = bytes.len();
    for back in 1..=len.min(3) {
        let b = bytes[len - back];
        if b & 0xC0 == 0x80 {
            continue; // continuation byte: keep looking for the lead byte
        }
        let needed = match b {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        if needed > back {
            bytes.truncate(len - back);
        }
        return;
    }
}

/// Windows-1252, the usual encoding of CSV files saved by Excel on Windows.
pub(super) fn decode_windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{fffd}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{fffd}', 'Ž',
        '\u{fffd}', '\u{fffd}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{fffd}', 'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Images and archives

pub(super) fn image_note(head: &[u8], size: u64) -> String {
    let size = human_size(size);
    match image_format(head) {
        Some((format, Some((w, h)))) => format!("{format} image, {w}×{h}, {size}"),
        Some((format, None)) => format!("{format} image, {size}"),
        None => format!("image (format not recognised), {size}"),
    }
}

pub(super) fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

pub(super) fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

pub(super) fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

pub(super) fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

pub(super) fn le24(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        0,
    ]))
}

/// The image format and, when the first bytes tell, its dimensions.
pub(super) fn image_format(b: &[u8]) -> Option<(&'static str, Option<(u32, u32)>)> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        let dims = be32(b, 16).zip(be32(b, 20));
        return Some(("PNG", dims));
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some(("GIF", le16(b, 6).zip(le16(b, 8))));
    }
    if b.starts_with(b"BM") {
        let w = le32(b, 18);
        let h = le32(b, 22).map(|h| (h as i32).unsigned_abs());
        return Some(("BMP", w.zip(h)));
    }
    if b.starts_with(&[0xFF, 0xD8]) {
        return Some(("JPEG", jpeg_dimensions(b)));
    }
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        let dims = match b.get(12..16) {
            Some(b"VP8X") => le24(b, 24).zip(le24(b, 27)).map(|(w, h)| (w + 1, h + 1)),
            Some(b"VP8 ") => le16(b, 26)
                .zip(le16(b, 28))
                .map(|(w, h)| (w & 0x3fff, h & 0x3fff)),
            _ => None,
        };
        return Some(("WebP", dims));
    }
    let text = String::from_utf8_lossy(b);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<svg") || (start.starts_with("<?xml") && text.contains("<svg")) {
        return Some(("SVG", None));
    }
    None
}

/// Width and height from the first start-of-frame marker within `b`.
pub(super) fn jpeg_dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 1 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        match marker {
            0xFF => i += 1,
            0x01 | 0xD0..=0xD9 => i += 2,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let h = be16(b, i + 5)?;
                let w = be16(b, i + 7)?;
                return Some((w, h));
            }
            _ => i += 2 + be16(b, i + 2)? as usize,
        }
    }
    None
}

pub(super) fn archive_note(path: &str, size: u64) -> String {
    let format = match extension(path).as_deref() {
        Some("zip") => "ZIP archive",
        Some("7z") => "7-Zip archive",
        Some("tar") => "tar archive",
        Some("gz" | "tgz") => "gzip archive",
        Some("rar") => "RAR archive",
        _ => "archive",
    };
    format!("{format}, {}; contents are not previewed", human_size(size))
}
