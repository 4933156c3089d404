//! fieldaudit: ISO/IEC 42001 (and integrated 27001 / 9001) certification
//! audits from the terminal.
//!
//! The domain knows nothing of the terminal:
//! - [`checklist`]: the audit criteria — shipped and custom RON checklists;
//! - [`audit`]: the audit record, every change to it, and its durable store;
//! - [`search`]: fuzzy matching for suggestions;
//! - [`finder`]: the `/` finder over requirements, findings and evidence
//!   paths, matched on a background thread.
//!
//! The `fieldaudit` binary is one client of this library.

pub mod audit;
pub mod checklist;
pub mod demo;
pub mod evidence;
pub mod finder;
pub mod ronfile;
pub mod search;
pub mod tui;
