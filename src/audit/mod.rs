//! The audit record (metadata, verdicts, notes, findings, trail), the
//! changes an auditor makes to it, its durable store, and coverage status.

mod edit;
mod model;
mod ops;
pub mod status;
pub mod store;
mod unique;

pub use edit::{Edit, Outcome};
pub use model::*;
pub use ops::{AuditError, Change, FindingEdit, LinkTarget, MetaEdit};
pub use store::StoreError;
