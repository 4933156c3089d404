//! Enums of words (audit type, verdict, grade): the [`words!`] macro that
//! gives each its command-line word, and [`BadValue`] for a word that is not
//! one of them. Shared by `checklist` and `audit`, so neither imports the
//! other for it.

/// Error for a word that is not one of the allowed values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{given}' is not a valid {what}; use one of: {}", allowed.join(", "))]
pub struct BadValue {
    pub what: &'static str,
    pub given: String,
    pub allowed: Vec<&'static str>,
}

/// Generates `as_str`, `ALL`, `Display` and `FromStr` for an enum of words.
macro_rules! words {
    ($ty:ident, $what:literal, { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            /// The word used on the command line and in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),+ }
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for $ty {
            type Err = $crate::words::BadValue;
            fn from_str(s: &str) -> Result<Self, $crate::words::BadValue> {
                let s = s.trim().to_ascii_lowercase().replace('_', "-");
                $ty::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    $crate::words::BadValue {
                        what: $what,
                        given: s,
                        allowed: $ty::ALL.iter().map(|v| v.as_str()).collect(),
                    }
                })
            }
        }
    };
}
pub(crate) use words;
