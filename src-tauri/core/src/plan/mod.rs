//! The plan: its model, ids, structural validation and a readable summary.

mod id;
mod model;
mod summary;
mod validate;

pub use id::{id, Id, MAX_ID_LEN};
pub use model::*;
pub use summary::{summary, SECTION_TITLES};
pub use validate::{validate, Location, Problem};
