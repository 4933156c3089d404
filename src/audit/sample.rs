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
