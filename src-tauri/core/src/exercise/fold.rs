//! The run folded from the exercise's log.

use chrono::{DateTime, Utc};

use super::model::{
    DeclaredInject, ExerciseEvent, ExerciseEventBody, ExerciseStatus, LogEntry, ScenarioRun,
};

/// What the log says: the status, when it started and ended, the runs in the
/// order started and the scenario running now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub status: ExerciseStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub runs: Vec<ScenarioRun>,
    pub current: Option<String>,
}

pub fn fold(events: &[ExerciseEvent]) -> Folded {
    let mut f = Folded {
        status: ExerciseStatus::Planned,
        started_at: None,
        ended_at: None,
        runs: Vec::new(),
        current: None,
    };
    for event in events {
        let at = event.at;
        match &event.body {
            ExerciseEventBody::Started => {
                f.status = ExerciseStatus::Running;
                f.started_at.get_or_insert(at);
            }
            ExerciseEventBody::ScenarioStarted { scenario, incident } => {
                f.runs.push(ScenarioRun {
                    scenario: scenario.clone(),
                    incident: incident.clone(),
                    started_at: at,
                    ended_at: None,
                    revealed_at: None,
                    injects: Vec::new(),
                    log: Vec::new(),
                });
                f.current = Some(scenario.clone());
            }
            ExerciseEventBody::SituationRevealed { scenario } => {
                if let Some(run) = run_mut(&mut f.runs, scenario) {
                    run.revealed_at.get_or_insert(at);
                }
            }
            ExerciseEventBody::InjectDeclared { scenario, inject } => {
                if let Some(run) = run_mut(&mut f.runs, scenario) {
                    if !run.injects.iter().any(|i| &i.inject == inject) {
                        run.injects.push(DeclaredInject {
                            inject: inject.clone(),
                            at,
                        });
                    }
                }
            }
            ExerciseEventBody::Logged {
                scenario,
                kind,
                text,
                expected,
            } => {
                if let Some(run) = run_mut(&mut f.runs, scenario) {
                    run.log.push(LogEntry {
                        seq: event.seq,
                        at,
                        author: event.author.clone(),
                        kind: *kind,
                        text: text.clone(),
                        expected: expected.clone(),
                    });
                }
            }
            ExerciseEventBody::ScenarioEnded { scenario } => {
                if let Some(run) = run_mut(&mut f.runs, scenario) {
                    run.ended_at.get_or_insert(at);
                }
                if f.current.as_ref() == Some(scenario) {
                    f.current = None;
                }
            }
            ExerciseEventBody::Ended => {
                // Ending the exercise ends whatever still runs.
                if let Some(current) = f.current.take() {
                    if let Some(run) = run_mut(&mut f.runs, &current) {
                        run.ended_at.get_or_insert(at);
                    }
                }
                f.status = ExerciseStatus::Ended;
                f.ended_at.get_or_insert(at);
            }
        }
    }
    f
}

/// The run of `scenario` (the latest, should it appear twice).
fn run_mut<'a>(runs: &'a mut [ScenarioRun], scenario: &str) -> Option<&'a mut ScenarioRun> {
    runs.iter_mut().rev().find(|r| r.scenario == scenario)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::exercise::model::LogKind;
    use crate::incident::model::IncidentId;

    fn ev(seq: u32, minute: u32, body: ExerciseEventBody) -> ExerciseEvent {
        ExerciseEvent {
            seq,
            at: Utc
                .with_ymd_and_hms(2026, 5, 4, 10, minute, 0)
                .single()
                .unwrap_or_default(),
            author: "Ada Example".to_owned(),
            body,
        }
    }

    fn sc(key: &str) -> String {
        key.to_owned()
    }

    #[test]
    fn the_log_folds_into_status_runs_and_the_current_scenario() {
        assert_eq!(fold(&[]).status, ExerciseStatus::Planned);
        let events = vec![
            ev(1, 0, ExerciseEventBody::Started),
            ev(
                2,
                1,
                ExerciseEventBody::ScenarioStarted {
                    scenario: sc("sc-1"),
                    incident: IncidentId("INC-1".to_owned()),
                },
            ),
            ev(
                3,
                2,
                ExerciseEventBody::SituationRevealed {
                    scenario: sc("sc-1"),
                },
            ),
            ev(
                4,
                3,
                ExerciseEventBody::InjectDeclared {
                    scenario: sc("sc-1"),
                    inject: "inj-1".to_owned(),
                },
            ),
            ev(
                5,
                4,
                ExerciseEventBody::Logged {
                    scenario: sc("sc-1"),
                    kind: LogKind::Said,
                    text: "Pause the pool".to_owned(),
                    expected: Some("exp-1".to_owned()),
                },
            ),
        ];
        let f = fold(&events);
        assert_eq!(f.status, ExerciseStatus::Running);
        assert_eq!(f.current.as_deref(), Some("sc-1"));
        assert_eq!(f.runs.len(), 1);
        assert_eq!(f.runs[0].injects.len(), 1);
        assert_eq!(f.runs[0].log[0].seq, 5);
        assert!(f.runs[0].revealed_at.is_some());

        let mut ended = events.clone();
        ended.push(ev(6, 9, ExerciseEventBody::Ended));
        let f = fold(&ended);
        assert_eq!(f.status, ExerciseStatus::Ended);
        assert_eq!(f.current, None);
        assert_eq!(f.runs[0].ended_at, f.ended_at);
    }
}
