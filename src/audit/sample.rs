//! A surveillance audit's sample: which requirements this visit covers.
//! Those a checklist marks `surveillance: Always` are in every visit; the
//! auditor adds the others. Other audits cover every requirement.

use super::model::*;
use super::ops::{AuditError, Change};
use crate::checklist::{Catalog, ReqRef};

impl AuditRecord {
    /// Whether this audit samples (a surveillance audit does).
    pub fn samples(&self) -> bool {
        self.meta.audit_type.is_surveillance()
    }

    /// Whether `req` is audited this time: always, unless this is a
    /// surveillance audit and the requirement is neither in every visit nor
    /// in the auditor's sample.
    pub fn in_visit(&self, catalog: &Catalog, req: &ReqRef) -> bool {
        !self.samples()
            || self.sample.contains(req)
            || catalog
                .get(req)
                .is_some_and(|(_, r)| r.always_in_surveillance())
    }

    /// Put a requirement in this visit's sample, or take it out. A
    /// requirement every surveillance covers cannot be taken out. Returns
    /// whether anything changed.
    pub fn set_sampled(
        &mut self,
        change: &Change,
        catalog: &Catalog,
        req: &ReqRef,
        sampled: bool,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        if !self.samples() {
            return Err(AuditError::NotSampling(self.meta.audit_type));
        }
        let Some((_, requirement)) = catalog.get(req) else {
            return Err(AuditError::NotInCriteria(req.clone()));
        };
        if requirement.always_in_surveillance() {
            return if sampled {
                Ok(false)
            } else {
                Err(AuditError::AlwaysInVisit(req.clone()))
            };
        }
        let changed = if sampled {
            self.sample.insert(req.clone())
        } else {
            self.sample.remove(req)
        };
        if changed {
            let what = if sampled {
                "added to this visit's sample"
            } else {
                "taken out of this visit's sample"
            };
            self.log(change, format!("{req} {what}"));
        }
        Ok(changed)
    }
}

/// A surveillance visit in figures: what it covers and how far it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Visit {
    /// Requirements every surveillance covers.
    pub always: usize,
    /// Requirements the auditor sampled.
    pub sampled: usize,
    /// `always + sampled`.
    pub in_visit: usize,
    /// Of those, the ones with a verdict.
    pub assessed: usize,
    /// Requirements not audited this time.
    pub not_audited: usize,
}

impl AuditRecord {
    /// The visit of a surveillance audit; `None` for an audit that covers
    /// every requirement.
    pub fn visit(&self, catalog: &Catalog) -> Option<Visit> {
        if !self.samples() {
            return None;
        }
        let mut visit = Visit::default();
        for (req, _, requirement) in catalog.requirements() {
            if requirement.always_in_surveillance() {
                visit.always += 1;
            } else if self.sample.contains(&req) {
                visit.sampled += 1;
            } else {
                visit.not_audited += 1;
                continue;
            }
            if self.verdict(&req) != Verdict::NotAssessed {
                visit.assessed += 1;
            }
        }
        visit.in_visit = visit.always + visit.sampled;
        Some(visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::record;

    #[test]
    fn a_surveillance_visit_counts_what_every_visit_covers_and_the_sample() {
        let (mut r, who, req) = record();
        let catalog = r.catalog().unwrap();
        assert_eq!(r.visit(&catalog), None, "a stage 2 covers everything");
        r.meta.audit_type = AuditType::Surveillance1;
        let v = r.visit(&catalog).unwrap();
        assert_eq!((v.always, v.sampled, v.assessed), (6, 0, 0));
        assert!(!r.in_visit(&catalog, &req));
        r.set_sampled(&who, &catalog, &req, true).unwrap();
        r.set_verdict(&who, &req, Verdict::Conforming, None)
            .unwrap();
        let v = r.visit(&catalog).unwrap();
        assert_eq!((v.in_visit, v.assessed), (7, 1));
        assert_eq!(v.in_visit + v.not_audited, catalog.len());
        let always = ReqRef::new("iso42001-2023", "9.3.1");
        let err = r.set_sampled(&who, &catalog, &always, false).unwrap_err();
        assert!(
            err.to_string().contains("every surveillance visit"),
            "{err}"
        );
        r.meta.audit_type = AuditType::Stage2;
        assert!(r.set_sampled(&who, &catalog, &req, false).is_err());
    }
}
