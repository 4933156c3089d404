//! Fuzzy matching for the quick synchronous search over requirements and
//! findings; "did you mean" suggestions are [`crate::suggest`].

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// Something the finder can jump to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Requirement(crate::checklist::ReqRef),
    Finding(crate::audit::FindingId),
    /// A file of the evidence bundle, by its bundle path.
    Evidence(String),
}

/// One finder result: where it leads and the line shown for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub target: Target,
    pub label: String,
}

/// Fuzzy search over requirement ids, titles and questions, and findings.
///
/// An id typed exactly (`6.1.2`, or `iso42001-2023:6.1.2`) always comes first;
/// then matches on "id title", then on the audit questions, then findings.
/// An empty query lists every requirement in checklist order. This is the
/// quick synchronous search (the finding form's requirement picker); the
/// `/` finder over evidence paths too is [`crate::finder`].
pub fn find(
    catalog: &crate::checklist::Catalog,
    record: &crate::audit::AuditRecord,
    query: &str,
    limit: usize,
) -> Vec<Hit> {
    let query = query.trim();
    let qualify = catalog.checklists().len() > 1;
    let label = |r: &crate::checklist::ReqRef, title: &str| {
        if qualify {
            format!("{r}  {title}")
        } else {
            format!("{}  {title}", r.id)
        }
    };
    if query.is_empty() {
        return catalog
            .requirements()
            .take(limit)
            .map(|(r, _, req)| Hit {
                label: label(&r, &req.title),
                target: Target::Requirement(r),
            })
            .collect();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    // (score, order, hit); exact ids get a score no fuzzy match reaches.
    let mut scored: Vec<(i64, usize, Hit)> = Vec::new();
    for (order, (r, _, req)) in catalog.requirements().enumerate() {
        let exact = req.id.eq_ignore_ascii_case(query) || r.to_string().eq_ignore_ascii_case(query);
        let score = if exact {
            Some(i64::MAX / 2)
        } else {
            let on_title = matcher.fuzzy_match(&format!("{} {}", req.id, req.title), query);
            let on_questions = req
                .questions
                .iter()
                .filter_map(|q| matcher.fuzzy_match(q, query))
                .max()
                .map(|s| s / 2);
            on_title.max(on_questions)
        };
        if let Some(score) = score {
            scored.push((
                score,
                order,
                Hit {
                    label: label(&r, &req.title),
                    target: Target::Requirement(r),
                },
            ));
        }
    }
    let base = scored.len();
    for (i, f) in record.findings.iter().enumerate() {
        let text = format!("{} {} {}", f.id, f.grade.label(), f.statement);
        if let Some(score) = matcher.fuzzy_match(&text, query) {
            let bonus = if f.id.to_string().eq_ignore_ascii_case(query) {
                i64::MAX / 2
            } else {
                0
            };
            scored.push((
                score.saturating_add(bonus),
                base + i,
                Hit {
                    label: format!(
                        "{}  {}",
                        f.id,
                        f.statement.lines().next().unwrap_or_default()
                    ),
                    target: Target::Finding(f.id),
                },
            ));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, _, hit)| hit)
        .collect()
}

#[cfg(test)]
mod find_tests {
    use super::*;
    use crate::audit::{AuditRecord, AuditType, Change, Criterion, Grade, Meta};
    use crate::checklist::ReqRef;

    fn record(ids: &[&str]) -> AuditRecord {
        let meta = Meta::new("A", AuditType::Stage2);
        let criteria = ids
            .iter()
            .map(|i| Criterion::Builtin(i.to_string()))
            .collect();
        AuditRecord::new(meta, criteria, None, &Change::now("t"))
    }

    #[test]
    fn an_exact_id_comes_first() {
        let r = record(&["iso42001-2023", "iso27001-2022"]);
        let cat = r.catalog().unwrap();
        let hits = find(&cat, &r, "6.1.2", 10);
        assert_eq!(
            hits[0].target,
            Target::Requirement(ReqRef::new("iso42001-2023", "6.1.2"))
        );
        let hits = find(&cat, &r, "iso27001-2022:6.1.2", 10);
        assert_eq!(
            hits[0].target,
            Target::Requirement(ReqRef::new("iso27001-2022", "6.1.2"))
        );
    }

    #[test]
    fn titles_questions_and_findings_are_searched() {
        let mut r = record(&["iso42001-2023"]);
        let cat = r.catalog().unwrap();
        let hits = find(&cat, &r, "impact assessment", 5);
        assert!(
            hits.iter().any(|h| h.label.starts_with("6.1.4")),
            "{hits:?}"
        );
        let req = ReqRef::new("iso42001-2023", "A.7.4");
        r.add_finding(
            &Change::now("t"),
            Grade::Minor,
            vec![req],
            "Stale training labels".into(),
            None,
        )
        .unwrap();
        let hits = find(&cat, &r, "stale labels", 5);
        assert!(matches!(hits[0].target, Target::Finding(_)), "{hits:?}");
        assert_eq!(find(&cat, &r, "", 1000).len(), 70);
    }
}
