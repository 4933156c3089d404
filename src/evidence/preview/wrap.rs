//! Preview text laid out for a pane: every line of the file starts a screen
//! line of its own, and only a line wider than the pane goes on to further
//! screen lines, each marked with [`CONTINUATION`] so a reader can tell the
//! file's own short lines (a hard-wrapped paragraph, a table row) from a
//! long line the pane had to break.
//!
//! Lines break after a space where there is one in the line's second half,
//! otherwise at the last character that fits; a character is never split.
//! Tabs become spaces up to the next multiple of [`TAB_WIDTH`]. A markdown
//! table row too wide for the pane first loses the padding that aligned its
//! columns (`| Owner          | Hannah |` becomes `| Owner | Hannah |`, a
//! `|----|----|` rule becomes `|---|---|`), which is often enough for it to fit.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Marks a screen line that carries on the file line above it.
pub const CONTINUATION: &str = "↪ ";
/// Tab stops every this many columns.
pub const TAB_WIDTH: usize = 4;

/// One line of the pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenLine<'a> {
    /// Which line of the text it shows (0 is the first).
    pub line: usize,
    /// It carries on the line above: draw [`CONTINUATION`] before `text`.
    pub continued: bool,
    /// What to draw (after the mark, if any); at most the width given.
    pub text: Cow<'a, str>,
}

/// `text` laid out for a pane `width` display columns wide (see the module
/// doc). A width too small for the mark and a character wraps nothing.
pub fn wrap_text(text: &str, width: usize) -> Vec<ScreenLine<'_>> {
    let mark = CONTINUATION.chars().count();
    let mut out = Vec::new();
    for (line, raw) in text.lines().enumerate() {
        let mut expanded = expand_tabs(raw);
        if !fits(&expanded, width)
            && let Some(squeezed) = squeeze_table_row(&expanded)
        {
            expanded = Cow::Owned(squeezed);
        }
        if width <= mark + 1 || fits(&expanded, width) {
            out.push(ScreenLine {
                line,
                continued: false,
                text: expanded,
            });
            continue;
        }
        let mut rest: &str = &expanded;
        let mut first = true;
        while !rest.is_empty() {
            let room = if first { width } else { width - mark };
            let (head, tail) = split_at_width(rest, room);
            out.push(ScreenLine {
                line,
                continued: !first,
                text: Cow::Owned(head.to_string()),
            });
            rest = tail;
            first = false;
        }
    }
    out
}

fn fits(s: &str, width: usize) -> bool {
    unicode_width::UnicodeWidthStr::width(s) <= width
}

/// A markdown table row (`| a   | b   |`) without the padding of its cells;
/// `None` for any other line.
fn squeeze_table_row(line: &str) -> Option<String> {
    let row = line.trim();
    let inner = row.strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
    let rule = cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
    let cells: Vec<String> = cells
        .into_iter()
        .map(|c| {
            if rule {
                let (left, right) = (c.starts_with(':'), c.ends_with(':') && c.len() > 1);
                format!(
                    "{}---{}",
                    if left { ":" } else { "" },
                    if right { ":" } else { "" }
                )
            } else {
                c.to_string()
            }
        })
        .collect();
    Some(format!("| {} |", cells.join(" | ")).replace("|  |", "| |"))
}

/// `s` with tabs turned into spaces to the next tab stop.
fn expand_tabs(s: &str) -> Cow<'_, str> {
    if !s.contains('\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut column = 0;
    for c in s.chars() {
        if c == '\t' {
            let spaces = TAB_WIDTH - column % TAB_WIDTH;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    Cow::Owned(out)
}

/// The first screen line of `s` in `room` columns and what is left: broken
/// after a space in the second half of the room if there is one (the space
/// stays at the end of the first part), else at the last character that
/// fits. At least one character goes first, so the layout always advances.
fn split_at_width(s: &str, room: usize) -> (&str, &str) {
    let mut used = 0;
    let mut end = 0;
    let mut after_space = None;
    for (at, c) in s.char_indices() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room && end > 0 {
            break;
        }
        used += w;
        end = at + c.len_utf8();
        if c == ' ' && used * 2 > room {
            after_space = Some(end);
        }
    }
    if end >= s.len() {
        return (s, "");
    }
    // Right before a space the line ends at a word anyway.
    let cut = if s[end..].starts_with(' ') {
        end
    } else {
        after_space.unwrap_or(end)
    };
    let (head, tail) = s.split_at(cut);
    (head.trim_end_matches(' '), tail.trim_start_matches(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, width: usize) -> Vec<String> {
        wrap_text(text, width)
            .into_iter()
            .map(|l| {
                if l.continued {
                    format!("{CONTINUATION}{}", l.text)
                } else {
                    l.text.into_owned()
                }
            })
            .collect()
    }

    #[test]
    fn short_lines_stay_as_the_file_has_them() {
        let text = "Northwind lends money\nto people.\n\n| ID | Owner |\n|----|-------|";
        assert_eq!(
            shown(text, 30),
            [
                "Northwind lends money",
                "to people.",
                "",
                "| ID | Owner |",
                "|----|-------|"
            ]
        );
    }

    #[test]
    fn wide_lines_wrap_at_spaces_and_are_marked() {
        let lines = wrap_text("one two three four five six\nnext", 12);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_ref()).collect();
        assert_eq!(texts, ["one two", "three four", "five six", "next"]);
        let marks: Vec<(usize, bool)> = lines.iter().map(|l| (l.line, l.continued)).collect();
        assert_eq!(marks, [(0, false), (0, true), (0, true), (1, false)]);
        for line in &lines {
            let mark = if line.continued { 2 } else { 0 };
            assert!(mark + unicode_width::UnicodeWidthStr::width(line.text.as_ref()) <= 12);
        }
    }

    #[test]
    fn words_longer_than_the_pane_are_cut_without_splitting_a_char() {
        assert_eq!(
            shown("abcdefghijklmnop", 6),
            ["abcdef", "↪ ghij", "↪ klmn", "↪ op"]
        );
        assert_eq!(shown("東京都庁舎", 5), ["東京", "↪ 都", "↪ 庁", "↪ 舎"]);
        // A space early in the line is no place to break.
        assert_eq!(shown("a bcdefghij", 8), ["a bcdefg", "↪ hij"]);
    }

    #[test]
    fn wide_markdown_table_rows_lose_their_padding_first() {
        let text = "| Document ID    | NWL-AIMS-POL-001       |\n|----------------|:----------------------:|\n| Owner          | Hannah Kowalski, Head of AI Governance |\n| Short | row |";
        assert_eq!(
            shown(text, 36),
            [
                "| Document ID | NWL-AIMS-POL-001 |",
                "| --- | :---: |",
                "| Owner | Hannah Kowalski, Head of",
                "↪ AI Governance |",
                "| Short | row |",
            ]
        );
        assert_eq!(
            squeeze_table_row("| a |  | b |").as_deref(),
            Some("| a | | b |")
        );
        assert_eq!(squeeze_table_row("not | a table"), None);
    }

    #[test]
    fn tabs_become_spaces_and_tiny_panes_wrap_nothing() {
        assert_eq!(shown("a\tb\tc", 20), ["a   b   c"]);
        assert_eq!(shown("abcdef", 3), ["abcdef"]);
        assert_eq!(shown("", 10), Vec::<String>::new());
    }
}
