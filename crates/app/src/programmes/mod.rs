//! Programmes (pilots) such as a domestic abuse partnership car
//! (docs/programmes.md): set up with their partners, period, funding and
//! baseline period; call-outs recorded and corrected by the delivering
//! service's workers; a baseline imported as aggregate figures; and the
//! evaluation of the pilot against the baseline, protected for
//! commissioners.

mod access;
mod correct;
mod evaluation;
mod input;
pub mod messages;
mod record;
mod setup;
mod show;

pub use evaluation::{Evaluation, RateBars};
pub use input::{CallOutInput, ProgrammeInput};
pub use show::ProgrammeView;
pub use store::programmes::{CallOut, Partner, Programme};
