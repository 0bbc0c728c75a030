//! What the scenario tests share: a team set up on a new laptop with a fixed clock, its first
//! team lead signed in. Each test file adds the helpers its own stage needs.
#![allow(dead_code)]
use std::sync::Arc;
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::accounts::{Installation, Session};
use throughline_core::clients::{self, NewClient};
use throughline_core::clock::{Clock, FixedClock};
use throughline_core::testing;

pub struct Team {
    pub _dir: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
    pub lead: Session,
    pub settings: TeamSettings,
}

pub fn team_at(now: &str) -> Team {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(now));
    let lead = testing::set_up_team(&Installation::new(dir.path(), clock.clone()));
    Team { _dir: dir, clock, lead, settings: TeamSettings::default() }
}

impl Team {
    /// John Smith, born 3 March 1987, PNC 2019/0012345 with its check letter.
    pub fn register(&mut self) -> String {
        let actor = self.lead.actor();
        let input = NewClient {
            surname: "Smith".into(),
            forenames: "John".into(),
            date_of_birth: "03/03/1987".into(),
            sex: "male".into(),
            pnc: john_smith_pnc(),
            ..Default::default()
        };
        clients::register(self.lead.store_mut(), &actor, &input).unwrap().id
    }

    /// Someone born on 14 June 1990, registered by the team lead.
    pub fn register_named(&mut self, surname: &str, forenames: &str) -> String {
        register_named(&mut self.lead, surname, forenames)
    }

    /// Moves the fixed clock on to `rfc3339`.
    /// How many times `action` is in the audit trail for this client.
    pub fn audited(&self, action: &str, client: &str) -> i64 {
        let conn = self.lead.store().reader();
        conn.query_row("SELECT count(*) FROM audit_log WHERE action = ?1 AND client_id = ?2", [action, client], |r| r.get(0)).unwrap()
    }

    pub fn set_clock(&self, rfc3339: &str) {
        let to = chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&chrono::Utc);
        self.clock.advance(to - self.clock.now());
    }
}

/// Someone born on 14 June 1990, registered by the worker signed in to `session`.
pub fn register_named(session: &mut Session, surname: &str, forenames: &str) -> String {
    let actor = session.actor();
    let input = NewClient {
        surname: surname.into(),
        forenames: forenames.into(),
        date_of_birth: "14/06/1990".into(),
        sex: "female".into(),
        ..Default::default()
    };
    clients::register(session.store_mut(), &actor, &input).unwrap().id
}

/// John Smith's PNC id, in its long form.
pub fn john_smith_pnc() -> String {
    format!("2019/0012345{}", clients::pnc::check_letter(19, 12345))
}

/// Monday 23 November 2026, 09:00 (GMT).
pub fn team() -> Team {
    team_at("2026-11-23T09:00:00Z")
}

/// Every page of a database file and of its write-ahead log, decrypted as SQLCipher 4 wrote
/// them (4096-byte pages, each AES-256-CBC with its IV in an 80-byte reserved tail; the first
/// page begins with a 16-byte salt): free pages and unused space included, as a thief with the
/// key would read them.
pub fn decrypted_pages(database: &std::path::Path, key: &[u8; 32]) -> Vec<u8> {
    use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
    const PAGE: usize = 4096;
    const RESERVE: usize = 80;
    let decrypt = |page: &[u8], first: bool, out: &mut Vec<u8>| {
        let iv = &page[PAGE - RESERVE..PAGE - RESERVE + 16];
        let mut data = page[if first { 16 } else { 0 }..PAGE - RESERVE].to_vec();
        cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into()).decrypt_padded_mut::<NoPadding>(&mut data).unwrap();
        out.extend_from_slice(&data);
    };
    let mut out = Vec::new();
    let file = std::fs::read(database).unwrap();
    for (i, page) in file.chunks_exact(PAGE).enumerate() {
        decrypt(page, i == 0, &mut out);
    }
    // The log: a 32-byte header, then frames of a 24-byte header and a page.
    let wal = std::fs::read(database.with_extension("db-wal")).unwrap_or_default();
    for frame in wal.get(32..).unwrap_or_default().chunks_exact(24 + PAGE) {
        let page_number = u32::from_be_bytes(frame[..4].try_into().unwrap());
        decrypt(&frame[24..], page_number == 1, &mut out);
    }
    out
}

/// Whether `text` occurs in `bytes`, as UTF-8.
pub fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}
