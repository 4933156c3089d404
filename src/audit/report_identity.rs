//! Which report a record gives: its number (`meta.report.report_no`, else
//! `CLIENT-TYPE-STARTDATE`, fixed in the record at the first pack) and its
//! revision, which rises with each final sign-off after `reopen`. The
//! record keeps every signed report issued from it, with the SHA-256 of its
//! manifest, so that a later revision can name the one it supersedes.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::model::{AuditRecord, Meta, Timestamp};
use super::ops::Change;

/// A final report issued from this record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuedReport {
    pub report_no: String,
    /// 1 for the first signed report, one more for each after a `reopen`.
    pub revision: u32,
    /// SHA-256 of its `MANIFEST.sha256`, lower-case hex: what the minisign
    /// signature covers, and through it every file of the report.
    pub manifest_sha256: String,
    pub signed_at: Timestamp,
    pub signer: String,
}

/// The revision a report of the record is, and the one it supersedes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision<'a> {
    pub number: u32,
    pub supersedes: Option<&'a IssuedReport>,
}

/// At most this many characters of the client's name in a made number.
const CLIENT_CHARS: usize = 32;

/// `CLIENT-TYPE-STARTDATE` in capitals, letters, digits and `-` only
/// (accents dropped): `ACME-AI-LTD-STAGE2-20261124`. Without a start date
/// the date is left off.
pub fn made_report_no(meta: &Meta) -> String {
    let mut client = upper_words(&meta.client);
    if client.len() > CLIENT_CHARS {
        client.truncate(CLIENT_CHARS);
        client = client.trim_end_matches('-').to_string();
    }
    if client.is_empty() {
        client = "CLIENT".to_string();
    }
    let mut parts = vec![client, upper_words(meta.audit_type.as_str())];
    if let Some(start) = meta.start {
        parts.push(start.format("%Y%m%d").to_string());
    }
    parts.join("-")
}

/// ASCII capitals and digits, every other run of characters one `-`.
fn upper_words(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.nfd() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_uppercase());
        } else if !unicode_normalization::char::is_combining_mark(c) {
            gap = true;
        }
    }
    out
}

impl AuditRecord {
    /// The report number: as set, else as made from the metadata.
    pub fn report_no(&self) -> String {
        match &self.meta.report.report_no {
            Some(no) if !no.trim().is_empty() => no.clone(),
            _ => made_report_no(&self.meta),
        }
    }

    /// The revision a report packed from this record is: the one its
    /// sign-off names, else the next after the last one issued. With the
    /// report it supersedes: the last one issued before it.
    pub fn revision(&self) -> Revision<'_> {
        let signed = self.sign_off.as_ref().and_then(|s| s.revision);
        let number = signed.unwrap_or_else(|| {
            self.reports
                .last()
                .map_or(1, |r| r.revision.saturating_add(1))
        });
        Revision {
            number,
            supersedes: self.reports.iter().rev().find(|r| r.revision < number),
        }
    }

    /// Keep a final report issued from the record (after it was signed and
    /// packed: its manifest's hash is known only then).
    pub fn issued(&mut self, change: &Change, report: IssuedReport) {
        self.log(
            change,
            format!(
                "issued report {} revision {} (manifest SHA-256 {})",
                report.report_no, report.revision, report.manifest_sha256
            ),
        );
        self.reports.push(report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditType, SignOff};

    fn meta(client: &str) -> Meta {
        let mut meta = Meta::new(client, AuditType::Stage2);
        meta.start = "2026-11-24".parse().ok();
        meta
    }

    #[test]
    fn a_made_number_is_capitals_digits_and_dashes() {
        assert_eq!(
            made_report_no(&meta("Acme AI Ltd.")),
            "ACME-AI-LTD-STAGE2-20261124"
        );
        assert_eq!(
            made_report_no(&meta("  Zoë & Müller \"GmbH\"\n\u{1b}[31m ")),
            "ZOE-MULLER-GMBH-31M-STAGE2-20261124"
        );
        assert_eq!(made_report_no(&meta("株式会社")), "CLIENT-STAGE2-20261124");
        let long = made_report_no(&meta(&"Very Long Name ".repeat(10)));
        assert!(
            long.starts_with("VERY-LONG-NAME-VERY-LONG-NAME-VE-STAGE2"),
            "{long}"
        );
        let mut undated = meta("Acme");
        undated.start = None;
        undated.audit_type = AuditType::Surveillance;
        assert_eq!(made_report_no(&undated), "ACME-SURVEILLANCE");
    }

    #[test]
    fn the_revision_rises_with_each_report_issued() {
        let who = crate::audit::Change::now("Lee");
        let mut r = AuditRecord::new(meta("Acme"), Vec::new(), None, &who);
        assert_eq!(r.report_no(), "ACME-STAGE2-20261124");
        r.meta.report.report_no = Some("CB/2026/42".into());
        assert_eq!(r.report_no(), "CB/2026/42");
        assert_eq!(r.revision().number, 1);
        assert!(r.revision().supersedes.is_none());
        let sign_off = SignOff {
            signer: "Lee".into(),
            at: who.at,
            key_id: "K".into(),
            statement: "s".into(),
            revision: Some(1),
        };
        r.sign_off = Some(sign_off.clone());
        // Being signed: still revision 1.
        assert_eq!(r.revision().number, 1);
        r.reports.push(IssuedReport {
            report_no: r.report_no(),
            revision: 1,
            manifest_sha256: "ab".repeat(32),
            signed_at: sign_off.at,
            signer: sign_off.signer.clone(),
        });
        // Signed: a draft of it is revision 1 again.
        assert_eq!(r.revision().number, 1);
        assert!(r.revision().supersedes.is_none());
        r.sign_off = None;
        let next = r.revision();
        assert_eq!(next.number, 2);
        assert_eq!(next.supersedes.unwrap().manifest_sha256, "ab".repeat(32));
    }
}
