//! Colours that carry meaning: red major NC, yellow minor NC, blue
//! observation/OFI, green conforming, grey not assessed. `NO_COLOR` turns
//! colour off (emphasis stays).

use ratatui::style::{Color, Modifier, Style};

use crate::audit::{Grade, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn verdict(self, v: Verdict) -> Style {
        match v {
            Verdict::Conforming => self.fg(Color::Green),
            Verdict::Nonconforming => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Verdict::NotApplicable => self.fg(Color::Blue),
            Verdict::NotAssessed => self.fg(Color::DarkGray),
        }
    }

    pub fn grade(self, g: Grade) -> Style {
        match g {
            Grade::Major => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Grade::Minor | Grade::AreaOfConcern => self.fg(Color::Yellow),
            Grade::Observation | Grade::Ofi => self.fg(Color::Blue),
            Grade::GoodPractice => self.fg(Color::Green),
        }
    }

    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn heading(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }
}

/// One-character verdict badge.
pub fn badge(v: Verdict) -> &'static str {
    match v {
        Verdict::Conforming => "✓",
        Verdict::Nonconforming => "✗",
        Verdict::NotApplicable => "–",
        Verdict::NotAssessed => "·",
    }
}
