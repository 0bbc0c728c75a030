//! Registering a new client, with every field checked at once.
use super::{nhs, pnc, Client, ClientError, ClientStatus, Sex};
use crate::dates;
use crate::error::{FieldError, Problems, ValidationErrors};
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, Datelike, Utc};
use rusqlite::OptionalExtension;
use serde::Deserialize;
use ts_rs::TS;

/// What a worker types on the registration form.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct NewClient {
    pub surname: String,
    pub forenames: String,
    /// As typed: "03/03/1987" or "1987-03-03".
    pub date_of_birth: String,
    /// "female", "male" or "not_known"; empty when not chosen.
    pub sex: String,
    pub pnc: String,
    pub nhs_number: String,
}

const OLDEST_AGE: i32 = 110;

/// Checks the form and returns the client to save, or every problem found.
pub fn validate(input: &NewClient, now: DateTime<Utc>) -> Result<Client, ValidationErrors> {
    let mut problems = Problems::default();

    let surname = problems.check(text::required("surname", "Surname", &input.surname, 100));
    let forenames = problems.check(text::required("forenames", "Forenames", &input.forenames, 100));
    let date_of_birth = problems.check(date_of_birth(&input.date_of_birth, now));
    let sex = problems.check(match input.sex.as_str() {
        "female" => Ok(Sex::Female),
        "male" => Ok(Sex::Male),
        "not_known" => Ok(Sex::NotKnown),
        _ => Err(FieldError::new("sex", "validation.required", "Choose the person's sex, or 'Not known'.")),
    });
    let pnc = problems.check(match input.pnc.trim() {
        "" => Ok(None),
        typed => pnc::parse(typed, pnc::this_year(now)).map(Some).map_err(|p| match p {
            pnc::PncProblem::Format => FieldError::new(
                "pnc",
                "validation.pnc_format",
                "Enter the PNC id like 2019/0012345B or 19/12345B: year, slash, serial number, check letter.",
            ),
            pnc::PncProblem::CheckLetter { expected } => FieldError::new(
                "pnc",
                "validation.pnc_check_letter",
                format!("The check letter of this PNC id is wrong: for that year and serial it should be {expected}. Check the id against the custody record."),
            ),
        }),
    });
    let nhs_number = problems.check(match input.nhs_number.trim() {
        "" => Ok(None),
        typed => nhs::parse(typed).map(Some).map_err(|p| match p {
            nhs::NhsProblem::Format => FieldError::new("nhs_number", "validation.nhs_format", "Enter the NHS number as 10 digits, like 943 476 5919."),
            nhs::NhsProblem::CheckDigit => FieldError::new(
                "nhs_number",
                "validation.nhs_check_digit",
                "This is not a valid NHS number: its last digit does not match. Check each digit.",
            ),
        }),
    });

    match (surname, forenames, date_of_birth, sex, pnc, nhs_number) {
        (Some(surname), Some(forenames), Some(date_of_birth), Some(sex), Some(pnc), Some(nhs_number)) if problems.is_empty() => Ok(Client {
            id: String::new(),
            surname,
            forenames,
            date_of_birth,
            sex,
            pnc,
            nhs_number,
            status: ClientStatus::Active,
            allocated_worker_id: None,
            created_at: now,
            created_by: String::new(),
        }),
        _ => Err(problems.into_error()),
    }
}

fn date_of_birth(typed: &str, now: DateTime<Utc>) -> Result<chrono::NaiveDate, FieldError> {
    if typed.trim().is_empty() {
        return Err(FieldError::new("date_of_birth", "validation.required", "Enter the date of birth."));
    }
    let dob = dates::parse(typed).ok_or_else(|| {
        FieldError::new("date_of_birth", "validation.date_format", "Enter the date of birth as day/month/year, like 03/03/1987.")
    })?;
    let today = dates::today(now);
    if dob > today {
        return Err(FieldError::new("date_of_birth", "validation.dob_future", "Date of birth must be today or in the past."));
    }
    if today.year() - dob.year() > OLDEST_AGE {
        return Err(FieldError::new(
            "date_of_birth",
            "validation.dob_too_old",
            format!("Date of birth cannot be more than {OLDEST_AGE} years ago. Check the year."),
        ));
    }
    Ok(dob)
}

/// Registers a client and makes them the registering worker's to follow up.
pub fn register(store: &mut Store, actor: &Actor, input: &NewClient) -> Result<Client, ClientError> {
    let mut client = validate(input, store.clock().now())?;
    client.id = crate::ids::new_id(store.clock());
    client.created_by = actor.worker_id.clone();
    client.allocated_worker_id = Some(actor.worker_id.clone());
    store.write(actor, |w| {
        refuse_known_identifier(w.reader(), "pnc", "PNC id", client.pnc.as_deref())?;
        refuse_known_identifier(w.reader(), "nhs_number", "NHS number", client.nhs_number.as_deref())?;
        w.create(&client)?;
        Ok::<_, ClientError>(())
    })?;
    Ok(client)
}

/// A PNC id or NHS number belongs to one person: a second registration would split them.
fn refuse_known_identifier(conn: &rusqlite::Connection, column: &str, label: &str, value: Option<&str>) -> Result<(), ClientError> {
    let Some(value) = value else { return Ok(()) };
    let sql = format!("SELECT surname, forenames, date_of_birth FROM clients WHERE {column} = ?1");
    let existing: Option<(String, String, chrono::NaiveDate)> =
        conn.query_row(&sql, [value], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    match existing {
        None => Ok(()),
        Some((surname, forenames, dob)) => Err(ValidationErrors::one(
            column,
            &format!("validation.{column}_known"),
            format!(
                "This {label} is already registered to {forenames} {surname} (born {}). Search for them instead of registering again.",
                dates::display(dob)
            ),
        )
        .into()),
    }
}
