//! Reading the auditee's answers from `findings.csv` (the file the report
//! zip carries, filled in by the auditee): the columns `id`, `correction`,
//! `root_cause`, `corrective_action`, `action_owner` and `planned_date`,
//! found by their header names. The file is untrusted: its size is bounded
//! before it is read, a binary or non-UTF-8 file is refused with the line,
//! and every problem names the file, the line and the column.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use fieldaudit::audit::lifecycle::Response;
use fieldaudit::report::csv::{BOM, restored};
use fieldaudit::text::Shown;

/// The largest file read (a findings.csv of thousands of findings is well
/// under a megabyte).
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The most problems listed in one refusal.
const MAX_LISTED: usize = 20;

/// The columns an answer is read from, by header name.
const ID: &str = "id";
const CORRECTION: &str = "correction";
const ROOT_CAUSE: &str = "root_cause";
const CORRECTIVE_ACTION: &str = "corrective_action";
const OWNER: &str = "action_owner";
const PLANNED_DATE: &str = "planned_date";

/// One answered row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The line the row starts on (1 is the header).
    pub line: u64,
    /// The finding id as written.
    pub id: String,
    pub response: Response,
}

/// What the file holds: the rows read well, and the problems of the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// The answered rows, in file order (rows without any answer are left out).
    pub answers: Vec<Answer>,
    /// Each problem with the line it is on, as [`refuse_if_any`] lists it.
    pub problems: Vec<(u64, String)>,
}

/// The rows of the file at `path`. A file that cannot be read as a
/// findings.csv at all (too large, binary, not UTF-8, columns missing) is
/// refused here; a row's own problems are in [`Sheet::problems`], so that
/// the caller can list them with what the record says of the other rows.
pub fn read(path: &Path) -> Result<Sheet> {
    let text = read_text(path)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let where_ = |line: u64| format!("{}:{line}", Shown(path.display()));
    let headers = reader
        .headers()
        .map_err(|e| anyhow::anyhow!("{}: {}", where_(1), csv_problem(&e)))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| restored(h).trim().eq_ignore_ascii_case(name))
    };
    let needed = [ID, CORRECTION, ROOT_CAUSE, CORRECTIVE_ACTION, PLANNED_DATE];
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|n| column(n).is_none())
        .collect();
    if !missing.is_empty() {
        bail!(
            "{}: no column {} in the header; give findings.csv from the report zip as the auditee filled it in (its header: id, correction, root_cause, corrective_action, action_owner, planned_date, among others)",
            where_(1),
            missing.join(", ")
        );
    }
    let at = |name: &str| column(name).unwrap_or_default();
    let (id_at, owner_at) = (at(ID), column(OWNER));
    let texts = [
        (CORRECTION, at(CORRECTION)),
        (ROOT_CAUSE, at(ROOT_CAUSE)),
        (CORRECTIVE_ACTION, at(CORRECTIVE_ACTION)),
    ];
    let date_at = at(PLANNED_DATE);
    let mut answers: Vec<Answer> = Vec::new();
    let mut problems: Vec<(u64, String)> = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(&text, p.byte()));
                problems.push((line, format!("{}: {}", where_(line), csv_problem(&e))));
                // A broken row may leave the reader anywhere: stop here.
                break;
            }
        };
        let line = row.position().map_or(0, |p| line_at(&text, p.byte()));
        let cell = |i: usize| restored(row.get(i).unwrap_or_default()).trim().to_string();
        let owner = owner_at.map(cell).filter(|o| !o.is_empty());
        let given: Vec<(&str, String)> = texts
            .iter()
            .map(|(name, i)| (*name, cell(*i)))
            .chain([(PLANNED_DATE, cell(date_at))])
            .collect();
        if given.iter().all(|(_, v)| v.is_empty()) && owner.is_none() {
            continue;
        }
        let id = cell(id_at);
        let here = if id.is_empty() {
            where_(line)
        } else {
            format!("{} ({})", where_(line), Shown(&id))
        };
        if id.is_empty() {
            problems.push((
                line,
                format!("{here}: id: empty; the row has an answer but no finding id"),
            ));
            continue;
        }
        let empty: Vec<&str> = given
            .iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(n, _)| *n)
            .collect();
        if !empty.is_empty() {
            problems.push((line, format!(
                "{here}: {} empty; a response needs correction, root_cause, corrective_action and planned_date (leave all of them empty to skip the row)",
                empty.join(", ")
            )));
            continue;
        }
        let date_text = cell(date_at);
        let Ok(planned_date) = NaiveDate::parse_from_str(&date_text, "%Y-%m-%d") else {
            problems.push((line, format!(
                "{here}: planned_date: '{}' is not a date written YYYY-MM-DD (e.g. 2027-03-31); a spreadsheet may have reformatted it",
                Shown(&date_text)
            )));
            continue;
        };
        if let Some(first) = answers.iter().find(|a| a.id.eq_ignore_ascii_case(&id)) {
            problems.push((
                line,
                format!(
                    "{here}: id: {} is answered on line {} already; keep one row per finding",
                    Shown(&id),
                    first.line
                ),
            ));
            continue;
        }
        let [correction, root_cause, corrective_action] = [0, 1, 2].map(|i| given[i].1.clone());
        answers.push(Answer {
            line,
            id,
            response: Response {
                correction,
                root_cause,
                corrective_action,
                owner,
                planned_date,
            },
        });
    }
    Ok(Sheet { answers, problems })
}

/// Bail with every problem listed in line order (up to [`MAX_LISTED`]),
/// if there are any.
pub fn refuse_if_any(path: &Path, mut problems: Vec<(u64, String)>) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    problems.sort_by_key(|(line, _)| *line);
    let mut text = format!(
        "{}: nothing recorded; fix {} and run it again:",
        Shown(path.display()),
        if problems.len() == 1 {
            "this row".to_string()
        } else {
            format!("these {} problems", problems.len())
        }
    );
    for (_, p) in problems.iter().take(MAX_LISTED) {
        text.push_str("\n  ");
        text.push_str(p);
    }
    if problems.len() > MAX_LISTED {
        text.push_str(&format!("\n  … and {} more", problems.len() - MAX_LISTED));
    }
    bail!(text)
}

/// The line of `text` a record starting at byte `at` begins on. (The `csv`
/// crate's own line count is one short after a CRLF, what spreadsheets
/// write: its record starts at the `\n` of the previous line's end.)
fn line_at(text: &str, at: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut at = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
    while bytes.get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64
}

/// What a CSV error says, without the crate's byte offsets.
fn csv_problem(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "the row has {len} cells where the header has {expected_len}; check for a stray comma or quote"
        ),
        _ => format!("not readable as CSV ({})", Shown(e)),
    }
}

/// The file as text: bounded, not binary, UTF-8, without its BOM.
fn read_text(path: &Path) -> Result<String> {
    let shown = Shown(path.display());
    let file =
        std::fs::File::open(path).with_context(|| format!("{shown}: cannot open the CSV file"))?;
    let size = file
        .metadata()
        .with_context(|| format!("{shown}: cannot read the CSV file"))?
        .len();
    if size > MAX_BYTES {
        bail!(
            "{shown}: {size} bytes is too large for a findings.csv (at most {MAX_BYTES}); give the file from the report zip"
        );
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{shown}: cannot read the CSV file"))?;
    if bytes.len() as u64 > MAX_BYTES {
        bail!("{shown}: the file grew past {MAX_BYTES} bytes while it was read");
    }
    let line_of = |offset: usize| 1 + bytes[..offset].iter().filter(|b| **b == b'\n').count();
    if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        bail!(
            "{shown}:{}: a NUL byte: this is not a CSV text file (a spreadsheet's own format?); save it as \"CSV UTF-8\"",
            line_of(nul)
        );
    }
    let text = match String::from_utf8(bytes.clone()) {
        Ok(text) => text,
        Err(e) => bail!(
            "{shown}:{}: not UTF-8 text; save the file as \"CSV UTF-8\"",
            line_of(e.utf8_error().valid_up_to())
        ),
    };
    Ok(match text.strip_prefix(BOM) {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answers, or the refusal listing the problems.
    fn read(path: &Path) -> Result<Vec<Answer>> {
        let sheet = super::read(path)?;
        refuse_if_any(path, sheet.problems)?;
        Ok(sheet.answers)
    }

    const HEAD: &str = "report_no,client,id,grade,requirements,requirement_titles,statement,objective_evidence,evidence_files,raised_by,raised_at,response_due,correction,root_cause,corrective_action,action_owner,planned_date\r\n";

    fn file(text: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn answers_are_read_by_column_name_and_restored() {
        let text = format!(
            "{BOM}{HEAD}R,A,NC-001,major,x,t,s,e,,Lee,t,2027-01-01,'=fixed,why,\"what,\r\nnext\",Ops,2027-03-01\r\nR,A,OBS-001,observation,x,t,s,e,,Lee,t,,,,,,\r\n"
        );
        let (_d, path) = file(text.as_bytes());
        let answers = read(&path).unwrap();
        assert_eq!(answers.len(), 1, "the unanswered row is skipped");
        let a = &answers[0];
        assert_eq!((a.line, a.id.as_str()), (2, "NC-001"));
        assert_eq!(a.response.correction, "=fixed", "the formula guard is off");
        assert_eq!(a.response.corrective_action, "what,\r\nnext");
        assert_eq!(a.response.owner.as_deref(), Some("Ops"));
    }

    #[test]
    fn columns_are_found_by_name_not_position() {
        let text = "planned_date,corrective_action,id,root_cause,correction\n2027-03-01,act,NC-002,why,fix\n";
        let (_d, path) = file(text.as_bytes());
        let answers = read(&path).unwrap();
        assert_eq!(answers[0].id, "NC-002");
        assert_eq!(answers[0].response.correction, "fix");
        assert_eq!(answers[0].response.owner, None);
    }

    #[test]
    fn hostile_files_are_refused_with_the_place() {
        let cases: [(&[u8], &str); 5] = [
            (b"id,correction\nNC-001,x\n", "no column root_cause, corrective_action, planned_date"),
            (b"PK\x03\x04\x00\x00zip", ":1: a NUL byte"),
            (b"id,correction,root_cause,corrective_action,planned_date\nNC-001,\xff,a,b,2027-01-01\n", ":2: not UTF-8"),
            (b"id,correction,root_cause,corrective_action,planned_date\nNC-001,a,b\n", ":2: the row has 3 cells where the header has 5"),
            (b"id,correction,root_cause,corrective_action,planned_date\nNC-001,a,,c,01/02/2027\nNC-002,a,b,c,2027-02-31\n", "2 problems"),
        ];
        for (bytes, expected) in cases {
            let (_d, path) = file(bytes);
            let err = format!("{:#}", read(&path).unwrap_err());
            assert!(err.contains(expected), "{expected:?} not in {err}");
        }
        let (_d, path) = file(b"id,correction,root_cause,corrective_action,planned_date\nNC-001,a,,c,01/02/2027\nNC-002,a,b,c,2027-02-31\nNC-002,a,b,c,2027-02-01\nNC-002,a,b,c,2027-02-01\n");
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("r.csv:2 (NC-001): root_cause empty"), "{err}");
        assert!(
            err.contains("r.csv:3 (NC-002): planned_date: '2027-02-31'"),
            "{err}"
        );
        assert!(
            err.contains("r.csv:5 (NC-002): id: NC-002 is answered on line 4"),
            "{err}"
        );
    }

    #[test]
    fn a_file_over_the_bound_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(MAX_BYTES + 1).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("too large"), "{err}");
    }
}
