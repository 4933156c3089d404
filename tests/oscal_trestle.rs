//! The OSCAL export loaded by a validator nobody here wrote:
//! compliance-trestle's OSCAL models, from the Python in the virtual
//! environment `.ci/run` makes (`FIELDAUDIT_TRESTLE_PYTHON`, default
//! `.venv-trestle/bin/python`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Sandbox, complete_audit, zip_entries};

fn validate(files: [&Path; 3]) {
    let python = std::env::var_os("FIELDAUDIT_TRESTLE_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-trestle/bin/python"),
        PathBuf::from,
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oscal/validate.py");
    let out = Command::new(&python)
        .arg(script)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", python.display()));
    assert!(
        out.status.success(),
        "trestle refused the export:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "needs compliance-trestle"]
fn trestle_loads_the_exported_documents() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.ok("plan add a.ron --day 2026-11-24 --start 09:00 --end 10:30 --topic 'Opening meeting' --auditor 'Lee Auditor' --participant 'Sam Owner' --req 4.1 --req 6.1.2");
    s.ok("note a.ron 6.1.2 'Risk owner explained the register' --interviewee 'Sam Owner'");
    s.ok("export a.ron --oscal -o results.json");
    validate([
        &s.path("results.json"),
        &s.path("results.plan.json"),
        &s.path("results.ssp.json"),
    ]);
}

#[test]
#[ignore = "needs compliance-trestle"]
fn trestle_loads_the_documents_in_the_report_zip() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.ok("pack a.ron -o draft.zip --draft");
    let names = [
        "results.oscal.json",
        "results.oscal-plan.json",
        "results.oscal-ssp.json",
    ];
    for (name, bytes) in zip_entries(&s.path("draft.zip")) {
        if names.contains(&name.as_str()) {
            std::fs::write(s.path(&name), bytes).unwrap();
        }
    }
    validate(names.map(|n| s.path(n)).each_ref().map(PathBuf::as_path));
}
