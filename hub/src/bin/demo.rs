//! `make hub-demo`: five districts' demo teams enrol a local hub, send it their bundles, and the
//! hub writes the partnership's report. `throughline-hub-demo <folder> [clients a district]`.
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use throughline_core::accounts::Installation;
use throughline_core::clock::{Clock, SystemClock};
use throughline_core::dashboard::{DashboardAsk, Period, PeriodChoice};
use throughline_core::demo::{self, DEMO_PASSWORD};
use throughline_core::store::progress::Unwatched;
use throughline_core::sync::{self, hub, ExportScope};
use throughline_hub::cluster::Cluster;
use throughline_hub::{Hub, Outcome};

const DISTRICTS: &[&str] = &["Westbridge", "Calder Vale", "Airebank", "Northfield", "Kirkmoor"];
/// The demo hub's passphrase (a real hub's operator chooses their own).
const HUB_PASSPHRASE: &str = "demo-partnership-hub";

fn make(root: &Path, clients: usize) -> Result<(), String> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let cluster = Cluster::start(&root.join("postgres")).map_err(|e| e.to_string())?;
    let mut hub = Hub::open(&root.join("hub"), HUB_PASSPHRASE, &cluster.conninfo("hub"), clock.clone()).map_err(|e| e.to_string())?;
    let drop_folder = root.join("drop");
    std::fs::create_dir_all(&drop_folder).map_err(|e| e.to_string())?;
    for (i, district) in DISTRICTS.iter().enumerate() {
        let dir = root.join("districts").join(district.to_lowercase().replace(' ', "-"));
        let team = format!("{district} Criminal Justice Drug Team");
        println!("{team}: making its demo team");
        demo::create_named_team(&dir, clock.clone(), &team, 2026 + i as u64, clients, clients).map_err(|e| e.to_string())?;
        let file = {
            let mut lead = Installation::new(&dir, clock.clone()).sign_in("lead", DEMO_PASSWORD).map_err(|e| e.to_string())?;
            let actor = lead.actor();
            hub::make(lead.store_mut(), &actor, "Partnership hub").map_err(|e| e.to_string())?
        };
        hub.enrol(&file.bytes, &file.passphrase, &mut Unwatched).map_err(|e| e.to_string())?;
        // A week's work after the hub was enrolled: a court laptop joins, works, and its bundle
        // reaches the lead, whose bundle of everything goes in the hub's drop folder.
        demo::sync_week(&dir, clock.clone()).map_err(|e| e.to_string())?;
        let mut lead = Installation::new(&dir, clock.clone()).sign_in("lead", DEMO_PASSWORD).map_err(|e| e.to_string())?;
        let actor = lead.actor();
        let (bytes, _) = sync::export(lead.store_mut(), &actor, &ExportScope::Everything).map_err(|e| e.to_string())?;
        let name = format!("{}-{}.throughline", dir.file_name().and_then(|n| n.to_str()).unwrap_or("team"), sync::file_stamp(clock.now()));
        std::fs::write(drop_folder.join(name), bytes).map_err(|e| e.to_string())?;
    }
    for file in Hub::bundles_in(&[drop_folder]).map_err(|e| e.to_string())? {
        match hub.import_file(&file, &mut Unwatched).map_err(|e| e.to_string())? {
            Outcome::Imported { team, summary } => println!("{}: {} new changes for {team}", file.display(), summary.new_operations),
            Outcome::Refused { reason } => return Err(format!("{}: refused: {reason}", file.display())),
        }
    }
    let ask = DashboardAsk { period: PeriodChoice::Last12Months, from: String::new(), to: String::new(), worker_id: None };
    let period = Period::choose(&ask, throughline_core::dates::today(clock.now())).map_err(|e| e.to_string())?;
    let written = hub.report(period, &root.join("report")).map_err(|e| e.to_string())?;
    println!("Report: {}", written.html.display());
    for csv in written.csv {
        println!("Monthly return: {}", csv.display());
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: throughline-hub-demo <folder> [clients a district]");
        return ExitCode::from(2);
    };
    let clients = args.next().and_then(|n| n.parse().ok()).unwrap_or(300);
    let root = std::path::PathBuf::from(root);
    if root.join("report").exists() {
        println!("A hub demo already exists in {}; remove the folder to make it again.", root.display());
        return ExitCode::SUCCESS;
    }
    match make(&root, clients) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Could not make the hub demo: {e}");
            ExitCode::FAILURE
        }
    }
}
