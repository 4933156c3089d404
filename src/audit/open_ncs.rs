//! The rule that ties verdicts to nonconformities: a requirement an open NC
//! of this audit cites is not conforming (nor not applicable). Which
//! requirements an NC would contradict, the contradictions an older record
//! already holds, and setting requirements nonconforming together with the
//! change that raises the NC. An NC is open until its follow-up closes it
//! (verified effective, or raised again): see `lifecycle`. A carried NC
//! belongs to the audit that raised it; this audit judges its requirements
//! afresh and gives the carried NC a verification verdict.

use std::collections::HashSet;

use super::model::*;
use super::ops::{AuditError, Change};
use crate::checklist::ReqRef;

impl Verdict {
    /// Conforming or not applicable: the verdicts an open NC contradicts.
    pub fn clears(self) -> bool {
        matches!(self, Verdict::Conforming | Verdict::NotApplicable)
    }

    /// How auditors say it ("not applicable", not "not-applicable").
    pub fn words(self) -> &'static str {
        match self {
            Verdict::NotAssessed => "not assessed",
            Verdict::Conforming => "conforming",
            Verdict::Nonconforming => "nonconforming",
            Verdict::NotApplicable => "not applicable",
        }
    }
}

/// A requirement marked conforming or not applicable that open NCs cite: a
/// record made before the rule may hold one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    pub req: ReqRef,
    pub verdict: Verdict,
    pub ncs: Vec<FindingId>,
}

impl AuditRecord {
    /// The open nonconformities raised on `req` (first or further).
    pub fn open_ncs_citing<'a>(&'a self, req: &'a ReqRef) -> impl Iterator<Item = &'a Finding> {
        let closed = self.closed_findings();
        self.findings.iter().filter(move |f| {
            f.grade.is_nonconformity() && f.requirements.contains(req) && !closed.contains(&f.id)
        })
    }

    /// The open NCs of `grade`, carried or raised here, in id order.
    pub fn open_ncs_of(&self, grade: Grade) -> Vec<FindingId> {
        let closed: HashSet<FindingId> = self.closed_findings();
        self.all_findings()
            .filter(|f| f.grade == grade && !closed.contains(&f.id))
            .map(|f| f.id)
            .collect()
    }

    /// Refuse a verdict that an open NC on `req` contradicts.
    pub(super) fn refuse_clearing(&self, req: &ReqRef, verdict: Verdict) -> Result<(), AuditError> {
        if !verdict.clears() {
            return Ok(());
        }
        let ncs: Vec<(FindingId, Grade)> =
            self.open_ncs_citing(req).map(|f| (f.id, f.grade)).collect();
        if ncs.is_empty() {
            return Ok(());
        }
        Err(AuditError::OpenNcCites {
            req: req.clone(),
            verdict,
            ncs,
        })
    }

    /// The requirements of `reqs` marked conforming or not applicable,
    /// which an NC raised on them would contradict.
    pub fn marked_clear(&self, reqs: &[ReqRef]) -> Vec<(ReqRef, Verdict)> {
        reqs.iter()
            .map(|r| (r.clone(), self.verdict(r)))
            .filter(|(_, v)| v.clears())
            .collect()
    }

    /// The requirements of `reqs` marked conforming or not applicable that
    /// `old`, edited into a `grade` finding on `reqs`, would newly make the
    /// subject of an NC: all of them when it becomes an NC, the added ones
    /// when it is one already.
    pub fn newly_under_nc(
        &self,
        old: &Finding,
        grade: Grade,
        reqs: &[ReqRef],
    ) -> Vec<(ReqRef, Verdict)> {
        if !grade.is_nonconformity() {
            return Vec::new();
        }
        let newly: Vec<ReqRef> = reqs
            .iter()
            .filter(|r| !old.grade.is_nonconformity() || !old.requirements.contains(r))
            .cloned()
            .collect();
        self.marked_clear(&newly)
    }

    /// Refuse to make a `grade` finding on `reqs` an NC while one of them
    /// is marked conforming or not applicable.
    pub(super) fn refuse_nc_on_clear(
        &self,
        grade: Grade,
        reqs: &[ReqRef],
    ) -> Result<(), AuditError> {
        if !grade.is_nonconformity() {
            return Ok(());
        }
        let marked = self.marked_clear(reqs);
        if marked.is_empty() {
            return Ok(());
        }
        Err(AuditError::NcOnClearVerdict { grade, marked })
    }

    /// Every requirement marked conforming or not applicable that an open
    /// NC cites, in requirement order.
    pub fn contradictions(&self) -> Vec<Contradiction> {
        let closed = self.closed_findings();
        self.assessments
            .iter()
            .filter(|(_, a)| a.verdict.clears())
            .filter_map(|(req, a)| {
                let ncs: Vec<FindingId> = self
                    .findings
                    .iter()
                    .filter(|f| {
                        f.grade.is_nonconformity()
                            && f.requirements.contains(req)
                            && !closed.contains(&f.id)
                    })
                    .map(|f| f.id)
                    .collect();
                (!ncs.is_empty()).then(|| Contradiction {
                    req: req.clone(),
                    verdict: a.verdict,
                    ncs,
                })
            })
            .collect()
    }

    /// Set each of `reqs` nonconforming, then `then` (which raises or
    /// regrades the NC), as one change: when `then` is refused, the verdicts
    /// and the trail are as they were.
    pub fn set_nonconforming_then<T>(
        &mut self,
        change: &Change,
        reqs: &[ReqRef],
        then: impl FnOnce(&mut AuditRecord) -> Result<T, AuditError>,
    ) -> Result<T, AuditError> {
        self.ensure_open()?;
        let trail_len = self.trail.len();
        let before: Vec<(ReqRef, Option<Assessment>)> = reqs
            .iter()
            .map(|r| (r.clone(), self.assessments.get(r).cloned()))
            .collect();
        let result = reqs
            .iter()
            .try_for_each(|r| {
                self.set_verdict(change, r, Verdict::Nonconforming, None)
                    .map(drop)
            })
            .and_then(|()| then(self));
        if result.is_err() {
            for (req, old) in before {
                match old {
                    Some(a) => self.assessments.insert(req, a),
                    None => self.assessments.remove(&req),
                };
            }
            self.trail.truncate(trail_len);
        }
        result
    }
}

/// A finding's requirements with `first` kept first and the further ones
/// `also`, each once.
pub fn with_further(first: Option<&ReqRef>, also: Vec<ReqRef>) -> Vec<ReqRef> {
    let mut reqs: Vec<ReqRef> = first.into_iter().cloned().collect();
    for r in also {
        if !reqs.contains(&r) {
            reqs.push(r);
        }
    }
    reqs
}

/// `NC-001 (minor) is raised on it`, `NC-001 (minor) and NC-003 (major) are
/// raised on it`.
pub(super) fn raised_on_it(ncs: &[(FindingId, Grade)]) -> String {
    let named: Vec<String> = ncs.iter().map(|(id, g)| format!("{id} ({g})")).collect();
    let verb = if named.len() == 1 { "is" } else { "are" };
    format!("{} {verb} raised on it", and_list(&named))
}

/// `4.1 (conforming)`, `4.1 (conforming) and 6.1.2 (not applicable)`.
pub(super) fn marked_list(marked: &[(ReqRef, Verdict)]) -> String {
    let named: Vec<String> = marked
        .iter()
        .map(|(r, v)| format!("{r} ({})", v.words()))
        .collect();
    and_list(&named)
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::audit::testing::record;

    #[test]
    fn a_requirement_an_open_nc_cites_cannot_be_set_conforming_or_not_applicable() {
        let (mut r, who, req) = record();
        let other = ReqRef::new("iso42001-2023", "4.2");
        r.add_finding(
            &who,
            Grade::Minor,
            vec![other, req.clone()],
            "s".into(),
            None,
        )
        .unwrap();
        let before = r.clone();
        let err = r
            .set_verdict(&who, &req, Verdict::Conforming, None)
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, AuditError::OpenNcCites { .. }), "{text}");
        assert!(text.contains("NC-001 (minor) is raised on it"), "{text}");
        assert!(text.contains("set it nonconforming"), "{text}");
        let err = r
            .set_verdict(&who, &req, Verdict::NotApplicable, Some("why".into()))
            .unwrap_err();
        assert!(
            err.to_string().contains("cannot be not applicable"),
            "{err}"
        );
        assert_eq!(r, before, "a refused verdict changes nothing");
        assert!(
            r.set_verdict(&who, &req, Verdict::Nonconforming, None)
                .unwrap()
        );
    }

    #[test]
    fn an_observation_does_not_stop_a_conforming_verdict() {
        let (mut r, who, req) = record();
        r.add_finding(
            &who,
            Grade::Observation,
            vec![req.clone()],
            "s".into(),
            None,
        )
        .unwrap();
        assert!(
            r.set_verdict(&who, &req, Verdict::Conforming, None)
                .unwrap()
        );
    }

    #[test]
    fn an_nc_on_a_conforming_requirement_is_refused_and_changes_nothing() {
        let (mut r, who, req) = record();
        r.set_verdict(&who, &req, Verdict::Conforming, None)
            .unwrap();
        let before = r.clone();
        let err = r
            .add_finding(&who, Grade::Major, vec![req.clone()], "s".into(), None)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("cannot stand on iso42001-2023:4.1 (conforming)"),
            "{err}"
        );
        assert_eq!(r, before);
        assert_eq!(r.counters.nc, 0, "no NC number was spent");
    }

    #[test]
    fn regrading_an_observation_to_an_nc_is_refused_on_a_conforming_requirement() {
        let (mut r, who, req) = record();
        r.set_verdict(&who, &req, Verdict::Conforming, None)
            .unwrap();
        r.add_finding(
            &who,
            Grade::Observation,
            vec![req.clone()],
            "s".into(),
            None,
        )
        .unwrap();
        let before = r.clone();
        let regrade = |g| super::super::FindingEdit {
            grade: Some(g),
            ..Default::default()
        };
        assert!(
            r.edit_finding(&who, "OBS-001", regrade(Grade::Minor))
                .is_err()
        );
        assert_eq!(r, before, "nothing changed, no NC number spent");
        assert!(r.edit_finding(&who, "OBS-001", regrade(Grade::Ofi)).is_ok());
    }

    #[test]
    fn a_requirement_added_to_an_nc_by_an_edit_must_not_be_marked_conforming() {
        let (mut r, who, req) = record();
        let (conforming, open) = (
            ReqRef::new("iso42001-2023", "4.2"),
            ReqRef::new("iso42001-2023", "4.3"),
        );
        r.set_verdict(&who, &conforming, Verdict::Conforming, None)
            .unwrap();
        r.add_finding(&who, Grade::Minor, vec![req.clone()], "s".into(), None)
            .unwrap();
        let also = |reqs: &[&ReqRef]| super::super::FindingEdit {
            also: Some(reqs.iter().map(|r| (*r).clone()).collect()),
            ..Default::default()
        };
        let before = r.clone();
        let err = r
            .edit_finding(&who, "NC-001", also(&[&open, &conforming]))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("cannot stand on iso42001-2023:4.2 (conforming)"),
            "{err}"
        );
        assert_eq!(r, before);
        r.edit_finding(&who, "NC-001", also(&[&open, &req]))
            .unwrap();
        assert_eq!(r.findings[0].requirements, [req.clone(), open.clone()]);
        let last = &r.trail.last().unwrap().what;
        assert!(
            last.ends_with(
                "requirements: iso42001-2023:4.1 → iso42001-2023:4.1, iso42001-2023:4.3"
            ),
            "{last}"
        );
        // An NC already on a conforming requirement (an older record) can
        // still be reworded: the edit does not newly put it there.
        r.assessments.entry(open).or_default().verdict = Verdict::Conforming;
        let reword = super::super::FindingEdit {
            statement: Some("sharper".into()),
            ..Default::default()
        };
        r.edit_finding(&who, "NC-001", reword).unwrap();
    }

    #[test]
    fn setting_nonconforming_then_raising_is_one_change_and_undone_whole_on_refusal() {
        let (mut r, who, req) = record();
        r.set_verdict(&who, &req, Verdict::Conforming, None)
            .unwrap();
        let before = r.clone();
        let refused = r.set_nonconforming_then(&who, std::slice::from_ref(&req), |r| {
            r.add_finding(&who, Grade::Minor, vec![req.clone()], " ".into(), None)
        });
        assert!(matches!(refused, Err(AuditError::Empty("statement"))));
        assert_eq!(r, before, "the verdict is back and the trail as it was");
        let id = r
            .set_nonconforming_then(&who, std::slice::from_ref(&req), |r| {
                r.add_finding(&who, Grade::Minor, vec![req.clone()], "s".into(), None)
            })
            .unwrap();
        assert_eq!(id.to_string(), "NC-001");
        assert_eq!(r.verdict(&req), Verdict::Nonconforming);
        let last: Vec<&str> = r
            .trail
            .iter()
            .rev()
            .take(2)
            .map(|t| t.what.as_str())
            .collect();
        assert!(last[1].contains("conforming → nonconforming"), "{last:?}");
        assert!(last[0].starts_with("raised NC-001"), "{last:?}");
    }

    #[test]
    fn contradictions_list_what_an_older_record_holds() {
        let (mut r, who, req) = record();
        r.add_finding(&who, Grade::Major, vec![req.clone()], "s".into(), None)
            .unwrap();
        assert!(r.contradictions().is_empty());
        // As a record made before the rule could have it.
        r.assessments.entry(req.clone()).or_default().verdict = Verdict::Conforming;
        assert_eq!(
            r.contradictions(),
            [Contradiction {
                req,
                verdict: Verdict::Conforming,
                ncs: vec!["NC-001".parse().unwrap()],
            }]
        );
    }
}
