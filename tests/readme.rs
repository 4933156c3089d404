//! The README's worked example is run as written, so it stays true.

mod common;
use common::Sandbox;

/// `(command, expected output lines)` from the first console block after `heading`.
fn console_session(readme: &str, heading: &str) -> Vec<(String, Vec<String>)> {
    let section = &readme[readme.find(heading).expect("heading in README")..];
    let start = section.find("```console\n").expect("console block") + "```console\n".len();
    let block = &section[start..start + section[start..].find("```").expect("block end")];
    let mut steps: Vec<(String, Vec<String>)> = Vec::new();
    let mut lines = block.lines();
    while let Some(line) = lines.next() {
        if let Some(cmd) = line.strip_prefix("$ ") {
            let mut cmd = cmd.to_string();
            while cmd.ends_with('\\') {
                cmd.pop();
                cmd.push_str(lines.next().unwrap_or_default().trim_start());
            }
            steps.push((cmd, Vec::new()));
        } else if let Some((_, expected)) = steps.last_mut()
            && !line.is_empty()
        {
            expected.push(line.to_string());
        }
    }
    steps
}

#[test]
fn the_worked_example_runs_as_written() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let steps = console_session(&readme, "## A worked example");
    assert!(steps.len() >= 7, "{steps:?}");
    let s = Sandbox::new();
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_fieldaudit"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (cmd, expected) in steps {
        let out = std::process::Command::new("sh")
            .args(["-c", &cmd])
            .current_dir(s.dir.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        let got = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Vec<&str> = got.lines().collect();
        // Expected lines appear in order; "  …" stands for lines left out.
        let mut at = 0;
        for want in expected.iter().filter(|l| l.trim() != "…") {
            match got[at..].iter().position(|g| g == want) {
                Some(i) => at += i + 1,
                None => panic!(
                    "`{cmd}` did not print {want:?}; it printed:\n{}",
                    got.join("\n")
                ),
            }
        }
    }
}
