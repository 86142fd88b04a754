//! One integration binary (link time matters on small machines).

// Helpers outside #[test] functions may unwrap too, as clippy.toml allows in tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod corrections;
mod specimens;

use jiff::civil::{Date, date};

/// Reference date for the specimens: late enough that every birth date is
/// past and the 20-year expiry window reaches 2046.
pub const REFERENCE: Date = date(2026, 11, 25);

pub const S1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                      L898902C36UTO7408122F1204159ZE184226B<<<<<10";
pub const X1: &str = "P<MMRAUNG<<MIN<THU<<<<<<<<<<<<<<<<<<<<<<<<<<\n\
                      MB12345675MMR9503146M3001019<<<<<<<<<<<<<<04";
pub const S3: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
                      7408122F1204159UTO<<<<<<<<<<<6\n\
                      ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
pub const S6: &str = "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\n\
                      D23145890<UTO3407127M95071227349<<<8";
