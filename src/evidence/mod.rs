//! The auditee's evidence bundle (a folder or a .zip), strictly read-only:
//! listing, hashing, pinning the files a link cites, previews, and path
//! safety.

pub mod bundle;
pub mod collected;
pub mod hash;
pub mod pin;
pub mod preview;
mod window;
pub mod zip_listing;

pub use bundle::{Bundle, BundleError, Entry, Listing, Problem};
pub use pin::{PinError, Pinned};

/// A size in binary (IEC) units: "18 B", "64.00 KiB", "1.50 MiB" — the
/// units the preview limits are round in. One formatter for every screen and
/// message.
pub fn human_size(bytes: u64) -> String {
    indicatif::BinaryBytes(bytes).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(super::human_size(0), "0 B");
        assert_eq!(super::human_size(18), "18 B");
        assert_eq!(super::human_size(64 * 1024), "64.00 KiB");
        assert_eq!(super::human_size(1_572_864), "1.50 MiB");
        assert_eq!(super::human_size(3 << 30), "3.00 GiB");
    }
}
