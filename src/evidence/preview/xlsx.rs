//! Excel previews: shared strings, the workbook's sheets in order, and each
//! sheet's cells as text and as a table, within the office parts' limits.

use super::office::*;
use super::*;

/// The workbook's shared strings, stored compactly: a hostile part could hold
/// millions of tiny ones.
pub(super) struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => *self.ends.get(index - 1)? as usize,
        };
        self.text.get(start..end)
    }
}

pub(super) fn read_shared_strings<R: Read>(
    part: &mut Part<R>,
) -> Result<SharedStrings, PreviewError> {
    let mut strings = SharedStrings {
        text: String::new(),
        ends: Vec::new(),
    };
    let mut buf = Vec::new();
    let mut in_si = false;
    let mut in_t = 0usize;
    let mut current = String::new();
    while let Some(event) = part.next(&mut buf)? {
        match &event {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => {
                    in_si = true;
                    current.clear();
                }
                "t" if in_si => in_t += 1,
                // Phonetic hints repeat the text in another script.
                "rPh" => {
                    let e = e.to_owned();
                    part.skip(&e)?;
                }
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => {
                strings.ends.push(strings.text.len() as u32);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_t = in_t.saturating_sub(1),
                "si" => {
                    in_si = false;
                    let keep = floor_char_boundary(&current, TEXT_LIMIT);
                    strings.text.push_str(&current[..keep]);
                    strings
                        .ends
                        .push(u32::try_from(strings.text.len()).unwrap_or(u32::MAX));
                }
                _ => {}
            },
            _ if in_t > 0 && current.len() <= TEXT_LIMIT => {
                if let Some(text) = event_text(&event) {
                    current.push_str(&text);
                }
            }
            _ => {}
        }
    }
    Ok(strings)
}

/// A worksheet to show: its name, zip part and whether it is hidden.
pub(super) struct Sheet {
    name: String,
    part: String,
    hidden: bool,
}

/// Relationship ids to zip part names, from a `.rels` part.
pub(super) fn read_relationships<R: Read>(
    part: &mut Part<R>,
    base: &str,
) -> Result<HashMap<String, String>, PreviewError> {
    let mut targets = HashMap::new();
    let mut buf = Vec::new();
    while let Some(event) = part.next(&mut buf)? {
        if let Event::Start(e) | Event::Empty(e) = &event
            && e.local_name().as_ref() == "Relationship"
            && let (Some(id), Some(target)) = (attribute(e, "Id"), attribute(e, "Target"))
        {
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("{base}{target}"),
            };
            targets.insert(id, path);
        }
    }
    Ok(targets)
}

/// Sheets in workbook order, with names; then any worksheet parts the workbook
/// does not list. Problems with the workbook's own parts only lose the names.
/// Also says whether the workbook counts dates from 1904.
pub(super) fn list_sheets(zip: &mut Zip<'_>, budget: &mut XmlBudget) -> (Vec<Sheet>, bool) {
    let kind = FileKind::Xlsx;
    let mut listed: Vec<(String, String, bool)> = Vec::new();
    let mut date1904 = false;
    if let Ok(Some(mut part)) = zip_part(zip, kind, "xl/workbook.xml", budget) {
        let mut buf = Vec::new();
        while let Ok(Some(event)) = part.next(&mut buf) {
            if let Event::Start(e) | Event::Empty(e) = &event
                && is_date1904(e)
            {
                date1904 = true;
            }
            if let Event::Start(e) | Event::Empty(e) = &event
                && e.local_name().as_ref() == "sheet"
            {
                let id = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "id" && a.key.prefix().is_some())
                    .and_then(|a| attribute_value(&a));
                let name = attribute(e, "name").unwrap_or_default();
                let hidden = attribute(e, "state").is_some_and(|s| s != "visible");
                listed.push((name, id.unwrap_or_default(), hidden));
            }
        }
        budget.spend(&part);
    }
    let mut targets = HashMap::new();
    if let Ok(Some(mut part)) = zip_part(zip, kind, "xl/_rels/workbook.xml.rels", budget) {
        targets = read_relationships(&mut part, "xl/").unwrap_or_default();
        budget.spend(&part);
    }
    let mut sheets = Vec::new();
    let mut seen = HashSet::new();
    for (name, id, hidden) in listed {
        if let Some(path) = targets.get(&id)
            && zip.index_for_name(path).is_some()
            && seen.insert(path.clone())
        {
            sheets.push(Sheet {
                name,
                part: path.clone(),
                hidden,
            });
        }
    }
    for (number, path) in numbered_parts(zip, "xl/worksheets/sheet") {
        if seen.insert(path.clone()) {
            sheets.push(Sheet {
                name: format!("Sheet {number}"),
                part: path,
                hidden: false,
            });
        }
    }
    (sheets, date1904)
}

/// The 1-based column of a cell reference such as "C12".
pub(super) fn column_of(reference: &str) -> Option<u32> {
    let letters: Vec<u8> = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    Some(letters.iter().fold(0u32, |column, &b| {
        column * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    }))
}

/// One cell being read.
#[derive(Default)]
pub(super) struct XlCell {
    column: u32,
    kind: String,
    /// The cell's style index (`s`), which says whether a number is a date.
    style: String,
    value: String,
    inline: String,
}

impl XlCell {
    fn display(&self, shared: &SharedStrings, dates: &DateStyles) -> String {
        match self.kind.as_str() {
            "" | "n" => dates
                .show(&self.style, &self.value)
                .unwrap_or_else(|| self.value.clone()),
            "s" => match self.value.trim().parse::<usize>() {
                Ok(i) => shared.get(i).unwrap_or("").to_string(),
                Err(_) => self.value.clone(),
            },
            "inlineStr" => self.inline.clone(),
            "d" => show_iso_date(&self.value),
            "b" => match self.value.trim() {
                "1" => "TRUE".to_string(),
                "0" => "FALSE".to_string(),
                other => other.to_string(),
            },
            _ => self.value.clone(),
        }
    }
}

/// A row's cells in column order, blank columns kept (up to a point) so
/// values stay under their headings.
pub(super) fn filled_row(cells: &[(u32, String)]) -> Vec<&str> {
    let mut row = Vec::new();
    let mut next = 1u32;
    for (column, value) in cells {
        let gap = column.saturating_sub(next).min(MAX_CELL_GAP);
        row.extend((0..gap).map(|_| ""));
        row.push(value.as_str());
        next = column.saturating_add(1);
    }
    row
}

/// Writes one row's cells joined by " | ", blank columns kept (up to a point) so
/// values stay under their headings.
pub(super) fn write_row(sink: &mut Sink, cells: &[(u32, String)]) {
    if cells.iter().all(|(_, v)| v.trim().is_empty()) {
        return;
    }
    for (k, value) in filled_row(cells).into_iter().enumerate() {
        if k > 0 {
            sink.push(" | ");
        }
        // A cell's own line breaks would split the row.
        sink.push(&value.replace(['\r', '\n'], " "));
    }
    sink.newline();
}

/// The rows of a workbook's sheets kept for their tables, within one
/// budget of [`TEXT_LIMIT`] bytes of cells for the whole workbook.
pub(super) struct SheetRows {
    rows: Vec<Vec<String>>,
    left: usize,
    cut: bool,
}

impl SheetRows {
    pub(super) fn new() -> SheetRows {
        SheetRows {
            rows: Vec::new(),
            left: TEXT_LIMIT,
            cut: false,
        }
    }

    fn push(&mut self, cells: &[(u32, String)]) {
        if self.cut || cells.iter().all(|(_, v)| v.trim().is_empty()) {
            return;
        }
        let row: Vec<String> = filled_row(cells)
            .into_iter()
            .take(MAX_TABLE_COLUMNS)
            .map(clean_cell)
            .collect();
        // Each cell costs its text and a little bookkeeping.
        let cost: usize = row.iter().map(|c| c.len() + 8).sum();
        if cost > self.left || self.rows.len() >= MAX_TABLE_ROWS {
            self.cut = true;
            return;
        }
        self.left -= cost;
        self.rows.push(row);
    }

    /// The table of the sheet just read; `cut` if its text was cut.
    pub(super) fn table(&mut self, title: String, cut: bool) -> Option<Table> {
        let table = Table::from_rows(title, std::mem::take(&mut self.rows), cut || self.cut);
        (!table.header.is_empty()).then_some(table)
    }
}

pub(super) fn write_sheet<R: Read>(
    part: &mut Part<R>,
    shared: &SharedStrings,
    dates: &DateStyles,
    sink: &mut Sink,
    table: &mut SheetRows,
) -> Result<(), PreviewError> {
    let mut buf = Vec::new();
    let mut row: Vec<(u32, String)> = Vec::new();
    let mut row_bytes = 0usize;
    let mut last_column = 0u32;
    let mut cell: Option<XlCell> = None;
    let mut in_value = false;
    let mut in_inline = 0usize;
    let mut in_inline_text = 0usize;
    while !sink.full {
        let Some(event) = part.next(&mut buf)? else {
            break;
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    "row" => {
                        row.clear();
                        row_bytes = 0;
                        last_column = 0;
                    }
                    "c" => {
                        let next = last_column.saturating_add(1);
                        let column = attribute(e, "r")
                            .and_then(|r| column_of(&r))
                            .unwrap_or(next)
                            .max(next);
                        last_column = column;
                        // Empty cells are only gaps; a row can hold millions.
                        if !empty {
                            cell = Some(XlCell {
                                column,
                                kind: attribute(e, "t").unwrap_or_default(),
                                style: attribute(e, "s").unwrap_or_default(),
                                ..XlCell::default()
                            });
                        }
                    }
                    "v" if !empty => in_value = true,
                    "is" if !empty => in_inline += 1,
                    "t" if !empty && in_inline > 0 => in_inline_text += 1,
                    "rPh" if !empty => {
                        let e = e.to_owned();
                        part.skip(&e)?;
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "row" => {
                    write_row(sink, &row);
                    table.push(&row);
                    row.clear();
                }
                "c" => {
                    if let Some(done) = cell.take() {
                        let value = done.display(shared, dates);
                        row_bytes += value.len();
                        if !value.is_empty() && row_bytes <= TEXT_LIMIT {
                            row.push((done.column, value));
                        }
                    }
                    in_value = false;
                    in_inline = 0;
                    in_inline_text = 0;
                }
                "v" => in_value = false,
                "is" => in_inline = in_inline.saturating_sub(1),
                "t" => in_inline_text = in_inline_text.saturating_sub(1),
                _ => {}
            },
            _ => {
                if let Some(cell) = cell.as_mut()
                    && (in_value || in_inline_text > 0)
                    && let Some(text) = event_text(&event)
                {
                    let target = if in_value {
                        &mut cell.value
                    } else {
                        &mut cell.inline
                    };
                    if target.len() <= TEXT_LIMIT {
                        target.push_str(&text);
                    }
                }
            }
        }
    }
    Ok(())
}

pub(super) fn xlsx_preview(data: &[u8]) -> Result<Preview, PreviewError> {
    let kind = FileKind::Xlsx;
    let mut zip = open_zip(kind, data)?;
    let mut budget = XmlBudget::new();
    let shared = match zip_part(&mut zip, kind, "xl/sharedStrings.xml", &budget)? {
        Some(mut part) => {
            let strings = read_shared_strings(&mut part)?;
            budget.spend(&part);
            strings
        }
        None => SharedStrings {
            text: String::new(),
            ends: Vec::new(),
        },
    };
    let mut dates = match zip_part(&mut zip, kind, "xl/styles.xml", &budget)? {
        Some(mut part) => {
            // Damaged styles only lose the dates: the numbers still show.
            let styles = read_date_styles(&mut part).unwrap_or_default();
            budget.spend(&part);
            styles
        }
        None => DateStyles::default(),
    };
    let (sheets, date1904) = list_sheets(&mut zip, &mut budget);
    dates.set_date1904(date1904);
    if sheets.is_empty() && zip.index_for_name("xl/workbook.xml").is_none() {
        return Err(PreviewError::MissingPart {
            kind: kind.label(),
            part: "xl/workbook.xml".to_string(),
        });
    }
    let mut sink = Sink::new();
    let mut rows = SheetRows::new();
    let mut tables = Vec::new();
    for sheet in &sheets {
        if sink.full || budget.exhausted {
            break;
        }
        let hidden = if sheet.hidden { " (hidden)" } else { "" };
        let title = format!("{}{hidden}", sheet.name);
        sink.heading(&format!("Sheet: {title}"));
        if let Some(mut part) = zip_part(&mut zip, kind, &sheet.part, &budget)? {
            write_sheet(&mut part, &shared, &dates, &mut sink, &mut rows)?;
            budget.spend(&part);
            let cut = sink.full || part.end().cut;
            tables.extend(rows.table(title, cut));
        }
    }
    let empty = if sheets.is_empty() {
        "workbook has no sheets"
    } else {
        "sheets are empty"
    };
    let mut preview = office_finish(kind, sink, &budget, empty);
    preview.tables = tables;
    Ok(preview)
}
