//! "Did you mean": the names nearest to a mistyped one, by fuzzy-matcher's
//! skim algorithm. Knows nothing of checklists or records, so that every
//! layer can suggest.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// The `limit` candidates nearest to a mistyped requirement id.
///
/// Each candidate is `(name shown, id, title)`. Candidates the fuzzy matcher
/// accepts against "id title" come first, best score first; the list is then
/// filled with ids sharing the longest leading part with the query (so `6.1.9`
/// still suggests `6.1.1`–`6.1.4`).
pub fn nearest_ids(
    query: &str,
    candidates: impl Iterator<Item = (String, String, String)>,
    limit: usize,
) -> Vec<String> {
    let matcher = SkimMatcherV2::default();
    let query = query.trim();
    let mut fuzzy: Vec<(i64, usize, String)> = Vec::new();
    let mut prefixed: Vec<(usize, usize, String)> = Vec::new();
    for (order, (name, id, title)) in candidates.enumerate() {
        if let Some(score) = matcher.fuzzy_match(&format!("{id} {title}"), query) {
            fuzzy.push((score, order, name));
        } else {
            let common = common_prefix(&id.to_lowercase(), &query.to_lowercase());
            if common > 0 {
                prefixed.push((common, order, name));
            }
        }
    }
    fuzzy.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    prefixed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    fuzzy
        .into_iter()
        .map(|(_, _, name)| name)
        .chain(prefixed.into_iter().map(|(_, _, name)| name))
        .take(limit)
        .collect()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands() -> impl Iterator<Item = (String, String, String)> {
        [
            ("4.1", "Understanding the organization and its context"),
            ("6.1.2", "AI risk assessment"),
            ("6.1.3", "AI risk treatment"),
            ("8.2", "AI risk assessment"),
            ("A.5.2", "AI system impact assessment process"),
        ]
        .into_iter()
        .map(|(i, t)| (i.to_string(), i.to_string(), t.to_string()))
    }

    #[test]
    fn words_from_the_title_find_the_requirement() {
        let found = nearest_ids("risk treatment", cands(), 3);
        assert_eq!(found.first().map(String::as_str), Some("6.1.3"));
    }

    #[test]
    fn a_mistyped_number_suggests_its_neighbours() {
        let found = nearest_ids("6.1.9", cands(), 3);
        assert_eq!(&found[..2], ["6.1.2", "6.1.3"]);
    }

    #[test]
    fn nothing_related_suggests_nothing() {
        assert!(nearest_ids("zzz", cands(), 3).is_empty());
    }
}
