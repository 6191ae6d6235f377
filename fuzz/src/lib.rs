//! What Muster's fuzz targets share: the multi-file input format
//! ([`files`]), scratch folders on tmpfs ([`scratch`]), a store that each
//! run starts from in the same state ([`sandbox`]), and the fixed world of
//! laptops, keys, a signed roster and decisions the targets check input
//! against ([`world`]).
//!
//! Everything here is deterministic (fixed keys, fixed clocks, fixed
//! nonces), so the seeds written by `examples/make_seeds.rs` match the
//! world each target builds when it starts.

pub mod files;
pub mod sandbox;
pub mod scratch;
pub mod world;
