//! What the finder searches: the requirements, findings, interview notes and
//! evidence paths of a [`Corpus`], each haystack prepared once as a
//! [`Text`], and what each item is scored on (an id typed exactly, title and
//! questions, finding statement, note interviewee and text, path).

use std::sync::Arc;

use super::haystack::{Engine, Kind, Text};
use super::{EXACT, Hit, Target};
use crate::audit::{AuditRecord, Finding, FindingId};
use crate::checklist::{Catalog, ReqRef};
use crate::text::{clipped, shown};

/// How much of a note's first line its label shows, in characters.
const NOTE_START: usize = 60;

/// The evidence bundle's paths, in listing order. Large and immutable:
/// share it by `Arc` between corpora.
#[derive(Debug, Default)]
pub struct Evidence {
    paths: Vec<Text>,
}

impl Evidence {
    pub fn new<S: AsRef<str>>(paths: impl IntoIterator<Item = S>) -> Evidence {
        Evidence {
            paths: paths.into_iter().map(|p| Text::new(p.as_ref())).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

#[derive(Debug)]
struct ReqItem {
    req: ReqRef,
    /// `iso42001-2023:6.1.2`
    qualified: String,
    label: String,
    /// "id title"
    title: Text,
    questions: Vec<Text>,
}

#[derive(Debug)]
struct FindingItem {
    id: FindingId,
    /// `NC-001`
    id_text: String,
    label: String,
    /// "id grade statement"
    text: Text,
}

#[derive(Debug)]
struct NoteItem {
    req: ReqRef,
    id: u32,
    label: String,
    /// "interviewee text"
    text: Text,
}

/// Everything the finder searches, immutable once built. Items are indexed
/// requirements first (checklist order), then findings, then notes (by
/// requirement), then evidence paths; equal scores keep that order.
#[derive(Debug)]
pub struct Corpus {
    requirements: Vec<ReqItem>,
    findings: Vec<FindingItem>,
    notes: Vec<NoteItem>,
    evidence: Arc<Evidence>,
}

impl Corpus {
    /// Requirements of `catalog` (id and title; questions count half), the
    /// findings of `record` (id, grade, statement), its interview notes
    /// (interviewee and text) and the evidence paths.
    pub fn new(catalog: &Catalog, record: &AuditRecord, evidence: Arc<Evidence>) -> Corpus {
        let mut corpus = Corpus::of(catalog, &record.findings, evidence);
        corpus.notes = notes(catalog, record);
        corpus
    }

    fn of(catalog: &Catalog, findings: &[Finding], evidence: Arc<Evidence>) -> Corpus {
        let qualify = catalog.checklists().len() > 1;
        let requirements = catalog
            .requirements()
            .map(|(r, _, req)| {
                let qualified = r.to_string();
                let label = if qualify {
                    format!("{qualified}  {}", req.title)
                } else {
                    format!("{}  {}", req.id, req.title)
                };
                ReqItem {
                    title: Text::new(&format!("{} {}", req.id, req.title)),
                    questions: req.questions.iter().map(|q| Text::new(q)).collect(),
                    qualified,
                    label,
                    req: r,
                }
            })
            .collect();
        let findings = findings
            .iter()
            .map(|f| {
                let id_text = f.id.to_string();
                FindingItem {
                    id: f.id,
                    label: format!(
                        "{id_text}  {}",
                        f.statement.lines().next().unwrap_or_default()
                    ),
                    text: Text::new(&format!("{id_text} {} {}", f.grade.label(), f.statement)),
                    id_text,
                }
            })
            .collect();
        Corpus {
            requirements,
            findings,
            notes: Vec::new(),
            evidence,
        }
    }

    /// Only the requirements of `catalog`: what the finding form's
    /// requirement picker searches, ranked as `/` ranks them.
    pub fn requirements_only(catalog: &Catalog) -> Corpus {
        Corpus::of(catalog, &[], Arc::new(Evidence::new(Vec::<String>::new())))
    }

    /// The evidence listing, to build the next corpus with.
    pub fn evidence(&self) -> &Arc<Evidence> {
        &self.evidence
    }

    /// Number of items (requirements, findings, notes and paths).
    pub fn len(&self) -> usize {
        self.requirements.len() + self.findings.len() + self.notes.len() + self.evidence.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of requirements (the first items).
    pub fn requirement_count(&self) -> usize {
        self.requirements.len()
    }

    /// The hit for item `index`, if there is such an item.
    pub fn hit(&self, index: u32, score: u32) -> Option<Hit> {
        let i = index as usize;
        let nr = self.requirements.len();
        let nf = self.findings.len();
        let nn = self.notes.len();
        let (target, label) = if let Some(r) = self.requirements.get(i) {
            (Target::Requirement(r.req.clone()), r.label.clone())
        } else if let Some(f) = self.findings.get(i - nr) {
            (Target::Finding(f.id), f.label.clone())
        } else if let Some(n) = self.notes.get(i - nr - nf) {
            let target = Target::Note {
                req: n.req.clone(),
                id: n.id,
            };
            (target, n.label.clone())
        } else {
            let path = self
                .evidence
                .paths
                .get(i - nr - nf - nn)?
                .as_str()
                .to_string();
            let label = format!("file  {path}");
            (Target::Evidence(path), label)
        };
        Some(Hit {
            target,
            label,
            score,
        })
    }

    /// The hits for `(index, score)` pairs, in order.
    pub fn hits(&self, top: &[(u32, u32)]) -> Vec<Hit> {
        top.iter().filter_map(|&(i, s)| self.hit(i, s)).collect()
    }

    /// Item `index` scored against `query` (trimmed, not empty).
    pub(super) fn score<E: Engine>(
        &self,
        engine: &E,
        needle: &E::Needle,
        scratch: &mut E::Scratch,
        index: usize,
        query: &str,
    ) -> Option<u32> {
        let nr = self.requirements.len();
        let nf = self.findings.len();
        if let Some(r) = self.requirements.get(index) {
            if r.req.id.eq_ignore_ascii_case(query) || r.qualified.eq_ignore_ascii_case(query) {
                return Some(EXACT);
            }
            let on_title = engine.score(needle, scratch, &r.title, Kind::Text);
            let on_questions = r
                .questions
                .iter()
                .filter_map(|q| engine.score(needle, scratch, q, Kind::Text))
                .max()
                .map(|s| s / 2);
            let fuzzy = on_title.max(on_questions);
            // An id being typed always matches, whatever its case, so that a
            // longer query never matches outside a shorter one's matches.
            let typing_id = starts_with_ignore_case(&r.req.id, query)
                || starts_with_ignore_case(&r.qualified, query);
            return fuzzy.map(|s| s.min(EXACT - 1)).or(typing_id.then_some(0));
        }
        if let Some(f) = self.findings.get(index - nr) {
            if f.id_text.eq_ignore_ascii_case(query) {
                return Some(EXACT);
            }
            let fuzzy = engine.score(needle, scratch, &f.text, Kind::Text);
            return fuzzy
                .map(|s| s.min(EXACT - 1))
                .or(starts_with_ignore_case(&f.id_text, query).then_some(0));
        }
        if let Some(n) = self.notes.get(index - nr - nf) {
            return engine
                .score(needle, scratch, &n.text, Kind::Text)
                .map(|s| s.min(EXACT - 1));
        }
        let path = self
            .evidence
            .paths
            .get(index - nr - nf - self.notes.len())?;
        engine
            .score(needle, scratch, path, Kind::Path)
            .map(|s| s.min(EXACT - 1))
    }
}

/// The interview notes of `record`, labelled `6.1.2  note 3, Eleanor Marsh:
/// first words…` (the requirement qualified as the requirements' labels
/// are), control characters shown escaped.
fn notes(catalog: &Catalog, record: &AuditRecord) -> Vec<NoteItem> {
    let qualify = catalog.checklists().len() > 1;
    record
        .assessments
        .iter()
        .flat_map(|(req, a)| a.notes.iter().map(move |n| (req, n)))
        .map(|(req, n)| {
            let place = if qualify {
                req.to_string()
            } else {
                req.id.clone()
            };
            let who = n
                .interviewee
                .as_deref()
                .map_or(String::new(), |i| format!(", {}", shown(i)));
            let start = clipped(
                &shown(n.text.lines().next().unwrap_or_default()),
                NOTE_START,
            );
            let interviewee = n.interviewee.as_deref().unwrap_or_default();
            NoteItem {
                req: req.clone(),
                id: n.id,
                label: format!("{place}  note {}{who}: {start}", n.id),
                text: Text::new(&format!("{interviewee} {}", n.text)),
            }
        })
        .collect()
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Change, Grade};
    use crate::finder::fixtures::{ALL, corpus, paths, record, targets};
    use crate::finder::{LIMIT, search};

    #[test]
    fn an_exact_requirement_id_comes_first() {
        let (_, _, c) = corpus(&ALL, paths(5000));
        let (top, _) = search(&c, "6.1.2", None, LIMIT);
        assert_eq!(
            targets(&c, &top)[0],
            Target::Requirement(ReqRef::new("iso42001-2023", "6.1.2"))
        );
        assert_eq!(top[0].1, EXACT);
        for q in [
            "iso27001-2022:6.1.2",
            "ISO27001-2022:6.1.2",
            " iso27001-2022:6.1.2 ",
        ] {
            let (top, _) = search(&c, q, None, LIMIT);
            assert_eq!(
                targets(&c, &top)[0],
                Target::Requirement(ReqRef::new("iso27001-2022", "6.1.2")),
                "{q}"
            );
        }
        let (top, _) = search(&c, "a.5.2", None, LIMIT);
        assert_eq!(
            targets(&c, &top)[0],
            Target::Requirement(ReqRef::new("iso42001-2023", "A.5.2"))
        );
    }

    #[test]
    fn an_exact_finding_id_comes_first() {
        let mut r = record(&ALL);
        let cat = r.catalog().unwrap();
        let req = ReqRef::new("iso42001-2023", "A.7.4");
        let mut ids = Vec::new();
        for i in 0..12 {
            ids.push(
                r.add_finding(
                    &Change::now("t"),
                    Grade::Minor,
                    vec![req.clone()],
                    format!("Stale training labels NC-001 in sample {i}"),
                    None,
                )
                .unwrap(),
            );
        }
        let c = Corpus::new(&cat, &r, Arc::new(Evidence::new(paths(1000))));
        for q in ["NC-001", "nc-001", "NC-010"] {
            let (top, _) = search(&c, q, None, LIMIT);
            let first = targets(&c, &top)[0].clone();
            assert_eq!(
                first.clone(),
                Target::Finding(q.to_uppercase().parse().unwrap())
            );
            assert!(ids.iter().any(|id| first == Target::Finding(*id)));
        }
        let (top, _) = search(&c, "stale labels", None, LIMIT);
        assert!(matches!(targets(&c, &top)[0], Target::Finding(_)));
    }

    /// A record with interview notes on three requirements, one of which
    /// mentions a requirement id in its text.
    fn with_notes() -> (Corpus, ReqRef) {
        let mut r = record(&ALL);
        let cat = r.catalog().unwrap();
        let who = Change::now("t");
        let leadership = ReqRef::new("iso42001-2023", "5.1");
        r.add_note(
            &who,
            &leadership,
            "Chairs the quarterly AI risk review herself".into(),
            Some("Eleanor Marsh".into()),
        )
        .unwrap();
        r.add_note(
            &who,
            &ReqRef::new("iso42001-2023", "6.1.2"),
            "Risk assessment per 6.1.2 is done yearly; \x1b[2J the register is in SharePoint"
                .into(),
            Some("Tom Okafor".into()),
        )
        .unwrap();
        r.add_note(
            &who,
            &ReqRef::new("iso42001-2023", "7.2"),
            "Training records kept by HR".into(),
            None,
        )
        .unwrap();
        let c = Corpus::new(&cat, &r, Arc::new(Evidence::new(paths(5000))));
        (c, leadership)
    }

    #[test]
    fn notes_are_found_by_interviewee_and_by_text() {
        let (c, leadership) = with_notes();
        let note = Target::Note {
            req: leadership,
            id: 1,
        };
        for q in ["Eleanor Marsh", "eleanor", "marsh", "quarterly risk review"] {
            let (top, _) = search(&c, q, None, LIMIT);
            assert_eq!(targets(&c, &top)[0], note, "{q}");
        }
        let (top, _) = search(&c, "training records HR", None, LIMIT);
        assert_eq!(
            targets(&c, &top)[0],
            Target::Note {
                req: ReqRef::new("iso42001-2023", "7.2"),
                id: 3
            }
        );
        let hit = c.hits(&search(&c, "Eleanor Marsh", None, LIMIT).0)[0].clone();
        assert_eq!(
            hit.label,
            "iso42001-2023:5.1  note 1, Eleanor Marsh: Chairs the quarterly AI risk review herself"
        );
        // A control character in a note is shown escaped in its label.
        let hit = c.hits(&search(&c, "Okafor", None, LIMIT).0)[0].clone();
        assert!(hit.label.contains("\\x1b[2J"), "{}", hit.label);
        assert!(!hit.label.chars().any(char::is_control), "{}", hit.label);
    }

    #[test]
    fn a_requirement_id_typed_as_an_id_ranks_above_notes_that_mention_it() {
        let (c, _) = with_notes();
        let (top, _) = search(&c, "6.1.2", None, LIMIT);
        let found = targets(&c, &top);
        assert_eq!(
            found[0],
            Target::Requirement(ReqRef::new("iso42001-2023", "6.1.2"))
        );
        assert!(
            found
                .iter()
                .any(|t| matches!(t, Target::Note { id: 2, .. })),
            "the note mentioning 6.1.2 is still among the hits"
        );
    }

    #[test]
    fn non_ascii_paths_match() {
        let ev = vec![
            "Ärzte/Übersicht-Qualität.pdf".to_string(),
            "plain.txt".into(),
        ];
        let (_, _, c) = corpus(&["iso42001-2023"], ev);
        let (top, _) = search(&c, "ubersicht", None, LIMIT);
        assert_eq!(
            targets(&c, &top),
            vec![Target::Evidence("Ärzte/Übersicht-Qualität.pdf".into())]
        );
    }
}
