//! PDF glyph names (`bullet`, `endash`, `uni2022`, `f_i`, `bullet.alt`) to
//! the characters they stand for.
//!
//! A simple font's `/Differences` array names the glyph behind each code.
//! The PDF reader (lopdf) knows the Adobe Glyph List names but gives up on
//! the whole array at the first name it does not know — a `uni2022`, a
//! `.notdef`, a `bullet.alt` — and then reads every code of the font as
//! StandardEncoding, which loses the font's text. [`glyph_text`] resolves a
//! name the way the glyph list's rules say (a suffix after `.` dropped,
//! ligatures split at `_`, `uniXXXX` and `uXXXX[XX]` read as code points) and
//! asks lopdf's glyph list for the rest; [`DifferencesMap`] holds a font's
//! codes so resolved.
//!
//! Some PDF writers draw a list's marker as its glyph *name* in text
//! ("bullet" in a smaller size, overlapped by the item's first word);
//! [`list_marker`] says which names such a marker may have.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

/// At most this many entries of a `/Differences` array are read (a real
/// one has at most 256 names and a few codes).
const MAX_DIFFERENCES: usize = 1_024;

/// The text glyph `name` stands for; empty for `.notdef`; `None` when the
/// name means nothing known.
pub(crate) fn glyph_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    // A suffix names a variant of the same character: `bullet.alt`, `a.sc`.
    let base = name.split('.').next().unwrap_or("");
    if base.is_empty() {
        return Some(String::new());
    }
    if base.contains('_') {
        // A ligature: each part in turn.
        return base.split('_').map(component_text).collect();
    }
    component_text(base)
}

/// One component of a glyph name: `uniXXXX…`, `uXXXX[XX]`, or a glyph-list name.
fn component_text(name: &str) -> Option<String> {
    let is_hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() % 4 == 0
        && is_hex(hex)
    {
        return (0..hex.len())
            .step_by(4)
            .map(|at| {
                u32::from_str_radix(&hex[at..at + 4], 16)
                    .ok()
                    .and_then(char::from_u32)
            })
            .collect();
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && is_hex(hex)
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    glyph_list(name.as_bytes())
}

/// The Adobe Glyph List entry for `name`, from the copy inside lopdf: asked
/// through a one-entry `/Differences` encoding, the only door lopdf opens
/// to it.
fn glyph_list(name: &[u8]) -> Option<String> {
    let mut encoding = Dictionary::new();
    encoding.set(
        "Differences",
        Object::Array(vec![Object::Integer(0), Object::Name(name.to_vec())]),
    );
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Encoding", Object::Dictionary(encoding));
    let doc = Document::new();
    // An unknown name makes lopdf fall back to StandardEncoding, where code 0 is nothing.
    let text = font
        .get_font_encoding(&doc)
        .ok()?
        .bytes_to_string(&[0])
        .ok()?;
    (!text.is_empty()).then_some(text)
}

/// The character a list marker drawn as its glyph name stands for:
/// glyph-list names of symbols (`bullet`, `endash`, `uni25CF`) and the
/// names some writers use for list styles (`disc`, `square`).
pub(crate) fn list_marker(name: &str) -> Option<String> {
    let styles = [
        ("disc", "●"),
        ("circle", "○"),
        ("square", "■"),
        ("diamond", "◆"),
        ("rarrowhead", "➤"),
        ("bulletchar", "•"),
    ];
    if let Some((_, c)) = styles.iter().find(|(n, _)| *n == name) {
        return Some((*c).to_string());
    }
    if name.is_empty() || name.len() > 32 || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let text = glyph_text(name.as_bytes())?;
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control() => {
            Some(text)
        }
        _ => None,
    }
}

/// A simple font's `/Differences`, resolved here because lopdf could not:
/// the text of each code it names (empty for glyphs that mean nothing
/// known), and the base encoding's name for the other codes.
pub(crate) struct DifferencesMap {
    pub(crate) codes: HashMap<u8, String>,
    pub(crate) base: Option<Vec<u8>>,
}

/// The font's `/Differences`, when its `/Encoding` is a dictionary with one.
pub(crate) fn differences_of(doc: &Document, font: &Dictionary) -> Option<DifferencesMap> {
    let (_, encoding) = doc.dereference(font.get(b"Encoding").ok()?).ok()?;
    let encoding = encoding.as_dict().ok()?;
    let (_, array) = doc.dereference(encoding.get(b"Differences").ok()?).ok()?;
    let array = array.as_array().ok()?;
    let base = encoding
        .get(b"BaseEncoding")
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(<[u8]>::to_vec);
    let mut codes = HashMap::new();
    let mut code: Option<u8> = None;
    for item in array.iter().take(MAX_DIFFERENCES) {
        match item {
            Object::Integer(n) => code = u8::try_from(*n).ok(),
            Object::Name(name) => {
                if let Some(at) = code {
                    codes.insert(at, glyph_text(name).unwrap_or_default());
                    code = at.checked_add(1);
                }
            }
            _ => {}
        }
    }
    Some(DifferencesMap { codes, base })
}

impl DifferencesMap {
    /// The text of every one-byte code: the base encoding's (StandardEncoding
    /// when the font names none), with the differences over it.
    pub(crate) fn table(&self) -> Vec<String> {
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        let base = self
            .base
            .clone()
            .unwrap_or_else(|| b"StandardEncoding".to_vec());
        font.set("Encoding", Object::Name(base));
        let doc = Document::new();
        let encoding = font.get_font_encoding(&doc).ok();
        (0..=255u8)
            .map(|code| match self.codes.get(&code) {
                Some(text) => text.clone(),
                None => encoding
                    .as_ref()
                    .and_then(|e| e.bytes_to_string(&[code]).ok())
                    .unwrap_or_default(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_by_list_and_by_rule() {
        let text = |n: &str| glyph_text(n.as_bytes());
        assert_eq!(text("bullet").as_deref(), Some("•"));
        assert_eq!(text("quotedblleft").as_deref(), Some("“"));
        assert_eq!(text("periodcentered").as_deref(), Some("·"));
        assert_eq!(text("uni2022").as_deref(), Some("•"));
        assert_eq!(text("uni20AC00A3").as_deref(), Some("€£"));
        assert_eq!(text("u1F600").as_deref(), Some("😀"));
        assert_eq!(text("u2022").as_deref(), Some("•"));
        assert_eq!(text("bullet.alt").as_deref(), Some("•"));
        assert_eq!(text("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(text(".notdef").as_deref(), Some(""));
        assert_eq!(text("g17"), None);
        assert_eq!(text("uniD800"), None, "a lone surrogate is no character");
        assert_eq!(text("u110000"), None);
        assert_eq!(text("uni20"), None);
        assert_eq!(glyph_text(b"\xff\xfe"), None);
    }

    #[test]
    fn list_markers_are_symbols_not_words() {
        assert_eq!(list_marker("bullet").as_deref(), Some("•"));
        assert_eq!(list_marker("endash").as_deref(), Some("–"));
        assert_eq!(list_marker("disc").as_deref(), Some("●"));
        assert_eq!(list_marker("uni25CF").as_deref(), Some("●"));
        for word in ["a", "A", "the", "Information", "space", "", "bul let"] {
            assert_eq!(list_marker(word), None, "{word}");
        }
    }
}
