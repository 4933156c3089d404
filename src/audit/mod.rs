//! The audit record (metadata, verdicts, notes, findings, trail), the
//! changes an auditor makes to it, what the trail says about one note or
//! finding, its durable store, applying a change as
//! an author under the store's lock, and coverage status.

mod apply;
mod auditee_copy;
mod citations;
pub mod conclusion;
pub mod conflict;
pub mod cycle;
mod edit;
mod error;
mod follow_up;
mod grades_here;
mod history;
pub mod identity;
mod legacy;
pub mod lifecycle;
pub mod merge;
mod meta_ops;
mod model;
mod open_ncs;
mod ops;
pub mod plan;
pub mod report_facts;
mod report_identity;
mod response_due;
mod sample;
pub mod status;
pub mod store;
pub mod team;
mod unique;

pub use apply::{ChangeError, author, change_as, save_edit};
pub use auditee_copy::role_only;
pub use citations::LinkTarget;
pub use cycle::{CarriedFinding, Cycle, CycleDates, CycleError, PreviousReport};
pub use edit::{Edit, Outcome};
pub use follow_up::{DueKind, FollowUp};
pub use history::edited_mark;
pub use meta_ops::MetaEdit;
pub use model::*;
pub use open_ncs::Contradiction;
pub use ops::{AuditError, Change, FindingEdit};
pub use report_identity::{IssuedReport, Revision, made_report_no};
pub use sample::Visit;
pub use store::StoreError;

/// A fresh 42001 record, the change that made it, and requirement 4.1: what
/// the unit tests of this module start from.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::checklist::ReqRef;

    pub fn record() -> (AuditRecord, Change, ReqRef) {
        let who = Change::now("Lee");
        let r = AuditRecord::new(
            Meta::new("Acme", AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        (r, who, ReqRef::new("iso42001-2023", "4.1"))
    }
}
