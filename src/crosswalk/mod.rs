//! Crosswalks: how far the requirements of a checklist go toward the
//! articles of a regulation (shipped: the EU AI Act onto ISO/IEC 42001).
//!
//! A crosswalk is a RON file naming the checklist it maps onto and, per
//! article, the requirements that support it, each marked
//! [`Strength::Supports`] or [`Strength::PartlySupports`] with a note in the
//! author's own words. Shipped crosswalks live in [`registry`]; an auditor
//! may write one for another regulation and check it with [`load_path`].
//! [`readiness`] reads an audit record through a crosswalk: per article,
//! the verdicts of its mapped requirements and the findings that cite them.

mod load;
mod model;
mod readiness;
pub mod registry;
mod validate;

pub use load::{CrosswalkError, MAX_FILE_SIZE, load, load_for_audit, load_path, parse, read_text};
pub use model::{Article, Crosswalk, Map, Strength};
pub use readiness::{ArticleStatus, Cited, MappedStatus, Rollup, check_criteria, readiness};
pub use validate::{MAX_PROBLEMS, validate};
