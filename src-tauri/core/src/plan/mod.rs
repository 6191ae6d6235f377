//! The plan: its model, ids, sections, structural validation, on-call
//! rotations and a readable summary.

pub mod check;
pub mod edit;
pub mod elements;
mod id;
pub mod keys;
mod lookup;
mod model;
pub mod oncall;
mod outline;
mod section;
mod summary;
pub mod text;
mod validate;

pub use id::{id, Id, MAX_ID_LEN};
pub use model::*;
pub use outline::{outline, Person, PlanOutline, SectionCounts};
pub use section::Section;
pub use summary::{summary, SECTION_TITLES};
pub use validate::{email_problem, validate, validate_change, Location, Problem};
