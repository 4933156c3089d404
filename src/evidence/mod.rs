//! The auditee's evidence bundle (a folder or a .zip), strictly read-only:
//! listing, hashing, previews, and path safety.

pub mod bundle;
pub mod hash;
pub mod preview;

pub use bundle::{Bundle, BundleError, Entry, Listing, Problem};
