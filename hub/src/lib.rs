//! The partnership hub (issue: "many teams' bundles in PostgreSQL"): teams enrol it, send it
//! their bundles like to any laptop, and it reports the partnership's figures.
//!
//! - Each team is a replica (`sync::hub::Replica` in core) that imports bundles with the very
//!   checks a laptop makes, all or nothing, each change once.
//! - After an import, the team's records (only what the measures read, and people by their
//!   attributor) are copied into PostgreSQL ([`copy`]), where the figures are read ([`figures`])
//!   from the laptops' own measure definitions, and written as a report ([`report`]).
//! - The hub keeps its own audit log of every enrolment, import and report in PostgreSQL.
pub mod cluster;
pub mod copy;
pub mod figures;
pub mod report;
pub mod schema;

use chrono::{DateTime, Utc};
use postgres::NoTls;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use throughline_core::clock::Clock;
use throughline_core::store::progress::Progress;
use throughline_core::sync::bundle;
use throughline_core::sync::hub::{self, HubSecret, Replica};
use throughline_core::sync::{BundleSummary, SyncError};

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("{0}")]
    Sync(#[from] SyncError),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("{0}")]
    Copy(#[from] copy::CopyError),
    #[error("{0}")]
    Files(String),
    #[error("This is not the hub's passphrase: it does not open the hub's secret ({0}). Nothing was changed; type it again.")]
    HubPassphraseWrong(String),
    #[error("The hub has already enrolled a team with this id ({0}) as \"{1}\": its bundles are imported with what it has.")]
    AlreadyEnrolled(String, String),
}

/// The hub: its folder (the secret and each team's replica) and its PostgreSQL database.
pub struct Hub {
    dir: PathBuf,
    secret: HubSecret,
    db: postgres::Client,
    /// Where `db` connects, for a second connection where a report reads two things at once.
    conninfo: String,
    clock: Arc<dyn Clock>,
}

/// What became of one bundle file offered to the hub.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Imported { team: String, summary: BundleSummary },
    Refused { reason: String },
}

/// A team as `status` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamStatus {
    pub team_id: String,
    pub name: String,
    pub operations: i64,
    pub laptops: Vec<LaptopStatus>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LaptopStatus {
    pub label: String,
    pub hub: bool,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_bundle_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub file: String,
    pub received_at: DateTime<Utc>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub teams: Vec<TeamStatus>,
    pub refused: Vec<Refusal>,
}

fn files(e: impl std::fmt::Display) -> HubError {
    HubError::Files(e.to_string())
}

impl Hub {
    /// Opens the hub in `dir` on the PostgreSQL database `conninfo`, making both ready the
    /// first time (the secret is made then, sealed with `passphrase`).
    pub fn open(dir: &Path, passphrase: &str, conninfo: &str, clock: Arc<dyn Clock>) -> Result<Hub, HubError> {
        std::fs::create_dir_all(dir.join("teams")).map_err(files)?;
        throughline_core::store::owner_only(dir, 0o700).map_err(files)?;
        let secret_path = dir.join("hub-secret.json");
        let secret = if secret_path.exists() {
            HubSecret::open(&secret_path, passphrase).map_err(|e| match e {
                SyncError::PassphraseWrong => HubError::HubPassphraseWrong(secret_path.display().to_string()),
                e => e.into(),
            })?
        } else {
            HubSecret::create(&secret_path, passphrase)?
        };
        let mut db = postgres::Client::connect(conninfo, NoTls)?;
        db.batch_execute(schema::SETUP)?;
        Ok(Hub { dir: dir.to_path_buf(), secret, db, conninfo: conninfo.to_string(), clock })
    }

    pub fn database(&mut self) -> &mut postgres::Client {
        &mut self.db
    }

    fn replica_path(&self, team_id: &str) -> PathBuf {
        self.dir.join("teams").join(format!("{}.db", schema::team_schema(team_id)))
    }

    /// Enrols a team from the enrolment file its lead made: the team's replica, filled with all
    /// the file carries, and its figures copied in. Returns the team's name.
    pub fn enrol(&mut self, bytes: &[u8], passphrase: &str, progress: &mut dyn Progress) -> Result<String, HubError> {
        let enrolment = hub::open(bytes, passphrase)?;
        let known: Option<String> =
            self.db.query_opt("SELECT team_name FROM hub.teams WHERE team_id = $1", &[&enrolment.team_id])?.map(|r| r.get(0));
        if let Some(name) = known {
            return Err(HubError::AlreadyEnrolled(enrolment.team_id.clone(), name));
        }
        let path = self.replica_path(&enrolment.team_id);
        if path.exists() {
            // A replica left by an enrolment whose copy into PostgreSQL never finished.
            throughline_core::store::remove_database(&path);
        }
        let snapshot = throughline_core::sync::join::snapshot_of(bytes);
        let replica = Replica::create(&path, &self.secret, self.clock.clone(), &enrolment, snapshot, progress)?;
        let mut tx = self.db.transaction()?;
        tx.execute(
            "INSERT INTO hub.teams (team_id, team_name, schema_name, hub_label, enrolled_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                &enrolment.team_id,
                &enrolment.team_name,
                &schema::team_schema(&enrolment.team_id),
                &enrolment.device_label,
                &self.clock.now(),
            ],
        )?;
        schema::audit(
            &mut tx,
            "enrolled a team",
            &format!("{} ({}), as {}", enrolment.team_name, enrolment.team_id, enrolment.device_label),
        )?;
        tx.commit()?;
        self.copy_team(&replica, &enrolment.team_id, progress)?;
        Ok(enrolment.team_name)
    }

    /// Copies a team's records into PostgreSQL when they are behind its replica, with its
    /// laptops and its continuity target.
    fn copy_team(&mut self, replica: &Replica, team_id: &str, progress: &mut dyn Progress) -> Result<(), HubError> {
        let operations = replica.operations()?;
        let settings = throughline_core::accounts::settings::load(replica.reader()).map_err(SyncError::from)?;
        let laptops = replica.laptops()?;
        let mut tx = self.db.transaction()?;
        tx.execute(
            "UPDATE hub.teams SET continuity_target_percent = $2 WHERE team_id = $1",
            &[&team_id, &(settings.continuity_target_percent as i32)],
        )?;
        for d in &laptops {
            tx.execute(
                "INSERT INTO hub.laptops (team_id, device_id, label, receives_only, revoked_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (team_id, device_id) DO UPDATE SET label = excluded.label, revoked_at = excluded.revoked_at",
                &[&team_id, &d.id, &d.label, &d.receives_only, &d.revoked_at],
            )?;
        }
        tx.commit()?;
        let held: i64 = self.db.query_one("SELECT operations FROM hub.teams WHERE team_id = $1", &[&team_id])?.get(0);
        if held == operations && self.copy_is_whole(team_id)? {
            return Ok(());
        }
        let rows = copy::team(&mut self.db, replica.reader(), team_id, operations, self.clock.now(), &mut |table, n| {
            let _ = progress.step(&format!("Copying the team's records into PostgreSQL ({table})"), n, 0);
        })?;
        let mut tx = self.db.transaction()?;
        schema::audit(&mut tx, "copied a team's records", &format!("team {team_id}: {rows} rows, {operations} changes"))?;
        tx.commit()?;
        Ok(())
    }

    /// Whether a team's copy in PostgreSQL has every table the measures read, and its kept
    /// counts were made by these measures: a hub made by an earlier version may lack a table it
    /// now reads, or count differently, until the team is copied again.
    fn copy_is_whole(&mut self, team_id: &str) -> Result<bool, HubError> {
        let tables: Vec<&str> = schema::tables().collect();
        let row = self.db.query_one(
            "SELECT (SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2)),
                    (SELECT counted_with FROM hub.teams WHERE team_id = $3)",
            &[&schema::team_schema(team_id), &tables, &team_id],
        )?;
        let (found, counted_with): (i64, Option<String>) = (row.get(0), row.get(1));
        Ok(found == tables.len() as i64 && counted_with == Some(schema::counted_with()))
    }

    /// Copies again, from their replicas, the teams whose copy is not whole.
    fn complete_copies(&mut self) -> Result<(), HubError> {
        let teams: Vec<String> = self.db.query("SELECT team_id FROM hub.teams", &[])?.iter().map(|r| r.get(0)).collect();
        for team_id in teams {
            if !self.copy_is_whole(&team_id)? {
                let replica = Replica::open(&self.replica_path(&team_id), &self.secret, &team_id, self.clock.clone())?;
                self.copy_team(&replica, &team_id, &mut throughline_core::store::progress::Unwatched)?;
            }
        }
        Ok(())
    }

    /// Offers one bundle file to the hub: imported into its team (all or nothing, with every
    /// check a laptop makes), or refused with the reason. Either way the hub's log says so.
    pub fn import_file(&mut self, path: &Path, progress: &mut dyn Progress) -> Result<Outcome, HubError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| HubError::Files(format!("{file} could not be read ({e})")))?;
        let hash = hex::encode(Sha256::digest(&bytes));
        let header = bundle::read(&bytes).map(|u| u.header.clone());
        let outcome = match &header {
            Err(e) => Err(e.to_string()),
            Ok(h) => match self.db.query_opt("SELECT team_name FROM hub.teams WHERE team_id = $1", &[&h.team_id])? {
                None => Err(format!(
                    "This bundle is from a team the hub has not enrolled (team {}). Nothing was imported: ask that team's lead for the hub's enrolment file.",
                    h.team_id
                )),
                Some(row) => {
                    let team: String = row.get(0);
                    let mut replica = Replica::open(&self.replica_path(&h.team_id), &self.secret, &h.team_id, self.clock.clone())?;
                    match replica.import(&bytes, progress) {
                        Ok(summary) => {
                            self.copy_team(&replica, &h.team_id, progress)?;
                            Ok((team, summary))
                        }
                        Err(e @ (SyncError::Store(_) | SyncError::Files(_))) => return Err(e.into()),
                        Err(e) => Err(e.to_string()),
                    }
                }
            },
        };
        let now = self.clock.now();
        let team_id = header.as_ref().ok().map(|h| h.team_id.clone());
        let laptop_id = header.as_ref().ok().map(|h| h.device_id.clone());
        let mut tx = self.db.transaction()?;
        let (laptop, exported_at, operations, new_operations, refused) = match &outcome {
            Ok((_, s)) => {
                (Some(s.device_label.clone()), Some(s.exported_at), Some(s.operations as i64), Some(s.new_operations as i64), None)
            }
            Err(reason) => (None, None, None, None, Some(reason.clone())),
        };
        tx.execute(
            "INSERT INTO hub.bundles (bundle_hash, file, team_id, laptop_id, laptop, exported_at, received_at, operations, new_operations, refused)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[&hash, &file, &team_id, &laptop_id, &laptop, &exported_at, &now, &operations, &new_operations, &refused],
        )?;
        let detail = match &outcome {
            Ok((team, s)) if s.already_imported => format!("{file}: already held, for {team}"),
            Ok((team, s)) => format!("{file}: {} new of {} changes, for {team}, from {}", s.new_operations, s.operations, s.device_label),
            Err(reason) => format!("{file}: {reason}"),
        };
        schema::audit(&mut tx, if outcome.is_ok() { "imported a bundle" } else { "refused a bundle" }, &detail)?;
        tx.commit()?;
        Ok(match outcome {
            Ok((team, summary)) => Outcome::Imported { team, summary },
            Err(reason) => Outcome::Refused { reason },
        })
    }

    /// Every bundle file (`*.throughline`) in these folders, in name order.
    pub fn bundles_in(folders: &[PathBuf]) -> Result<Vec<PathBuf>, HubError> {
        let mut out = Vec::new();
        for folder in folders {
            if folder.is_file() {
                out.push(folder.clone());
                continue;
            }
            let entries =
                std::fs::read_dir(folder).map_err(|e| HubError::Files(format!("{} could not be read ({e})", folder.display())))?;
            let mut found: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "throughline")).collect();
            found.sort();
            out.extend(found);
        }
        Ok(out)
    }

    /// The teams, their laptops and when each last sent a bundle here, and bundles refused.
    pub fn status(&mut self) -> Result<Status, HubError> {
        let teams: Vec<(String, String, i64)> = self
            .db
            .query("SELECT team_id, team_name, operations FROM hub.teams ORDER BY team_name", &[])?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let mut out = Vec::new();
        for (team_id, name, operations) in teams {
            let laptops = self
                .db
                .query(
                    "SELECT l.label, l.receives_only, l.revoked_at,
                            (SELECT max(b.received_at) FROM hub.bundles b WHERE b.team_id = l.team_id AND b.laptop_id = l.device_id AND b.refused IS NULL)
                     FROM hub.laptops l WHERE l.team_id = $1 ORDER BY l.receives_only, l.label",
                    &[&team_id],
                )?
                .iter()
                .map(|r| LaptopStatus { label: r.get(0), hub: r.get(1), revoked_at: r.get(2), last_bundle_at: r.get(3) })
                .collect();
            out.push(TeamStatus { team_id, name, operations, laptops });
        }
        let refused = self
            .db
            .query("SELECT file, received_at, refused FROM hub.bundles WHERE refused IS NOT NULL ORDER BY seq DESC LIMIT 50", &[])?
            .iter()
            .map(|r| Refusal { file: r.get(0), received_at: r.get(1), reason: r.get(2) })
            .collect();
        Ok(Status { teams: out, refused })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

impl Hub {
    /// Writes the partnership's report for a period into `out`, and logs it.
    pub fn report(&mut self, period: throughline_core::dashboard::Period, out: &Path) -> Result<report::Written, HubError> {
        self.complete_copies()?;
        let mut other = postgres::Client::connect(&self.conninfo, NoTls)?;
        // The report reads each team more than once (the year, then months): no team's copy is
        // swapped for a newer one until it is written, so every figure is of the same copy.
        self.db.batch_execute(&format!("SELECT pg_advisory_lock_shared({})", copy::SWAP_LOCK))?;
        let written = report::write(&mut self.db, &mut other, period, self.clock.now(), out);
        let unlocked = self.db.batch_execute(&format!("SELECT pg_advisory_unlock_shared({})", copy::SWAP_LOCK));
        let written = written?;
        unlocked?;
        let mut tx = self.db.transaction()?;
        let detail = format!("{}, to {}", throughline_core::dashboard::returns::period_words(period), written.html.display());
        schema::audit(&mut tx, "wrote the partnership report", &detail)?;
        tx.commit()?;
        Ok(written)
    }
}
