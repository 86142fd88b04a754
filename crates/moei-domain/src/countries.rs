//! Nationality codes: ISO 3166-1 alpha-3 plus ICAO's special codes (XXA stateless, XXB and XXC
//! refugees, XXX unspecified). The table is data, kept once in the MRZ crate, which reads the
//! same codes from passports.

/// True when `code` is a nationality Moei accepts (upper-case, three letters).
pub fn is_known(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) && moei_mrz::is_known_code(code)
}

/// English short name, for lists and exports.
pub fn name(code: &str) -> Option<&'static str> {
    moei_mrz::country_name(code)
}
