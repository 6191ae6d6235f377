//! The sections of a plan as addressable parts: every element of a plan is
//! named by its section and a key (its id; the category id for escalation
//! rules and rotations; empty for the two singletons, meta and exercise policy).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Section {
    Meta,
    Categories,
    Issues,
    Procedures,
    Escalation,
    CoreTeam,
    ExtendedTeam,
    OnCall,
    Communications,
    Decisions,
    ExercisePolicy,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::Meta,
        Section::Categories,
        Section::Issues,
        Section::Procedures,
        Section::Escalation,
        Section::CoreTeam,
        Section::ExtendedTeam,
        Section::OnCall,
        Section::Communications,
        Section::Decisions,
        Section::ExercisePolicy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Meta => "meta",
            Section::Categories => "categories",
            Section::Issues => "issues",
            Section::Procedures => "procedures",
            Section::Escalation => "escalation",
            Section::CoreTeam => "core-team",
            Section::ExtendedTeam => "extended-team",
            Section::OnCall => "on-call",
            Section::Communications => "communications",
            Section::Decisions => "decisions",
            Section::ExercisePolicy => "exercise-policy",
        }
    }

    pub fn parse(text: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// What one element of the section is called, for messages ("issue `x`").
    pub fn noun(self) -> &'static str {
        match self {
            Section::Meta => "plan details",
            Section::Categories => "category",
            Section::Issues => "issue",
            Section::Procedures => "procedure",
            Section::Escalation => "escalation rule",
            Section::CoreTeam => "core member",
            Section::ExtendedTeam => "extended contact",
            Section::OnCall => "on-call rotation",
            Section::Communications => "communication rule",
            Section::Decisions => "decision policy",
            Section::ExercisePolicy => "exercise policy",
        }
    }

    /// Sections with exactly one element, whose key is empty.
    pub fn is_singleton(self) -> bool {
        matches!(self, Section::Meta | Section::ExercisePolicy)
    }
}
