//! A real incident's figures, as the practice measures a response: how long
//! from the declaration until everyone the detection called for was told,
//! until it was mitigated, until it was resolved. Read from the folded
//! record; a step not reached yet has no figure. Exercises are measured by
//! their own evaluation, not here.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::model::{Incident, IncidentId, Phase};
use crate::plan::Severity;

/// One incident's response times, in whole minutes from its declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResponseFigures {
    pub id: IncidentId,
    pub title: String,
    pub severity: Severity,
    pub declared_at: DateTime<Utc>,
    /// Until the last person the detection called for was marked notified.
    pub to_notify: Option<u32>,
    /// Until it first entered Mitigated (or a later phase, when Mitigated was skipped).
    pub to_mitigate: Option<u32>,
    /// Until it was first resolved.
    pub to_resolve: Option<u32>,
}

/// The figures of `incident`; `None` for an exercise.
pub fn figures(incident: &Incident) -> Option<ResponseFigures> {
    if incident.exercise {
        return None;
    }
    let since =
        |at: DateTime<Utc>| u32::try_from((at - incident.declared_at).num_minutes().max(0)).ok();
    let detection: Vec<_> = incident
        .escalations
        .iter()
        .filter(|e| e.phase == Phase::Detected)
        .collect();
    let to_notify = if detection.iter().all(|e| e.notified.is_some()) {
        detection
            .iter()
            .filter_map(|e| e.notified.as_ref().map(|n| n.at))
            .max()
            .map_or(Some(0), since)
    } else {
        None
    };
    let first = |reached: &dyn Fn(Phase) -> bool| {
        incident
            .phases
            .iter()
            .filter(|p| reached(p.phase))
            .map(|p| p.at)
            .min()
    };
    let to_mitigate = first(&|p| p >= Phase::Mitigated).and_then(since);
    let to_resolve = first(&|p| p >= Phase::Resolved).and_then(since);
    Some(ResponseFigures {
        id: incident.id.clone(),
        title: incident.title.clone(),
        severity: incident.severity,
        declared_at: incident.declared_at,
        to_notify,
        to_mitigate,
        to_resolve,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::model::{EventBody, Phase};
    use crate::incident::state::fixture::Timeline;
    use crate::incident::state::fold;

    #[test]
    fn minutes_from_the_declaration_to_told_mitigated_and_resolved() {
        let mut t = Timeline::declared("2026-03-01T10:00:00Z");
        let open = fold(&t.events).unwrap();
        let f = figures(&open).unwrap();
        // Nothing reached yet but the declaration.
        assert_eq!((f.to_mitigate, f.to_resolve), (None, None));

        t.push(
            "2026-03-01T10:40:00Z",
            "Ada Example",
            EventBody::PhaseChanged {
                from: Phase::Detected,
                to: Phase::Mitigated,
                note: String::new(),
                escalate: vec![],
            },
        )
        .push(
            "2026-03-01T12:05:00Z",
            "Ada Example",
            EventBody::PhaseChanged {
                from: Phase::Mitigated,
                to: Phase::Resolved,
                note: String::new(),
                escalate: vec![],
            },
        );
        let f = figures(&fold(&t.events).unwrap()).unwrap();
        assert_eq!(f.to_mitigate, Some(40));
        assert_eq!(f.to_resolve, Some(125));
    }

    #[test]
    fn an_exercise_has_no_figures_here() {
        let mut incident = fold(&Timeline::declared("2026-03-01T10:00:00Z").events).unwrap();
        incident.exercise = true;
        assert_eq!(figures(&incident), None);
    }
}
