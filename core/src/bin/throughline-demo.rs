//! Creates a demo installation: `throughline-demo <folder> [clients] [seed]`.
use std::process::ExitCode;
use std::sync::Arc;
use throughline_core::clock::SystemClock;
use throughline_core::demo;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: throughline-demo <folder> [clients] [seed]");
        return ExitCode::from(2);
    };
    let clients = args.next().and_then(|n| n.parse().ok()).unwrap_or(300);
    let seed = args.next().and_then(|n| n.parse().ok()).unwrap_or(2026);
    let dir = std::path::PathBuf::from(dir);
    if dir.join("keyslots.json").exists() {
        println!("A Throughline installation already exists in {}; leaving it as it is.", dir.display());
        return ExitCode::SUCCESS;
    }
    let made =
        demo::create_installation(&dir, Arc::new(SystemClock), seed, clients).and_then(|()| demo::sync_week(&dir, Arc::new(SystemClock)));
    match made {
        Ok(()) => {
            println!("Demo installation with {clients} clients created in {}.", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Could not create the demo installation: {e}");
            ExitCode::FAILURE
        }
    }
}
