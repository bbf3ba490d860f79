//! Commissioning (docs/commissioning.md): an office's funding sources and
//! budgets by financial year; decisions drafted by a commissioning officer,
//! consulted on by the chief finance officer and the monitoring officer,
//! approved by the Police and Crime Commissioner, and published on the
//! public register, exempt parts withheld.

mod access;
mod approve;
mod consult;
mod contracts;
mod draft;
mod funding;
mod input;
pub mod messages;
mod narrative;
mod objectives;
mod payments;
mod pools;
mod register;
mod report;
mod show;
mod split;
mod view;

pub use funding::{BudgetYear, remaining};
pub use input::{
    AllocationInput, ApprovalInput, ConsultInput, ContractInput, DecisionInput, FundingSourceInput,
    NarrativeInput, ObjectiveInput, PaymentInput, PoolInput,
};
pub use objectives::ObjectiveServed;
pub use payments::contract_value;
pub use pools::PoolView;
pub use register::{FundedChoices, FundedFilter, FundedService, PublicDecision, RegisterFilter};
pub use report::COMMISSIONING_REPORT;
pub use show::{DecisionList, DecisionView};
pub use store::commissioning::{
    Amount, BudgetLine, Consultation, Contract, ContractParts, ContractSort, Decision,
    DecisionSort, FundingSource, Narrative, Objective, Payment, Pool, Split,
};
pub use view::{ContractList, ContractQuarter, ContractView, KpiFigure};
