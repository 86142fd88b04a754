//! From per-cell scores to a zone: take each cell's best character of the
//! class its position allows, and when check digits fail, try the
//! next-best characters at the positions check digits cover, cheapest
//! first. A read is only ever reported valid when moei-mrz finds every
//! check passing; otherwise the first-choice text is reported as read.

use jiff::civil::Date;
use moei_mrz::{CharClass, ParseOptions, Report, parse_with};

/// Second choices scoring this much below the first are not considered:
/// real confusions (`O`/`0` under blur) are closer than this.
const MAX_SCORE_GAP: f32 = 0.15;
/// How many second choices take part in the search.
const MAX_ALTERNATIVES: usize = 16;
/// At most this many cells changed from their first choice. Every tried
/// combination is a chance for two check digits to agree by accident (one
/// in a hundred), so the search is kept small.
const MAX_CHANGES: usize = 2;
/// No search at all when some cell matches no glyph this well: the zone
/// was then misread wholesale (a line cut wrongly), and a search would only
/// find coincidences.
const MIN_CELL_SCORE: f32 = 0.6;
/// Each change costs this on top of its score gap, so fewer changes win ties.
const CHANGE_PENALTY: f32 = 0.05;

/// Scores of one zone: per position, characters best first.
pub(crate) type ZoneScores = Vec<Vec<(char, f32)>>;

pub(crate) struct Decoded {
    pub text: String,
    pub report: Report,
    /// Cells where a check digit made a second choice win.
    pub changed: usize,
    /// Mean first-choice score, to rank reads that are not valid.
    pub confidence: f32,
}

fn quiet(reference: Date) -> ParseOptions {
    ParseOptions {
        reference_date: reference,
        propose_corrections: false,
    }
}

fn zone_text(chars: &[char], line_len: usize) -> String {
    let mut text = String::with_capacity(chars.len() + 3);
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && i % line_len == 0 {
            text.push('\n');
        }
        text.push(*c);
    }
    text
}

pub(crate) fn decode(
    scores: &ZoneScores,
    classes: &[CharClass],
    line_len: usize,
    reference: Date,
) -> Decoded {
    let first: Vec<char> = scores
        .iter()
        .map(|s| s.first().map_or('<', |(c, _)| *c))
        .collect();
    let confidence = scores
        .iter()
        .filter_map(|s| s.first())
        .map(|(_, v)| v)
        .sum::<f32>()
        / scores.len().max(1) as f32;
    let options = quiet(reference);
    let text = zone_text(&first, line_len);
    let report = parse_with(&text, &options);
    if report.is_valid() {
        return Decoded {
            text,
            report,
            changed: 0,
            confidence,
        };
    }

    let misread = scores
        .iter()
        .any(|s| s.first().is_none_or(|(_, v)| *v < MIN_CELL_SCORE));
    if misread {
        return Decoded {
            report: moei_mrz::parse(&text, reference),
            text,
            changed: 0,
            confidence,
        };
    }

    // Second choices at positions a check digit covers (names, codes and
    // sex are covered by none, so changing them cannot be confirmed).
    let mut alternatives: Vec<(usize, char, f32)> = scores
        .iter()
        .enumerate()
        .filter(|(i, _)| matches!(classes.get(*i), Some(CharClass::Digits | CharClass::Any)))
        .flat_map(|(i, s)| {
            let best = s.first().map_or(0.0, |(_, v)| *v);
            s.iter()
                .skip(1)
                .map(move |(c, v)| (i, *c, best - v))
                .filter(|(_, _, gap)| *gap <= MAX_SCORE_GAP)
        })
        .collect();
    alternatives.sort_by(|a, b| a.2.total_cmp(&b.2));
    alternatives.truncate(MAX_ALTERNATIVES);

    let mut best: Option<(f32, Vec<char>, usize)> = None;
    let mut chosen = Vec::with_capacity(MAX_CHANGES);
    search(
        &alternatives,
        0,
        &mut chosen,
        &first,
        line_len,
        &options,
        &mut best,
    );
    match best {
        Some((_, chars, changed)) => {
            let text = zone_text(&chars, line_len);
            let report = parse_with(&text, &options);
            Decoded {
                text,
                report,
                changed,
                confidence,
            }
        }
        None => {
            // Nothing passes: report the first choices as read, with
            // moei-mrz's own correction proposals.
            let report = moei_mrz::parse(&text, reference);
            Decoded {
                text,
                report,
                changed: 0,
                confidence,
            }
        }
    }
}

/// Tries every set of up to `MAX_CHANGES` alternatives (one per position)
/// and keeps the valid zone of lowest cost.
fn search(
    alternatives: &[(usize, char, f32)],
    from: usize,
    chosen: &mut Vec<usize>,
    first: &[char],
    line_len: usize,
    options: &ParseOptions,
    best: &mut Option<(f32, Vec<char>, usize)>,
) {
    if !chosen.is_empty() {
        let cost: f32 = chosen
            .iter()
            .map(|&k| alternatives[k].2 + CHANGE_PENALTY)
            .sum();
        if best.as_ref().is_none_or(|(b, _, _)| cost < *b) {
            let mut chars = first.to_vec();
            for &k in chosen.iter() {
                let (pos, c, _) = alternatives[k];
                chars[pos] = c;
            }
            if parse_with(&zone_text(&chars, line_len), options).is_valid() {
                *best = Some((cost, chars, chosen.len()));
            }
        }
    }
    if chosen.len() == MAX_CHANGES {
        return;
    }
    for k in from..alternatives.len() {
        if chosen
            .iter()
            .any(|&j| alternatives[j].0 == alternatives[k].0)
        {
            continue;
        }
        chosen.push(k);
        search(alternatives, k + 1, chosen, first, line_len, options, best);
        chosen.pop();
    }
}
