//! Everything the screen shows, and nothing the terminal owns.

use std::collections::HashSet;
use std::path::PathBuf;

use ratatui_textarea::TextArea;

use super::keymap::Mode;
use crate::audit::{AuditRecord, Change, Edit, FindingId, Grade, Timestamp};
use crate::checklist::{Catalog, ReqRef};

/// One line of the requirement tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A checklist heading (only when the audit has several).
    Checklist(usize),
    /// A clause or control group: checklist index, section index.
    Section(usize, usize),
    Requirement(ReqRef),
}

/// How the last save went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Everything confirmed is on disk.
    Saved(Option<Timestamp>),
    /// Edits are on their way to disk.
    Saving(usize),
    /// Edits that could not be written; kept in memory, retried with Ctrl-R.
    Failed { message: String, unsaved: usize },
}

/// An edit sent to the store and not yet confirmed written.
#[derive(Debug, Clone)]
pub struct Pending {
    pub seq: u64,
    pub edit: Edit,
    pub change: Change,
}

/// Which field of a form has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Grade,
    Statement,
    Evidence,
    Also,
    Text,
    Interviewee,
}

/// A text field, single- or multi-line, backed by ratatui-textarea.
pub struct TextField {
    pub label: &'static str,
    pub area: TextArea<'static>,
    pub multiline: bool,
}

impl TextField {
    pub fn new(label: &'static str, text: &str, multiline: bool) -> TextField {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.lines().map(str::to_string).collect()
        };
        let mut area = TextArea::new(lines);
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        TextField {
            label,
            area,
            multiline,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n").trim().to_string()
    }
}

/// The note editor: new note, or an existing one.
pub struct NoteForm {
    pub req: ReqRef,
    pub editing: Option<u32>,
    pub text: TextField,
    pub interviewee: TextField,
    pub focus: Field,
    /// The text when the form opened, to know whether Esc would lose anything.
    pub original: String,
}

/// The finding form.
pub struct FindingForm {
    pub req: ReqRef,
    pub editing: Option<FindingId>,
    pub grade: Grade,
    pub statement: TextField,
    pub evidence: TextField,
    /// Further requirements, typed as ids (`27001:6.1.2`), one per line.
    pub also: TextField,
    pub focus: Field,
    pub original: (Grade, String, String, String),
}

/// The audit metadata form: one single-line field per item, plus the audit
/// type chosen with ←/→.
pub struct MetaForm {
    pub fields: Vec<TextField>,
    pub audit_type: crate::audit::AuditType,
    /// Index into [`MetaForm::ORDER`].
    pub focus: usize,
    pub original: (Vec<String>, crate::audit::AuditType),
}

/// What each row of the metadata form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaField {
    Client,
    Site,
    Scope,
    Type,
    Start,
    End,
    LeadAuditor,
    Auditors,
    AuditeeReps,
    CertificationBody,
    Accreditation,
}

impl MetaForm {
    /// The rows in screen order.
    pub const ORDER: [MetaField; 11] = [
        MetaField::Client,
        MetaField::Site,
        MetaField::Scope,
        MetaField::Type,
        MetaField::Start,
        MetaField::End,
        MetaField::LeadAuditor,
        MetaField::Auditors,
        MetaField::AuditeeReps,
        MetaField::CertificationBody,
        MetaField::Accreditation,
    ];

    pub fn new(meta: &crate::audit::Meta) -> MetaForm {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let values = [
            ("Client", meta.client.clone()),
            ("Site", text(&meta.site)),
            ("Scope", text(&meta.scope)),
            ("Start YYYY-MM-DD", date(meta.start)),
            ("End YYYY-MM-DD", date(meta.end)),
            (
                "Lead auditor",
                meta.lead_auditor().unwrap_or_default().into(),
            ),
            (
                "Team: Name (role); …",
                crate::audit::team::others_line(&meta.team),
            ),
            ("Auditee reps (a, b, …)", meta.auditee_reps.join(", ")),
            ("Certification body", text(&meta.certification_body)),
            ("Accreditation", text(&meta.accreditation)),
        ];
        let mut fields: Vec<TextField> = values
            .iter()
            .map(|(label, value)| TextField::new(label, value, false))
            .collect();
        // Unfocused fields show their beginning; the focused one its end.
        for field in fields.iter_mut().skip(1) {
            field.area.move_cursor(ratatui_textarea::CursorMove::Head);
        }
        let original = fields.iter().map(TextField::text).collect();
        MetaForm {
            fields,
            audit_type: meta.audit_type,
            focus: 0,
            original: (original, meta.audit_type),
        }
    }

    /// Move the focus to row `to`, putting the cursor at the end of its text.
    pub fn focus_on(&mut self, to: usize) {
        if let Some(i) = Self::field_index(self.focused()) {
            self.fields[i]
                .area
                .move_cursor(ratatui_textarea::CursorMove::Head);
        }
        self.focus = to % Self::ORDER.len();
        if let Some(i) = Self::field_index(self.focused()) {
            self.fields[i]
                .area
                .move_cursor(ratatui_textarea::CursorMove::End);
        }
    }

    /// The text field behind a row (the type row has none).
    pub fn field_index(row: MetaField) -> Option<usize> {
        let text_rows = Self::ORDER.iter().filter(|f| **f != MetaField::Type);
        text_rows.clone().position(|f| *f == row)
    }

    pub fn focused(&self) -> MetaField {
        Self::ORDER[self.focus.min(Self::ORDER.len() - 1)]
    }

    pub fn value(&self, row: MetaField) -> String {
        Self::field_index(row).map_or_else(String::new, |i| self.fields[i].text())
    }

    pub fn is_dirty(&self) -> bool {
        self.audit_type != self.original.1
            || self
                .fields
                .iter()
                .map(TextField::text)
                .ne(self.original.0.iter().cloned())
    }
}

/// The justification asked for a not-applicable verdict.
pub struct JustifyForm {
    pub req: ReqRef,
    pub text: TextField,
    pub original: String,
}

/// A row of the sign-off form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignField {
    /// Final (signed) or draft, chosen with ←/→.
    Kind,
    Out,
    Signer,
    Key,
    Password,
}

/// The sign-off form: what a final report still lacks, and how to sign it.
pub struct SignOffForm {
    pub draft: bool,
    pub out: TextField,
    pub signer: TextField,
    pub key: TextField,
    /// Shown masked; cleared once handed to the packer.
    pub password: TextField,
    pub focus: SignField,
    /// What a final report lacks, as of when the form opened.
    pub missing: Vec<crate::report::pack::Missing>,
    /// Why the last attempt was refused or failed.
    pub error: Option<String>,
    /// The default report names (final, draft), to follow a change of kind.
    pub defaults: (String, String),
    /// The home folder `~/` stands for in the file names.
    pub home: Option<std::path::PathBuf>,
}

impl SignOffForm {
    /// The rows in screen order.
    pub const ORDER: [SignField; 5] = [
        SignField::Kind,
        SignField::Out,
        SignField::Signer,
        SignField::Key,
        SignField::Password,
    ];

    /// The rows that matter for the chosen kind (a draft needs no key).
    pub fn active(&self) -> &'static [SignField] {
        if self.draft {
            &Self::ORDER[..2]
        } else {
            &Self::ORDER
        }
    }

    pub fn field(&self, row: SignField) -> Option<&TextField> {
        match row {
            SignField::Kind => None,
            SignField::Out => Some(&self.out),
            SignField::Signer => Some(&self.signer),
            SignField::Key => Some(&self.key),
            SignField::Password => Some(&self.password),
        }
    }

    pub fn field_mut(&mut self, row: SignField) -> Option<&mut TextField> {
        match row {
            SignField::Kind => None,
            SignField::Out => Some(&mut self.out),
            SignField::Signer => Some(&mut self.signer),
            SignField::Key => Some(&mut self.key),
            SignField::Password => Some(&mut self.password),
        }
    }

    /// Move the focus `by` rows among the active ones, wrapping.
    pub fn move_focus(&mut self, forward: bool) {
        let active = self.active();
        let n = active.len();
        let at = active.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = active[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }];
    }

    /// Whether the focus is on the last row that matters.
    pub fn on_last(&self) -> bool {
        self.active().last() == Some(&self.focus)
    }
}

/// A report being packed on a worker.
pub struct Packing {
    pub progress: std::sync::Arc<crate::report::pack::Progress>,
    pub out: PathBuf,
    pub draft: bool,
}

/// A message that stays until a key closes it.
pub struct Notice {
    pub title: String,
    pub lines: Vec<String>,
}

pub struct Finder {
    pub query: TextArea<'static>,
    pub hits: Vec<crate::finder::Hit>,
    /// How many items the shown query matches in all.
    pub total: usize,
    /// The request for the query as typed, while its results are not shown
    /// yet.
    pub waiting: Option<u64>,
    /// Enter was pressed before the query's results came: act on them when
    /// they do.
    pub enter_pending: bool,
    pub selected: usize,
    /// Picking a further requirement for the finding form underneath,
    /// rather than jumping somewhere.
    pub pick: bool,
}

/// What a yes/no question does on yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnYes {
    /// Discard the form under the question.
    DiscardForm,
    Apply(Box<Edit>),
    /// Quit although some changes could not be saved.
    Quit,
}

pub struct Confirm {
    pub question: String,
    pub on_yes: OnYes,
}

/// Popups form a stack; the top one gets the keys.
pub enum Popup {
    Note(Box<NoteForm>),
    Finding(Box<FindingForm>),
    Justify(Box<JustifyForm>),
    Meta(Box<MetaForm>),
    Finder(Box<Finder>),
    Confirm(Confirm),
    Help,
    Dashboard,
    SignOff(Box<SignOffForm>),
    Packing(Packing),
    Notice(Notice),
}

impl Popup {
    pub fn mode(&self) -> Mode {
        match self {
            Popup::Finding(f) if f.focus == Field::Grade => Mode::Choice,
            Popup::Meta(f) if f.focused() == MetaField::Type => Mode::Choice,
            Popup::Note(_) | Popup::Finding(_) | Popup::Justify(_) | Popup::Meta(_) => Mode::Form,
            Popup::SignOff(f) if f.focus == SignField::Kind => Mode::SignOffChoice,
            Popup::SignOff(f) if f.on_last() => Mode::SignOffLast,
            Popup::Finder(_) => Mode::Finder,
            Popup::Confirm(_) => Mode::Confirm,
            Popup::Help | Popup::Dashboard | Popup::Notice(_) => Mode::Overlay,
            Popup::SignOff(_) => Mode::SignOff,
            Popup::Packing(_) => Mode::Busy,
        }
    }
}

/// The selected note or finding under the current requirement (Tab cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Note(u32),
    Finding(FindingId),
}

/// Which screen the main area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Requirements,
    Evidence,
}

pub struct Model {
    pub path: PathBuf,
    pub screen: Screen,
    /// The auditee's bundle once listed (None before, or without one).
    pub evidence: Option<super::evidence::EvidenceView>,
    /// Why the bundle could not be opened, if it could not.
    pub evidence_error: Option<String>,
    /// The bundle's paths, shared with the finder's corpus.
    pub evidence_index: std::sync::Arc<crate::finder::Evidence>,
    /// The number of the newest search asked of the finder.
    pub finder_requests: u64,
    pub record: AuditRecord,
    pub catalog: Catalog,
    pub author: String,
    /// The time of the newest [`Msg::Tick`](super::update::Msg::Tick): the
    /// time an edit made now is recorded with.
    pub clock: crate::audit::Timestamp,
    pub collapsed: HashSet<(usize, usize)>,
    pub rows: Vec<Row>,
    /// Index into `rows`.
    pub cursor: usize,
    /// Rows visible in the tree pane at the last draw (for paging).
    pub page: usize,
    pub item: Option<Item>,
    /// Lines the detail pane is scrolled down.
    pub detail_scroll: u16,
    /// Lines the help or dashboard overlay is scrolled down.
    pub overlay_scroll: u16,
    pub popups: Vec<Popup>,
    pub pending: Vec<Pending>,
    pub failed: Vec<Pending>,
    pub save: SaveState,
    pub message: Option<String>,
    pub quit: bool,
    pub next_seq: u64,
}

impl Model {
    pub fn new(path: PathBuf, record: AuditRecord, catalog: Catalog, author: String) -> Model {
        let mut model = Model {
            path,
            screen: Screen::Requirements,
            evidence: None,
            evidence_error: None,
            evidence_index: std::sync::Arc::new(crate::finder::Evidence::new(Vec::<String>::new())),
            finder_requests: 0,
            record,
            catalog,
            author,
            // Until the run loop's first tick.
            clock: crate::audit::now(),
            collapsed: HashSet::new(),
            rows: Vec::new(),
            cursor: 0,
            page: 20,
            item: None,
            detail_scroll: 0,
            overlay_scroll: 0,
            popups: Vec::new(),
            pending: Vec::new(),
            failed: Vec::new(),
            save: SaveState::Saved(None),
            message: None,
            quit: false,
            next_seq: 1,
        };
        model.rebuild_rows();
        model.cursor = model
            .rows
            .iter()
            .position(|r| matches!(r, Row::Requirement(_)))
            .unwrap_or(0);
        model
    }

    pub fn mode(&self) -> Mode {
        match (self.popups.last(), self.screen) {
            (Some(popup), _) => popup.mode(),
            (None, Screen::Requirements) => Mode::Main,
            (None, Screen::Evidence) => Mode::Evidence,
        }
    }

    /// Recompute the visible tree rows after folding.
    pub fn rebuild_rows(&mut self) {
        let current = self.rows.get(self.cursor).cloned();
        let several = self.catalog.checklists().len() > 1;
        let mut rows = Vec::new();
        for (ci, checklist) in self.catalog.checklists().iter().enumerate() {
            if several {
                rows.push(Row::Checklist(ci));
            }
            for (si, section) in checklist.sections.iter().enumerate() {
                rows.push(Row::Section(ci, si));
                if !self.collapsed.contains(&(ci, si)) {
                    rows.extend(
                        section
                            .requirements
                            .iter()
                            .map(|r| Row::Requirement(ReqRef::new(&checklist.id, &r.id))),
                    );
                }
            }
        }
        self.rows = rows;
        if let Some(current) = current {
            self.cursor = self.position_of(&current).unwrap_or(self.cursor);
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    fn position_of(&self, row: &Row) -> Option<usize> {
        self.rows.iter().position(|r| r == row)
    }

    /// The requirement under the cursor, if the cursor is on one.
    pub fn current(&self) -> Option<&ReqRef> {
        match self.rows.get(self.cursor) {
            Some(Row::Requirement(r)) => Some(r),
            _ => None,
        }
    }

    /// Section (checklist index, section index) of the row under the cursor.
    pub fn current_section(&self) -> Option<(usize, usize)> {
        self.rows
            .get(..=self.cursor)
            .unwrap_or(&self.rows)
            .iter()
            .rev()
            .find_map(|r| match r {
                Row::Section(ci, si) => Some((*ci, *si)),
                _ => None,
            })
    }

    /// Move the cursor to a requirement, unfolding its section.
    pub fn jump_to(&mut self, req: &ReqRef) {
        for (ci, c) in self.catalog.checklists().iter().enumerate() {
            if c.id != req.checklist {
                continue;
            }
            for (si, s) in c.sections.iter().enumerate() {
                if s.requirements.iter().any(|r| r.id == req.id) {
                    self.collapsed.remove(&(ci, si));
                }
            }
        }
        self.rebuild_rows();
        if let Some(at) = self.position_of(&Row::Requirement(req.clone())) {
            self.cursor = at;
        }
        self.item = None;
    }

    /// Findings that name a requirement.
    pub fn findings_on<'a>(
        &'a self,
        req: &'a ReqRef,
    ) -> impl Iterator<Item = &'a crate::audit::Finding> {
        self.record
            .findings
            .iter()
            .filter(move |f| f.requirements.contains(req))
    }

    /// Notes then findings of the current requirement, for Tab to cycle.
    pub fn items(&self) -> Vec<Item> {
        let Some(req) = self.current() else {
            return Vec::new();
        };
        let notes = self
            .record
            .assessment(req)
            .map(|a| a.notes.iter().map(|n| Item::Note(n.id)).collect::<Vec<_>>())
            .unwrap_or_default();
        notes
            .into_iter()
            .chain(self.findings_on(req).map(|f| Item::Finding(f.id)))
            .collect()
    }
}
