//! Runs the real `fieldaudit` binary in a fresh temporary folder.
#![allow(dead_code)]

pub mod craft;
pub mod fuzz;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Arguments for the helpers: a command line written as the auditor would
/// type it (`"note a.ron 6.1.2 'Risk owner named'"`, split like a shell), or a
/// list when a value is computed.
pub trait Argv {
    fn argv(&self) -> Vec<String>;
}

impl Argv for str {
    fn argv(&self) -> Vec<String> {
        shell_words::split(self).unwrap_or_else(|e| panic!("bad test command line {self:?}: {e}"))
    }
}

impl Argv for [&str] {
    fn argv(&self) -> Vec<String> {
        self.iter().map(|a| a.to_string()).collect()
    }
}

impl Argv for Vec<&str> {
    fn argv(&self) -> Vec<String> {
        self.as_slice().argv()
    }
}

impl<const N: usize> Argv for [&str; N] {
    fn argv(&self) -> Vec<String> {
        self.as_slice().argv()
    }
}

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write test file");
        path
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read test file")
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fieldaudit"));
        // The per-user name would change who the tests record as.
        cmd.current_dir(self.dir.path())
            .env("USER", "tester")
            .env_remove("FIELDAUDIT_AS");
        cmd
    }

    pub fn run(&self, args: &(impl Argv + ?Sized)) -> Output {
        self.command()
            .args(args.argv())
            .output()
            .expect("run fieldaudit")
    }

    /// Run, expect exit 0, return stdout.
    pub fn ok(&self, args: &(impl Argv + ?Sized)) -> String {
        let out = self.run(args);
        let args = args.argv();
        assert!(
            out.status.success(),
            "fieldaudit {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run, expect exit 1, return stderr.
    pub fn fails(&self, args: &(impl Argv + ?Sized)) -> String {
        let out = self.run(args);
        let args = args.argv();
        assert_eq!(
            out.status.code(),
            Some(1),
            "fieldaudit {args:?} should have been refused; stdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    pub fn json(&self, args: &(impl Argv + ?Sized)) -> serde_json::Value {
        let out = self.ok(args);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{:?} gave bad JSON ({e}): {out}", args.argv()))
    }

    /// A 42001 audit record named `a.ron`, with a lead auditor.
    pub fn audit(&self) -> &Self {
        self.ok("new a.ron --checklist iso42001-2023 --client 'Acme AI Ltd'");
        self.ok("meta a.ron --lead-auditor 'Lee Auditor'");
        self
    }

    /// An integrated ISO/IEC 42001 + 27001 audit record named `a.ron`.
    pub fn integrated_audit(&self) -> &Self {
        self.ok("new a.ron --checklist iso42001-2023 --checklist iso27001-2022 --client A");
        self
    }

    /// Temp files left in the sandbox folder.
    pub fn leftover_temps(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path())
            .expect("read sandbox")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }
}

/// Give every requirement of the 42001 record at `record` a verdict:
/// conforming, but 6.1.2 nonconforming.
pub fn assess_all(s: &Sandbox, record: &str) {
    let ids = s.json("checklist show iso42001-2023 --json");
    for r in ids["requirements"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let verdict = if id == "6.1.2" {
            "nonconforming"
        } else {
            "conforming"
        };
        s.ok(&["assess", record, id, "--verdict", verdict]);
    }
}

/// A 42001 record named `a.ron` with every requirement assessed, complete
/// metadata (lead auditor Lee Auditor), an NC with objective evidence and a
/// cited evidence file.
pub fn complete_audit(s: &Sandbox) {
    let bundle = s.path("bundle");
    std::fs::create_dir_all(bundle.join("03-risk")).unwrap();
    std::fs::write(
        bundle.join("03-risk/ai-risk-register.csv"),
        "id,risk\nR-1,drift\n",
    )
    .unwrap();
    std::fs::write(bundle.join("scan.pdf"), b"%PDF-1.4 not really").unwrap();
    s.ok(&[
        "new",
        "a.ron",
        "--checklist",
        "iso42001-2023",
        "--client",
        "Acme AI Ltd",
        "--evidence",
        bundle.to_str().unwrap(),
    ]);
    s.ok("meta a.ron --lead-auditor 'Lee Auditor' --scope 'Credit-scoring AI' --start 2026-11-24 --end 2026-11-25 --certification-body 'Example Certification Ltd' --accreditation 'UKAS 0000'");
    s.ok("meta a.ron --client-address '1 Example Road, Leeds' --planned-days 2 --onsite-days 1.5 --remote-days 0.5 --changes none --deviations none --unresolved none --sampling 'The risk register and two AI systems'");
    assess_all(s, "a.ron");
    s.ok("assess a.ron A.10.4 --verdict not-applicable --justification 'No customers'");
    s.ok(r#"finding add a.ron 6.1.2 --grade minor --statement 'No acceptance <criteria> & "thresholds"' --objective-evidence 'Register v4 has no acceptance column' --evidence-file 03-risk/ai-risk-register.csv"#);
    s.ok("link a.ron 7.5.3 scan.pdf");
    s.ok("conclude a.ron --recommendation recommend-once-closed --reasoning 'One minor NC on risk acceptance' --scope-appropriate yes --objectives-met yes");
}

/// Run `cmd`, which must succeed; its standard output.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Unzip `zip` with the standard `unzip` into a new folder `x` of the
/// sandbox and check it with `sha256sum -c MANIFEST.sha256`; the folder and
/// what `sha256sum` printed.
pub fn unzip_and_check(s: &Sandbox, zip: &str) -> (PathBuf, String) {
    let dir = s.path("x");
    std::fs::create_dir(&dir).unwrap();
    run_ok(
        Command::new("unzip")
            .arg("-q")
            .arg(s.path(zip))
            .arg("-d")
            .arg(&dir),
    );
    let sums = run_ok(
        Command::new("sha256sum")
            .args(["-c", "MANIFEST.sha256"])
            .current_dir(&dir),
    );
    (dir, sums)
}

/// Every entry of the zip at `path`, in order: its name and its bytes.
pub fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut e = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.name().unwrap().to_string(), data)
        })
        .collect()
}
