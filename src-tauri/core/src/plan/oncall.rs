//! Who is on call: one answer for "who holds category C at time T", from a
//! weekly rotation whose hand-over is a local wall-clock time in the team's
//! time zone (so it stays at 09:00 across daylight-saving changes), with
//! one-off overrides on top.

use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use super::model::OnCallRotation;
use super::Id;

/// Parses an IANA time zone name, e.g. "Europe/Berlin".
pub fn time_zone(name: &str) -> Option<Tz> {
    Tz::from_str(name).ok()
}

/// The date of the first hand-over: the first `handover_day` on or after `starts_on`.
fn first_handover_date(rotation: &OnCallRotation) -> NaiveDate {
    let start = rotation.starts_on;
    let ahead = (7 + rotation.handover_day.index() - start.weekday().num_days_from_monday()) % 7;
    start + Duration::days(i64::from(ahead))
}

/// A local wall-clock time in `tz` as UTC. A time skipped by a spring-forward
/// change is taken an hour later; a repeated one, at its first occurrence.
fn local_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => match tz.from_local_datetime(&(local + Duration::hours(1))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            LocalResult::None => Utc.from_utc_datetime(&local),
        },
    }
}

/// The instant of hand-over number `week` (0 = the first), or `None` when the
/// rotation's time zone is unknown.
pub fn handover(rotation: &OnCallRotation, week: i64) -> Option<DateTime<Utc>> {
    let tz = time_zone(&rotation.time_zone)?;
    let date = first_handover_date(rotation) + Duration::weeks(week);
    Some(local_to_utc(tz, date.and_time(rotation.handover_time)))
}

/// How many hand-overs have happened by `at`, counting the first as 1; 0
/// before the rotation starts; `None` for an unknown time zone.
fn handovers_by(rotation: &OnCallRotation, at: DateTime<Utc>) -> Option<i64> {
    let first = handover(rotation, 0)?;
    if at < first {
        return Some(0);
    }
    // Estimate from elapsed time, then settle on the exact week (DST shifts
    // move hand-overs by an hour either way).
    let mut week = (at - first).num_weeks();
    while handover(rotation, week + 1)? <= at {
        week += 1;
    }
    while week > 0 && handover(rotation, week)? > at {
        week -= 1;
    }
    Some(week + 1)
}

/// Who is on call for the rotation's category at `at`: an override covering
/// `at` (the last listed wins), else the member whose week it is. `None`
/// before the first hand-over, for a rotation without members, or for an
/// unknown time zone — each of them a gap the plan check reports.
pub fn on_call_at(rotation: &OnCallRotation, at: DateTime<Utc>) -> Option<Id> {
    if let Some(o) = rotation
        .overrides
        .iter()
        .rev()
        .find(|o| o.from <= at && at < o.until)
    {
        return Some(o.member.clone());
    }
    let count = handovers_by(rotation, at)?;
    if count == 0 || rotation.members.is_empty() {
        return None;
    }
    let index = (count - 1) as usize % rotation.members.len();
    rotation.members.get(index).cloned()
}

/// Who holds a rotation's category now, and when that answer next changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OnCallNow {
    pub category: Id,
    /// `None`: nobody is on call (a gap the plan check reports).
    pub member: Option<Id>,
    /// The next hand-over or override boundary, if any.
    pub until: Option<DateTime<Utc>>,
}

/// [`on_call_at`] for `now`, with the moment the answer next changes.
pub fn on_call_now(rotation: &OnCallRotation, now: DateTime<Utc>) -> OnCallNow {
    let next_handover = handovers_by(rotation, now)
        .and_then(|count| handover(rotation, count))
        .filter(|t| *t > now);
    let next_override = rotation
        .overrides
        .iter()
        .flat_map(|o| [o.from, o.until])
        .filter(|t| *t > now)
        .min();
    let until = match (next_handover, next_override) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    OnCallNow {
        category: rotation.category.clone(),
        member: on_call_at(rotation, now),
        until,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;
    use crate::plan::{id, OnCallOverride, Weekday};
    use crate::testing::utc;

    /// Ada, Ben, Chloe hand over on Mondays at 09:00 Berlin time from 2026-03-02 (a Monday).
    fn rotation() -> OnCallRotation {
        OnCallRotation {
            category: id("network-problem"),
            members: vec![id("ada"), id("ben"), id("chloe")],
            handover_day: Weekday::Monday,
            handover_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            time_zone: "Europe/Berlin".into(),
            starts_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(), // a Sunday
            overrides: vec![],
        }
    }

    fn check(rotation: &OnCallRotation, cases: &[(&str, Option<&str>)]) {
        for (at, expected) in cases {
            let got = on_call_at(rotation, utc(at));
            assert_eq!(got.as_ref().map(Id::as_str), *expected, "at {at}");
        }
    }

    #[test]
    fn members_take_weekly_turns_from_the_first_handover() {
        check(
            &rotation(),
            &[
                ("2026-03-01T12:00:00Z", None),        // before the first hand-over
                ("2026-03-02T07:59:59Z", None),        // 08:59:59 in Berlin (UTC+1)
                ("2026-03-02T08:00:00Z", Some("ada")), // 09:00 Berlin
                ("2026-03-08T23:00:00Z", Some("ada")),
                ("2026-03-09T08:00:00Z", Some("ben")),
                ("2026-03-16T08:00:00Z", Some("chloe")),
                ("2026-03-23T08:00:00Z", Some("ada")), // round again
            ],
        );
    }

    #[test]
    fn the_handover_stays_at_local_time_across_daylight_saving() {
        // Berlin moves to UTC+2 on 2026-03-29: the 30 March hand-over is 07:00 UTC.
        check(
            &rotation(),
            &[
                ("2026-03-30T06:59:00Z", Some("ada")),
                ("2026-03-30T07:00:00Z", Some("ben")),
                // and back to UTC+1 on 2026-10-25: the 35th hand-over, 26 October at 08:00 UTC.
                ("2026-10-26T07:59:00Z", Some("ada")),
                ("2026-10-26T08:00:00Z", Some("ben")),
            ],
        );
        assert_eq!(handover(&rotation(), 4), Some(utc("2026-03-30T07:00:00Z")));
    }

    #[test]
    fn an_override_wins_and_the_last_listed_wins_among_overrides() {
        let mut r = rotation();
        r.overrides.push(OnCallOverride {
            member: id("chloe"),
            from: utc("2026-03-03T00:00:00Z"),
            until: utc("2026-03-05T00:00:00Z"),
            note: "Ada travelling".into(),
        });
        r.overrides.push(OnCallOverride {
            member: id("ben"),
            from: utc("2026-03-04T00:00:00Z"),
            until: utc("2026-03-04T12:00:00Z"),
            note: String::new(),
        });
        check(
            &r,
            &[
                ("2026-03-02T23:59:59Z", Some("ada")),
                ("2026-03-03T00:00:00Z", Some("chloe")),
                ("2026-03-04T06:00:00Z", Some("ben")),
                ("2026-03-04T12:00:00Z", Some("chloe")),
                ("2026-03-05T00:00:00Z", Some("ada")), // `until` is exclusive
                ("2026-02-01T00:00:00Z", None),
            ],
        );
    }

    #[test]
    fn on_call_now_says_until_when() {
        let mut r = rotation();
        let now = utc("2026-03-04T10:00:00Z");
        assert_eq!(
            on_call_now(&r, now),
            OnCallNow {
                category: id("network-problem"),
                member: Some(id("ada")),
                until: Some(utc("2026-03-09T08:00:00Z")),
            }
        );
        // An override starting before the next hand-over ends the answer sooner.
        r.overrides.push(OnCallOverride {
            member: id("chloe"),
            from: utc("2026-03-06T00:00:00Z"),
            until: utc("2026-03-07T00:00:00Z"),
            note: String::new(),
        });
        assert_eq!(
            on_call_now(&r, now).until,
            Some(utc("2026-03-06T00:00:00Z"))
        );
        // Before the start nobody holds it, until the first hand-over.
        let early = on_call_now(&rotation(), utc("2026-02-01T00:00:00Z"));
        assert_eq!(
            (early.member, early.until),
            (None, Some(utc("2026-03-02T08:00:00Z")))
        );
    }

    #[test]
    fn no_members_or_an_unknown_zone_means_nobody() {
        let mut empty = rotation();
        empty.members.clear();
        check(&empty, &[("2026-04-01T00:00:00Z", None)]);
        let mut unknown = rotation();
        unknown.time_zone = "Mars/Olympus".into();
        check(&unknown, &[("2026-04-01T00:00:00Z", None)]);
    }

    #[test]
    fn a_handover_inside_the_spring_forward_gap_moves_an_hour_later() {
        let mut r = rotation();
        r.handover_day = Weekday::Sunday;
        r.handover_time = NaiveTime::from_hms_opt(2, 30, 0).unwrap_or_default();
        // 02:30 does not exist in Berlin on 2026-03-29; the hand-over is at 03:30 CEST = 01:30 UTC.
        assert_eq!(handover(&r, 4), Some(utc("2026-03-29T01:30:00Z")));
    }
}
