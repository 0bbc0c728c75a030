//! The appointment card the person on a DRR takes away: their timetable, tests and review
//! hearing for the coming weeks on one page, built from what is booked, and audited as a print.
use super::{require_active, require_order, reviews, testing, Order};
use crate::appointments::{self, AppointmentStatus, OwnerType, PathwayError};
use crate::calendar::when;
use crate::dates;
use crate::documents::{name_of, Document};
use crate::reference;
use crate::store::{Actor, Store};
use chrono::Duration;

/// How far ahead the card looks: four weeks fit one page and stay true long enough to carry.
pub const CARD_WEEKS: i64 = 4;

fn order_sentence(o: &Order) -> String {
    format!(
        "On {} {} made {}. Your order ends on {}; treatment and testing end on {}.",
        dates::display(o.sentenced_on),
        o.court,
        o.words(),
        dates::display(o.ends_on),
        dates::display(o.treatment_ends_on)
    )
}

/// Produces the card for an active order: every appointment booked for the person in the next
/// [`CARD_WEEKS`] weeks (timetable, tests and any other), and the next review hearing.
pub fn appointment_card(store: &mut Store, actor: &Actor, order_id: &str) -> Result<Document, PathwayError> {
    let conn = store.reader();
    let order = require_order(conn, order_id)?;
    require_active(&order)?;
    let client = crate::clients::require(conn, &order.client_id)?;
    let ids = crate::clients::family(conn, &client.id)?;
    let now = store.clock().now();
    let until = when::start_of_day(when::london_date(now) + Duration::weeks(CARD_WEEKS));
    let mut booked: Vec<_> = appointments::of_clients(conn, &ids)?
        .into_iter()
        .filter(|a| a.status == AppointmentStatus::Scheduled && a.at >= now && a.at < until)
        .collect();
    booked.sort_by_key(|a| a.at);
    let review = reviews::of_order(conn, &order.id)?
        .into_iter()
        .filter(|r| r.outcome.is_none() && r.review_on >= when::london_date(now))
        .min_by_key(|r| r.review_on);
    if booked.is_empty() && review.is_none() {
        return Err(PathwayError::NotAllowed(format!(
            "Nothing is booked for the next {CARD_WEEKS} weeks. Book the timetable ahead or a test first, then print the card."
        )));
    }
    let tests = testing::of_order(conn, &order.id)?;
    let worker = crate::clients::worker_name(conn, &actor.worker_id)?;
    let team = store.team_name()?;

    let mut paragraphs = vec![
        format!("This card is for {}, born {}.", name_of(&client), dates::display(client.date_of_birth)),
        order_sentence(&order),
        format!("Your responsible officer is {} and your treatment provider is {}.", order.responsible_officer, order.treatment_provider),
        format!(
            "Your appointments from {} to {}",
            dates::display(when::london_date(now)),
            dates::display(when::london_date(until) - Duration::days(1))
        ),
    ];
    let heading = paragraphs.len() as u32 - 1;
    for a in &booked {
        let with = crate::clients::worker_name(conn, &a.worker_id)?;
        let sample = match a.owner_type {
            OwnerType::DrrTest => tests
                .iter()
                .find(|t| t.id == a.owner_id)
                .map(|t| format!(" (a {} sample)", reference::label(testing::SAMPLE_TYPES, &t.sample_type).to_lowercase()))
                .unwrap_or_default(),
            _ => String::new(),
        };
        paragraphs.push(format!("{}: {}{sample} at {}, with {with}.", when::display_with_day(a.at), a.kind, a.place));
    }
    if booked.is_empty() {
        paragraphs.push("No appointments are booked in these weeks yet: your worker will give you a new card when they are.".into());
    }
    if let Some(r) = &review {
        paragraphs.push(format!(
            "Your next review hearing is on {} at {}. You must attend court for it.",
            dates::display_with_day(r.review_on),
            r.court
        ));
    }
    paragraphs.push(
        "You must attend every appointment and give a sample when asked. Missing one without an acceptable reason is a failure to comply with your order: it can lead to a warning or your return to court.".into(),
    );
    paragraphs.push(format!("If you cannot attend, contact {team} before the appointment."));
    paragraphs.push(format!("Given to you by {worker}, {team}, on {}.", dates::display(when::london_date(now))));

    store.write(actor, |w| w.audit("printed DRR appointment card", Some(&client.id), &order.id))?;
    Ok(Document {
        headings: Some(vec![heading]),
        ..Document::about(&client, "Your DRR appointment card", paragraphs, worker, now, ("drr_order", order.id))
    })
}
