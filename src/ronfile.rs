//! RON reading and writing shared by checklists and audit records.
//!
//! Reading reports failures as `PATH:LINE:COLUMN: what`; writing produces the
//! stable, diff-friendly layout described in DESIGN §3.

use std::fmt;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A RON text that could not be turned into the expected value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub path: PathBuf,
    /// 1-based line of the offending token.
    pub line: usize,
    /// 1-based column of the offending token.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for ParseError {}

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// The text of `bytes` (read from `path`), or where its first byte that is
/// not UTF-8 is.
pub fn text_from_bytes<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| not_utf8(bytes, e, path))
}

/// As [`text_from_bytes`], keeping the bytes' buffer.
pub fn string_from_bytes(bytes: Vec<u8>, path: &Path) -> Result<String, ParseError> {
    String::from_utf8(bytes).map_err(|e| not_utf8(e.as_bytes(), e.utf8_error(), path))
}

fn not_utf8(bytes: &[u8], error: std::str::Utf8Error, path: &Path) -> ParseError {
    let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
    // The prefix is valid UTF-8 by definition; lossy never alters it.
    let (line, column) = end_of(&String::from_utf8_lossy(valid));
    let bad = bytes.get(error.valid_up_to()).copied().unwrap_or_default();
    ParseError {
        path: path.to_path_buf(),
        line,
        column,
        message: format!("byte 0x{bad:02X} is not UTF-8 text; save the file as UTF-8"),
    }
}

/// 1-based line and column of byte `offset` of `text` (its end if past it,
/// the start of the character it falls in if inside one).
pub fn position_at(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    end_of(&text[..offset])
}

/// 1-based line and column just past `before`.
fn end_of(before: &str) -> (usize, usize) {
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Parse `bytes` (read from `path`) as a `T`; bytes that are not UTF-8 are
/// refused with their position.
pub fn parse_bytes<T: DeserializeOwned>(bytes: &[u8], path: &Path) -> Result<T, ParseError> {
    parse(text_from_bytes(bytes, path)?, path)
}

/// Parse `text` (read from `path`) as a `T`.
pub fn parse<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, ParseError> {
    options().from_str(text).map_err(|e| {
        // ron reports the span of the token it choked on; its start is where a
        // human should look. Position 0 means "no position" (e.g. empty input).
        let start = e.span.start;
        ParseError {
            path: path.to_path_buf(),
            line: start.line.max(1),
            column: start.col.max(1),
            message: e.code.to_string(),
        }
    })
}

/// Serialise `value` in fieldaudit's stable pretty layout (4-space indent,
/// struct names, unescaped Unicode, implicit `Some`).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    let config = PrettyConfig::new()
        .indentor("    ")
        .struct_names(true)
        .escape_strings(false)
        .extensions(Extensions::IMPLICIT_SOME);
    let mut text = options().to_string_pretty(value, config)?;
    text.push('\n');
    Ok(text)
}

/// 1-based line and column of the `nth` (0-based) occurrence of `needle` in
/// `text`, for pointing at semantic problems found after parsing.
pub fn locate(text: &str, needle: &str, nth: usize) -> Option<(usize, usize)> {
    let offset = text.match_indices(needle).nth(nth)?.0;
    Some(end_of(&text[..offset]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Thing {
        name: String,
        note: Option<String>,
    }

    #[test]
    fn syntax_error_points_at_line_and_column() {
        let text = "Thing(\n    name: \"a\",\n    note: \"b\"\n    oops: 1,\n)";
        let err = parse::<Thing>(text, Path::new("x.ron")).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.to_string().starts_with("x.ron:4:"), "{err}");
    }

    #[test]
    fn unknown_field_is_reported_where_it_is() {
        let text = "Thing(\n    name: \"a\",\n    colour: \"b\",\n)";
        let err = parse::<Thing>(text, Path::new("x.ron")).unwrap_err();
        assert_eq!((err.line, err.column), (3, 5), "{err}");
        assert!(err.message.contains("colour"), "{err}");
    }

    #[test]
    fn round_trips_with_implicit_some_and_unicode() {
        let thing = Thing {
            name: "Ünïcode — ok".into(),
            note: Some("line one\nline \"two\"".into()),
        };
        let text = to_string(&thing).unwrap();
        assert!(text.contains("Ünïcode — ok"), "{text}");
        assert_eq!(parse::<Thing>(&text, Path::new("t")).unwrap(), thing);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let bytes = b"Thing(\n    name: \"\xc3\xa9t\xe9\",\n)";
        let err = parse_bytes::<Thing>(bytes, Path::new("x.ron")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 14), "{err}");
        assert!(err.message.contains("0xE9"), "{err}");
        assert!(err.to_string().starts_with("x.ron:2:14: "), "{err}");
        // A bad byte on the first column of a line, after a multi-byte char.
        let err = parse_bytes::<Thing>(
            "é\n".bytes().chain([0xff]).collect::<Vec<_>>().as_slice(),
            Path::new("x"),
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (2, 1), "{err}");
    }

    #[test]
    fn locate_finds_nth_occurrence() {
        let text = "a\n  id: \"x\"\nid: \"x\"";
        assert_eq!(locate(text, "\"x\"", 0), Some((2, 7)));
        assert_eq!(locate(text, "\"x\"", 1), Some((3, 5)));
        assert_eq!(locate(text, "\"x\"", 2), None);
    }
}
