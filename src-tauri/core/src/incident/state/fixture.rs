//! Timelines for tests of the incident modules: well-chained events built
//! from bodies, without a database.

use crate::export::Team;
use crate::incident::chain;
use crate::incident::model::{
    Event, EventBody, IncidentId, ProcedureSnapshot, Recipient, Role, RoleAssignment, StepSnapshot,
};
use crate::plan::{id, Reach, Severity};
pub(crate) use crate::testing::utc;

pub(crate) fn recipient(contact: &str, name: &str, team: Team) -> Recipient {
    Recipient {
        contact: id(contact),
        name: name.to_owned(),
        team,
        role: "Responder".to_owned(),
        reach: Reach {
            email: Some(format!("{contact}@example.com")),
            chat: None,
            phone: None,
        },
        on_call: false,
    }
}

/// INC-3, "Oracle failure", S1, with one procedure of two steps (the second
/// needs the `pause-contract` decision); Ada leads, Ben keeps the timeline;
/// Ada and Dara must be told upon detection.
pub(crate) fn declaration() -> EventBody {
    EventBody::Declared {
        title: "Oracle failure".to_owned(),
        issue: Some(id("oracle-failure")),
        category: id("protocol-problem"),
        severity: Severity::S1,
        exercise: false,
        description: "The ETH feed stopped updating at block 19000000".to_owned(),
        procedures: vec![ProcedureSnapshot {
            id: id("handle-oracle-failure"),
            title: "Handle an oracle failure".to_owned(),
            steps: vec![
                StepSnapshot {
                    id: id("confirm-feed"),
                    action: "Confirm the feed is stale".to_owned(),
                    how: String::new(),
                    tools: String::new(),
                    test: String::new(),
                    expected_minutes: Some(5),
                    decision: None,
                },
                StepSnapshot {
                    id: id("pause-pool"),
                    action: "Pause the lending pool".to_owned(),
                    how: String::new(),
                    tools: String::new(),
                    test: String::new(),
                    expected_minutes: Some(10),
                    decision: Some(id("pause-contract")),
                },
            ],
        }],
        roles: vec![
            RoleAssignment {
                role: Role::Lead,
                contact: id("ada-example"),
                name: "Ada Example".to_owned(),
            },
            RoleAssignment {
                role: Role::Scribe,
                contact: id("ben-sample"),
                name: "Ben Sample".to_owned(),
            },
        ],
        escalate: vec![
            recipient("ada-example", "Ada Example", Team::Core),
            recipient("dara-mock", "Dara Mock", Team::Core),
        ],
    }
}

/// A timeline being built, each event chained to the one before.
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    pub events: Vec<Event>,
}

impl Timeline {
    /// INC-3 declared with [`declaration`] at `at` by Ada.
    pub fn declared(at: &str) -> Timeline {
        let mut t = Timeline { events: Vec::new() };
        t.push(at, "Ada Example", declaration());
        t
    }

    pub fn push(&mut self, at: &str, author: &str, body: EventBody) -> &mut Timeline {
        let seq = self.events.len() as u32 + 1;
        let at = utc(at);
        let prev_hash = self
            .events
            .last()
            .map_or_else(|| chain::GENESIS.to_owned(), |e| e.hash.clone());
        let body_text = serde_json::to_string(&body).unwrap();
        let hash = chain::hash(
            "INC-3",
            seq,
            &chain::timestamp(at),
            author,
            &prev_hash,
            &body_text,
        );
        self.events.push(Event {
            incident: IncidentId("INC-3".to_owned()),
            seq,
            at,
            author: author.to_owned(),
            body,
            prev_hash,
            hash,
        });
        self
    }
}
