//! Updates out, in the store: which communication rules send their updates
//! to a target on this laptop (the kind and where, never the secret: that is
//! in the OS keychain, see `ops::send`), and a send recorded on the
//! incident's timeline.

use super::incidents::append;
use super::Store;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::incident::model::{EventBody, Incident, IncidentId};
use crate::ops::send::{TargetKind, UpdateTarget};
use crate::plan::Id;

/// The settings that hold the targets: this prefix, then the rule's id.
const TARGET: &str = "updates.target.";

impl Store {
    /// The targets set up on this laptop, by rule, in the plan's order
    /// (a target of a rule the plan no longer has is left out).
    pub fn update_targets(&mut self) -> Result<Vec<UpdateTarget>> {
        let plan = self.current()?;
        let mut out = Vec::new();
        for rule in &plan.communications {
            if let Some(text) = self.setting(&format!("{TARGET}{}", rule.id))? {
                if let Ok(target) = serde_json::from_str::<UpdateTarget>(&text) {
                    out.push(target);
                }
            }
        }
        Ok(out)
    }

    /// Sets (or, with `None`, removes) the target of `rule` on this laptop.
    pub fn set_update_target(
        &mut self,
        rule: &Id,
        target: Option<(TargetKind, String)>,
    ) -> Result<()> {
        let plan = self.current()?;
        if !plan.communications.iter().any(|r| &r.id == rule) {
            return Err(Error::Refused(format!(
                "the plan has no communication rule `{rule}`"
            )));
        }
        let value = target
            .map(|(kind, shown)| {
                serde_json::to_string(&UpdateTarget {
                    rule: rule.clone(),
                    kind,
                    shown,
                })
                .map_err(|e| Error::Corrupt(e.to_string()))
            })
            .transpose()?;
        self.set_setting(&format!("{TARGET}{rule}"), value.as_deref())
    }

    /// Records that an update of `rule` was sent (or failed to be) to
    /// `target`, on incident `id`.
    pub fn record_update_sent(
        &mut self,
        id: &IncidentId,
        target: &UpdateTarget,
        ok: bool,
        detail: &str,
        clock: &dyn Clock,
    ) -> Result<Incident> {
        let now = clock.now();
        let author = self.author.clone();
        self.with_tx(|tx| {
            let body = EventBody::UpdateSent {
                rule: target.rule.clone(),
                target: target.kind,
                destination: target.shown.clone(),
                ok,
                // A target's answer or an error's words: text from outside,
                // made safe to show (and for teammates' laptops to take).
                detail: crate::plan::text::defused(detail, false)
                    .chars()
                    .take(500)
                    .collect(),
            };
            append(tx, id, now, &author, body)
        })
    }
}
