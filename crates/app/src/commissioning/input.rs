//! The one field list for each commissioning input.

use serde::Deserialize;
use utoipa::ToSchema;

/// A funding source of the office: its name, kind (a
/// `domain::commissioning::FundingKind` code) and, for reserves, where the
/// money came from.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct FundingSourceInput {
    pub name: String,
    pub kind: String,
    pub origin: String,
}

/// What a source allocates in a financial year, named by the year it
/// starts in ("2026" for April 2026 to March 2027).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AllocationInput {
    pub source_id: String,
    pub year: String,
    pub amount: String,
}

/// A decision record, as drafted or amended.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    /// The office's reference, such as 2018.071.
    pub number: String,
    pub title: String,
    /// The day the office received the request for a decision.
    pub received_on: String,
    pub author: String,
    pub summary: String,
    pub background: String,
    pub decision: String,
    /// One amount to a line: `recipient | amount | funding source`.
    pub amounts: String,
    pub financial: String,
    pub legal: String,
    pub equality: String,
    /// revenue or capital.
    pub spend: String,
    /// Blank when all the supporting information is public; otherwise a
    /// `domain::commissioning::Exemption` code.
    pub exemption: String,
    /// The supporting information that is not published.
    pub exempt_text: String,
    /// none, published or withheld.
    pub section_b: String,
    /// The decision maker's declaration of interests: "None", or details.
    pub interests: String,
    /// The number of an approved decision this one corrects.
    pub corrects: String,
    /// The reference of a contract whose value a year the decision
    /// changes, and the new value in pounds: set when it is approved.
    pub contract: String,
    pub contract_annual_value: String,
    /// Blank when the amounts are typed; "shares" or "activity" to work
    /// them out by splitting `split_total`.
    pub split_method: String,
    pub split_total: String,
    /// For activity: the period whose recorded activity is counted.
    pub split_from: String,
    pub split_to: String,
    /// One to a line: `recipient | share | source` (shares, such as 60%)
    /// or `recipient | area | source` (activity in that area).
    pub split_lines: String,
    /// The contracts and programmes it affects, one to a line: a
    /// contract's reference, or the name of a programme the office
    /// commissions.
    pub affects: String,
}

/// A consultee's approval, with what they add.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ConsultInput {
    pub note: String,
}

/// The commissioner's approval: published at once, or on a later day with
/// the reason.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ApprovalInput {
    pub defer_until: String,
    pub deferral_reason: String,
    /// The commissioner confirms: an approved decision never changes.
    pub confirmed: bool,
}

/// A contract or grant with a provider, as set up or corrected.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ContractInput {
    /// The office's reference, such as C-2026-004.
    pub reference: String,
    pub title: String,
    /// contract or grant.
    pub kind: String,
    /// The provider's organisation id.
    pub provider: String,
    /// The provider's services it pays for, by id.
    pub services: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
    /// The last day it may be extended to, if it may be.
    pub extension_until: String,
    /// Its value a year, in pounds.
    pub annual_value: String,
    /// One to a line: `funding source | share`.
    pub funding: String,
    /// One to a line: `co-commissioner | share`, `| lead` for the lead.
    pub partners: String,
    /// One to a line: `day due | amount`.
    pub schedule: String,
    /// One to a line: `measure | target`.
    pub kpis: String,
    /// The office's objectives it serves, by id.
    pub objectives: Vec<String>,
}

/// One of the commissioner's victim objectives, from the police and crime
/// plan.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ObjectiveInput {
    /// Such as V2.
    pub code: String,
    pub title: String,
}

/// A payment made under a contract.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PaymentInput {
    pub paid_on: String,
    pub amount: String,
    pub note: String,
    /// Why, when the payment takes the contract's payments beyond its
    /// value: required then, and kept with the payment's audit event.
    pub beyond_value_reason: String,
}

/// The provider's account of a quarter.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NarrativeInput {
    /// The quarter's first day.
    pub quarter: String,
    pub narrative: String,
}

/// A regional pool led by the actor's office.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PoolInput {
    pub name: String,
    /// The collaboration agreement it is held under.
    pub agreement: String,
    /// The financial year, by the year it starts in.
    pub year: String,
    /// One to a line: `commissioner's office | amount`.
    pub contributions: String,
}
