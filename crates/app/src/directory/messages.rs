//! What changing organisations, areas, services and teams says. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What changing organisations, areas, services and teams says.
    pub enum DirectoryMessage {
        ServiceNameTaken => "This organisation already has a service with this name",
        TeamNameTaken => "This service already has a team with this name",
        AreaNameTaken => "An area with this name already exists",
        OrganisationNameTaken => "An organisation with this name already exists",
        ChooseWhetherPoliceForceArea => "Choose whether this is a police force area or a local authority district",
        ChooseAreaList => "Choose an area from the list",
        ChoosePoliceForceAreaDistrict => "Choose the police force area this district is in",
        ChooseWhatKindOrganisation => "Choose what kind of organisation this is",
        ChooseWhatKindService => "Choose what kind of service this is",
        ChooseOrganisationProvidesService => "Choose the organisation that provides this service",
        ChooseProviderPartnerOrganisationCommissioners => "Choose a provider or partner organisation: commissioners and police do not provide services here",
        ChooseCommissionerListNone => "Choose a commissioner from the list, or none",
        ChooseAreaServiceCovers => "Choose the area this service covers",
    }
}
