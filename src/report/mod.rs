//! The report for the certification body: keys, the signed zip, and its
//! verification.

pub mod keys;
pub mod manifest;
pub mod pack;
pub mod verify;
