//! A field two merged copies of a record changed to different values: both
//! values are kept, with who set each and when, until the lead resolves it.
//! While any is open the record cannot be packed final.

use serde::{Deserialize, Serialize};

use super::model::Timestamp;

/// One field in conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// Which field, as `conflicts` shows it and `resolve` takes it:
    /// `iso42001-2023:6.1.2/verdict`, `meta/site`, `NC-002/statement`, …
    /// (findings and notes are stored by uid: `finding:UID/statement`).
    pub path: String,
    /// The values, numbered 1, 2, … in this order.
    pub values: Vec<ConflictValue>,
}

/// One side's value of a field in conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictValue {
    /// The value as RON, as the record writes the field.
    pub value: String,
    pub by: String,
    pub at: Timestamp,
}
