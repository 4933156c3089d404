//! The one table of key bindings: the event loop resolves keys with it, and
//! the help screen and the status line are drawn from it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::audit::Verdict;

/// Where the keyboard is: the main screen or one of the popups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Main,
    /// A popup with text fields: keys not bound here go to the text.
    Form,
    /// The fuzzy finder: typing goes to the query.
    Finder,
    /// A yes/no question.
    Confirm,
    /// Help or dashboard: any bound key closes it.
    Overlay,
    /// The evidence screen: the bundle's files and a preview, the file tree
    /// focused.
    Evidence,
    /// The evidence screen with the preview focused (Tab): it scrolls and
    /// searches; otherwise as [`Mode::Evidence`].
    EvidencePreview,
    /// A search query typed into the preview.
    PreviewSearch,
    /// The attach form's path: Tab completes it; otherwise as [`Mode::Form`].
    AttachPath,
    /// The list of collected files and a preview.
    Collected,
    /// The sign-off form: keys not bound here go to the text.
    SignOff,
    /// Waiting for work that can be cancelled (packing the report).
    Busy,
    /// A form's choice field (a finding's grade, the audit type) has the
    /// focus: ←/→/Space choose; otherwise as [`Mode::Form`].
    Choice,
    /// The sign-off form's kind row (final or draft): as [`Mode::Choice`],
    /// otherwise as [`Mode::SignOff`].
    SignOffChoice,
    /// The sign-off form's last row: Enter packs; otherwise as
    /// [`Mode::SignOff`].
    SignOffLast,
    /// The follow-up screen: NCs and areas of concern, previous and
    /// current, with their state.
    FollowUp,
    /// The plan screen: the audit's sessions by day.
    Plan,
    /// The conflicts screen: the merge's open conflicts and their values.
    Conflicts,
}

impl Mode {
    /// The mode whose bindings also apply (a field's mode within its form).
    pub fn parent(self) -> Option<Mode> {
        match self {
            Mode::Choice => Some(Mode::Form),
            Mode::SignOffChoice | Mode::SignOffLast => Some(Mode::SignOff),
            Mode::EvidencePreview => Some(Mode::Evidence),
            Mode::AttachPath => Some(Mode::Form),
            _ => None,
        }
    }

    /// The mode itself, or its parent: the kind of popup the keys are in.
    pub fn base(self) -> Mode {
        self.parent().unwrap_or(self)
    }
}

/// One binding: mode, key, action, and how help shows it.
pub struct Binding {
    pub mode: Mode,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    pub keys: &'static str,
    pub help: &'static str,
    /// The short label the status line shows; empty: help screen only.
    pub hint: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

macro_rules! bind {
    ($mode:ident, $code:expr, $mods:expr, $action:expr, $keys:literal, $help:literal, $hint:literal) => {
        Binding {
            mode: Mode::$mode,
            code: $code,
            modifiers: $mods,
            action: $action,
            keys: $keys,
            help: $help,
            hint: $hint,
        }
    };
}

use Action as A;
use KeyCode as K;

/// Every binding. Several keys may share an action; help lists the ones
/// with a key text, the status line the `primary` ones.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind!(Main, K::Char('j'), NONE, A::NextRequirement, "j/↓", "next requirement", ""),
    bind!(Main, K::Down, NONE, A::NextRequirement, "", "", ""),
    bind!(Main, K::Char('k'), NONE, A::PrevRequirement, "k/↑", "previous requirement", ""),
    bind!(Main, K::Up, NONE, A::PrevRequirement, "", "", ""),
    bind!(Main, K::Char('g'), NONE, A::FirstRequirement, "g/Home", "first", ""),
    bind!(Main, K::Home, NONE, A::FirstRequirement, "", "", ""),
    bind!(Main, K::Char('G'), SHIFT, A::LastRequirement, "G/End", "last", ""),
    bind!(Main, K::Char('G'), NONE, A::LastRequirement, "", "", ""),
    bind!(Main, K::End, NONE, A::LastRequirement, "", "", ""),
    bind!(Main, K::PageDown, NONE, A::PageDown, "PgDn", "page down", ""),
    bind!(Main, K::PageUp, NONE, A::PageUp, "PgUp", "page up", ""),
    bind!(Main, K::Char('J'), SHIFT, A::ScrollDown, "J/Ctrl-D", "scroll detail down", ""),
    bind!(Main, K::Char('J'), NONE, A::ScrollDown, "", "", ""),
    bind!(Main, K::Char('d'), CTRL, A::ScrollDown, "", "", ""),
    bind!(Main, K::Char('K'), SHIFT, A::ScrollUp, "K/Ctrl-U", "scroll detail up", ""),
    bind!(Main, K::Char('K'), NONE, A::ScrollUp, "", "", ""),
    bind!(Main, K::Char('u'), CTRL, A::ScrollUp, "", "", ""),
    bind!(Main, K::Char('h'), NONE, A::Collapse, "h/←", "fold section", ""),
    bind!(Main, K::Left, NONE, A::Collapse, "", "", ""),
    bind!(Main, K::Char('l'), NONE, A::Expand, "l/→", "unfold section", ""),
    bind!(Main, K::Right, NONE, A::Expand, "", "", ""),
    bind!(Main, K::Char('c'), NONE, A::SetVerdict(Verdict::Conforming), "c", "conforming", "OK"),
    bind!(Main, K::Char('x'), NONE, A::SetVerdict(Verdict::Nonconforming), "x", "nonconforming", "NC"),
    bind!(Main, K::Char('a'), NONE, A::SetVerdict(Verdict::NotApplicable), "a", "not applicable (asks why)", "N/A"),
    bind!(Main, K::Char('u'), NONE, A::SetVerdict(Verdict::NotAssessed), "u", "back to not assessed", ""),
    bind!(Main, K::Char('i'), NONE, A::AddNote, "i", "new note", "note"),
    bind!(Main, K::Char('n'), NONE, A::NewFinding, "n", "new finding", "finding"),
    bind!(Main, K::Tab, NONE, A::NextItem, "Tab", "select note/finding", ""),
    bind!(Main, K::Char('e'), NONE, A::EditItem, "e/Enter", "edit selected item", ""),
    bind!(Main, K::Enter, NONE, A::EditItem, "", "", ""),
    bind!(Main, K::Delete, NONE, A::DeleteItem, "Del/D", "delete selected item", ""),
    bind!(Main, K::Char('D'), SHIFT, A::DeleteItem, "", "", ""),
    bind!(Main, K::Char('D'), NONE, A::DeleteItem, "", "", ""),
    bind!(Main, K::Char('/'), NONE, A::OpenFinder, "/", "find", "find"),
    bind!(Main, K::Char('d'), NONE, A::ToggleDashboard, "d", "dashboard", ""),
    bind!(Main, K::Char('m'), NONE, A::EditMeta, "m", "audit details (meta)", ""),
    bind!(Main, K::Char('r'), NONE, A::EditReport, "r", "report details (time, changes, sampling…)", ""),
    bind!(Main, K::Char('C'), SHIFT, A::Conclude, "C", "conclusion and recommendation", ""),
    bind!(Main, K::Char('I'), SHIFT, A::DeclareImplementation, "I", "declared implementation (SoA)", ""),
    bind!(Main, K::Char('V'), SHIFT, A::ViewCollected, "V", "view the files you collected", ""),
    bind!(Main, K::Char('V'), NONE, A::ViewCollected, "", "", ""),
    bind!(Main, K::Char('I'), NONE, A::DeclareImplementation, "", "", ""),
    bind!(Main, K::Char('C'), NONE, A::Conclude, "", "", ""),
    bind!(Main, K::Char('b'), NONE, A::ToggleEvidence, "b", "evidence bundle", "files"),
    bind!(Main, K::Char('f'), NONE, A::ToggleFollowUp, "f", "follow-up of NCs and areas of concern", "follow-up"),
    bind!(Main, K::Char('N'), SHIFT, A::Narrow, "N", "narrow the tree: all → session now → mine", "narrow"),
    bind!(Main, K::Char('N'), NONE, A::Narrow, "", "", ""),
    bind!(Main, K::Char('p'), NONE, A::TogglePlan, "p", "the audit plan: sessions by day", ""),
    bind!(Main, K::Char('o'), NONE, A::Assign, "o", "assign the requirement to an auditor", ""),
    bind!(Main, K::Char('X'), SHIFT, A::ToggleConflicts, "X", "merge conflicts: see and settle them", ""),
    bind!(Main, K::Char('X'), NONE, A::ToggleConflicts, "", "", ""),
    bind!(Main, K::Char('s'), NONE, A::ToggleSample, "s", "surveillance: requirement in/out of this visit", ""),
    bind!(Main, K::Char('A'), SHIFT, A::Attach, "A", "attach a file you collected", ""),
    bind!(Main, K::Char('A'), NONE, A::Attach, "", "", ""),
    bind!(Main, K::Char('S'), SHIFT, A::SignOff, "S", "sign off/pack", ""),
    bind!(Main, K::Char('S'), NONE, A::SignOff, "", "", ""),
    bind!(Main, K::Char('r'), CTRL, A::RetrySave, "Ctrl-R", "retry failed saves", ""),
    bind!(Main, K::Char('?'), NONE, A::ToggleHelp, "?", "help", "help"),
    bind!(Main, K::Char('?'), SHIFT, A::ToggleHelp, "", "", ""),
    bind!(Main, K::Char('q'), NONE, A::Quit, "q", "quit", "quit"),
    bind!(FollowUp, K::Char('j'), NONE, A::ListDown, "j/↓ k/↑", "next/previous finding", ""),
    bind!(FollowUp, K::Down, NONE, A::ListDown, "", "", ""),
    bind!(FollowUp, K::Char('k'), NONE, A::ListUp, "", "", ""),
    bind!(FollowUp, K::Up, NONE, A::ListUp, "", "", ""),
    bind!(FollowUp, K::PageDown, NONE, A::PageDown, "PgDn/PgUp", "a page down/up", ""),
    bind!(FollowUp, K::PageUp, NONE, A::PageUp, "", "", ""),
    bind!(FollowUp, K::Char('g'), NONE, A::FirstRequirement, "g/G", "first/last finding", ""),
    bind!(FollowUp, K::Char('G'), SHIFT, A::LastRequirement, "", "", ""),
    bind!(FollowUp, K::Char('G'), NONE, A::LastRequirement, "", "", ""),
    bind!(FollowUp, K::Char('R'), SHIFT, A::Respond, "R", "record the auditee's response", "respond"),
    bind!(FollowUp, K::Char('R'), NONE, A::Respond, "", "", ""),
    bind!(FollowUp, K::Char('a'), NONE, A::AcceptPlan, "a", "accept the plan", "accept"),
    bind!(FollowUp, K::Char('x'), NONE, A::ReturnPlan, "x", "return the plan, with a comment", "return"),
    bind!(FollowUp, K::Char('v'), NONE, A::Verify, "v", "verify: effective or not, with evidence", "verify"),
    bind!(FollowUp, K::Enter, NONE, A::ShowHistory, "Enter", "the finding's whole history", "history"),
    bind!(FollowUp, K::Char('i'), NONE, A::ReportImplemented, "i", "the auditee reports the action done", ""),
    bind!(FollowUp, K::Char('M'), SHIFT, A::RaiseAgain, "M", "raise a minor NC not effective again", ""),
    bind!(FollowUp, K::Char('M'), NONE, A::RaiseAgain, "", "", ""),
    bind!(FollowUp, K::Char('J'), SHIFT, A::ScrollDown, "J/K", "scroll the detail", ""),
    bind!(FollowUp, K::Char('J'), NONE, A::ScrollDown, "", "", ""),
    bind!(FollowUp, K::Char('K'), SHIFT, A::ScrollUp, "", "", ""),
    bind!(FollowUp, K::Char('K'), NONE, A::ScrollUp, "", "", ""),
    bind!(FollowUp, K::Char('f'), NONE, A::ToggleFollowUp, "f/Esc/q", "back to requirements", "back"),
    bind!(FollowUp, K::Esc, NONE, A::ToggleFollowUp, "", "", ""),
    bind!(FollowUp, K::Char('q'), NONE, A::ToggleFollowUp, "", "", ""),
    bind!(FollowUp, K::Char('?'), NONE, A::ToggleHelp, "?", "help", "help"),
    bind!(FollowUp, K::Char('?'), SHIFT, A::ToggleHelp, "", "", ""),
    bind!(Plan, K::Char('j'), NONE, A::ListDown, "j/↓ k/↑", "next/previous session", ""),
    bind!(Plan, K::Down, NONE, A::ListDown, "", "", ""),
    bind!(Plan, K::Char('k'), NONE, A::ListUp, "", "", ""),
    bind!(Plan, K::Up, NONE, A::ListUp, "", "", ""),
    bind!(Plan, K::Char('g'), NONE, A::FirstRequirement, "g/G", "first/last session", ""),
    bind!(Plan, K::Char('G'), SHIFT, A::LastRequirement, "", "", ""),
    bind!(Plan, K::Char('G'), NONE, A::LastRequirement, "", "", ""),
    bind!(Plan, K::Enter, NONE, A::Submit, "Enter", "the requirements of the session", "its requirements"),
    bind!(Plan, K::Char('p'), NONE, A::TogglePlan, "p/Esc/q", "back to requirements", "back"),
    bind!(Plan, K::Esc, NONE, A::TogglePlan, "", "", ""),
    bind!(Plan, K::Char('q'), NONE, A::TogglePlan, "", "", ""),
    bind!(Plan, K::Char('?'), NONE, A::ToggleHelp, "?", "help", "help"),
    bind!(Plan, K::Char('?'), SHIFT, A::ToggleHelp, "", "", ""),
    bind!(Conflicts, K::Char('j'), NONE, A::ListDown, "j/↓ k/↑", "next/previous value", ""),
    bind!(Conflicts, K::Down, NONE, A::ListDown, "", "", ""),
    bind!(Conflicts, K::Char('k'), NONE, A::ListUp, "", "", ""),
    bind!(Conflicts, K::Up, NONE, A::ListUp, "", "", ""),
    bind!(Conflicts, K::Char('g'), NONE, A::FirstRequirement, "g/G", "first/last value", ""),
    bind!(Conflicts, K::Char('G'), SHIFT, A::LastRequirement, "", "", ""),
    bind!(Conflicts, K::Char('G'), NONE, A::LastRequirement, "", "", ""),
    bind!(Conflicts, K::Enter, NONE, A::Submit, "Enter", "settle the conflict with the selected value", "take it"),
    bind!(Conflicts, K::Char('1'), NONE, A::TakeValue(1), "1–9", "settle the conflict with value N", "take N"),
    bind!(Conflicts, K::Char('2'), NONE, A::TakeValue(2), "", "", ""),
    bind!(Conflicts, K::Char('3'), NONE, A::TakeValue(3), "", "", ""),
    bind!(Conflicts, K::Char('4'), NONE, A::TakeValue(4), "", "", ""),
    bind!(Conflicts, K::Char('5'), NONE, A::TakeValue(5), "", "", ""),
    bind!(Conflicts, K::Char('6'), NONE, A::TakeValue(6), "", "", ""),
    bind!(Conflicts, K::Char('7'), NONE, A::TakeValue(7), "", "", ""),
    bind!(Conflicts, K::Char('8'), NONE, A::TakeValue(8), "", "", ""),
    bind!(Conflicts, K::Char('9'), NONE, A::TakeValue(9), "", "", ""),
    bind!(Conflicts, K::Char('X'), SHIFT, A::ToggleConflicts, "X/Esc/q", "back to requirements", "back"),
    bind!(Conflicts, K::Char('X'), NONE, A::ToggleConflicts, "", "", ""),
    bind!(Conflicts, K::Esc, NONE, A::ToggleConflicts, "", "", ""),
    bind!(Conflicts, K::Char('q'), NONE, A::ToggleConflicts, "", "", ""),
    bind!(Conflicts, K::Char('?'), NONE, A::ToggleHelp, "?", "help", "help"),
    bind!(Conflicts, K::Char('?'), SHIFT, A::ToggleHelp, "", "", ""),
    bind!(Evidence, K::Char('j'), NONE, A::NextRequirement, "j/↓", "next file", ""),
    bind!(Evidence, K::Down, NONE, A::NextRequirement, "", "", ""),
    bind!(Evidence, K::Char('k'), NONE, A::PrevRequirement, "k/↑", "previous file", ""),
    bind!(Evidence, K::Up, NONE, A::PrevRequirement, "", "", ""),
    bind!(Evidence, K::Char('g'), NONE, A::FirstRequirement, "g/G", "first/last file", ""),
    bind!(Evidence, K::Char('G'), SHIFT, A::LastRequirement, "", "", ""),
    bind!(Evidence, K::Char('G'), NONE, A::LastRequirement, "", "", ""),
    bind!(Evidence, K::PageDown, NONE, A::PageDown, "PgDn/PgUp", "page down/up", ""),
    bind!(Evidence, K::PageUp, NONE, A::PageUp, "", "", ""),
    bind!(Evidence, K::Char('J'), SHIFT, A::ScrollDown, "J/K", "scroll preview", ""),
    bind!(Evidence, K::Char('J'), NONE, A::ScrollDown, "", "", ""),
    bind!(Evidence, K::Char('K'), SHIFT, A::ScrollUp, "", "", ""),
    bind!(Evidence, K::Char('K'), NONE, A::ScrollUp, "", "", ""),
    bind!(Evidence, K::Char('l'), NONE, A::LinkEvidence, "l", "link file to requirement/finding", "link"),
    bind!(Evidence, K::Char('A'), SHIFT, A::Attach, "A", "attach a file you collected", ""),
    bind!(Evidence, K::Char('A'), NONE, A::Attach, "", "", ""),
    bind!(Evidence, K::Tab, NONE, A::SwitchPane, "Tab", "focus the preview", "preview"),
    bind!(Evidence, K::Char('/'), NONE, A::OpenFinder, "/", "find", "find"),
    bind!(Evidence, K::Char('b'), NONE, A::ToggleEvidence, "b/Esc", "back to requirements", "back"),
    bind!(Evidence, K::Esc, NONE, A::ToggleEvidence, "", "", ""),
    bind!(Evidence, K::Char('?'), NONE, A::ToggleHelp, "?", "help", "help"),
    bind!(Evidence, K::Char('q'), NONE, A::Quit, "q", "quit", "quit"),
    bind!(EvidencePreview, K::Tab, NONE, A::SwitchPane, "Tab/Esc", "preview: back to the files", "files"),
    bind!(EvidencePreview, K::Esc, NONE, A::SwitchPane, "", "", ""),
    bind!(EvidencePreview, K::Char('/'), NONE, A::SearchPreview, "/", "preview: search it", "search"),
    bind!(EvidencePreview, K::Char('n'), NONE, A::NextHit, "n/N", "preview: next/previous hit", "next hit"),
    bind!(EvidencePreview, K::Char('N'), SHIFT, A::PrevHit, "", "", ""),
    bind!(EvidencePreview, K::Char('N'), NONE, A::PrevHit, "", "", ""),
    bind!(EvidencePreview, K::Char('j'), NONE, A::ListDown, "j/↓ k/↑", "preview: next/previous line or row", ""),
    bind!(EvidencePreview, K::Down, NONE, A::ListDown, "", "", ""),
    bind!(EvidencePreview, K::Char('k'), NONE, A::ListUp, "", "", ""),
    bind!(EvidencePreview, K::Up, NONE, A::ListUp, "", "", ""),
    bind!(EvidencePreview, K::PageDown, NONE, A::PageDown, "PgDn/PgUp", "preview: a page down/up", ""),
    bind!(EvidencePreview, K::PageUp, NONE, A::PageUp, "", "", ""),
    bind!(EvidencePreview, K::Char('<'), NONE, A::ColumnsLeft, "</>", "preview of a table: scroll the columns", ""),
    bind!(EvidencePreview, K::Char('<'), SHIFT, A::ColumnsLeft, "", "", ""),
    bind!(EvidencePreview, K::Char('>'), NONE, A::ColumnsRight, "", "", ""),
    bind!(EvidencePreview, K::Char('>'), SHIFT, A::ColumnsRight, "", "", ""),
    bind!(EvidencePreview, K::Enter, NONE, A::ShowRow, "Enter", "preview of a table: the row's cells in full", ""),
    bind!(PreviewSearch, K::Enter, NONE, A::Submit, "Enter", "keep the search (n/N go on)", "keep"),
    bind!(PreviewSearch, K::Esc, NONE, A::Close, "Esc", "drop the search", "cancel"),
    bind!(Form, K::Char('s'), CTRL, A::Submit, "Ctrl-S", "save", "save"),
    bind!(Form, K::Tab, NONE, A::NextField, "Tab", "next field", "next field"),
    bind!(Form, K::BackTab, SHIFT, A::PrevField, "Shift-Tab", "previous field", "previous field"),
    bind!(Form, K::BackTab, NONE, A::PrevField, "", "", ""),
    bind!(Form, K::Esc, NONE, A::Close, "Esc", "cancel", "cancel"),
    bind!(Form, K::Char('f'), CTRL, A::PickRequirement, "Ctrl-F", "finding: pick requirement", ""),
    bind!(AttachPath, K::Tab, NONE, A::CompletePath, "Tab", "attach: complete the path", "complete"),
    bind!(Form, K::F(1), NONE, A::ToggleHelp, "F1", "help", ""),
    bind!(Finder, K::Enter, NONE, A::Submit, "Enter", "go there", "go there"),
    bind!(Finder, K::Down, NONE, A::ListDown, "↓", "next match", "next match"),
    bind!(Finder, K::Up, NONE, A::ListUp, "↑", "previous match", "previous match"),
    bind!(Finder, K::Char('n'), CTRL, A::ListDown, "", "", ""),
    bind!(Finder, K::Char('p'), CTRL, A::ListUp, "", "", ""),
    bind!(Finder, K::Esc, NONE, A::Close, "Esc", "close", "close"),
    bind!(Finder, K::F(1), NONE, A::ToggleHelp, "F1", "help", ""),
    bind!(SignOff, K::Char('s'), CTRL, A::Submit, "Ctrl-S", "pack (and sign)", "pack"),
    bind!(SignOff, K::Tab, NONE, A::NextField, "Tab", "next field", "next field"),
    bind!(SignOff, K::BackTab, SHIFT, A::PrevField, "", "", ""),
    bind!(SignOff, K::BackTab, NONE, A::PrevField, "", "", ""),
    bind!(SignOff, K::Char('g'), CTRL, A::GoToMissing, "Ctrl-G", "go to the first missing item", "go to missing"),
    bind!(SignOff, K::Esc, NONE, A::Close, "Esc", "cancel", "cancel"),
    bind!(SignOff, K::F(1), NONE, A::ToggleHelp, "F1", "help", ""),
    // Enter moves down the sign-off form, and packs from its last row.
    bind!(SignOff, K::Enter, NONE, A::NextField, "Enter", "next field", ""),
    bind!(SignOffLast, K::Enter, NONE, A::Submit, "Enter", "on the last field: pack (and sign)", ""),
    bind!(SignOffChoice, K::Left, NONE, A::ChoicePrev, "←/→/Space", "on the report row: final or draft", ""),
    bind!(Choice, K::Left, NONE, A::ChoicePrev, "←/→/Space", "choose (a finding's grade, the audit type)", ""),
    bind!(Choice, K::Right, NONE, A::ChoiceNext, "", "", ""),
    bind!(Choice, K::Char(' '), NONE, A::ChoiceNext, "", "", ""),
    bind!(SignOffChoice, K::Right, NONE, A::ChoiceNext, "", "", ""),
    bind!(SignOffChoice, K::Char(' '), NONE, A::ChoiceNext, "", "", ""),
    bind!(Busy, K::Esc, NONE, A::Close, "Esc", "cancel packing", "cancel"),
    bind!(Collected, K::Char('j'), NONE, A::ListDown, "j/↓ k/↑", "next/previous file", ""),
    bind!(Collected, K::Down, NONE, A::ListDown, "", "", ""),
    bind!(Collected, K::Char('k'), NONE, A::ListUp, "", "", ""),
    bind!(Collected, K::Up, NONE, A::ListUp, "", "", ""),
    bind!(Collected, K::Enter, NONE, A::Submit, "Enter", "preview the file", "preview"),
    bind!(Collected, K::Char('J'), SHIFT, A::ScrollDown, "J/K", "scroll the preview", "scroll"),
    bind!(Collected, K::Char('J'), NONE, A::ScrollDown, "", "", ""),
    bind!(Collected, K::Char('K'), SHIFT, A::ScrollUp, "", "", ""),
    bind!(Collected, K::Char('K'), NONE, A::ScrollUp, "", "", ""),
    bind!(Collected, K::Esc, NONE, A::Close, "Esc", "close", "close"),
    bind!(Confirm, K::Char('y'), NONE, A::Yes, "y", "yes", "yes"),
    bind!(Confirm, K::Char('n'), NONE, A::No, "n/Esc", "no", "no"),
    bind!(Confirm, K::Esc, NONE, A::No, "", "", ""),
    bind!(Overlay, K::Esc, NONE, A::Close, "Esc", "close", "close"),
    bind!(Overlay, K::Char('j'), NONE, A::ScrollDown, "j/↓", "scroll down", "scroll"),
    bind!(Overlay, K::Down, NONE, A::ScrollDown, "", "", ""),
    bind!(Overlay, K::PageDown, NONE, A::ScrollDown, "", "", ""),
    bind!(Overlay, K::Char('k'), NONE, A::ScrollUp, "k/↑", "scroll up", ""),
    bind!(Overlay, K::Up, NONE, A::ScrollUp, "", "", ""),
    bind!(Overlay, K::PageUp, NONE, A::ScrollUp, "", "", ""),
    bind!(Overlay, K::Char('q'), NONE, A::Close, "", "", ""),
    bind!(Overlay, K::Char('?'), NONE, A::Close, "", "", ""),
    bind!(Overlay, K::Char('d'), NONE, A::Close, "", "", ""),
];

/// The action a key means in `mode`, if any.
pub fn resolve(mode: Mode, key: &KeyEvent) -> Option<Action> {
    let bound = |m: Mode| {
        BINDINGS
            .iter()
            .find(|b| b.mode == m && b.code == key.code && b.modifiers == key.modifiers)
            .map(|b| b.action)
    };
    bound(mode).or_else(|| mode.parent().and_then(bound))
}

/// Turn a key into a message for `update`: a binding of the current mode,
/// else text for the focused field.
pub fn key_to_msg(model: &super::Model, key: KeyEvent) -> Option<super::update::Msg> {
    use super::update::Msg;
    let mode = model.mode();
    if let Some(action) = resolve(mode, &key) {
        return Some(Msg::Action(action));
    }
    match mode.base() {
        Mode::Form | Mode::Finder | Mode::SignOff | Mode::PreviewSearch => {
            Some(Msg::Type(ratatui_textarea::Input::from(key)))
        }
        _ => None,
    }
}

/// The bindings help shows for a mode: one per action, those with a key text.
/// The mode's own first, then its parent's where the mode does not take
/// the key.
pub fn help_rows(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    let own = move |b: &Binding| {
        BINDINGS
            .iter()
            .any(|o| o.mode == mode && o.code == b.code && o.modifiers == b.modifiers)
    };
    let mine = BINDINGS.iter().filter(move |b| b.mode == mode);
    let inherited = BINDINGS
        .iter()
        .filter(move |b| Some(b.mode) == mode.parent() && !own(b));
    // A field's or pane's own keys first; its screen's or form's after.
    mine.chain(inherited).filter(|b| !b.keys.is_empty())
}

/// The rows of a help section: the bindings of `mode` and of its fields'
/// modes (a form's choice fields), those with a key text.
pub fn help_section(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.mode.base() == mode && !b.keys.is_empty())
}

/// The status-line hint for a mode: `c OK  x NC  …  ? help  q quit`.
pub fn hint(mode: Mode) -> String {
    hint_within(mode, usize::MAX)
}

/// The hint cut to `width` characters: entries are dropped from the end of
/// the list, but the last two (help and quit, or save and cancel) always stay.
pub fn hint_within(mode: Mode, width: usize) -> String {
    hint_where(mode, width, |_| true)
}

/// [`hint_within`], offering only the actions `offer` keeps (on a
/// signed-off record, those that do not change it).
pub fn hint_where(mode: Mode, width: usize, offer: impl Fn(Action) -> bool) -> String {
    let mut parts: Vec<String> = help_rows(mode)
        .filter(|b| !b.hint.is_empty() && offer(b.action))
        .map(|b| format!("{} {}", b.keys, b.hint))
        .collect();
    let len = |parts: &[String]| {
        parts.iter().map(|p| p.chars().count()).sum::<usize>() + 2 * parts.len().saturating_sub(1)
    };
    while len(&parts) > width && parts.len() > 2 {
        parts.remove(parts.len() - 3);
    }
    parts.join("  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_with_a_key_text_resolves_from_its_own_key() {
        for b in BINDINGS.iter().filter(|b| !b.keys.is_empty()) {
            let key = KeyEvent::new(b.code, b.modifiers);
            assert_eq!(resolve(b.mode, &key), Some(b.action), "{}", b.keys);
        }
    }

    #[test]
    fn a_fields_mode_has_its_own_keys_and_its_forms() {
        let cases = [
            (Mode::Choice, KeyCode::Left, Some(Action::ChoicePrev)),
            (Mode::Choice, KeyCode::Char(' '), Some(Action::ChoiceNext)),
            (Mode::Choice, KeyCode::Tab, Some(Action::NextField)),
            // A text field keeps its arrows.
            (Mode::Form, KeyCode::Left, None),
            (Mode::SignOff, KeyCode::Enter, Some(Action::NextField)),
            (Mode::SignOffLast, KeyCode::Enter, Some(Action::Submit)),
            (
                Mode::SignOffChoice,
                KeyCode::Right,
                Some(Action::ChoiceNext),
            ),
        ];
        for (mode, code, action) in cases {
            let key = KeyEvent::new(code, KeyModifiers::NONE);
            assert_eq!(resolve(mode, &key), action, "{mode:?} {code:?}");
        }
        assert_eq!(hint(Mode::Choice), hint(Mode::Form));
        assert_eq!(hint(Mode::SignOffLast), hint(Mode::SignOff));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                assert!(
                    !(a.mode == b.mode && a.code == b.code && a.modifiers == b.modifiers),
                    "{:?} {:?} bound twice",
                    a.mode,
                    a.code
                );
            }
        }
    }

    #[test]
    fn status_hint_comes_from_the_table() {
        let hint = hint(Mode::Main);
        assert!(hint.contains("c OK") && hint.contains("n finding") && hint.contains("q quit"));
        // What is left of an 80-column line after " saved 18:44:13 │ ".
        for mode in [
            Mode::Main,
            Mode::Form,
            Mode::Finder,
            Mode::Confirm,
            Mode::Evidence,
            Mode::SignOff,
            Mode::Busy,
            Mode::FollowUp,
            Mode::Plan,
            Mode::Conflicts,
        ] {
            let hint = hint_within(mode, 62);
            assert!(hint.chars().count() <= 62, "{hint}");
            assert!(hint.contains("? help") || hint.contains("Esc"), "{hint}");
        }
        let main = hint_within(Mode::Main, 62);
        assert!(
            main.contains("/ find") && main.ends_with("? help  q quit"),
            "{main}"
        );
    }
}
