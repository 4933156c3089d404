//! `MANIFEST.sha256`: one `HASH  NAME` line per file, as `sha256sum -c` reads it.

/// The manifest text for `(name, hex sha256)` pairs, in the given order.
pub fn render(files: &[(String, String)]) -> String {
    files
        .iter()
        .map(|(name, sha)| format!("{sha}  {name}\n"))
        .collect()
}

/// Parse a manifest into `(name, hex sha256)` pairs; `Err` names the bad line.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let bad = || format!("MANIFEST.sha256 line {}: expected `SHA256  NAME`", i + 1);
        let (sha, name) = line.split_once("  ").ok_or_else(bad)?;
        let name = name.strip_prefix('*').unwrap_or(name);
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) || name.is_empty() {
            return Err(bad());
        }
        files.push((name.to_string(), sha.to_ascii_lowercase()));
    }
    Ok(files)
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
    }
}
