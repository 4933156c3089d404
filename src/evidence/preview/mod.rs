//! Bounded previews of evidence files.
//!
//! The auditee's bundle is untrusted: a 2 GB log, a zip bomb dressed up as a
//! Word document or a malformed PDF must never freeze the screen or exhaust
//! memory. Every preview therefore reads a bounded amount of input
//! ([`TEXT_LIMIT`] for text, [`DOC_LIMIT`] for office and PDF files),
//! decompresses a bounded amount of any one XML part ([`XML_PART_LIMIT`]) and
//! produces at most [`TEXT_LIMIT`] bytes of text. Control characters are
//! replaced by visible symbols so file content cannot drive the terminal.
//! What a PDF may cost the PDF reader is budgeted before it allocates (see
//! `pdf/budget.rs`): a PDF preview stays under 256 MiB of memory whatever the
//! file, which `pdf/memory_tests.rs` measures on hostile files.
//!
//! What a preview holds for the screen: `text` (cleaned lines, laid out for
//! a pane by [`wrap_text`], which keeps the file's own line breaks and marks
//! the lines it had to wrap), and for CSV/TSV files and spreadsheets also
//! [`Table`]s, with the helpers to draw them as aligned columns
//! ([`Table::layout`], [`Table::line`], [`Table::record`], [`cut_to_width`]).
//! Spreadsheet cells with a date format show as dates (`xlsx_dates.rs`);
//! PDF glyph names become characters (`pdf/glyphs.rs`).
//!
//! PDF parsing can be slow on hostile files: run previews through
//! [`preview_with_timeout`] from the UI, and call
//! [`silence_caught_preview_panics`] once after the terminal's own panic hook
//! is installed, so a panic that a preview catches does not reach that hook.

use std::any::Any;
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufReader, Cursor, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use zip::ZipArchive;
use zip::result::ZipError;

use super::human_size;

mod office;
mod pdf;
mod table;
mod text;
mod wrap;
mod xlsx;
mod xlsx_dates;

use office::*;
use pdf::*;
pub use table::{
    MAX_COLUMN_WIDTH, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, Table, cut_to_width, display_width,
    pad_to_width,
};
use table::{clean_cell, csv_table};
use text::*;
pub use wrap::{CONTINUATION, ScreenLine, TAB_WIDTH, wrap_text};
use xlsx::*;
use xlsx_dates::*;

/// What kind of document a bundle path is, from its extension (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Text,
    Docx,
    Xlsx,
    Pptx,
    Pdf,
    Image,
    Archive,
    Other,
}

impl FileKind {
    /// The kind of the file at `path` (bundle-relative, '/'-separated).
    pub fn of(path: &str) -> FileKind {
        match extension(path).as_deref() {
            Some(
                "txt" | "md" | "csv" | "json" | "yaml" | "yml" | "ron" | "log" | "xml" | "html"
                | "htm" | "tsv" | "ini" | "toml" | "cfg" | "conf",
            ) => FileKind::Text,
            Some("docx") => FileKind::Docx,
            Some("xlsx") => FileKind::Xlsx,
            Some("pptx") => FileKind::Pptx,
            Some("pdf") => FileKind::Pdf,
            Some("png" | "jpg" | "jpeg" | "gif" | "bmp" | "svg" | "webp") => FileKind::Image,
            Some("zip" | "7z" | "tar" | "gz" | "tgz" | "rar") => FileKind::Archive,
            _ => FileKind::Other,
        }
    }

    /// A short word for the UI.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Text => "text",
            FileKind::Docx => "Word",
            FileKind::Xlsx => "Excel",
            FileKind::Pptx => "PowerPoint",
            FileKind::Pdf => "PDF",
            FileKind::Image => "image",
            FileKind::Archive => "archive",
            FileKind::Other => "file",
        }
    }

    /// Already-compressed formats a zip writer should store rather than deflate.
    pub fn is_compressed(self) -> bool {
        matches!(
            self,
            FileKind::Docx
                | FileKind::Xlsx
                | FileKind::Pptx
                | FileKind::Pdf
                | FileKind::Image
                | FileKind::Archive
        )
    }
}

/// The lower-cased extension of the last path segment; none for names like
/// `.gitignore` or `README`.
fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// A preview ready to show: plain text lines, whether it was cut, and a note
/// (e.g. "binary file, 1.2 MB", "PDF without extractable text: 3 pages, title ‘…’").
///
/// CSV/TSV files and spreadsheets also come as [`Table`]s (one per file or
/// sheet, in order) for a screen that draws aligned columns; `text` is the
/// same content as lines with cells joined by ` | `, for search and for
/// screens that show text only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub kind: FileKind,
    pub text: String,
    pub truncated: bool,
    pub note: Option<String>,
    pub tables: Vec<Table>,
}

impl Preview {
    fn note_only(kind: FileKind, note: String) -> Preview {
        Preview {
            kind,
            text: String::new(),
            truncated: false,
            note: Some(note),
            tables: Vec::new(),
        }
    }
}

/// Why a file could not be previewed.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("could not read the file: {0}")]
    Io(#[from] io::Error),
    #[error("this {kind} file is damaged or not really a {kind} file ({detail})")]
    BadZip { kind: &'static str, detail: String },
    #[error(
        "this {kind} file is password-protected or in the old binary Office format, so it cannot be previewed"
    )]
    Protected { kind: &'static str },
    #[error("this {kind} file has no {part}; it is damaged or not really a {kind} file")]
    MissingPart { kind: &'static str, part: String },
    #[error("{part} is not well-formed XML ({detail})")]
    BadXml { part: String, detail: String },
    #[error("this PDF is password-protected, so it cannot be previewed")]
    PdfProtected,
    #[error("could not read the PDF ({0})")]
    BadPdf(String),
    #[error("this PDF is too complex to preview within the memory limit: {0}")]
    PdfTooComplex(String),
    #[error("the PDF reader failed on this file ({0})")]
    PdfCrashed(String),
    #[error("the file is {} (over the {} preview limit)", human_size(*size), human_size(*limit))]
    TooLarge { size: u64, limit: u64 },
    #[error("the preview gave up after {:.1} s; the file is too slow to read", .0.as_secs_f64())]
    TimedOut(Duration),
    #[error("the preview stopped unexpectedly ({0})")]
    Worker(String),
}

/// At most this many bytes of text shown.
pub const TEXT_LIMIT: usize = 64 * 1024;
/// Office/PDF files larger than this are not opened (the note says so).
pub const DOC_LIMIT: u64 = 32 * 1024 * 1024;
/// At most this many decompressed bytes read from any one XML part (zip-bomb guard).
pub const XML_PART_LIMIT: u64 = 16 * 1024 * 1024;

/// At most this many decompressed XML bytes read from all parts of one file together.
const XML_TOTAL_LIMIT: u64 = 4 * XML_PART_LIMIT;
/// Bytes looked at to tell text from binary, and to recognise images.
const SNIFF_LIMIT: usize = 8 * 1024;
/// At most this many bytes any one PDF stream may decompress to.
const PDF_STREAM_LIMIT: usize = 16 * 1024 * 1024;
/// At most this many nested `q` graphics states tracked in a PDF page.
const PDF_STATE_DEPTH: usize = 64;
/// Stack of the preview worker thread (parsers of hostile files recurse).
const WORKER_STACK: usize = 16 * 1024 * 1024;
/// At most this many empty cells inserted to keep a spreadsheet row aligned.
const MAX_CELL_GAP: u32 = 32;
/// Metadata values shown in a note are cut to this many characters.
const META_CHARS: usize = 120;

/// Preview of a file of `size` bytes named `path` (bundle-relative, '/'-separated), whose
/// content `open` yields as a stream. Reads at most TEXT_LIMIT bytes for text, at most
/// DOC_LIMIT bytes (into memory) for office/PDF, nothing for images/archives/other binaries
/// beyond a small sniff. Never panics; errors become a Preview with a note where sensible.
pub fn preview(
    path: &str,
    size: u64,
    open: impl FnOnce() -> io::Result<Box<dyn Read + Send>>,
) -> Result<Preview, PreviewError> {
    let kind = FileKind::of(path);
    match kind {
        FileKind::Text | FileKind::Other => text_preview(path, kind, size, open()?),
        FileKind::Docx | FileKind::Xlsx | FileKind::Pptx | FileKind::Pdf => {
            let data = match read_document(size, open) {
                Ok(data) => data,
                Err(PreviewError::TooLarge { size, limit }) => {
                    return Ok(Preview::note_only(
                        kind,
                        format!(
                            "{} file of {}: larger than the {} preview limit, not opened",
                            kind.label(),
                            human_size(size),
                            human_size(limit)
                        ),
                    ));
                }
                Err(e) => return Err(e),
            };
            match kind {
                FileKind::Docx => docx_preview(&data),
                FileKind::Xlsx => xlsx_preview(&data),
                FileKind::Pptx => pptx_preview(&data),
                _ => pdf_preview(&data),
            }
        }
        FileKind::Image => {
            let mut head = Vec::with_capacity(SNIFF_LIMIT);
            open()?.take(SNIFF_LIMIT as u64).read_to_end(&mut head)?;
            Ok(Preview::note_only(kind, image_note(&head, size)))
        }
        FileKind::Archive => Ok(Preview::note_only(kind, archive_note(path, size))),
    }
}

/// Preview of a PDF already in memory, in bounded memory (see
/// `pdf/budget.rs`); more than [`DOC_LIMIT`] bytes is [`PreviewError::TooLarge`].
/// Never panics: a panic inside the PDF reader becomes [`PreviewError::PdfCrashed`].
pub fn preview_pdf(data: &[u8]) -> Result<Preview, PreviewError> {
    let size = data.len() as u64;
    if size > DOC_LIMIT {
        return Err(PreviewError::TooLarge {
            size,
            limit: DOC_LIMIT,
        });
    }
    pdf_preview(data)
}

/// Same, run on a worker thread, giving up after `limit` (PDF parsing of a hostile file can be slow).
///
/// A worker that times out is abandoned, not killed: it finishes in the
/// background (every parser here is bounded) and its answer is dropped.
pub fn preview_with_timeout(
    path: String,
    size: u64,
    open: impl FnOnce() -> io::Result<Box<dyn Read + Send>> + Send + 'static,
    limit: Duration,
) -> Result<Preview, PreviewError> {
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("fieldaudit-preview".to_string())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let _quiet = QuietPanics::enter();
            let result = panic::catch_unwind(AssertUnwindSafe(|| preview(&path, size, open)))
                .unwrap_or_else(|payload| Err(PreviewError::Worker(panic_message(&*payload))));
            // Nobody listens any more if the caller gave up; that is fine.
            let _ = tx.send(result);
        })?;
    match rx.recv_timeout(limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(PreviewError::TimedOut(limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(PreviewError::Worker(
            "the worker ended without an answer".to_string(),
        )),
    }
}

// ---------------------------------------------------------------------------
// Panics caught by previews

thread_local! {
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// While alive, panics on this thread are ones its code catches itself (a
/// preview, the finder's worker), so they skip the terminal's panic hook.
pub(crate) struct QuietPanics {
    previous: bool,
}

impl QuietPanics {
    pub(crate) fn enter() -> QuietPanics {
        QuietPanics {
            previous: QUIET_PANICS.with(|quiet| quiet.replace(true)),
        }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        let previous = self.previous;
        QUIET_PANICS.with(|quiet| quiet.set(previous));
    }
}

/// Wraps the current panic hook so that panics a preview catches itself (a
/// malformed PDF tripping the PDF reader, say) skip it. Call once after the
/// terminal UI has installed its own hook (`ratatui::init` installs one that
/// restores the terminal, which must not run for a panic that is caught).
/// Every other panic still reaches the previous hook.
pub fn silence_caught_preview_panics() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let quiet = QUIET_PANICS.try_with(Cell::get).unwrap_or(false);
        if !quiet {
            previous(info);
        }
    }));
}

/// The message a panic was raised with.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "unknown panic".to_string()
    }
}

// ---------------------------------------------------------------------------
// Bounded text output

/// Collects preview text up to [`TEXT_LIMIT`] bytes, remembering whether more was offered.
struct Sink {
    text: String,
    full: bool,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            text: String::new(),
            full: false,
        }
    }

    fn push(&mut self, s: &str) {
        if self.full || s.is_empty() {
            return;
        }
        let room = TEXT_LIMIT.saturating_sub(self.text.len());
        if s.len() <= room {
            self.text.push_str(s);
        } else {
            self.text.push_str(&s[..floor_char_boundary(s, room)]);
            self.full = true;
        }
    }

    fn newline(&mut self) {
        self.push("\n");
    }

    /// Starts a new line unless the text is empty or already at a line start.
    fn line_break(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.newline();
        }
    }

    /// A heading line such as "── Sheet: Register ──", after a blank line.
    fn heading(&mut self, title: &str) {
        self.line_break();
        if !self.text.is_empty() {
            self.newline();
        }
        self.push("── ");
        self.push(title);
        self.push(" ──\n");
    }
}

/// The largest index `<= at` that is a char boundary of `s`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    let mut i = at;
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Makes file text safe to draw: CRLF and lone CR become LF, other control
/// characters become visible symbols (so escape sequences cannot reach the
/// terminal), tabs and newlines stay.
fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' => {
                out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'))
            }
            '\u{7f}' => out.push('\u{2421}'),
            '\u{80}'..='\u{9f}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// At most two newlines in a row, none at the end.
fn collapse_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut newlines = 0;
    for c in s.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines > 2 {
                continue;
            }
        } else {
            newlines = 0;
        }
        out.push(c);
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out
}

/// The finished preview: cleaned, cut to [`TEXT_LIMIT`] on a char boundary.
fn finish(kind: FileKind, raw: &str, truncated: bool, note: Option<String>) -> Preview {
    let mut text = clean_text(raw);
    let mut cut = false;
    if text.len() > TEXT_LIMIT {
        let end = floor_char_boundary(&text, TEXT_LIMIT);
        text.truncate(end);
        cut = true;
    }
    Preview {
        kind,
        text,
        truncated: truncated || cut,
        note,
        tables: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
