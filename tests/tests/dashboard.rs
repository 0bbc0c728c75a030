//! The team lead's dashboard and returns, in the real app on the demo team: figures for a
//! period with their trends, a figure opened to the clients behind it and one of them opened,
//! then the weekly tracker saved as CSV through the system's save dialog.
mod common;
use common::Journey;
use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::clock::SystemClock;
use throughline_core::demo;

#[tokio::test]
async fn a_team_lead_reads_the_dashboard_opens_a_figure_and_saves_the_weekly_tracker() {
    let mut j =
        Journey::start_with("dashboard", |dir| demo::create_installation(dir, Arc::new(SystemClock), 7, 300).expect("demo team")).await;
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;

    j.click("#nav-dashboard").await;
    j.wait_for_heading("Dashboard").await;
    j.wait_for_text("#dashboard-period", "The whole team").await;
    j.wait_for_text("#dashboard-period", "by week").await;
    let tests = j.text("tr[data-figure='custody.tests'] .figure-open").await;
    // How things stand now sits above the period's figures.
    j.wait_for_text("#dashboard-flags", "Open flags now").await;
    j.shot("this-month").await;

    // A year reads by month, and has at least as many tests as this month.
    j.click("input[value='last12_months']").await;
    j.wait_for_text("#dashboard-period", "by month").await;
    let year = j.text("tr[data-figure='custody.tests'] .figure-open").await;
    let number = |s: &str| s.replace(',', "").trim().parse::<u32>().unwrap_or_else(|_| panic!("a number: {s:?}"));
    assert!(number(&year) >= number(&tests) && number(&year) > 0, "a year's tests ({year}) include this month's ({tests})");
    // The trend charts are drawn: the tests' chart has painted pixels.
    let painted = j
        .c()
        .execute(
            "const c = document.querySelector(\"tr[data-figure='custody.tests'] canvas\");
             const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n;",
            vec![],
        )
        .await
        .expect("read the chart");
    assert!(painted.as_u64().unwrap_or(0) > 50, "the trend chart is drawn ({painted} pixels)");
    j.shot("last-12-months").await;
    j.c().execute("document.getElementById('section-prison').scrollIntoView()", vec![]).await.expect("scroll");
    j.shot("prison-and-treatment").await;

    // The figure opens the clients behind it; one opens their record, and Back returns.
    j.click("tr[data-figure='custody.tests'] .figure-open").await;
    j.wait_for_text("#figure-clients-heading", "Tests on arrest").await;
    assert!(j.text(".figure-clients .results-count").await.contains(&format!("{year} in all")), "the list has the figure's {year} rows");
    j.shot("tests-listed").await;
    let first = j.wait_for(".figure-clients .open-client").await;
    let name = first.text().await.expect("a client's name");
    first.click().await.expect("open the client");
    j.wait_for_heading(&name).await;
    j.click(".back-row button").await;
    j.wait_for_heading("Dashboard").await;

    // The weekly tracker, saved where the team lead chooses.
    j.click("#nav-returns").await;
    j.wait_for_heading("Returns").await;
    j.wait_for("#weekly-tracker tbody tr").await;
    j.wait_for("#monthly-return tbody tr").await;
    j.shot("returns").await;
    let saved_to = j.data.path().join("tracker-for-the-region.csv");
    j.click("#save-tracker").await;
    common::path_into_dialog("Save the return as CSV", &saved_to, false);
    j.wait_for_text("#return-saved", "tracker-for-the-region.csv").await;
    let csv = std::fs::read_to_string(&saved_to).expect("the tracker was written");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("layout,team,caseload,period_from,period_to,week_starting,tested_positive,referred,assessed,refused_bail,drrs_made")
    );
    assert!(lines.next().expect("a week").starts_with("throughline-weekly-tracker/1,"), "{csv}");
    j.shot("tracker-saved").await;
    j.close_app().await;

    // The export is in the audit trail: who, what and where to.
    let lead = Installation::new(j.data.path(), Arc::new(SystemClock)).sign_in("lead", demo::DEMO_PASSWORD).expect("sign in");
    let (who, what): (String, String) = lead
        .store()
        .reader()
        .query_row("SELECT worker_id, detail FROM audit_log WHERE action = 'exported a return' ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("the export was audited");
    assert_eq!(who, lead.worker().id);
    assert!(what.starts_with("weekly tracker for the whole team, ") && what.ends_with("tracker-for-the-region.csv"), "{what}");
    j.finish().await;
}
