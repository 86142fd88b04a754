//! Deterministic demo scenario modelled on the October 2025 crossings into
//! Mae Sot (Tak, Thailand) after the raid on the KK Park compound in Myawaddy.
//!
//! [`generate`] turns a seed into a [`Scenario`]: arrival groups (where, how,
//! when and by whom they were received) and the person records made for them.
//! The same seed always gives the same scenario: the pseudo-random generator
//! is written out in this crate, name pools are embedded data files, and no
//! clock or environment is read.
//!
//! # What is modelled, and from where
//!
//! Figures are from the project's domain reference (section 5, "Oct-Nov 2025:
//! KK Park raid"), which cites Thai and Indian press reports:
//!
//! * Crossings began on Wednesday 22 October 2025; the scenario covers ten
//!   days, 22-31 October ([`FIRST_DAY`], [`DAYS`]).
//! * 1 November status: 1,595 had crossed, 1,330 men and 265 women; India 465,
//!   Philippines 220, China 185, Vietnam 151, Ethiopia 130, and more than twenty
//!   other countries ([`NATIONALITY_TARGETS`], [`CROSSED`], [`MEN`], [`WOMEN`]).
//!   The split of the remaining 444 among twenty countries and a handful of
//!   stateless people is the project's estimate from the countries named in
//!   the reports (Pakistan, Myanmar, Thailand, Taiwan, several African states)
//!   and from the February 2025 caseload (Indonesia, Kenya, Malaysia, Sri Lanka).
//!   32 Thais were fined, so Thailand is given 32.
//! * 1,049 were in custody by the morning of Friday 24 October, the largest
//!   groups India 399 and China 147; 677 had crossed by the day before. Intake
//!   therefore peaks over the first two to three days ([`DAILY_ARRIVALS`]).
//! * Of those handled, 860 went through Friendship Bridge 2 and 712 through
//!   Mae Sot police; people crossed the Moei River by small boat, on makeshift
//!   rafts and by wading, many in the early hours.
//! * Most had no documents: compounds confiscate passports. About three in
//!   four arrive without any.
//! * Duplicate registrations (about 2-3% of records), minors, pregnant women
//!   and injuries are the project's estimates for a demo, not reported figures.
//!
//! Times are Thai local time (UTC+07:00, no daylight saving) converted to UTC
//! [`jiff::Timestamp`]s. Passport numbers follow the rough shape of each
//! issuing state's numbers but are random and not checked against anything.

mod data;
mod rng;
mod variation;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

use data::{NameEntry, NameGroup, Pools};
use rng::Rng;
use variation::Truth;

/// The seed of the scenario shipped with Moei (the first day of crossings).
pub const DEFAULT_SEED: u64 = 20_251_022;

/// People who had crossed by 1 November 2025 (unique persons, not records).
pub const CROSSED: u32 = 1_595;
/// Men among [`CROSSED`].
pub const MEN: u32 = 1_330;
/// Women among [`CROSSED`].
pub const WOMEN: u32 = 265;
/// Number of days covered, starting at [`FIRST_DAY`].
pub const DAYS: u32 = 10;
/// First day of crossings, local date in Mae Sot.
pub const FIRST_DAY: Date = date(2025, 10, 22);
/// Offset of Thai local time from UTC in hours (no daylight saving since 1920).
pub const UTC_OFFSET_HOURS: i8 = 7;

/// Unique people per nationality (ISO 3166-1 alpha-3; `XXA` stateless).
/// The first five are the reported 1 November figures; the rest share the
/// reported remainder (444) among twenty countries and stateless people.
pub const NATIONALITY_TARGETS: [(&str, u32); 26] = [
    ("IND", 465),
    ("PHL", 220),
    ("CHN", 185),
    ("VNM", 151),
    ("ETH", 130),
    ("IDN", 55),
    ("PAK", 36),
    ("KEN", 35),
    ("THA", 32),
    ("LKA", 30),
    ("BGD", 27),
    ("NPL", 25),
    ("TWN", 25),
    ("UGA", 24),
    ("MYS", 22),
    ("NGA", 22),
    ("MMR", 19),
    ("LAO", 18),
    ("KHM", 16),
    ("TZA", 12),
    ("EGY", 10),
    ("GHA", 10),
    ("BRA", 8),
    ("CMR", 8),
    ("BDI", 6),
    ("XXA", 4),
];

/// Unique arrivals per local day from 22 October. 22+23 Oct = 940 and the
/// early hours of 24 Oct bring the total in custody to about 1,040 by that
/// morning (reported 1,049); the tail adds up to 1,595 by 31 October.
pub const DAILY_ARRIVALS: [u32; 10] = [520, 420, 260, 110, 80, 60, 45, 40, 30, 30];

/// Reported nationals in custody by the morning of 24 October (India, China).
const EARLY_FIXED: [(&str, u32); 2] = [("IND", 399), ("CHN", 147)];

/// Percentage of each day's arrivals handed over at the bridge: rising as the
/// river crossings of the first nights gave way to organised handovers, for
/// about 860 in total (reported: 860 handled at Friendship Bridge 2).
const BRIDGE_PERCENT: [u32; 10] = [40, 55, 60, 70, 70, 70, 70, 70, 70, 70];
/// Percentage of each day's arrivals picked up by patrols or walking into the
/// police station rather than received at a crossing.
const OTHER_PERCENT: u32 = 3;

/// Share of women by nationality, percent; scaled so the total is [`WOMEN`].
/// Project estimate: higher where recruitment of women into scam work is
/// reported (Philippines, Thailand, Vietnam, Mekong neighbours).
const FEMALE_PERCENT: [(&str, u32); 26] = [
    ("IND", 8),
    ("PHL", 35),
    ("CHN", 15),
    ("VNM", 25),
    ("ETH", 20),
    ("IDN", 25),
    ("PAK", 3),
    ("KEN", 30),
    ("THA", 40),
    ("LKA", 15),
    ("BGD", 5),
    ("NPL", 15),
    ("TWN", 15),
    ("UGA", 30),
    ("MYS", 20),
    ("NGA", 20),
    ("MMR", 35),
    ("LAO", 35),
    ("KHM", 35),
    ("TZA", 25),
    ("EGY", 5),
    ("GHA", 20),
    ("BRA", 25),
    ("CMR", 20),
    ("BDI", 25),
    ("XXA", 50),
];

/// Name of the bridge crossing point.
pub const FRIENDSHIP_BRIDGE: &str = "Friendship Bridge 2";
/// Name used for people brought in by patrols or who walked in.
pub const POLICE_STATION: &str = "Mae Sot police station";
/// River landings on the Thai bank (relative weights).
const RIVER_LANDINGS: [(&str, u32); 3] = [
    ("Moei River, Tha Sai Luat", 45),
    ("Moei River, Ban Wang Takhian", 35),
    ("Moei River, Mae Ku", 20),
];

/// Fictitious receiving officers.
const BRIDGE_OFFICERS: [&str; 6] = [
    "Imm. Off. Kanokwan S.",
    "Imm. Off. Thanakorn P.",
    "Pol. Capt. Wiroj K.",
    "Imm. Off. Suchada M.",
    "Pol. Lt. Col. Prasit N.",
    "Imm. Off. Apinya R.",
];
const POLICE_OFFICERS: [&str; 8] = [
    "Pol. Sgt. Maj. Somsak T.",
    "Pol. Sgt. Anucha R.",
    "Pol. Lt. Pornthip W.",
    "Pol. Cpl. Decha B.",
    "Pol. Sgt. Maj. Boonlert C.",
    "Pol. Lt. Nattapong J.",
    "Pol. Sgt. Siriwan K.",
    "Pol. Capt. Chatchai L.",
];

const INJURY_NOTES: [&str; 5] = [
    "Cut on foot from the river crossing",
    "Sprained ankle",
    "Bruises on back and arms, says beaten in the compound",
    "Fell on the riverbank, wrist swollen",
    "Leg wound, needs dressing",
];
const MEDICAL_NOTES: [&str; 6] = [
    "Fever, test for malaria",
    "Dehydrated",
    "Diabetic, no medication for two weeks",
    "Asthma, needs an inhaler",
    "Skin infection",
    "High blood pressure, medication taken by the compound",
];

/// The generated scenario. Groups are in order of arrival; persons are in
/// order of their group, so a re-registration always comes after the record
/// it repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub groups: Vec<DemoGroup>,
    pub persons: Vec<DemoPerson>,
}

/// How a group crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// Handed over or walked across Friendship Bridge 2.
    Bridge,
    /// Small boat across the Moei River.
    Boat,
    /// Makeshift raft (bamboo, foam boxes).
    Raft,
    /// Waded across.
    Wading,
    /// Picked up by a patrol or walked into the police station.
    Other,
}

/// An arrival group as received by one officer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoGroup {
    /// 1-based, in order of arrival.
    pub key: u32,
    pub crossing_point: String,
    pub mode: Mode,
    pub arrived_at: Timestamp,
    pub officer: String,
    /// Number of person records in this group (re-registrations included).
    pub headcount: u32,
}

/// Sex as registered (ICAO Doc 9303 values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    F,
    M,
    /// Unspecified. The enum has it because the application does; the
    /// reported figures are men and women only, so the generator never uses it.
    X,
}

/// What is known of a date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Birth {
    Full(Date),
    Year(i16),
    /// Age in years as estimated by the registering officer.
    EstimatedAge(u8),
}

/// Needs flagged at registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Need {
    Injured,
    Medical,
    Minor,
    Pregnant,
    Unaccompanied,
}

/// One registration record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoPerson {
    /// [`DemoGroup::key`] of the group the record was made in.
    pub group_key: u32,
    /// Latin-script given name(s) as written on a foreign form: Vietnamese
    /// without diacritics, Chinese in Pinyin, Taiwanese in Wade-Giles style.
    /// Holds the whole name for people without a family name (Myanmar,
    /// Rohingya, some Indonesians).
    pub given_name: String,
    /// Latin-script family name; for Ethiopians and Tamils the father's given
    /// name, as they use it. Empty for people with a single name.
    pub family_name: String,
    /// The full name in the person's own script and customary order (family
    /// name first for Chinese, Vietnamese and Khmer, no space in Han names).
    /// `None` where the Latin form is the original, and on some second
    /// registrations where the officer did not record it.
    pub name_original_script: Option<String>,
    pub sex: Sex,
    pub birth: Birth,
    /// ISO 3166-1 alpha-3; `XXA` for stateless.
    pub nationality: String,
    /// ISO 639-1 codes, or ISO 639-2/3 where there is no 639-1 code.
    pub languages: Vec<String>,
    /// Carries an identity document.
    pub has_document: bool,
    /// Known passport number: from the passport, or from a photo of it kept
    /// on a phone when the passport itself was confiscated.
    pub passport_number: Option<String>,
    pub needs: Vec<Need>,
    pub notes: Option<String>,
    /// Index into [`Scenario::persons`] of the earlier record of the same
    /// person; that record is never itself a re-registration.
    pub duplicate_of: Option<usize>,
}

/// Seconds since the Unix epoch of 2025-10-22T00:00:00+07:00.
const FIRST_DAY_START_UTC: i64 = 1_761_066_000;
/// Minute of local time (from the start of [`FIRST_DAY`]) before which people
/// count as "in custody by the morning of 24 October": 24 Oct, 08:00.
const MORNING_OF_24_OCT: u32 = 2 * 1440 + 8 * 60;

fn timestamp(minute_since_start: u32) -> Timestamp {
    Timestamp::constant(FIRST_DAY_START_UTC + i64::from(minute_since_start) * 60, 0)
}

/// Splits `total` into parts of `min..=max`, merging a short last part into
/// the one before it when that stays within `max`.
fn split(total: u32, min: u32, max: u32, rng: &mut Rng) -> Vec<u32> {
    let mut parts = Vec::new();
    let mut left = total;
    while left > 0 {
        let size = rng.range(min, max).min(left);
        left -= size;
        parts.push(size);
    }
    if parts.len() >= 2 {
        let last = parts[parts.len() - 1];
        let prev = parts[parts.len() - 2];
        if last < min && prev + last <= max {
            parts.pop();
            if let Some(p) = parts.last_mut() {
                *p += last;
            }
        }
    }
    parts
}

/// Largest-remainder apportionment of `total` in proportion to `weights`.
fn apportion(total: u32, weights: &[u64]) -> Vec<u32> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut quotas: Vec<u32> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u64, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let num = u64::from(total) * w;
        quotas.push((num / sum) as u32);
        remainders.push((num % sum, i));
    }
    let given: u32 = quotas.iter().sum();
    // Largest remainder first; ties to the earlier (larger) nationality.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(total.saturating_sub(given) as usize) {
        if let Some(q) = quotas.get_mut(i) {
            *q += 1;
        }
    }
    quotas
}

struct PlannedGroup {
    minute: u32,
    point: &'static str,
    mode: Mode,
    officer: &'static str,
    seats: u32,
}

fn river_minute(day: u32, rng: &mut Rng) -> u32 {
    let hour = match day {
        // Crossings began in the course of 22 October.
        0 => rng.range(9, 23),
        // The mass flight of the early hours of 24 October.
        2 => rng.range(0, 7),
        // Otherwise mostly at night and before dawn.
        _ => {
            const NIGHT: [u32; 24] = [
                3, 3, 3, 3, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2,
            ];
            rng.weighted(&NIGHT) as u32
        }
    };
    day * 1440 + hour * 60 + rng.range(0, 59)
}

fn plan_groups(rng: &mut Rng) -> Vec<PlannedGroup> {
    let mut groups = Vec::new();
    let landing_weights: Vec<u32> = RIVER_LANDINGS.iter().map(|l| l.1).collect();
    for (day, &total) in (0u32..).zip(DAILY_ARRIVALS.iter()) {
        let pct = BRIDGE_PERCENT.get(day as usize).copied().unwrap_or(70);
        let bridge = total * pct / 100;
        let other = total * OTHER_PERCENT / 100;
        let river = total - bridge - other;

        // Bridge handovers in office hours: big batches while the crowd is
        // large, smaller ones later.
        let (lo, hi) = if day < 3 { (30, 200) } else { (10, 80) };
        for seats in split(bridge, lo, hi, rng) {
            let first_hour = if day == 0 { 12 } else { 8 };
            groups.push(PlannedGroup {
                minute: day * 1440 + rng.range(first_hour, 17) * 60 + rng.range(0, 59),
                point: FRIENDSHIP_BRIDGE,
                mode: Mode::Bridge,
                officer: rng
                    .pick(&BRIDGE_OFFICERS)
                    .copied()
                    .unwrap_or("Duty officer"),
                seats,
            });
        }

        let mut left = river;
        while left > 0 {
            let mode = [Mode::Boat, Mode::Raft, Mode::Wading][rng.weighted(&[45, 25, 30])];
            let size = match mode {
                Mode::Boat => rng.range(5, 40),
                Mode::Raft => rng.range(5, 30),
                _ => rng.range(2, 12),
            }
            .min(left);
            left -= size;
            let landing = RIVER_LANDINGS[rng.weighted(&landing_weights)].0;
            groups.push(PlannedGroup {
                minute: river_minute(day, rng),
                point: landing,
                mode,
                officer: rng
                    .pick(&POLICE_OFFICERS)
                    .copied()
                    .unwrap_or("Duty officer"),
                seats: size,
            });
        }

        for seats in split(other, 1, 6, rng) {
            let first_hour = if day == 0 { 9 } else { 0 };
            groups.push(PlannedGroup {
                minute: day * 1440 + rng.range(first_hour, 23) * 60 + rng.range(0, 59),
                point: POLICE_STATION,
                mode: Mode::Other,
                officer: rng
                    .pick(&POLICE_OFFICERS)
                    .copied()
                    .unwrap_or("Duty officer"),
                seats,
            });
        }
    }
    // Stable: groups planned earlier stay first among equal times.
    groups.sort_by_key(|g| g.minute);
    groups
}

/// A run of same-nationality people from one naming community who crossed
/// together (people fled with those from their own floor or team).
struct Cohort {
    nat: usize,
    group: Option<usize>,
    size: u32,
}

fn cohorts(quotas: &[u32], pools: &Pools, rng: &mut Rng) -> Vec<(usize, Option<usize>)> {
    let mut list = Vec::new();
    for (nat, &quota) in quotas.iter().enumerate() {
        let code = NATIONALITY_TARGETS[nat].0;
        let candidates: Vec<usize> = pools
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.nationality == code)
            .map(|(i, _)| i)
            .collect();
        let weights: Vec<u32> = candidates
            .iter()
            .filter_map(|&i| pools.groups.get(i).map(|g| g.weight))
            .collect();
        let mut left = quota;
        while left > 0 {
            let size = rng.range(1, 15).min(left);
            left -= size;
            let group = candidates.get(rng.weighted(&weights)).copied();
            list.push(Cohort { nat, group, size });
        }
    }
    rng.shuffle(&mut list);
    list.into_iter()
        .flat_map(|c| std::iter::repeat_n((c.nat, c.group), c.size as usize))
        .collect()
}

fn passport_number(nationality: &str, rng: &mut Rng) -> Option<String> {
    // '@' a letter, '#' a digit, anything else literal. Rough shapes only.
    let pattern = match nationality {
        "XXA" => return None,
        "IND" | "VNM" | "IDN" => "@#######",
        "PHL" => "P#######@",
        "CHN" => "E@#######",
        "ETH" => "EP#######",
        "PAK" | "BGD" | "THA" => "@@#######",
        "NPL" => "########",
        "LKA" => "N#######",
        "MYS" | "NGA" | "EGY" => "A########",
        "TWN" => "#########",
        "KHM" => "N########",
        "LAO" => "P#######",
        "MMR" => "M@######",
        "KEN" => "AK#######",
        "BRA" => "@@######",
        _ => "@@#######",
    };
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let mut out = String::with_capacity(pattern.len());
    for ch in pattern.chars() {
        match ch {
            '@' => out.push(char::from(*rng.pick(LETTERS).unwrap_or(&b'A'))),
            '#' => out.push(char::from(b'0' + rng.below(10) as u8)),
            c => out.push(c),
        }
    }
    Some(out)
}

/// Permille of people of a nationality who still carry an identity document.
fn document_per_mille(nationality: &str) -> u32 {
    match nationality {
        "XXA" => 0,
        "THA" => 450,
        "MYS" => 350,
        "CHN" | "TWN" => 280,
        "ETH" => 180,
        _ => 220,
    }
}

struct Made<'a> {
    person: DemoPerson,
    truth: Truth<'a>,
}

fn make_person<'a>(
    nationality: &str,
    name_group: Option<&'a NameGroup>,
    sex: Sex,
    mode: Mode,
    group_key: u32,
    rng: &mut Rng,
) -> Made<'a> {
    let empty: &[NameEntry] = &[];
    let (givens, families) = match (name_group, sex) {
        (Some(g), Sex::F) => (&g.given_f[..], &g.family_f[..]),
        (Some(g), _) => (&g.given_m[..], &g.family_m[..]),
        (None, _) => (empty, empty),
    };
    let given = rng.pick(givens);
    let mononym = name_group.is_some_and(|g| rng.range(1, 100) <= g.mononym_percent);
    let mut family = if mononym { None } else { rng.pick(families) };
    if family.is_some_and(|f| given.is_some_and(|g| g.latin == f.latin)) {
        family = rng.pick(families);
    }
    let given_name = given.map_or("Unknown", |g| g.latin).to_owned();
    let family_name = family.map_or("", |f| f.latin).to_owned();
    let name_original_script = name_group.and_then(|g| {
        let given = given?.original?;
        match family {
            None => Some(given.to_owned()),
            Some(f) => {
                let family = f.original?;
                let j = g.joiner();
                Some(if g.family_first {
                    format!("{family}{j}{given}")
                } else {
                    format!("{given}{j}{family}")
                })
            }
        }
    });

    // Age at arrival: mostly 18-40 (peak late twenties), some older, a few minors.
    let age = if rng.chance(12) {
        rng.range(15, 17)
    } else if rng.chance(60) {
        rng.range(41, 56)
    } else {
        18 + rng.range(0, 11) + rng.range(0, 11)
    };
    let month = rng.range(1, 12);
    let day = rng.range(1, 28);
    let later_in_year = (month, day) > (10, 22);
    let year = 2025 - age - u32::from(later_in_year);
    let birth_date = date(year as i16, month as i8, day as i8);

    let has_document = rng.chance(document_per_mille(nationality));
    let mut notes: Vec<String> = Vec::new();
    let passport_number = if has_document {
        if rng.chance(900) {
            passport_number(nationality, rng)
        } else {
            notes.push("Carries a national identity card, no passport".to_owned());
            None
        }
    } else if rng.chance(50) {
        notes.push("Passport kept by the compound; number from a photo on phone".to_owned());
        passport_number(nationality, rng)
    } else {
        if rng.chance(120) {
            notes.push("Says the compound took the passport".to_owned());
        }
        None
    };

    let birth = if has_document {
        Birth::Full(birth_date)
    } else {
        let full = if age < 18 { 400 } else { 600 };
        if rng.chance(full) {
            Birth::Full(birth_date)
        } else if rng.chance(500) {
            Birth::Year(birth_date.year())
        } else {
            let estimate = (age as i64 + rng.range(0, 4) as i64 - 2).clamp(12, 70);
            Birth::EstimatedAge(estimate as u8)
        }
    };

    let mut needs = Vec::new();
    if age < 18 {
        needs.push(Need::Minor);
        if rng.chance(600) {
            needs.push(Need::Unaccompanied);
        }
    }
    if sex == Sex::F && (18..=40).contains(&age) && rng.chance(35) {
        needs.push(Need::Pregnant);
        notes.push(format!("About {} months pregnant", rng.range(3, 8)));
    }
    let injury_per_mille = if mode == Mode::Bridge { 15 } else { 60 };
    if rng.chance(injury_per_mille) {
        needs.push(Need::Injured);
        if let Some(n) = rng.pick(&INJURY_NOTES) {
            notes.push((*n).to_owned());
        }
    }
    if rng.chance(45) {
        needs.push(Need::Medical);
        if let Some(n) = rng.pick(&MEDICAL_NOTES) {
            notes.push((*n).to_owned());
        }
    }

    Made {
        person: DemoPerson {
            group_key,
            given_name,
            family_name,
            name_original_script,
            sex,
            birth,
            nationality: nationality.to_owned(),
            languages: name_group
                .map(|g| g.languages.iter().map(|l| (*l).to_owned()).collect())
                .unwrap_or_default(),
            has_document,
            passport_number,
            needs,
            notes: if notes.is_empty() {
                None
            } else {
                Some(notes.join("; "))
            },
            duplicate_of: None,
        },
        truth: Truth {
            birth: birth_date,
            given,
            family,
        },
    }
}

/// Generates the demo scenario for `seed`. Pure: the same seed always gives
/// the same scenario.
pub fn generate(seed: u64) -> Scenario {
    let pools = data::load();
    let mut rng = Rng::new(seed);

    let planned = plan_groups(&mut rng);
    let seats_before: u32 = planned
        .iter()
        .filter(|g| g.minute < MORNING_OF_24_OCT)
        .map(|g| g.seats)
        .sum();

    // Who had crossed by the morning of 24 October: the reported Indian and
    // Chinese figures, the rest of those seats shared by the other nationalities.
    let mut early = vec![0u32; NATIONALITY_TARGETS.len()];
    let mut fixed_total = 0;
    for (code, n) in EARLY_FIXED {
        if let Some(i) = NATIONALITY_TARGETS.iter().position(|t| t.0 == code) {
            early[i] = n;
            fixed_total += n;
        }
    }
    let other_weights: Vec<u64> = NATIONALITY_TARGETS
        .iter()
        .zip(&early)
        .map(|(t, &e)| if e == 0 { u64::from(t.1) } else { 0 })
        .collect();
    let rest = apportion(seats_before.saturating_sub(fixed_total), &other_weights);
    for (e, r) in early.iter_mut().zip(rest) {
        *e += r;
    }
    let late: Vec<u32> = NATIONALITY_TARGETS
        .iter()
        .zip(&early)
        .map(|(t, &e)| t.1.saturating_sub(e))
        .collect();
    let mut seats = cohorts(&early, &pools, &mut rng);
    seats.extend(cohorts(&late, &pools, &mut rng));

    // Exactly WOMEN women, shared by nationality.
    let female_weights: Vec<u64> = NATIONALITY_TARGETS
        .iter()
        .zip(FEMALE_PERCENT.iter())
        .map(|(t, f)| u64::from(t.1) * u64::from(f.1))
        .collect();
    let women = apportion(WOMEN, &female_weights);
    let mut sexes: Vec<Vec<Sex>> = NATIONALITY_TARGETS
        .iter()
        .zip(&women)
        .map(|(t, &w)| {
            let mut v = vec![Sex::F; w.min(t.1) as usize];
            v.resize(t.1 as usize, Sex::M);
            rng.shuffle(&mut v);
            v
        })
        .collect();

    // Unique people, filling groups in order of arrival.
    let mut made: Vec<(usize, Made<'_>)> = Vec::with_capacity(seats.len());
    let mut seat_iter = seats.into_iter();
    for (gi, g) in planned.iter().enumerate() {
        for _ in 0..g.seats {
            let Some((nat, name_group)) = seat_iter.next() else {
                break;
            };
            let code = NATIONALITY_TARGETS[nat].0;
            let sex = sexes.get_mut(nat).and_then(Vec::pop).unwrap_or(Sex::M);
            let group = name_group.and_then(|i| pools.groups.get(i));
            made.push((
                gi,
                make_person(code, group, sex, g.mode, gi as u32 + 1, &mut rng),
            ));
        }
    }

    // Re-registrations: 2-3% of people, in the same group or a group that
    // arrived within the next three days (moved to the police station, or
    // registered again at a second desk).
    let unique = made.len();
    let dup_count = unique * (20 + rng.below(11) as usize) / 1000;
    let mut originals: Vec<usize> = (0..unique).collect();
    rng.shuffle(&mut originals);
    originals.truncate(dup_count);
    let mut records: Vec<(usize, DemoPerson, Option<usize>)> = made
        .iter()
        .map(|(gi, m)| (*gi, m.person.clone(), None))
        .collect();
    for &o in &originals {
        let Some((gi, m)) = made.get(o) else { continue };
        let start = planned.get(*gi).map_or(0, |g| g.minute);
        let later: Vec<usize> = (gi + 1..planned.len())
            .filter(|&j| planned.get(j).is_some_and(|g| g.minute <= start + 3 * 1440))
            .collect();
        let target = if rng.chance(300) {
            *gi
        } else {
            rng.pick(&later).copied().unwrap_or(*gi)
        };
        let mut dup = variation::re_register(&m.person, &m.truth, &mut rng);
        dup.group_key = target as u32 + 1;
        records.push((target, dup, Some(o)));
    }

    // Order records by group (stable, so originals precede their repeats in
    // the same group) and resolve `duplicate_of` to final positions.
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by_key(|&i| records.get(i).map_or(0, |r| r.0));
    let mut position = vec![0usize; records.len()];
    for (pos, &i) in order.iter().enumerate() {
        if let Some(p) = position.get_mut(i) {
            *p = pos;
        }
    }
    let mut headcounts = vec![0u32; planned.len()];
    let mut persons = Vec::with_capacity(records.len());
    for &i in &order {
        let Some((gi, person, dup_of)) = records.get(i) else {
            continue;
        };
        if let Some(h) = headcounts.get_mut(*gi) {
            *h += 1;
        }
        let mut person = person.clone();
        person.duplicate_of = dup_of.and_then(|o| position.get(o).copied());
        persons.push(person);
    }

    let groups = planned
        .iter()
        .zip(headcounts)
        .zip(1u32..)
        .map(|((g, headcount), key)| DemoGroup {
            key,
            crossing_point: g.point.to_owned(),
            mode: g.mode,
            arrived_at: timestamp(g.minute),
            officer: g.officer.to_owned(),
            headcount,
        })
        .collect();

    Scenario { groups, persons }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_has_no_problems() {
        let pools = data::load();
        assert!(pools.problems.is_empty(), "{:#?}", pools.problems);
        for (code, _) in NATIONALITY_TARGETS {
            let groups = pools.groups_of(code);
            assert!(!groups.is_empty(), "no name group for {code}");
            for g in groups {
                assert!(g.given_m.len() >= 3, "{}: few male given names", g.id);
                assert!(g.given_f.len() >= 3, "{}: few female given names", g.id);
                if g.mononym_percent < 100 {
                    assert!(g.family_m.len() >= 3, "{}: few family names", g.id);
                    assert!(g.family_f.len() >= 3, "{}: few family names", g.id);
                }
                assert!(!g.languages.is_empty());
            }
        }
        for g in &pools.groups {
            assert!(
                NATIONALITY_TARGETS.iter().any(|t| t.0 == g.nationality),
                "group {} has an unmodelled nationality",
                g.id
            );
        }
    }

    #[test]
    fn targets_add_up_to_the_reported_totals() {
        let sum: u32 = NATIONALITY_TARGETS.iter().map(|t| t.1).sum();
        assert_eq!(sum, CROSSED);
        assert_eq!(MEN + WOMEN, CROSSED);
        assert_eq!(DAILY_ARRIVALS.iter().sum::<u32>(), CROSSED);
        assert_eq!(DAILY_ARRIVALS.len() as u32, DAYS);
        for (a, b) in NATIONALITY_TARGETS.iter().zip(FEMALE_PERCENT.iter()) {
            assert_eq!(a.0, b.0);
        }
    }

    #[test]
    fn first_day_start_constant_is_midnight_in_mae_sot() {
        let expected: Timestamp = "2025-10-22T00:00:00+07:00".parse().unwrap();
        assert_eq!(timestamp(0), expected);
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(UTC_OFFSET_HOURS));
        assert_eq!(timestamp(0).to_zoned(tz).date(), FIRST_DAY);
    }

    #[test]
    fn apportion_is_exact_and_proportional() {
        assert_eq!(apportion(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(apportion(265, &[0, 5]), vec![0, 265]);
        assert_eq!(apportion(7, &[0, 0]), vec![0, 0]);
        let q = apportion(100, &[465, 220, 185]);
        assert_eq!(q.iter().sum::<u32>(), 100);
        assert_eq!(q, vec![54, 25, 21]);
    }

    #[test]
    fn split_respects_total_and_bounds() {
        let mut rng = Rng::new(5);
        for total in [0, 1, 29, 156, 520] {
            let parts = split(total, 30, 200, &mut rng);
            assert_eq!(parts.iter().sum::<u32>(), total);
            assert!(parts.iter().all(|&p| p > 0 && p <= 200));
        }
    }
}
