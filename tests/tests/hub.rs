//! The partnership hub, end to end: a team lead enrols the hub on the Sync screen and sends it
//! the team's bundle; the hub's operator runs `throughline-hub` (enrol, import, status, report)
//! on a real PostgreSQL; and the report opens in a real browser (WebKit's MiniBrowser under
//! WebKitWebDriver) with its charts painted and its tables readable.
mod common;

use common::{path_into_dialog, Journey};
use fantoccini::ClientBuilder;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use throughline_core::clock::SystemClock;
use throughline_core::demo;
use throughline_hub::cluster::Cluster;

const HUB_PASSPHRASE: &str = "calder-heron-granite-88";
/// Not tauri-driver's ports (4444, and 4445 for the WebKit driver behind it).
const BROWSER_DRIVER_PORT: u16 = 4446;
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

fn hub_binary() -> PathBuf {
    let app = common::app_binary();
    let hub = app.with_file_name("throughline-hub");
    assert!(hub.exists(), "build the hub first (cargo build -p throughline-hub): {} is missing", hub.display());
    hub
}

/// Runs `throughline-hub` as its operator would; its output.
fn hub(dir: &Path, database: &str, file_passphrase: &str, args: &[&str]) -> String {
    let out = Command::new(hub_binary())
        .args(["--dir", &dir.display().to_string(), "--database", database])
        .args(args)
        .env("THROUGHLINE_HUB_PASSPHRASE", HUB_PASSPHRASE)
        .env("THROUGHLINE_HUB_FILE_PASSPHRASE", file_passphrase)
        .output()
        .expect("throughline-hub runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "throughline-hub {args:?} failed: {text}");
    text
}

#[tokio::test]
async fn a_lead_enrols_the_hub_which_imports_the_teams_bundle_and_reports_the_partnerships_figures() {
    let mut j = Journey::start_with("hub", |dir| demo::create_installation(dir, Arc::new(SystemClock), 17, 40).expect("demo team")).await;
    let files = tempfile::tempdir().expect("the hub's drop folder");
    let enrolment_file = files.path().join("hub-enrolment.throughline-hub");

    // The lead enrols the hub on the Sync screen: a file, and a passphrase shown once.
    j.sign_in("lead", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    j.click("#nav-sync").await;
    j.wait_for_heading("Sync").await;
    j.fill("hub-label", "West Yorkshire partnership hub").await;
    j.click("#make-hub-file").await;
    path_into_dialog("Save the hub enrolment file", &enrolment_file, false);
    j.wait_for_text("#hub-file-made", "West Yorkshire partnership hub").await;
    let passphrase = j.text("#hub-passphrase").await;
    assert_eq!(passphrase.len(), 23, "four groups of five: {passphrase}");
    j.wait_for_text("#laptops", "Partnership hub: receives the team's bundles, sends none").await;
    j.shot("hub-enrolled").await;
    j.expect_no_axe_violations("Sync, with the hub enrolled").await;

    // The team's bundle for the hub, as for any laptop.
    j.click("#send-to-everything").await;
    j.click("#export-bundle").await;
    path_into_dialog("Save the sync bundle", &files.path().join("westbridge.throughline"), false);
    j.wait_for_text("#sync-said", "Saved").await;
    j.finish().await;

    // The hub's operator: enrol, import the drop folder (twice: the second changes nothing),
    // status, report.
    let work = tempfile::tempdir().expect("the hub's server");
    // The cluster helper connects with the blocking PostgreSQL client, which keeps a runtime of
    // its own: off this test's.
    let folder = work.path().join("postgres");
    let cluster = tokio::task::spawn_blocking(move || Cluster::start(&folder)).await.expect("joined").expect("PostgreSQL starts");
    let database = cluster.conninfo("hub");
    let dir = work.path().join("hub");
    let said = hub(&dir, &database, &passphrase, &["enrol", &enrolment_file.display().to_string()]);
    assert!(said.contains("Enrolled Westbridge Criminal Justice Drug Team."), "{said}");
    let said = hub(&dir, &database, "", &["import", &files.path().display().to_string()]);
    assert!(said.contains("1 imported, 0 refused."), "{said}");
    let said = hub(&dir, &database, "", &["import", &files.path().display().to_string()]);
    assert!(said.contains("already imported") && said.contains("0 imported, 0 refused."), "{said}");
    let said = hub(&dir, &database, "", &["status"]);
    assert!(said.contains("Westbridge Criminal Justice Drug Team") && said.contains("West Yorkshire partnership hub: this hub"), "{said}");
    assert!(said.contains("Priya Shah's laptop: last bundle"), "the lead's laptop sent the bundle: {said}");
    let reports = work.path().join("reports");
    let said = hub(&dir, &database, "", &["report", "--out", &reports.display().to_string()]);
    let report = said.lines().find_map(|l| l.strip_prefix("Report: ")).expect("the report's path").to_string();
    assert!(said.contains("Monthly return: "), "{said}");

    // The report in a real browser: the charts painted, the tables read.
    let mut driver = Command::new("WebKitWebDriver").arg(format!("--port={BROWSER_DRIVER_PORT}")).spawn().expect("WebKitWebDriver runs");
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", BROWSER_DRIVER_PORT)).is_err() {
        assert!(Instant::now() < deadline, "WebKitWebDriver did not start listening");
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), serde_json::json!("MiniBrowser"));
    caps.insert("webkitgtk:browserOptions".into(), serde_json::json!({ "binary": MINIBROWSER, "args": ["--automation"] }));
    let browser = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{BROWSER_DRIVER_PORT}"))
        .await
        .expect("a browser session");
    browser.goto(&format!("file://{report}")).await.expect("the report opens");
    let painted = browser
        .execute(
            "return [...document.querySelectorAll('figure svg')].map(svg => {
               const box = svg.getBoundingClientRect();
               const widest = Math.max(0, ...[...svg.querySelectorAll('polyline')].map(e => e.getBoundingClientRect().width));
               return { width: box.width, height: box.height, widest };
             });",
            vec![],
        )
        .await
        .expect("the charts measured");
    let charts = painted.as_array().expect("a list of charts");
    assert_eq!(charts.len(), 2, "two charts: {painted}");
    for chart in charts {
        assert!(chart["width"].as_f64().unwrap_or(0.0) > 400.0 && chart["height"].as_f64().unwrap_or(0.0) > 200.0, "{chart}");
        // A series drawn across the chart: the tests' line, the continuity ambition's line.
        assert!(chart["widest"].as_f64().unwrap_or(0.0) > 300.0, "a chart with no series drawn across it: {chart}");
    }
    let table =
        browser.execute("return document.querySelector('#continuity-table').innerText", vec![]).await.expect("the continuity table");
    let table = table.as_str().unwrap_or_default();
    assert!(table.contains("Westbridge Criminal Justice Drug Team") && table.contains("The partnership"), "{table}");
    let shot = browser.screenshot().await.expect("a screenshot of the report");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots/hub");
    std::fs::write(shots.join("02-report.png"), shot).expect("save the screenshot");
    browser.close().await.expect("close the browser");
    let _ = driver.kill();
    let _ = driver.wait();
}
