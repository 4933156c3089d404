//! The vocabulary of the TUI: every key resolves to one of these, and tests
//! drive the app with them (`"next_requirement"`, `{"set_verdict": "conforming"}`).

use serde::{Deserialize, Serialize};

use crate::audit::Verdict;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    NextRequirement,
    PrevRequirement,
    FirstRequirement,
    LastRequirement,
    PageDown,
    PageUp,
    /// Scroll the requirement detail.
    ScrollDown,
    ScrollUp,
    /// Fold the current section (or go to its header).
    Collapse,
    /// Unfold the current section.
    Expand,
    #[serde(with = "verdict_word")]
    SetVerdict(Verdict),
    AddNote,
    NewFinding,
    OpenFinder,
    ToggleHelp,
    ToggleDashboard,
    /// The audit metadata form.
    EditMeta,
    /// The report details form (what the report states besides findings).
    EditReport,
    /// The conclusion and recommendation form.
    Conclude,
    /// How far the auditee declares the current control implemented.
    DeclareImplementation,
    /// The files the auditor collected, with a preview.
    ViewCollected,
    /// Switch between the requirements and the evidence bundle.
    ToggleEvidence,
    /// Cite the selected evidence file for the current requirement (or the selected finding).
    LinkEvidence,
    /// Attach a file the auditor collected to the current requirement (or the selected finding).
    Attach,
    /// Move focus to the next note or finding of the requirement, to edit or delete it.
    NextItem,
    EditItem,
    DeleteItem,
    /// Esc: close the top popup (asking first if text would be lost).
    Close,
    /// Ctrl-S / Enter in a popup: confirm it.
    Submit,
    NextField,
    /// In the finding form: choose a further requirement with the finder.
    PickRequirement,
    /// In the attach form's path: complete it from the folder's files.
    CompletePath,
    PrevField,
    /// Left/Right on a choice field (the finding grade).
    ChoicePrev,
    ChoiceNext,
    /// Up/Down in a list (finder results; a preview's lines or rows).
    ListUp,
    ListDown,
    /// Tab on the evidence screen: the keys go to the preview, or back to
    /// the file tree.
    SwitchPane,
    /// `/` with the preview focused: search its text.
    SearchPreview,
    /// `n`/`N`: the next or previous hit of the preview's search.
    NextHit,
    PrevHit,
    /// `<`/`>`: scroll a table preview sideways by a column.
    ColumnsLeft,
    ColumnsRight,
    /// Enter on a table preview's row: its cells in full.
    ShowRow,
    Yes,
    No,
    /// Send failed saves again.
    RetrySave,
    /// The sign-off form: what is missing, then pack (and sign) the report.
    SignOff,
    /// In the sign-off form: close it and go to the first missing item.
    GoToMissing,
    /// Switch between the requirements and the follow-up of NCs and areas
    /// of concern.
    ToggleFollowUp,
    /// On the follow-up screen: the selected finding's whole history.
    ShowHistory,
    /// Record the auditee's response to the selected finding.
    Respond,
    /// Accept the selected finding's plan.
    AcceptPlan,
    /// Return the selected finding's plan, with a comment.
    ReturnPlan,
    /// Record that the auditee carried out the corrective action.
    ReportImplemented,
    /// The auditor's verification verdict on the selected finding.
    Verify,
    /// Raise the selected finding again (a minor NC not effective, as major).
    RaiseAgain,
    /// Put the current requirement in this surveillance visit, or take it out.
    ToggleSample,
    /// Switch between the requirements and the audit plan's sessions.
    TogglePlan,
    /// Narrow the requirement tree: all → the session under way → mine.
    Narrow,
    /// Assign the current requirement to a team member.
    Assign,
    /// Switch between the requirements and the open merge conflicts.
    ToggleConflicts,
    /// On the conflicts screen: settle the selected conflict with its
    /// value N (1-based).
    TakeValue(u8),
}

impl Action {
    /// Whether the action changes the record (refused at once on a
    /// signed-off one, and not offered by the hint line there).
    pub fn changes_the_record(self) -> bool {
        matches!(
            self,
            Action::SetVerdict(_)
                | Action::AddNote
                | Action::NewFinding
                | Action::EditItem
                | Action::DeleteItem
                | Action::EditMeta
                | Action::EditReport
                | Action::Conclude
                | Action::DeclareImplementation
                | Action::LinkEvidence
                | Action::Attach
                | Action::Respond
                | Action::AcceptPlan
                | Action::ReturnPlan
                | Action::ReportImplemented
                | Action::Verify
                | Action::RaiseAgain
                | Action::ToggleSample
                | Action::Assign
                | Action::TakeValue(_)
        )
    }
}

mod verdict_word {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::audit::Verdict;

    pub fn serialize<S: Serializer>(v: &Verdict, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Verdict, D::Error> {
        let word = String::deserialize(d)?;
        word.parse().map_err(serde::de::Error::custom)
    }
}
