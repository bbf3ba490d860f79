//! The field lists for the directory's records.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewArea {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub parent_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewServiceInput {
    pub name: String,
    pub kind: String,
    pub organisation_id: String,
    #[serde(default)]
    pub commissioner_id: Option<String>,
    pub area_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTeam {
    pub name: String,
}
