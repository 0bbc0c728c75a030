//! `throughline-hub`: the partnership hub's command line (README "The partnership hub").
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use throughline_core::clock::SystemClock;
use throughline_core::dashboard::{DashboardAsk, Period, PeriodChoice};
use throughline_core::store::progress::Progress;
use throughline_core::store::StoreError;
use throughline_hub::{Hub, HubError, Outcome};

#[derive(Parser)]
#[command(
    name = "throughline-hub",
    about = "The partnership hub: every team's Throughline bundles in PostgreSQL, and the partnership's figures."
)]
struct Cli {
    /// The hub's own folder: its secret and each team's copy.
    #[arg(long, env = "THROUGHLINE_HUB_DIR", default_value = "hub-data")]
    dir: PathBuf,
    /// The PostgreSQL database, as a connection string.
    #[arg(long, env = "THROUGHLINE_HUB_DATABASE", default_value = "host=/var/run/postgresql dbname=throughline_hub")]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Enrol a team from the hub enrolment file its lead made (asks the file's passphrase).
    Enrol { file: PathBuf },
    /// Import every bundle (*.throughline) in these folders or files: each all or nothing,
    /// with the checks a laptop makes; a bundle already held changes nothing.
    Import {
        #[arg(required = true)]
        folders: Vec<PathBuf>,
    },
    /// The teams, their laptops and when each last sent a bundle, and bundles refused and why.
    Status,
    /// Write the partnership's report (HTML) and each team's monthly return (CSV).
    Report {
        /// First day, as 01/04/2026 (with --to); the last 12 months when left out.
        #[arg(long, requires = "to")]
        from: Option<String>,
        #[arg(long, requires = "from")]
        to: Option<String>,
        #[arg(long, default_value = "hub-reports")]
        out: PathBuf,
    },
}

/// A progress bar for the core's long tasks.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn step(&mut self, doing: &str, done: u64, total: u64) -> Result<(), StoreError> {
        if total > 0 {
            self.0.set_length(total);
        }
        self.0.set_position(done);
        self.0.set_message(doing.to_string());
        Ok(())
    }
}

fn bar() -> Bar {
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}").expect("template").progress_chars("=> "));
    Bar(bar)
}

fn secret(env: &str, prompt: &str) -> Result<String, HubError> {
    match std::env::var(env) {
        Ok(v) if !v.is_empty() => Ok(v),
        _ => rpassword::prompt_password(prompt).map_err(|e| HubError::Files(format!("the passphrase could not be read ({e})"))),
    }
}

fn run(cli: Cli) -> Result<ExitCode, HubError> {
    let passphrase = secret("THROUGHLINE_HUB_PASSPHRASE", "The hub's passphrase: ")?;
    let mut hub = Hub::open(&cli.dir, &passphrase, &cli.database, Arc::new(SystemClock))?;
    match cli.command {
        Command::Enrol { file } => {
            let bytes = std::fs::read(&file).map_err(|e| HubError::Files(format!("{} could not be read ({e})", file.display())))?;
            let file_passphrase = secret("THROUGHLINE_HUB_FILE_PASSPHRASE", "The enrolment file's passphrase (from the team lead): ")?;
            let mut progress = bar();
            let team = hub.enrol(&bytes, &file_passphrase, &mut progress)?;
            progress.0.finish_and_clear();
            println!("Enrolled {team}.");
        }
        Command::Import { folders } => {
            let files = Hub::bundles_in(&folders)?;
            let (mut imported, mut refused) = (0, 0);
            for file in files {
                let mut progress = bar();
                let outcome = hub.import_file(&file, &mut progress)?;
                progress.0.finish_and_clear();
                match outcome {
                    Outcome::Imported { team, summary } if summary.already_imported => {
                        println!("{}: already imported, for {team}.", file.display())
                    }
                    Outcome::Imported { team, summary } => {
                        imported += 1;
                        println!(
                            "{}: {} new of {} changes, for {team}, from {}.",
                            file.display(),
                            summary.new_operations,
                            summary.operations,
                            summary.device_label
                        )
                    }
                    Outcome::Refused { reason } => {
                        refused += 1;
                        println!("{}: refused. {reason}", file.display())
                    }
                }
            }
            println!("{imported} imported, {refused} refused.");
            if refused > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Status => {
            let status = hub.status()?;
            if status.teams.is_empty() {
                println!("No teams enrolled yet: throughline-hub enrol FILE.");
            }
            for t in &status.teams {
                println!("{} ({} changes)", t.name, t.operations);
                for l in &t.laptops {
                    let state = match (l.hub, l.revoked_at, l.last_bundle_at) {
                        (true, Some(_), _) => "this hub's enrolment, revoked".to_string(),
                        (true, None, _) => "this hub".to_string(),
                        (false, Some(at), _) => format!("revoked {}", at.format("%d/%m/%Y")),
                        (false, None, Some(at)) => format!("last bundle {}", at.format("%d/%m/%Y %H:%M")),
                        (false, None, None) => "no bundle yet".to_string(),
                    };
                    println!("  {}: {state}", l.label);
                }
            }
            if !status.refused.is_empty() {
                println!("Bundles refused:");
                for r in &status.refused {
                    println!("  {} ({}): {}", r.file, r.received_at.format("%d/%m/%Y %H:%M"), r.reason);
                }
            }
        }
        Command::Report { from, to, out } => {
            let today = throughline_core::dates::today(hub.now());
            let ask = match (from, to) {
                (Some(from), Some(to)) => DashboardAsk { period: PeriodChoice::Between, from, to, worker_id: None },
                _ => DashboardAsk { period: PeriodChoice::Last12Months, from: String::new(), to: String::new(), worker_id: None },
            };
            let period: Period = Period::choose(&ask, today).map_err(|e| HubError::Files(e.to_string()))?;
            let written = hub.report(period, &out)?;
            println!("Report: {}", written.html.display());
            for csv in written.csv {
                println!("Monthly return: {}", csv.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
