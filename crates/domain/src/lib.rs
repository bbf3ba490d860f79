//! Waymark's domain: plain types and the rules a policy officer could argue
//! about. Nothing here does I/O, so every rule is tested with tables of cases.

pub mod activity;
pub mod audit;
pub mod calendar;
pub mod cases;
pub mod commissioning;
pub mod directory;
pub mod disclosure;
pub mod documents;
pub mod duty;
pub mod journey;
pub mod marac;
pub mod messages;
pub mod password;
pub mod policy;
pub mod programmes;
pub mod rate;
pub mod reports;
pub mod risk;
pub mod routing;
pub mod validation;
pub mod values;
pub mod victims_code;
