//! The audit team: each member once, by name, in one role (lead auditor,
//! auditor, technical expert, observer, auditor in training, interpreter),
//! with at most one lead auditor. Also how a member is written on one line
//! for people (`Sam Lee (technical expert)` or `technical expert: Sam Lee`),
//! and how command-line role flags change a team.
//!
//! Names are trimmed and never split: a comma belongs to the name.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use crate::words::words;

/// What a member does on the audit. Only the lead auditor and auditors
/// count toward audit time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    LeadAuditor,
    Auditor,
    TechnicalExpert,
    Observer,
    AuditorInTraining,
    Interpreter,
}
words!(Role, "role", {
    LeadAuditor => "lead-auditor", Auditor => "auditor",
    TechnicalExpert => "technical-expert", Observer => "observer",
    AuditorInTraining => "auditor-in-training", Interpreter => "interpreter",
});

impl Role {
    /// How people say it.
    pub fn label(self) -> &'static str {
        match self {
            Role::LeadAuditor => "lead auditor",
            Role::Auditor => "auditor",
            Role::TechnicalExpert => "technical expert",
            Role::Observer => "observer",
            Role::AuditorInTraining => "auditor in training",
            Role::Interpreter => "interpreter",
        }
    }

    /// Whether the member's days count toward audit time.
    pub fn counts_toward_audit_time(self) -> bool {
        matches!(self, Role::LeadAuditor | Role::Auditor)
    }

    /// A role as people write it: any case, words joined by spaces, `-`
    /// or `_` ("Technical expert", "technical_expert").
    pub fn from_words(text: &str) -> Option<Role> {
        let word = text
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        word.parse().ok()
    }

    /// "lead auditor, auditor, …" for refusals.
    fn all_labels() -> String {
        Role::ALL
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One person on the audit team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    pub role: Role,
}

impl Member {
    pub fn new(name: impl Into<String>, role: Role) -> Member {
        Member {
            name: name.into(),
            role,
        }
    }
}

/// Why a team, or a line naming a member, is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error("a team member ({}) has no name; write the name", .0.label())]
    EmptyName(Role),
    #[error("{0} is on the audit team twice; give each person once, in one role")]
    Twice(String),
    #[error(
        "{0} and {1} are both lead auditor; an audit has one lead auditor (make the other an auditor)"
    )]
    TwoLeads(String, String),
    #[error(
        "'{0}' is not a role; write `Name (role)` with a role among: {roles} (to keep brackets in a name, write `auditor: Name (…)`)",
        roles = Role::all_labels()
    )]
    UnknownRole(String),
}

/// The lead auditor's name, if the team has one.
pub fn lead(team: &[Member]) -> Option<&str> {
    team.iter()
        .find(|m| m.role == Role::LeadAuditor)
        .map(|m| m.name.as_str())
}

/// Refuse a team with an empty name, a person twice (names compared
/// trimmed, ignoring case) or two lead auditors.
pub fn check(team: &[Member]) -> Result<(), TeamError> {
    let mut leads = team.iter().filter(|m| m.role == Role::LeadAuditor);
    if let (Some(first), Some(second)) = (leads.next(), leads.next()) {
        return Err(TeamError::TwoLeads(first.name.clone(), second.name.clone()));
    }
    let mut seen = std::collections::HashSet::new();
    for m in team {
        let key = m.name.trim().to_lowercase();
        if key.is_empty() {
            return Err(TeamError::EmptyName(m.role));
        }
        if !seen.insert(key) {
            return Err(TeamError::Twice(m.name.trim().to_string()));
        }
    }
    Ok(())
}

/// A team as stored: names trimmed, members in role order (lead auditor
/// first), in the order given within a role; refused as [`check`] does.
pub fn tidy(team: Vec<Member>) -> Result<Vec<Member>, TeamError> {
    let mut team: Vec<Member> = team
        .into_iter()
        .map(|m| Member::new(m.name.trim(), m.role))
        .collect();
    check(&team)?;
    team.sort_by_key(|m| m.role);
    Ok(team)
}

/// The team after command-line role flags: each role given is replaced by
/// the names given for it (empty names are skipped, so `""` alone clears
/// the role); a person
/// named for a new role leaves the old one; roles not given are kept.
pub fn with_roles(
    team: &[Member],
    given: &[(Role, Vec<String>)],
) -> Result<Vec<Member>, TeamError> {
    let replaced = |role: Role| given.iter().any(|(r, _)| *r == role);
    let named: Vec<String> = given
        .iter()
        .flat_map(|(_, names)| names.iter().map(|n| n.trim().to_lowercase()))
        .collect();
    let mut new: Vec<Member> = team
        .iter()
        .filter(|m| !replaced(m.role) && !named.contains(&m.name.trim().to_lowercase()))
        .cloned()
        .collect();
    for (role, names) in given {
        let names = names.iter().filter(|n| !n.trim().is_empty());
        new.extend(names.map(|n| Member::new(n.as_str(), *role)));
    }
    tidy(new)
}

/// A member as written for people: `Sam Lee (technical expert)`.
pub fn format_line(member: &Member) -> String {
    format!("{} ({})", member.name, member.role.label())
}

/// Read one member written `Name (role)`, `role: Name` or just `Name` (an
/// auditor). A blank line is no member.
pub fn parse_line(line: &str) -> Result<Option<Member>, TeamError> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    let named = |name: &str, role: Role| {
        let name = name.trim();
        if name.is_empty() {
            Err(TeamError::EmptyName(role))
        } else {
            Ok(Some(Member::new(name, role)))
        }
    };
    if let Some((before, after)) = line.split_once(':')
        && let Some(role) = Role::from_words(before)
    {
        return named(after, role);
    }
    if let Some(inside) = line.strip_suffix(')')
        && let Some((name, role)) = inside.rsplit_once('(')
    {
        return match Role::from_words(role) {
            Some(role) => named(name, role),
            None => Err(TeamError::UnknownRole(role.trim().to_string())),
        };
    }
    named(line, Role::Auditor)
}

/// Read members written one per line as [`parse_line`] reads them.
pub fn parse_list(text: &str) -> Result<Vec<Member>, TeamError> {
    let mut team = Vec::new();
    for line in text.lines() {
        team.extend(parse_line(line)?);
    }
    Ok(team)
}

/// The members besides the lead auditor, one per line, as the details form
/// shows them: `Sam Lee (auditor)`, `Ann Other (observer)`.
pub fn others_lines(team: &[Member]) -> String {
    team.iter()
        .filter(|m| m.role != Role::LeadAuditor)
        .map(format_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The team from the details form: the lead auditor's field (blank: no
/// lead) and the others as [`parse_list`] reads them.
pub fn from_form(lead: &str, others: &str) -> Result<Vec<Member>, TeamError> {
    let lead = Some(lead.trim())
        .filter(|l| !l.is_empty())
        .map(|l| Member::new(l, Role::LeadAuditor));
    Ok(lead.into_iter().chain(parse_list(others)?).collect())
}

/// `deserialize_with` for a record's team: refused as [`check`] does, at
/// the team's place in the file.
pub(super) fn checked<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Member>, D::Error> {
    let team = Vec::<Member>::deserialize(d)?;
    check(&team).map_err(|e| D::Error::custom(format!("{e} (in the record's meta.team)")))?;
    Ok(team)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(name: &str, role: Role) -> Member {
        Member::new(name, role)
    }

    #[test]
    fn a_line_is_name_and_role_either_way_and_a_comma_stays_in_the_name() {
        assert_eq!(
            parse_line("  Sam Lee (Technical expert) ").unwrap(),
            Some(m("Sam Lee", Role::TechnicalExpert))
        );
        assert_eq!(
            parse_line("auditor in training: Bo Third").unwrap(),
            Some(m("Bo Third", Role::AuditorInTraining))
        );
        assert_eq!(
            parse_line("Roe, Jane (lead_auditor)").unwrap(),
            Some(m("Roe, Jane", Role::LeadAuditor))
        );
        assert_eq!(
            parse_line("A. Auditor, PhD").unwrap(),
            Some(m("A. Auditor, PhD", Role::Auditor))
        );
        assert_eq!(
            parse_line("auditor: Ann Smith (née Jones)").unwrap(),
            Some(m("Ann Smith (née Jones)", Role::Auditor))
        );
        assert_eq!(parse_line("   ").unwrap(), None);
        for member in [
            m("Zoë Müller", Role::Interpreter),
            m("X, Y", Role::Observer),
        ] {
            assert_eq!(parse_line(&format_line(&member)).unwrap(), Some(member));
        }
    }

    #[test]
    fn a_line_with_an_unknown_role_or_no_name_is_refused_with_what_to_write() {
        let err = parse_line("A. Auditor (technical expert, ML)").unwrap_err();
        assert_eq!(err, TeamError::UnknownRole("technical expert, ML".into()));
        let text = err.to_string();
        assert!(text.contains("`Name (role)`"), "{text}");
        assert!(text.contains("auditor in training"), "{text}");
        assert_eq!(
            parse_line("observer:  ").unwrap_err(),
            TeamError::EmptyName(Role::Observer)
        );
        assert_eq!(
            parse_line(" (auditor)").unwrap_err(),
            TeamError::EmptyName(Role::Auditor)
        );
    }

    #[test]
    fn a_list_is_one_member_per_line() {
        let team = parse_list("Sam Lee\n\nAnn (observer)\nBo; Co (interpreter)").unwrap();
        assert_eq!(
            team,
            [
                m("Sam Lee", Role::Auditor),
                m("Ann", Role::Observer),
                m("Bo; Co", Role::Interpreter)
            ]
        );
    }

    #[test]
    fn the_form_shows_the_others_one_per_line_and_reads_them_back() {
        let team = vec![
            m("Lee", Role::LeadAuditor),
            m("Roe, Jane", Role::Auditor),
            m("Obi", Role::Observer),
        ];
        let line = others_lines(&team);
        assert_eq!(line, "Roe, Jane (auditor)\nObi (observer)");
        assert_eq!(from_form(" Lee ", &line).unwrap(), team);
        assert_eq!(from_form("", "").unwrap(), []);
        // Two leads are refused when the team is saved (see `tidy`).
        let two = from_form("Lee", "Kim (lead auditor)").unwrap();
        assert_eq!(
            tidy(two),
            Err(TeamError::TwoLeads("Lee".into(), "Kim".into()))
        );
    }

    #[test]
    fn a_team_has_one_lead_nobody_twice_and_no_blank_name() {
        let two = [m("A", Role::LeadAuditor), m("B", Role::LeadAuditor)];
        assert_eq!(
            check(&two),
            Err(TeamError::TwoLeads("A".into(), "B".into()))
        );
        let twice = [m("Ann", Role::Auditor), m(" ann ", Role::Observer)];
        assert_eq!(check(&twice), Err(TeamError::Twice("ann".into())));
        assert_eq!(
            check(&[m(" ", Role::Observer)]),
            Err(TeamError::EmptyName(Role::Observer))
        );
        let tidied = tidy(vec![
            m(" Obi ", Role::Observer),
            m("Lee", Role::LeadAuditor),
            m("Sam", Role::Auditor),
            m("Ann", Role::Auditor),
        ])
        .unwrap();
        assert_eq!(
            tidied,
            [
                m("Lee", Role::LeadAuditor),
                m("Sam", Role::Auditor),
                m("Ann", Role::Auditor),
                m("Obi", Role::Observer)
            ]
        );
        assert_eq!(lead(&tidied), Some("Lee"));
    }

    #[test]
    fn role_flags_replace_their_role_move_a_person_and_keep_the_rest() {
        let team = [
            m("Lee", Role::LeadAuditor),
            m("Sam", Role::Auditor),
            m("Ann", Role::Auditor),
        ];
        let new = with_roles(&team, &[(Role::TechnicalExpert, vec!["Ann".into()])]).unwrap();
        assert_eq!(
            new,
            [
                m("Lee", Role::LeadAuditor),
                m("Sam", Role::Auditor),
                m("Ann", Role::TechnicalExpert)
            ]
        );
        let new = with_roles(&new, &[(Role::Auditor, vec![String::new()])]).unwrap();
        assert_eq!(
            new,
            [m("Lee", Role::LeadAuditor), m("Ann", Role::TechnicalExpert)]
        );
        let new = with_roles(&new, &[(Role::LeadAuditor, vec!["Kim".into()])]).unwrap();
        assert_eq!(lead(&new), Some("Kim"));
        assert_eq!(new.len(), 2, "the old lead is replaced: {new:?}");
        let err = with_roles(
            &new,
            &[
                (Role::Auditor, vec!["Bo".into()]),
                (Role::Observer, vec!["bo".into()]),
            ],
        )
        .unwrap_err();
        assert_eq!(err, TeamError::Twice("bo".into()));
    }

    #[test]
    fn only_the_lead_and_auditors_count_toward_audit_time() {
        let counting: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.counts_toward_audit_time())
            .collect();
        assert_eq!(counting, [Role::LeadAuditor, Role::Auditor]);
    }
}
