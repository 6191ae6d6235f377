//! Who must be notified when an incident enters a phase, from the plan's
//! escalation matrix, the category's owners and its on-call rotation.

use chrono::{DateTime, Utc};

use super::model::{Phase, Recipient};
use crate::plan::{Id, Plan};

/// Who must be told because an incident of `category` entered `phase` at `at`.
pub fn recipients(plan: &Plan, category: &Id, phase: Phase, at: DateTime<Utc>) -> Vec<Recipient> {
    let _ = (plan, category, phase, at);
    todo!("escalation")
}
