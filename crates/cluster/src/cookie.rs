//! The shared secret two nodes prove to each other that they know.

use std::fmt;

// ANCHOR: cookie
/// The environment variable the cookie is read from. Never a flag: the
/// command line of every process is readable by every user of the machine
/// (`ps`, `/proc/PID/cmdline`); a process's environment is readable only by
/// its owner.
pub const COOKIE_VAR: &str = "DEMO_COOKIE";

/// The fewest characters a cookie may have. ractor_cluster proves the
/// cookie with a SHA-256 challenge, so it never crosses the wire; but one
/// recorded handshake (or a client fooled into connecting to an impostor)
/// gives a challenge and its digest, against which guesses can be tried
/// offline, as fast as SHA-256 runs. 16 random characters of letters and
/// digits are about 95 bits: out of reach. A word is not.
pub const MIN_COOKIE_LEN: usize = 16;

/// A cookie long enough to use. Its `Debug` never shows it, and it has no
/// `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Cookie(String);

/// Why there is no usable cookie. Nothing has started when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CookieError {
    /// The variable is not set.
    #[error(
        "{COOKIE_VAR} is not set: both sides need the same secret of at least {MIN_COOKIE_LEN} characters, for example `export {COOKIE_VAR}=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')`"
    )]
    Missing,
    /// The variable is not valid Unicode.
    #[error("{COOKIE_VAR} is not valid UTF-8")]
    NotUnicode,
    /// The cookie is too short to resist guessing.
    #[error(
        "{COOKIE_VAR} has {len} characters; at least {MIN_COOKIE_LEN} are needed to resist guessing"
    )]
    TooShort {
        /// How many characters it has.
        len: usize,
    },
}

impl Cookie {
    /// Reads the cookie from [`COOKIE_VAR`].
    pub fn from_env() -> Result<Self, CookieError> {
        match std::env::var(COOKIE_VAR) {
            Ok(text) => Cookie::new(text),
            Err(std::env::VarError::NotPresent) => Err(CookieError::Missing),
            Err(std::env::VarError::NotUnicode(_)) => Err(CookieError::NotUnicode),
        }
    }

    /// Checks `text`'s length. Surrounding whitespace does not count.
    pub fn new(text: String) -> Result<Self, CookieError> {
        let len = text.trim().chars().count();
        if len < MIN_COOKIE_LEN {
            return Err(CookieError::TooShort { len });
        }
        Ok(Cookie(text))
    }

    /// The secret, for `NodeServer::new` only.
    pub(crate) fn secret(&self) -> String {
        self.0.clone()
    }
}
// ANCHOR_END: cookie

impl fmt::Debug for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cookie(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Too short is refused with the length; long enough is accepted, and
    /// never printed.
    #[test]
    fn short_cookies_are_refused_and_none_is_printed() {
        assert_eq!(
            Cookie::new("secret".into()),
            Err(CookieError::TooShort { len: 6 })
        );
        assert_eq!(
            Cookie::new("   padded-short   ".into()),
            Err(CookieError::TooShort { len: 12 })
        );
        let cookie = Cookie::new("0123456789abcdef".into()).unwrap();
        assert_eq!(format!("{cookie:?}"), "Cookie(<hidden>)");
        assert!(
            CookieError::Missing
                .to_string()
                .contains("DEMO_COOKIE is not set")
        );
    }
}
