//! Name pools embedded from `data/groups.tsv` and `data/names.tsv`.

const GROUPS_TSV: &str = include_str!("../data/groups.tsv");
const NAMES_TSV: &str = include_str!("../data/names.tsv");

/// One name with its original-script form and known alternative spellings.
#[derive(Debug, Clone)]
pub(crate) struct NameEntry {
    pub(crate) latin: &'static str,
    pub(crate) original: Option<&'static str>,
    pub(crate) variants: Vec<&'static str>,
}

/// A naming community within a nationality (e.g. Tamil speakers from India).
#[derive(Debug, Clone)]
pub(crate) struct NameGroup {
    pub(crate) id: &'static str,
    pub(crate) nationality: &'static str,
    pub(crate) weight: u32,
    /// ISO 15924 code when the group has an original-script form.
    pub(crate) script: Option<&'static str>,
    pub(crate) family_first: bool,
    pub(crate) mononym_percent: u32,
    pub(crate) languages: Vec<&'static str>,
    pub(crate) given_m: Vec<NameEntry>,
    pub(crate) given_f: Vec<NameEntry>,
    pub(crate) family_m: Vec<NameEntry>,
    pub(crate) family_f: Vec<NameEntry>,
}

impl NameGroup {
    /// Han names are written without a space between family and given name.
    pub(crate) fn joiner(&self) -> &'static str {
        match self.script {
            Some("Hans" | "Hant") => "",
            _ => " ",
        }
    }
}

/// Parsed pools plus any lines that could not be used (a test requires none).
#[derive(Debug, Clone, Default)]
pub(crate) struct Pools {
    pub(crate) groups: Vec<NameGroup>,
    pub(crate) problems: Vec<String>,
}

#[cfg(test)]
impl Pools {
    pub(crate) fn groups_of(&self, nationality: &str) -> Vec<&NameGroup> {
        self.groups
            .iter()
            .filter(|g| g.nationality == nationality)
            .collect()
    }
}

fn data_lines(text: &'static str) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

fn dash_none(s: &'static str) -> Option<&'static str> {
    if s == "-" || s.is_empty() {
        None
    } else {
        Some(s)
    }
}

pub(crate) fn load() -> Pools {
    let mut pools = Pools::default();
    for (line, cols) in data_lines(GROUPS_TSV) {
        let [id, nationality, weight, script, order, mononym, languages] = cols[..] else {
            pools
                .problems
                .push(format!("groups.tsv:{line}: expected 7 columns"));
            continue;
        };
        let (Ok(weight), Ok(mononym_percent)) = (weight.parse(), mononym.parse()) else {
            pools
                .problems
                .push(format!("groups.tsv:{line}: bad number"));
            continue;
        };
        if order != "GF" && order != "FG" {
            pools
                .problems
                .push(format!("groups.tsv:{line}: order must be GF or FG"));
            continue;
        }
        pools.groups.push(NameGroup {
            id,
            nationality,
            weight,
            script: dash_none(script),
            family_first: order == "FG",
            mononym_percent,
            languages: languages.split(',').collect(),
            given_m: Vec::new(),
            given_f: Vec::new(),
            family_m: Vec::new(),
            family_f: Vec::new(),
        });
    }
    for (line, cols) in data_lines(NAMES_TSV) {
        let [group, kind, latin, original, variants] = cols[..] else {
            pools
                .problems
                .push(format!("names.tsv:{line}: expected 5 columns"));
            continue;
        };
        let Some(g) = pools.groups.iter_mut().find(|g| g.id == group) else {
            pools
                .problems
                .push(format!("names.tsv:{line}: unknown group {group}"));
            continue;
        };
        let entry = NameEntry {
            latin,
            original: dash_none(original),
            variants: dash_none(variants)
                .map(|v| v.split('|').collect())
                .unwrap_or_default(),
        };
        if g.script.is_some() != entry.original.is_some() {
            pools.problems.push(format!(
                "names.tsv:{line}: original form must be given exactly when the group has a script"
            ));
            continue;
        }
        if entry.variants.iter().any(|v| *v == latin || v.is_empty()) {
            pools
                .problems
                .push(format!("names.tsv:{line}: a variant repeats the name"));
            continue;
        }
        match kind {
            "given_m" => g.given_m.push(entry),
            "given_f" => g.given_f.push(entry),
            "family_m" => g.family_m.push(entry),
            "family_f" => g.family_f.push(entry),
            "family" => {
                g.family_m.push(entry.clone());
                g.family_f.push(entry);
            }
            _ => pools
                .problems
                .push(format!("names.tsv:{line}: unknown kind {kind}")),
        }
    }
    pools
}
