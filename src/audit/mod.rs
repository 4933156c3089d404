//! The audit record (metadata, verdicts, notes, findings, trail), the
//! changes an auditor makes to it, what the trail says about one note or
//! finding, its durable store, applying a change as
//! an author under the store's lock, and coverage status.

mod apply;
pub mod conclusion;
mod edit;
mod history;
mod legacy;
mod model;
mod open_ncs;
mod ops;
pub mod report_facts;
mod report_identity;
mod response_due;
pub mod status;
pub mod store;
pub mod team;
mod unique;

pub use apply::{ChangeError, author, change_as, save_edit};
pub use edit::{Edit, Outcome};
pub use history::edited_mark;
pub use model::*;
pub use open_ncs::Contradiction;
pub use ops::{AuditError, Change, FindingEdit, LinkTarget, MetaEdit};
pub use report_identity::{IssuedReport, Revision, made_report_no};
pub use store::StoreError;
