//! What the use cases outside a capability folder say, one catalogue each.
//! Keyed, so a Welsh catalogue can sit beside them.

domain::messages! {
    /// What issuing API tokens says.
    pub enum TokenMessage {
        NotAScope { scope: String, scopes: String } => "'{scope}' is not a scope: use {scopes}",
        ChooseLeastScope => "Choose at least one scope",
        ChooseOrganisationTokenActs => "Choose the organisation the token acts for",
        ChooseServiceOrganisationNoneToken => "Choose a service of that organisation, or none; a token for another organisation's service can only send referrals",
        TokenWasAlreadyRevoked => "This token was already revoked",
        RateBetween => "Give a rate from 1 to 100000 requests a minute, or none for the default",
    }
}

domain::messages! {
    /// What search says.
    pub enum SearchMessage {
        EnterDateBirthRealDate => "Enter the date of birth as a real date, for example 1990-04-01",
        EnterNameDateBirthReference => "Enter a name, date of birth, reference, crime reference, phone number or postcode",
    }
}

domain::messages! {
    /// What changing the Victims' Code rules says.
    pub enum RuleMessage {
        EnhancedNotLonger => "The deadline for victims with enhanced rights cannot be longer than the standard one",
        NotAClock { code: String, clocks: String } => "'{code}' is not a clock: use {clocks}",
        GiveNumberWorkingDays0 => "Give a number of working days from 0 to 60",
    }
}
