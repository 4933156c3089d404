//! Results handed to the tools around the audit, in the formats they read:
//! [`xlsx`] for spreadsheets.

pub mod xlsx;
