//! The evidence screen's preview pane: where it is scrolled to, the row
//! and columns of a table in view, and a search inside the preview.
//!
//! A text preview scrolls by the file's own lines (a line wider than the
//! pane wraps on screen, marked, but stays one line here); a table preview
//! (a CSV file, a spreadsheet's sheets) by rows, one table at a time, with a
//! row cursor and the columns scrolled sideways. A search matches the query
//! in each line, or in each row's cells, ignoring case; `n`/`N` go from hit
//! to hit.

use std::ops::Range;

use ratatui_textarea::{Input, Key, TextArea};

use crate::evidence::preview::{Preview, Table};

/// Which pane of the evidence screen has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Files,
    Preview,
}

/// A search inside the preview.
pub struct Search {
    pub query: TextArea<'static>,
    /// The query is being typed (Enter confirms it, Esc drops it).
    pub typing: bool,
    /// The lines (text) or rows (tables) that hold the query, in order.
    pub hits: Vec<usize>,
    /// Index into `hits` of the one in view.
    pub current: usize,
}

impl Search {
    pub fn text(&self) -> String {
        self.query.lines().join("")
    }
}

/// The preview pane's state.
pub struct Pane {
    pub focus: Focus,
    /// The first line (text) shown, or the row under the cursor (tables):
    /// an index into the preview's lines or rows ([`rows`]).
    pub at: usize,
    /// The first row shown of a table (the cursor stays in view).
    pub top: usize,
    /// The first column shown of a table.
    pub column: usize,
    pub search: Option<Search>,
}

impl Default for Pane {
    fn default() -> Pane {
        Pane {
            focus: Focus::Files,
            at: 0,
            top: 0,
            column: 0,
            search: None,
        }
    }
}

/// A row of one of a preview's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowRef {
    pub table: usize,
    pub row: usize,
}

/// The rows of all a preview's tables, in order.
pub fn rows(preview: &Preview) -> Vec<RowRef> {
    preview
        .tables
        .iter()
        .enumerate()
        .flat_map(|(table, t)| (0..t.rows.len()).map(move |row| RowRef { table, row }))
        .collect()
}

/// How many lines (text) or rows (tables) the pane steps through.
pub fn len(preview: &Preview) -> usize {
    if preview.tables.is_empty() {
        preview.text.lines().count()
    } else {
        preview.tables.iter().map(|t| t.rows.len()).sum()
    }
}

/// Where `needle` stands in `hay`, ignoring case, as byte ranges of `hay`.
pub fn matches(hay: &str, needle: &str) -> Vec<Range<usize>> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // Match char by char, each folded to lower case on its own.
        let mut folded = Vec::new();
        let mut j = i;
        while j < chars.len() && folded.len() < needle.len() {
            folded.extend(chars[j].1.to_lowercase());
            j += 1;
        }
        if folded == needle {
            let end = chars.get(j).map_or(hay.len(), |(at, _)| *at);
            found.push(chars[i].0..end);
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// The lines or rows of `preview` that hold `query`.
fn hits(preview: &Preview, query: &str) -> Vec<usize> {
    if query.is_empty() {
        return Vec::new();
    }
    if preview.tables.is_empty() {
        return preview
            .text
            .lines()
            .enumerate()
            .filter(|(_, line)| !matches(line, query).is_empty())
            .map(|(i, _)| i)
            .collect();
    }
    rows(preview)
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let cells = &preview.tables[r.table].rows[r.row];
            cells.iter().any(|c| !matches(c, query).is_empty())
        })
        .map(|(i, _)| i)
        .collect()
}

impl Pane {
    /// Move through the preview by `by` lines or rows (negative: up), within
    /// it; `page` rows fit the pane.
    pub fn step(&mut self, preview: &Preview, by: isize, page: usize) {
        let last = len(preview).saturating_sub(1);
        self.at = self.at.saturating_add_signed(by).min(last);
        self.keep_in_view(page);
    }

    /// A table's first shown row follows the cursor.
    fn keep_in_view(&mut self, page: usize) {
        let page = page.max(1);
        if self.at < self.top {
            self.top = self.at;
        } else if self.at >= self.top + page {
            self.top = self.at + 1 - page;
        }
    }

    /// Scroll a table sideways by one column.
    pub fn columns(&mut self, preview: &Preview, right: bool) {
        let widest = preview.tables.iter().map(Table::columns).max().unwrap_or(0);
        self.column = if right {
            (self.column + 1).min(widest.saturating_sub(1))
        } else {
            self.column.saturating_sub(1)
        };
    }

    /// `/` with the preview focused: start typing a query.
    pub fn start_search(&mut self) {
        self.search = Some(Search {
            query: TextArea::default(),
            typing: true,
            hits: Vec::new(),
            current: 0,
        });
    }

    /// A key typed into the query: search again and show the first hit at or
    /// after where the pane is.
    pub fn typed(&mut self, preview: Option<&Preview>, input: Input, page: usize) {
        let Some(search) = self.search.as_mut() else {
            return;
        };
        if input.key == Key::Enter || input.ctrl {
            return;
        }
        search.query.input(input);
        search.hits = preview.map_or_else(Vec::new, |p| hits(p, &search.text()));
        let from = self.at;
        search.current = search.hits.iter().position(|h| *h >= from).unwrap_or(0);
        self.show_hit(page);
    }

    /// Enter: keep the query and its hits, and give the keys back to the pane.
    pub fn confirm_search(&mut self) {
        if let Some(search) = self.search.as_mut() {
            search.typing = false;
            if search.text().is_empty() {
                self.search = None;
            }
        }
    }

    /// `n`/`N`: the next (or previous) hit, wrapping round.
    pub fn next_hit(&mut self, forward: bool, page: usize) -> bool {
        let Some(search) = self.search.as_mut().filter(|s| !s.hits.is_empty()) else {
            return false;
        };
        let n = search.hits.len();
        search.current = if forward {
            (search.current + 1) % n
        } else {
            (search.current + n - 1) % n
        };
        self.show_hit(page);
        true
    }

    fn show_hit(&mut self, page: usize) {
        if let Some(hit) = self.search.as_ref().and_then(|s| s.hits.get(s.current)) {
            self.at = *hit;
            self.keep_in_view(page);
        }
    }

    /// The line or row of the hit in view, if a search has one.
    pub fn current_hit(&self) -> Option<usize> {
        let search = self.search.as_ref()?;
        search.hits.get(search.current).copied()
    }

    /// What a search says of itself: `"risk" 2 of 5`, or that nothing matches.
    pub fn search_status(&self) -> Option<String> {
        let search = self.search.as_ref()?;
        let query = crate::text::shown(&search.text()).into_owned();
        Some(match search.hits.len() {
            0 if query.is_empty() => "/".to_string(),
            0 => format!("/{query}: no match"),
            n => format!("/{query}: {} of {n}", search.current + 1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::preview::FileKind;

    fn text(t: &str) -> Preview {
        Preview {
            kind: FileKind::Text,
            text: t.into(),
            truncated: false,
            note: None,
            tables: Vec::new(),
        }
    }

    #[test]
    fn matching_ignores_case_and_gives_byte_ranges() {
        assert_eq!(matches("Risk register, RISK owner", "risk"), [0..4, 15..19]);
        // İ folds to two characters, so only the first matches.
        assert_eq!(
            matches("Çelik ÇELİK", "çelik"),
            vec![Range { start: 0, end: 6 }]
        );
        assert_eq!(matches("straße", "STRASSE"), Vec::<Range<usize>>::new());
        assert!(matches("anything", "").is_empty());
        assert_eq!(matches("aaa", "aa"), vec![Range { start: 0, end: 2 }]);
    }

    /// Start a search in `pane` and type `query`, with a page of 10 rows.
    fn search(pane: &mut Pane, preview: &Preview, query: &str) {
        pane.start_search();
        for c in query.chars() {
            let key = Input {
                key: Key::Char(c),
                ..Input::default()
            };
            pane.typed(Some(preview), key, 10);
        }
    }

    #[test]
    fn a_search_goes_from_hit_to_hit_and_wraps() {
        let p = text("alpha\nrisk one\nbeta\nRisk two\ngamma");
        let mut pane = Pane::default();
        search(&mut pane, &p, "risk");
        assert_eq!(pane.at, 1);
        assert_eq!(pane.search_status().as_deref(), Some("/risk: 1 of 2"));
        assert!(pane.next_hit(true, 10));
        assert_eq!(pane.at, 3);
        assert!(pane.next_hit(true, 10));
        assert_eq!(pane.at, 1, "wraps round");
        assert!(pane.next_hit(false, 10));
        assert_eq!(pane.at, 3);
    }

    #[test]
    fn a_table_searches_rows_and_keeps_the_cursor_in_view() {
        let mut p = text("");
        p.tables = vec![Table {
            title: "t".into(),
            header: vec!["id".into(), "owner".into()],
            rows: (0..30)
                .map(|i| {
                    vec![
                        format!("R-{i}"),
                        if i == 25 {
                            "Eleanor".into()
                        } else {
                            "Sam".into()
                        },
                    ]
                })
                .collect(),
            ..Table::default()
        }];
        let mut pane = Pane::default();
        search(&mut pane, &p, "eleanor");
        assert_eq!((pane.at, pane.top), (25, 16));
        pane.step(&p, -20, 10);
        assert_eq!((pane.at, pane.top), (5, 5));
        pane.step(&p, 100, 10);
        assert_eq!(pane.at, 29, "stops at the last row");
        pane.columns(&p, true);
        pane.columns(&p, true);
        assert_eq!(pane.column, 1, "stops at the last column");
    }
}
