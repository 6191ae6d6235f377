//! Muster's files read by programs outside it: approval bundles checked by
//! the real `ssh-keygen -Y verify` with the lines their README gives, and the
//! calendar read by Python's `icalendar`. Core's unit tests run no external
//! program; these are where that is checked.

mod icalendar;
mod ssh_keygen;
