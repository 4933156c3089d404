//! Excel dates and times: which cell styles carry a date or time format
//! (from `xl/styles.xml`), and how a serial number such as `46261` is shown
//! as `2026-08-27`, `2026-08-27 18:00` or `12:30:01`.
//!
//! Excel stores a date as a number of days (the fraction is the time of day)
//! and only the cell's number format says it is a date. Counting starts at
//! 1900-01-00 (serial 60 is the 29 February 1900 that Lotus 1-2-3 invented
//! and Excel kept) or, in workbooks with `date1904`, at 1904-01-01. Anything
//! out of range stays the number it was.

use chrono::{Duration, NaiveDate};

use super::*;

/// At most this many cell formats (`cellXfs/xf`) read; Excel itself allows 64,000.
const MAX_CELL_STYLES: usize = 65_536;
/// At most this many custom number formats read.
const MAX_CUSTOM_FORMATS: usize = 4_096;
/// The last day Excel can show, 9999-12-31, as a 1900-system serial.
const MAX_SERIAL: f64 = 2_958_465.0;

/// What a date or time number format shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct DateFormat {
    /// Year, month or day.
    date: bool,
    /// Hours or minutes.
    time: bool,
    /// Seconds.
    seconds: bool,
    /// Elapsed time (`[h]:mm:ss`): hours past 24 are kept.
    elapsed: bool,
}

/// The cell formats of a workbook, enough to tell its date cells.
#[derive(Debug, Default)]
pub(super) struct DateStyles {
    /// Per cell style index (a cell's `s`), the date format it has, if any.
    styles: Vec<Option<DateFormat>>,
    /// The workbook counts days from 1904-01-01.
    date1904: bool,
}

impl DateStyles {
    /// The date format of cell style `s` (the raw attribute), if it has one.
    pub(super) fn format(&self, s: &str) -> Option<DateFormat> {
        let index: usize = s.trim().parse().ok()?;
        self.styles.get(index).copied().flatten()
    }

    /// `value` shown as a date or time when the cell's style `s` is one and
    /// the number is in range; `None` to show it as it is.
    pub(super) fn show(&self, s: &str, value: &str) -> Option<String> {
        let format = self.format(s)?;
        show_serial(value.trim().parse().ok()?, format, self.date1904)
    }

    pub(super) fn set_date1904(&mut self, on: bool) {
        self.date1904 = on;
    }
}

/// Whether a workbook's `workbookPr` element says `date1904`.
pub(super) fn is_date1904(e: &BytesStart<'_>) -> bool {
    e.local_name().as_ref() == "workbookPr"
        && attribute(e, "date1904").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Reads `xl/styles.xml`: custom number formats and the cell formats
/// (`cellXfs`, not the named styles in `cellStyleXfs`).
pub(super) fn read_date_styles<R: Read>(part: &mut Part<R>) -> Result<DateStyles, PreviewError> {
    let mut custom: HashMap<u32, Option<DateFormat>> = HashMap::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    let mut buf = Vec::new();
    while let Some(event) = part.next(&mut buf)? {
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    "numFmt" if custom.len() < MAX_CUSTOM_FORMATS => {
                        if let (Some(id), Some(code)) = (
                            attribute(e, "numFmtId").and_then(|v| v.trim().parse().ok()),
                            attribute(e, "formatCode"),
                        ) {
                            custom.insert(id, date_format_of_code(&code));
                        }
                    }
                    "cellXfs" if !empty => in_cell_xfs = true,
                    "xf" if in_cell_xfs && styles.len() < MAX_CELL_STYLES => {
                        let format = attribute(e, "numFmtId")
                            .and_then(|v| v.trim().parse::<u32>().ok())
                            .and_then(|id| match custom.get(&id) {
                                Some(format) => *format,
                                None => built_in_date_format(id),
                            });
                        styles.push(format);
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            _ => {}
        }
    }
    Ok(DateStyles {
        styles,
        date1904: false,
    })
}

/// The date formats among Excel's built-in number formats (ids 14–22, 45–47).
pub(super) fn built_in_date_format(id: u32) -> Option<DateFormat> {
    let date = DateFormat {
        date: true,
        ..DateFormat::default()
    };
    let time = DateFormat {
        time: true,
        ..DateFormat::default()
    };
    let seconds = DateFormat {
        seconds: true,
        ..time
    };
    match id {
        14..=17 => Some(date),
        18 | 20 => Some(time),
        19 | 21 | 45 | 47 => Some(seconds),
        22 => Some(DateFormat { time: true, ..date }),
        46 => Some(DateFormat {
            elapsed: true,
            ..seconds
        }),
        _ => None,
    }
}

/// Whether a custom format code such as `dd/mm/yyyy` or `h:mm AM/PM` shows a
/// date or time. Quoted text (`"days"`), escaped characters (`\d`), padding
/// and fill (`_x`, `*x`), colours and conditions (`[Red]`, `[<10]`) are not
/// format letters; `[h]`, `[m]`, `[s]` are elapsed time. `m` is minutes next
/// to an hour or second, months otherwise. Only the first section counts.
pub(super) fn date_format_of_code(code: &str) -> Option<DateFormat> {
    let mut letters: Vec<char> = Vec::new();
    let mut format = DateFormat::default();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let mut inside = String::new();
                for b in chars.by_ref() {
                    if b == ']' {
                        break;
                    }
                    inside.push(b.to_ascii_lowercase());
                }
                let kind = inside.chars().next();
                if !inside.is_empty() && inside.chars().all(|b| Some(b) == kind) {
                    format.elapsed = matches!(kind, Some('h' | 'm' | 's'));
                    match kind {
                        Some('h') => letters.push('h'),
                        Some('m') => letters.push('n'),
                        Some('s') => letters.push('s'),
                        _ => {}
                    }
                }
            }
            'a' | 'A' => {
                // AM/PM and A/P mark a 12-hour clock; any other `a` is not a format letter.
                let rest: String = chars.clone().take(4).collect();
                if rest.to_ascii_lowercase().starts_with("m/pm") {
                    chars.nth(3);
                } else if rest.to_ascii_lowercase().starts_with("/p") {
                    chars.nth(1);
                }
            }
            c if "ymdhs".contains(c.to_ascii_lowercase()) => {
                letters.push(c.to_ascii_lowercase());
            }
            _ => {}
        }
    }
    for (i, &letter) in letters.iter().enumerate() {
        match letter {
            'y' | 'd' => format.date = true,
            'h' => format.time = true,
            'n' => format.time = true,
            's' => {
                format.time = true;
                format.seconds = true;
            }
            'm' => {
                // Minutes right after an hour or right before a second.
                let before = letters[..i].iter().rev().find(|&&l| l != 'm');
                let after = letters[i..].iter().find(|&&l| l != 'm');
                if before == Some(&'h') || after == Some(&'s') {
                    format.time = true;
                } else {
                    format.date = true;
                }
            }
            _ => {}
        }
    }
    (format.date || format.time).then_some(format)
}

/// A serial number shown as `format` asks; `None` when it is out of range
/// (negative, past 9999-12-31, not a number).
pub(super) fn show_serial(serial: f64, format: DateFormat, date1904: bool) -> Option<String> {
    if !(0.0..=MAX_SERIAL).contains(&serial) {
        return None;
    }
    let whole_seconds = (serial * 86_400.0).round() as i64;
    let (days, seconds) = (whole_seconds / 86_400, whole_seconds % 86_400);
    let clock = if format.elapsed {
        let (h, m, s) = (
            whole_seconds / 3600,
            whole_seconds / 60 % 60,
            whole_seconds % 60,
        );
        if format.seconds {
            format!("{h}:{m:02}:{s:02}")
        } else {
            format!("{h}:{m:02}")
        }
    } else {
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        if format.seconds {
            format!("{h:02}:{m:02}:{s:02}")
        } else {
            format!("{h:02}:{m:02}")
        }
    };
    if !format.date || format.elapsed {
        return Some(clock);
    }
    let day = if date1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_signed(Duration::days(days))?
    } else {
        match days {
            0 => return None, // 1900-01-00
            60 => return Some(with_clock("1900-02-29".to_string(), &clock, format)),
            // Day 1 is 1900-01-01; from day 61 on, one less for the day that never was.
            1..=59 => {
                NaiveDate::from_ymd_opt(1899, 12, 31)?.checked_add_signed(Duration::days(days))?
            }
            _ => NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(days))?,
        }
    };
    Some(with_clock(
        day.format("%Y-%m-%d").to_string(),
        &clock,
        format,
    ))
}

/// A cell of type `d` (an ISO 8601 date such as `2026-08-27T18:00:00`) as
/// the other dates show: `2026-08-27`, `2026-08-27 18:00`, with seconds when
/// there are some. Anything else is left as written.
pub(super) fn show_iso_date(value: &str) -> String {
    let value = value.trim();
    let (day, time) = value.split_once('T').unwrap_or((value, ""));
    if NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
        return value.to_string();
    }
    let time = time.trim_end_matches('Z');
    let time = time.split('.').next().unwrap_or("");
    if !time.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return value.to_string();
    }
    match time {
        "" | "00:00:00" | "00:00" => day.to_string(),
        t if t.len() == 8 && t.ends_with(":00") => format!("{day} {}", &t[..5]),
        t if t.len() == 8 || t.len() == 5 => format!("{day} {t}"),
        _ => value.to_string(),
    }
}

fn with_clock(day: String, clock: &str, format: DateFormat) -> String {
    if format.time {
        format!("{day} {clock}")
    } else {
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(code: &str) -> Option<(bool, bool, bool)> {
        date_format_of_code(code).map(|f| (f.date, f.time, f.seconds))
    }

    #[test]
    fn format_codes_that_are_dates_and_times() {
        assert_eq!(kind("dd/mm/yyyy"), Some((true, false, false)));
        assert_eq!(kind("YYYY-MM-DD"), Some((true, false, false)));
        assert_eq!(kind("mmm-yy"), Some((true, false, false)));
        assert_eq!(kind("d mmmm yyyy"), Some((true, false, false)));
        assert_eq!(kind("h:mm AM/PM"), Some((false, true, false)));
        assert_eq!(kind("mm:ss"), Some((false, true, true)));
        assert_eq!(kind("[h]:mm:ss"), Some((false, true, true)));
        assert_eq!(kind("[$-809]dd mmm yyyy hh:mm"), Some((true, true, false)));
        assert_eq!(kind("yyyy\\-mm\\-dd\\ hh:mm:ss"), Some((true, true, true)));
        assert_eq!(kind("[Red]dd/mm/yy;@"), Some((true, false, false)));
    }

    #[test]
    fn format_codes_that_are_not() {
        for code in [
            "General",
            "0.00",
            "#,##0 \"days\"",
            "[Red]0.00",
            "0.0\\d",
            "0.00E+00",
            "_-* #,##0_-",
            "\"Ready\";@",
            "[Blue][>100]0;0",
            "0 \"hours\";[Red]yyyy",
        ] {
            assert_eq!(kind(code), None, "{code}");
        }
    }

    #[test]
    fn iso_date_cells() {
        assert_eq!(show_iso_date("2026-08-27T00:00:00"), "2026-08-27");
        assert_eq!(show_iso_date("2026-08-27"), "2026-08-27");
        assert_eq!(show_iso_date("2026-08-27T18:00:00Z"), "2026-08-27 18:00");
        assert_eq!(
            show_iso_date("2026-08-27T18:00:05.250"),
            "2026-08-27 18:00:05"
        );
        assert_eq!(show_iso_date("not a date"), "not a date");
        assert_eq!(show_iso_date("2026-02-30T00:00:00"), "2026-02-30T00:00:00");
        assert_eq!(show_iso_date("2026-08-27T1é:00:00"), "2026-08-27T1é:00:00");
    }

    #[test]
    fn serials_in_both_date_systems() {
        let date = built_in_date_format(14).unwrap();
        let show = |serial: f64, date1904: bool| show_serial(serial, date, date1904);
        assert_eq!(show(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(show(59.0, false).as_deref(), Some("1900-02-28"));
        assert_eq!(show(60.0, false).as_deref(), Some("1900-02-29"));
        assert_eq!(show(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(show(46261.0, false).as_deref(), Some("2026-08-27"));
        assert_eq!(show(2_958_465.0, false).as_deref(), Some("9999-12-31"));
        assert_eq!(show(0.0, true).as_deref(), Some("1904-01-01"));
        for bad in [0.0, -1.0, 2_958_466.0, f64::NAN, f64::INFINITY, 1e300] {
            assert_eq!(show(bad, false), None, "{bad}");
        }
        let elapsed = built_in_date_format(46).unwrap();
        assert_eq!(
            show_serial(1.5, elapsed, false).as_deref(),
            Some("36:00:00")
        );
        let time = built_in_date_format(20).unwrap();
        // 23:59:59.9 rounds up to the next day's midnight.
        assert_eq!(
            show_serial(0.999_999, time, false).as_deref(),
            Some("00:00")
        );
    }
}
