//! Drawing the model: title bar, the screen (requirements or evidence),
//! status line, and the popup stack on top, each popup drawing itself.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::keymap;
use super::model::{Model, SaveState, Screen};
use super::screen::requirements::{detail, tree};
use super::screen::{evidence, follow_up};
use super::theme::Theme;

/// Below this the screen says so instead of drawing a mangled layout.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The screen's three rows: title, body, status line.
fn rows(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// How many tree rows a page holds on a terminal of this size (what PgDn
/// moves by): the body less its borders.
pub fn page_height(width: u16, height: u16) -> usize {
    let [_, body, _] = rows(Rect::new(0, 0, width, height));
    body.height.saturating_sub(2) as usize
}

pub fn view(model: &Model, theme: Theme, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "Terminal too small ({}×{}); fieldaudit needs at least {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it, or press q to quit.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [title, body, status] = rows(area);
    draw_title(model, theme, frame, title);
    match (&model.screen, &model.evidence) {
        (Screen::Evidence, Some(view)) => evidence::draw::draw(model, view, theme, frame, body),
        (Screen::FollowUp, _) => follow_up::draw::draw(model, theme, frame, body),
        (Screen::Plan, _) => super::screen::plan::draw::draw(model, theme, frame, body),
        (Screen::Conflicts, _) => super::screen::conflicts::draw::draw(model, theme, frame, body),
        _ => {
            let tree_width = (body.width * 2 / 5).clamp(30, 56);
            let [left, right] =
                Layout::horizontal([Constraint::Length(tree_width), Constraint::Min(20)])
                    .areas(body);
            tree::draw(model, theme, frame, left);
            detail::draw(model, theme, frame, right);
        }
    }
    draw_status(model, theme, frame, status);
    for (i, popup) in model.popups.iter().enumerate() {
        let top = i + 1 == model.popups.len();
        popup.draw(model, top, theme, frame, body);
    }
}

fn draw_title(model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
    let assessed = model
        .catalog
        .requirements()
        .filter(|(r, _, _)| model.record.verdict(r) != crate::audit::Verdict::NotAssessed)
        .count();
    let findings = model.record.findings.len();
    // A signed-off record refuses changes; say so before anyone tries.
    let locked = model.record.sign_off.as_ref().map(|s| {
        Span::styled(
            format!("│ SIGNED OFF by {}, read-only ", s.signer),
            theme.error(),
        )
    });
    // A surveillance audit covers its sample.
    let visit = model
        .record
        .samples()
        .then(|| format!(" │ {}", tree::visit_count(model)));
    // Merged copies that disagree: the lead settles them before a pack.
    let open = model.record.conflicts.len();
    let conflicts = (open > 0).then(|| {
        Span::styled(
            format!("│ {open} conflict{} ", if open == 1 { "" } else { "s" }),
            theme.error(),
        )
    });
    // A narrowed tree says so (N widens it again).
    let scope = model
        .scope
        .words(&model.record)
        .map(|w| Span::styled(format!("│ tree: {w} (N) "), theme.heading()));
    let line = Line::from_iter(
        [
            Some(Span::styled(" fieldaudit ", theme.heading())),
            locked,
            conflicts,
            scope,
            Some(Span::raw(format!(
                "│ {assessed}/{} assessed │ {findings} finding{} │ {}{} │ {}",
                model.catalog.len(),
                if findings == 1 { "" } else { "s" },
                model.record.meta.audit_type.label(),
                visit.unwrap_or_default(),
                model.record.meta.client,
            ))),
        ]
        .into_iter()
        .flatten(),
    );
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_status(model: &Model, theme: Theme, frame: &mut Frame, area: Rect) {
    let (save, style) = match &model.save {
        SaveState::Saved(Some(at)) => (format!("saved {}", at.format("%H:%M:%S")), theme.ok()),
        SaveState::Saved(None) => ("saved".to_string(), theme.ok()),
        SaveState::Saving(n) => (format!("saving {n}…"), theme.dim()),
        SaveState::Failed { unsaved, .. } => {
            (format!("NOT SAVED ({unsaved}) Ctrl-R retry"), theme.error())
        }
    };
    let hashing = model
        .evidence
        .as_ref()
        .filter(|v| v.hashing)
        .map(|v| format!("hashing {}% │ ", v.percent()))
        .unwrap_or_default();
    let used = save.chars().count() + hashing.chars().count() + 5;
    let rest = match (&model.message, &model.save) {
        (Some(message), _) => Span::styled(message.clone(), theme.error()),
        (None, SaveState::Failed { message, .. }) => Span::styled(message.clone(), theme.error()),
        (None, _) => {
            let locked = model.record.sign_off.is_some();
            let room = usize::from(area.width).saturating_sub(used);
            let offer = |a: crate::tui::Action| !(locked && a.changes_the_record());
            Span::styled(keymap::hint_where(model.mode(), room, offer), theme.dim())
        }
    };
    let line = Line::from(vec![
        Span::styled(format!(" {save} "), style),
        Span::raw("│ "),
        Span::styled(hashing, theme.dim()),
        rest,
    ]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line), area);
}

/// A rectangle of `width`×`height` centred in `area` (clipped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
