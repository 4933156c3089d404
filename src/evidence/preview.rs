//! Bounded previews of evidence files (placeholder; see the evidence issue).
