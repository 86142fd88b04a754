//! Registration and search benchmark (foundation).
//!
//! ```text
//! cargo bench -p moei --bench registration -- [--persons N] [--seconds S] [--clients C]
//!                                            [--queries Q] [--keep]
//! ```
//!
//! One run, one fresh SQLite database in a temporary directory, opened by `Store::open` exactly
//! as `moei serve` opens it (WAL, `synchronous = FULL`):
//!
//! 1. raw insert rate: `Store::register_person` called in a loop, one person per transaction,
//!    for S seconds; then the same with 32 persons per transaction (`register_persons`), which
//!    is what a group commit in the store would give;
//! 2. HTTP: the real router (`moei_web::serve`) on 127.0.0.1:0, C concurrent clients (default 32,
//!    minimal HTTP/1.1 clients written here) posting registrations over keep-alive connections
//!    for S seconds; registrations/s and
//!    p50/p95/p99 latency, and the ratio to the raw rate;
//! 3. search: bulk-loads persons (batches of 5,000 in one transaction each) up to N in total
//!    (default 1,000,000, capped at 999,999 by the six-digit registration sequence of one site),
//!    then times Q queries of each kind through the store and through HTTP.
//!
//! Every registration also writes its history row, its name tokens and a hash-chained audit row
//! in the same transaction, and every search writes an audit row: the figures include that work.
//! Names are drawn with a fixed-seed PRNG from a few hundred given and family names of the main
//! nationalities seen at the border, in Latin letters and in the original script, with a skew so
//! that common names are common. `--keep` leaves the database on disk for EXPLAIN QUERY PLAN.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use moei_domain::{PersonInput, Role, SystemClock};
use moei_store::accounts::NewUser;
use moei_store::db::OpenOptions;
use moei_store::persons::PersonQuery;
use moei_store::{Actor, DatabaseUrl, Store};

const SITE: &str = "MS";
/// The sequence is six digits per site: `MS-0000001` .. `MS-9999999` (last digit is a check).
const MAX_PER_SITE: u64 = 999_999;
const LOAD_BATCH: usize = 5_000;

struct Args {
    persons: u64,
    seconds: u64,
    clients: usize,
    queries: usize,
    keep: bool,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        persons: 1_000_000,
        seconds: 10,
        clients: 32,
        queries: 300,
        keep: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Result<u64> {
            let v = it.next().with_context(|| format!("{name} needs a value"))?;
            v.replace('_', "")
                .parse::<u64>()
                .with_context(|| format!("{name}: not a number: {v}"))
        };
        match a.as_str() {
            "--persons" => args.persons = value("--persons")?,
            "--seconds" => args.seconds = value("--seconds")?.max(1),
            "--clients" => args.clients = usize::try_from(value("--clients")?.max(1))?,
            "--queries" => args.queries = usize::try_from(value("--queries")?.max(1))?,
            "--keep" => args.keep = true,
            // cargo bench passes --bench to harness = false targets.
            "--bench" => {}
            other => bail!(
                "unknown argument {other}; usage: registration [--persons N] [--seconds S] \
                 [--clients C] [--queries Q] [--keep]"
            ),
        }
    }
    Ok(args)
}

// ---------------------------------------------------------------------------------------------
// Deterministic data

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    /// Skewed towards the start of a list (names are listed most common first).
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        (u * u * n as f64) as usize % n.max(1)
    }
}

#[derive(Clone, Copy)]
enum Style {
    /// Family, middle (Văn/Thị), given; the original script is the name with its diacritics.
    Vietnamese,
    /// Latin given and family; the original script is family + given without a space.
    Chinese,
    /// Burmese names have no family name: two syllables, written together in Burmese.
    Burmese,
    /// Given and family, with the original script written the same way.
    Scripted,
    /// Latin letters only (no other script on the documents).
    Latin,
}

/// (Latin, original script, sex) for given names; (Latin, original script) for family names.
struct Culture {
    nationality: &'static str,
    weight: u32,
    languages: &'static [&'static str],
    style: Style,
    given: &'static [(&'static str, &'static str, &'static str)],
    family: &'static [(&'static str, &'static str)],
}

const CULTURES: &[Culture] = &[
    Culture {
        nationality: "CHN",
        weight: 26,
        languages: &["zh"],
        style: Style::Chinese,
        given: &[
            ("Wei", "伟", "M"),
            ("Fang", "芳", "F"),
            ("Min", "敏", "F"),
            ("Jing", "静", "F"),
            ("Lei", "磊", "M"),
            ("Jun", "军", "M"),
            ("Yang", "洋", "M"),
            ("Yong", "勇", "M"),
            ("Jie", "杰", "M"),
            ("Tao", "涛", "M"),
            ("Ming", "明", "M"),
            ("Chao", "超", "M"),
            ("Xiuying", "秀英", "F"),
            ("Hua", "华", "F"),
            ("Ping", "平", "M"),
            ("Gang", "刚", "M"),
            ("Hui", "慧", "F"),
            ("Lin", "琳", "F"),
            ("Xin", "鑫", "M"),
            ("Yan", "燕", "F"),
            ("Hao", "浩", "M"),
            ("Qiang", "强", "M"),
            ("Li", "丽", "F"),
            ("Na", "娜", "F"),
            ("Bo", "波", "M"),
            ("Peng", "鹏", "M"),
            ("Ting", "婷", "F"),
            ("Xue", "雪", "F"),
            ("Zhiwei", "志伟", "M"),
            ("Jianhua", "建华", "M"),
        ],
        family: &[
            ("Wang", "王"),
            ("Li", "李"),
            ("Zhang", "张"),
            ("Liu", "刘"),
            ("Chen", "陈"),
            ("Yang", "杨"),
            ("Huang", "黄"),
            ("Zhao", "赵"),
            ("Wu", "吴"),
            ("Zhou", "周"),
            ("Xu", "徐"),
            ("Sun", "孙"),
            ("Ma", "马"),
            ("Zhu", "朱"),
            ("Hu", "胡"),
            ("Guo", "郭"),
            ("Lin", "林"),
            ("He", "何"),
            ("Gao", "高"),
            ("Luo", "罗"),
        ],
    },
    Culture {
        nationality: "VNM",
        weight: 14,
        languages: &["vi"],
        style: Style::Vietnamese,
        given: &[
            ("An", "An", "M"),
            ("Binh", "Bình", "M"),
            ("Cuong", "Cường", "M"),
            ("Dung", "Dũng", "M"),
            ("Hai", "Hải", "M"),
            ("Hung", "Hùng", "M"),
            ("Khanh", "Khánh", "M"),
            ("Lan", "Lan", "F"),
            ("Linh", "Linh", "F"),
            ("Mai", "Mai", "F"),
            ("Minh", "Minh", "M"),
            ("Nam", "Nam", "M"),
            ("Ngoc", "Ngọc", "F"),
            ("Phuong", "Phương", "F"),
            ("Quang", "Quang", "M"),
            ("Son", "Sơn", "M"),
            ("Thao", "Thảo", "F"),
            ("Trang", "Trang", "F"),
            ("Tuan", "Tuấn", "M"),
            ("Viet", "Việt", "M"),
            ("Huong", "Hương", "F"),
            ("Ha", "Hà", "F"),
            ("Long", "Long", "M"),
            ("Thanh", "Thanh", "M"),
            ("Hoa", "Hoa", "F"),
            ("Duc", "Đức", "M"),
            ("Thuy", "Thủy", "F"),
            ("Trung", "Trung", "M"),
            ("Yen", "Yến", "F"),
            ("Hieu", "Hiếu", "M"),
        ],
        family: &[
            ("Nguyen", "Nguyễn"),
            ("Tran", "Trần"),
            ("Le", "Lê"),
            ("Pham", "Phạm"),
            ("Hoang", "Hoàng"),
            ("Huynh", "Huỳnh"),
            ("Phan", "Phan"),
            ("Vu", "Vũ"),
            ("Vo", "Võ"),
            ("Dang", "Đặng"),
            ("Bui", "Bùi"),
            ("Do", "Đỗ"),
            ("Ho", "Hồ"),
            ("Ngo", "Ngô"),
            ("Duong", "Dương"),
            ("Ly", "Lý"),
        ],
    },
    Culture {
        nationality: "IND",
        weight: 12,
        languages: &["hi", "en"],
        style: Style::Scripted,
        given: &[
            ("Mohammed", "मोहम्मद", "M"),
            ("Rajesh", "राजेश", "M"),
            ("Amit", "अमित", "M"),
            ("Suresh", "सुरेश", "M"),
            ("Priya", "प्रिया", "F"),
            ("Anjali", "अंजलि", "F"),
            ("Vikram", "विक्रम", "M"),
            ("Sunil", "सुनील", "M"),
            ("Deepak", "दीपक", "M"),
            ("Pooja", "पूजा", "F"),
            ("Ravi", "रवि", "M"),
            ("Arjun", "अर्जुन", "M"),
            ("Neha", "नेहा", "F"),
            ("Manoj", "मनोज", "M"),
            ("Sanjay", "संजय", "M"),
            ("Kavita", "कविता", "F"),
            ("Rahul", "राहुल", "M"),
            ("Imran", "इमरान", "M"),
            ("Sunita", "सुनीता", "F"),
            ("Anil", "अनिल", "M"),
            ("Rohit", "रोहित", "M"),
            ("Meena", "मीना", "F"),
            ("Vijay", "विजय", "M"),
            ("Asha", "आशा", "F"),
            ("Mohan", "मोहन", "M"),
            ("Gurpreet", "गुरप्रीत", "M"),
        ],
        family: &[
            ("Kumar", "कुमार"),
            ("Singh", "सिंह"),
            ("Sharma", "शर्मा"),
            ("Patel", "पटेल"),
            ("Yadav", "यादव"),
            ("Gupta", "गुप्ता"),
            ("Das", "दास"),
            ("Khan", "ख़ान"),
            ("Reddy", "रेड्डी"),
            ("Nair", "नायर"),
            ("Verma", "वर्मा"),
            ("Mishra", "मिश्रा"),
            ("Chauhan", "चौहान"),
            ("Joshi", "जोशी"),
        ],
    },
    Culture {
        nationality: "IDN",
        weight: 10,
        languages: &["id"],
        style: Style::Latin,
        given: &[
            ("Agus", "", "M"),
            ("Budi", "", "M"),
            ("Dewi", "", "F"),
            ("Siti", "", "F"),
            ("Sri", "", "F"),
            ("Wahyu", "", "M"),
            ("Eko", "", "M"),
            ("Rina", "", "F"),
            ("Putri", "", "F"),
            ("Adi", "", "M"),
            ("Nur", "", "F"),
            ("Indah", "", "F"),
            ("Ahmad", "", "M"),
            ("Muhammad", "", "M"),
            ("Dian", "", "F"),
            ("Rizki", "", "M"),
            ("Yusuf", "", "M"),
            ("Fitri", "", "F"),
            ("Hendra", "", "M"),
            ("Ayu", "", "F"),
        ],
        family: &[
            ("Santoso", ""),
            ("Wijaya", ""),
            ("Saputra", ""),
            ("Hidayat", ""),
            ("Pratama", ""),
            ("Setiawan", ""),
            ("Kurniawan", ""),
            ("Lestari", ""),
            ("Susanto", ""),
            ("Nugroho", ""),
            ("Siregar", ""),
            ("Gunawan", ""),
            ("Halim", ""),
            ("Purnomo", ""),
        ],
    },
    Culture {
        nationality: "MMR",
        weight: 8,
        languages: &["my"],
        style: Style::Burmese,
        given: &[
            ("Aung", "အောင်", "M"),
            ("Kyaw", "ကျော်", "M"),
            ("Zaw", "ဇော်", "M"),
            ("Min", "မင်း", "M"),
            ("Htet", "ထက်", "M"),
            ("Thant", "သန့်", "M"),
            ("Hla", "လှ", "F"),
            ("Mya", "မြ", "F"),
            ("Su", "စု", "F"),
            ("Thiri", "သီရိ", "F"),
            ("Nyein", "ငြိမ်း", "F"),
            ("Myint", "မြင့်", "M"),
            ("Win", "ဝင်း", "M"),
            ("Naing", "နိုင်", "M"),
            ("Tun", "ထွန်း", "M"),
            ("Thu", "သူ", "F"),
            ("Khin", "ခင်", "F"),
            ("Moe", "မိုး", "F"),
            ("Zin", "ဇင်", "F"),
            ("Paing", "ပိုင်", "M"),
        ],
        family: &[
            ("Oo", "ဦး"),
            ("Lwin", "လွင်"),
            ("Soe", "စိုး"),
            ("Maung", "မောင်"),
            ("Thein", "သိန်း"),
            ("Htun", "ထွန်း"),
            ("Phyo", "ဖြိုး"),
            ("Nwe", "နွယ်"),
        ],
    },
    Culture {
        nationality: "PHL",
        weight: 6,
        languages: &["tl", "en"],
        style: Style::Latin,
        given: &[
            ("Jose", "", "M"),
            ("Maria", "", "F"),
            ("Juan", "", "M"),
            ("Mark", "", "M"),
            ("Angelica", "", "F"),
            ("Jerome", "", "M"),
            ("Kristine", "", "F"),
            ("Ramon", "", "M"),
            ("Jasmine", "", "F"),
            ("Carlo", "", "M"),
            ("Rowena", "", "F"),
            ("Paolo", "", "M"),
        ],
        family: &[
            ("Santos", ""),
            ("Reyes", ""),
            ("Cruz", ""),
            ("Bautista", ""),
            ("Garcia", ""),
            ("Mendoza", ""),
            ("Ocampo", ""),
            ("Villanueva", ""),
            ("Dela Cruz", ""),
            ("Aquino", ""),
        ],
    },
    Culture {
        nationality: "PAK",
        weight: 5,
        languages: &["ur", "en"],
        style: Style::Scripted,
        given: &[
            ("Muhammad", "محمد", "M"),
            ("Ali", "علی", "M"),
            ("Hassan", "حسن", "M"),
            ("Bilal", "بلال", "M"),
            ("Ayesha", "عائشہ", "F"),
            ("Fatima", "فاطمہ", "F"),
            ("Usman", "عثمان", "M"),
            ("Imran", "عمران", "M"),
            ("Mohsin", "محسن", "M"),
            ("Zainab", "زینب", "F"),
            ("Hamza", "حمزہ", "M"),
            ("Sana", "ثنا", "F"),
        ],
        family: &[
            ("Khan", "خان"),
            ("Ahmed", "احمد"),
            ("Hussain", "حسین"),
            ("Malik", "ملک"),
            ("Butt", "بٹ"),
            ("Qureshi", "قریشی"),
            ("Raza", "رضا"),
            ("Iqbal", "اقبال"),
        ],
    },
    Culture {
        nationality: "BGD",
        weight: 5,
        languages: &["bn"],
        style: Style::Scripted,
        given: &[
            ("Mohammad", "মোহাম্মদ", "M"),
            ("Abdul", "আব্দুল", "M"),
            ("Rahim", "রহিম", "M"),
            ("Karim", "করিম", "M"),
            ("Fatema", "ফাতেমা", "F"),
            ("Nasrin", "নাসরিন", "F"),
            ("Rafiq", "রফিক", "M"),
            ("Shahid", "শহীদ", "M"),
            ("Ruma", "রুমা", "F"),
            ("Jahid", "জাহিদ", "M"),
            ("Moshiur", "মশিউর", "M"),
            ("Shirin", "শিরিন", "F"),
        ],
        family: &[
            ("Hossain", "হোসেন"),
            ("Rahman", "রহমান"),
            ("Islam", "ইসলাম"),
            ("Ahmed", "আহমেদ"),
            ("Akter", "আক্তার"),
            ("Uddin", "উদ্দিন"),
            ("Miah", "মিয়া"),
            ("Begum", "বেগম"),
        ],
    },
    Culture {
        nationality: "ETH",
        weight: 4,
        languages: &["am"],
        style: Style::Scripted,
        given: &[
            ("Abebe", "አበበ", "M"),
            ("Tesfaye", "ተስፋዬ", "M"),
            ("Girma", "ግርማ", "M"),
            ("Tigist", "ትዕግስት", "F"),
            ("Meron", "ሜሮን", "F"),
            ("Selam", "ሰላም", "F"),
            ("Bereket", "በረከት", "M"),
            ("Yonas", "ዮናስ", "M"),
            ("Dawit", "ዳዊት", "M"),
            ("Hana", "ሐና", "F"),
            ("Mekdes", "መቅደስ", "F"),
            ("Samuel", "ሳሙኤል", "M"),
        ],
        family: &[
            ("Kebede", "ከበደ"),
            ("Alemu", "አለሙ"),
            ("Hailu", "ኃይሉ"),
            ("Mulugeta", "ሙሉጌታ"),
            ("Tadesse", "ታደሰ"),
            ("Bekele", "በቀለ"),
            ("Wolde", "ወልደ"),
            ("Getachew", "ጌታቸው"),
        ],
    },
    Culture {
        nationality: "KEN",
        weight: 4,
        languages: &["sw", "en"],
        style: Style::Latin,
        given: &[
            ("John", "", "M"),
            ("Mary", "", "F"),
            ("Peter", "", "M"),
            ("Grace", "", "F"),
            ("Joseph", "", "M"),
            ("Faith", "", "F"),
            ("Brian", "", "M"),
            ("Mercy", "", "F"),
            ("Kevin", "", "M"),
            ("Esther", "", "F"),
            ("Dennis", "", "M"),
            ("Caroline", "", "F"),
        ],
        family: &[
            ("Otieno", ""),
            ("Mwangi", ""),
            ("Kamau", ""),
            ("Wanjiru", ""),
            ("Ochieng", ""),
            ("Kiprop", ""),
            ("Njoroge", ""),
            ("Achieng", ""),
            ("Mutua", ""),
            ("Wekesa", ""),
        ],
    },
    Culture {
        nationality: "LKA",
        weight: 3,
        languages: &["si"],
        style: Style::Scripted,
        given: &[
            ("Nimal", "නිමල්", "M"),
            ("Kamal", "කමල්", "M"),
            ("Sunil", "සුනිල්", "M"),
            ("Chamari", "චමරි", "F"),
            ("Dilani", "දිලානි", "F"),
            ("Ruwan", "රුවන්", "M"),
            ("Sanduni", "සඳුනි", "F"),
            ("Kasun", "කසුන්", "M"),
        ],
        family: &[
            ("Perera", "පෙරේරා"),
            ("Silva", "සිල්වා"),
            ("Fernando", "ප්‍රනාන්දු"),
            ("Bandara", "බණ්ඩාර"),
            ("Jayasinghe", "ජයසිංහ"),
            ("Dissanayake", "දිසානායක"),
        ],
    },
];

/// Each appears about once per 1,000,000 persons: the "rare name" queries.
const RARE: &[&str] = &[
    "Tshabalala",
    "Oyelaran",
    "Kowalczyk",
    "Haddad",
    "Nakamura",
    "Abernathy",
    "Quisumbing",
    "Vukovic",
    "Eriksdottir",
    "Zapata",
    "Mbeki",
    "Okonjo",
    "Ferreira",
    "Lindqvist",
    "Yilmaz",
    "Castellanos",
    "Oduya",
    "Petrosyan",
    "Kaczmarek",
    "Rahimov",
];
const RARE_EVERY: u64 = 50_000;

fn pick_culture(rng: &mut Rng) -> &'static Culture {
    let total: u32 = CULTURES.iter().map(|c| c.weight).sum();
    let mut x = (rng.next() % u64::from(total)) as u32;
    for c in CULTURES {
        if x < c.weight {
            return c;
        }
        x -= c.weight;
    }
    &CULTURES[0]
}

/// The `index`-th synthetic person (1-based); the same index always gives the same person.
fn person(index: u64) -> PersonInput {
    let mut rng = Rng(index.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED);
    let c = pick_culture(&mut rng);
    let (g_lat, g_orig, sex) = c.given[rng.skewed(c.given.len())];
    let (f_lat, f_orig) = c.family[rng.skewed(c.family.len())];
    let (given, family, original) = match c.style {
        Style::Vietnamese => {
            let (m_lat, m_orig) = if sex == "F" {
                ("Thi", "Thị")
            } else {
                ("Van", "Văn")
            };
            (
                format!("{m_lat} {g_lat}"),
                f_lat.to_string(),
                format!("{f_orig} {m_orig} {g_orig}"),
            )
        }
        Style::Chinese => (
            g_lat.to_string(),
            f_lat.to_string(),
            format!("{f_orig}{g_orig}"),
        ),
        Style::Burmese => (
            format!("{g_lat} {f_lat}"),
            String::new(),
            format!("{g_orig}{f_orig}"),
        ),
        Style::Scripted => (
            g_lat.to_string(),
            f_lat.to_string(),
            format!("{g_orig} {f_orig}"),
        ),
        Style::Latin => (g_lat.to_string(), f_lat.to_string(), String::new()),
    };
    let family = if index % RARE_EVERY == 777 {
        RARE[((index / RARE_EVERY) as usize) % RARE.len()].to_string()
    } else {
        family
    };
    let year = 1970 + rng.below(37) as i64;
    let (date_of_birth, estimated_age) = match rng.below(10) {
        0..=4 => (
            Some(format!(
                "{year}-{:02}-{:02}",
                1 + rng.below(12),
                1 + rng.below(28)
            )),
            None,
        ),
        5..=7 => (Some(year.to_string()), None),
        _ => (None, Some(2025 - year)),
    };
    let needs = match rng.below(20) {
        0 => vec!["injured".to_string()],
        1 => vec!["medical".to_string()],
        2 => vec!["pregnant".to_string()],
        _ => Vec::new(),
    };
    PersonInput {
        arrival_group_id: None,
        given_name: Some(given),
        family_name: Some(family),
        name_original_script: (!original.is_empty()).then_some(original),
        sex: Some(sex.to_string()),
        date_of_birth,
        estimated_age,
        nationality: Some(c.nationality.to_string()),
        languages: c.languages.iter().map(|l| l.to_string()).collect(),
        has_identity_document: Some(rng.below(4) == 0),
        needs,
        notes: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics

struct Stats {
    n: usize,
    mean_ms: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
}

fn stats(samples: &mut [Duration]) -> Stats {
    samples.sort_unstable();
    let n = samples.len();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pct = |p: f64| -> f64 {
        if n == 0 {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        ms(samples[rank.clamp(1, n) - 1])
    };
    let sum: f64 = samples.iter().map(|d| ms(*d)).sum();
    Stats {
        n,
        mean_ms: if n == 0 { f64::NAN } else { sum / n as f64 },
        p50: pct(50.0),
        p95: pct(95.0),
        p99: pct(99.0),
        max: samples.last().map(|d| ms(*d)).unwrap_or(f64::NAN),
    }
}

/// CPU time (user + system) this process has used so far, in seconds, from /proc (Linux); 0 when
/// unavailable. Per-registration CPU cost is steadier than wall-clock rates on a shared machine.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at state (field 3); utime
    // and stime are fields 14 and 15, in clock ticks of 1/100 s on Linux.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn line(label: &str, s: &Stats) -> String {
    format!(
        "{label:<44} n={:<5} mean {:>7.2} ms  p50 {:>7.2}  p95 {:>7.2}  p99 {:>7.2}  max {:>7.2}",
        s.n, s.mean_ms, s.p50, s.p95, s.p99, s.max
    )
}

// ---------------------------------------------------------------------------------------------
// Phases

async fn raw_rate(
    store: &Store,
    actor: &Actor,
    next: &mut u64,
    seconds: u64,
    per_tx: usize,
) -> Result<(u64, f64, Stats)> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut done = 0u64;
    let mut lat = Vec::new();
    while Instant::now() < deadline {
        let batch: Vec<PersonInput> = (0..per_tx as u64).map(|i| person(*next + i)).collect();
        let t = Instant::now();
        store.register_persons(actor, &batch).await?;
        lat.push(t.elapsed());
        *next += per_tx as u64;
        done += per_tx as u64;
    }
    let secs = start.elapsed().as_secs_f64();
    Ok((done, done as f64 / secs, stats(&mut lat)))
}

struct HttpRun {
    ok: u64,
    errors: u64,
    per_second: f64,
    latency: Stats,
}

/// A minimal HTTP/1.1 client on one keep-alive connection. A load generator should take as
/// little as it can of the two cores it shares with the server, as wrk does; a full client
/// library (reqwest, used up to run D in docs/BENCHMARKS.md) does much more work per request.
struct LeanClient {
    stream: tokio::io::BufReader<tokio::net::TcpStream>,
    head: String,
}

impl LeanClient {
    async fn connect(addr: std::net::SocketAddr, path: &str, token: &str) -> Result<Self> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: tokio::io::BufReader::new(stream),
            head: format!(
                "POST {path} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {token}\r\n\
                 content-type: application/json\r\n"
            ),
        })
    }

    /// Posts one JSON body; returns the status and the response body.
    async fn post(&mut self, body: &[u8]) -> Result<(u16, Vec<u8>)> {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
        let mut request = Vec::with_capacity(self.head.len() + body.len() + 32);
        request.extend_from_slice(self.head.as_bytes());
        request.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
        request.extend_from_slice(body);
        self.stream.get_mut().write_all(&request).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                bail!("connection closed in the response headers");
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = Some(value.trim().parse::<usize>()?);
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    bail!("chunked responses are not read by this client");
                }
            }
        }
        let mut response = vec![0; length.context("response without content-length")?];
        self.stream.read_exact(&mut response).await?;
        Ok((status, response))
    }
}

async fn http_registrations(
    addr: std::net::SocketAddr,
    token: &str,
    clients: usize,
    seconds: u64,
    first: u64,
) -> Result<HttpRun> {
    let run = |duration: Duration, offset: u64| {
        let mut tasks = Vec::new();
        for c in 0..clients {
            let token = token.to_string();
            tasks.push(tokio::spawn(async move {
                let mut client = LeanClient::connect(addr, "/api/v1/persons", &token).await?;
                let mut lat = Vec::new();
                let mut errors = 0u64;
                let mut i = 0u64;
                let deadline = Instant::now() + duration;
                while Instant::now() < deadline {
                    // Interleave clients so each posts distinct people.
                    let body = serde_json::to_vec(&person(offset + i * clients as u64 + c as u64))?;
                    i += 1;
                    let t = Instant::now();
                    let (status, response) = client.post(&body).await?;
                    if status == 201 {
                        lat.push(t.elapsed());
                    } else {
                        errors += 1;
                        if errors <= 3 {
                            eprintln!(
                                "client {c}: HTTP {status}: {}",
                                String::from_utf8_lossy(&response)
                                    .chars()
                                    .take(300)
                                    .collect::<String>()
                            );
                        }
                    }
                }
                anyhow::Ok((lat, errors, i))
            }));
        }
        tasks
    };
    // Warm-up: open the keep-alive connections and warm the caches; not counted.
    let mut used = 0u64;
    for t in run(Duration::from_secs(1), first) {
        let (_, _, i) = t.await??;
        used = used.max(i);
    }
    let offset = first + (used + 1) * clients as u64;
    let start = Instant::now();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in run(Duration::from_secs(seconds), offset) {
        let (lat, e, _) = t.await??;
        all.extend(lat);
        errors += e;
    }
    let secs = start.elapsed().as_secs_f64();
    let ok = all.len() as u64;
    Ok(HttpRun {
        ok,
        errors,
        per_second: ok as f64 / secs,
        latency: stats(&mut all),
    })
}

#[derive(Clone)]
struct Query {
    q: Option<String>,
    nationality: Option<String>,
    cursor: Option<String>,
}

struct Kind {
    label: &'static str,
    queries: Vec<Query>,
}

fn query_kinds(samples: &[(String, String)], n: usize, rng: &mut Rng) -> Vec<Kind> {
    let q = |s: &str| Query {
        q: Some(s.to_string()),
        nationality: None,
        cursor: None,
    };
    let sample = |rng: &mut Rng| &samples[rng.below(samples.len())];
    let mut kinds = Vec::new();
    kinds.push(Kind {
        label: "exact registration number",
        queries: (0..n).map(|_| q(&sample(rng).1)).collect(),
    });
    // Typed like a clerk: family name and the start of the given name ("nguyen van", "wang we").
    let prefixes: Vec<Query> = (0..n)
        .map(|i| {
            let p = person(1 + rng.next() % 900_000);
            let family = p.family_name.unwrap_or_default();
            let given = p.given_name.unwrap_or_default();
            let short: String = given.chars().take(3 + i % 2).collect();
            let text = if family.is_empty() {
                given
            } else {
                format!("{family} {short}")
            };
            q(&text.to_lowercase())
        })
        .collect();
    kinds.push(Kind {
        label: "full name prefix (\"nguyen van\", \"wang we\")",
        queries: prefixes,
    });
    kinds.push(Kind {
        label: "common token prefix \"moh\"",
        queries: (0..n).map(|_| q("moh")).collect(),
    });
    kinds.push(Kind {
        label: "common token prefix (ngu/wan/kum/sin/aun)",
        queries: (0..n)
            .map(|i| q(["ngu", "wan", "kum", "sin", "aun"][i % 5]))
            .collect(),
    });
    kinds.push(Kind {
        label: "rare name (about 1 in 1,000,000)",
        queries: (0..n)
            .map(|i| q(&RARE[i % RARE.len()].to_lowercase()))
            .collect(),
    });
    let pairs = [
        ("wang", "CHN"),
        ("nguyen", "VNM"),
        ("kumar", "IND"),
        ("siti", "IDN"),
        ("aung", "MMR"),
        ("khan", "PAK"),
        ("santos", "PHL"),
        ("rahman", "BGD"),
        ("khan", "IND"),
        ("ali", "PAK"),
    ];
    kinds.push(Kind {
        label: "name + nationality filter",
        queries: (0..n)
            .map(|i| {
                let (name, nat) = pairs[i % pairs.len()];
                Query {
                    q: Some(name.into()),
                    nationality: Some(nat.into()),
                    cursor: None,
                }
            })
            .collect(),
    });
    kinds.push(Kind {
        label: "listing, cursor at random depth",
        queries: (0..n)
            .map(|_| Query {
                q: None,
                nationality: None,
                cursor: Some(sample(rng).0.clone()),
            })
            .collect(),
    });
    kinds.push(Kind {
        label: "common prefix + cursor at random depth",
        queries: (0..n)
            .map(|_| Query {
                q: Some("ngu".into()),
                nationality: None,
                cursor: Some(sample(rng).0.clone()),
            })
            .collect(),
    });
    kinds
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = parse_args()?;
    let target = args.persons.min(MAX_PER_SITE);
    let dir = tempfile::Builder::new().prefix("moei-bench-").tempdir()?;
    let path = dir.path().join("moei.db");
    let url = DatabaseUrl::Sqlite(path.clone());
    let options = OpenOptions {
        create_if_missing: true,
        site: SITE.into(),
        ..OpenOptions::default()
    };
    let store = Store::open(&url, &options, Arc::new(SystemClock)).await?;
    let admin = Actor::cli();
    let user = store
        .create_user(
            &admin,
            &NewUser {
                username: "bench".into(),
                role: Role::Registrar,
                agency: None,
                nationalities: Vec::new(),
                password: None,
            },
        )
        .await?;
    let token = store.create_token(&admin, "bench", "bench").await?;
    let actor = Actor::new(user.principal(), "127.0.0.1");
    println!("# Moei registration and search benchmark");
    println!(
        "persons {} (target {}), seconds {}, clients {}, queries per kind {}, cores {}",
        args.persons,
        target,
        args.seconds,
        args.clients,
        args.queries,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    println!(
        "database: SQLite, WAL, synchronous = FULL (as Store::open sets it), max_connections {}",
        options.max_connections
    );

    // 1. Raw insert rate.
    let mut next = 1u64;
    let (n1, raw, raw_lat) = raw_rate(&store, &actor, &mut next, args.seconds, 1).await?;
    println!("\n## Raw Store::register_person, sequential, one person per transaction");
    println!(
        "{n1} persons, {raw:.0} registrations/s (each: person, name tokens and pair keys, history and audit rows, one fsync'd commit)"
    );
    println!("{}", line("per-registration latency", &raw_lat));
    let (n32, raw32, raw32_lat) =
        raw_rate(&store, &actor, &mut next, args.seconds.div_ceil(2), 32).await?;
    println!("\n## Raw Store::register_persons, sequential, 32 persons per transaction");
    println!("{n32} persons, {raw32:.0} registrations/s");
    println!(
        "{}",
        line("per-transaction latency (32 persons)", &raw32_lat)
    );

    // 2. HTTP.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let state = moei_web::AppState::new(store.clone(), false);
    let server = tokio::spawn(moei_web::serve(listener, state, async move {
        let _ = stop_rx.await;
    }));
    let cpu_before = cpu_seconds();
    let http = http_registrations(addr, &token, args.clients, args.seconds, 10_000_000).await?;
    let http_cpu = cpu_seconds() - cpu_before;
    println!(
        "\n## HTTP POST /api/v1/persons, {} concurrent keep-alive clients (in the same process)",
        args.clients
    );
    println!(
        "{} registered, {} errors, {:.0} registrations/s; HTTP/raw ratio {:.2}",
        http.ok,
        http.errors,
        http.per_second,
        http.per_second / raw
    );
    println!("{}", line("request latency", &http.latency));
    println!(
        "process CPU (server and clients) {:.1} s over the run including warm-up: {:.2} ms per registration",
        http_cpu,
        1000.0 * http_cpu / (http.ok.max(1) as f64)
    );

    // 3. Bulk load, then search.
    let counts = store.counts(&admin, None).await?;
    let have = u64::try_from(counts.total)?;
    println!("\n## Bulk load to {target} persons (register_persons, {LOAD_BATCH} per transaction)");
    let mut samples: Vec<(String, String)> = Vec::new();
    let mut rng = Rng(42);
    let load_start = Instant::now();
    let mut loaded = 0u64;
    let mut index = 1u64;
    let mut last_report = Instant::now();
    while have + loaded < target {
        let n = (target - have - loaded).min(LOAD_BATCH as u64);
        let batch: Vec<PersonInput> = (0..n).map(|i| person(index + i)).collect();
        index += n;
        let people = store.register_persons(&actor, &batch).await?;
        for p in &people {
            if rng.below(1000) == 0 {
                samples.push((p.id.clone(), p.registration_number.to_string()));
            }
        }
        loaded += n;
        if last_report.elapsed() > Duration::from_secs(30) {
            let r = loaded as f64 / load_start.elapsed().as_secs_f64();
            eprintln!("  loaded {} of {target} ({r:.0}/s)", have + loaded);
            last_report = Instant::now();
        }
    }
    let load_secs = load_start.elapsed().as_secs_f64();
    let total = u64::try_from(store.counts(&admin, None).await?.total)?;
    println!(
        "loaded {loaded} persons in {load_secs:.1} s ({:.0} persons/s); {total} persons in the database",
        loaded as f64 / load_secs.max(1e-9)
    );
    if let Ok(meta) = std::fs::metadata(&path) {
        println!("database file {:.0} MB (plus WAL)", meta.len() as f64 / 1e6);
    }
    if samples.is_empty() {
        bail!("too few persons loaded to sample queries from; use a larger --persons");
    }

    let kinds = query_kinds(&samples, args.queries, &mut Rng(7));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    println!(
        "\n## Search, {} queries per kind, one client, newest first, 50 per page",
        args.queries
    );
    let mut worst_store: f64 = 0.0;
    let mut worst_http: f64 = 0.0;
    for kind in &kinds {
        let mut store_lat = Vec::new();
        let mut http_lat = Vec::new();
        let mut hits = 0usize;
        for query in &kind.queries {
            let pq = PersonQuery {
                q: query.q.clone(),
                nationality: query.nationality.clone(),
                cursor: query.cursor.clone(),
                ..PersonQuery::default()
            };
            let t = Instant::now();
            let page = store.search_persons(&actor, &pq).await?;
            store_lat.push(t.elapsed());
            hits += page.items.len();
        }
        for query in &kind.queries {
            let mut params: Vec<(&str, &str)> = Vec::new();
            if let Some(q) = &query.q {
                params.push(("q", q));
            }
            if let Some(n) = &query.nationality {
                params.push(("nationality", n));
            }
            if let Some(c) = &query.cursor {
                params.push(("cursor", c));
            }
            let t = Instant::now();
            let resp = client
                .get(format!("{base}/api/v1/persons"))
                .query(&params)
                .header("authorization", format!("Bearer {token}"))
                .send()
                .await?;
            let status = resp.status();
            let body = resp.bytes().await?;
            http_lat.push(t.elapsed());
            if !status.is_success() {
                bail!(
                    "search {params:?}: HTTP {status}: {}",
                    String::from_utf8_lossy(&body)
                );
            }
        }
        let s = stats(&mut store_lat);
        let h = stats(&mut http_lat);
        worst_store = worst_store.max(s.p95);
        worst_http = worst_http.max(h.p95);
        println!(
            "{} (mean {:.1} hits per page)",
            kind.label,
            hits as f64 / kind.queries.len().max(1) as f64
        );
        println!("  {}", line("store", &s));
        println!("  {}", line("http", &h));
    }

    println!("\n## Floors");
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    println!(
        "registrations/s over HTTP >= 1000: {:.0} ({})",
        http.per_second,
        verdict(http.per_second >= 1000.0)
    );
    println!(
        "HTTP registration p99 < 50 ms: {:.2} ms ({})",
        http.latency.p99,
        verdict(http.latency.p99 < 50.0)
    );
    println!(
        "search p95 < 50 ms (worst kind): store {worst_store:.2} ms, http {worst_http:.2} ms ({})",
        verdict(worst_http < 50.0 && worst_store < 50.0)
    );

    let _ = stop_tx.send(());
    server.await??;
    store.close().await;
    if args.keep {
        let kept = dir.keep();
        println!("\ndatabase kept at {}", kept.join("moei.db").display());
    }
    Ok(())
}
