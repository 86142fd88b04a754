//! Deterministic synthetic registrations for benchmarks and accuracy checks.
//!
//! The nationality mix follows the 2025 Myawaddy crossings (India, Philippines, China,
//! Vietnam, Ethiopia, Indonesia and others). Names are drawn from short per-country lists
//! and combined, so common names repeat as they do in real intakes. Duplicates are made
//! with the errors seen at registration desks: typos, name order swapped, middle names
//! dropped, spelling variants, the name written in its own script, day and month swapped,
//! year only, OCR-confused passport digits, phones written locally or internationally, and
//! missing fields. Every record carries the id of the person it was made from.

use crate::record::Record;

/// SplitMix64: tiny, fast, reproducible on every platform.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; returns 0 for `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

struct Nation {
    name: &'static str,
    weight: u32,
    prefix: &'static str,
    calling: &'static str,
    given: &'static [&'static str],
    family: &'static [&'static str],
    /// Latin -> own-script spelling, for duplicates written in the native script.
    native: &'static [(&'static str, &'static str)],
    places: &'static [&'static str],
    family_first: bool,
}

const NATIONS: &[Nation] = &[
    Nation {
        name: "India",
        weight: 29,
        prefix: "N",
        calling: "91",
        given: &[
            "Rajesh", "Amit", "Suresh", "Ramesh", "Vijay", "Sanjay", "Anil", "Sunil", "Rahul",
            "Deepak", "Manoj", "Arun", "Ravi", "Lakshmi", "Priya", "Sunita", "Anita", "Pooja",
            "Neha", "Kavita", "Mohammed", "Imran", "Arjun", "Karan", "Vikram", "Ajay", "Harish",
            "Naveen", "Sandeep", "Praveen", "Gaurav", "Rohit", "Nitin", "Pankaj", "Sachin",
            "Abhishek", "Ashok", "Dinesh", "Mahesh", "Ganesh",
        ],
        family: &[
            "Kumar", "Singh", "Sharma", "Patel", "Yadav", "Gupta", "Reddy", "Nair", "Das", "Khan",
            "Verma", "Mishra", "Joshi", "Chauhan", "Pillai", "Iyer", "Rao", "Shah", "Mehta",
            "Thakur", "Pandey", "Tiwari", "Dubey", "Naidu", "Menon",
        ],
        native: &[
            ("Rajesh", "राजेश"),
            ("Kumar", "कुमार"),
            ("Sharma", "शर्मा"),
            ("Ramesh", "रमेश"),
            ("Singh", "सिंह"),
            ("Amit", "अमित"),
            ("Priya", "प्रिया"),
        ],
        places: &[
            "Hyderabad",
            "Chennai",
            "Mumbai",
            "Kolkata",
            "Lucknow",
            "Patna",
            "Kochi",
            "Jaipur",
        ],
        family_first: false,
    },
    Nation {
        name: "Philippines",
        weight: 14,
        prefix: "P",
        calling: "63",
        given: &[
            "Juan",
            "Jose",
            "Mark",
            "John Paul",
            "Maria",
            "Ana",
            "Kristine",
            "Angelica",
            "Michael",
            "Christian",
            "Jerome",
            "Rhea",
            "Joy",
            "Mary Grace",
            "Ramon",
            "Eduardo",
            "Jayson",
            "Aileen",
            "Rowena",
            "Marvin",
        ],
        family: &[
            "Santos",
            "Reyes",
            "Cruz",
            "Bautista",
            "Ocampo",
            "Garcia",
            "Mendoza",
            "Torres",
            "Flores",
            "Villanueva",
            "Ramos",
            "Aquino",
            "Castillo",
            "Dela Cruz",
            "Navarro",
            "Soriano",
        ],
        native: &[],
        places: &[
            "Manila",
            "Cebu",
            "Davao",
            "Pampanga",
            "Iloilo",
            "Quezon City",
        ],
        family_first: false,
    },
    Nation {
        name: "China",
        weight: 12,
        prefix: "E",
        calling: "86",
        given: &[
            "Wei", "Fang", "Min", "Jing", "Lei", "Jun", "Yang", "Yong", "Yan", "Jie", "Tao",
            "Ming", "Chao", "Xiuying", "Xiaoming", "Hua", "Ping", "Gang", "Hui", "Qiang",
        ],
        family: &[
            "Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
            "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao",
        ],
        native: &[
            ("Zhang", "张"),
            ("Wang", "王"),
            ("Li", "李"),
            ("Liu", "刘"),
            ("Chen", "陈"),
            ("Wei", "伟"),
            ("Fang", "芳"),
            ("Min", "敏"),
            ("Jing", "静"),
            ("Lei", "磊"),
        ],
        places: &["Fujian", "Guangdong", "Yunnan", "Sichuan", "Hunan", "Henan"],
        family_first: true,
    },
    Nation {
        name: "Vietnam",
        weight: 10,
        prefix: "C",
        calling: "84",
        given: &[
            "An", "Binh", "Cuong", "Dung", "Hai", "Hieu", "Hoa", "Hung", "Lan", "Linh", "Long",
            "Mai", "Minh", "Nam", "Phuong", "Quang", "Son", "Thanh", "Trang", "Tuan",
        ],
        family: &[
            "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ho",
            "Ngo", "Duong", "Ly",
        ],
        native: &[
            ("Nguyen", "Nguyễn"),
            ("Tran", "Trần"),
            ("Pham", "Phạm"),
            ("Van", "Văn"),
            ("Thi", "Thị"),
            ("Dang", "Đặng"),
        ],
        places: &[
            "Ha Noi",
            "Nghe An",
            "Ha Tinh",
            "Thanh Hoa",
            "Hai Phong",
            "Quang Binh",
        ],
        family_first: true,
    },
    Nation {
        name: "Ethiopia",
        weight: 8,
        prefix: "EP",
        calling: "251",
        given: &[
            "Abebe", "Bekele", "Tesfaye", "Getachew", "Mulugeta", "Alemu", "Girma", "Haile",
            "Kebede", "Tadesse", "Solomon", "Dawit", "Yonas", "Meron", "Hanna", "Tigist", "Selam",
            "Almaz", "Birtukan", "Mekdes",
        ],
        family: &[
            "Abebe", "Bekele", "Tesfaye", "Getachew", "Mulugeta", "Alemu", "Girma", "Haile",
            "Kebede", "Tadesse", "Wolde", "Desta", "Ayele", "Gebre", "Mengistu",
        ],
        native: &[
            ("Abebe", "አበበ"),
            ("Bekele", "በቀለ"),
            ("Mulugeta", "ሙሉጌታ"),
            ("Kebede", "ከበደ"),
            ("Haile", "ኃይሌ"),
        ],
        places: &["Addis Ababa", "Hawassa", "Bahir Dar", "Dire Dawa", "Jimma"],
        family_first: false,
    },
    Nation {
        name: "Indonesia",
        weight: 5,
        prefix: "B",
        calling: "62",
        given: &[
            "Agus",
            "Budi",
            "Dewi",
            "Eko",
            "Fitri",
            "Hendra",
            "Indra",
            "Joko",
            "Kurniawan",
            "Lestari",
            "Putri",
            "Rina",
            "Sri",
            "Wahyu",
            "Yusuf",
            "Siti",
        ],
        family: &[
            "Santoso",
            "Wijaya",
            "Saputra",
            "Hidayat",
            "Pratama",
            "Setiawan",
            "Nugroho",
            "Rahmawati",
            "Susanto",
            "Gunawan",
        ],
        native: &[],
        places: &["Jakarta", "Surabaya", "Medan", "Bandung", "Semarang"],
        family_first: false,
    },
    Nation {
        name: "Pakistan",
        weight: 3,
        prefix: "AB",
        calling: "92",
        given: &[
            "Muhammad", "Ahmed", "Ali", "Hassan", "Usman", "Bilal", "Imran", "Fatima", "Ayesha",
            "Zainab", "Yusuf", "Omar",
        ],
        family: &[
            "Khan", "Hussain", "Ahmed", "Ali", "Malik", "Butt", "Qureshi", "Sheikh", "Chaudhry",
            "Raza",
        ],
        native: &[
            ("Muhammad", "محمد"),
            ("Ali", "علی"),
            ("Khan", "خان"),
            ("Hassan", "حسن"),
            ("Yusuf", "یوسف"),
        ],
        places: &["Lahore", "Karachi", "Faisalabad", "Rawalpindi"],
        family_first: false,
    },
    Nation {
        name: "Myanmar",
        weight: 4,
        prefix: "MA",
        calling: "95",
        given: &[
            "Aung", "Kyaw", "Myint", "Zaw", "Htun", "Win", "Thant", "Hla", "Khin", "Su", "Mya",
            "Thida", "Naing", "Soe", "Min", "Htet",
        ],
        family: &[
            "Aung", "Kyaw", "Myint", "Zaw", "Htun", "Win", "Oo", "Naing", "Lwin", "Thein",
        ],
        native: &[
            ("Aung", "အောင်"),
            ("Kyaw", "ကျော်"),
            ("Myint", "မြင့်"),
            ("Zaw", "ဇော်"),
            ("Win", "ဝင်း"),
        ],
        places: &["Yangon", "Mandalay", "Myawaddy", "Hpa-an", "Bago"],
        family_first: false,
    },
    Nation {
        name: "Thailand",
        weight: 3,
        prefix: "AA",
        calling: "66",
        given: &[
            "Somchai", "Somsak", "Sombat", "Malee", "Suda", "Kanya", "Niran", "Prasert", "Wichai",
            "Arunee",
        ],
        family: &[
            "Saetang",
            "Srisuk",
            "Wongsa",
            "Jaidee",
            "Bunmee",
            "Thongdee",
            "Chaiyaporn",
            "Rattanakorn",
        ],
        native: &[
            ("Somchai", "สมชาย"),
            ("Jaidee", "ใจดี"),
            ("Malee", "มาลี"),
            ("Arunee", "อรุณี"),
        ],
        places: &["Mae Sot", "Chiang Rai", "Bangkok", "Tak"],
        family_first: false,
    },
    Nation {
        name: "Kenya",
        weight: 3,
        prefix: "AK",
        calling: "254",
        given: &[
            "John", "Peter", "James", "Mary", "Grace", "Joseph", "Brian", "Kevin", "Faith",
            "Mercy", "Dennis", "Samuel",
        ],
        family: &[
            "Otieno", "Odhiambo", "Kamau", "Mwangi", "Wanjiru", "Ochieng", "Kiprono", "Chebet",
            "Njoroge", "Mutua",
        ],
        native: &[],
        places: &["Nairobi", "Mombasa", "Kisumu", "Nakuru"],
        family_first: false,
    },
    Nation {
        name: "Malaysia",
        weight: 3,
        prefix: "A",
        calling: "60",
        given: &[
            "Ahmad", "Mohd", "Nurul", "Siti", "Lim", "Tan", "Raj", "Farah", "Hafiz", "Aisyah",
        ],
        family: &[
            "Bin Ismail",
            "Binti Hassan",
            "Bin Abdullah",
            "Wong",
            "Chong",
            "Lee",
            "A/L Muthu",
            "Bin Osman",
        ],
        native: &[],
        places: &["Kuala Lumpur", "Penang", "Johor Bahru", "Ipoh"],
        family_first: false,
    },
    Nation {
        name: "Bangladesh",
        weight: 2,
        prefix: "BX",
        calling: "880",
        given: &[
            "Md", "Rahim", "Karim", "Hasan", "Nasrin", "Fatema", "Shahid", "Rashed", "Lakshmi",
            "Sumon",
        ],
        family: &[
            "Hossain",
            "Rahman",
            "Islam",
            "Akter",
            "Begum",
            "Uddin",
            "Das",
            "Chowdhury",
        ],
        native: &[("Lakshmi", "লক্ষ্মী"), ("Das", "দাস")],
        places: &["Dhaka", "Chittagong", "Sylhet", "Khulna"],
        family_first: false,
    },
];

/// A synthetic record with the person it belongs to.
#[derive(Debug, Clone)]
pub struct SynthRecord {
    pub record: Record,
    pub person: u64,
}

struct Person {
    given: Vec<&'static str>,
    family: &'static str,
    nation: usize,
    dob: (i16, i8, i8),
    sex: &'static str,
    passport: Option<String>,
    phone: Option<String>,
    place: &'static str,
}

fn make_person(rng: &mut SplitMix64) -> Person {
    let total: u32 = NATIONS.iter().map(|n| n.weight).sum();
    let mut r = rng.below(total as usize) as u32;
    let mut nation = 0;
    for (i, n) in NATIONS.iter().enumerate() {
        if r < n.weight {
            nation = i;
            break;
        }
        r -= n.weight;
    }
    let n = &NATIONS[nation];
    let mut given = vec![*rng.pick(n.given)];
    if rng.chance(0.35) {
        given.push(*rng.pick(n.given));
    }
    if n.name == "Vietnam" && rng.chance(0.8) {
        given.insert(0, if rng.chance(0.5) { "Van" } else { "Thi" });
    }
    let digits = 7 + rng.below(2);
    let mut doc = n.prefix.to_owned();
    for _ in 0..digits {
        doc.push(char::from(b'0' + rng.below(10) as u8));
    }
    let mut phone = String::from("0");
    phone.push(char::from(b'6' + rng.below(4) as u8));
    for _ in 0..8 {
        phone.push(char::from(b'0' + rng.below(10) as u8));
    }
    Person {
        given,
        family: n.family[rng.below(n.family.len())],
        nation,
        dob: (
            1965 + rng.below(42) as i16,
            1 + rng.below(12) as i8,
            1 + rng.below(28) as i8,
        ),
        sex: if rng.chance(0.83) { "M" } else { "F" },
        passport: rng.chance(0.6).then_some(doc),
        phone: rng.chance(0.5).then_some(phone),
        place: n.places[rng.below(n.places.len())],
    }
}

fn typo(rng: &mut SplitMix64, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 3 {
        return s.to_owned();
    }
    let i = 1 + rng.below(c.len() - 2);
    match rng.below(3) {
        0 => {
            c.remove(i);
        }
        1 => c.swap(i, i + 1),
        _ => c[i] = char::from(b'a' + rng.below(26) as u8),
    }
    c.into_iter().collect()
}

fn native_or(n: &Nation, s: &str) -> String {
    n.native
        .iter()
        .find(|(l, _)| *l == s)
        .map(|(_, v)| (*v).to_owned())
        .unwrap_or_else(|| s.to_owned())
}

fn spelling_variant(rng: &mut SplitMix64, s: &str) -> String {
    let table: &[(&str, &[&str])] = &[
        ("Mohammed", &["Muhammad", "Mohd", "Md", "Mohamed"]),
        ("Muhammad", &["Mohammed", "Mohd", "Md"]),
        ("Mohd", &["Muhammad", "Mohammed"]),
        ("Kumar", &["Kr"]),
        ("Lakshmi", &["Laxmi"]),
        ("Zhang", &["Chang", "Cheung"]),
        ("Wang", &["Wong"]),
        ("Chen", &["Chan"]),
        ("Li", &["Lee"]),
        ("Nguyen", &["Ng"]),
        ("Yusuf", &["Yousef"]),
        ("Hussain", &["Hossain", "Husain"]),
        ("Ahmed", &["Ahmad"]),
    ];
    match table.iter().find(|(k, _)| *k == s) {
        Some((_, v)) => (*rng.pick(v)).to_owned(),
        None => s.to_owned(),
    }
}

fn render(rng: &mut SplitMix64, p: &Person, person: u64, id: String, noisy: bool) -> SynthRecord {
    let n = &NATIONS[p.nation];
    let mut given: Vec<String> = p.given.iter().map(|s| (*s).to_owned()).collect();
    let mut family = p.family.to_owned();
    let mut native = false;
    if noisy {
        if given.len() > 1 && rng.chance(0.25) {
            given.pop();
        }
        if rng.chance(0.2) {
            let i = rng.below(given.len());
            given[i] = typo(rng, &given[i]);
        } else if rng.chance(0.15) {
            family = typo(rng, &family);
        }
        if rng.chance(0.3) {
            given = given.iter().map(|g| spelling_variant(rng, g)).collect();
            family = spelling_variant(rng, &family);
        }
        if !n.native.is_empty() && rng.chance(0.15) {
            native = true;
            given = given.iter().map(|g| native_or(n, g)).collect();
            family = native_or(n, &family);
        }
    }
    let given_s = given.join(" ");
    let (gn, fam, full) = if noisy && rng.chance(0.4) {
        // Only a full name, in either order.
        let order = if n.family_first ^ rng.chance(0.4) {
            format!("{family} {given_s}")
        } else {
            format!("{given_s} {family}")
        };
        let full = if native && n.name == "China" {
            order.replace(' ', "")
        } else {
            order
        };
        (String::new(), String::new(), full)
    } else {
        (given_s, family, String::new())
    };
    let (y, m, d) = p.dob;
    let dob = if !noisy {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        match rng.below(20) {
            0 => format!("{y:04}-{d:02}-{m:02}"),
            1 | 2 => format!("{y:04}"),
            3 | 4 => String::new(),
            5 => format!("{y:04}-{m:02}-{:02}", (d % 28) + 1),
            6 => format!("{d:02}/{m:02}/{y:04}"),
            _ => format!("{y:04}-{m:02}-{d:02}"),
        }
    };
    let passport = match &p.passport {
        Some(_) if noisy && rng.chance(0.3) => String::new(),
        Some(doc) if noisy && rng.chance(0.15) => doc.replacen('0', "O", 1).replacen('1', "I", 1),
        Some(doc) if noisy && rng.chance(0.05) => typo(rng, doc),
        Some(doc) => doc.clone(),
        None => String::new(),
    };
    let phone = match &p.phone {
        Some(_) if noisy && rng.chance(0.4) => String::new(),
        Some(ph) if rng.chance(0.5) => format!("+{} {}", n.calling, &ph[1..]),
        Some(ph) => ph.clone(),
        None => String::new(),
    };
    let nationality = if noisy && rng.chance(0.05) {
        String::new()
    } else {
        n.name.to_owned()
    };
    let sex = if noisy && rng.chance(0.05) {
        String::new()
    } else {
        p.sex.to_owned()
    };
    let place = if noisy && rng.chance(0.3) {
        String::new()
    } else {
        p.place.to_owned()
    };
    SynthRecord {
        record: Record {
            id,
            given_name: gn,
            family_name: fam,
            full_name: full,
            sex,
            date_of_birth: dob,
            nationality,
            passport_number: passport,
            phone,
            place_of_origin: place,
        },
        person,
    }
}

/// `n` records of which about `dup_rate` are extra registrations of earlier persons.
pub fn generate(n: usize, dup_rate: f64, seed: u64) -> Vec<SynthRecord> {
    let mut rng = SplitMix64::new(seed);
    let mut persons: Vec<Person> = Vec::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let id = format!("r{}", out.len());
        if !persons.is_empty() && rng.chance(dup_rate) {
            let k = rng.below(persons.len());
            let rec = render(&mut rng, &persons[k], k as u64, id, true);
            out.push(rec);
        } else {
            let p = make_person(&mut rng);
            let k = persons.len() as u64;
            let rec = render(&mut rng, &p, k, id, false);
            persons.push(p);
            out.push(rec);
        }
    }
    out
}

/// Two sets for linkage: `right` has `n_right` distinct persons; `left` has `n_left` records,
/// a share `overlap` of them noisy copies of persons in `right`, the rest new persons.
pub fn generate_link(
    n_left: usize,
    n_right: usize,
    overlap: f64,
    seed: u64,
) -> (Vec<SynthRecord>, Vec<SynthRecord>) {
    let mut rng = SplitMix64::new(seed);
    let persons: Vec<Person> = (0..n_right).map(|_| make_person(&mut rng)).collect();
    let right: Vec<SynthRecord> = persons
        .iter()
        .enumerate()
        .map(|(k, p)| render(&mut rng, p, k as u64, format!("R{k}"), false))
        .collect();
    let mut left = Vec::with_capacity(n_left);
    for i in 0..n_left {
        if !persons.is_empty() && rng.chance(overlap) {
            let k = rng.below(persons.len());
            left.push(render(
                &mut rng,
                &persons[k],
                k as u64,
                format!("L{i}"),
                true,
            ));
        } else {
            let p = make_person(&mut rng);
            left.push(render(
                &mut rng,
                &p,
                u64::MAX - i as u64,
                format!("L{i}"),
                false,
            ));
        }
    }
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let a = generate(500, 0.3, 42);
        let b = generate(500, 0.3, 42);
        assert_eq!(a.len(), 500);
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.record == y.record && x.person == y.person)
        );
        let persons: std::collections::HashSet<u64> = a.iter().map(|r| r.person).collect();
        assert!(
            persons.len() < 450 && persons.len() > 300,
            "{}",
            persons.len()
        );
    }
}
