//! The read-back of one scenario: the steps taken (the moderator's "said" and
//! "did" entries and the exercise incident's checklist steps marked done), in
//! the order taken, beside the expected actions — missed, out of order, extra.
//!
//! Once the scenario has ended, only what happened up to its end counts (in
//! the steps taken and in the measured times): the read-back is final even
//! if the responders go on working the exercise incident afterwards.

use chrono::{DateTime, Utc};

use super::measure::{against_targets, measure};
use super::model::{
    ExpectedRow, ExpectedStatus, LogKind, ReadBack, Scenario, ScenarioRun, TakenRow, TakenSource,
    TakenStatus,
};
use crate::incident::{Event, EventBody, StepStatus};
use crate::plan::Id;

/// A taken step counts as an expected action when the log entry names it, or
/// when it is the checklist step the action links to; the first such step
/// takes it, later ones are extra. Out of order: taken actions outside the
/// longest run that keeps the expected order.
pub fn read_back(
    scenario: &Scenario,
    run: &ScenarioRun,
    incident_events: &[Event],
    now: DateTime<Utc>,
) -> ReadBack {
    let events: Vec<Event> = incident_events
        .iter()
        .filter(|e| run.ended_at.is_none_or(|end| e.at <= end))
        .cloned()
        .collect();
    let start = run.started_at;
    let offset = |at: DateTime<Utc>| (at - start).num_seconds();

    // The steps taken, by time; the log before the checklist on a tie.
    let mut taken: Vec<(TakenRow, Link)> = run
        .log
        .iter()
        .filter(|l| l.kind != LogKind::Note)
        .filter(|l| run.ended_at.is_none_or(|end| l.at <= end))
        .map(|l| {
            let row = TakenRow {
                at: l.at,
                offset_seconds: offset(l.at),
                text: l.text.clone(),
                kind: l.kind,
                source: TakenSource::Log,
                expected: None,
                status: TakenStatus::Extra,
            };
            (row, Link::Named(l.expected.clone()))
        })
        .collect();
    taken.extend(checklist(&events, start));
    taken.sort_by_key(|(row, _)| (row.at, row.source == TakenSource::Checklist));

    // The first step to count as an expected action takes it; later ones are extra.
    let mut first: Vec<Option<usize>> = vec![None; scenario.expected.len()];
    let mut matched: Vec<(usize, usize)> = Vec::new(); // (taken index, expected index)
    for (t, (_, link)) in taken.iter().enumerate() {
        let free = |i: &usize| first[*i].is_none();
        let wanted = match link {
            Link::Named(key) => key
                .as_deref()
                .and_then(|key| scenario.expected.iter().position(|x| x.key == key))
                .filter(free),
            // Several expected actions may link one step: the first not yet taken.
            Link::Step(procedure, step) => scenario
                .expected
                .iter()
                .enumerate()
                .filter(|(_, x)| {
                    x.procedure.as_ref() == Some(procedure) && x.step.as_ref() == Some(step)
                })
                .map(|(i, _)| i)
                .find(free),
        };
        if let Some(i) = wanted {
            first[i] = Some(t);
            matched.push((t, i));
        }
    }
    let mut taken: Vec<TakenRow> = taken.into_iter().map(|(row, _)| row).collect();
    for (t, i) in &matched {
        taken[*t].expected = Some(scenario.expected[*i].key.clone());
    }

    let in_order = longest_increasing(&matched.iter().map(|(_, i)| *i).collect::<Vec<_>>());
    let mut expected_status = vec![ExpectedStatus::Missed; scenario.expected.len()];
    for (n, (t, i)) in matched.iter().enumerate() {
        let ok = in_order.contains(&n);
        taken[*t].status = if ok {
            TakenStatus::InOrder
        } else {
            TakenStatus::OutOfOrder
        };
        expected_status[*i] = if ok {
            ExpectedStatus::Done
        } else {
            ExpectedStatus::OutOfOrder
        };
    }

    let expected: Vec<ExpectedRow> = scenario
        .expected
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let at = first[i].map(|t| taken[t].at);
            ExpectedRow {
                key: x.key.clone(),
                text: x.text.clone(),
                status: expected_status[i],
                taken_at: at,
                offset_seconds: at.map(offset),
            }
        })
        .collect();
    let count = |status: ExpectedStatus| expected.iter().filter(|x| x.status == status).count();
    let missed = count(ExpectedStatus::Missed) as u32;
    let out_of_order = count(ExpectedStatus::OutOfOrder) as u32;
    let extra = taken
        .iter()
        .filter(|t| t.status == TakenStatus::Extra)
        .count() as u32;
    let measured = measure(&events);
    let targets = against_targets(
        &scenario.targets,
        &measured,
        start,
        run.ended_at.is_some(),
        now,
    );
    ReadBack {
        scenario: scenario.key.clone(),
        title: scenario.title.clone(),
        incident: run.incident.clone(),
        started_at: run.started_at,
        ended_at: run.ended_at,
        expected,
        taken,
        missed,
        out_of_order,
        extra,
        measured,
        targets,
    }
}

/// What a step taken says it is.
enum Link {
    /// A log entry, naming an expected action or not.
    Named(Option<String>),
    /// A checklist step: procedure and step.
    Step(Id, Id),
}

/// The incident's checklist steps marked done from `start` on, each with its
/// action's text from the declaration's procedure snapshot.
fn checklist(events: &[Event], start: DateTime<Utc>) -> Vec<(TakenRow, Link)> {
    let procedures = match events.first().map(|e| &e.body) {
        Some(EventBody::Declared { procedures, .. }) => procedures.as_slice(),
        _ => &[],
    };
    events
        .iter()
        .filter(|e| e.at >= start)
        .filter_map(|e| {
            let EventBody::StepMarked {
                procedure,
                step,
                status: StepStatus::Done,
                ..
            } = &e.body
            else {
                return None;
            };
            let text = procedures
                .iter()
                .find(|p| &p.id == procedure)
                .and_then(|p| p.steps.iter().find(|s| &s.id == step))
                .map_or_else(|| format!("{procedure}/{step}"), |s| s.action.clone());
            let row = TakenRow {
                at: e.at,
                offset_seconds: (e.at - start).num_seconds(),
                text,
                kind: LogKind::Did,
                source: TakenSource::Checklist,
                expected: None,
                status: TakenStatus::Extra,
            };
            Some((row, Link::Step(procedure.clone(), step.clone())))
        })
        .collect()
}

/// The positions in `values` of a longest strictly increasing subsequence.
/// Of several, the one ending in the smallest values: an action taken early,
/// before one expected earlier, is the one out of order.
pub(crate) fn longest_increasing(values: &[usize]) -> Vec<usize> {
    // tails[k]: the position of the smallest last value of an increasing
    // subsequence of length k + 1; prev: each position's predecessor.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; values.len()];
    for (i, v) in values.iter().enumerate() {
        let k = tails.partition_point(|&t| values[t] < *v);
        prev[i] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(i) = at {
        out.push(i);
        at = prev[i];
    }
    out.reverse();
    out
}
