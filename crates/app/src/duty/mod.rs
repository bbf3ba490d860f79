//! The duty service (docs/duty.md): a rota of shifts shared by one or more
//! services, planned by their managers to a cover pattern, with its gaps
//! listed; each worker's own shifts; and who is on duty now.

mod access;
mod assign;
mod input;
pub mod messages;
mod now;
mod rota;
mod setup;
mod swap;

pub use input::{RotaInput, ShiftInput, SwapInput};
pub use now::OnDuty;
pub use rota::{Gap, RotaDay, RotaSlot, RotaView};
pub use store::duty::{Rota, RotaService, Shift, Swap};
pub use swap::SwapForm;
