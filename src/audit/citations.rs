//! Citing evidence: bundle files pinned by hash, files the auditor
//! collected, and the bundle the record reads from.

use super::model::*;
use super::ops::{AuditError, Change, clean, shown};
use crate::checklist::ReqRef;

/// What an evidence file is cited for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    Requirement(ReqRef),
    Finding(FindingId),
}

impl std::fmt::Display for LinkTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkTarget::Requirement(r) => write!(f, "{r}"),
            LinkTarget::Finding(id) => write!(f, "{id}"),
        }
    }
}

impl AuditRecord {
    /// Cite an evidence file (as hashed now) for a requirement or a finding.
    /// Linking the same file again with a new hash replaces the old link;
    /// the trail keeps the old hash. Returns whether anything changed.
    pub fn link_evidence(
        &mut self,
        change: &Change,
        target: &LinkTarget,
        path: String,
        sha256: String,
        size: u64,
    ) -> Result<bool, AuditError> {
        let link = EvidenceLink {
            path,
            sha256,
            size,
            linked_at: change.at,
            linked_by: change.by.clone(),
            collected: None,
        };
        self.cite(change, target, link)
    }

    /// Cite a file the auditor collected (already stored beside the record
    /// under its SHA-256) for a requirement or a finding. Returns whether
    /// anything changed (citing the same file again with the same name does
    /// not).
    pub fn cite_collected(
        &mut self,
        change: &Change,
        target: &LinkTarget,
        sha256: String,
        size: u64,
        original_name: String,
        caption: Option<String>,
    ) -> Result<bool, AuditError> {
        let link = EvidenceLink {
            path: crate::evidence::collected::zip_name(&sha256, &original_name),
            sha256,
            size,
            linked_at: change.at,
            linked_by: change.by.clone(),
            collected: Some(super::Collected {
                original_name,
                caption: clean(caption),
                by: change.by.clone(),
                at: change.at,
            }),
        };
        self.cite(change, target, link)
    }

    fn cite(
        &mut self,
        change: &Change,
        target: &LinkTarget,
        link: EvidenceLink,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        let links = match target {
            LinkTarget::Requirement(req) => {
                &mut self.assessments.entry(req.clone()).or_default().evidence
            }
            LinkTarget::Finding(id) => {
                let index = self.finding_index(&id.to_string())?;
                &mut self.findings[index].evidence
            }
        };
        // A bundle file and a collected one never replace each other.
        let same = |l: &EvidenceLink| {
            l.path == link.path && l.collected.is_some() == link.collected.is_some()
        };
        let what = match links.iter().position(same) {
            Some(i) if links[i].sha256 == link.sha256 => return Ok(false),
            Some(i) => {
                let old = std::mem::replace(&mut links[i], link.clone());
                format!(
                    "{target}: evidence {} re-linked at sha256 {} (was {})",
                    link.path, link.sha256, old.sha256
                )
            }
            None => {
                links.push(link.clone());
                links.sort_by(|a, b| a.path.cmp(&b.path));
                match &link.collected {
                    Some(c) => format!(
                        "{target}: collected file {:?} attached as {} (sha256 {}, {} bytes)",
                        c.original_name, link.path, link.sha256, link.size
                    ),
                    None => format!(
                        "{target}: evidence {} linked (sha256 {}, {} bytes)",
                        link.path, link.sha256, link.size
                    ),
                }
            }
        };
        self.log(change, what);
        Ok(true)
    }

    /// Remember the auditee's evidence bundle (absolute path).
    pub fn set_evidence_bundle(
        &mut self,
        change: &Change,
        path: String,
    ) -> Result<bool, AuditError> {
        self.ensure_open()?;
        if self.evidence_bundle.as_deref() == Some(path.as_str()) {
            return Ok(false);
        }
        let old = self.evidence_bundle.replace(path.clone());
        self.log(change, format!("evidence bundle: {} → {path}", shown(&old)));
        Ok(true)
    }

    /// Every evidence link in the record, with what it is attached to.
    pub fn evidence_links(&self) -> Vec<(LinkTarget, &EvidenceLink)> {
        let mut all = Vec::new();
        for (req, a) in &self.assessments {
            all.extend(
                a.evidence
                    .iter()
                    .map(|l| (LinkTarget::Requirement(req.clone()), l)),
            );
        }
        for f in &self.findings {
            all.extend(f.evidence.iter().map(|l| (LinkTarget::Finding(f.id), l)));
        }
        // What the auditee or the auditor showed for a finding's follow-up
        // in this audit (a carried finding's earlier evidence is in the
        // report it comes from).
        for entry in &self.trail {
            use super::lifecycle::{Step, StepKind};
            if let Some(Step {
                finding,
                kind: StepKind::Implemented { evidence, .. } | StepKind::Verified { evidence, .. },
            }) = &entry.step
            {
                all.extend(evidence.iter().map(|l| (LinkTarget::Finding(*finding), l)));
            }
        }
        all
    }
}
