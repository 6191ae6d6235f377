//! Tests of the exports and of the contacts import, one file per format:
//! inline expected output for a tiny plan whose text is full of characters
//! that mean something in Markdown, CSV and content lines, and properties
//! over the starter plan. (The iCalendar output read back by an independent
//! parser, Python's `icalendar`, is the app's `interop::icalendar` test.)

mod contacts;
mod ical;
mod markdown;

use chrono::{Duration, NaiveDate};

pub(crate) use crate::fixtures::plans::{day, now, starter_plan, tiny_plan};
use crate::plan::*;

#[test]
fn the_tiny_plan_is_sound() {
    assert_eq!(validate(&tiny_plan()), []);
}
