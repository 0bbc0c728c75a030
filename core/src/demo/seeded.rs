//! What every part of the demo shares: record ids from the seed, so the same seed makes the
//! same team, and London wall-clock times as instants.
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use rand::rngs::StdRng;
use rand::Rng;

/// UUIDv7-shaped ids from the seed.
pub(super) struct Ids {
    pub(super) rng: StdRng,
    pub(super) millis: u64,
}

impl Ids {
    pub(super) fn next(&mut self) -> String {
        self.millis += 1;
        let random: u128 = self.rng.gen();
        let bits = (u128::from(self.millis) << 80) | (random & ((1u128 << 80) - 1));
        uuid::Builder::from_u128(bits).with_version(uuid::Version::SortRand).with_variant(uuid::Variant::RFC4122).into_uuid().to_string()
    }
}

/// A London wall-clock time on a day, as an instant.
pub(super) fn london(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
    London.from_local_datetime(&local).earliest().map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}
