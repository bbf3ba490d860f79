//! Catalogues of what Waymark says to people. Each capability declares its
//! messages once, with [`messages!`]: a stable key (the variant's name) and
//! its English wording, in the capability's `messages.rs`. A Welsh
//! catalogue is added beside the English one as a second `match` over the
//! same variants, so the compiler refuses one that misses a message.

/// Declares a catalogue: an enum whose variants are the messages.
///
/// ```
/// domain::messages! {
///     /// What a small capability says.
///     pub enum ExampleMessage {
///         NameMissing => "Enter a name",
///         TooMany { count: u32 } => "{count} is too many",
///     }
/// }
/// assert_eq!(ExampleMessage::NameMissing.key(), "NameMissing");
/// assert_eq!(ExampleMessage::TooMany { count: 4 }.english(), "4 is too many");
/// assert_eq!(String::from(ExampleMessage::NameMissing), "Enter a name");
/// ```
#[macro_export]
macro_rules! messages {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({ $($field:ident : $fty:ty),* $(,)? })? => $english:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$vmeta])* $variant $({ $($field: $fty),* })?,)+
        }

        impl $name {
            /// The message's stable key.
            pub fn key(&self) -> &'static str {
                match self {
                    $($name::$variant { .. } => stringify!($variant),)+
                }
            }

            /// The message with no values whose key this is: a key read
            /// back from a link (`?done=AttemptRecorded`).
            pub fn from_key(key: &str) -> Option<Self> {
                match key {
                    $(stringify!($variant) => $crate::message_without_values!($name::$variant $({ $($field),* })?),)+
                    _ => None,
                }
            }

            /// The message in English, with its values in place.
            #[allow(unused_variables)]
            pub fn english(&self) -> String {
                match self {
                    $($name::$variant $({ $($field),* })? => format!($english),)+
                }
            }
        }

        impl From<$name> for String {
            fn from(message: $name) -> String {
                message.english()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.english())
            }
        }
    };
}

/// `Some(variant)` for a message without values, `None` for one with them.
#[doc(hidden)]
#[macro_export]
macro_rules! message_without_values {
    ($variant:path) => {
        Some($variant)
    };
    ($variant:path { $($field:ident),* }) => {
        None
    };
}

#[cfg(test)]
mod tests {
    crate::messages! {
        enum Sample {
            First => "The first",
            Counted { count: usize } => "{count} so far",
        }
    }

    #[test]
    fn a_catalogue_gives_keys_and_wording() {
        assert_eq!(Sample::First.key(), "First");
        assert_eq!(Sample::Counted { count: 3 }.key(), "Counted");
        assert_eq!(Sample::First.english(), "The first");
        assert_eq!(Sample::Counted { count: 3 }.to_string(), "3 so far");
        assert_eq!(String::from(Sample::First), "The first");
        assert_eq!(Sample::from_key("First"), Some(Sample::First));
        assert_eq!(Sample::from_key("Counted"), None, "it needs its values");
        assert_eq!(Sample::from_key("Nothing"), None);
    }
}
