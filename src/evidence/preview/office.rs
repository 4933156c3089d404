//! Word and PowerPoint previews, and what every Office preview shares (Excel's
//! is in `xlsx`): the text of their XML parts, read from the zip with
//! per-part and per-file limits.

use super::*;

// ---------------------------------------------------------------------------
// Office documents (zip of XML parts)

/// Reads an office or PDF file into memory, refusing more than [`DOC_LIMIT`] bytes.
pub(super) fn read_document(
    size: u64,
    open: impl FnOnce() -> io::Result<Box<dyn Read + Send>>,
) -> Result<Vec<u8>, PreviewError> {
    if size > DOC_LIMIT {
        return Err(PreviewError::TooLarge {
            size,
            limit: DOC_LIMIT,
        });
    }
    let mut data = Vec::with_capacity(size as usize);
    open()?.take(DOC_LIMIT + 1).read_to_end(&mut data)?;
    if data.len() as u64 > DOC_LIMIT {
        return Err(PreviewError::TooLarge {
            size: size.max(data.len() as u64),
            limit: DOC_LIMIT,
        });
    }
    Ok(data)
}

/// Signature of an OLE compound file: what password-protected office files
/// (and pre-2007 ones) really are.
pub(super) const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(super) type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

pub(super) fn open_zip(kind: FileKind, data: &[u8]) -> Result<Zip<'_>, PreviewError> {
    if data.starts_with(&OLE_MAGIC) {
        return Err(PreviewError::Protected { kind: kind.label() });
    }
    ZipArchive::new(Cursor::new(data)).map_err(|e| zip_error(kind, e))
}

pub(super) fn zip_error(kind: FileKind, e: ZipError) -> PreviewError {
    match e {
        ZipError::UnsupportedArchive(msg) if msg == ZipError::PASSWORD_REQUIRED => {
            PreviewError::Protected { kind: kind.label() }
        }
        ZipError::InvalidPassword => PreviewError::Protected { kind: kind.label() },
        other => PreviewError::BadZip {
            kind: kind.label(),
            detail: other.to_string(),
        },
    }
}

/// Reads at most `limit` bytes from `inner`, then notes whether more was there.
pub(super) struct LimitedRead<R> {
    inner: R,
    left: u64,
    read: u64,
    hit_limit: bool,
}

impl<R: Read> Read for LimitedRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            if !self.hit_limit {
                let mut probe = [0u8; 1];
                if self.inner.read(&mut probe)? > 0 {
                    self.hit_limit = true;
                }
            }
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        self.read += n as u64;
        Ok(n)
    }
}

/// An XML part of an office file being read as a bounded stream of events.
pub(super) struct Part<R: Read> {
    name: String,
    kind: FileKind,
    xml: quick_xml::Reader<BufReader<LimitedRead<R>>>,
}

/// What became of reading one part.
#[derive(Default)]
pub(super) struct PartEnd {
    /// The part was cut at its byte limit.
    pub(super) cut: bool,
}

impl<R: Read> Part<R> {
    fn new(kind: FileKind, name: &str, inner: R, limit: u64) -> Part<R> {
        let limited = LimitedRead {
            inner,
            left: limit,
            read: 0,
            hit_limit: false,
        };
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(limited));
        let config = xml.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        Part {
            name: name.to_string(),
            kind,
            xml,
        }
    }

    fn hit_limit(&self) -> bool {
        self.xml.get_ref().get_ref().hit_limit
    }

    fn bytes_read(&self) -> u64 {
        self.xml.get_ref().get_ref().read
    }

    /// The next event; `None` at the end of the part or where its byte limit cut it.
    pub(super) fn next<'b>(
        &mut self,
        buf: &'b mut Vec<u8>,
    ) -> Result<Option<Event<'b>>, PreviewError> {
        buf.clear();
        match self.xml.read_event_into(buf) {
            Ok(Event::Eof) => Ok(None),
            Ok(event) => Ok(Some(event)),
            Err(_) if self.hit_limit() => Ok(None),
            Err(quick_xml::Error::Io(e)) => Err(PreviewError::BadZip {
                kind: self.kind.label(),
                detail: format!("{}: {e}", self.name),
            }),
            Err(e) => Err(PreviewError::BadXml {
                part: self.name.clone(),
                detail: e.to_string(),
            }),
        }
    }

    /// Skips the rest of the element `start` (already read).
    pub(super) fn skip(&mut self, start: &BytesStart<'_>) -> Result<(), PreviewError> {
        let mut scratch = Vec::new();
        match self.xml.read_to_end_into(start.name(), &mut scratch) {
            Ok(_) => Ok(()),
            Err(_) if self.hit_limit() => Ok(()),
            Err(e) => Err(PreviewError::BadXml {
                part: self.name.clone(),
                detail: e.to_string(),
            }),
        }
    }

    pub(super) fn end(&self) -> PartEnd {
        PartEnd {
            cut: self.hit_limit(),
        }
    }
}

/// Opens one part of the zip, `None` if there is no such part.
pub(super) fn zip_part<'z, 'd>(
    zip: &'z mut Zip<'d>,
    kind: FileKind,
    name: &str,
    budget: &XmlBudget,
) -> Result<Option<Part<impl Read + 'z>>, PreviewError> {
    match zip.by_name(name) {
        Ok(file) => Ok(Some(Part::new(kind, name, file, budget.part_limit()))),
        Err(ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(zip_error(kind, e)),
    }
}

/// What is left of the decompressed XML all parts of one file may use.
pub(super) struct XmlBudget {
    left: u64,
    cut_parts: Vec<String>,
    pub(super) exhausted: bool,
}

impl XmlBudget {
    pub(super) fn new() -> XmlBudget {
        XmlBudget {
            left: XML_TOTAL_LIMIT,
            cut_parts: Vec::new(),
            exhausted: false,
        }
    }

    fn part_limit(&self) -> u64 {
        self.left.min(XML_PART_LIMIT)
    }

    pub(super) fn spend<R: Read>(&mut self, part: &Part<R>) {
        self.left = self.left.saturating_sub(part.bytes_read());
        if part.end().cut {
            if self.left == 0 {
                self.exhausted = true;
            } else {
                self.cut_parts.push(part.name.clone());
            }
        }
    }

    fn note(&self) -> Option<String> {
        if self.exhausted {
            Some(format!(
                "stopped after {} of XML",
                human_size(XML_TOTAL_LIMIT)
            ))
        } else if self.cut_parts.is_empty() {
            None
        } else {
            Some(format!(
                "{} larger than {} uncompressed; only its start is shown",
                self.cut_parts.join(", "),
                human_size(XML_PART_LIMIT)
            ))
        }
    }
}

/// Appends the text an entity or character reference stands for.
pub(super) fn push_reference(out: &mut String, reference: &BytesRef<'_>) {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = resolve_predefined_entity(reference) {
        out.push_str(s);
    }
}

/// The text of a text-like event, if it is one.
pub(super) fn event_text(event: &Event<'_>) -> Option<String> {
    match event {
        Event::Text(t) => Some(t.xml10_content().into_owned()),
        Event::CData(t) => Some(t.xml10_content().into_owned()),
        Event::GeneralRef(r) => {
            let mut s = String::new();
            push_reference(&mut s, r);
            Some(s)
        }
        _ => None,
    }
}

pub(super) fn attribute_value(a: &quick_xml::events::attributes::Attribute<'_>) -> Option<String> {
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// An attribute's value by its local name (any prefix).
pub(super) fn attribute(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| attribute_value(&a))
}

/// Where word-processing or slide text goes: paragraphs, runs, tables.
///
/// Word (`w:`) and DrawingML (`a:`) share the local names used here: `p`
/// paragraphs, `r` runs, `t` text, `tr`/`tc` table rows and cells, `tab`, `br`.
pub(super) struct Flow {
    /// Keep empty paragraphs as blank lines (Word) or drop them (slides).
    blank_paragraphs: bool,
    /// Cells seen so far in each open table row.
    rows: Vec<usize>,
    cell_depth: usize,
    cell_has_text: bool,
    in_run: usize,
    in_text: usize,
    paragraph_has_text: bool,
    pending_space: bool,
    pending_bullet: bool,
}

impl Flow {
    fn new(blank_paragraphs: bool) -> Flow {
        Flow {
            blank_paragraphs,
            rows: Vec::new(),
            cell_depth: 0,
            cell_has_text: false,
            in_run: 0,
            in_text: 0,
            paragraph_has_text: false,
            pending_space: false,
            pending_bullet: false,
        }
    }

    fn text(&mut self, sink: &mut Sink, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.pending_space {
            if !s.starts_with(char::is_whitespace) {
                sink.push(" ");
            }
            self.pending_space = false;
        }
        if self.pending_bullet {
            sink.push("• ");
            self.pending_bullet = false;
        }
        sink.push(s);
        self.paragraph_has_text = true;
        self.cell_has_text = true;
    }

    fn paragraph_end(&mut self, sink: &mut Sink) {
        if self.cell_depth > 0 {
            if self.cell_has_text {
                self.pending_space = true;
            }
        } else if self.paragraph_has_text || self.blank_paragraphs {
            sink.newline();
        }
        self.paragraph_has_text = false;
        self.pending_bullet = false;
    }

    fn line_break(&mut self, sink: &mut Sink) {
        if self.cell_depth > 0 {
            self.pending_space = self.cell_has_text;
        } else {
            sink.newline();
        }
    }

    fn start(&mut self, sink: &mut Sink, e: &BytesStart<'_>, empty: bool) {
        match e.local_name().as_ref() {
            "p" => {
                self.paragraph_has_text = false;
                self.pending_bullet = false;
                if empty {
                    self.paragraph_end(sink);
                }
            }
            "tr" if !empty => self.rows.push(0),
            "tc" => {
                if let Some(cells) = self.rows.last_mut() {
                    if *cells > 0 {
                        sink.push(" | ");
                    }
                    *cells += 1;
                }
                if !empty {
                    self.cell_depth += 1;
                    self.cell_has_text = false;
                    self.pending_space = false;
                }
            }
            "r" if !empty => self.in_run += 1,
            "t" if !empty => self.in_text += 1,
            "tab" if self.in_run > 0 => self.text(sink, "\t"),
            "br" | "cr" => self.line_break(sink),
            // Word list paragraphs; explicit slide bullets.
            "numPr" | "buChar" | "buAutoNum" => self.pending_bullet = true,
            "pStyle" if attribute(e, "val").is_some_and(|v| v.contains("List")) => {
                self.pending_bullet = true
            }
            _ => {}
        }
    }

    fn end(&mut self, sink: &mut Sink, local: &str) {
        match local {
            "p" => self.paragraph_end(sink),
            "tr" => {
                self.rows.pop();
                if self.cell_depth > 0 {
                    self.pending_space = self.cell_has_text;
                } else {
                    sink.newline();
                }
            }
            "tc" => {
                self.cell_depth = self.cell_depth.saturating_sub(1);
                self.pending_space = false;
            }
            "r" => self.in_run = self.in_run.saturating_sub(1),
            "t" => self.in_text = self.in_text.saturating_sub(1),
            _ => {}
        }
    }

    /// Streams one part's text into `sink`.
    fn run<R: Read>(&mut self, part: &mut Part<R>, sink: &mut Sink) -> Result<(), PreviewError> {
        let mut buf = Vec::new();
        while !sink.full {
            let Some(event) = part.next(&mut buf)? else {
                break;
            };
            match &event {
                Event::Start(e) if e.local_name().as_ref() == "Fallback" => {
                    // mc:AlternateContent repeats its content for old readers.
                    let e = e.to_owned();
                    part.skip(&e)?;
                }
                Event::Start(e) => self.start(sink, e, false),
                Event::Empty(e) => self.start(sink, e, true),
                Event::End(e) => self.end(sink, e.local_name().as_ref()),
                _ if self.in_text > 0 => {
                    if let Some(text) = event_text(&event) {
                        self.text(sink, &text);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

pub(super) fn office_finish(
    kind: FileKind,
    sink: Sink,
    budget: &XmlBudget,
    empty_note: &str,
) -> Preview {
    let text = collapse_blank_lines(&sink.text);
    let note = budget
        .note()
        .or_else(|| text.trim().is_empty().then(|| empty_note.to_string()));
    finish(
        kind,
        &text,
        sink.full || budget.exhausted || !budget.cut_parts.is_empty(),
        note,
    )
}

pub(super) fn docx_preview(data: &[u8]) -> Result<Preview, PreviewError> {
    let kind = FileKind::Docx;
    let mut zip = open_zip(kind, data)?;
    let mut budget = XmlBudget::new();
    let mut sink = Sink::new();
    const DOCUMENT: &str = "word/document.xml";
    let Some(mut part) = zip_part(&mut zip, kind, DOCUMENT, &budget)? else {
        return Err(PreviewError::MissingPart {
            kind: kind.label(),
            part: DOCUMENT.to_string(),
        });
    };
    Flow::new(true).run(&mut part, &mut sink)?;
    budget.spend(&part);
    drop(part);
    Ok(office_finish(kind, sink, &budget, "document has no text"))
}

/// Zip entries named `{prefix}{N}.xml`, in numeric order of N.
pub(super) fn numbered_parts(zip: &Zip<'_>, prefix: &str) -> Vec<(u64, String)> {
    let mut parts: Vec<(u64, String)> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter_map(|name| {
            let number = name.strip_prefix(prefix)?.strip_suffix(".xml")?;
            if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((number.parse().ok()?, name.to_string()))
        })
        .collect();
    parts.sort();
    parts
}

pub(super) fn pptx_preview(data: &[u8]) -> Result<Preview, PreviewError> {
    let kind = FileKind::Pptx;
    let mut zip = open_zip(kind, data)?;
    let slides = numbered_parts(&zip, "ppt/slides/slide");
    if slides.is_empty() && zip.index_for_name("ppt/presentation.xml").is_none() {
        return Err(PreviewError::MissingPart {
            kind: kind.label(),
            part: "ppt/presentation.xml".to_string(),
        });
    }
    let mut budget = XmlBudget::new();
    let mut sink = Sink::new();
    for (number, name) in &slides {
        if sink.full || budget.exhausted {
            break;
        }
        sink.heading(&format!("Slide {number}"));
        if let Some(mut part) = zip_part(&mut zip, kind, name, &budget)? {
            Flow::new(false).run(&mut part, &mut sink)?;
            budget.spend(&part);
        }
    }
    let empty = if slides.is_empty() {
        "presentation has no slides"
    } else {
        "slides have no text"
    };
    Ok(office_finish(kind, sink, &budget, empty))
}
