//! Labels: the five roles and five languages of `../shared/LABELS.md`, and the
//! writing direction of a block.
//!
//! In: label names as they appear in training data and JSON (`body`, `ar` …).
//! Out: `Copy` enums used everywhere inside the crate; strings only at the edges.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a block is on its page (exactly one per block).
///
/// Parsed from and printed as its name in files and JSON:
///
/// ```
/// use ghirbal::Role;
///
/// assert_eq!("legal".parse::<Role>(), Ok(Role::Legal));
/// assert_eq!(Role::Nav.to_string(), "nav");
/// assert_eq!(Role::ALL[Role::Ad.index()], Role::Ad);
/// let e = "footer".parse::<Role>().unwrap_err();
/// assert_eq!(e.to_string(), "unknown role \"footer\" (expected one of: body, chrome, nav, legal, ad)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Body,
    Chrome,
    Nav,
    Legal,
    Ad,
}

/// The language of a block's words (exactly one per block).
///
/// ```
/// use ghirbal::Lang;
///
/// assert_eq!("mixed".parse::<Lang>(), Ok(Lang::Mixed));
/// assert_eq!(Lang::Ar.as_str(), "ar");
/// assert_eq!(Lang::COUNT, 5);
/// // Names are exact: lower case only.
/// assert!("AR".parse::<Lang>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ar,
    En,
    Mixed,
    Other,
    None,
}

/// Writing direction of a block, from the bidi classes of its strong characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    Rtl,
    Ltr,
    Mixed,
    Neutral,
}

/// An unknown label name, with the accepted ones in its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLabel {
    pub kind: &'static str,
    pub name: String,
}

impl fmt::Display for UnknownLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let accepted: Vec<&str> = match self.kind {
            "role" => Role::ALL.iter().map(|r| r.as_str()).collect(),
            "dir" => vec!["rtl", "ltr", "mixed", "neutral"],
            _ => Lang::ALL.iter().map(|l| l.as_str()).collect(),
        };
        write!(
            f,
            "unknown {} {:?} (expected one of: {})",
            self.kind,
            self.name,
            accepted.join(", ")
        )
    }
}

impl std::error::Error for UnknownLabel {}

macro_rules! label_enum {
    ($ty:ident, $kind:literal, [$($var:ident => $name:literal),+ $(,)?]) => {
        impl $ty {
            /// Every value, in the order used for score vectors and model columns.
            pub const ALL: &'static [$ty] = &[$($ty::$var),+];
            /// Number of values.
            pub const COUNT: usize = [$($name),+].len();

            /// The label's spelling in files and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$var => $name),+ }
            }

            /// Position of this value in [`Self::ALL`].
            pub fn index(self) -> usize {
                self as usize
            }

            /// The value at position `i` of [`Self::ALL`].
            pub fn from_index(i: usize) -> Option<$ty> {
                Self::ALL.get(i).copied()
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownLabel;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok($ty::$var),)+
                    _ => Err(UnknownLabel { kind: $kind, name: s.to_string() }),
                }
            }
        }
    };
}

label_enum!(Role, "role", [Body => "body", Chrome => "chrome", Nav => "nav", Legal => "legal", Ad => "ad"]);
label_enum!(Lang, "lang", [Ar => "ar", En => "en", Mixed => "mixed", Other => "other", None => "none"]);
label_enum!(Dir, "dir", [Rtl => "rtl", Ltr => "ltr", Mixed => "mixed", Neutral => "neutral"]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_spelling_is_pinned() {
        let roles = serde_json::to_string(Role::ALL).unwrap();
        assert_eq!(roles, r#"["body","chrome","nav","legal","ad"]"#);
        let langs = serde_json::to_string(Lang::ALL).unwrap();
        assert_eq!(langs, r#"["ar","en","mixed","other","none"]"#);
        let dirs = serde_json::to_string(Dir::ALL).unwrap();
        assert_eq!(dirs, r#"["rtl","ltr","mixed","neutral"]"#);
    }

    #[test]
    fn parse_round_trips_and_rejects_unknown() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
            assert_eq!(Role::from_index(r.index()), Some(*r));
        }
        for l in Lang::ALL {
            assert_eq!(l.as_str().parse::<Lang>().unwrap(), *l);
        }
        let err = "footer".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("unknown role \"footer\""));
        assert!(err.to_string().contains("body, chrome, nav, legal, ad"));
        assert!("AR".parse::<Lang>().is_err());
    }
}
