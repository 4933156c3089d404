//! Bounded previews of evidence files (being written on the `preview` branch).

/// What kind of document a bundle path is, from its extension.
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

    pub fn of(path: &str) -> FileKind {
        let ext = path
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "txt" | "md" | "csv" | "json" | "yaml" | "yml" | "ron" | "log" | "xml" | "html"
            | "htm" | "tsv" | "ini" | "toml" | "cfg" | "conf" => FileKind::Text,
            "docx" => FileKind::Docx,
            "xlsx" => FileKind::Xlsx,
            "pptx" => FileKind::Pptx,
            "pdf" => FileKind::Pdf,
            "png" | "jpg" | "jpeg" | "gif" | "bmp" | "svg" | "webp" => FileKind::Image,
            "zip" | "7z" | "tar" | "gz" | "tgz" | "rar" => FileKind::Archive,
            _ => FileKind::Other,
        }
    }
}

/// A preview ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub kind: FileKind,
    pub text: String,
    pub truncated: bool,
    pub note: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("preview timed out")]
    TimedOut,
}

pub const TEXT_LIMIT: usize = 64 * 1024;

/// Placeholder until the full previewer lands: text files only.
pub fn preview(
    path: &str,
    size: u64,
    open: impl FnOnce() -> std::io::Result<Box<dyn std::io::Read + Send>>,
) -> Result<Preview, PreviewError> {
    use std::io::Read;
    let kind = FileKind::of(path);
    if kind != FileKind::Text {
        return Ok(Preview {
            kind,
            text: String::new(),
            truncated: false,
            note: Some(format!("no preview for this kind of file ({size} bytes)")),
        });
    }
    let mut buf = Vec::new();
    open()?.take(TEXT_LIMIT as u64).read_to_end(&mut buf)?;
    Ok(Preview {
        kind,
        text: String::from_utf8_lossy(&buf).into_owned(),
        truncated: size > TEXT_LIMIT as u64,
        note: None,
    })
}

/// `preview` on a worker thread, giving up after `limit`.
pub fn preview_with_timeout(
    path: String,
    size: u64,
    open: impl FnOnce() -> std::io::Result<Box<dyn std::io::Read + Send>> + Send + 'static,
    limit: std::time::Duration,
) -> Result<Preview, PreviewError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(preview(&path, size, open));
    });
    rx.recv_timeout(limit).map_err(|_| PreviewError::TimedOut)?
}
