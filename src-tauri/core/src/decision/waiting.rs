//! Whom a pending decision still waits for, and the question Muster puts to
//! that person ("Your approval is needed: …") — once per decision and person.
//! A rule of the domain, so the scheduler that raises the question and any
//! other door read it from here.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{DecisionId, DecisionStatus, QuorumState, Standing};
use crate::clock::Clock;
use crate::error::Result;
use crate::plan::Id;
use crate::store::Store;

/// A pending decision that waits for this profile's person, not yet asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub decision: DecisionId,
    /// The setting that remembers the question once it was put.
    pub key: String,
    /// "Your approval is needed: …", marked EXERCISE for an exercise.
    pub title: String,
    /// The decision, its incident, its policy and when it expires.
    pub body: String,
    /// Real decisions are urgent; exercise ones are not.
    pub critical: bool,
}

/// The setting remembering that `contact` was asked to approve `decision`.
pub fn asked_key(decision: &DecisionId, contact: &Id) -> String {
    format!("decision.asked:{decision}:{contact}")
}

/// Whether pending decision `status` still needs `contact`'s answer: a
/// required approver who has not answered, or an additional one while
/// additional approvals are missing.
pub fn waits_for(status: &DecisionStatus, contact: &Id) -> bool {
    let quorum = &status.quorum;
    quorum.state == QuorumState::Pending
        && quorum.approvers.iter().any(|a| {
            &a.contact == contact
                && a.standing == Standing::Waiting
                && (a.required || quorum.additional_missing > 0)
        })
}

impl Store {
    /// The pending decisions that wait for the profile's person and that
    /// they were not asked about before; times shown in `zone`.
    pub fn awaiting_approval(&mut self, clock: &dyn Clock, zone: Tz) -> Result<Vec<Waiting>> {
        let Some(me) = self.profile_contact()? else {
            return Ok(Vec::new());
        };
        let mut waiting = Vec::new();
        for status in self.decisions(clock)? {
            let key = asked_key(&status.request.id, &me);
            if !waits_for(&status, &me) || self.setting(&key)?.is_some() {
                continue;
            }
            let r = &status.request;
            let exercise = if r.exercise { "EXERCISE — " } else { "" };
            let expires = r.expires.with_timezone(&zone).format("%H:%M %Z");
            waiting.push(Waiting {
                decision: r.id.clone(),
                key,
                title: format!("{exercise}Your approval is needed: {}", r.statement),
                body: format!(
                    "{} on {} under “{}”, expires {expires}",
                    r.id, r.incident, r.policy_title
                ),
                critical: !r.exercise,
            });
        }
        Ok(waiting)
    }

    /// The question key of every pending decision that still waits for this
    /// profile's person, asked before or not: a pop-up asking about any
    /// other decision can go.
    pub fn awaiting_keys(
        &mut self,
        clock: &dyn Clock,
    ) -> Result<std::collections::BTreeSet<String>> {
        let Some(me) = self.profile_contact()? else {
            return Ok(std::collections::BTreeSet::new());
        };
        Ok(self
            .decisions(clock)?
            .iter()
            .filter(|status| waits_for(status, &me))
            .map(|status| asked_key(&status.request.id, &me))
            .collect())
    }

    /// Remembers (in the settings, so a restart does not ask again) that the
    /// question behind `key` was put at `at`.
    pub fn remember_asked(&mut self, key: &str, at: DateTime<Utc>) -> Result<()> {
        self.set_setting(key, Some(&at.to_rfc3339()))
    }
}
