//! Logistics benchmark: bulk movement, bulk batch assignment and the nominal roll.
//!
//! ```text
//! cargo bench -p moei --bench logistics -- [--persons N] [--roll R]
//! ```
//!
//! One fresh SQLite database in a temporary directory, opened by `Store::open` as `moei serve`
//! opens it (WAL, `synchronous = FULL`). Loads N persons (default 10,000, IND, in transactions
//! of 5,000), then times, each through the store's public methods with their audit rows:
//!
//! 1. the first placement of all N in a site (one filter, one transaction);
//! 2. moving all N from that site to another (manifest, locations, N timeline entries);
//! 3. assigning all N to one departure batch (every eligibility check in SQL);
//! 4. the nominal roll of R persons (default 5,000, CHN) as XLSX: the store query with its R
//!    disclosure rows, then the workbook written to memory.
//!
//! The consular and screening state the assignment needs is written with plain SQL before the
//! clock starts, as screening and the embassies would have written it.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use moei_domain::{Clock, PersonInput, SystemClock};
use moei_store::db::OpenOptions;
use moei_store::departures::BatchInput;
use moei_store::facilities::{FacilityInput, MoveInput, PersonFilter};
use moei_store::{Actor, DatabaseUrl, Store};

const LOAD_BATCH: usize = 5_000;

fn parse_args() -> Result<(usize, usize)> {
    let (mut persons, mut roll) = (10_000usize, 5_000usize);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Result<usize> {
            let v = it.next().with_context(|| format!("{name} needs a value"))?;
            v.replace('_', "")
                .parse()
                .with_context(|| format!("{name}: not a number: {v}"))
        };
        match a.as_str() {
            "--persons" => persons = value("--persons")?.clamp(1, 10_000),
            "--roll" => roll = value("--roll")?.max(1),
            "--bench" => {}
            other => bail!("unknown argument {other}; usage: logistics [--persons N] [--roll R]"),
        }
    }
    Ok((persons, roll))
}

async fn load(store: &Store, n: usize, nationality: &str) -> Result<()> {
    let mut done = 0;
    while done < n {
        let size = LOAD_BATCH.min(n - done);
        let inputs: Vec<PersonInput> = (done..done + size)
            .map(|i| PersonInput {
                given_name: Some(format!("Given{i}")),
                family_name: Some(format!("Family{}", i % 97)),
                name_original_script: Some(format!("名{i}")),
                sex: Some(if i % 5 == 0 { "F" } else { "M" }.into()),
                date_of_birth: Some("1994-05-01".into()),
                nationality: Some(nationality.into()),
                ..Default::default()
            })
            .collect();
        store.register_persons(&Actor::cli(), &inputs).await?;
        done += size;
    }
    Ok(())
}

fn site(name: &str) -> FacilityInput {
    FacilityInput {
        name: name.into(),
        kind: "holding".into(),
        capacities: vec![("men".into(), 20_000), ("women".into(), 5_000)],
    }
}

fn report(what: &str, n: usize, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{what:<44} {n:>6} persons  {:>8.3} s  {:>9.0} persons/s",
        secs,
        n as f64 / secs
    );
}

#[tokio::main]
async fn main() -> Result<()> {
    let (persons, roll_size) = parse_args()?;
    let dir = tempfile::Builder::new().prefix("moei-bench-").tempdir()?;
    let url = DatabaseUrl::parse(&dir.path().join("bench.db").display().to_string())?;
    let options = OpenOptions {
        create_if_missing: true,
        ..OpenOptions::default()
    };
    let store = Store::open(&url, &options, Arc::new(SystemClock)).await?;
    let cli = Actor::cli();
    load(&store, persons, "IND").await?;
    load(&store, roll_size, "CHN").await?;
    let a = store.create_facility(&cli, &site("Site A")).await?.id;
    let b = store.create_facility(&cli, &site("Site B")).await?.id;
    let ind = PersonFilter {
        nationality: Some("IND".into()),
        ..Default::default()
    };
    let move_to = |to: &str| MoveInput {
        filter: ind.clone(),
        to_facility_id: to.to_string(),
        to_section: None,
        vehicle: "bus".into(),
        escort: "escort".into(),
        departed_at: None,
    };

    let started = Instant::now();
    let placed = store.move_persons(&cli, &move_to(&a)).await?;
    report(
        "first placement (bulk move by filter)",
        placed.moved as usize,
        started,
    );
    let started = Instant::now();
    let moved = store.move_persons(&cli, &move_to(&b)).await?;
    report("bulk move between sites", moved.moved as usize, started);

    // Screening determined, embassy confirmed, travel documents issued; disclosure allowed.
    for sql in [
        "UPDATE persons SET case_status = 'irregular_migrant'",
        "INSERT INTO consular_records (person_id, verification, travel_document_kind, travel_document_number, \
         travel_document_valid_until, updated_at, updated_by) SELECT id, 'confirmed', 'passport', 'P' || registration_number, \
         '2099-01-01', '2025-11-01T00:00:00.000000Z', 'bench' FROM persons",
        "INSERT INTO disclosure_bases (person_id, basis, recorded_at, recorded_by) SELECT id, 'consent', \
         '2025-11-01T00:00:00.000000Z', 'bench' FROM persons",
    ] {
        sqlx::query(sql).execute(store.pool()).await?;
    }
    let fm = moei_domain::Principal {
        role: moei_domain::Role::FacilityManager,
        ..moei_domain::Principal::system()
    };
    let fm = Actor::new(fm, "bench");
    let date = SystemClock.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let batch = store
        .create_batch(
            &fm,
            &BatchInput {
                kind: "flight".into(),
                carrier: "charter".into(),
                route: "Mae Sot - Delhi".into(),
                departure_date: date.tomorrow()?.to_string(),
                capacity: 10_000,
            },
        )
        .await?;
    let started = Instant::now();
    let assigned = store.assign_to_batch(&fm, &batch.id, &ind).await?;
    report(
        "bulk assignment to a departure batch",
        assigned.assigned as usize,
        started,
    );
    if !assigned.refused.is_empty() {
        bail!("{} persons were refused", assigned.refused.len());
    }

    let started = Instant::now();
    let roll = store.nominal_roll(&cli, "CHN", false).await?;
    let query_secs = started.elapsed().as_secs_f64();
    let xlsx = moei_web::logistics_files::roll_xlsx(&roll)?;
    report(
        "nominal roll as XLSX (query + workbook)",
        roll.entries.len(),
        started,
    );
    println!(
        "  of which the query and disclosure rows: {query_secs:.3} s; workbook: {} bytes",
        xlsx.len()
    );
    store.close().await;
    Ok(())
}
