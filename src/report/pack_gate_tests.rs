//! Tests of the final report's gates on an audit of a certification cycle:
//! the carried findings' verdicts, the surveillance sample, and the
//! recommendation with a carried open major.

use super::*;
use crate::audit::conclusion::{Conclusion, Recommendation};
use crate::audit::lifecycle::Outcome;
use crate::report::cycle_testing as t;

fn follow_up_gaps(missing: &[Missing]) -> Vec<String> {
    missing
        .iter()
        .filter(|m| matches!(m, Missing::FollowUpVerdict(_)))
        .map(ToString::to_string)
        .collect()
}

fn verdict_gaps(missing: &[Missing]) -> Vec<String> {
    missing
        .iter()
        .filter_map(|m| match m {
            Missing::Verdict(r) => Some(r.id.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_carried_nc_without_a_verdict_is_listed_with_the_command_until_it_has_one() {
    let (mut s, who) = t::surveillance();
    let catalog = s.catalog().unwrap();
    let gaps = follow_up_gaps(&missing_for_final(&s, &catalog));
    // NC-002 was verified here; OBS-001 needs no verdict.
    assert_eq!(
        gaps,
        [
            "NC-001 (carried from the previous report): no verification verdict from this audit \
          (`fieldaudit finding verify AUDIT.ron NC-001 --effective|--not-effective|--not-yet-due \
          --objective-evidence …`)"
        ]
    );
    s.verify_finding(
        &who,
        "NC-001",
        Outcome::NotEffective,
        "register still not reviewed".into(),
        vec![],
    )
    .unwrap();
    assert!(follow_up_gaps(&missing_for_final(&s, &catalog)).is_empty());
    let aoc: FindingId = "AOC-002".parse().unwrap();
    assert!(Missing::FollowUpVerdict(aoc).to_string().contains(
        "finding verify AUDIT.ron AOC-002 --resolved|--not-resolved --objective-evidence"
    ));
}

#[test]
fn a_surveillance_needs_verdicts_only_for_the_requirements_of_its_visit() {
    let (mut s, who) = t::surveillance();
    let catalog = s.catalog().unwrap();
    let gaps = verdict_gaps(&missing_for_final(&s, &catalog));
    assert!(gaps.contains(&"6.1.2".to_string()), "sampled: {gaps:?}");
    assert!(
        gaps.contains(&"9.2.1".to_string()),
        "in every visit: {gaps:?}"
    );
    assert!(
        !gaps.contains(&"7.5.1".to_string()),
        "not in the visit: {gaps:?}"
    );
    let in_visit = catalog
        .requirements()
        .filter(|(r, _, _)| s.in_visit(&catalog, r))
        .count();
    assert_eq!(gaps.len(), in_visit);
    assert!(in_visit < catalog.len());
    // Sampled, it must be assessed.
    s.set_sampled(&who, &catalog, &t::req("7.5.1"), true)
        .unwrap();
    let gaps = verdict_gaps(&missing_for_final(&s, &catalog));
    assert!(gaps.contains(&"7.5.1".to_string()), "{gaps:?}");
    // Another audit type judges every requirement, as before.
    let stage2 = t::signed_stage2(&who);
    let mut open = stage2.clone();
    open.sign_off = None;
    let gaps = verdict_gaps(&missing_for_final(&open, &catalog));
    assert_eq!(gaps.len(), catalog.len());
}

#[test]
fn a_carried_open_major_rules_out_an_unconditional_recommendation_at_pack_time() {
    let (mut s, who) = t::surveillance();
    let catalog = s.catalog().unwrap();
    let conclusion = |recommendation| Conclusion {
        recommendation,
        reasoning: "r".into(),
        scope_appropriate: Some(true),
        effectiveness: None,
        objectives_met: Some(true),
        at: who.at,
        by: who.by.clone(),
    };
    // Recorded before NC-001 was carried open (a record edited by hand, or
    // an older fieldaudit): the gate checks again.
    s.conclusion = Some(conclusion(Recommendation::Continue));
    let missing = missing_for_final(&s, &catalog);
    let why: Vec<String> = missing
        .iter()
        .filter(|m| matches!(m, Missing::Recommendation(_)))
        .map(ToString::to_string)
        .collect();
    assert_eq!(why.len(), 1, "{missing:?}");
    assert!(why[0].contains("NC-001"), "{}", why[0]);
    s.conclusion = Some(conclusion(Recommendation::ContinueOnceClosed));
    assert!(
        !missing_for_final(&s, &catalog)
            .iter()
            .any(|m| matches!(m, Missing::Recommendation(_)))
    );
}
