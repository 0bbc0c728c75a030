//! Registering a client and changing their details, with every field checked at once.
use super::reference::{self, CLOSE_REASONS, ETHNICITIES, INJECTING, SUBSTANCES};
use super::{nhs, pnc, require, Client, ClientError, ClientStatus, Sex};
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{FieldError, Problems, ValidationErrors};
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, Datelike, Utc};
use rusqlite::OptionalExtension;
use serde::Deserialize;
use ts_rs::TS;

/// What a worker types on the registration or edit form. Every field is text as typed;
/// fields left out count as empty.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewClient {
    pub surname: String,
    pub forenames: String,
    /// As typed: "03/03/1987" or "1987-03-03".
    pub date_of_birth: String,
    /// "female", "male" or "not_known"; empty when not chosen.
    pub sex: String,
    pub gender_identity: String,
    pub ethnicity: String,
    pub no_fixed_abode: bool,
    pub address: String,
    pub postcode: String,
    pub gp: String,
    pub phone: String,
    pub pnc: String,
    pub nhs_number: String,
    pub prison_number: String,
    pub primary_substance: String,
    pub secondary_substance: String,
    pub injecting_status: String,
    pub risk_notes: String,
}

const OLDEST_AGE: i32 = 110;

fn choice(field: &str, list: &[reference::Choice], value: &str, what: &str) -> Result<Option<String>, FieldError> {
    match value.trim() {
        "" => Ok(None),
        v if reference::is_in(list, v) => Ok(Some(v.to_string())),
        _ => Err(FieldError::new(field, ErrorCode::ValidationNotInList, format!("Choose {what} from the list."))),
    }
}

/// Checks the form and returns the client's details, or every problem found.
pub fn validate(input: &NewClient, now: DateTime<Utc>) -> Result<Client, ValidationErrors> {
    let mut p = Problems::default();
    let surname = p.check(text::required_name("surname", "Surname", &input.surname, 100));
    let forenames = p.check(text::required_name("forenames", "Forenames", &input.forenames, 100));
    let date_of_birth = p.check(date_of_birth(&input.date_of_birth, now));
    let sex = p.check(match input.sex.as_str() {
        "female" => Ok(Sex::Female),
        "male" => Ok(Sex::Male),
        "not_known" => Ok(Sex::NotKnown),
        _ => Err(FieldError::new("sex", ErrorCode::ValidationRequired, "Choose the person's sex, or 'Not known'.")),
    });
    let pnc = p.check(pnc_id(&input.pnc, now));
    let nhs_number = p.check(nhs_number(&input.nhs_number));
    let gender_identity = p.check(text::optional("gender_identity", "Gender identity", &input.gender_identity, 50));
    let ethnicity = p.check(choice("ethnicity", ETHNICITIES, &input.ethnicity, "an ethnic group"));
    let address = p.check(text::optional("address", "Address", &input.address, 300));
    let postcode = p.check(postcode(&input.postcode));
    let gp = p.check(text::optional("gp", "GP", &input.gp, 200));
    let phone = p.check(phone(&input.phone));
    let prison_number = p.check(prison_number(&input.prison_number));
    let primary_substance = p.check(choice("primary_substance", SUBSTANCES, &input.primary_substance, "a substance"));
    let secondary_substance = p.check(choice("secondary_substance", SUBSTANCES, &input.secondary_substance, "a substance"));
    let injecting_status = p.check(choice("injecting_status", INJECTING, &input.injecting_status, "an injecting status"));
    let risk_notes = p.check(text::optional_multiline("risk_notes", "Risk notes", &input.risk_notes, 2000));

    let (Some(surname), Some(forenames), Some(date_of_birth), Some(sex), Some(pnc), Some(nhs_number)) =
        (surname, forenames, date_of_birth, sex, pnc, nhs_number)
    else {
        return Err(p.into_error());
    };
    let (
        Some(gender_identity),
        Some(ethnicity),
        Some(address),
        Some(postcode),
        Some(gp),
        Some(phone),
        Some(prison_number),
        Some(primary_substance),
        Some(secondary_substance),
        Some(injecting_status),
        Some(risk_notes),
    ) = (
        gender_identity,
        ethnicity,
        address,
        postcode,
        gp,
        phone,
        prison_number,
        primary_substance,
        secondary_substance,
        injecting_status,
        risk_notes,
    )
    else {
        return Err(p.into_error());
    };
    if !p.is_empty() {
        return Err(p.into_error());
    }
    Ok(Client {
        id: String::new(),
        surname,
        forenames,
        date_of_birth,
        sex,
        gender_identity,
        ethnicity,
        no_fixed_abode: input.no_fixed_abode,
        address,
        postcode,
        gp,
        phone,
        pnc,
        nhs_number,
        prison_number,
        primary_substance,
        secondary_substance,
        injecting_status,
        risk_notes,
        allocated_worker_id: None,
        status: ClientStatus::Active,
        closed_reason: None,
        closed_at: None,
        merged_into: None,
        anonymised_at: None,
        made: Made::on_write(),
    })
}

fn date_of_birth(typed: &str, now: DateTime<Utc>) -> Result<chrono::NaiveDate, FieldError> {
    if typed.trim().is_empty() {
        return Err(FieldError::new("date_of_birth", ErrorCode::ValidationRequired, "Enter the date of birth."));
    }
    let dob = dates::parse(typed).ok_or_else(|| {
        FieldError::new("date_of_birth", ErrorCode::ValidationDateFormat, "Enter the date of birth as day/month/year, like 03/03/1987.")
    })?;
    let today = dates::today(now);
    if dob > today {
        return Err(FieldError::new("date_of_birth", ErrorCode::ValidationDobFuture, "Date of birth must be today or in the past."));
    }
    if today.year() - dob.year() > OLDEST_AGE {
        return Err(FieldError::new(
            "date_of_birth",
            ErrorCode::ValidationDobTooOld,
            format!("Date of birth cannot be more than {OLDEST_AGE} years ago. Check the year."),
        ));
    }
    Ok(dob)
}

fn pnc_id(typed: &str, now: DateTime<Utc>) -> Result<Option<String>, FieldError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    pnc::parse(typed, pnc::this_year(now)).map(Some).map_err(|p| match p {
        pnc::PncProblem::Format => FieldError::new(
            "pnc",
            ErrorCode::ValidationPncFormat,
            "Enter the PNC id like 2019/0012345B or 19/12345B: year, slash, serial number, check letter.",
        ),
        pnc::PncProblem::CheckLetter { expected } => FieldError::new(
            "pnc",
            ErrorCode::ValidationPncCheckLetter,
            format!("The check letter of this PNC id is wrong: for that year and serial it should be {expected}. Check the id against the custody record."),
        ),
    })
}

fn nhs_number(typed: &str) -> Result<Option<String>, FieldError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    nhs::parse(typed).map(Some).map_err(|p| match p {
        nhs::NhsProblem::Format => {
            FieldError::new("nhs_number", ErrorCode::ValidationNhsFormat, "Enter the NHS number as 10 digits, like 943 476 5919.")
        }
        nhs::NhsProblem::CheckDigit => FieldError::new(
            "nhs_number",
            ErrorCode::ValidationNhsCheckDigit,
            "This is not a valid NHS number: its last digit does not match. Check each digit.",
        ),
    })
}

/// UK postcodes: outward code (area, district) and inward code (sector, unit), e.g. "LS1 4AB".
fn postcode(typed: &str) -> Result<Option<String>, FieldError> {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if compact.is_empty() {
        return Ok(None);
    }
    let bytes = compact.as_bytes();
    let n = bytes.len();
    let alpha = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphabetic);
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let inward_ok = n >= 5 && digit(n - 3) && alpha(n - 2) && alpha(n - 1);
    let outward = &compact[..n.saturating_sub(3)];
    let ob = outward.as_bytes();
    let outward_ok = (2..=4).contains(&ob.len())
        && ob[0].is_ascii_alphabetic()
        && ob.iter().all(u8::is_ascii_alphanumeric)
        && ob.iter().any(u8::is_ascii_digit);
    if !(inward_ok && outward_ok) {
        return Err(FieldError::new("postcode", ErrorCode::ValidationPostcodeFormat, "Enter a UK postcode, like LS1 4AB."));
    }
    Ok(Some(format!("{} {}", outward, &compact[n - 3..])))
}

fn phone(typed: &str) -> Result<Option<String>, FieldError> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let allowed = t.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c));
    if !allowed || !(10..=13).contains(&digits) {
        return Err(FieldError::new(
            "phone",
            ErrorCode::ValidationPhoneFormat,
            "Enter a phone number, like 07700 900123 or 0113 496 0000.",
        ));
    }
    Ok(Some(t.to_string()))
}

/// HM Prison Service numbers: a letter, four digits, two letters (A1234BC).
fn prison_number(typed: &str) -> Result<Option<String>, FieldError> {
    let t: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if t.is_empty() {
        return Ok(None);
    }
    let b = t.as_bytes();
    let ok =
        b.len() == 7 && b[0].is_ascii_alphabetic() && b[1..5].iter().all(u8::is_ascii_digit) && b[5..].iter().all(u8::is_ascii_alphabetic);
    if !ok {
        return Err(FieldError::new("prison_number", ErrorCode::ValidationPrisonNumberFormat, "Enter the prison number like A1234BC."));
    }
    Ok(Some(t))
}

/// Registers a client and makes them the registering worker's to follow up.
pub fn register(store: &mut Store, actor: &Actor, input: &NewClient) -> Result<Client, ClientError> {
    let mut client = validate(input, store.clock().now())?;
    client.id = crate::ids::new_id(store.clock());
    client.allocated_worker_id = Some(actor.worker_id.clone());
    store.write(actor, |w| {
        refuse_known_identifiers(w.reader(), &client)?;
        w.create(&mut client)?;
        Ok::<_, ClientError>(())
    })?;
    Ok(client)
}

/// Saves changed details; every change is kept in the record's history.
pub fn update_details(store: &mut Store, actor: &Actor, id: &str, input: &NewClient) -> Result<Vec<String>, ClientError> {
    let before = require(store.reader(), id)?;
    refuse_unless_changeable(&before)?;
    let details = validate(input, store.clock().now())?;
    let after = Client {
        id: before.id.clone(),
        allocated_worker_id: before.allocated_worker_id.clone(),
        status: before.status,
        closed_reason: before.closed_reason.clone(),
        closed_at: before.closed_at,
        merged_into: None,
        anonymised_at: before.anonymised_at,
        made: before.made.clone(),
        ..details
    };
    store.write(actor, |w| {
        refuse_known_identifiers(w.reader(), &after)?;
        Ok::<_, ClientError>(w.update(&before, &after)?)
    })
}

/// A merged record is read through the one it was merged into; an anonymised one is kept only
/// for the returns. Neither is changed.
pub(crate) fn refuse_unless_changeable(c: &Client) -> Result<(), ClientError> {
    if c.status == ClientStatus::Merged {
        return Err(ClientError::NotAllowed("This record was merged into another. Open the record it was merged into instead.".into()));
    }
    if c.anonymised_at.is_some() {
        return Err(ClientError::NotAllowed(
            "This case was anonymised after a retention review. It is kept only so the returns still count it.".into(),
        ));
    }
    Ok(())
}

/// Closes a client's case with a reason from the list.
pub fn close(store: &mut Store, actor: &Actor, id: &str, reason: &str) -> Result<(), ClientError> {
    let before = require(store.reader(), id)?;
    refuse_unless_changeable(&before)?;
    if !reference::is_in(CLOSE_REASONS, reason) {
        return Err(ValidationErrors::one("closed_reason", ErrorCode::ValidationRequired, "Choose why the case is closing.").into());
    }
    store.write(actor, |w| {
        let after = Client { status: ClientStatus::Closed, closed_reason: Some(reason.into()), closed_at: Some(w.now()), ..before.clone() };
        w.update(&before, &after)
    })?;
    Ok(())
}

pub fn reopen(store: &mut Store, actor: &Actor, id: &str) -> Result<(), ClientError> {
    let before = require(store.reader(), id)?;
    refuse_unless_changeable(&before)?;
    let after = Client { status: ClientStatus::Active, closed_reason: None, closed_at: None, ..before.clone() };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

/// A PNC id or NHS number belongs to one person: a second record would split them.
fn refuse_known_identifiers(conn: &rusqlite::Connection, client: &Client) -> Result<(), ClientError> {
    let known = [
        ("pnc", "PNC id", &client.pnc, ErrorCode::ValidationPncKnown),
        ("nhs_number", "NHS number", &client.nhs_number, ErrorCode::ValidationNhsNumberKnown),
    ];
    for (column, label, value, code) in known {
        let Some(value) = value else { continue };
        let sql = format!("SELECT surname, forenames, date_of_birth FROM clients WHERE {column} = ?1 AND id != ?2 AND status != 'merged'");
        let existing: Option<(String, String, chrono::NaiveDate)> =
            conn.query_row(&sql, [value, &client.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
        if let Some((surname, forenames, dob)) = existing {
            return Err(ValidationErrors::one(
                column,
                code,
                format!(
                    "This {label} is already registered to {forenames} {surname} (born {}). Search for them instead of registering again.",
                    dates::display(dob)
                ),
            )
            .into());
        }
    }
    Ok(())
}
