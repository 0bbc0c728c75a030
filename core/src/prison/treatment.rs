//! Referrals and treatment episodes, for any client (domain.md "Referral and treatment
//! episode"): referred to which service, assessed, treatment started, discharged and why.
//! Waiting time is referral to treatment start; criminal-justice referrals are counted
//! apart (004).
use super::{choose_optional, optional_past_date, past_date};
use crate::appointments::{self, PathwayError};
use crate::clients::family;
use crate::codes::ErrorCode;
use crate::dates;
use crate::error::{FieldError, Problems};
use crate::reference::{self, choice, Choice};
use crate::store::record::sql_bool;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const MODALITIES: &[Choice] = &[
    choice("prescribing", "Opioid substitution prescribing"),
    choice("psychosocial", "Psychosocial interventions"),
    choice("inpatient_detox", "Inpatient detoxification"),
    choice("residential_rehab", "Residential rehabilitation"),
    choice("recovery_support", "Recovery support"),
    choice("other", "Other"),
];

/// Why an episode ended; the two completions are the district KPI, split opiate / non-opiate
/// by the client's substances (002).
pub const DISCHARGE_REASONS: &[Choice] = &[
    choice("completed_drug_free", "Completed: free of dependence"),
    choice("completed_occasional_user", "Completed: occasional user (not opiates or crack)"),
    choice("transferred_community", "Transferred to another community service"),
    choice("transferred_custody", "Transferred into custody"),
    choice("dropped_out", "Dropped out"),
    choice("declined", "Treatment declined"),
    choice("died", "Died"),
    choice("other", "Other"),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreatmentEpisode {
    pub id: String,
    pub client_id: String,
    /// The service referred to.
    pub service: String,
    #[serde(with = "sql_bool")]
    pub criminal_justice: bool,
    pub referred_on: NaiveDate,
    pub assessed_on: Option<NaiveDate>,
    pub treatment_started_on: Option<NaiveDate>,
    /// A value of [`MODALITIES`].
    pub modality: Option<String>,
    pub discharged_on: Option<NaiveDate>,
    /// A value of [`DISCHARGE_REASONS`].
    pub discharge_reason: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(TreatmentEpisode, "treatment_episode", "treatment_episodes");

/// A referral as typed, and every later change to it (assessment, treatment start,
/// discharge): dates "23/11/2026", blank when not yet known.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct EpisodeInput {
    pub service: String,
    pub criminal_justice: bool,
    pub referred_on: String,
    pub assessed_on: String,
    pub treatment_started_on: String,
    pub modality: String,
    pub discharged_on: String,
    pub discharge_reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EpisodeView {
    pub id: String,
    pub client_id: String,
    pub service: String,
    pub criminal_justice: bool,
    pub referred_on: NaiveDate,
    pub assessed_on: Option<NaiveDate>,
    pub treatment_started_on: Option<NaiveDate>,
    pub modality: Option<String>,
    pub modality_label: Option<String>,
    pub discharged_on: Option<NaiveDate>,
    pub discharge_reason: Option<String>,
    pub discharge_reason_label: Option<String>,
    /// Days from referral to treatment start (004).
    #[ts(type = "number | null")]
    pub waiting_days: Option<i64>,
    pub recorded_by: String,
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<TreatmentEpisode>> {
    crate::store::record::get(conn, id)
}

struct Checked {
    service: String,
    referred_on: NaiveDate,
    assessed_on: Option<NaiveDate>,
    treatment_started_on: Option<NaiveDate>,
    modality: Option<String>,
    discharged_on: Option<NaiveDate>,
    discharge_reason: Option<String>,
}

/// Every problem with an episode at once: no date in the future, nothing before the
/// referral, no discharge before the start, a modality with a start and a reason with a
/// discharge.
fn check(input: &EpisodeInput, today: NaiveDate) -> Result<Checked, PathwayError> {
    let mut p = Problems::default();
    let service = p.check(text::required("service", "Service referred to", &input.service, 200));
    let referred = past_date(&mut p, "referred_on", &input.referred_on, "the date of referral", today);
    let assessed = optional_past_date(&mut p, "assessed_on", &input.assessed_on, "assessment date", today);
    let started = optional_past_date(&mut p, "treatment_started_on", &input.treatment_started_on, "treatment start date", today);
    let discharged = optional_past_date(&mut p, "discharged_on", &input.discharged_on, "discharge date", today);
    let modality = choose_optional(&mut p, "modality", MODALITIES, &input.modality, "the modality");
    let reason = choose_optional(&mut p, "discharge_reason", DISCHARGE_REASONS, &input.discharge_reason, "the reason for discharge");
    if let (Some(r), Some(Some(a))) = (referred, assessed) {
        if a < r {
            p.push(FieldError::new(
                "assessed_on",
                ErrorCode::ValidationAssessmentBeforeReferral,
                format!("The assessment cannot be before the referral on {}.", dates::display(r)),
            ));
        }
    }
    if let (Some(r), Some(Some(s))) = (referred, started) {
        if s < r {
            p.push(FieldError::new(
                "treatment_started_on",
                ErrorCode::ValidationTreatmentBeforeReferral,
                format!("Treatment cannot start before the referral on {}.", dates::display(r)),
            ));
        }
    }
    if let (Some(Some(d)), Some(r)) = (discharged, referred) {
        match started {
            Some(Some(s)) if d < s => p.push(FieldError::new(
                "discharged_on",
                ErrorCode::ValidationDischargeBeforeStart,
                format!("The discharge cannot be before treatment started on {}.", dates::display(s)),
            )),
            _ if d < r => p.push(FieldError::new(
                "discharged_on",
                ErrorCode::ValidationDischargeBeforeReferral,
                format!("The discharge cannot be before the referral on {}.", dates::display(r)),
            )),
            _ => {}
        }
    }
    if matches!(started, Some(Some(_))) && matches!(modality, Some(None)) {
        p.push(FieldError::new("modality", ErrorCode::ValidationRequired, "Choose the modality of the treatment that started."));
    }
    match (discharged, &reason) {
        (Some(Some(_)), Some(None)) => {
            p.push(FieldError::new("discharge_reason", ErrorCode::ValidationRequired, "Choose the reason for discharge."))
        }
        (Some(None), Some(Some(_))) => {
            p.push(FieldError::new("discharged_on", ErrorCode::ValidationRequired, "Enter the date of discharge, or clear the reason."))
        }
        _ => {}
    }
    match (service, referred, assessed, started, modality, discharged, reason) {
        (
            Some(service),
            Some(referred_on),
            Some(assessed_on),
            Some(treatment_started_on),
            Some(modality),
            Some(discharged_on),
            Some(discharge_reason),
        ) if p.is_empty() => {
            Ok(Checked { service, referred_on, assessed_on, treatment_started_on, modality, discharged_on, discharge_reason })
        }
        _ => Err(p.into_error().into()),
    }
}

/// Records a referral (and whatever else is already known of the episode).
pub fn record_referral(store: &mut Store, actor: &Actor, client_id: &str, input: &EpisodeInput) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let c = check(input, dates::today(store.clock().now()))?;
    let mut episode = TreatmentEpisode {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id,
        service: c.service,
        criminal_justice: input.criminal_justice,
        referred_on: c.referred_on,
        assessed_on: c.assessed_on,
        treatment_started_on: c.treatment_started_on,
        modality: c.modality,
        discharged_on: c.discharged_on,
        discharge_reason: c.discharge_reason,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.create(&mut episode))?;
    Ok(episode.id)
}

/// Updates an episode: the assessment, the treatment start, the discharge.
pub fn update_episode(store: &mut Store, actor: &Actor, episode_id: &str, input: &EpisodeInput) -> Result<(), PathwayError> {
    let before = get(store.reader(), episode_id)?.ok_or(PathwayError::NotFound("No referral with that reference is on this laptop."))?;
    let c = check(input, dates::today(store.clock().now()))?;
    let after = TreatmentEpisode {
        service: c.service,
        criminal_justice: input.criminal_justice,
        referred_on: c.referred_on,
        assessed_on: c.assessed_on,
        treatment_started_on: c.treatment_started_on,
        modality: c.modality,
        discharged_on: c.discharged_on,
        discharge_reason: c.discharge_reason,
        ..before.clone()
    };
    store.write(actor, |w| w.update(&before, &after))?;
    Ok(())
}

pub fn episodes_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<TreatmentEpisode>> {
    let mut list: Vec<TreatmentEpisode> = crate::store::record::of_clients(conn, client_ids)?;
    list.sort_by(|a, b| a.referred_on.cmp(&b.referred_on).then(a.made.created_at.cmp(&b.made.created_at)));
    Ok(list)
}

pub fn view(conn: &Connection, e: TreatmentEpisode) -> rusqlite::Result<EpisodeView> {
    Ok(EpisodeView {
        modality_label: e.modality.as_deref().map(|m| reference::label(MODALITIES, m)),
        discharge_reason_label: e.discharge_reason.as_deref().map(|r| reference::label(DISCHARGE_REASONS, r)),
        waiting_days: e.treatment_started_on.map(|s| (s - e.referred_on).num_days()),
        recorded_by: crate::clients::worker_name(conn, &e.made.created_by)?,
        id: e.id,
        client_id: e.client_id,
        service: e.service,
        criminal_justice: e.criminal_justice,
        referred_on: e.referred_on,
        assessed_on: e.assessed_on,
        treatment_started_on: e.treatment_started_on,
        modality: e.modality,
        discharged_on: e.discharged_on,
        discharge_reason: e.discharge_reason,
    })
}

/// A client's episodes (with those of records merged into them), as views, oldest first.
pub fn for_client(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<EpisodeView>> {
    episodes_of(conn, &family(conn, client_id)?)?.into_iter().map(|e| view(conn, e)).collect()
}
