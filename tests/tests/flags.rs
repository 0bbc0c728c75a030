//! Flags people act on, in the real app on a large demo team: a custody worker's Today opens
//! with an urgent statutory flag and sums up the whole-case ones; a team lead reads the team's
//! flags as counts, opens one count as a list and reaches the client behind a flag; and the
//! search box answers while the team's flags are being worked out.
mod common;
use common::Journey;
use std::sync::Arc;
use throughline_core::clock::SystemClock;
use throughline_core::demo;

#[tokio::test]
async fn today_leads_with_urgent_flags_and_a_team_lead_opens_a_count() {
    // A district-sized register (the people with a pathway history as in the demo) makes the
    // Team flags screen long enough to work out for the check at the end; made in about 30 s.
    let mut j = Journey::start_with("flags", |dir| {
        demo::create_team(dir, Arc::new(SystemClock), 7, LARGE_REGISTER, WITH_HISTORY).expect("demo team")
    })
    .await;

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

    // The search box answers while Team flags is worked out for the whole team: typed after
    // Team flags began, its people are listed before Team flags has finished. (The count is
    // kept between screens while nothing changes, so the lead signs in afresh for a new one.)
    j.click("#sign-out-button").await;
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    j.click("#nav-find").await;
    j.wait_for_heading("Find a person").await;
    j.c().execute(WATCH_SEARCH_DURING_TEAM_FLAGS, vec![]).await.expect("start Team flags and watch the search");
    j.fill("search", "smith").await;
    j.wait_for("#search-results .search-result").await;
    j.shot("search-answers-during-team-flags").await;
    let t = j.c().execute_async(WHEN_TEAM_FLAGS_ENDS, vec![]).await.expect("Team flags finishes");
    let ms = |k: &str| t[k].as_f64().unwrap_or_else(|| panic!("{k} in {t}"));
    let (began, typed, answered, ended) = (ms("began"), ms("typed"), ms("answered"), ms("ended"));
    println!(
        "Team flags took {:.0} ms; the search answered {:.0} ms after the last key, {:.0} ms before Team flags finished",
        ended - began,
        answered - typed,
        ended - answered
    );
    assert!(began < typed && answered < ended, "the search answered while Team flags was running: {t}");
    j.finish().await;
}

/// People on the register, and how many of them have a pathway history.
const LARGE_REGISTER: usize = 100_000;
const WITH_HISTORY: usize = 2_000;

/// Starts Team flags as the Team flags screen asks for it, and notes when the last key was
/// typed into the search box and when the first person found is listed.
const WATCH_SEARCH_DURING_TEAM_FLAGS: &str = r##"
const probe = { began: performance.now(), typed: null, answered: null, ended: null };
window.__probe = probe;
document.getElementById("search").addEventListener("input", () => { probe.typed = performance.now(); probe.answered = null; });
new MutationObserver(() => {
  if (probe.typed !== null && probe.answered === null && document.querySelector("#search-results .search-result")) probe.answered = performance.now();
}).observe(document.body, { childList: true, subtree: true });
probe.done = window.__TAURI_INTERNALS__.invoke("team_flags").then(() => { probe.ended = performance.now(); });
"##;

/// Waits for Team flags to finish and returns the times noted.
const WHEN_TEAM_FLAGS_ENDS: &str = r#"
const done = arguments[arguments.length - 1];
const p = window.__probe;
p.done.then(() => done({ began: p.began, typed: p.typed, answered: p.answered, ended: p.ended }), (e) => done({ error: String(e && e.message || e) }));
"#;
