//! Which grades this audit raises: areas of concern only at stage 1, and
//! there no nonconformities unless the certification body allows them.
//! The forms offer only these, so a refusal is not the first news of it.

use super::model::{AuditRecord, Grade};

impl AuditRecord {
    /// Whether a new finding of `grade` may be raised in this audit.
    pub fn raises(&self, grade: Grade) -> bool {
        self.refuse_grade_for_stage(grade).is_ok()
    }

    /// The grades a new finding may take here, in [`Grade::ALL`]'s order.
    pub fn grades_raised(&self) -> Vec<Grade> {
        Grade::ALL
            .iter()
            .copied()
            .filter(|g| self.raises(*g))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::record;
    use crate::audit::{AuditType, Grade};

    #[test]
    fn stage_1_raises_areas_of_concern_and_ncs_only_when_allowed() {
        let (mut r, _, _) = record();
        assert!(!r.grades_raised().contains(&Grade::AreaOfConcern));
        assert!(r.raises(Grade::Major) && r.raises(Grade::Observation));
        r.meta.audit_type = AuditType::Stage1;
        let stage1 = r.grades_raised();
        assert!(stage1.contains(&Grade::AreaOfConcern), "{stage1:?}");
        assert!(!stage1.contains(&Grade::Minor) && !stage1.contains(&Grade::Major));
        r.meta.report.stage1_ncs = true;
        assert!(r.raises(Grade::Minor) && r.raises(Grade::AreaOfConcern));
        r.meta.audit_type = AuditType::Surveillance1;
        assert!(!r.raises(Grade::AreaOfConcern) && r.raises(Grade::Major));
    }
}
