//! The kinds of organisation, area and service that make up the landscape of
//! victims' services: who commissions, who provides, where.

/// Declares a closed list of codes stored as text, with the label people see.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and used in the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The words shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// (code, label) for each, in order: the options of a form's list.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|k| (k.code(), k.label())).collect()
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

pub(crate) use coded_enum;

coded_enum! {
    /// What an organisation is in the landscape.
    OrganisationKind {
        Commissioner => ("commissioner", "Commissioner"),
        Provider => ("provider", "Provider"),
        Police => ("police", "Police"),
        Partner => ("partner", "Partner agency"),
    }
}

coded_enum! {
    /// Police force areas contain local authority districts.
    AreaKind {
        ForceArea => ("force_area", "Police force area"),
        LocalAuthority => ("local_authority", "Local authority district"),
    }
}

coded_enum! {
    /// What a provider delivers under its contract.
    ServiceKind {
        Generic => ("generic", "Generic victim support"),
        DomesticAbuse => ("domestic_abuse", "Domestic abuse support"),
        Idva => ("idva", "IDVA service"),
        Isva => ("isva", "ISVA service"),
        ChildrenYoungPeople => ("children_young_people", "Children and young people"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_its_kind() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.code()), Some(*kind));
        }
        for kind in AreaKind::ALL {
            assert_eq!(AreaKind::parse(kind.code()), Some(*kind));
        }
        for kind in ServiceKind::ALL {
            assert_eq!(ServiceKind::parse(kind.code()), Some(*kind));
        }
        assert_eq!(ServiceKind::parse("IDVA"), None);
    }
}
