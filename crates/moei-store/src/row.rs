//! Small helpers for reading rows and writing timestamps the same way on both backends.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::db::Backend;

/// Fixed-width RFC 3339 UTC with microseconds: sorts as text on both backends.
pub fn ts(t: Timestamp) -> String {
    format!("{:.6}", t)
}

pub fn parse_ts(s: &str) -> Result<Timestamp, StoreError> {
    s.parse()
        .map_err(|_| StoreError::corrupt(format!("bad timestamp {s:?}")))
}

pub fn text(row: &AnyRow, col: &str) -> Result<String, StoreError> {
    Ok(row.try_get::<String, _>(col)?)
}

pub fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>, StoreError> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub fn int(row: &AnyRow, col: &str) -> Result<i64, StoreError> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub fn opt_int(row: &AnyRow, col: &str) -> Result<Option<i64>, StoreError> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// A time-ordered id (UUID v7) made from the store's clock, so ids sort by creation.
pub fn new_id(now: Timestamp) -> String {
    let secs = now.as_second().max(0) as u64;
    let nanos = now.subsec_nanosecond().max(0) as u32;
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, nanos);
    // v7 fills the rest with random bits, so two ids made in the same instant still differ.
    uuid::Uuid::new_v7(ts).to_string()
}

/// Placeholders for a statement whose only parameters are these `n`, in order: `$1,$2,..` on
/// PostgreSQL, `?,?,..` on SQLite. SQLite resolves a numbered (`$N`) parameter by scanning a list
/// of names, once per parameter, which made binding a multi-row INSERT quadratic in its size;
/// anonymous `?` parameters are bound by position.
pub fn placeholders(backend: Backend, n: usize) -> String {
    (1..=n)
        .map(|i| match backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${i}"),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `($1,$2,..),($k+1,..)` (or `(?,?,..),(..)` on SQLite): placeholders for `rows` rows of
/// `columns` values, for a statement with no other parameters.
pub fn value_rows(backend: Backend, rows: usize, columns: usize) -> String {
    use std::fmt::Write;
    // Built in one buffer: bulk loads write thousands of these statements.
    let mut out = String::with_capacity(rows * (columns * 6 + 3));
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ",(" });
        for c in 1..=columns {
            if c > 1 {
                out.push(',');
            }
            match backend {
                Backend::Sqlite => out.push('?'),
                Backend::Postgres => {
                    let _ = write!(out, "${}", r * columns + c);
                }
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_value_on_postgres_and_are_anonymous_on_sqlite() {
        assert_eq!(value_rows(Backend::Postgres, 2, 3), "($1,$2,$3),($4,$5,$6)");
        assert_eq!(value_rows(Backend::Sqlite, 2, 2), "(?,?),(?,?)");
        assert_eq!(placeholders(Backend::Postgres, 3), "$1,$2,$3");
        assert_eq!(placeholders(Backend::Sqlite, 2), "?,?");
    }
}
