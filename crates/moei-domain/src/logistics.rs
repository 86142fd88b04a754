//! Facilities, movements, consular verification and departures: the closed vocabularies the
//! store and the files exchanged with embassies share. Each `parse` accepts exactly `as_str`.

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// Parses `s` or names `field` and the accepted values.
            pub fn parse_field(field: &str, s: &str) -> Result<$name, FieldError> {
                Self::parse(s.trim()).ok_or_else(|| {
                    let accepted: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    FieldError::new(field, "unknown_value", format!("must be one of {}", accepted.join(", ")))
                })
            }
        }
    };
}

vocabulary! {
    /// The parts of a holding site, each with its own capacity.
    Section { Men => "men", Women => "women", Families => "families", Minors => "minors" }
}

vocabulary! {
    /// What a site is for: holding people, or the point where they board (airport, bus yard).
    FacilityKind { Holding => "holding", DeparturePoint => "departure_point" }
}

vocabulary! {
    /// A person's place on a movement's manifest, checked off on arrival.
    ArrivalCheck { Expected => "expected", Arrived => "arrived", Missing => "missing" }
}

vocabulary! {
    /// The embassy's finding on a person's claimed nationality.
    Verification {
        Pending => "pending",
        Confirmed => "confirmed",
        NotConfirmed => "not_confirmed",
        InterviewNeeded => "interview_needed",
    }
}

vocabulary! {
    /// A document a person can travel home on.
    TravelDocumentKind {
        Passport => "passport",
        EmergencyCertificate => "emergency_certificate",
        LaissezPasser => "laissez_passer",
    }
}

vocabulary! {
    /// Why personal data may go to an embassy (recorded per person before any disclosure).
    LegalBasis {
        Consent => "consent",
        LegalObligation => "legal_obligation",
        VitalInterest => "vital_interest",
        PublicInterest => "public_interest",
    }
}

vocabulary! {
    /// A person's fear of return: while `Flagged` (not reviewed) or `Upheld`, nothing about them
    /// goes to their embassy and they are not put on a departure.
    ProtectionStatus { Flagged => "flagged", Upheld => "upheld", Cleared => "cleared" }
}

vocabulary! {
    /// A flight or a bus.
    BatchKind { Flight => "flight", Bus => "bus" }
}

vocabulary! {
    /// What happened to a person assigned to a departure.
    Outcome { Assigned => "assigned", Departed => "departed", NoShow => "no_show", Withdrawn => "withdrawn" }
}

vocabulary! {
    /// Why a person cannot leave yet (the bottleneck view and refused batch assignments).
    BlockReason {
        NoEmbassy => "no_embassy",
        FearsReturn => "fears_return",
        NationalityUnconfirmed => "nationality_unconfirmed",
        NoTravelDocument => "no_travel_document",
        Unscreened => "unscreened",
        AwaitingMdt => "awaiting_mdt",
        HeldForProsecution => "held_for_prosecution",
        AlreadyAssigned => "already_assigned",
    }
}

/// A plain calendar date (YYYY-MM-DD) from a form or a file, named by `field` when it is bad.
pub fn parse_date(field: &str, s: &str) -> Result<jiff::civil::Date, FieldError> {
    s.trim()
        .parse::<jiff::civil::Date>()
        .map_err(|_| FieldError::new(field, "bad_date", "must be a date written YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_and_name_the_field() {
        for s in Section::ALL {
            assert_eq!(Section::parse(s.as_str()), Some(*s));
        }
        for v in Verification::ALL {
            assert_eq!(Verification::parse(v.as_str()), Some(*v));
        }
        let e = Verification::parse_field("verification", "yes").unwrap_err();
        assert_eq!(e.field, "verification");
        assert!(e.message.contains("interview_needed"));
        assert_eq!(
            parse_date("valid_until", " 2026-01-31 ")
                .unwrap()
                .to_string(),
            "2026-01-31"
        );
        assert_eq!(
            parse_date("valid_until", "31/01/2026").unwrap_err().code,
            "bad_date"
        );
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(s in ".{0,40}") {
            let _ = Section::parse_field("section", &s);
            let _ = TravelDocumentKind::parse_field("kind", &s);
            let _ = parse_date("date", &s);
        }
    }
}
