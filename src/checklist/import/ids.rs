//! Unique, valid ids for imported sections and requirements.

use std::collections::HashSet;

use crate::checklist::validate::valid_item_id;

/// Hands out ids unique among those it has handed out.
#[derive(Debug, Default)]
pub(super) struct Ids {
    used: HashSet<String>,
    made: usize,
}

impl Ids {
    /// `wanted` when it is a valid id not yet used; else `fallback` made
    /// valid (spaces and `:` become `-`) and unique; else `PREFIX-<n>`.
    /// The second value says why `wanted` was not used.
    pub fn take(
        &mut self,
        wanted: Option<&str>,
        fallback: Option<&str>,
        prefix: &str,
    ) -> (String, Option<&'static str>) {
        let why = match wanted.map(str::trim) {
            None | Some("") => "has no ref_id",
            Some(w) if !valid_item_id(w) => "is not a valid id",
            Some(w) if self.used.contains(w) => "is already used",
            Some(w) => {
                self.used.insert(w.to_string());
                return (w.to_string(), None);
            }
        };
        let base = fallback.map(cleaned).filter(|f| !f.is_empty());
        if let Some(base) = base {
            let mut candidate = base.clone();
            let mut n = 1;
            while self.used.contains(&candidate) {
                n += 1;
                candidate = format!("{base}-{n}");
            }
            self.used.insert(candidate.clone());
            return (candidate, Some(why));
        }
        loop {
            self.made += 1;
            let candidate = format!("{prefix}-{}", self.made);
            if self.used.insert(candidate.clone()) {
                return (candidate, Some(why));
            }
        }
    }
}

/// `text` with whitespace, `:` and control characters replaced by `-`.
fn cleaned(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == ':' || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_new_id_is_kept_and_a_second_use_is_remade() {
        let mut ids = Ids::default();
        assert_eq!(ids.take(Some("6.1"), None, "R"), ("6.1".to_string(), None));
        let (id, why) = ids.take(Some("6.1"), Some("node-7"), "R");
        assert_eq!(id, "node-7");
        assert_eq!(why, Some("is already used"));
        let (id, _) = ids.take(Some("6.1"), Some("node-7"), "R");
        assert_eq!(id, "node-7-2");
    }

    #[test]
    fn missing_and_bad_ids_fall_back_to_numbers() {
        let mut ids = Ids::default();
        assert_eq!(ids.take(None, None, "R").0, "R-1");
        let (id, why) = ids.take(Some("a b:c"), Some("x y"), "R");
        assert_eq!((id.as_str(), why), ("x-y", Some("is not a valid id")));
        assert!(valid_item_id(&ids.take(Some(" "), Some(":\n"), "R").0));
    }
}
