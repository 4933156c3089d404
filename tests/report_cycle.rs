//! The report of an audit started from a signed one, by the real binary:
//! a stage 2 packed and signed, the surveillance record made from it (by
//! the library, as `new --after` does), then `pack`: the chain and the
//! carried findings in report.html, the final gate listing the carried NCs
//! without a verdict, and the auditee's copy with their history.

mod common;
use std::io::Read;

use common::{Sandbox, complete_audit};
use fieldaudit::audit::lifecycle::Outcome;
use fieldaudit::audit::{AuditType, Change, PreviousReport, StoreError, store};
use fieldaudit::checklist::ReqRef;
use sha2::{Digest, Sha256};

const HOSTILE: &str = "<script>document.title='PWNED'</script> & \"quoted\"";

fn zip_text(s: &Sandbox, zip: &str, name: &str) -> String {
    let file = std::fs::File::open(s.path(zip)).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// A signed stage 2 (NC-001 minor, NC-002 major with a hostile statement)
/// and `s.ron`, the surveillance 1 record started from its report.
fn surveillance(s: &Sandbox) -> String {
    s.ok("keygen lead --no-password");
    complete_audit(s);
    s.ok(&[
        "finding",
        "add",
        "a.ron",
        "8.2",
        "--grade",
        "major",
        "--statement",
        HOSTILE,
        "--objective-evidence",
        "No operational planning records",
        "--set-nonconforming",
    ]);
    s.ok("pack a.ron -o stage2.zip --key lead.key --signer 'Lee Auditor'");
    let manifest = zip_text(s, "stage2.zip", "MANIFEST.sha256");
    let manifest_sha256 = hex::encode(Sha256::digest(manifest.as_bytes()));
    let stage2 = store::load(&s.path("a.ron")).unwrap();
    let sign_off = stage2.sign_off.clone().unwrap();
    let report = PreviousReport {
        report_no: stage2.report_no(),
        revision: 1,
        audit_type: AuditType::Stage2,
        manifest_sha256: manifest_sha256.clone(),
        key_id: sign_off.key_id.clone(),
        signer: sign_off.signer.clone(),
        signed_at: sign_off.at,
    };
    let who = Change::now("Lee Auditor");
    let mut next = stage2.next_in_cycle(report, None, &who).unwrap();
    next.meta.start = "2027-11-10".parse().ok();
    next.meta.end = "2027-11-11".parse().ok();
    let catalog = next.catalog().unwrap();
    next.set_sampled(&who, &catalog, &ReqRef::new("iso42001-2023", "6.1.2"), true)
        .unwrap();
    store::create(&s.path("s.ron"), &next).unwrap();
    manifest_sha256
}

#[test]
fn a_surveillance_report_shows_the_chain_and_cannot_be_final_until_carried_ncs_have_verdicts() {
    let s = Sandbox::new();
    let manifest_sha256 = surveillance(&s);

    s.ok("pack s.ron -o draft.zip --draft");
    let html = zip_text(&s, "draft.zip", "report.html");
    assert!(html.contains(&format!(
        "whose manifest SHA-256 is <code class=\"sha\">{manifest_sha256}</code>"
    )));
    assert!(html.contains("<td>Surveillance 1</td>"));
    assert!(html.contains("<article class=\"finding carried finding-minor\" id=\"NC-001\">"));
    assert!(html.contains("<article class=\"finding carried finding-major\" id=\"NC-002\">"));
    assert!(!html.contains("<script>"), "the carried statement ran");
    assert!(
        html.contains(
            "&lt;script&gt;document.title='PWNED'&lt;/script&gt; &amp; &quot;quoted&quot;"
        )
    );
    assert!(html.contains("not audited this visit"));
    let csv = zip_text(&s, "draft.zip", "findings.csv");
    assert!(
        csv.contains(",NC-001,minor,") && csv.contains(",NC-002,major,"),
        "{csv}"
    );

    // Complete the visit: the statements, the visit's requirements, a conclusion.
    s.ok("meta s.ron --client-address '1 Example Road, Leeds' --planned-days 1 --onsite-days 1 --remote-days 0 --changes none --deviations none --unresolved none --sampling 'Risk and the management system core'");
    let record = store::load(&s.path("s.ron")).unwrap();
    let catalog = record.catalog().unwrap();
    for (r, _, _) in catalog.requirements() {
        if record.in_visit(&catalog, &r) {
            s.ok(&["assess", "s.ron", &r.id, "--verdict", "conforming"]);
        }
    }
    s.ok("conclude s.ron --recommendation continue-once-closed --reasoning 'Carried major still open' --scope-appropriate yes --objectives-met yes");
    let final_pack = "pack s.ron -o final.zip --key lead.key --signer 'Lee Auditor'";
    let err = s.fails(final_pack);
    assert!(err.contains("(2 item(s) missing)"), "{err}");
    for id in ["NC-001", "NC-002"] {
        assert!(
            err.contains(&format!(
                "{id} (carried from the previous report): no verification verdict from this audit (`fieldaudit finding verify AUDIT.ron {id} --effective|--not-effective|--not-yet-due --objective-evidence …`)"
            )),
            "{err}"
        );
    }
    assert!(
        !err.contains("no verdict\n"),
        "unsampled requirements do not block: {err}"
    );

    // `finding verify` records these; the library call is the same step.
    let who = Change::now("Lee Auditor");
    store::update(&s.path("s.ron"), |r| {
        for (id, outcome) in [
            ("NC-001", Outcome::NotEffective),
            ("NC-002", Outcome::NotEffective),
        ] {
            r.verify_finding(&who, id, outcome, format!("{id}: no change seen"), vec![])
                .unwrap();
        }
        Ok::<_, StoreError>(())
    })
    .unwrap();
    s.ok(final_pack);
    let html = zip_text(&s, "final.zip", "report.html");
    assert!(html.contains("<dd class=\"verdict-here\">not effective</dd>"));
    assert!(html.contains("NC-002: no change seen"));

    // The auditee's copy shows its own carried NCs and their history.
    s.ok("pack s.ron -o client.zip --for client --key lead.key");
    let copy = zip_text(&s, "client.zip", "report.html");
    assert!(copy.contains("Auditee's copy"));
    assert!(copy.contains("id=\"NC-002\""));
    assert!(
        copy.contains("<td>verification: not effective</td>"),
        "no history in the copy"
    );
    assert!(copy.contains("NC-001: no change seen"));
    s.ok("verify client.zip --pubkey lead.pub");
}
