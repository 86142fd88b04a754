//! Moei's one integration-test binary (one link step on 2-core machines).
//!
//! Every test runs against the backend named by `MOEI_TEST_BACKEND` (`sqlite`, the default, or
//! `postgres`, using `MOEI_TEST_PG_URL`, default postgres://postgres@127.0.0.1:5432/postgres,
//! where each test gets a database of its own). CI runs the whole binary once per backend.

// Helpers outside #[test] functions unwrap too: a failed setup should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod api;
mod audit;
mod authz;
mod bad_input;
mod browser;
mod browser_logistics;
mod cli;
mod documents;
mod durability;
mod identity;
mod logistics;
mod logistics_api;
mod mrz_image;
mod screening;
mod store_story;
