//! `MANIFEST.sha256`: one `HASH  NAME` line per file, as `sha256sum -c` reads it.

/// The manifest text for `(name, hex sha256)` pairs, in the given order.
pub fn render(files: &[(String, String)]) -> String {
    files
        .iter()
        .map(|(name, sha)| format!("{sha}  {name}\n"))
        .collect()
}

/// Parse a manifest into `(name, hex sha256)` pairs; `Err` names the bad
/// line. Text-mode (`HASH  NAME`) and binary-mode (`HASH *NAME`) lines are
/// read, as `sha256sum -c` reads them; an escaped line (a leading `\\`,
/// which `sha256sum` writes for names with a newline or backslash) or a
/// carriage return is refused, since no name fieldaudit packs needs one.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let bad = |why: &str| {
            format!(
                "MANIFEST.sha256 line {}: {why} (expected `SHA256  NAME` or `SHA256 *NAME`)",
                i + 1
            )
        };
        if line.contains('\r') {
            return Err(bad("a carriage return"));
        }
        if line.starts_with('\\') {
            return Err(bad("an escaped name"));
        }
        let (sha, rest) = line.split_at_checked(64).ok_or_else(|| bad("too short"))?;
        if !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("not a SHA-256"));
        }
        let name = rest
            .strip_prefix("  ")
            .or_else(|| rest.strip_prefix(" *"))
            .ok_or_else(|| bad("no separator after the SHA-256"))?;
        if name.is_empty() {
            return Err(bad("no name"));
        }
        files.push((name.to_string(), sha.to_ascii_lowercase()));
    }
    Ok(files)
}

/// SHA-256 of a manifest's bytes, lower-case hex: what its signature
/// covers, and what a later report names to chain to it.
pub fn digest(manifest: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(manifest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_garbage() {
        let files = vec![
            ("audit.ron".to_string(), "a".repeat(64)),
            ("evidence/x y.pdf".to_string(), "b".repeat(64)),
        ];
        let text = render(&files);
        assert_eq!(
            text.lines().next().unwrap(),
            format!("{}  audit.ron", "a".repeat(64))
        );
        assert_eq!(parse(&text).unwrap(), files);
        assert!(parse("nothex  x\n").unwrap_err().contains("line 1"));
        // Binary mode, as `sha256sum -b` writes it.
        let binary = format!("{} *evidence/a b.pdf\n", "c".repeat(64));
        assert_eq!(
            parse(&binary).unwrap(),
            [("evidence/a b.pdf".to_string(), "c".repeat(64))]
        );
        let crlf = format!("{}  audit.ron\r\n", "a".repeat(64));
        assert!(parse(&crlf).unwrap_err().contains("carriage return"));
        let escaped = format!("\\{}  a\\\\b\n", "a".repeat(64));
        assert!(parse(&escaped).unwrap_err().contains("escaped"));
    }
}
