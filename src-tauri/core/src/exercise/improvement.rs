//! Open improvement items as plan check gaps, pointing at the element they
//! concern (or at the exercise policy when they concern none).

use chrono::NaiveDate;

use super::model::Finding;
use crate::plan::check::{Gap, GapKind, GapLevel};
use crate::plan::{Plan, Section};

/// One gap per open item: kind `ImprovementOpen`, a warning, a problem once
/// past due; the message names the item, the exercise, the corrective action,
/// the owner (by name) and the due day ("overdue since …" when past).
pub fn gaps(plan: &Plan, findings: &[Finding], today: NaiveDate) -> Vec<Gap> {
    let mut open: Vec<&Finding> = findings.iter().filter(|f| f.done_at.is_none()).collect();
    open.sort_by_key(|f| (f.due, number(f)));
    open.into_iter()
        .map(|f| {
            let owner = plan.contact_name(&f.owner).unwrap_or(f.owner.as_str());
            let overdue = f.due < today;
            let when = if overdue {
                format!("overdue since {}", f.due)
            } else {
                format!("due {}", f.due)
            };
            let (section, element) = match &f.element {
                Some(e) => (e.section, e.key.clone()),
                None => (Section::ExercisePolicy, String::new()),
            };
            Gap {
                kind: GapKind::ImprovementOpen,
                level: if overdue {
                    GapLevel::Problem
                } else {
                    GapLevel::Warning
                },
                section,
                element,
                message: format!(
                    "Improvement item {} from exercise {} is open: {} (found: {}); owner {owner}, {when}",
                    f.id,
                    f.exercise,
                    trim_period(&f.corrective_action),
                    trim_period(&f.issue)
                ),
            }
        })
        .collect()
}

/// The number of `IMP-n`, for a stable order.
fn number(f: &Finding) -> u64 {
    f.id.as_str()
        .strip_prefix("IMP-")
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
}

fn trim_period(text: &str) -> &str {
    text.trim().trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::exercise::model::{ElementRef, ExerciseId, FindingId};
    use crate::plan::id;
    use crate::starter;

    fn finding(n: u32, due: NaiveDate, done: bool, element: Option<ElementRef>) -> Finding {
        let at = Utc
            .with_ymd_and_hms(2026, 5, 4, 12, 0, 0)
            .single()
            .unwrap_or_default();
        Finding {
            id: FindingId(format!("IMP-{n}")),
            exercise: ExerciseId("EX-1".to_owned()),
            scenario: None,
            issue: "Ben's phone number is out of date".to_owned(),
            element,
            corrective_action: "Update Ben's phone number.".to_owned(),
            owner: id("ben-sample"),
            due,
            created_at: at,
            done_at: done.then_some(at),
        }
    }

    #[test]
    fn open_items_are_warnings_until_overdue_and_done_ones_vanish() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).unwrap_or_default();
        let plan = starter::plan(day(1));
        let element = ElementRef {
            section: Section::CoreTeam,
            key: "ben-sample".to_owned(),
        };
        let findings = [
            finding(1, day(20), false, Some(element)),
            finding(2, day(10), false, None),
            finding(3, day(1), true, None),
        ];
        let gaps = gaps(&plan, &findings, day(15));
        assert_eq!(gaps.len(), 2);
        assert_eq!(gaps[0].level, GapLevel::Problem);
        assert_eq!(gaps[0].section, Section::ExercisePolicy);
        assert!(gaps[0].message.contains("overdue since 2026-06-10"));
        assert_eq!(gaps[1].level, GapLevel::Warning);
        assert_eq!(
            (gaps[1].section, gaps[1].element.as_str()),
            (Section::CoreTeam, "ben-sample")
        );
        assert_eq!(
            gaps[1].message,
            "Improvement item IMP-1 from exercise EX-1 is open: Update Ben's phone number (found: Ben's phone number is out of date); owner Ben Sample, due 2026-06-20"
        );
    }
}
