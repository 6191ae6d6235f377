//! The projector's view: only what the moderator has revealed.

use chrono::{DateTime, Utc};

use super::model::{Exercise, ParticipantScenario, ParticipantView, RevealedInject};

pub fn participant_view(exercise: &Exercise, now: DateTime<Utc>) -> ParticipantView {
    let run = exercise
        .current
        .as_ref()
        .and_then(|c| exercise.runs.iter().rev().find(|r| &r.scenario == c))
        .or_else(|| exercise.runs.last());
    let scenarios = &exercise.setup.scenarios;
    let scenario = run.and_then(|run| {
        let index = scenarios.iter().position(|s| s.key == run.scenario)?;
        let s = &scenarios[index];
        Some(ParticipantScenario {
            number: index as u32 + 1,
            of: scenarios.len() as u32,
            title: s.title.clone(),
            incident: run.incident.clone(),
            started_at: run.started_at,
            ended_at: run.ended_at,
            situation: if run.revealed_at.is_some() {
                s.situation.clone()
            } else {
                String::new()
            },
            injects: run
                .injects
                .iter()
                .filter_map(|d| {
                    let inject = s.injects.iter().find(|i| i.key == d.inject)?;
                    Some(RevealedInject {
                        title: inject.title.clone(),
                        text: inject.text.clone(),
                        at: d.at,
                    })
                })
                .collect(),
        })
    });
    ParticipantView {
        exercise: exercise.id.clone(),
        title: exercise.setup.title.clone(),
        status: exercise.status,
        scenario,
        now,
    }
}
