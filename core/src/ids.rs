//! Record ids are UUIDv7: unique across laptops without coordination, and sortable by time.
use crate::clock::Clock;
use uuid::{NoContext, Timestamp, Uuid};

pub fn new_id(clock: &dyn Clock) -> String {
    let now = clock.now();
    let ts = Timestamp::from_unix(NoContext, now.timestamp() as u64, now.timestamp_subsec_nanos());
    Uuid::new_v7(ts).to_string()
}
