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
