//! Every user-facing string goes through the Fluent files in `locales/`. English and Thai are
//! complete (a test compares their keys); a missing key shows as the key itself, never panics.

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Th,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Th];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Th => "th",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().split(['-', '_']).next() {
            Some("en") => Some(Lang::En),
            Some("th") => Some(Lang::Th),
            _ => None,
        }
    }

    /// Picks from an Accept-Language header, in the client's order of preference.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut prefs: Vec<(f32, Lang)> = accept_language
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = Lang::parse(it.next()?)?;
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        prefs.first().map(|p| p.1).unwrap_or_default()
    }

    /// The language's files, one per area of the application (so areas can grow independently).
    fn sources(self) -> &'static [&'static str] {
        macro_rules! area_files {
            ($lang:literal) => {
                &[
                    include_str!(concat!("../locales/", $lang, "/core.ftl")),
                    include_str!(concat!("../locales/", $lang, "/documents.ftl")),
                    include_str!(concat!("../locales/", $lang, "/matching.ftl")),
                    include_str!(concat!("../locales/", $lang, "/screening.ftl")),
                    include_str!(concat!("../locales/", $lang, "/logistics.ftl")),
                ]
            };
        }
        match self {
            Lang::En => area_files!("en"),
            Lang::Th => area_files!("th"),
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static HashMap<Lang, Bundle> {
    static BUNDLES: OnceLock<HashMap<Lang, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Isolation marks would leak into attributes, CSV and tests; our values are plain.
                bundle.set_use_isolating(false);
                for source in lang.sources() {
                    let resource = match FluentResource::try_new(source.to_string()) {
                        Ok(r) => r,
                        // A syntax error keeps the entries that parsed; the completeness test fails.
                        Err((r, _)) => r,
                    };
                    // A key defined twice keeps its first value; the duplicate test fails.
                    let _ = bundle.add_resource(resource);
                }
                (lang, bundle)
            })
            .collect()
    })
}

/// The translation of `key`, or the key itself when missing (tests make sure none are).
pub fn t(lang: Lang, key: &str) -> String {
    t_args(lang, key, &[])
}

/// The translation of `key` with named arguments, e.g. `&[("count", 3.into())]`.
pub fn t_args(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let Some(bundle) = bundles().get(&lang) else {
        return key.to_string();
    };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Str(s) => fargs.set(*name, FluentValue::from(s.clone())),
            Arg::Num(n) => fargs.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

#[derive(Debug, Clone)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}

/// Message ids defined in a language's file, for completeness checks.
pub fn keys(lang: Lang) -> Vec<String> {
    let mut keys: Vec<String> = lang
        .sources()
        .iter()
        .flat_map(|source| source.lines())
        .filter(|l| !l.starts_with(['#', ' ', '\t', '-', '.', '[', '*']) && l.contains('='))
        .filter_map(|l| l.split('=').next().map(|k| k.trim().to_string()))
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_thai_have_the_same_keys() {
        let en = keys(Lang::En);
        let th = keys(Lang::Th);
        let missing_th: Vec<_> = en.iter().filter(|k| !th.contains(k)).collect();
        let extra_th: Vec<_> = th.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing_th.is_empty(), "missing in Thai: {missing_th:?}");
        assert!(extra_th.is_empty(), "only in Thai: {extra_th:?}");
        assert!(en.len() > 50);
    }

    #[test]
    fn files_parse_without_errors() {
        for lang in Lang::ALL {
            for source in lang.sources() {
                let res = FluentResource::try_new(source.to_string());
                assert!(res.is_ok(), "{lang:?}: {:?}", res.err().map(|e| e.1));
            }
        }
    }

    #[test]
    fn no_key_is_defined_twice() {
        for lang in Lang::ALL {
            let all = keys(lang);
            let mut unique = all.clone();
            unique.dedup();
            assert_eq!(all.len(), unique.len(), "{lang:?} defines a key twice");
        }
    }

    #[test]
    fn every_key_translates_to_something_else_in_thai() {
        for key in keys(Lang::En) {
            let th = t(Lang::Th, &key);
            assert_ne!(th, key, "{key} untranslated");
            assert!(!th.is_empty());
        }
    }

    #[test]
    fn negotiation_and_arguments() {
        assert_eq!(Lang::negotiate("th-TH,th;q=0.9,en;q=0.8"), Lang::Th);
        assert_eq!(Lang::negotiate("fr, en;q=0.5"), Lang::En);
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(t(Lang::En, "no-such-key"), "no-such-key");
    }
}
