//! Flags people act on, in the real app on the demo team: a custody worker's Today opens with
//! an urgent statutory flag and sums up the whole-case ones; a team lead reads the team's flags
//! as counts, opens one count as a list and reaches the client behind a flag.
mod common;
use common::Journey;
use std::sync::Arc;
use throughline_core::clock::SystemClock;
use throughline_core::demo;

#[tokio::test]
async fn today_leads_with_urgent_flags_and_a_team_lead_opens_a_count() {
    let mut j = Journey::start_with("flags", |dir| demo::create_installation(dir, Arc::new(SystemClock), 7, 300).expect("demo team")).await;

    // The custody worker's Today: the first flag is urgent and statutory; consent and contact
    // come after, as one line per rule.
    j.sign_in("custody", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    let first = j.text("#today-flags .flag").await;
    assert!(first.contains("Urgent"), "the first flag on Today is urgent: {first}");
    assert!(!first.contains("CONSENT-MISSING") && !first.contains("CASE-NO-CONTACT"), "{first}");
    let summaries = j.text("#today-summaries").await;
    assert!(summaries.contains("of your clients"), "whole-case flags are summed up: {summaries}");
    j.shot("custody-today").await;
    // A summary opens its list.
    j.click("#today-summaries .summary-open").await;
    j.wait_for(".flag-list-section .flag").await;
    assert!(j.text(".flag-list-section .results-count").await.contains("most severe first"));
    j.shot("custody-summary-opened").await;
    j.click("#sign-out-button").await;

    // The team lead: counts by rule and worker, nothing listed until a count is chosen.
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    j.click("#nav-flags").await;
    j.wait_for_heading("Team flags").await;
    let totals = j.text("#team-flag-totals").await;
    assert!(totals.contains("urgent") && totals.contains("for information"), "{totals}");
    assert!(j.c().find_all(fantoccini::Locator::Css(".flag")).await.expect("flags").is_empty());
    j.shot("team-flags-counts").await;
    j.click("#flags-by-rule .count-open").await;
    let listed = j.wait_for(".flag-list-section .flag .open-client").await;
    let name = listed.text().await.expect("client name");
    j.shot("team-flags-list").await;
    listed.click().await.expect("open the client");
    j.wait_for_heading(&name).await;
    j.shot("client-from-team-flags").await;

    // The Team screen: each worker's flags by severity beside their caseload.
    j.click("#nav-team").await;
    j.wait_for_heading("Caseloads").await;
    j.wait_for(".caseload-size .open-client").await;
    j.shot("team-caseloads-with-flags").await;
    j.finish().await;
}
