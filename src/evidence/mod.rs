//! The auditee's evidence bundle (a folder or a .zip), strictly read-only:
//! listing, hashing, previews, and path safety.

pub mod preview;
