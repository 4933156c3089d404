//! What is matched: a haystack [`Text`] of some [`Kind`], and the [`Engine`]
//! trait that scores one against a query. The corpus says which haystacks an
//! item is scored on; the engine module implements and drives matchers. Both
//! use this module, and neither imports the other's internals for it.

use std::fmt;

use nucleo_matcher::{Utf32Str, Utf32String};

/// A haystack: the text, and its characters when it is not ASCII (nucleo
/// matches on characters).
#[derive(Clone, PartialEq, Eq)]
pub struct Text {
    text: Box<str>,
    wide: Option<Box<[char]>>,
}

impl Text {
    pub fn new(text: &str) -> Text {
        let wide = match Utf32String::from(text) {
            Utf32String::Ascii(_) => None,
            Utf32String::Unicode(chars) => Some(chars),
        };
        Text {
            text: text.into(),
            wide,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub(super) fn utf32(&self) -> Utf32Str<'_> {
        match &self.wide {
            None => Utf32Str::Ascii(self.text.as_bytes()),
            Some(chars) => Utf32Str::Unicode(chars),
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

/// What a haystack is: prose (titles, statements) or a bundle path, which
/// matchers may score differently (path separators as word boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Path,
}

/// A fuzzy matcher the search core can drive.
pub trait Engine: Sync {
    /// A query prepared for matching.
    type Needle: Sync;
    /// Per-thread working memory.
    type Scratch;
    /// Prepare `query` (trimmed, not empty).
    fn needle(&self, query: &str) -> Self::Needle;
    fn scratch(&self) -> Self::Scratch;
    /// The score of `haystack`, higher is better; `None` if it does not match.
    fn score(
        &self,
        needle: &Self::Needle,
        scratch: &mut Self::Scratch,
        haystack: &Text,
        kind: Kind,
    ) -> Option<u32>;
}
