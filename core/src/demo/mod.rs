//! Realistic synthetic data, reproducible from a seed: the demo installation for `make run`
//! and, later, the benchmarks. Names, PNC ids and NHS numbers are invented but valid.
mod names;

use crate::accounts::roles::Role;
use crate::accounts::workers::NewWorker;
use crate::accounts::{AccountError, Installation, SetUpInput};
use crate::clients::{self, pnc, ClientError, NewClient};
use crate::clock::Clock;
use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;

/// The password of every demo account (README lists the accounts).
pub const DEMO_PASSWORD: &str = "demo-password";

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
    Client(#[from] ClientError),
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

/// One invented person, as the registration form would receive them.
pub fn person(rng: &mut impl Rng, today: NaiveDate) -> NewClient {
    let female = rng.gen_bool(0.3);
    let forenames = if female { names::FEMALE_FORENAMES } else { names::MALE_FORENAMES };
    let age_days = rng.gen_range(18 * 365..65 * 365);
    let dob = today - Duration::days(age_days);
    let first_arrest = (dob.year() + rng.gen_range(15..25)).min(today.year());
    NewClient {
        surname: names::SURNAMES[rng.gen_range(0..names::SURNAMES.len())].to_string(),
        forenames: forenames[rng.gen_range(0..forenames.len())].to_string(),
        date_of_birth: dob.format("%d/%m/%Y").to_string(),
        sex: if female { "female" } else { "male" }.to_string(),
        pnc: if rng.gen_bool(0.9) { pnc_id(rng, first_arrest) } else { String::new() },
        nhs_number: if rng.gen_bool(0.7) { nhs_number(rng) } else { String::new() },
    }
}

/// Sets up a demo team in `dir` with the workers above and `clients` people, each allocated
/// to one of the casework workers.
pub fn create_installation(dir: &std::path::Path, clock: Arc<dyn Clock>, seed: u64, clients: usize) -> Result<(), DemoError> {
    let installation = Installation::new(dir, clock.clone());
    let (mut admin, _recovery) = installation.set_up(&SetUpInput {
        team_name: "Westbridge Criminal Justice Drug Team".into(),
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
        team.push(crate::store::Actor { worker_id: view.id, name: view.display_name });
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let today = crate::dates::today(clock.now());
    let mut made = 0;
    while made < clients {
        let input = person(&mut rng, today);
        let worker = &team[rng.gen_range(0..team.len())];
        match clients::register(admin.store_mut(), worker, &input) {
            Ok(_) => made += 1,
            // Invented identifiers can collide; the register rightly refuses a second owner.
            Err(ClientError::Invalid(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
