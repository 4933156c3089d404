//! Where the parts of a checklist are in its RON text, so that every problem
//! validation finds can point at its line and column.
//!
//! The text has already been parsed into a [`super::Checklist`], so its shape
//! is known: the checklist's fields sit at nesting depth 1, a section's at 3
//! and a requirement's at 5 (`Checklist(` `sections: [` `Section(`
//! `requirements: [` `Requirement(`). One pass over the text, skipping
//! strings and comments as ron does, finds every field name with its depth
//! and every string with its depth; the n-th section's `id` is then the n-th
//! `id` at depth 3, whatever its titles, questions or comments contain.

use crate::ronfile;

/// Nesting depth of the checklist's own fields.
pub(super) const CHECKLIST: usize = 1;
/// Nesting depth of a section's fields.
pub(super) const SECTION: usize = 3;
/// Nesting depth of a requirement's fields.
pub(super) const REQUIREMENT: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// `name:` at `depth`; `value` is the byte offset of what follows.
    Field {
        name: &'a str,
        depth: usize,
        value: usize,
    },
    /// A string literal starting at byte `at`.
    Str { depth: usize, at: usize },
}

/// The fields and strings of one checklist text, in order.
pub(crate) struct Positions<'a> {
    text: &'a str,
    tokens: Vec<Token<'a>>,
}

impl<'a> Positions<'a> {
    pub(crate) fn of(text: &'a str) -> Positions<'a> {
        Positions {
            text,
            tokens: scan(text),
        }
    }

    /// Line and column of the value of the `nth` (0-based) field `name` at
    /// `depth`.
    pub(crate) fn field(&self, depth: usize, name: &str, nth: usize) -> Option<(usize, usize)> {
        self.tokens
            .iter()
            .filter_map(|t| match *t {
                Token::Field {
                    name: n,
                    depth: d,
                    value,
                } if d == depth && n == name => Some(value),
                _ => None,
            })
            .nth(nth)
            .map(|offset| ronfile::position_at(self.text, offset))
    }

    /// Line and column of the `nth` (0-based) string listed in the field
    /// `name` of any item at `depth`, counted across items in order.
    pub(crate) fn listed(&self, depth: usize, name: &str, nth: usize) -> Option<(usize, usize)> {
        let mut inside = false;
        self.tokens
            .iter()
            .filter_map(|t| match *t {
                Token::Field {
                    name: n, depth: d, ..
                } if d <= depth => {
                    inside = d == depth && n == name;
                    None
                }
                Token::Str { depth: d, at } if inside && d == depth + 1 => Some(at),
                _ => None,
            })
            .nth(nth)
            .map(|offset| ronfile::position_at(self.text, offset))
    }
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Byte offset just past the whitespace and comments starting at `at`.
fn skip_trivia(bytes: &[u8], mut at: usize) -> usize {
    loop {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(b'/'), Some(b'/')) => {
                while bytes.get(at).is_some_and(|&c| c != b'\n') {
                    at += 1;
                }
            }
            (Some(b'/'), Some(b'*')) => {
                // Block comments nest, as in ron.
                let mut level = 0usize;
                while at < bytes.len() {
                    match (bytes[at], bytes.get(at + 1)) {
                        (b'/', Some(b'*')) => {
                            level += 1;
                            at += 2;
                        }
                        (b'*', Some(b'/')) => {
                            level = level.saturating_sub(1);
                            at += 2;
                            if level == 0 {
                                break;
                            }
                        }
                        _ => at += 1,
                    }
                }
            }
            _ => return at,
        }
    }
}

/// Byte offset just past the string literal (plain, raw `r#".."#` or byte)
/// starting at `at`, whose opening quote is at `quote` after `hashes` `#`.
fn skip_string(bytes: &[u8], quote: usize, hashes: usize) -> usize {
    let mut at = quote + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if hashes == 0 => at += 2,
            b'"' if bytes[at + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes =>
            {
                return at + 1 + hashes;
            }
            _ => at += 1,
        }
    }
    bytes.len()
}

/// If a string literal starts at `at`: its opening quote and `#` count.
fn string_start(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    if bytes.get(i) == Some(&b'b') {
        i += 1;
    }
    if bytes.get(i) == Some(&b'r') {
        i += 1;
        let hashes = bytes[i..].iter().take_while(|&&c| c == b'#').count();
        return (bytes.get(i + hashes) == Some(&b'"')).then_some((i + hashes, hashes));
    }
    (bytes.get(i) == Some(&b'"')).then_some((i, 0))
}

fn scan(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        let next = skip_trivia(bytes, at);
        if next != at {
            at = next;
            continue;
        }
        if let Some((quote, hashes)) = string_start(bytes, at) {
            tokens.push(Token::Str { depth, at });
            at = skip_string(bytes, quote, hashes);
            continue;
        }
        match bytes[at] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\'' => {
                // A char literal: skip it whole, so `'('` is no bracket.
                at += 1;
                if bytes.get(at) == Some(&b'\\') {
                    at += 1;
                }
                at += 1;
                while bytes.get(at).is_some_and(|&c| c != b'\'') {
                    at += 1;
                }
            }
            c if is_ident_start(c) => {
                let start = at;
                while bytes.get(at).is_some_and(|&c| is_ident(c)) {
                    at += 1;
                }
                let after = skip_trivia(bytes, at);
                if bytes.get(after) == Some(&b':') {
                    tokens.push(Token::Field {
                        name: &text[start..at],
                        depth,
                        value: skip_trivia(bytes, after + 1),
                    });
                }
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r##"// id: "not this", title: (
Checklist(
    /* sections: [ /* nested */ ) */
    title: "id: \"S\" ( [",
    id: "t",
    sections: [
        Section(id: "S", title: r#"Requirement(id: "S")"#, objective: Some("x"),
            requirements: [
                Requirement(id: "S", title: 'a', maps_to: ["t:S", "t:T"]),
                Requirement(id: "T", title: "B", questions: ["maps_to: [\"x\"]"], maps_to: ["t:S"]),
            ]),
    ],
)"##;

    #[test]
    fn fields_are_found_by_depth_and_order_not_by_text() {
        let p = Positions::of(TEXT);
        assert_eq!(p.field(CHECKLIST, "id", 0), Some((5, 9)));
        assert_eq!(p.field(CHECKLIST, "title", 0), Some((4, 12)));
        assert_eq!(p.field(CHECKLIST, "sections", 0), Some((6, 15)));
        assert_eq!(p.field(SECTION, "id", 0), Some((7, 21)));
        assert_eq!(p.field(SECTION, "title", 0), Some((7, 33)));
        assert_eq!(p.field(SECTION, "id", 1), None);
        assert_eq!(p.field(REQUIREMENT, "id", 0), Some((9, 33)));
        assert_eq!(p.field(REQUIREMENT, "id", 1), Some((10, 33)));
        assert_eq!(p.field(REQUIREMENT, "title", 1), Some((10, 45)));
        assert_eq!(p.listed(REQUIREMENT, "maps_to", 0), Some((9, 60)));
        assert_eq!(p.listed(REQUIREMENT, "maps_to", 1), Some((9, 67)));
        assert_eq!(p.listed(REQUIREMENT, "maps_to", 2), Some((10, 93)));
        assert_eq!(p.listed(REQUIREMENT, "maps_to", 3), None);
    }

    #[test]
    fn mangled_checklists_never_panic_the_reader_or_the_validator() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let bytes = TEXT.as_bytes();
        for _ in 0..2000 {
            let mut mangled = bytes.to_vec();
            for _ in 0..1 + random() % 4 {
                let at = (random() % mangled.len() as u64) as usize;
                match random() % 3 {
                    0 => mangled[at] = b"\"'()[]{}:/*#r\\\xff"[(random() % 15) as usize],
                    1 => mangled.truncate(at),
                    _ => {
                        mangled.remove(at);
                    }
                }
                if mangled.is_empty() {
                    break;
                }
            }
            if let Ok(text) = std::str::from_utf8(&mangled) {
                let _ = Positions::of(text).listed(REQUIREMENT, "maps_to", 1);
            }
            if let Ok(c) = crate::checklist::parse_bytes(&mangled, std::path::Path::new("t")) {
                let text = String::from_utf8_lossy(&mangled);
                let _ = crate::checklist::validate(&c, Some(&text), &[]);
            }
        }
    }

    #[test]
    fn unterminated_text_ends_the_scan_without_panicking() {
        for text in ["Checklist(id: \"x", "r#\"", "'", "/* a", "b", "x:", "\"\\"] {
            let p = Positions::of(text);
            let _ = p.field(CHECKLIST, "id", 0);
        }
    }
}
