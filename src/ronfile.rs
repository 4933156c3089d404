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
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Some((line, column))
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
    fn locate_finds_nth_occurrence() {
        let text = "a\n  id: \"x\"\nid: \"x\"";
        assert_eq!(locate(text, "\"x\"", 0), Some((2, 7)));
        assert_eq!(locate(text, "\"x\"", 1), Some((3, 5)));
        assert_eq!(locate(text, "\"x\"", 2), None);
    }
}
