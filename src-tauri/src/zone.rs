//! The local time zone, for deadlines counted in calendar days and for times
//! shown to people. Core takes the zone as an argument; the shell finds it
//! here, once per use, so a laptop that changes zone is followed.

use chrono_tz::Tz;

/// The zone named by `TZ` (an IANA name such as `Europe/Berlin`, optionally
/// with a leading `:`), else the system's zone, else UTC.
pub fn local_zone() -> Tz {
    zone_from(std::env::var("TZ").ok().as_deref(), || {
        iana_time_zone::get_timezone().ok()
    })
}

/// Why `TZ` is not followed, when it is set to something that is not a
/// zone name Muster knows (a POSIX rule such as `CET-1CEST,M3.5.0,M10.5.0/3`
/// or a typo): said, never silently replaced by another zone.
pub fn tz_problem() -> Option<String> {
    problem_of(std::env::var("TZ").ok().as_deref(), local_zone())
}

fn problem_of(tz: Option<&str>, used: Tz) -> Option<String> {
    let name = tz?.trim();
    let bare = name.trim_start_matches(':');
    if bare.is_empty() || bare.parse::<Tz>().is_ok() {
        return None;
    }
    Some(format!(
        "TZ=`{name}` is not a time zone name Muster knows (it reads IANA names such as Europe/Berlin): times are shown in {used}"
    ))
}

fn zone_from(tz: Option<&str>, system: impl FnOnce() -> Option<String>) -> Tz {
    let parse = |name: &str| name.trim().trim_start_matches(':').parse::<Tz>().ok();
    tz.and_then(parse)
        .or_else(|| system().as_deref().and_then(parse))
        .unwrap_or(Tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tz_muster_cannot_read_is_said_with_the_zone_used_instead() {
        assert_eq!(problem_of(None, Tz::UTC), None);
        assert_eq!(problem_of(Some(":Europe/Berlin"), Tz::Europe__Berlin), None);
        assert_eq!(problem_of(Some(""), Tz::UTC), None);
        let said = problem_of(Some("CET-1CEST,M3.5.0,M10.5.0/3"), Tz::UTC).unwrap();
        assert!(said.contains("TZ=`CET-1CEST,M3.5.0,M10.5.0/3`"), "{said}");
        assert!(said.ends_with("times are shown in UTC"), "{said}");
    }

    #[test]
    fn the_zone_comes_from_tz_then_the_system_then_utc() {
        fn system(name: Option<&'static str>) -> impl FnOnce() -> Option<String> {
            move || name.map(str::to_owned)
        }
        for (tz, sys, expected) in [
            (
                Some("Europe/Berlin"),
                Some("Asia/Tokyo"),
                Tz::Europe__Berlin,
            ),
            (Some(":America/New_York"), None, Tz::America__New_York),
            (Some("not a zone"), Some("Asia/Tokyo"), Tz::Asia__Tokyo),
            (None, Some("Asia/Tokyo"), Tz::Asia__Tokyo),
            (None, Some("Mars/Olympus"), Tz::UTC),
            (None, None, Tz::UTC),
        ] {
            assert_eq!(
                zone_from(tz, system(sys)),
                expected,
                "TZ={tz:?}, system {sys:?}"
            );
        }
    }
}
