//! fieldaudit: ISO/IEC 42001 (and integrated 27001 / 9001) certification
//! audits from the terminal.
//!
//! The domain knows nothing of the terminal:
//! - [`checklist`]: the audit criteria — shipped and custom RON checklists;
//! - [`crosswalk`]: a regulation's articles (shipped: the EU AI Act) mapped
//!   onto a checklist's requirements, and an audit read through them;
//! - [`audit`]: the audit record, every change to it, and its durable store;
//! - [`evidence`]: the auditee's bundle, read-only — listing with safety
//!   checks, hashing, bounded previews;
//! - [`suggest`]: "did you mean" — the names nearest to a mistyped one;
//! - [`text`]: outside text made safe to show on a terminal;
//! - [`finder`]: the `/` finder over requirements, findings and evidence
//!   paths (and the finding form's requirement picker), matched on a
//!   background thread;
//! - [`report`]: the signed report zip for the certification body, and `verify`;
//! - [`export`]: the results in the formats other tools read (xlsx);
//! - [`tui`]: the full-screen interface, one client of the above.
//!
//! The `fieldaudit` binary is one client of this library; anything it does
//! to an audit, a program can do too:
//!
//! ```
//! use fieldaudit::audit::{AuditRecord, AuditType, Change, Criterion, Grade, Meta};
//!
//! let who = Change::now("Jane Roe");
//! let criteria = vec![Criterion::Builtin("iso42001-2023".into())];
//! let mut record = AuditRecord::new(Meta::new("Acme AI Ltd", AuditType::Stage2), criteria, None, &who);
//! let catalog = record.catalog()?;
//! let req = catalog.resolve("6.1.2")?;
//! let id = record.add_finding(&who, Grade::Minor, vec![req], "No risk acceptance criteria".into(), None)?;
//! assert_eq!(id.to_string(), "NC-001");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod audit;
pub mod checklist;
pub mod crosswalk;
pub mod demo;
pub mod evidence;
pub mod export;
pub mod finder;
pub(crate) mod latest;
pub mod report;
pub mod ronfile;
pub mod shipped;
pub mod suggest;
pub mod text;
pub mod tui;
mod words;
pub mod zipread;
