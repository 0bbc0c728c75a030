//! A throwaway PostgreSQL cluster in a folder, for the hub's tests and `make hub-demo`: Debian's
//! own PostgreSQL (the `postgresql` package), listening only on a socket in that folder, run as
//! the unprivileged `postgres` user when we are root (PostgreSQL refuses to run as root).
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("PostgreSQL is not installed here (no initdb under /usr/lib/postgresql): run scripts/install-deps.sh --hub")]
    NotInstalled,
    #[error("PostgreSQL could not be started: {0}")]
    Failed(String),
}

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

/// The newest PostgreSQL installed the Debian way.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

impl Cluster {
    /// Makes a cluster in `dir` (a new folder, or one it made before) and starts it.
    pub fn start(dir: &Path) -> Result<Cluster, ClusterError> {
        let bin = bin_dir().ok_or(ClusterError::NotInstalled)?;
        std::fs::create_dir_all(dir).map_err(|e| ClusterError::Failed(e.to_string()))?;
        let dir = dir.canonicalize().map_err(|e| ClusterError::Failed(e.to_string()))?;
        let cluster = Cluster { dir, bin, as_postgres: is_root() };
        if cluster.as_postgres {
            cluster.run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&cluster.dir))?;
        }
        let data = cluster.dir.join("data");
        if !data.join("PG_VERSION").exists() {
            let mut initdb = cluster.command("initdb");
            initdb.arg("-D").arg(&data).args(["-A", "trust", "-U", "hub", "-E", "UTF8", "--locale=C", "--no-sync"]);
            cluster.run(&mut initdb)?;
        }
        let options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            cluster.dir.display()
        );
        let mut start = cluster.command("pg_ctl");
        start.arg("-D").arg(&data).arg("-l").arg(cluster.dir.join("postgres.log")).args(["-w", "-o", &options, "start"]);
        cluster.run(&mut start)?;
        let mut client =
            postgres::Client::connect(&cluster.conninfo("postgres"), postgres::NoTls).map_err(|e| ClusterError::Failed(e.to_string()))?;
        let exists = client
            .query_opt("SELECT 1 FROM pg_database WHERE datname = 'hub'", &[])
            .map_err(|e| ClusterError::Failed(e.to_string()))?
            .is_some();
        if !exists {
            client.batch_execute("CREATE DATABASE hub").map_err(|e| ClusterError::Failed(e.to_string()))?;
        }
        Ok(cluster)
    }

    /// How to reach the cluster's `database` (as the hub's `--database` takes it).
    pub fn conninfo(&self, database: &str) -> String {
        format!("host={} user=hub dbname={database}", self.dir.display())
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn run(&self, command: &mut Command) -> Result<(), ClusterError> {
        let out = command.output().map_err(|e| ClusterError::Failed(e.to_string()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(ClusterError::Failed(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))))
        }
    }

    /// Stops the cluster (it is stopped when dropped too).
    pub fn stop(&self) {
        let mut stop = self.command("pg_ctl");
        stop.arg("-D").arg(self.dir.join("data")).args(["-w", "-m", "fast", "stop"]);
        let _ = self.run(&mut stop);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}
