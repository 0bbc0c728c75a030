//! Realistic synthetic data, reproducible from a seed: the demo installation for `make run`,
//! the benchmarks and the duplicate-finding tests. Names, PNC ids and NHS numbers are
//! invented but valid; a few percent of people are registered twice, the way it happens in
//! custody (a spelling, names swapped round, another laptop), and the pairs are known.
mod drr;
pub mod names;
pub mod pathway;
mod prison;
mod seeded;
mod sync;

pub use sync::sync_week;

use crate::accounts::roles::Role;
use crate::accounts::workers::NewWorker;
use crate::accounts::{AccountError, Installation, SetUpInput};
use crate::clients::aliases::Alias;
use crate::clients::consent::Consent;
use crate::clients::reference::{ETHNICITIES, SUBSTANCES};
use crate::clients::{pnc, Client, ClientStatus, Sex};
use crate::clock::Clock;
use crate::store::record::Made;
use crate::store::{Actor, Store, StoreError};
use chrono::{DateTime, Datelike, Duration, Months, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::sync::Arc;

/// The password of every demo account (README lists the accounts).
pub const DEMO_PASSWORD: &str = "demo-lantern-harbour";

/// (sign-in name, full name, roles) of the demo team.
pub const DEMO_WORKERS: &[(&str, &str, &[Role])] = &[
    ("custody", "Dan Kowalski", &[Role::Custody]),
    ("court", "Grace Okafor", &[Role::Court]),
    ("community", "Tom Evans", &[Role::Community]),
    ("prison", "Siobhan Reilly", &[Role::PrisonLink]),
    ("lead", "Priya Shah", &[Role::TeamLead, Role::Custody, Role::Court]),
];

pub const DEMO_ADMIN: (&str, &str) = ("admin", "Chris Hall");

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the demo's sync week could not be made: {0}")]
    Sync(String),
}

/// A valid PNC id for someone first arrested in `year`.
pub fn pnc_id(rng: &mut impl Rng, year: i32) -> String {
    let serial: u32 = rng.gen_range(1..10_000_000);
    format!("{year}/{serial:07}{}", pnc::check_letter((year % 100) as u32, serial))
}

/// A valid NHS number (skipping the serials whose check digit would be 10).
pub fn nhs_number(rng: &mut impl Rng) -> String {
    loop {
        let digits: Vec<u32> = (0..9).map(|i| if i == 0 { rng.gen_range(4..=6) } else { rng.gen_range(0..10) }).collect();
        let sum: u32 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => continue,
            c => c,
        };
        return digits.iter().chain(std::iter::once(&check)).map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect();
    }
}

fn pick<'a>(rng: &mut impl Rng, list: &'a [&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

const POSTCODE_AREAS: &[&str] = &["LS", "BD", "WF", "HX", "HD", "M", "OL", "BL", "SK", "WN", "CF", "NP", "SA", "S", "L"];

fn postcode(rng: &mut impl Rng) -> String {
    let letters = b"ABDEFGHJLNPQRSTUWXYZ";
    format!(
        "{}{} {}{}{}",
        pick(rng, POSTCODE_AREAS),
        rng.gen_range(1..30),
        rng.gen_range(0..10),
        letters[rng.gen_range(0..letters.len())] as char,
        letters[rng.gen_range(0..letters.len())] as char
    )
}

/// One invented person, registered by `worker`.
pub fn person(rng: &mut impl Rng, now: DateTime<Utc>, id: String, worker: &str) -> Client {
    let today = crate::dates::today(now);
    let female = rng.gen_bool(0.27);
    let forenames = if female { names::FEMALE_FORENAMES } else { names::MALE_FORENAMES };
    let dob = today - Duration::days(rng.gen_range(18 * 365..65 * 365));
    let first_arrest = (dob.year() + rng.gen_range(15..25)).min(today.year());
    let nfa = rng.gen_bool(0.12);
    let primary = pick(rng, &["heroin", "heroin", "heroin", "crack", "crack", "cocaine", "alcohol", "cannabis", "benzodiazepines"]);
    let mut c = Client {
        id,
        surname: pick(rng, names::SURNAMES).to_string(),
        forenames: pick(rng, forenames).to_string(),
        date_of_birth: dob,
        sex: if female { Sex::Female } else { Sex::Male },
        gender_identity: None,
        ethnicity: Some(ETHNICITIES[rng.gen_range(0..ETHNICITIES.len())].value.to_string()),
        no_fixed_abode: nfa,
        address: (!nfa).then(|| {
            format!("{} {} Street", rng.gen_range(1..200), pick(rng, &["Victoria", "Albert", "Church", "Station", "Mill", "Park"]))
        }),
        postcode: (!nfa).then(|| postcode(rng)),
        gp: rng.gen_bool(0.6).then(|| format!("{} Medical Practice", pick(rng, &["Park Lane", "Chapeltown", "Riverside", "Hillside"]))),
        phone: rng.gen_bool(0.5).then(|| format!("07700 9{:05}", rng.gen_range(0..100_000))),
        pnc: rng.gen_bool(0.92).then(|| pnc_id(rng, first_arrest)),
        nhs_number: rng.gen_bool(0.7).then(|| nhs_number(rng)),
        prison_number: None,
        primary_substance: Some(primary.to_string()),
        secondary_substance: rng
            .gen_bool(0.5)
            .then(|| SUBSTANCES[rng.gen_range(0..SUBSTANCES.len())].value.to_string())
            .filter(|s| s != primary),
        injecting_status: Some(pick(rng, &["never", "previously", "currently", "not_known"]).to_string()),
        risk_notes: None,
        allocated_worker_id: Some(worker.to_string()),
        status: if rng.gen_bool(0.85) { ClientStatus::Active } else { ClientStatus::Closed },
        closed_reason: None,
        closed_at: None,
        merged_into: None,
        anonymised_at: None,
        made: Made { created_at: now - Duration::days(rng.gen_range(0..3650)), created_by: worker.to_string() },
    };
    if c.status == ClientStatus::Closed {
        c.closed_reason = Some(pick(rng, &["treatment_completed", "transferred", "moved_away", "disengaged"]).to_string());
        // Closed within two years of coming onto the caseload: the oldest are past the
        // retention period and wait for a team lead's review. (Taken from the registration
        // time, not the generator, so the rest of the demo stays as it was.)
        let months_open = 1 + c.made.created_at.timestamp().rem_euclid(24);
        c.closed_at = Some((c.made.created_at + Duration::days(30 * months_open)).min(now - Duration::days(1)));
    }
    c
}

/// Spellings the same person is given by different custody records.
const SPELLINGS: &[(&str, &str)] = &[
    ("Smith", "Smyth"),
    ("Mohammed", "Muhammad"),
    ("Muhammad", "Mohammad"),
    ("O'Brien", "OBrien"),
    ("O'Connor", "OConnor"),
    ("Thompson", "Thomson"),
    ("Clarke", "Clark"),
    ("Davies", "Davis"),
    ("Hussain", "Hussein"),
    ("Ahmed", "Ahmad"),
    ("Sean", "Shaun"),
    ("Rhys", "Reece"),
    ("Stacey", "Stacy"),
    ("Jade", "Jayde"),
    ("Wiśniewski", "Wisniewski"),
    ("Kowalski", "Kowalsky"),
    ("Lee", "Leigh"),
    ("Siobhan", "Shivaun"),
    ("Connors", "Connor"),
    ("McDonagh", "MacDonagh"),
    ("Nowak", "Novak"),
];

fn respelt(name: &str) -> Option<String> {
    SPELLINGS.iter().find_map(|(a, b)| (*a == name).then(|| b.to_string()).or_else(|| (*b == name).then(|| a.to_string())))
}

/// How a planted duplicate differs from the original.
fn duplicate_of(rng: &mut impl Rng, original: &Client, id: String, worker: &str) -> Option<Client> {
    let mut twin = Client {
        id,
        allocated_worker_id: Some(worker.into()),
        made: Made { created_by: worker.into(), ..original.made.clone() },
        status: ClientStatus::Active,
        closed_reason: None,
        closed_at: None,
        ..original.clone()
    };
    twin.pnc = None;
    twin.nhs_number = None;
    match rng.gen_range(0..4) {
        // Same PNC id from another laptop, forenames typed differently.
        0 if original.pnc.is_some() => {
            twin.pnc = original.pnc.clone();
            twin.forenames = respelt(&original.forenames).unwrap_or_else(|| original.forenames.to_uppercase());
        }
        // Forenames and surname swapped round on the custody record.
        1 => std::mem::swap(&mut twin.surname, &mut twin.forenames),
        // A spelling of the surname or the forename.
        _ => match (respelt(&original.surname), respelt(&original.forenames)) {
            (Some(s), _) => twin.surname = s,
            (None, Some(f)) => twin.forenames = f,
            (None, None) => return None,
        },
    }
    Some(twin)
}

/// A register of `count` people (duplicates included) with the indices of the planted pairs.
pub struct Population {
    pub clients: Vec<Client>,
    pub aliases: Vec<Alias>,
    pub consents: Vec<Consent>,
    pub planted_duplicates: Vec<(usize, usize)>,
}

pub fn population(seed: u64, count: usize, now: DateTime<Utc>, workers: &[String]) -> Population {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut ids = IdMaker::new(seed, now);
    let mut clients: Vec<Client> = Vec::with_capacity(count);
    let mut planted = Vec::new();
    while clients.len() < count {
        let worker = workers.choose(&mut rng).map_or("", String::as_str);
        // About 3% are a second record of someone already registered.
        if clients.len() > 10 && rng.gen_bool(0.03) {
            let i = rng.gen_range(0..clients.len());
            let already = planted.iter().any(|(a, b)| *a == i || *b == i);
            if !already && clients[i].merged_into.is_none() {
                if let Some(twin) = duplicate_of(&mut rng, &clients[i], ids.next(), worker) {
                    planted.push((i, clients.len()));
                    clients.push(twin);
                    continue;
                }
            }
        }
        clients.push(person(&mut rng, now, ids.next(), worker));
    }
    let today = crate::dates::today(now);
    let mut aliases = Vec::new();
    let mut consents = Vec::new();
    for c in &clients {
        if rng.gen_bool(0.08) {
            let (surname, forenames) = if rng.gen_bool(0.5) {
                (pick(&mut rng, names::SURNAMES).to_string(), c.forenames.clone())
            } else {
                (String::new(), pick(&mut rng, &["Smudge", "Tattoo", "Scouse", "Ginger", "Mo", "Danny Boy"]).to_string())
            };
            aliases.push(Alias {
                id: ids.next(),
                client_id: c.id.clone(),
                surname,
                forenames,
                source: "alias".into(),
                merge_id: None,
                removed_at: None,
                removed_by: None,
                made: Made { created_at: c.made.created_at, created_by: c.made.created_by.clone() },
            });
        }
        // Most people have a current consent to share; a few lapsed past their review date.
        if rng.gen_bool(0.95) {
            let given_on = (today - Duration::days(if rng.gen_bool(0.95) { rng.gen_range(0..330) } else { rng.gen_range(366..500) }))
                .max(crate::dates::today(c.made.created_at));
            consents.push(Consent {
                id: ids.next(),
                client_id: c.id.clone(),
                given_on,
                scope: "Police, probation, courts, prison healthcare and the treatment provider".into(),
                review_on: given_on.checked_add_months(Months::new(12)).unwrap_or(given_on),
                withdrawn_on: None,
                made: Made { created_at: c.made.created_at, created_by: c.made.created_by.clone() },
            });
        }
    }
    Population { clients, aliases, consents, planted_duplicates: planted }
}

/// UUIDv7-shaped ids from the seed, so a seed always gives the same register.
struct IdMaker {
    rng: StdRng,
    millis: u64,
}

impl IdMaker {
    fn new(seed: u64, now: DateTime<Utc>) -> Self {
        IdMaker { rng: StdRng::seed_from_u64(seed ^ 0x5EED), millis: now.timestamp_millis() as u64 }
    }

    fn next(&mut self) -> String {
        self.millis += 1;
        let random: u128 = self.rng.gen();
        let bits = (u128::from(self.millis) << 80) | (random & ((1u128 << 80) - 1));
        uuid::Builder::from_u128(bits).with_version(uuid::Version::SortRand).with_variant(uuid::Variant::RFC4122).into_uuid().to_string()
    }
}

/// Writes a population through the one write path, in large transactions.
pub fn insert(store: &mut Store, actor: &Actor, pop: &Population) -> Result<(), StoreError> {
    store.in_bulk(|store| {
        for chunk in pop.clients.chunks(5_000) {
            store.write(actor, |w| chunk.iter().try_for_each(|c| w.create_past(c)))?;
        }
        store.write(actor, |w| {
            pop.aliases.iter().try_for_each(|a| w.create_past(a))?;
            pop.consents.iter().try_for_each(|c| w.create_past(c))
        })
    })
}

/// Sets up a demo team in `dir` with the workers above and a register of `clients` people.
pub fn create_installation(dir: &std::path::Path, clock: Arc<dyn Clock>, seed: u64, clients: usize) -> Result<(), DemoError> {
    create_team(dir, clock, seed, clients, clients)
}

/// As [`create_installation`], with pathway history for only the first `with_history` people:
/// a large register is quick to make this way, and its whole-case flags (no consent, no recent
/// contact) make the Team flags screen as long to work out as a district's.
pub fn create_team(dir: &std::path::Path, clock: Arc<dyn Clock>, seed: u64, clients: usize, with_history: usize) -> Result<(), DemoError> {
    create_named_team(dir, clock, "Westbridge Criminal Justice Drug Team", seed, clients, with_history)
}

/// As [`create_team`], for a team of another name (a partnership's districts).
pub fn create_named_team(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    team_name: &str,
    seed: u64,
    clients: usize,
    with_history: usize,
) -> Result<(), DemoError> {
    let installation = Installation::new(dir, clock.clone());
    let (mut admin, _recovery) = installation.set_up(&SetUpInput {
        team_name: team_name.into(),
        display_name: DEMO_ADMIN.1.into(),
        login: DEMO_ADMIN.0.into(),
        password: DEMO_PASSWORD.into(),
    })?;
    let mut team = Vec::new();
    for (login, name, roles) in DEMO_WORKERS {
        let view = admin.add_worker(&NewWorker {
            display_name: (*name).into(),
            login: (*login).into(),
            roles: roles.to_vec(),
            password: DEMO_PASSWORD.into(),
        })?;
        team.push(view.id);
    }
    let pop = population(seed, clients, clock.now(), &team);
    let actor = admin.actor();
    insert(admin.store_mut(), &actor, &pop)?;
    let history = &pop.clients[..with_history.min(pop.clients.len())];
    pathway::pathway(admin.store_mut(), &actor, seed, history, &team, clock.now())?;
    admin.store().refresh_statistics()?;
    Ok(())
}
