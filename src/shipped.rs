//! Files shipped inside the binary (checklists, crosswalks): their ids and
//! sources, and each parsed once per process.

use std::path::Path;
use std::sync::OnceLock;

/// A set of RON files embedded with `include_str!`, each parsed into a `T`.
pub struct Shipped<T: 'static> {
    /// Where they live in the repository, for messages (`checklists/`).
    folder: &'static str,
    /// Id and source, in the order they are listed.
    files: &'static [(&'static str, &'static str)],
    parsed: OnceLock<Result<Vec<T>, String>>,
}

impl<T: 'static> Shipped<T> {
    pub const fn new(folder: &'static str, files: &'static [(&'static str, &'static str)]) -> Self {
        Shipped {
            folder,
            files,
            parsed: OnceLock::new(),
        }
    }

    pub fn ids(&self) -> impl Iterator<Item = &'static str> {
        self.files.iter().map(|(id, _)| *id)
    }

    pub fn source(&self, id: &str) -> Option<&'static str> {
        self.files.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
    }

    /// The path a shipped file is reported under in messages.
    pub fn display_path(&self, id: &str) -> String {
        format!("{}{id}.ron", self.folder)
    }

    /// Every file parsed with `parse`, once; the first failure as text
    /// (only reachable with a broken build: the tests parse every file).
    pub fn all<E: std::fmt::Display>(
        &'static self,
        parse: impl Fn(&str, &Path) -> Result<T, E>,
    ) -> Result<&'static [T], &'static str> {
        let parsed = self.parsed.get_or_init(|| {
            self.files
                .iter()
                .map(|(id, text)| parse(text, Path::new(&self.display_path(id))))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())
        });
        match parsed {
            Ok(list) => Ok(list),
            Err(message) => Err(message),
        }
    }
}
