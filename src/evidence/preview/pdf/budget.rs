//! What a PDF may cost the PDF reader, decided before the reader allocates it.
//!
//! lopdf turns every token of a PDF into an object of over 100 bytes, so a
//! 32 MB file of `0 0 0 …` would take 2 GB, and object streams, content
//! streams and cross-reference streams inflate further. Four guards keep a
//! preview's peak memory bounded whatever the file holds:
//!
//! - [`scan`] counts, without parsing, every token lopdf could make of the file
//!   (stream payloads excepted when nothing can be parsed from them) and the
//!   cross-reference sections it could follow; [`load`] refuses a file over
//!   [`RAW_TOKEN_LIMIT`] or [`XREF_SECTION_LIMIT`] before lopdf sees it, and
//!   caps each decompressed stream so that all sections together stay small;
//! - while loading, a filter charges each object lopdf keeps against
//!   [`OBJECT_BUDGET`] and drops objects past it, and refuses an object stream
//!   whose members would cost more than what is left;
//! - [`bounded_content`] cuts a page's content after [`CONTENT_TOKEN_LIMIT`]
//!   tokens, which bounds the operands of any one operation;
//! - the caller reads at most [`PAGE_FONT_LIMIT`] fonts a page, decodes their
//!   character maps against [`CMAP_PAGE_BUDGET`] and their glyph widths
//!   against [`WIDTHS_PAGE_BUDGET`].

use std::cell::RefCell;
use std::collections::HashSet;
use std::mem::size_of;

use lopdf::{Document, LoadOptions, Object, ObjectId};

/// What one token may cost once lopdf has made an object of it (measured:
/// about 120 bytes for a number, 150 for a short name), with room to spare.
const TOKEN_COST: usize = 160;
/// At most this many tokens lopdf could parse from the file as it is.
pub(super) const RAW_TOKEN_LIMIT: usize = 400_000;
/// Objects lopdf keeps may take at most this many bytes together.
pub(super) const OBJECT_BUDGET: usize = 64 * 1024 * 1024;
/// Entries decoded from cross-reference streams may take this much together.
const XREF_BUDGET: usize = 32 * 1024 * 1024;
/// What one decoded byte of a cross-reference stream may cost as entries (an
/// entry takes at least 3 bytes and about 30 bytes of memory).
const XREF_COST_PER_BYTE: usize = 11;
/// No stream decompresses to more than this while loading.
const LOAD_STREAM_LIMIT: usize = 4 * 1024 * 1024;
/// Object streams may decompress to this much together while loading (a
/// bound on time as much as memory: each is decompressed twice).
const OBJECT_STREAMS_BUDGET: usize = 64 * 1024 * 1024;
/// Nor, however many cross-reference sections there are, less than this.
const LOAD_STREAM_FLOOR: usize = 64 * 1024;
/// Files chaining more cross-reference sections than this are not opened.
pub(super) const XREF_SECTION_LIMIT: usize = XREF_BUDGET / (XREF_COST_PER_BYTE * LOAD_STREAM_FLOOR);
/// Files with more object headers than this inside comments are not opened.
pub(super) const HIDDEN_HEADER_LIMIT: usize = 16;
/// A page's content is read up to this many tokens.
pub(super) const CONTENT_TOKEN_LIMIT: usize = 300_000;
/// Character maps of one page's fonts may decompress to this much together.
pub(super) const CMAP_PAGE_BUDGET: usize = 4 * 1024 * 1024;
/// All pages' content together inflates to at most this (a bound on time:
/// one page's content is read, and let go, at a time).
pub(super) const DOCUMENT_CONTENT_BUDGET: usize = 64 * 1024 * 1024;
/// At most this many fonts of one page are read (text in others is not shown).
pub(super) const PAGE_FONT_LIMIT: usize = 1024;
/// At most this many glyph widths are read for one page's fonts together.
pub(super) const WIDTHS_PAGE_BUDGET: usize = 256 * 1024;
/// No one character map decompresses to more than this.
pub(super) const CMAP_LIMIT: usize = 1024 * 1024;

/// Why a PDF is not handed to the reader at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TooComplex {
    /// More tokens than [`RAW_TOKEN_LIMIT`] outside stream data.
    Tokens(usize),
    /// More cross-reference sections than [`XREF_SECTION_LIMIT`].
    XrefSections(usize),
    /// Encrypted, with compressed object streams the filter cannot see into.
    EncryptedObjectStreams,
    /// Object headers inside comments (more than [`HIDDEN_HEADER_LIMIT`],
    /// or any in an encrypted file).
    HiddenHeaders(usize),
    /// Encrypted, and its objects overlap so much that copying them out
    /// would take more than [`OBJECT_BUDGET`].
    EncryptedCopies(usize),
}

impl std::fmt::Display for TooComplex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TooComplex::Tokens(n) => write!(
                f,
                "it has over {n} objects outside its streams; the preview reads at most {RAW_TOKEN_LIMIT}"
            ),
            TooComplex::XrefSections(n) => write!(
                f,
                "it chains {n} cross-reference sections; the preview follows at most {XREF_SECTION_LIMIT}"
            ),
            TooComplex::HiddenHeaders(n) => write!(
                f,
                "it hides {n} object headers in comments, where they would read the same data again and again"
            ),
            TooComplex::EncryptedCopies(bytes) => write!(
                f,
                "it is encrypted and its objects overlap: reading them would copy {} MiB",
                bytes / (1024 * 1024)
            ),
            TooComplex::EncryptedObjectStreams => f.write_str(
                "it is encrypted and packs its objects in compressed object streams, which the preview cannot bound",
            ),
        }
    }
}

/// What [`scan`] found out about a file without parsing it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct RawScan {
    /// Tokens outside the payloads of streams nothing can be parsed from.
    pub tokens: usize,
    /// `/Prev` and `/XRefStm` keys: each may lead to one more cross-reference section.
    pub xref_links: usize,
    /// An `/Encrypt` key is there.
    pub encrypted: bool,
    /// An `/ObjStm` name is there.
    pub object_streams: bool,
    /// `obj` keywords inside comments: each may start a parse that reads the
    /// same tokens as the object around it.
    pub hidden_headers: usize,
    /// Bytes lopdf copies out of an encrypted file before decrypting it: from
    /// every object header to the `endobj` after it (headers may overlap).
    pub copied_bytes: usize,
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_whitespace(b) && !is_delimiter(b)
}

/// Where `needle` next occurs in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// A name's bytes with `#xx` escapes decoded, as lopdf compares them.
fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if raw[i] == b'#'
            && let (Some(h), Some(l)) = (
                raw.get(i + 1).copied().and_then(hex),
                raw.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// Whether the `obj` at `at` could end an indirect object header (`N G obj`):
/// white space before it, and a digit before that.
fn is_header(data: &[u8], at: usize) -> bool {
    let before = &data[..at];
    match before.iter().rposition(|&b| !is_whitespace(b)) {
        Some(last) => last + 1 < at && before[last].is_ascii_digit(),
        None => false,
    }
}

/// Whether lopdf could start parsing anything inside `payload`: an indirect
/// object header (`… 0 obj`, possibly from a forged cross-reference offset), a
/// trailer or a cross-reference table.
fn parsable(payload: &[u8]) -> bool {
    if find(payload, b"trailer", 0).is_some() || find(payload, b"xref", 0).is_some() {
        return true;
    }
    let mut from = 0;
    while let Some(at) = find(payload, b"obj", from) {
        if is_header(payload, at) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// What lopdf copies, object by object, out of an encrypted file: from each
/// `N G obj` to the first `endobj` after it.
fn copied_bytes(data: &[u8]) -> usize {
    let mut total = 0usize;
    // The first `endobj` at or after the last header's body.
    let mut end: Option<usize> = None;
    let mut from = 0;
    while let Some(at) = find(data, b"obj", from) {
        from = at + 1;
        if !is_header(data, at) {
            continue;
        }
        let body = at + 3;
        if end.is_none_or(|e| e < body) {
            end = find(data, b"endobj", body);
        }
        let Some(end) = end else {
            break;
        };
        let start = data[..at]
            .iter()
            .rposition(|&b| !(is_whitespace(b) || b.is_ascii_digit()))
            .map_or(0, |i| i + 1);
        total = total.saturating_add(end + b"endobj".len() - start);
    }
    total
}

/// Counts the tokens lopdf could make of `data`, reading it as a flat
/// sequence: strings and comments are counted token by token (lopdf may start
/// parsing inside them from a forged offset), and only the payload of a
/// stream (`>> stream` … `endstream`) that nothing can be parsed from is
/// skipped, since lopdf copies that as bytes.
pub(super) fn scan(data: &[u8]) -> RawScan {
    let mut out = RawScan::default();
    let mut i = 0;
    let mut in_comment = false;
    let mut after_dictionary = false;
    // Streams starting before this offset are not skipped: their payload
    // reaches an `endstream` already found to enclose something parsable.
    let mut parsable_until = 0;
    // No `endstream` occurs at or after this offset.
    let mut no_endstream_from = usize::MAX;
    while i < data.len() {
        let b = data[i];
        if is_whitespace(b) {
            if b == b'\n' || b == b'\r' {
                in_comment = false;
            }
            i += 1;
            continue;
        }
        out.tokens += 1;
        if b == b'%' {
            in_comment = true;
            after_dictionary = false;
            i += 1;
            continue;
        }
        if b == b'>' && data.get(i + 1) == Some(&b'>') {
            after_dictionary = !in_comment;
            i += 2;
            continue;
        }
        if b == b'/' {
            let start = i + 1;
            let mut end = start;
            while end < data.len() && is_regular(data[end]) {
                end += 1;
            }
            match decode_name(&data[start..end]).as_slice() {
                b"Prev" | b"XRefStm" => out.xref_links += 1,
                b"Encrypt" => out.encrypted = true,
                b"ObjStm" => out.object_streams = true,
                _ => {}
            }
            after_dictionary = false;
            i = end;
            continue;
        }
        if is_delimiter(b) {
            after_dictionary = false;
            i += 1;
            continue;
        }
        let start = i;
        while i < data.len() && is_regular(data[i]) {
            i += 1;
        }
        let word = &data[start..i];
        if in_comment && word == b"obj" {
            out.hidden_headers += 1;
        }
        let stream_start = after_dictionary && !in_comment && word == b"stream";
        after_dictionary = false;
        if !stream_start || start < parsable_until || i >= no_endstream_from {
            continue;
        }
        let payload = match data[i..] {
            [b'\r', b'\n', ..] => i + 2,
            [b'\n' | b'\r', ..] => i + 1,
            _ => continue,
        };
        match find(data, b"endstream", payload) {
            None => no_endstream_from = payload,
            Some(end) if parsable(&data[payload..end]) => parsable_until = end,
            Some(end) => i = end,
        }
    }
    if out.encrypted {
        out.copied_bytes = copied_bytes(data);
    }
    out
}

/// The tokens of `data` read as a flat sequence (as [`scan`] does, with no stream skipped).
fn flat_tokens(data: &[u8]) -> usize {
    let mut tokens = 0;
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if is_whitespace(b) {
            i += 1;
        } else if is_regular(b) || b == b'/' {
            tokens += 1;
            i += 1;
            while i < data.len() && is_regular(data[i]) {
                i += 1;
            }
        } else {
            tokens += 1;
            i += 1;
        }
    }
    tokens
}

/// `content` cut after [`CONTENT_TOKEN_LIMIT`] tokens (read flat, so that no
/// string or comment can hide operands), and whether it was cut.
pub(super) fn bounded_content(content: &[u8]) -> (&[u8], bool) {
    let mut tokens = 0;
    let mut i = 0;
    while i < content.len() {
        let b = content[i];
        if is_whitespace(b) {
            i += 1;
            continue;
        }
        tokens += 1;
        if tokens > CONTENT_TOKEN_LIMIT {
            return (&content[..i], true);
        }
        i += 1;
        if is_regular(b) || b == b'/' {
            while i < content.len() && is_regular(content[i]) {
                i += 1;
            }
        }
    }
    (content, false)
}

/// Tokens of the one object starting at `start`, if it ends before `end`,
/// read as lopdf reads objects (strings, hex strings, comments, nesting).
fn object_tokens(data: &[u8], start: usize, end: usize) -> Option<usize> {
    let end = end.min(data.len());
    let mut i = start;
    let mut depth = 0usize;
    let mut tokens = 0;
    while i < end {
        let b = data[i];
        if is_whitespace(b) {
            i += 1;
            continue;
        }
        if b == b'%' {
            while i < end && data[i] != b'\n' && data[i] != b'\r' {
                i += 1;
            }
            continue;
        }
        tokens += 1;
        match b {
            b'(' => {
                let mut nesting = 1;
                i += 1;
                while i < end && nesting > 0 {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => nesting += 1,
                        b')' => nesting -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                if nesting > 0 {
                    return None;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 2;
                continue;
            }
            b'<' => {
                i = find(&data[..end], b">", i)? + 1;
            }
            b'>' if data.get(i + 1) == Some(&b'>') => {
                depth = depth.checked_sub(1)?;
                i += 2;
            }
            b'[' => {
                depth += 1;
                i += 1;
                continue;
            }
            b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b'/' => {
                i += 1;
                while i < end && is_regular(data[i]) {
                    i += 1;
                }
            }
            _ if is_regular(b) => {
                while i < end && is_regular(data[i]) {
                    i += 1;
                }
            }
            _ => return None,
        }
        if depth == 0 {
            return Some(tokens);
        }
    }
    None
}

/// What lopdf's members of an object stream with this decoded content and
/// `/First` would cost (each member's own tokens when it ends before the next
/// member starts, every token of the stream when it might not), and the
/// members' numbers; `None` if it would cost more than `left` or its index
/// cannot be read.
fn object_stream_cost(content: &[u8], first: usize, left: usize) -> Option<(usize, HashSet<u32>)> {
    let index = std::str::from_utf8(content.get(..first)?).ok()?;
    let numbers: Vec<Option<usize>> = index
        .split(['\r', '\n'])
        .flat_map(|line| {
            line.split('%')
                .next()
                .unwrap_or_default()
                .split_whitespace()
        })
        .map(|n| n.parse().ok())
        .collect();
    let members: Vec<(u32, usize)> = numbers
        .chunks_exact(2)
        .filter_map(|pair| {
            let id = u32::try_from(pair[0]?).ok()?;
            Some((id, first.checked_add(pair[1]?)?))
        })
        .filter(|&(_, offset)| offset < content.len())
        .collect();
    // lopdf keeps one member per number: the one listed last.
    let mut by_id = std::collections::HashMap::new();
    for &(id, offset) in &members {
        by_id.insert(id, offset);
    }
    let mut starts = std::collections::BTreeMap::<usize, usize>::new();
    for &offset in by_id.values() {
        *starts.entry(offset).or_default() += 1;
    }
    let mut cost = 2 * content.len();
    let mut all = None;
    let offsets: Vec<(usize, usize)> = starts.into_iter().collect();
    for (k, &(offset, count)) in offsets.iter().enumerate() {
        let next = offsets.get(k + 1).map_or(content.len(), |&(o, _)| o);
        let tokens = match object_tokens(content, offset, next) {
            Some(tokens) => tokens,
            None => *all.get_or_insert_with(|| flat_tokens(content).max(1)),
        };
        cost = cost.saturating_add(tokens.saturating_mul(TOKEN_COST).saturating_mul(count));
        if cost > left {
            return None;
        }
    }
    Some((cost, by_id.into_keys().collect()))
}

/// What an object lopdf keeps takes in memory, roughly and never less.
fn object_cost(object: &Object) -> usize {
    const ALLOCATION: usize = 16;
    fn heap(object: &Object) -> usize {
        match object {
            Object::Name(bytes) | Object::String(bytes, _) => bytes.capacity() + ALLOCATION,
            Object::Array(items) => {
                items.capacity() * size_of::<Object>()
                    + ALLOCATION
                    + items.iter().map(heap).sum::<usize>()
            }
            Object::Dictionary(dict) => dictionary(dict),
            Object::Stream(stream) => dictionary(&stream.dict) + stream.content.capacity(),
            _ => 0,
        }
    }
    fn dictionary(dict: &lopdf::Dictionary) -> usize {
        dict.iter()
            .map(|(key, value)| {
                size_of::<Object>()
                    + size_of::<Vec<u8>>()
                    + 2 * size_of::<usize>()
                    + key.capacity()
                    + ALLOCATION
                    + heap(value)
            })
            .sum::<usize>()
            + ALLOCATION
    }
    size_of::<Object>() + 2 * size_of::<ObjectId>() + heap(object)
}

/// The budget of the load in progress on this thread.
#[derive(Debug, Default)]
struct Ledger {
    /// Bytes objects may still take.
    left: usize,
    /// Streams decompress to at most this while loading.
    stream_limit: usize,
    /// Bytes object streams may still decompress to.
    inflate_left: usize,
    /// Members of the object stream just let through, which lopdf hands to
    /// the filter next (and takes them back from it, unlike other objects).
    members: HashSet<u32>,
    /// Objects and object streams left out to stay within the budget.
    dropped: usize,
}

thread_local! {
    static LEDGER: RefCell<Option<Ledger>> = const { RefCell::new(None) };
}

/// Ends the ledger when the load ends, however it ends.
struct LedgerGuard;

impl Drop for LedgerGuard {
    fn drop(&mut self) {
        LEDGER.with(|ledger| ledger.borrow_mut().take());
    }
}

fn charge(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    LEDGER.with(|ledger| {
        let mut ledger = ledger.borrow_mut();
        let ledger = ledger.as_mut()?;
        let member = id.1 == 0 && ledger.members.remove(&id.0);
        if !member {
            ledger.members.clear();
        }
        let cost = object_cost(object);
        if cost > ledger.left {
            ledger.dropped += 1;
            return None;
        }
        if let Object::Stream(stream) = &*object
            && stream.dict.has_type(b"ObjStm")
        {
            let first = stream
                .dict
                .get(b"First")
                .and_then(Object::as_i64)
                .ok()
                .and_then(|f| usize::try_from(f).ok());
            let limit = ledger.stream_limit.min(ledger.inflate_left);
            let content = stream.decompressed_content_with_limit(limit).ok();
            ledger.inflate_left -= content.as_ref().map_or(limit, Vec::len);
            let estimate = content.zip(first).and_then(|(content, first)| {
                object_stream_cost(&content, first, ledger.left - cost)
            });
            match estimate {
                Some((_, ids)) => {
                    ledger.members = ids;
                }
                None => {
                    ledger.dropped += 1;
                    return None;
                }
            }
        }
        ledger.left -= cost;
        // lopdf keeps its own copy of an object read from the file, but takes
        // an object stream's member from here.
        let kept = if member {
            std::mem::replace(object, Object::Null)
        } else {
            Object::Null
        };
        Some((id, kept))
    })
}

/// A loaded document and how much of it was left out.
pub(super) struct Loaded {
    pub doc: Document,
    /// Objects left out to stay within [`OBJECT_BUDGET`].
    pub dropped: usize,
}

/// Loads `data` within the budgets above, or says why it will not.
pub(super) fn load(data: &[u8]) -> Result<Result<Loaded, lopdf::Error>, TooComplex> {
    let raw = scan(data);
    if raw.tokens > RAW_TOKEN_LIMIT {
        return Err(TooComplex::Tokens(RAW_TOKEN_LIMIT));
    }
    // The section `startxref` names, one found by rebuilding, and one per link.
    let sections = raw.xref_links + 2;
    if sections > XREF_SECTION_LIMIT {
        return Err(TooComplex::XrefSections(sections));
    }
    if raw.hidden_headers > HIDDEN_HEADER_LIMIT {
        return Err(TooComplex::HiddenHeaders(raw.hidden_headers));
    }
    // An encrypted file is read without the filter: nothing may overlap.
    if raw.encrypted && raw.object_streams {
        return Err(TooComplex::EncryptedObjectStreams);
    }
    if raw.encrypted && raw.hidden_headers > 0 {
        return Err(TooComplex::HiddenHeaders(raw.hidden_headers));
    }
    if raw.encrypted && raw.copied_bytes > OBJECT_BUDGET {
        return Err(TooComplex::EncryptedCopies(raw.copied_bytes));
    }
    let stream_limit =
        (XREF_BUDGET / (XREF_COST_PER_BYTE * sections)).clamp(LOAD_STREAM_FLOOR, LOAD_STREAM_LIMIT);
    let first = load_once(data, stream_limit, false);
    // lopdf rebuilds the cross-reference table of a file whose page tree did
    // not load, but not when a filter is set: do it here, after the first
    // attempt has let go of its memory.
    let rebuild = matches!(&first, Ok(loaded)
        if loaded.doc.xref_recovery != Some(lopdf::xref::XrefRecovery::Reconstructed)
            && loaded.doc.get_pages().is_empty());
    if !rebuild {
        return Ok(first);
    }
    drop(first);
    let rebuilt = load_once(data, stream_limit, true);
    if matches!(&rebuilt, Ok(loaded) if !loaded.doc.get_pages().is_empty()) {
        return Ok(rebuilt);
    }
    // Rebuilding did not help: what the file says, read again.
    drop(rebuilt);
    Ok(load_once(data, stream_limit, false))
}

/// One load of `data` within [`OBJECT_BUDGET`].
fn load_once(
    data: &[u8],
    stream_limit: usize,
    force_reconstruct: bool,
) -> Result<Loaded, lopdf::Error> {
    let mut options = LoadOptions::with_max_decompressed_size(stream_limit);
    options.filter = Some(charge);
    options.force_reconstruct = force_reconstruct;
    LEDGER.with(|ledger| {
        *ledger.borrow_mut() = Some(Ledger {
            left: OBJECT_BUDGET,
            stream_limit,
            inflate_left: OBJECT_STREAMS_BUDGET,
            ..Ledger::default()
        })
    });
    let _guard = LedgerGuard;
    let doc = Document::load_mem_with_options(data, options);
    let dropped = LEDGER.with(|ledger| ledger.borrow().as_ref().map_or(0, |l| l.dropped));
    doc.map(|doc| Loaded { doc, dropped })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_payloads_are_skipped_unless_something_can_be_parsed_from_them() {
        let plain = b"1 0 obj << /Length 9 >> stream\n0 0 0 0 0\nendstream endobj";
        // 1 0 obj < < /Length 9 >> stream endstream endobj
        assert_eq!(scan(plain).tokens, 11);
        let hidden = b"1 0 obj << /Length 9 >> stream\n7 0 obj [0 0]\nendstream endobj";
        assert_eq!(scan(hidden).tokens, 11 + 7);
        // After a comment, `stream` is not a stream to lopdf: its data is counted.
        let commented = b"1 0 obj [ % >> stream\n0 0 0\nendstream ]";
        assert_eq!(scan(commented).tokens, 12);
        // No `endstream`: everything counts.
        assert_eq!(scan(b"<< >> stream\n0 0 0").tokens, 7);
    }

    #[test]
    fn names_are_read_as_lopdf_decodes_them() {
        let raw = scan(b"<< /Pr#65v 10 /XRefStm 5 /Encrypt 3 0 R /Type /Obj#53tm >>");
        assert_eq!(raw.xref_links, 2);
        assert!(raw.encrypted && raw.object_streams);
        let hidden = scan(b"1 0 obj % 2 0 obj % 3 0 obj\n[0]\nendobj");
        assert_eq!(hidden.hidden_headers, 2);
    }

    #[test]
    fn overlapping_objects_of_encrypted_files_are_refused() {
        let plain = b"/Encrypt 9 0 R 1 0 obj (a) endobj 2 0 obj (b) endobj";
        // ` 1 0 obj (a) endobj` and ` 2 0 obj (b) endobj`.
        assert_eq!(scan(plain).copied_bytes, 38);
        // Headers inside one string: each copies up to the one `endobj`.
        let mut nested = b"/Encrypt 9 0 R 1 0 obj (".to_vec();
        for id in 2..200 {
            nested.extend_from_slice(format!("{id} 0 obj ").as_bytes());
        }
        nested.extend_from_slice(&b"x".repeat(1024 * 1024));
        nested.extend_from_slice(b") endobj");
        let raw = scan(&nested);
        assert!(raw.copied_bytes > 199 * 1024 * 1024, "{}", raw.copied_bytes);
        assert_eq!(
            load(&nested).err(),
            Some(TooComplex::EncryptedCopies(raw.copied_bytes))
        );
    }

    #[test]
    fn content_is_cut_after_the_token_limit() {
        let content = b"0 ".repeat(CONTENT_TOKEN_LIMIT + 10);
        let (kept, cut) = bounded_content(&content);
        assert!(cut);
        assert_eq!(kept.len(), 2 * CONTENT_TOKEN_LIMIT);
        let (kept, cut) = bounded_content(b"BT (a) Tj ET");
        assert!(!cut);
        assert_eq!(kept, b"BT (a) Tj ET");
    }

    #[test]
    fn object_stream_members_are_charged_as_lopdf_parses_them() {
        // Two members, each ending before the next starts: their own tokens.
        let content = b"1 0 2 6 [0 0] (a)";
        let (cost, ids) = object_stream_cost(content, 8, usize::MAX).unwrap();
        assert_eq!(ids, HashSet::from([1, 2]));
        assert_eq!(cost, 2 * content.len() + 5 * TOKEN_COST);
        // Many numbers at one offset: each pays for the whole array.
        let mut index: Vec<u8> = (0..100)
            .flat_map(|k| format!("{k} 0 ").into_bytes())
            .collect();
        let first = index.len();
        index.extend_from_slice(b"[0 0 0 0]");
        let (cost, _) = object_stream_cost(&index, first, usize::MAX).unwrap();
        assert_eq!(cost, 2 * index.len() + 100 * 6 * TOKEN_COST);
        assert!(object_stream_cost(&index, first, cost - 1).is_none());
        // A member running past the next one's start pays for every token.
        let content = b"1 0 2 2 [0 [0] 0]";
        let (cost, _) = object_stream_cost(content, 8, usize::MAX).unwrap();
        let all = flat_tokens(content);
        assert_eq!(cost, 2 * content.len() + (all + 3) * TOKEN_COST);
    }
}
