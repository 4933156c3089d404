//! Text placed into the report's stylesheet, and the running header and
//! footer of printed pages, which CSS `@page` margin boxes give: the report
//! number, revision and client at the foot of every page, with "Page X of
//! Y" (headless Chromium prints them).

use std::fmt::Write;

/// At most this many characters of the client's name in the footer.
const FOOTER_CLIENT_CHARS: usize = 80;

/// `text` as a quoted CSS string. A quote or backslash is escaped, and so is
/// every character that could end the string or the `<style>` element it
/// sits in: control characters (newlines included), `<`, `>` and `&` become
/// hex escapes (`\3c `). NUL, which CSS reads as U+FFFD, is written as that.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\0' => out.push_str("\\fffd "),
            c if c.is_control() || matches!(c, '<' | '>' | '&') => {
                // The space ends the escape; CSS swallows it.
                let _ = write!(out, "\\{:x} ", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `@page` rules that put the report's identity and the page count at
/// the foot of each printed page.
pub fn page_footer(report_no: &str, revision: u32, draft: bool, client: &str) -> String {
    let mut client: String = client.split_whitespace().collect::<Vec<_>>().join(" ");
    if client.chars().count() > FOOTER_CLIENT_CHARS {
        client = client.chars().take(FOOTER_CLIENT_CHARS - 1).collect();
        client.push('…');
    }
    let draft = if draft { " (draft)" } else { "" };
    let identity = format!("Report {report_no}, revision {revision}{draft} — {client}");
    format!(
        "@page {{\n  @bottom-left {{ content: {}; font-size: 8pt; color: #444; }}\n  \
         @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); font-size: 8pt; color: #444; }}\n}}\n",
        css_string(&identity)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_escape_quotes_backslashes_controls_and_markup() {
        assert_eq!(css_string("Acme AI Ltd"), "\"Acme AI Ltd\"");
        assert_eq!(css_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(css_string("one\ntwo\r\t"), "\"one\\a two\\d \\9 \"");
        assert_eq!(
            css_string("</style><script>"),
            "\"\\3c /style\\3e \\3c script\\3e \""
        );
        assert_eq!(css_string("\u{1b}[31m\0"), "\"\\1b [31m\\fffd \"");
        assert_eq!(css_string("Zoë — ok"), "\"Zoë — ok\"");
        assert_eq!(css_string("\u{85}"), "\"\\85 \"");
    }

    #[test]
    fn the_footer_names_the_report_and_counts_pages() {
        let footer = page_footer("R-1", 2, true, "Acme\n\"AI\"");
        assert!(footer.contains(r#"content: "Report R-1, revision 2 (draft) — Acme \"AI\"""#));
        assert!(footer.contains(r#"content: "Page " counter(page) " of " counter(pages)"#));
        let long = page_footer("R-1", 1, false, &"x".repeat(500));
        assert!(long.contains(&format!("{}…\"", "x".repeat(79))), "{long}");
        assert!(!long.contains(&"x".repeat(80)));
    }
}
