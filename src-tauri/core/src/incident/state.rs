//! The fold: an incident's state from its events, in order.
