//! Correction proposals for zones that fail.
//!
//! Each position has a class (digits, letters, or both). A character the
//! class does not allow must change: a letter in a date or check digit to
//! the digit it resembles (O→0, I→1, B→8, S→5, Z→2, G→6, D→0, Q→0, A→4,
//! T→7), a digit in a code or name to the letter it resembles. In fields
//! that allow both (document numbers, optional data), any such look-alike
//! may have been misread, so up to two of them per field may be swapped.
//!
//! The search runs by number of optional changes, fewest first. For each
//! way of spreading that number over the fields, each check-digit field
//! supplies the variants that make its own check pass (and its date valid);
//! the variants are combined, and the composite check, the composite-only
//! characters and a full re-parse decide. The first number of changes that
//! yields a valid zone gives the proposals. Every check evaluation spends
//! from a fixed budget, so hostile input stays cheap.

use jiff::civil::Date;

use crate::charset::{digit_for_letter, letters_for_digit};
use crate::countries::is_known_code;
use crate::dates;
use crate::layout::{Format, Layout, Mrz, Position};
use crate::parse::{Class, LongNumber, analyse, compute_checks, long_number, read_date, spans};
use crate::report::{Change, Field, Proposal};

/// Check evaluations allowed for one zone.
const BUDGET: usize = 20_000;
/// Optional (not forced) changes tried per field.
const MAX_OPTIONAL_CHANGES: usize = 2;
/// Optional changes tried over the whole zone.
const MAX_TOTAL_CHANGES: usize = 4;
/// Variants kept per field and number of changes.
const MAX_GROUP_SOLUTIONS: usize = 64;
/// Above this many combinations of forced changes, only the likeliest is tried.
const MAX_FORCED_COMBINATIONS: usize = 64;
/// Full re-parses of candidate zones.
const MAX_CANDIDATES: usize = 256;
/// Proposals returned; more equally short ones mean the zone is ambiguous.
pub(crate) const MAX_PROPOSALS: usize = 8;

pub(crate) struct Search {
    pub proposals: Vec<Proposal>,
    /// True when a limit cut the search short.
    pub limited: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Doc,
    Birth,
    Expiry,
    Optional,
    CompositeOnly,
    IssuingState,
    Nationality,
    Other,
}

#[derive(Debug, Clone)]
struct Slot {
    pos: usize,
    original: u8,
    choices: Vec<u8>,
    forced: bool,
}

type Assignment = Vec<(usize, u8)>;

struct Budget {
    left: usize,
    limited: bool,
}

impl Budget {
    fn spend(&mut self) -> bool {
        if self.left == 0 {
            self.limited = true;
            return false;
        }
        self.left -= 1;
        true
    }
}

/// What a character that `class` forbids most likely was.
fn forced_choices(class: Class, b: u8) -> Vec<u8> {
    match class {
        Class::Digit | Class::DigitOrFiller | Class::Date => {
            digit_for_letter(b).into_iter().collect()
        }
        Class::Alpha => letters_for_digit(b).to_vec(),
        Class::Alnum | Class::Sex => Vec::new(),
    }
}

/// Look-alikes of a character that a letters-and-digits field allows.
fn alternates(b: u8) -> Vec<u8> {
    if b.is_ascii_digit() {
        letters_for_digit(b).to_vec()
    } else {
        digit_for_letter(b).into_iter().collect()
    }
}

fn group_of(layout: &Layout, field: Field) -> Group {
    match field {
        Field::DocumentNumber => Group::Doc,
        Field::BirthDate => Group::Birth,
        Field::ExpiryDate => Group::Expiry,
        Field::OptionalData if layout.optional_check.is_some() => Group::Optional,
        Field::OptionalData | Field::Composite if layout.composite.is_some() => {
            Group::CompositeOnly
        }
        Field::IssuingState => Group::IssuingState,
        Field::Nationality => Group::Nationality,
        _ => Group::Other,
    }
}

fn checked(group: Group) -> bool {
    matches!(
        group,
        Group::Doc | Group::Birth | Group::Expiry | Group::Optional | Group::CompositeOnly
    )
}

/// Whether the zone in `buf` passes what `group` is judged by.
fn group_passes(
    group: Group,
    layout: &Layout,
    long: &LongNumber,
    buf: &[u8],
    reference: Date,
) -> bool {
    let checks = compute_checks(layout, buf, long);
    let ok = |c: Option<crate::report::CheckDigit>| c.is_some_and(|c| c.ok);
    let date_ok = |r: &std::ops::Range<usize>, infer: fn(u8, u8, u8, Date) -> Option<Date>| {
        buf.get(r.clone())
            .is_some_and(|f| read_date(f, infer, reference).is_ok())
    };
    match group {
        Group::Doc => ok(checks.document_number),
        Group::Birth => ok(checks.birth_date) && date_ok(&layout.birth, dates::birth_date),
        Group::Expiry => ok(checks.expiry_date) && date_ok(&layout.expiry, dates::expiry_date),
        Group::Optional => ok(checks.optional_data),
        Group::CompositeOnly => checks.all_ok(),
        Group::IssuingState => buf
            .get(layout.issuing_state.clone())
            .and_then(|c| std::str::from_utf8(c).ok())
            .is_some_and(is_known_code),
        Group::Nationality => buf
            .get(layout.nationality.clone())
            .and_then(|c| std::str::from_utf8(c).ok())
            .is_some_and(is_known_code),
        Group::Other => true,
    }
}

struct Walk<'a> {
    slots: &'a [Slot],
    test: &'a dyn Fn(&[u8]) -> bool,
    out: Vec<Assignment>,
    current: Assignment,
    budget: &'a mut Budget,
}

impl Walk<'_> {
    /// Visits every assignment with exactly `changes_left` optional changes
    /// among the remaining slots.
    fn go(&mut self, i: usize, changes_left: usize, buf: &mut [u8]) {
        if self.out.len() >= MAX_GROUP_SOLUTIONS || self.budget.limited {
            return;
        }
        let Some(slot) = self.slots.get(i) else {
            if changes_left == 0 && self.budget.spend() && (self.test)(buf) {
                self.out.push(self.current.clone());
            }
            return;
        };
        let optional_left = self.slots[i..].iter().filter(|s| !s.forced).count();
        if optional_left < changes_left {
            return;
        }
        if slot.forced {
            for &c in &slot.choices {
                buf[slot.pos] = c;
                self.current.push((slot.pos, c));
                self.go(i + 1, changes_left, buf);
                self.current.pop();
            }
        } else {
            self.go(i + 1, changes_left, buf);
            if changes_left > 0 {
                for &c in &slot.choices {
                    buf[slot.pos] = c;
                    self.current.push((slot.pos, c));
                    self.go(i + 1, changes_left - 1, buf);
                    self.current.pop();
                }
            }
        }
        buf[slot.pos] = slot.original;
    }
}

/// The assignments of `slots` with exactly `k` optional changes that pass `test`.
fn solve_tier(
    slots: &[Slot],
    k: usize,
    buf: &mut [u8],
    test: &dyn Fn(&[u8]) -> bool,
    budget: &mut Budget,
) -> Vec<Assignment> {
    let mut walk = Walk {
        slots,
        test,
        out: Vec::new(),
        current: Vec::new(),
        budget,
    };
    walk.go(0, k, buf);
    walk.out
}

/// One field's slots and, computed on demand, its passing assignments by
/// number of optional changes.
struct GroupSearch {
    group: Group,
    slots: Vec<Slot>,
    tiers: Vec<Option<Vec<Assignment>>>,
}

impl GroupSearch {
    fn tier(
        &mut self,
        k: usize,
        base: &[u8],
        ctx: &Context<'_>,
        budget: &mut Budget,
    ) -> &[Assignment] {
        let group = self.group;
        let slots = &self.slots;
        let cached = &mut self.tiers[k];
        if cached.is_none() {
            let mut buf = base.to_vec();
            let test = |b: &[u8]| group_passes(group, ctx.layout, ctx.long, b, ctx.reference);
            let mut found = solve_tier(slots, k, &mut buf, &test, budget);
            // An unknown code is only a warning: fall back to the likeliest letters.
            if found.is_empty()
                && k == 0
                && matches!(group, Group::IssuingState | Group::Nationality)
            {
                found.push(
                    slots
                        .iter()
                        .filter(|s| s.forced)
                        .map(|s| (s.pos, s.choices[0]))
                        .collect(),
                );
            }
            *cached = Some(found);
        }
        cached.as_deref().unwrap_or(&[])
    }
}

struct Context<'a> {
    layout: &'a Layout,
    long: &'a LongNumber,
    reference: Date,
}

/// Ways to spread `total` optional changes over `groups` fields, at most
/// `MAX_OPTIONAL_CHANGES` each.
fn spreads(groups: usize, total: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current = vec![0; groups];
    fn rec(i: usize, left: usize, current: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if i == current.len() {
            if left == 0 {
                out.push(current.clone());
            }
            return;
        }
        for k in 0..=left.min(MAX_OPTIONAL_CHANGES) {
            current[i] = k;
            rec(i + 1, left - k, current, out);
        }
        current[i] = 0;
    }
    rec(0, total, &mut current, &mut out);
    out
}

pub(crate) fn propose(mrz: &Mrz, reference: Date) -> Search {
    let format = mrz.format();
    let layout = format.layout();
    let original = mrz.as_bytes();
    let long = long_number(layout, original);
    let ctx = Context {
        layout,
        long: &long,
        reference,
    };
    let mut budget = Budget {
        left: BUDGET,
        limited: false,
    };
    let nothing = |limited| Search {
        proposals: Vec::new(),
        limited,
    };

    // Slots per group; forced changes outside checked fields go straight into `base`.
    let mut base = original.to_vec();
    let mut groups: Vec<GroupSearch> = Vec::new();
    let mut composite = GroupSearch {
        group: Group::CompositeOnly,
        slots: Vec::new(),
        tiers: vec![None; MAX_OPTIONAL_CHANGES + 1],
    };
    for span in spans(layout, &long).iter() {
        let group = group_of(layout, span.field);
        for pos in span.range.clone() {
            let b = original[pos];
            let (choices, forced) = if span.class.accepts(b) {
                if checked(group) && span.class == Class::Alnum {
                    (alternates(b), false)
                } else {
                    continue;
                }
            } else {
                (forced_choices(span.class, b), true)
            };
            if choices.is_empty() {
                if forced {
                    // Nothing this character could have been: no proposal can be valid.
                    return nothing(false);
                }
                continue;
            }
            if group == Group::Other {
                base[pos] = choices[0];
                continue;
            }
            let slot = Slot {
                pos,
                original: b,
                choices,
                forced,
            };
            if group == Group::CompositeOnly {
                composite.slots.push(slot);
                continue;
            }
            match groups.iter_mut().find(|g| g.group == group) {
                Some(g) => g.slots.push(slot),
                None => groups.push(GroupSearch {
                    group,
                    slots: vec![slot],
                    tiers: vec![None; MAX_OPTIONAL_CHANGES + 1],
                }),
            }
        }
    }

    // Keep the likeliest forced choice only when combinations would explode.
    for g in groups.iter_mut().chain(std::iter::once(&mut composite)) {
        let combos = g
            .slots
            .iter()
            .filter(|s| s.forced)
            .try_fold(1usize, |acc, s| acc.checked_mul(s.choices.len()))
            .unwrap_or(usize::MAX);
        if combos > MAX_FORCED_COMBINATIONS {
            budget.limited = true;
            for s in g.slots.iter_mut().filter(|s| s.forced) {
                s.choices.truncate(1);
            }
        }
    }

    // Fewest optional changes first: every way of spreading `total` of them
    // over the fields, each field's passing variants combined, the composite
    // settled last. The first total that yields a valid zone wins.
    for total in 0..=MAX_TOTAL_CHANGES {
        let mut candidates: Vec<Vec<u8>> = Vec::new();
        for spread in spreads(groups.len() + 1, total) {
            let (own, composite_k) = spread.split_at(groups.len());
            let composite_k = composite_k.first().copied().unwrap_or(0);
            let mut options: Vec<Vec<Assignment>> = Vec::with_capacity(groups.len());
            for (g, &k) in groups.iter_mut().zip(own) {
                options.push(g.tier(k, &base, &ctx, &mut budget).to_vec());
            }
            if options.iter().any(Vec::is_empty) {
                continue;
            }
            let mut index = vec![0usize; options.len()];
            'combos: loop {
                if candidates.len() >= MAX_CANDIDATES || budget.limited && budget.left == 0 {
                    break;
                }
                let mut buf = base.clone();
                for (choice, opts) in index.iter().zip(&options) {
                    for &(pos, c) in &opts[*choice] {
                        buf[pos] = c;
                    }
                }
                let test =
                    |b: &[u8]| group_passes(Group::CompositeOnly, layout, &long, b, reference);
                for finish in
                    solve_tier(&composite.slots, composite_k, &mut buf, &test, &mut budget)
                {
                    let mut done = buf.clone();
                    for (pos, c) in finish {
                        done[pos] = c;
                    }
                    candidates.push(done);
                }
                // Next combination (odometer order).
                for (i, opts) in options.iter().enumerate() {
                    index[i] += 1;
                    if index[i] < opts.len() {
                        continue 'combos;
                    }
                    index[i] = 0;
                }
                break;
            }
        }
        let mut proposals = finish(format, original, candidates, reference);
        if !proposals.is_empty() {
            proposals.truncate(MAX_PROPOSALS);
            return Search {
                proposals,
                limited: budget.limited,
            };
        }
        if budget.left == 0 {
            break;
        }
    }
    nothing(budget.limited)
}

/// Re-parses each candidate, keeps the valid ones with the fewest changes.
fn finish(
    format: Format,
    original: &[u8],
    mut candidates: Vec<Vec<u8>>,
    reference: Date,
) -> Vec<Proposal> {
    candidates.sort();
    candidates.dedup();
    let mut proposals: Vec<Proposal> = candidates
        .iter()
        .filter(|c| c.as_slice() != original)
        .filter_map(|c| {
            let mrz = Mrz::from_concatenated(format, c)?;
            if !analyse(&mrz, reference).is_valid() {
                return None;
            }
            let changes = original
                .iter()
                .zip(c.iter())
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .map(|(i, (&a, &b))| Change {
                    position: Position::of(format, i),
                    from: char::from(a),
                    to: char::from(b),
                })
                .collect();
            Some(Proposal {
                changes,
                mrz: mrz.to_string(),
            })
        })
        .collect();
    let fewest = proposals.iter().map(|p| p.changes.len()).min().unwrap_or(0);
    proposals.retain(|p| p.changes.len() == fewest);
    proposals.sort_by(|a, b| a.mrz.cmp(&b.mrz));
    proposals
}
