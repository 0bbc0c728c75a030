//! Unscheduled contacts (a cold call in the cells, a phone call) and case notes. Case notes
//! are append-only: a correction is a new note naming the one it corrects (domain.md).
use crate::appointments::{self, PathwayError};
use crate::calendar::when;
use crate::clients::family;
use crate::codes::ErrorCode;
use crate::error::{AllGiven, FieldError, Problems, ValidationErrors};
use crate::reference::Choice;
use crate::store::record::Made;
use crate::store::{Actor, Store};
use crate::text;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const CONTACT_KINDS: &[Choice] = &[
    Choice { value: "custody_cold_call", label: "Cold call in custody", group: "" },
    Choice { value: "phone", label: "Phone call", group: "" },
    Choice { value: "other", label: "Other contact", group: "" },
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub client_id: String,
    /// A value of [`CONTACT_KINDS`].
    pub kind: String,
    pub at: DateTime<Utc>,
    pub summary: String,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(Contact, "contact", "contacts");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseNote {
    pub id: String,
    pub client_id: String,
    /// The record the note is about, if any ("test_on_arrest", "appointment", ...).
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub text: String,
    pub corrects_note_id: Option<String>,
    #[serde(flatten)]
    pub made: Made,
}

crate::client_record!(CaseNote, "case_note", "case_notes");

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewContact {
    pub kind: String,
    /// London date and 24-hour time as typed.
    pub date: String,
    pub time: String,
    pub summary: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct NewNote {
    pub text: String,
    /// Optional: the record the note is about.
    pub record_type: String,
    pub record_id: String,
    /// Optional: the note this one corrects.
    pub corrects_note_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ContactView {
    pub id: String,
    pub client_id: String,
    pub kind: String,
    pub kind_label: String,
    pub at: DateTime<Utc>,
    pub date: NaiveDate,
    pub time: String,
    pub summary: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NoteView {
    pub id: String,
    pub client_id: String,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub text: String,
    pub corrects_note_id: Option<String>,
    /// The later note that corrects this one, if any.
    pub corrected_by_note_id: Option<String>,
    pub written_at: DateTime<Utc>,
    pub written_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ClientNotes {
    /// Newest first.
    pub contacts: Vec<ContactView>,
    /// Newest first.
    pub notes: Vec<NoteView>,
}

/// Records an unscheduled contact that has happened.
pub fn record_contact(store: &mut Store, actor: &Actor, client_id: &str, input: &NewContact) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let now = store.clock().now();
    let mut p = Problems::default();
    let kind = match input.kind.trim() {
        k if crate::reference::is_in(CONTACT_KINDS, k) => Some(k.to_string()),
        _ => {
            p.push(FieldError::new("kind", ErrorCode::ValidationRequired, "Choose the kind of contact from the list."));
            None
        }
    };
    let at = when::instant(&mut p, "date", "time", &input.date, &input.time, "the contact");
    if at.is_some_and(|t| t > now) {
        p.push(FieldError::new("date", ErrorCode::ValidationTimeFuture, "A contact cannot be in the future. Book an appointment instead."));
    }
    let summary = p.check(text::optional_multiline("summary", "Summary", &input.summary, 4000));
    let summary = match summary {
        Some(None) => {
            p.push(FieldError::new("summary", ErrorCode::ValidationRequired, "Enter a summary of the contact."));
            None
        }
        other => other.flatten(),
    };
    let (kind, at, summary) = p.complete((kind, at, summary).all())?;
    let mut contact = Contact { id: crate::ids::new_id(store.clock()), client_id: client.id, kind, at, summary, made: Made::on_write() };
    store.write(actor, |w| w.append(&mut contact))?;
    Ok(contact.id)
}

fn get_note(conn: &Connection, id: &str) -> rusqlite::Result<Option<CaseNote>> {
    crate::store::record::get(conn, id)
}

/// Adds a case note (append-only; a correction names the note it corrects).
pub fn add_note(store: &mut Store, actor: &Actor, client_id: &str, input: &NewNote) -> Result<String, PathwayError> {
    let client = appointments::open_client(store.reader(), client_id)?;
    let ids = family(store.reader(), &client.id)?;
    let mut p = Problems::default();
    let body = match p.check(text::optional_multiline("text", "Note", &input.text, 10_000)) {
        Some(None) => {
            p.push(FieldError::new("text", ErrorCode::ValidationRequired, "Enter the note."));
            None
        }
        other => other.flatten(),
    };
    let corrects = match input.corrects_note_id.trim() {
        "" => Some(None),
        id => match get_note(store.reader(), id)? {
            Some(n) if ids.contains(&n.client_id) => Some(Some(n.id)),
            _ => {
                p.push(FieldError::new(
                    "corrects_note_id",
                    ErrorCode::ValidationNotInList,
                    "The note being corrected is not one of this person's notes.",
                ));
                None
            }
        },
    };
    let record_type = p.check(text::optional("record_type", "Record type", &input.record_type, 50));
    let record_id = p.check(text::optional("record_id", "Record", &input.record_id, 50));
    let (Some(body), Some(corrects_note_id), Some(record_type), Some(record_id)) = (body, corrects, record_type, record_id) else {
        return Err(p.into_error().into());
    };
    if record_type.is_some() != record_id.is_some() {
        return Err(
            ValidationErrors::one("record_id", ErrorCode::ValidationRequired, "Choose the record the note is about, or neither.").into()
        );
    }
    let mut note = CaseNote {
        id: crate::ids::new_id(store.clock()),
        client_id: client.id,
        record_type,
        record_id,
        text: body,
        corrects_note_id,
        made: Made::on_write(),
    };
    store.write(actor, |w| w.append(&mut note))?;
    Ok(note.id)
}

pub fn contacts_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<Contact>> {
    let mut out: Vec<Contact> = crate::store::record::of_clients(conn, client_ids)?;
    out.sort_by_key(|a| a.at);
    Ok(out)
}

pub fn notes_of(conn: &Connection, client_ids: &[String]) -> rusqlite::Result<Vec<CaseNote>> {
    let mut out: Vec<CaseNote> = crate::store::record::of_clients(conn, client_ids)?;
    out.sort_by(|a, b| a.made.created_at.cmp(&b.made.created_at).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// A client's contacts and notes, newest first.
pub fn for_client(conn: &Connection, client_id: &str) -> Result<ClientNotes, PathwayError> {
    let ids = family(conn, client_id)?;
    let name = |id: &str| crate::clients::worker_name(conn, id);
    let mut contacts = contacts_of(conn, &ids)?
        .into_iter()
        .map(|c| {
            Ok(ContactView {
                kind_label: crate::reference::label(CONTACT_KINDS, &c.kind),
                date: when::london_date(c.at),
                time: when::london_time(c.at),
                recorded_by: name(&c.made.created_by)?,
                id: c.id,
                client_id: c.client_id,
                kind: c.kind,
                at: c.at,
                summary: c.summary,
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    contacts.reverse();
    let all = notes_of(conn, &ids)?;
    let mut notes = all
        .iter()
        .map(|n| {
            Ok(NoteView {
                corrected_by_note_id: all.iter().rev().find(|m| m.corrects_note_id.as_deref() == Some(&n.id)).map(|m| m.id.clone()),
                written_by: name(&n.made.created_by)?,
                id: n.id.clone(),
                client_id: n.client_id.clone(),
                record_type: n.record_type.clone(),
                record_id: n.record_id.clone(),
                text: n.text.clone(),
                corrects_note_id: n.corrects_note_id.clone(),
                written_at: n.made.created_at,
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    notes.reverse();
    Ok(ClientNotes { contacts, notes })
}
