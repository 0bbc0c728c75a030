//! Hybrid logical clock: wall-clock milliseconds in the high bits, a counter in the low 16,
//! so operations sort by time across laptops yet never go backwards on one.

pub const COUNTER_BITS: u32 = 16;

/// The next timestamp after `last`, given the wall clock `now_ms`.
pub fn next(last: i64, now_ms: i64) -> i64 {
    let wall = now_ms << COUNTER_BITS;
    if wall > last {
        wall
    } else {
        last + 1
    }
}

/// Milliseconds since the epoch that a timestamp carries.
pub fn millis(hlc: i64) -> i64 {
    hlc >> COUNTER_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_wall_clock_when_it_moves_on() {
        let a = next(0, 1_000);
        let b = next(a, 2_000);
        assert!(b > a);
        assert_eq!(millis(b), 2_000);
    }

    #[test]
    fn never_goes_backwards_when_the_clock_does() {
        let a = next(0, 5_000);
        let b = next(a, 4_000); // the laptop clock was put back
        let c = next(b, 5_000);
        assert!(a < b && b < c);
        assert_eq!(millis(c), 5_000);
    }
}
