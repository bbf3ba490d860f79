//! Waymark's integration tests, in one binary so it links once. Every test
//! that touches storage runs on SQLite and, when `TEST_DATABASE_URL` names a
//! PostgreSQL server, on PostgreSQL too; HTTP tests start the real server on
//! a free port and drive it as a browser or an API client would.

mod activity;
mod api;
mod audit;
mod auth;
mod cases;
mod casework_api;
mod cli;
mod code_rules;
mod commissioning;
mod disclosure;
mod documents;
mod duplicates;
mod durability;
mod duty;
mod import;
mod lists;
mod marac;
mod marac_meetings;
mod people;
mod permissions;
mod programmes;
mod read_audit;
mod referrals;
mod returns;
mod risk;
mod server_limits;
mod storage;
mod support;
mod text_hygiene;
mod wording;
