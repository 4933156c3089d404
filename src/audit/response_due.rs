//! The date by which the auditee must send its correction and corrective
//! action plan for a nonconformity: the audit's end plus the certification
//! body's days for its grade, unless the auditor set another date.

use chrono::NaiveDate;

use super::model::{Finding, Grade, Meta};

impl Finding {
    /// The date this NC must be answered by: the date the auditor set, else
    /// the audit's end plus `meta.report.response_days` for its grade.
    /// `None` for a finding that is not an NC, and for an NC of an audit
    /// with no end date yet (unless a date was set).
    pub fn response_due(&self, meta: &Meta) -> Option<NaiveDate> {
        if !self.grade.is_nonconformity() {
            return None;
        }
        if let Some(set) = self.response_due {
            return Some(set);
        }
        let days = meta.report.response_days(self.grade == Grade::Major);
        meta.end?
            .checked_add_days(chrono::Days::new(u64::from(days)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditRecord, AuditType, Change, Criterion, FindingEdit};
    use crate::checklist::ReqRef;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn record() -> (AuditRecord, Change) {
        let who = Change::now("Jane Roe");
        let mut r = AuditRecord::new(
            Meta::new("Acme", AuditType::Stage2),
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &who,
        );
        for (grade, req) in [
            (Grade::Major, "6.1.2"),
            (Grade::Minor, "7.2"),
            (Grade::Observation, "9.2"),
        ] {
            r.add_finding(
                &who,
                grade,
                vec![ReqRef::new("iso42001-2023", req)],
                "x".into(),
                None,
            )
            .unwrap();
        }
        (r, who)
    }

    #[test]
    fn due_follows_the_end_date_and_the_grade_unless_set() {
        let (mut r, who) = record();
        let due = |r: &AuditRecord, id: &str| r.finding(id).unwrap().response_due(&r.meta);
        assert_eq!(due(&r, "NC-001"), None, "no end date yet");
        r.meta.end = Some(date("2026-11-25"));
        assert_eq!(due(&r, "NC-001"), Some(date("2026-12-25")));
        assert_eq!(due(&r, "NC-002"), Some(date("2027-02-23")));
        assert_eq!(due(&r, "OBS-001"), None);
        r.meta.report.response_days_major = Some(14);
        assert_eq!(due(&r, "NC-001"), Some(date("2026-12-09")));

        let set = |d: Option<NaiveDate>| FindingEdit {
            response_due: Some(d),
            ..Default::default()
        };
        r.edit_finding(&who, "NC-002", set(Some(date("2027-01-31"))))
            .unwrap();
        assert_eq!(due(&r, "NC-002"), Some(date("2027-01-31")));
        let last = r.trail.last().unwrap().what.clone();
        assert!(last.contains("2027-01-31"), "{last}");
        r.edit_finding(&who, "NC-002", set(None)).unwrap();
        assert_eq!(due(&r, "NC-002"), Some(date("2027-02-23")));
        let err = r
            .edit_finding(&who, "OBS-001", set(Some(date("2027-01-31"))))
            .unwrap_err();
        assert!(err.to_string().contains("OBS-001 is not a nonconformity"));
        // A date set goes with the NC: regraded out of the NC family, it goes.
        r.edit_finding(&who, "NC-002", set(Some(date("2027-01-31"))))
            .unwrap();
        let regrade = FindingEdit {
            grade: Some(Grade::Ofi),
            ..Default::default()
        };
        let ofi = r.edit_finding(&who, "NC-002", regrade).unwrap();
        assert_eq!(r.finding(&ofi.to_string()).unwrap().response_due, None);
        assert!(
            r.trail
                .last()
                .unwrap()
                .what
                .contains("response due: 2027-01-31 → none")
        );
    }
}
