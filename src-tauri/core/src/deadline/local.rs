//! Local calendar arithmetic and local-time text for deadlines: "+2 days"
//! means the same wall-clock time two calendar days later in the team's zone,
//! which is 47 or 49 hours across a daylight-saving change, not 48.

use chrono::{DateTime, Days, Duration, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// `t` moved `days` calendar days later in `zone`, keeping its local
/// wall-clock time. A local time that does not exist on that day (skipped by
/// a spring-forward change) moves forward to the first valid instant, the
/// moment the clocks changed; one that happens twice (fall-back) takes the
/// earlier.
pub fn add_local_days(t: DateTime<Utc>, days: u32, zone: Tz) -> DateTime<Utc> {
    let local = t.with_timezone(&zone).naive_local();
    match local.checked_add_days(Days::new(u64::from(days))) {
        Some(target) => from_local(zone, target),
        // Beyond chrono's calendar: nothing sensible is local there.
        None => t + Duration::days(i64::from(days)),
    }
}

/// A local wall-clock time in `zone` as UTC: the earlier of two, or the first
/// valid instant after it when it falls in a gap.
pub(super) fn from_local(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => end_of_gap(zone, local),
    }
}

/// The instant a gap containing `local` ends: the first UTC instant whose
/// local time is at or after `local`. Offsets a day either side bound where
/// the change can be (gaps are at most a day long); a binary search over
/// seconds finds it.
fn end_of_gap(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let offset_at = |naive: NaiveDateTime| {
        Duration::seconds(i64::from(
            zone.offset_from_utc_datetime(&naive)
                .fix()
                .local_minus_utc(),
        ))
    };
    let before = offset_at(local - Duration::days(1));
    let after = offset_at(local + Duration::days(1));
    // The local time `u` seconds after `local - after` (read as UTC) is at or after `local`?
    let start = local - after;
    let reaches = |u: i64| {
        let at = start + Duration::seconds(u);
        at + offset_at(at) >= local
    };
    let (mut lo, mut hi) = (0_i64, (after - before).num_seconds().max(0));
    if !reaches(hi) {
        // Not a plain gap between two offsets (should not happen): read as UTC.
        return Utc.from_utc_datetime(&local);
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Utc.from_utc_datetime(&(start + Duration::seconds(lo)))
}

/// "14:00 CET": a time of day in `zone` with its abbreviation.
pub(super) fn clock_time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%H:%M %Z").to_string()
}

/// "Mon 30 Mar 14:00 CEST": for deadlines days away.
pub(super) fn day_and_time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%a %-d %b %H:%M %Z")
        .to_string()
}

/// `since` as short as it can be next to `due`: the time alone on the same
/// local day ("13:00"), with the day otherwise ("Sun 29 Mar 23:00").
pub(super) fn since_text(since: DateTime<Utc>, due: DateTime<Utc>, zone: Tz) -> String {
    let (since, due) = (since.with_timezone(&zone), due.with_timezone(&zone));
    if since.date_naive() == due.date_naive() {
        since.format("%H:%M").to_string()
    } else {
        since.format("%a %-d %b %H:%M").to_string()
    }
}
