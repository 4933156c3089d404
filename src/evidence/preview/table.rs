//! Tables in previews: CSV/TSV files and spreadsheet sheets as rows of cells,
//! and the pure helpers a screen needs to draw them as aligned columns.
//!
//! A [`Table`] keeps its header row apart from the data rows so the screen
//! can pin it at the top. The screen asks [`Table::layout`] which columns fit
//! its width from a given first column (scrolling sideways is a change of
//! first column), draws each row with [`Table::line`], and shows a row's
//! cells in full with [`Table::record`]. Widths are display columns
//! (`unicode-width`): a wide character counts two and is never split.
//!
//! Cells are cleaned when the table is built: control characters become
//! visible symbols, and line breaks and tabs inside a cell become spaces, so
//! one row is always one line.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::*;

/// At most this many rows kept per table (the text limit comes first for most files).
pub const MAX_TABLE_ROWS: usize = 20_000;
/// At most this many columns kept per table.
pub const MAX_TABLE_COLUMNS: usize = 256;
/// A column is never laid out wider than this; longer cells are cut with `…`.
pub const MAX_COLUMN_WIDTH: usize = 40;
/// A column cut at the right edge is shown only if this many columns are left for it.
const MIN_CUT_WIDTH: usize = 4;

/// A table to draw as aligned columns: a CSV/TSV file or one sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The sheet's name, or the file's name for a CSV/TSV file.
    pub title: String,
    /// Rows above the header (a sheet's title and notes), each one line.
    pub preamble: Vec<String>,
    /// The header row: the first row that fills at least half as many
    /// cells as the fullest row.
    pub header: Vec<String>,
    /// The data rows under the header, cells in column order (ragged rows
    /// stay ragged: a missing cell is an empty one).
    pub rows: Vec<Vec<String>>,
    /// Rows, columns or text were left out to stay within the preview's limits.
    pub truncated: bool,
}

impl Table {
    /// Between two columns.
    pub const SEPARATOR: &'static str = " │ ";

    /// A table from rows of cleaned cells: blank rows and trailing empty
    /// cells dropped, the header found, rows before it kept as preamble.
    pub(super) fn from_rows(title: String, rows: Vec<Vec<String>>, truncated: bool) -> Table {
        let mut rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|mut row| {
                while row.last().is_some_and(|c| c.is_empty()) {
                    row.pop();
                }
                row
            })
            .filter(|row| !row.is_empty())
            .collect();
        let filled = |row: &Vec<String>| row.iter().filter(|c| !c.is_empty()).count();
        let fullest = rows.iter().map(filled).max().unwrap_or(0);
        let at = rows
            .iter()
            .position(|row| 2 * filled(row) >= fullest)
            .unwrap_or(0);
        let mut data = rows.split_off(at.min(rows.len()));
        let preamble = rows
            .iter()
            .map(|row| {
                row.iter()
                    .filter(|c| !c.is_empty())
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect();
        let header = if data.is_empty() {
            Vec::new()
        } else {
            data.remove(0)
        };
        Table {
            title,
            preamble,
            header,
            rows: data,
            truncated,
        }
    }

    /// How many columns the widest row (or the header) has.
    pub fn columns(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0)
    }

    /// The cell at `row` (0 is the first data row) and `column`; empty where the row is short.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .map_or("", String::as_str)
    }

    /// The width each column would like: its widest cell, header included,
    /// at least 1 and at most [`MAX_COLUMN_WIDTH`]. Worth keeping while the
    /// table is on screen; [`Table::layout_widths`] takes it.
    pub fn column_widths(&self) -> Vec<usize> {
        let mut widths = vec![1; self.columns()];
        for row in self.rows.iter().chain([&self.header]) {
            for (slot, cell) in widths.iter_mut().zip(row) {
                *slot = (*slot).max(display_width(cell).min(MAX_COLUMN_WIDTH));
            }
        }
        widths
    }

    /// The columns to draw in `width` display columns, starting at
    /// `first_column`, as `(column, width)`: every column that fits whole,
    /// then the next one cut to what is left (when at least a few columns
    /// are left), separated by [`Table::SEPARATOR`]. The first column is
    /// always shown, cut to `width` if it is wider.
    pub fn layout(&self, width: usize, first_column: usize) -> Vec<(usize, usize)> {
        Table::layout_widths(&self.column_widths(), width, first_column)
    }

    /// [`Table::layout`] with the widths already measured.
    pub fn layout_widths(
        widths: &[usize],
        width: usize,
        first_column: usize,
    ) -> Vec<(usize, usize)> {
        let separator = display_width(Table::SEPARATOR);
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut used = 0;
        for (column, &wanted) in widths.iter().enumerate().skip(first_column) {
            let gap = if out.is_empty() { 0 } else { separator };
            let room = width.saturating_sub(used + gap);
            if wanted <= room {
                out.push((column, wanted));
                used += gap + wanted;
            } else {
                if (out.is_empty() || room >= MIN_CUT_WIDTH) && room > 0 {
                    out.push((column, room));
                }
                break;
            }
        }
        out
    }

    /// One row drawn for `layout`: each cell cut or padded to its column's
    /// width, columns apart by [`Table::SEPARATOR`], no trailing spaces.
    /// Pass `&table.header` or `&table.rows[i]`.
    pub fn line(cells: &[String], layout: &[(usize, usize)]) -> String {
        let mut line = String::new();
        for (k, &(column, width)) in layout.iter().enumerate() {
            if k > 0 {
                line.push_str(Table::SEPARATOR);
            }
            let cell = cells.get(column).map_or("", String::as_str);
            line.push_str(&pad_to_width(&cut_to_width(cell, width), width));
        }
        line.truncate(line.trim_end().len());
        line
    }

    /// A data row's cells in full, each with its column's header (or
    /// "Column N" where the header has none), for showing one row whole.
    pub fn record(&self, row: usize) -> Vec<(String, &str)> {
        let Some(cells) = self.rows.get(row) else {
            return Vec::new();
        };
        (0..self.columns())
            .map(|column| {
                let name = match self.header.get(column).map(String::as_str) {
                    Some(name) if !name.is_empty() => name.to_string(),
                    _ => format!("Column {}", column + 1),
                };
                (name, cells.get(column).map_or("", String::as_str))
            })
            .collect()
    }
}

/// How many terminal columns `s` takes (wide characters count two).
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `width` display columns, ending in `…` when cut; a
/// character is never split (a wide one that does not fit is left out).
pub fn cut_to_width(s: &str, width: usize) -> Cow<'_, str> {
    if display_width(s) <= width {
        return Cow::Borrowed(s);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` with spaces added to fill `width` display columns.
pub fn pad_to_width(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    for _ in display_width(s)..width {
        out.push(' ');
    }
    out
}

/// A cell made safe for one line: control characters visible, line breaks
/// and tabs as spaces, surrounding blanks trimmed.
pub(super) fn clean_cell(raw: &str) -> String {
    clean_text(raw)
        .replace(['\n', '\t'], " ")
        .trim()
        .to_string()
}

/// The delimiter of a CSV file, from its first line: whichever of `,` `;`
/// and tab occurs most often outside quotes (comma on a tie or none).
pub(super) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        return b',';
    }
    [b',', b';', b'\t'][best]
}

/// A CSV/TSV file's text (decoded, not yet cleaned) as a table. `delimiter`
/// is `None` to sniff it. `cut` says the text stops at the preview limit,
/// so its last record may be incomplete and is dropped.
pub(super) fn csv_table(title: &str, text: &str, delimiter: Option<u8>, cut: bool) -> Table {
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut truncated = cut;
    for record in reader.byte_records() {
        let Ok(record) = record else {
            truncated = true;
            break;
        };
        if rows.len() >= MAX_TABLE_ROWS {
            truncated = true;
            break;
        }
        if record.len() > MAX_TABLE_COLUMNS {
            truncated = true;
        }
        rows.push(
            record
                .iter()
                .take(MAX_TABLE_COLUMNS)
                .map(|field| clean_cell(&String::from_utf8_lossy(field)))
                .collect(),
        );
    }
    if cut {
        rows.pop();
    }
    Table::from_rows(title.to_string(), rows, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn csv_with_quotes_newlines_ragged_rows_and_controls() {
        let text = "id,name,notes\r\n1,\"Smith, Ann\",\"two\nlines\"\n2,Bo\n\n3,\"say \"\"hi\"\"\",x,extra\n4,\u{1b}[2J,\tend\n";
        let t = csv_table("people.csv", text, None, false);
        assert_eq!(t.title, "people.csv");
        assert_eq!(t.header, row(&["id", "name", "notes"]));
        assert_eq!(
            t.rows,
            vec![
                row(&["1", "Smith, Ann", "two lines"]),
                row(&["2", "Bo"]),
                row(&["3", "say \"hi\"", "x", "extra"]),
                row(&["4", "␛[2J", "end"]),
            ]
        );
        assert_eq!(t.columns(), 4);
        assert_eq!(t.cell(1, 2), "");
        assert!(!t.truncated);
    }

    #[test]
    fn delimiters_are_sniffed_from_the_first_line() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc, d\n"), b'\t');
        assert_eq!(sniff_delimiter("\"x;y\",b\n"), b',');
        assert_eq!(sniff_delimiter("single\n"), b',');
        let t = csv_table("excel.csv", "Name;Amount\nAnn;1,50\n", None, false);
        assert_eq!(t.header, row(&["Name", "Amount"]));
        assert_eq!(t.rows, vec![row(&["Ann", "1,50"])]);
        let t = csv_table("a.tsv", "a\tb, c\n1\t2\n", Some(b'\t'), false);
        assert_eq!(t.header, row(&["a", "b, c"]));
    }

    #[test]
    fn a_cut_file_loses_its_half_record_and_wide_files_are_capped() {
        let t = csv_table("cut.csv", "a,b\n1,2\n3,4", None, true);
        assert_eq!(t.rows, vec![row(&["1", "2"])]);
        assert!(t.truncated);
        let wide = vec!["x"; MAX_TABLE_COLUMNS + 10].join(",");
        let t = csv_table("wide.csv", &wide, None, false);
        assert_eq!(t.header.len(), MAX_TABLE_COLUMNS);
        assert!(t.truncated);
        let many = "1\n".repeat(MAX_TABLE_ROWS + 5);
        let t = csv_table("long.csv", &many, None, false);
        assert_eq!(t.rows.len(), MAX_TABLE_ROWS - 1);
        assert!(t.truncated);
    }

    #[test]
    fn title_rows_above_the_header_become_the_preamble() {
        let t = Table::from_rows(
            "Register".into(),
            vec![
                row(&["Risk register"]),
                row(&[]),
                row(&["", "as at 1 Sep", ""]),
                row(&["ID", "Risk", "Owner", ""]),
                row(&["R-01", "Drift", "Rhys"]),
            ],
            false,
        );
        assert_eq!(t.preamble, vec!["Risk register", "as at 1 Sep"]);
        assert_eq!(t.header, row(&["ID", "Risk", "Owner"]));
        assert_eq!(t.rows, vec![row(&["R-01", "Drift", "Rhys"])]);
    }

    #[test]
    fn cutting_by_display_width_never_splits_a_char() {
        assert_eq!(cut_to_width("short", 10), "short");
        assert_eq!(cut_to_width("exactly", 7), "exactly");
        assert_eq!(cut_to_width("too long", 5), "too …");
        assert_eq!(cut_to_width("東京都庁", 5), "東京…");
        assert_eq!(cut_to_width("東京都庁", 4), "東…");
        assert_eq!(cut_to_width("café au lait", 5), "café…");
        assert_eq!(cut_to_width("x", 0), "");
        assert_eq!(cut_to_width("xy", 1), "…");
        assert_eq!(display_width("東京"), 4);
        assert_eq!(pad_to_width("東", 4), "東  ");
    }

    #[test]
    fn layout_fits_columns_and_scrolls_sideways() {
        let widths = [5, 10, 3, 60];
        // 5 + 3 + 10 + 3 + 3 = 24; the 60-wide column gets what is left.
        assert_eq!(
            Table::layout_widths(&widths, 30, 0),
            vec![(0, 5), (1, 10), (2, 3)]
        );
        assert_eq!(
            Table::layout_widths(&widths, 40, 0),
            vec![(0, 5), (1, 10), (2, 3), (3, 13)]
        );
        assert_eq!(Table::layout_widths(&widths, 40, 2), vec![(2, 3), (3, 34)]);
        // A first column wider than the pane is cut to it.
        assert_eq!(Table::layout_widths(&widths, 20, 3), vec![(3, 20)]);
        assert_eq!(Table::layout_widths(&widths, 40, 9), vec![]);
        assert_eq!(Table::layout_widths(&widths, 0, 0), vec![]);

        let t = Table::from_rows(
            "t".into(),
            vec![
                row(&["ID", "Description", "Owner"]),
                row(&["R-01", &"long ".repeat(20), "Rhys Pritchard"]),
            ],
            false,
        );
        assert_eq!(t.column_widths(), vec![4, MAX_COLUMN_WIDTH, 14]);
        let layout = t.layout(30, 0);
        assert_eq!(layout, vec![(0, 4), (1, 23)]);
        assert_eq!(Table::line(&t.header, &layout), "ID   │ Description");
        assert_eq!(
            Table::line(&t.rows[0], &layout),
            "R-01 │ long long long long lo…"
        );
        assert_eq!(
            t.record(0),
            vec![
                ("ID".to_string(), "R-01"),
                ("Description".to_string(), t.cell(0, 1)),
                ("Owner".to_string(), "Rhys Pritchard"),
            ]
        );
        assert!(t.record(5).is_empty());
    }
}
