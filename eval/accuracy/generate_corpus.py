#!/usr/bin/env python3
"""Generate a multi-nationality identity corpus with ground truth.

The corpus imitates the merged lists a border post holds after a mass arrival
from a scam compound: desk registrations (the same person registered twice at
different desks), NGO shelter intake forms, embassy nominal rolls and families'
missing-person reports. The same person is spelled differently across them.

Outputs (in --out-dir):

  corpus.csv            dedup input in Moei's input columns (no ground truth)
  corpus_truth.csv      record_id, entity_id, source, family_group
  roll.csv              link input: embassy rolls + missing-person reports
  roll_truth.csv        record_id, entity_id, source, family_group
  manifest.json         parameters, counts, the seed and list_date (the day the
                        lists' ages are stated: REFERENCE_DATE)

The link task is roll.csv (left) against corpus.csv (right). About
--roll-absent of the roll refers to people who never reached the border, so
they have no true link.

Everything is deterministic for a given --seed and sizes. The name pools live
in names/*.tsv (see names/README.md for their provenance).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES_DIR = HERE / "names"

COLUMNS = [
    "record_id",
    "given_name",
    "family_name",
    "full_name",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
    "phone",
    "place_of_origin",
]

# The day the lists were compiled; ages are computed against it.
REFERENCE_DATE = dt.date(2025, 10, 25)


# --------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    demonym: str
    weight: int  # share of arrivals
    calling_code: str
    trunk: str  # national trunk prefix used in local writing ("" if none)
    mobile: str  # pattern for the national significant number: d = digit
    passport: str  # pattern: A = letter, d = digit
    style: str  # naming style, see render_* below
    native_script: bool  # names have a non-Latin native form in the pool
    # names a desk officer may confuse this nationality with
    confusable: tuple[str, ...] = ()


# Weights: 1 Nov 2025 status of the KK Park crossings (India 465,
# Philippines 220, China 185, Vietnam 151, Ethiopia 130; the remaining ~444
# spread over the other nationalities by rough order of press reports).
COUNTRIES: dict[str, Country] = {
    c.iso3: c
    for c in [
        Country("IND", "India", "Indian", 465, "91", "0", "9ddddddddd", "Addddddd", "south_asian", True, ("NPL", "BGD")),
        Country("PHL", "Philippines", "Filipino", 220, "63", "0", "9ddddddddd", "PdddddddA", "filipino", False, ()),
        Country("CHN", "China", "Chinese", 185, "86", "", "13ddddddddd", "Edddddddd", "east_asian", True, ("TWN",)),
        Country("VNM", "Vietnam", "Vietnamese", 151, "84", "0", "9dddddddd", "Cddddddd", "vietnamese", True, ()),
        Country("ETH", "Ethiopia", "Ethiopian", 130, "251", "0", "9dddddddd", "EPddddddd", "ethiopian", True, ("KEN",)),
        Country("IDN", "Indonesia", "Indonesian", 80, "62", "0", "81dddddddd", "Bddddddd", "indonesian", False, ("MYS",)),
        Country("PAK", "Pakistan", "Pakistani", 45, "92", "0", "3ddddddddd", "AAddddddd", "pakistani", True, ("IND",)),
        Country("KEN", "Kenya", "Kenyan", 45, "254", "0", "7dddddddd", "AKddddddd", "kenyan", False, ("ETH",)),
        Country("MYS", "Malaysia", "Malaysian", 40, "60", "0", "1dddddddd", "Adddddddd", "malay", False, ("IDN",)),
        Country("BGD", "Bangladesh", "Bangladeshi", 35, "880", "0", "17dddddddd", "AAddddddd", "bangladeshi", True, ("IND",)),
        Country("TWN", "Taiwan", "Taiwanese", 30, "886", "0", "9dddddddd", "3dddddddd", "taiwanese", True, ("CHN",)),
        Country("NPL", "Nepal", "Nepali", 30, "977", "", "98dddddddd", "PAddddddd", "south_asian", True, ("IND",)),
        Country("LKA", "Sri Lanka", "Sri Lankan", 30, "94", "0", "7dddddddd", "Nddddddd", "sri_lankan", False, ("IND",)),
        Country("MMR", "Myanmar", "Myanmar", 30, "95", "0", "9ddddddddd", "MAdddddd", "burmese", True, ("THA",)),
        Country("THA", "Thailand", "Thai", 29, "66", "0", "8dddddddd", "AAddddddd", "western", True, ("MMR", "LAO")),
        Country("LAO", "Laos", "Lao", 25, "856", "0", "20dddddddd", "Pddddddd", "western", False, ("THA",)),
        Country("KHM", "Cambodia", "Cambodian", 25, "855", "0", "12dddddd", "Ndddddddd", "khmer", True, ()),
    ]
}


# --------------------------------------------------------------------------
# Name pools
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One name token: native form (or None) and its Latin spellings."""

    native: str | None
    roman: tuple[str, ...]

    @property
    def latin(self) -> str:
        return self.roman[0]


class Pool:
    def __init__(self, items: list[tuple[int, Part]]):
        self.parts = [p for _, p in items]
        self.cum: list[int] = []
        total = 0
        for w, _ in items:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> Part:
        return self.parts[bisect.bisect_right(self.cum, rng.random() * self.total)]

    def by_latin(self, latin: str) -> Part | None:
        for p in self.parts:
            if p.latin == latin:
                return p
        return None

    def __bool__(self) -> bool:
        return bool(self.parts)


def load_pools(iso3: str) -> dict[str, Pool]:
    raw: dict[str, list[tuple[int, Part]]] = {}
    with open(NAMES_DIR / f"{iso3}.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            kind, weight, native, roman = line.rstrip("\n").split("\t")
            part = Part(None if native == "-" else native, tuple(roman.split(";")))
            raw.setdefault(kind, []).append((int(weight), part))
    pools = {k: Pool(v) for k, v in raw.items()}
    # given_u names can be used for either sex
    for sex in ("m", "f"):
        key = f"given_{sex}"
        items = raw.get(key, []) + raw.get("given_u", [])
        pools[key] = Pool(items)
    return pools


POOLS = {iso: load_pools(iso) for iso in COUNTRIES}

# Common full names forced onto a share of people so that many different
# people share a name (precision test). (given, middle, family) in Latin, as
# spelled first in the pools; None = no such part.
NAMESAKES: dict[str, list[tuple[str, str | None, str | None, str]]] = {
    "VNM": [("Hung", "Van", "Nguyen", "m"), ("Nam", "Van", "Nguyen", "m"), ("Lan", "Thi", "Tran", "f"), ("Huong", "Thi", "Nguyen", "f")],
    "CHN": [("Wei", None, "Wang", "m"), ("Wei", None, "Zhang", "m"), ("Na", None, "Li", "f"), ("Jing", None, "Wang", "f"), ("Yong", None, "Liu", "m")],
    "IND": [("Mohammed", None, "Ali", "m"), ("Rajesh", None, "Kumar", "m"), ("Amit", None, "Kumar", "m"), ("Sunil", None, "Kumar", "m"), ("Priya", None, "Sharma", "f"), ("Gurpreet", None, "Singh", "m")],
    "PAK": [("Muhammad", None, "Ali", "m"), ("Muhammad", None, "Khan", "m"), ("Ayesha", None, "Khan", "f")],
    "BGD": [("Mohammad", None, "Hossain", "m"), ("Mohammad", None, "Islam", "m")],
    "PHL": [("Mark", None, "Santos", "m"), ("Maria", None, "Reyes", "f"), ("John Paul", None, "Cruz", "m")],
    "ETH": [("Abebe", None, "Bekele", "m"), ("Mohammed", None, "Ahmed", "m"), ("Tigist", None, "Alemu", "f")],
    "IDN": [("Muhammad", None, "Rizky", "m"), ("Siti", None, "Nur", "f"), ("Agus", None, None, "m")],
    "KEN": [("John", None, "Otieno", "m"), ("Mary", None, "Wanjiru", "f")],
    "NPL": [("Ram", "Bahadur", "Thapa", "m"), ("Bikash", None, "Shrestha", "m")],
}

# --------------------------------------------------------------------------
# Zawgyi re-encoding (rule-based subset)
# --------------------------------------------------------------------------

_ZG_MAP = {
    "\u103a": "\u1039",  # asat
    "\u103b": "\u103a",  # medial ya
    "\u103c": "\u103b",  # medial ra (also moved before the consonant)
    "\u103d": "\u103c",  # medial wa
    "\u103e": "\u103d",  # medial ha
    "\u1009": "\u1025",  # nya (as typed in Zawgyi)
}
_MM_CONSONANT = set(chr(c) for c in range(0x1000, 0x1022))


def to_zawgyi(text: str) -> str:
    """Re-encode Unicode Burmese in Zawgyi, the legacy font encoding.

    Covers what our name pool uses: the medials, asat, and the visual-order
    storage of the vowel sign E (U+1031) and medial ra before the consonant.
    Stacked consonants (virama U+1039) are converted only for ta (U+1071);
    anything else with a virama is left as is.
    """
    out: list[str] = []
    i = 0
    chars = list(text)
    n = len(chars)
    while i < n:
        c = chars[i]
        if c in _MM_CONSONANT:
            # collect the syllable cluster: consonant + following marks
            j = i + 1
            while j < n and ("\u102b" <= chars[j] <= "\u103e" or chars[j] == "\u1039"):
                if chars[j] == "\u1039" and j + 1 < n and chars[j + 1] in _MM_CONSONANT:
                    j += 2
                    continue
                j += 1
            cluster = chars[i:j]
            pre = []
            if "\u1031" in cluster:
                cluster.remove("\u1031")
                pre.append("\u1031")
            if "\u103c" in cluster:
                cluster.remove("\u103c")
                pre.append("\u103b")
            body = "".join(cluster)
            body = body.replace("\u1039\u1010", "\u1071")
            body = "".join(_ZG_MAP.get(ch, ch) if ch != "\u1071" else ch for ch in body)
            out.append("".join(pre) + body)
            i = j
        else:
            out.append(_ZG_MAP.get(c, c))
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------


@dataclass
class Entity:
    eid: int
    nat: str
    sex: str  # "m" / "f"
    given: list[Part]  # given names in order (first is the call name)
    middle: list[Part]  # dropped easily (Văn, Kumar, Bahadur, maiden name)
    family: Part | None  # surname; for patronymic styles the father's name
    father: Part | None  # father's given name (s/o, bin, Ethiopian names)
    grandfather: Part | None
    prefix: list[Part]  # initials-style ancestral names (Sri Lanka) or honorific
    dob: dt.date
    passport: str | None
    phone: str | None  # own mobile, national significant number
    family_phone: str | None  # the family's number at home (shared by siblings)
    place: Part | None
    family_group: int
    spelling: dict[int, str] = field(default_factory=dict)  # the passport spelling per part


def digits(rng: random.Random, pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch == "d":
            out.append(str(rng.randrange(10)))
        elif ch == "A":
            out.append(chr(ord("A") + rng.randrange(26)))
        else:
            out.append(ch)
    return "".join(out)


def random_dob(rng: random.Random) -> dt.date:
    r = rng.random()
    if r < 0.04:
        age = rng.randint(15, 17)
    elif r < 0.80:
        age = int(rng.triangular(18, 36, 24))
    else:
        age = rng.randint(36, 58)
    start = dt.date(REFERENCE_DATE.year - age - 1, REFERENCE_DATE.month, REFERENCE_DATE.day) + dt.timedelta(days=1)
    return start + dt.timedelta(days=rng.randrange(365))


INDIAN_MUSLIM_GIVEN = {"Mohammed", "Imran", "Fatima"}
INDIAN_MUSLIM_FAMILY = {"Khan", "Ali", "Ansari"}


def pick_name(rng: random.Random, nat: str, sex: str, family_from: Entity | None) -> dict:
    """Pick structured name parts for a new person."""
    pools = POOLS[nat]
    c = COUNTRIES[nat]
    g = pools[f"given_{sex}"]
    given: list[Part] = []
    middle: list[Part] = []
    prefix: list[Part] = []
    family = father = grandfather = None

    if c.style == "burmese":
        syl = pools[f"syll_{sex}"]
        n = rng.choices([2, 3, 4], [0.45, 0.45, 0.10])[0]
        chosen: list[Part] = []
        while len(chosen) < n:
            p = syl.pick(rng)
            if p not in chosen:
                chosen.append(p)
        given = chosen
        prefix = [pools[f"honorific_{sex}"].pick(rng)]
        return dict(given=given, middle=[], family=None, father=None, grandfather=None, prefix=prefix)

    if c.style == "ethiopian":
        given = [g.pick(rng)]
        if family_from is not None:
            father, grandfather = family_from.father, family_from.grandfather
        else:
            father = pools["given_m"].pick(rng)
            grandfather = pools["given_m"].pick(rng)
            while grandfather == father:
                grandfather = pools["given_m"].pick(rng)
        return dict(given=given, middle=[], family=father, father=father, grandfather=grandfather, prefix=[])

    if c.style == "malay":
        if rng.random() < 0.2 and family_from is None:
            # Indian Malaysian: given a/l father, names from the Indian pool
            ip = POOLS["IND"]
            given = [Part(None, ip[f"given_{sex}"].pick(rng).roman)]
            father = Part(None, ip["given_m"].pick(rng).roman)
            return dict(given=given, middle=[], family=None, father=father, grandfather=None, prefix=[Part(None, ("indian",))])
        if family_from is not None and family_from.prefix:
            ip = POOLS["IND"]
            return dict(given=[Part(None, ip[f"given_{sex}"].pick(rng).roman)], middle=[], family=None,
                        father=family_from.father, grandfather=None, prefix=list(family_from.prefix))
        given = [g.pick(rng)]
        if rng.random() < 0.5:
            second = pools["given_m" if sex == "m" else "given_f"].pick(rng)
            if second != given[0]:
                given.append(second)
        father = family_from.father if family_from else pools["family"].pick(rng)
        return dict(given=given, middle=[], family=None, father=father, grandfather=None, prefix=[])

    # styles with a family name
    if family_from is not None:
        family = family_from.family
        father = family_from.father
    else:
        fam_pool = pools["family"]
        if nat == "BGD" and sex == "f" and rng.random() < 0.6:
            fam_pool = pools["family_f"]
        family = fam_pool.pick(rng)
        father = pools["given_m"].pick(rng)

    given = [g.pick(rng)]
    if nat == "IND" and given[0].latin in INDIAN_MUSLIM_GIVEN and family_from is None:
        # Muslim given names go with Muslim surnames (and no "Kumar" middle name)
        family = rng.choice([p for p in pools["family"].parts if p.latin in INDIAN_MUSLIM_FAMILY])
        return dict(given=given, middle=[], family=family, father=father, grandfather=None, prefix=[])
    if c.style == "vietnamese":
        middle = [pools[f"middle_{sex}"].pick(rng)]
    elif c.style == "south_asian":
        if f"middle_{sex}" in pools and rng.random() < 0.35:
            middle = [pools[f"middle_{sex}"].pick(rng)]
        if nat == "IND" and (bool(family_from.prefix) if family_from is not None else rng.random() < 0.12):
            # South Indian pattern: no surname, father's initial in front
            prefix = [father] if father else []
            family = None if family_from is None else family
    elif c.style == "filipino":
        if rng.random() < 0.85:
            m = pools["family"].pick(rng)
            if m != family:
                middle = [m]
        if sex == "m" and rng.random() < 0.15:
            given = given + [pools["given_m"].pick(rng)]
    elif c.style == "kenyan":
        if f"middle_{sex}" in pools and rng.random() < 0.6:
            middle = [pools[f"middle_{sex}"].pick(rng)]
    elif c.style == "sri_lankan":
        fam = pools["family"]
        prefix = [fam.pick(rng) for _ in range(rng.choice([1, 2]))]
    elif c.style == "indonesian":
        if rng.random() < 0.35 and family_from is None:
            family = None  # mononym
        elif rng.random() < 0.3:
            second = g.pick(rng)
            if second != given[0]:
                given.append(second)
    elif c.style in ("pakistani", "bangladeshi"):
        if sex == "m" and given[0].latin in ("Muhammad", "Mohammad", "Abdul") or rng.random() < 0.3:
            second = g.pick(rng)
            if second != given[0]:
                given.append(second)
    return dict(given=given, middle=middle, family=family, father=father, grandfather=grandfather, prefix=prefix)


def namesake_name(rng: random.Random, nat: str) -> tuple[dict, str] | None:
    options = NAMESAKES.get(nat)
    if not options:
        return None
    g, m, fam, sex = rng.choice(options)
    pools = POOLS[nat]

    def find(latin: str | None, kinds: list[str]) -> Part | None:
        if latin is None:
            return None
        for k in kinds:
            if k in pools:
                p = pools[k].by_latin(latin)
                if p is not None:
                    return p
        return Part(None, (latin,))

    given = [find(g, [f"given_{sex}", "given_m", "given_f"])]
    middle = [find(m, [f"middle_{sex}"])] if m else []
    style = COUNTRIES[nat].style
    if style == "ethiopian":
        father = find(fam, ["given_m", "given_f"])
        grandfather = pools["given_m"].pick(rng)
        return dict(given=given, middle=[], family=father, father=father, grandfather=grandfather, prefix=[]), sex
    family = find(fam, ["family", "family_f", "middle_f", "given_f", "given_m"])
    father = pools["given_m"].pick(rng)
    return dict(given=given, middle=middle, family=family, father=father, grandfather=None, prefix=[]), sex


def make_phone(rng: random.Random, c: Country) -> str:
    return digits(rng, c.mobile)


def make_entities(rng: random.Random, n: int, start_id: int, p_namesake: float, p_siblings: float) -> list[Entity]:
    isos = list(COUNTRIES)
    weights = [COUNTRIES[i].weight for i in isos]
    out: list[Entity] = []
    eid = start_id
    group = start_id
    while len(out) < n:
        nat = rng.choices(isos, weights)[0]
        c = COUNTRIES[nat]
        group += 1
        n_sib = 1
        if rng.random() < p_siblings:
            n_sib = rng.choice([2, 2, 2, 3])
        first: Entity | None = None
        family_phone = make_phone(rng, c) if rng.random() < 0.85 else None
        place = POOLS[nat]["place"].pick(rng)
        twins = n_sib > 1 and rng.random() < 0.1
        for k in range(n_sib):
            sex = "m" if rng.random() < 0.83 else "f"  # 1,330 men / 265 women
            parts = None
            if first is None and rng.random() < p_namesake:
                got = namesake_name(rng, nat)
                if got:
                    parts, sex = got
            if parts is None:
                parts = pick_name(rng, nat, sex, first)
                if first is not None:
                    # siblings must not share the given name
                    tries = 0
                    while parts["given"][0].latin == first.given[0].latin and tries < 10:
                        parts = pick_name(rng, nat, sex, first)
                        tries += 1
            if first is None:
                dob = random_dob(rng)
            elif twins:
                dob = first.dob
            else:
                gap = rng.choice([-1, 1]) * rng.randint(1, 8) * 365 + rng.randint(-150, 150)
                dob = first.dob + dt.timedelta(days=gap)
            e = Entity(
                eid=eid,
                nat=nat,
                sex=sex,
                given=parts["given"],
                middle=parts["middle"],
                family=parts["family"],
                father=parts["father"],
                grandfather=parts["grandfather"],
                prefix=parts["prefix"],
                dob=dob,
                passport=digits(rng, c.passport) if rng.random() < 0.88 else None,
                phone=make_phone(rng, c) if rng.random() < 0.75 else None,
                family_phone=family_phone,
                place=place if rng.random() < 0.9 else POOLS[nat]["place"].pick(rng),
                family_group=group,
            )
            out.append(e)
            eid += 1
            if first is None:
                first = e
            if len(out) >= n:
                break
    return out


# --------------------------------------------------------------------------
# Record rendering
# --------------------------------------------------------------------------

KEYBOARD = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv",
    "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm",
    "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji",
    "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}

# OCR/eye misreads between passport characters
MISREAD = {"O": "0", "0": "O", "I": "1", "1": "I", "B": "8", "8": "B", "S": "5", "5": "S"}


def strip_accents(s: str) -> str:
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if unicodedata.category(ch) != "Mn")


def typo(rng: random.Random, s: str) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s))
    op = rng.random()
    ch = s[i]
    if op < 0.3 and ch.lower() in KEYBOARD:
        rep = rng.choice(KEYBOARD[ch.lower()])
        return s[:i] + (rep.upper() if ch.isupper() else rep) + s[i + 1:]
    if op < 0.55:
        return s[:i] + s[i + 1:]  # deletion
    if op < 0.8 and i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]  # transposition
    return s[:i] + ch + s[i:]  # doubled letter


@dataclass
class Source:
    name: str
    p_native: float  # chance the name is written in its native script (if it has one)
    p_passport: float
    p_own_phone: float
    p_family_phone: float
    p_place: float
    p_swap_fields: float
    p_full_only: float
    p_typo: float
    p_dob_year: float
    p_dob_age: float
    p_dob_missing: float
    p_variant: float  # chance a name part is spelled other than the passport spelling
    upper: float  # chance the Latin names are upper-case


SOURCES = {
    # Thai desk registration at the bridge or police station, by interview
    "desk": Source("desk", 0.08, 0.35, 0.45, 0.10, 0.55, 0.12, 0.10, 0.10, 0.07, 0.04, 0.05, 0.45, 0.5),
    # NGO shelter intake: the person often writes their own name
    "ngo": Source("ngo", 0.40, 0.30, 0.55, 0.15, 0.70, 0.05, 0.15, 0.06, 0.05, 0.03, 0.05, 0.35, 0.2),
    # embassy nominal roll: passport data, upper-case Latin
    "embassy": Source("embassy", 0.03, 0.92, 0.15, 0.10, 0.80, 0.03, 0.10, 0.03, 0.02, 0.00, 0.02, 0.08, 0.9),
    # family's missing-person report relayed by the embassy or an NGO
    "family": Source("family", 0.45, 0.15, 0.25, 0.70, 0.85, 0.05, 0.25, 0.08, 0.22, 0.15, 0.05, 0.45, 0.3),
}


def latin(rng: random.Random, e: Entity, part: Part, src: Source, key: int) -> str:
    """Spell a name part in Latin letters as this source would."""
    if part.native is not None and COUNTRIES[e.nat].style == "vietnamese":
        # Vietnamese: the native form *is* Latin with diacritics
        if src.name in ("family", "ngo") and rng.random() < 0.6:
            return part.native
    passport_spelling = e.spelling.setdefault(key, part.roman[0] if rng.random() < 0.7 else rng.choice(part.roman))
    if rng.random() < src.p_variant and len(part.roman) > 1:
        return rng.choice(part.roman)
    return passport_spelling


def native(part: Part) -> str | None:
    return part.native


def initial(s: str) -> str:
    return s[0].upper() + "."


def render_name(rng: random.Random, e: Entity, src: Source) -> tuple[str, str, str]:
    """Return (given_name, family_name, full_name) for one record."""
    c = COUNTRIES[e.nat]
    style = c.style
    use_native = c.native_script and style != "vietnamese" and rng.random() < src.p_native
    if use_native and any(p.native is None for p in e.given + ([e.family] if e.family else [])):
        use_native = False

    def sp(part: Part, key: int) -> str:
        if use_native and part.native is not None:
            return part.native
        return latin(rng, e, part, src, key)

    given = [sp(p, i) for i, p in enumerate(e.given)]
    middle = [sp(p, 10 + i) for i, p in enumerate(e.middle)]
    family = sp(e.family, 20) if e.family else ""
    father = sp(e.father, 21) if e.father else ""

    # middle names: dropped, kept, or initial
    r = rng.random()
    if middle and r < 0.3:
        middle = []
    elif middle and r < 0.42 and not use_native:
        middle = [initial(m) for m in middle]
    # second given names dropped or reduced to an initial
    if len(given) > 1 and style != "burmese":
        r = rng.random()
        if r < 0.2:
            given = given[:1]
        elif r < 0.3 and not use_native:
            given = [initial(given[0])] + given[1:]  # M. Asif

    sep = "" if use_native and style in ("east_asian", "taiwanese", "burmese") else " "
    fam_field = family
    particle = ""

    if style == "burmese":
        sylls = given
        if use_native:
            full_core = "".join(sylls)
            if rng.random() < 0.45:
                full_core = to_zawgyi(full_core)
                sylls = [to_zawgyi(s) for s in sylls]
        else:
            full_core = " ".join(sylls) if rng.random() < 0.85 else "".join(sylls).capitalize()
        hon = ""
        if rng.random() < 0.3:
            hp = e.prefix[0]
            hon = (to_zawgyi(hp.native) if use_native and rng.random() < 0.5 else hp.native) if use_native else rng.choice(hp.roman)
        full = (hon + (" " if not use_native else "") + full_core).strip() if hon else full_core
        r = rng.random()
        if r < 0.55:
            g_field, fam_field = full_core if use_native else " ".join(sylls), ""
        elif r < 0.85:
            # a form that insists on a surname: split the name
            g_field, fam_field = sylls[0], (sep if use_native else " ").join(sylls[1:])
        else:
            g_field, fam_field = "", ""
        return g_field, fam_field, full

    if style == "ethiopian":
        gf = sp(e.grandfather, 22) if e.grandfather else ""
        parts = given + [father]
        if gf and rng.random() < 0.35:
            parts.append(gf)
        full = " ".join(parts)
        g_field = " ".join(given)
        fam_field = father if len(parts) == 2 or rng.random() < 0.6 else father + " " + gf
    elif style == "malay":
        indian = bool(e.prefix) and e.prefix[0].roman[0] == "indian"
        if indian:
            particle = rng.choice(["a/l", "s/o", "A/L", "S/O"] if e.sex == "m" else ["a/p", "d/o", "A/P", "D/O"])
        else:
            particle = rng.choice(["bin", "bin", "b.", "BIN"] if e.sex == "m" else ["binti", "binti", "bt.", "bte", "BINTI"])
        g_field = " ".join(given)
        r = rng.random()
        if r < 0.4:
            full = f"{g_field} {particle} {father}"
            fam_field = father
        elif r < 0.7:
            full = f"{g_field} {particle} {father}"
            fam_field = f"{particle} {father}"
        else:
            full = f"{g_field} {father}"  # particle dropped
            fam_field = father
    elif style in ("east_asian", "taiwanese", "khmer", "vietnamese"):
        g_tokens = given[:]
        if style in ("east_asian",) and not use_native and len(given[0]) > 3 and rng.random() < 0.3:
            # split a two-syllable pinyin given name: Xiaoming -> Xiao Ming / Xiao-Ming
            gname = given[0]
            cut = _pinyin_split(gname)
            if cut:
                g_tokens = [gname[:cut] + rng.choice([" ", "-"]) + gname[cut:].lower()]
        if style == "taiwanese" and not use_native and rng.random() < 0.25:
            g_tokens = [g_tokens[0].replace("-", rng.choice(["", " "])).replace(" ", rng.choice(["", " "]))]
        g_field = " ".join(middle + g_tokens) if style == "vietnamese" else " ".join(g_tokens)
        if use_native and style in ("east_asian", "taiwanese"):
            full = family + "".join(g_tokens)
        elif rng.random() < 0.35 and not use_native:
            full = f"{g_field} {family}"  # western order
        else:
            full = f"{family} {g_field}"
    else:
        # western-style: [prefix initials] given [middle] family
        pre = ""
        if e.prefix and style == "sri_lankan":
            if rng.random() < 0.7:
                pre = "".join(initial(sp(p, 30 + i)) for i, p in enumerate(e.prefix))
            elif rng.random() < 0.5:
                pre = " ".join(sp(p, 30 + i) for i, p in enumerate(e.prefix))
        if e.prefix and e.nat == "IND" and e.family is None and e.father is not None and not use_native:
            pre = initial(latin(rng, e, e.father, src, 21)) if rng.random() < 0.8 else ""
        g_field = " ".join(given + middle)
        if pre:
            g_field = (pre + " " + g_field) if rng.random() < 0.6 else g_field
        full = " ".join(x for x in [pre, " ".join(given + middle), family] if x)
        if style == "filipino" and e.sex == "m" and rng.random() < 0.06:
            full += " Jr."
        if style == "pakistani" and e.father is not None and rng.random() < 0.3:
            if use_native:
                rel = "ولد" if e.sex == "m" else "بنت"
            else:
                rel = rng.choice(["s/o", "S/O"]) if e.sex == "m" else rng.choice(["d/o", "D/O"])
            full = f"{full} {rel} {sp(e.father, 21)}"
        if style == "indonesian" and e.family is None:
            r = rng.random()
            if r < 0.4:
                fam_field = ""
            elif r < 0.7:
                fam_field, g_field = g_field, ""
            else:
                fam_field = g_field  # mononym repeated in both fields
        if style == "kenyan" and middle and rng.random() < 0.2:
            full = " ".join([family] + given + middle)

    # field conventions
    r = rng.random()
    if r < src.p_swap_fields:
        g_field, fam_field = fam_field, g_field
    elif r < src.p_swap_fields + src.p_full_only:
        g_field, fam_field = "", ""
    if src.name == "embassy" and rng.random() < 0.5 and fam_field:
        full = f"{fam_field}, {g_field}".strip(", ")
    elif rng.random() < 0.3 and (g_field or fam_field):
        full = ""  # only the split fields were filled in

    def finish(s: str) -> str:
        if not s:
            return s
        if not use_native:
            if src.name in ("desk", "embassy") and style == "vietnamese":
                s = strip_accents(s)
            if rng.random() < src.p_typo:
                s = typo(rng, s)
            if rng.random() < src.upper:
                s = s.upper()
            elif rng.random() < 0.05:
                s = s.lower()
        elif rng.random() < src.p_typo / 3 and len(s) > 3:
            i = rng.randrange(1, len(s) - 1)
            s = s[:i] + s[i + 1:]
        return s

    return finish(g_field), finish(fam_field), finish(full)


def _pinyin_split(s: str) -> int | None:
    # split "Xiaoming" after the first syllable: find the second syllable start
    initials = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w")
    low = s.lower()
    for i in range(2, len(low) - 1):
        if low[i] in "aeiouü":
            continue
        for ini in initials:
            if low.startswith(ini, i) and i + len(ini) < len(low) and low[i + len(ini)] in "aeiou":
                # avoid splitting a final -n / -ng
                if low[i] == "n" and low[i - 1] in "aeiou" and low.startswith("g", i + 1):
                    continue
                return i
    return None


def render_dob(rng: random.Random, e: Entity, src: Source) -> str:
    r = rng.random()
    if r < src.p_dob_missing:
        return ""
    r -= src.p_dob_missing
    if r < src.p_dob_age:
        age = REFERENCE_DATE.year - e.dob.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (e.dob.month, e.dob.day))
        est = max(14, age + rng.choice([-3, -2, -1, 0, 0, 0, 1, 2, 3]))
        return f"age {est}"
    r -= src.p_dob_age
    if r < src.p_dob_year:
        return str(e.dob.year)
    d = e.dob
    r = rng.random()
    if r < 0.07 and d.day <= 12 and d.day != d.month:
        d = dt.date(d.year, d.day, d.month)  # day and month swapped
    elif r < 0.10:
        d = d + dt.timedelta(days=rng.choice([-1, 1]))
    elif r < 0.12:
        try:
            d = d.replace(year=d.year + rng.choice([-1, 1]))
        except ValueError:
            pass
    if src.name in ("desk", "family") and rng.random() < 0.2:
        return d.strftime("%d/%m/%Y")
    return d.isoformat()


def render_passport(rng: random.Random, e: Entity, src: Source) -> str:
    if e.passport is None or rng.random() >= src.p_passport:
        return ""
    p = e.passport
    if rng.random() < 0.10:
        idx = [i for i, ch in enumerate(p) if ch in MISREAD]
        if idx:
            i = rng.choice(idx)
            p = p[:i] + MISREAD[p[i]] + p[i + 1:]
    if rng.random() < 0.03:
        p = p[:2] + " " + p[2:]
    return p


def render_phone(rng: random.Random, e: Entity, src: Source) -> str:
    c = COUNTRIES[e.nat]
    r = rng.random()
    if r < src.p_own_phone and e.phone:
        nsn = e.phone
    elif r < src.p_own_phone + src.p_family_phone and e.family_phone:
        nsn = e.family_phone
    else:
        return ""
    if rng.random() < 0.03:
        i = rng.randrange(len(nsn))
        nsn = nsn[:i] + str((int(nsn[i]) + 1) % 10) + nsn[i + 1:]
    f = rng.random()
    if f < 0.35:
        return f"+{c.calling_code}{nsn}"
    if f < 0.50:
        return f"+{c.calling_code} {nsn[:3]} {nsn[3:6]} {nsn[6:]}"
    if f < 0.55:
        return f"00{c.calling_code}{nsn}"
    if f < 0.60:
        return f"{c.calling_code}-{nsn}"
    local = c.trunk + nsn
    if rng.random() < 0.5:
        return local
    return f"{local[:4]} {local[4:7]} {local[7:]}" if rng.random() < 0.5 else f"{local[:4]}-{local[4:]}"


def render_nationality(rng: random.Random, e: Entity) -> str:
    nat = e.nat
    c = COUNTRIES[nat]
    if c.confusable and rng.random() < 0.01:
        c = COUNTRIES[rng.choice(c.confusable)]
    r = rng.random()
    if r < 0.05:
        return ""
    if r < 0.50:
        return c.iso3
    if r < 0.85:
        return c.name
    return c.demonym


def render_sex(rng: random.Random, e: Entity) -> str:
    r = rng.random()
    if r < 0.10:
        return ""
    s = e.sex if r > 0.005 else ("f" if e.sex == "m" else "m")
    if rng.random() < 0.7:
        return "M" if s == "m" else "F"
    return "Male" if s == "m" else "Female"


def render_place(rng: random.Random, e: Entity, src: Source, native_name: bool) -> str:
    if e.place is None or rng.random() >= src.p_place:
        return ""
    if native_name and e.place.native and rng.random() < 0.5:
        return e.place.native
    return rng.choice(e.place.roman)


def render_record(rng: random.Random, e: Entity, src_name: str, rid: str) -> dict:
    src = SOURCES[src_name]
    g, f, full = render_name(rng, e, src)
    native_used = any(ord(ch) > 0x2000 for ch in g + f + full)
    return {
        "record_id": rid,
        "given_name": g,
        "family_name": f,
        "full_name": full,
        "sex": render_sex(rng, e),
        "date_of_birth": render_dob(rng, e, src),
        "nationality": render_nationality(rng, e),
        "passport_number": render_passport(rng, e, src),
        "phone": render_phone(rng, e, src),
        "place_of_origin": render_place(rng, e, src, native_used),
    }


# --------------------------------------------------------------------------
# Corpus assembly
# --------------------------------------------------------------------------

RECORDS_PER_ENTITY = ([1, 2, 3, 4, 5], [0.50, 0.28, 0.14, 0.06, 0.02])
FIRST_SOURCE = (["desk", "ngo", "embassy", "family"], [0.70, 0.20, 0.05, 0.05])
NEXT_SOURCE = (["desk", "ngo", "embassy", "family"], [0.35, 0.20, 0.25, 0.20])
ROLL_SOURCE = (["embassy", "family"], [0.6, 0.4])


def generate(seed: int, n_records: int, n_roll: int, roll_absent: float, p_namesake: float, p_siblings: float):
    rng = random.Random(seed)
    mean = sum(k * p for k, p in zip(*RECORDS_PER_ENTITY))
    n_entities = max(1, int(n_records / mean * 1.02))
    entities = make_entities(rng, n_entities, 0, p_namesake, p_siblings)

    corpus: list[tuple[dict, Entity, str]] = []
    for e in entities:
        k = rng.choices(*RECORDS_PER_ENTITY)[0]
        for j in range(k):
            src = rng.choices(*(FIRST_SOURCE if j == 0 else NEXT_SOURCE))[0]
            corpus.append((e, src))  # type: ignore[arg-type]
            if len(corpus) >= n_records:
                break
        if len(corpus) >= n_records:
            break
    rng.shuffle(corpus)
    width = len(str(len(corpus)))
    rows, truth = [], []
    for i, (e, src) in enumerate(corpus):
        rid = f"R{i + 1:0{width}d}"
        rows.append(render_record(rng, e, src, rid))
        truth.append({"record_id": rid, "entity_id": f"E{e.eid}", "source": src, "family_group": e.family_group})

    # link: roll (left) against the corpus (right)
    present = list({e.eid: e for e, _ in corpus}.values())
    n_present = min(len(present), int(round(n_roll * (1 - roll_absent))))
    roll_entities = rng.sample(present, n_present)
    absent = make_entities(rng, n_roll - n_present, 10_000_000, p_namesake, p_siblings)
    roll_entities += absent
    rng.shuffle(roll_entities)
    width = len(str(max(1, len(roll_entities))))
    roll_rows, roll_truth = [], []
    for i, e in enumerate(roll_entities):
        rid = f"L{i + 1:0{width}d}"
        src = rng.choices(*ROLL_SOURCE)[0]
        roll_rows.append(render_record(rng, e, src, rid))
        roll_truth.append({"record_id": rid, "entity_id": f"E{e.eid}", "source": src, "family_group": e.family_group})
    return rows, truth, roll_rows, roll_truth


def generator_fingerprint() -> str:
    """Hash of this script and the name pools: changes when the corpus would."""
    import hashlib

    h = hashlib.sha256(Path(__file__).read_bytes())
    for p in sorted(NAMES_DIR.glob("*.tsv")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--records", type=int, default=5000, help="records in corpus.csv (dedup input, link right side)")
    ap.add_argument("--roll", type=int, default=1000, help="records in roll.csv (link left side)")
    ap.add_argument("--roll-absent", type=float, default=0.2, help="share of roll people absent from the corpus")
    ap.add_argument("--namesakes", type=float, default=0.10, help="share of people given a very common full name")
    ap.add_argument("--siblings", type=float, default=0.12, help="share of families with 2-3 siblings")
    ap.add_argument("--out-dir", type=Path, required=True)
    a = ap.parse_args(argv)
    a.out_dir.mkdir(parents=True, exist_ok=True)
    rows, truth, roll_rows, roll_truth = generate(a.seed, a.records, a.roll, a.roll_absent, a.namesakes, a.siblings)
    write_csv(a.out_dir / "corpus.csv", rows, COLUMNS)
    write_csv(a.out_dir / "corpus_truth.csv", truth, ["record_id", "entity_id", "source", "family_group"])
    write_csv(a.out_dir / "roll.csv", roll_rows, COLUMNS)
    write_csv(a.out_dir / "roll_truth.csv", roll_truth, ["record_id", "entity_id", "source", "family_group"])
    n_ent = len({t["entity_id"] for t in truth})
    manifest = {
        "generator": generator_fingerprint(),
        "seed": a.seed,
        "records": len(rows),
        "entities": n_ent,
        "roll_records": len(roll_rows),
        "roll_absent": a.roll_absent,
        "namesakes": a.namesakes,
        "siblings": a.siblings,
        "list_date": REFERENCE_DATE.isoformat(),
    }
    (a.out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
