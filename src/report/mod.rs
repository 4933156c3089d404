//! The report for the certification body.
//!
//! - [`html`] and [`csv`]: the readable report and the findings spreadsheet,
//!   pure functions from a record to text;
//! - [`css`]: text in the stylesheet, and the printed pages' footer;
//! - [`keys`]: minisign key pairs;
//! - [`pack`]: the zip — record, report, CSV, cited evidence re-checked
//!   against its pinned hashes, `MANIFEST.sha256` and its signature;
//! - [`signoff`]: check, unlock, pack and lock — what `fieldaudit pack`
//!   and the TUI's sign-off both run;
//! - [`manifest`] and [`verify`]: what a certification body runs to prove
//!   nothing was altered.

pub mod auditee;
pub mod css;
pub mod csv;
pub mod html;
pub mod keys;
pub mod manifest;
pub mod oscal;
pub mod pack;
pub mod signoff;
pub mod verify;

#[cfg(test)]
pub(crate) mod cycle_testing;
