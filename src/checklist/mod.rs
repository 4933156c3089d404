//! The audit criteria: checklists of requirements (clauses and Annex A controls).
//!
//! Checklists are RON files. Three ship inside the binary ([`registry`]); an
//! auditor may load their own from any path ([`load`]). A [`Catalog`] is the
//! set of checklists one audit is conducted against and answers "which
//! requirement does `6.1.2` mean?".

mod catalog;
pub mod import;
mod load;
mod model;
pub(crate) mod positions;
pub mod registry;
mod validate;

pub use catalog::{Catalog, CatalogError, ReqRef, ResolveError};
pub use load::{ChecklistError, load, load_path, parse, parse_bytes, read_text};
pub use model::{AuditType, Checklist, Kind, Requirement, Section, SurveillanceRule};
pub(crate) use validate::valid_checklist_id;
pub use validate::{Problem, Severity, validate};
