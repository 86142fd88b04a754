//! String similarity on short ASCII keys. Written here rather than taken from a crate because
//! every comparison runs on already-folded byte strings of a few letters, where a
//! stack-only implementation is several times faster than a general `&str` one; the tests
//! check it against `strsim`.

/// Jaro similarity of two byte strings.
pub fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    // Long strings are rare in names; cap them so the flag arrays stay on the stack.
    let a = &a[..a.len().min(64)];
    let b = &b[..b.len().min(64)];
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_flag = [false; 64];
    let mut b_flag = [false; 64];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_flag[j] && b[j] == ca {
                a_flag[i] = true;
                b_flag[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if a_flag[i] {
            while !b_flag[k] {
                k += 1;
            }
            if ca != b[k] {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4, boost threshold 0.7).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let j = jaro(a, b);
    // Winkler's boost applies only above the usual 0.7 boost threshold.
    if j <= 0.7 {
        return j;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    j + prefix as f64 * 0.1 * (1.0 - j)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transposition), stopping
/// early once it exceeds `max`. Returns `max + 1` when the distance is larger than `max`.
pub fn osa_within(a: &[u8], b: &[u8], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    // Document numbers (at most 20 characters) fit the rows on the stack; this runs for
    // most candidate pairs in bulk matching, where allocating the rows cost more than them.
    const STACK: usize = 33;
    let n = b.len();
    if n < STACK {
        let mut rows = [[0usize; STACK]; 3];
        let [prev2, prev, cur] = &mut rows;
        osa_rows(a, b, max, &mut prev2[..=n], &mut prev[..=n], &mut cur[..=n])
    } else {
        let (mut prev2, mut prev, mut cur) = (vec![0; n + 1], vec![0; n + 1], vec![0; n + 1]);
        osa_rows(a, b, max, &mut prev2, &mut prev, &mut cur)
    }
}

/// The dynamic programme of [`osa_within`] on three rows of `b.len() + 1` cells.
fn osa_rows<'r>(
    a: &[u8],
    b: &[u8],
    max: usize,
    mut prev2: &'r mut [usize],
    mut prev: &'r mut [usize],
    mut cur: &'r mut [usize],
) -> usize {
    let n = b.len();
    for (j, p) in prev.iter_mut().enumerate() {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n].min(max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert!((jaro_winkler(b"martha", b"marhta") - 0.9611).abs() < 1e-3);
        assert_eq!(osa_within(b"E1234567", b"E1243567", 1), 1);
        assert_eq!(osa_within(b"E1234567", b"E9994567", 1), 2);
    }

    proptest! {
        #[test]
        fn agrees_with_strsim(a in "[a-e]{0,12}", b in "[a-e]{0,12}") {
            let ours = jaro_winkler(a.as_bytes(), b.as_bytes());
            let theirs = strsim::jaro_winkler(&a, &b);
            prop_assert!((ours - theirs).abs() < 1e-9, "{a} {b} {ours} {theirs}");
            let d = strsim::osa_distance(&a, &b);
            prop_assert_eq!(osa_within(a.as_bytes(), b.as_bytes(), 2), d.min(3));
        }

        #[test]
        fn osa_agrees_on_rows_past_the_stack(a in "[a-c]{28,40}", b in "[a-c]{28,40}", max in 0usize..12) {
            let d = strsim::osa_distance(&a, &b);
            prop_assert_eq!(osa_within(a.as_bytes(), b.as_bytes(), max), d.min(max + 1));
        }
    }
}
