//! Secret keys are the auditor's signature: `keygen` creates them readable
//! by their owner only (0600), and `pack` refuses one that group or others
//! can read, saying which `chmod` to run, as ssh does.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Sandbox, complete_audit};

/// The permission bits of `name` in the sandbox, in octal as `stat` shows them.
fn mode(s: &Sandbox, name: &str) -> String {
    let mode = std::fs::metadata(s.path(name))
        .unwrap()
        .permissions()
        .mode();
    format!("{:o}", mode & 0o777)
}

#[test]
fn keygen_creates_the_secret_key_0600_with_or_without_a_password() {
    let s = Sandbox::new();
    let folder = mode(&s, "");
    s.ok("keygen open --no-password");
    assert_eq!(mode(&s, "open.key"), "600", "secret key without a password");
    let out = s
        .command()
        .env("FIELDAUDIT_PASSWORD", "correct horse")
        .args(["keygen", "locked"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        mode(&s, "locked.key"),
        "600",
        "password-protected secret key"
    );
    assert_eq!(mode(&s, ""), folder, "the folder is left as it was");
}

/// Pack and sign with the key "my lead.key" (a name with a space, so the
/// advice must quote it).
const PACK: &str = "pack a.ron -o r.zip --key 'my lead.key' --signer Lee";

#[test]
fn pack_refuses_a_secret_key_others_can_read_with_the_chmod_to_run() {
    let s = Sandbox::new();
    complete_audit(&s);
    s.ok("keygen 'my lead' --no-password");
    let record_before = s.read("a.ron");
    for exposed in [0o644, 0o640, 0o604] {
        let key = s.path("my lead.key");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(exposed)).unwrap();
        let err = s.fails(PACK);
        assert!(
            err.contains(&format!("mode {exposed:04o}")) && err.contains("chmod 600 'my lead.key'"),
            "{exposed:o}: {err}"
        );
        assert!(!s.path("r.zip").exists(), "no report is written");
        assert_eq!(
            s.read("a.ron"),
            record_before,
            "the record is not signed off"
        );
    }
    // Once fixed as advised, it signs.
    std::fs::set_permissions(
        s.path("my lead.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    s.ok(PACK);
}
