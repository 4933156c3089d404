//! Text from outside (entry names, client names, signers, notes, paths) made
//! safe to show on a terminal: control characters are written visibly
//! escaped instead of raw, so a name cannot clear the screen, retitle the
//! window or forge a line of output.
//!
//! - [`shown`] / [`Shown`]: one value inside a line. Every control
//!   character is escaped, newlines included (`\n`).
//! - [`shown_lines`]: text the program lays out on several lines itself;
//!   newlines stay, every other control character is escaped.
//! - [`clipped`]: text cut to a width, an ellipsis marking the cut.
//! - [`to_json_pretty`]: JSON that also escapes C1 controls and DEL, which
//!   `serde_json` writes raw.
//!
//! Control characters are C0 (U+0000–U+001F), DEL (U+007F) and C1
//! (U+0080–U+009F, among them U+009B, a one-character CSI). Everything else
//! — "café", "Zürich", "東京" — is shown as it is. Escaping is idempotent:
//! escaped text contains no control character.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io;

use serde::Serialize;

/// Whether the terminal would act on `c` rather than draw it.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Write `c` as the visible escape for it: `\t`, `\n`, `\r`, `\x1b`, `\x7f`,
/// `\u{9b}`.
fn escape(c: char, out: &mut impl fmt::Write) -> fmt::Result {
    match c {
        '\t' => out.write_str("\\t"),
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    }
}

/// Write `text` with control characters escaped (newlines kept when
/// `keep_newlines`).
fn write_escaped(text: &str, keep_newlines: bool, out: &mut impl fmt::Write) -> fmt::Result {
    let mut rest = text;
    while let Some((at, c)) = rest
        .char_indices()
        .find(|&(_, c)| is_control(c) && !(keep_newlines && c == '\n'))
    {
        out.write_str(&rest[..at])?;
        escape(c, out)?;
        rest = &rest[at + c.len_utf8()..];
    }
    out.write_str(rest)
}

fn escaped(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_control(c) && !(keep_newlines && c == '\n'))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    // Writing to a String cannot fail.
    let _ = write_escaped(text, keep_newlines, &mut out);
    Cow::Owned(out)
}

/// `text` as one value in a line of output: every control character,
/// newlines included, visibly escaped.
pub fn shown(text: &str) -> Cow<'_, str> {
    escaped(text, false)
}

/// `text` cut to at most `width` characters, an ellipsis marking the cut.
pub fn clipped(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Raw bytes from outside (a zip entry's name) as one value in a line:
/// invalid UTF-8 shown as U+FFFD, control characters escaped as [`shown`].
pub fn shown_bytes(raw: &[u8]) -> String {
    shown(&String::from_utf8_lossy(raw)).into_owned()
}

/// Text the program lays out on several lines: newlines kept, every other
/// control character visibly escaped.
pub fn shown_lines(text: &str) -> Cow<'_, str> {
    escaped(text, true)
}

/// Displays any value (a name, a path's `display()`, an id) with control
/// characters escaped as [`shown`] does: `println!("{}", Shown(&name))`.
#[derive(Debug, Clone, Copy)]
pub struct Shown<T>(pub T);

impl<T: fmt::Display> fmt::Display for Shown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Escapes what the value writes, piece by piece, without a copy.
        struct Escaping<'a, 'b>(&'a mut fmt::Formatter<'b>);
        impl fmt::Write for Escaping<'_, '_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                write_escaped(s, false, &mut *self.0)
            }
        }
        if f.width().is_some() || f.precision().is_some() {
            // Pad the escaped text, as `{:<9}` asks.
            let text = self.0.to_string();
            return f.pad(&shown(&text));
        }
        write!(Escaping(f), "{}", self.0)
    }
}

/// `serde_json`'s pretty printer, but C1 controls and DEL are written as
/// `\u009b`, `\u007f` (serde_json already escapes C0).
struct JsonEscaping(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for JsonEscaping {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_control(c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", c as u32)?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    // The layout is the pretty printer's.
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as pretty JSON (as `serde_json::to_string_pretty`) in which no
/// control character appears raw: C0 as serde_json writes it, C1 and DEL
/// as `\u0080`–`\u009f`, `\u007f`.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(128);
    let formatter = JsonEscaping(serde_json::ser::PrettyFormatter::new());
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, formatter,
    ))?;
    // The serializer writes only valid UTF-8.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\x1b[2J\x1b]0;pwned\x07b\u{9b}31m\x7f";

    #[test]
    fn control_characters_are_escaped_and_nothing_raw_remains() {
        let s = shown(HOSTILE);
        assert_eq!(s, "a\\x1b[2J\\x1b]0;pwned\\x07b\\u{9b}31m\\x7f");
        assert!(!s.chars().any(is_control));
        assert_eq!(shown(&s), s, "escaping twice changes nothing");
        assert_eq!(Shown(HOSTILE).to_string(), s);
        assert_eq!(
            Shown(std::path::Path::new(HOSTILE).display()).to_string(),
            s
        );
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in ["café", "Zürich", "東京 — “quoted”", "a\\b.txt", ""] {
            assert!(matches!(shown(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn newlines_are_kept_only_in_laid_out_text() {
        assert_eq!(shown("a\nb\tc\r"), "a\\nb\\tc\\r");
        assert_eq!(shown_lines("a\nb\x1bc\r"), "a\nb\\x1bc\\r");
    }

    #[test]
    fn json_escapes_c1_and_del_too_and_reads_back_the_same() {
        let value = serde_json::json!({ "name": HOSTILE, "city": "Zürich" });
        let text = to_json_pretty(&value).unwrap();
        assert!(!text.chars().any(|c| is_control(c) && c != '\n'), "{text}");
        assert!(text.contains("\\u009b31m\\u007f"), "{text}");
        assert!(text.contains("Zürich"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(
            to_json_pretty(&serde_json::json!([1, {"a": []}])).unwrap(),
            serde_json::to_string_pretty(&serde_json::json!([1, {"a": []}])).unwrap()
        );
    }
}
