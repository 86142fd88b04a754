"""Splink models used as the comparison baseline.

Configured the way the Splink 4 documentation recommends (DuckDB backend):
a SettingsCreator with blocking rules and comparisons from the comparison
library, `estimate_probability_two_random_records_match` from deterministic
rules, `estimate_u_using_random_sampling`, then
`estimate_parameters_using_expectation_maximisation` with several blocking
rules, then `predict`. The FEBRL models follow Splink's own FEBRL3/FEBRL4
example notebooks; the "moei columns" models adapt them to Moei's input
columns.

Splink gets the data cleaning its documentation asks the user to do before
linking (lower-case, accents stripped, punctuation removed, dates parsed to
ISO, phone numbers reduced to digits, nationality spellings mapped to one code).
It gets no transliteration of non-Latin scripts: Splink has none, and adding
one would be writing a matcher for it.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from generate_corpus import COUNTRIES

# --------------------------------------------------------------------------
# cleaning
# --------------------------------------------------------------------------

_NAT = {}
for _c in COUNTRIES.values():
    for _v in (_c.iso3, _c.name, _c.demonym):
        _NAT[_v.lower()] = _c.iso3
_CALLING = sorted({c.calling_code for c in COUNTRIES.values()}, key=len, reverse=True)


def _norm_text(s: str) -> str | None:
    if not isinstance(s, str) or not s.strip():
        return None
    s = s.replace("Đ", "D").replace("đ", "d")
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if unicodedata.category(ch) != "Mn")
    s = s.lower()
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s or None


def _dob(s: str) -> tuple[str | None, str | None]:
    if not isinstance(s, str) or not s.strip():
        return None, None
    s = s.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return s, m.group(1)
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}", m.group(3)
    m = re.fullmatch(r"(\d{4})", s)
    if m:
        return None, m.group(1)
    return None, None


def _phone(s: str) -> str | None:
    if not isinstance(s, str):
        return None
    d = re.sub(r"\D", "", s)
    if not d:
        return None
    if d.startswith("00"):
        d = d[2:]
    # keep the last 9 digits: drops country codes and trunk prefixes alike
    return d[-9:] if len(d) >= 9 else d


def clean_moei_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Clean a frame in Moei's input columns into Splink's model columns."""
    df = df.fillna("")
    out = pd.DataFrame({"unique_id": df["record_id"].astype(str)})
    given = df.get("given_name", pd.Series([""] * len(df))).map(_norm_text)
    family = df.get("family_name", pd.Series([""] * len(df))).map(_norm_text)
    full = df.get("full_name", pd.Series([""] * len(df))).map(_norm_text)
    # where only the full name is filled in, split it: last token = surname
    g2, f2 = [], []
    for g, f, fu in zip(given, family, full):
        if g is None and f is None and fu:
            toks = fu.split()
            g, f = (" ".join(toks[:-1]) or None), toks[-1]
        g2.append(g)
        f2.append(f)
    out["given_c"] = g2
    out["family_c"] = f2
    out["given_family_concat"] = [
        None if (g is None and f is None) else f"{g or ''} {f or ''}".strip() for g, f in zip(g2, f2)
    ]
    dobs = df.get("date_of_birth", pd.Series([""] * len(df))).map(_dob)
    out["dob"] = [d for d, _ in dobs]
    out["birth_year"] = [y for _, y in dobs]
    out["nationality_c"] = df.get("nationality", pd.Series([""] * len(df))).map(
        lambda s: _NAT.get(s.strip().lower()) if isinstance(s, str) and s.strip() else None
    )
    out["passport_c"] = df.get("passport_number", pd.Series([""] * len(df))).map(
        lambda s: re.sub(r"[^0-9A-Z]", "", s.upper()) or None if isinstance(s, str) else None
    )
    out["phone_c"] = df.get("phone", pd.Series([""] * len(df))).map(_phone)
    out["sex_c"] = df.get("sex", pd.Series([""] * len(df))).map(
        lambda s: s.strip()[0].upper() if isinstance(s, str) and s.strip() else None
    )
    out["place_c"] = df.get("place_of_origin", pd.Series([""] * len(df))).map(_norm_text)
    return out


def febrl_native(df: pd.DataFrame) -> pd.DataFrame:
    """FEBRL's own columns, prepared as in Splink's FEBRL example notebooks."""
    df = df.copy()
    df.columns = [c.strip() for c in df.columns]
    for c in df.columns:
        df[c] = df[c].astype(str).str.strip().replace({"nan": None, "": None})
    return df


# --------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------


def build(model: str, link_type: str):
    """Return (settings, deterministic_rules, recall, em_rules, unique_id)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    if model == "moei_columns":
        # Moei's input columns, cleaned. Blocking rules are chosen to stay
        # tractable at a million records (no rule on a bare common surname).
        blocking = [
            block_on("passport_c"),
            block_on("phone_c"),
            block_on("given_c", "family_c"),
            "l.given_c = r.family_c and l.family_c = r.given_c",
            block_on("dob", "nationality_c"),
            block_on("family_c", "birth_year"),
            block_on("given_c", "birth_year"),
        ]
        comparisons = [
            cl.ForenameSurnameComparison(
                "given_c", "family_c", forename_surname_concat_col_name="given_family_concat"
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True, invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("passport_c", [1, 2]),
            cl.ExactMatch("phone_c"),
            cl.ExactMatch("nationality_c"),
            cl.ExactMatch("sex_c"),
            cl.JaroWinklerAtThresholds("place_c", [0.9, 0.7]),
        ]
        deterministic = [block_on("passport_c"), block_on("given_c", "family_c", "dob")]
        recall = 0.7
        em = [block_on("dob"), block_on("given_c", "family_c"), block_on("passport_c")]
        uid = "unique_id"
    elif model == "febrl3_native":
        # Splink's FEBRL3 example notebook, unchanged
        blocking = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
        ]
        recall = 0.9
        em = [block_on("date_of_birth"), block_on("postcode")]
        uid = "rec_id"
    elif model == "febrl4_native":
        # Splink's FEBRL4 example notebook, "detailed" model, unchanged
        blocking = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ]
        deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
        recall = 0.8
        em = [block_on("date_of_birth"), block_on("postcode")]
        uid = "rec_id"
    elif model == "febrl_moei_columns":
        # the FEBRL example models adapted to Moei's columns (FEBRL converted)
        blocking = [
            block_on("passport_c"),
            block_on("given_c", "family_c"),
            "l.given_c = r.family_c and l.family_c = r.given_c",
            block_on("given_c"),
            block_on("family_c"),
            block_on("dob"),
        ]
        comparisons = [
            cl.NameComparison("given_c"),
            cl.NameComparison("family_c"),
            cl.DateOfBirthComparison("dob", input_is_string=True, invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("passport_c", [1, 2]),
            cl.JaroWinklerAtThresholds("place_c", [0.9, 0.7]),
        ]
        deterministic = [block_on("passport_c"), block_on("given_c", "family_c", "dob")]
        recall = 0.9 if link_type == "dedupe_only" else 0.8
        em = [block_on("dob"), block_on("passport_c")]
        uid = "unique_id"
    else:
        raise ValueError(model)

    settings = SettingsCreator(
        unique_id_column_name=uid,
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
    )
    return settings, deterministic, recall, em, uid
