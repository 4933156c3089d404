//! The audit report, as text: the self-contained HTML report ([`html`]) and
//! the findings spreadsheet ([`csv`]).
//!
//! Both are pure: they take a record (and, for HTML, its catalog and
//! sign-off) and return a string. Writing files, zipping and signing belong
//! to the caller.

pub mod csv;
pub mod html;
