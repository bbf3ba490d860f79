//! The duty service (docs/duty.md): a rota of shifts shared by one or more
//! services, planned by their managers to a cover pattern, with its gaps
//! listed; each worker's own shifts; and who is on duty now.

mod access;
mod assign;
mod continuity;
mod figures;
mod input;
pub mod messages;
mod now;
mod receive;
mod request;
mod rota;
mod setup;
mod swap;

pub use continuity::{HandoverForm, HandoverInput, PastHandover, WaitingCase};
pub use figures::{ResponseFigures, ResponseLine};
pub use input::{ActionedInput, RequestInput, RotaInput, ShiftInput, SwapInput};
pub use now::OnDuty;
pub use receive::{Received, SentRequestInput};
pub use request::Recorded;
pub(crate) use request::day_span;
pub use rota::{Gap, RotaDay, RotaSlot, RotaView};
pub use store::duty::{DutyCase, Request, Rota, RotaService, Shift, Swap};
pub use swap::SwapForm;
