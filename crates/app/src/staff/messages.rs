//! What managing staff says. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What managing staff says.
    pub enum StaffMessage {
        RolesKeptApart => "This role cannot be held with the person's other roles: an auditor holds no other role, and a commissioner no casework role",
        EnterPersonsWorkEmailAddress => "Enter the person's work email address",
        EnterEmailAddressRightFormat => "Enter an email address in the right format, like name@example.org",
        ChoosePersonsRole => "Choose the person's role",
        ChooseServicePersonWorksRole => "Choose the service this person works in: this role belongs to a service",
        CannotGiveRoleAskAdministrator => "You cannot give this role: ask an administrator",
        ChoosePersonsOrganisation => "Choose the person's organisation",
        ChooseServiceList => "Choose a service from the list",
        ChooseServicePersonsOwnOrganisation => "Choose a service of the person's own organisation",
        ChooseTeamPersonsServiceNone => "Choose a team of the person's service, or none",
        SomeoneAlreadyHasEmailAddress => "Someone already has this email address as their username",
        CannotDisableOwnAccount => "You cannot disable your own account",
        ChooseRole => "Choose a role",
        PersonHasNoServiceChoose => "This person has no service: choose their organisation instead",
        OnlyAdministratorsAuditorsCanHold => "Only administrators and auditors can hold a role everywhere",
        ChooseWhereRoleApplies => "Choose where the role applies",
        MaracRoleGivenAfter => "A MARAC role is held over a MARAC: add the person with the role they hold in their organisation, then give the MARAC role on their page",
        MaracRolesOverAMarac => "MARAC roles, and only they, are held over a MARAC: choose the MARAC for a MARAC role, or their service or organisation for any other",
        CannotGiveRoleHereAsk => "You cannot give this role here: ask an administrator",
        PersonAlreadyHasRoleHere => "This person already has this role here",
        CannotRemoveOwnRolesAsk => "You cannot remove your own roles: ask another administrator",
    }
}
