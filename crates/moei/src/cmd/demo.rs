//! `moei demo`: the October 2025 KK Park crossings as demo data, then the server.
//!
//! The scenario (about 1,600 arrivals over ten days, the reported nationality mix, names in the
//! scripts people use, some people registered twice, most without documents) comes from
//! `moei-demo`, deterministically. Each group is registered at its own arrival time.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use moei_demo::{Birth, Mode, Need, Sex};
use moei_domain::{ArrivalGroupInput, ManualClock, PersonInput, Role};
use moei_store::accounts::NewUser;
use moei_store::identity::{ExternalRecord, MissingReportInput, NewList};
use moei_store::{Actor, Store};

use super::serve::serve_store;
use super::{DbArgs, default_listen, open, settings};
use crate::config::FileConfig;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Address to listen on.
    #[arg(long, env = "MOEI_LISTEN")]
    pub listen: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
    /// Load the demo data and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

/// (username, role, agency, nationalities, password). Demo passwords are public: never use a
/// demo database for real people.
pub const DEMO_ACCOUNTS: &[(&str, Role, &str, &[&str], &str)] = &[
    (
        "admin",
        Role::Admin,
        "Moei administration",
        &[],
        "demo-admin-2025",
    ),
    (
        "registrar",
        Role::Registrar,
        "Tak Immigration",
        &[],
        "demo-registrar-2025",
    ),
    (
        "screener",
        Role::Screener,
        "Social Development and Human Security",
        &[],
        "demo-screener-2025",
    ),
    (
        "mdt",
        Role::MdtMember,
        "Tak multi-disciplinary team",
        &[],
        "demo-mdt-2025",
    ),
    (
        "police",
        Role::Investigator,
        "Mae Sot police",
        &[],
        "demo-police-2025",
    ),
    (
        "facility",
        Role::FacilityManager,
        "Mae Sot shelter",
        &[],
        "demo-facility-2025",
    ),
    (
        "embassy-ind",
        Role::EmbassyOfficer,
        "Embassy of India",
        &["IND"],
        "demo-embassy-2025",
    ),
    (
        "embassy-chn",
        Role::EmbassyOfficer,
        "Embassy of China",
        &["CHN"],
        "demo-embassy-2025",
    ),
    (
        "embassy-phl",
        Role::EmbassyOfficer,
        "Embassy of the Philippines",
        &["PHL"],
        "demo-embassy-2025",
    ),
    (
        "analyst",
        Role::Analyst,
        "Provincial statistics",
        &[],
        "demo-analyst-2025",
    ),
];

pub async fn run(args: DemoArgs, file: &FileConfig) -> anyhow::Result<ExitCode> {
    let settings = settings(&args.db, file);
    let store = open(&settings, true).await?;
    load(&store).await?;
    println!("Demo accounts (user / password / role):");
    for (name, role, agency, nats, password) in DEMO_ACCOUNTS {
        let scope = if nats.is_empty() {
            String::new()
        } else {
            format!(" [{}]", nats.join(","))
        };
        println!(
            "  {name:<12} {password:<22} {}{scope} — {agency}",
            role.as_str()
        );
    }
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    serve_store(
        store,
        &default_listen(args.listen, file),
        settings.secure_cookies,
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// Loads accounts and the scenario into an empty database; leaves an existing one as it is.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    let cli = Actor::cli();
    let users = store.list_users(&cli).await?;
    if users.is_empty() {
        for (name, role, agency, nats, password) in DEMO_ACCOUNTS {
            store
                .create_user(
                    &cli,
                    &NewUser {
                        username: (*name).into(),
                        role: *role,
                        agency: Some((*agency).into()),
                        nationalities: nats.iter().map(|n| n.to_string()).collect(),
                        password: Some((*password).into()),
                    },
                )
                .await?;
        }
    }
    if store.counts(&cli, None).await?.total > 0 {
        return Ok(());
    }
    let registrar = store
        .list_users(&cli)
        .await?
        .into_iter()
        .find(|u| u.role == Role::Registrar)
        .context("the demo needs a registrar account")?;
    let actor = Actor::new(registrar.principal(), "demo");
    let scenario = moei_demo::generate(moei_demo::DEFAULT_SEED);
    let clock = Arc::new(ManualClock::new(
        scenario
            .groups
            .first()
            .map(|g| g.arrived_at)
            .unwrap_or_default(),
    ));
    let at_arrival = store.with_clock(clock.clone());
    for group in &scenario.groups {
        clock.set(group.arrived_at);
        let g = at_arrival
            .create_arrival_group(
                &actor,
                &ArrivalGroupInput {
                    crossing_point: Some(group.crossing_point.clone()),
                    arrived_at: Some(group.arrived_at.to_string()),
                    mode: Some(mode(group.mode).into()),
                    officer: Some(group.officer.clone()),
                    headcount: Some(i64::from(group.headcount)),
                    notes: None,
                },
            )
            .await?;
        let inputs: Vec<PersonInput> = scenario
            .persons
            .iter()
            .filter(|p| p.group_key == group.key)
            .map(|p| PersonInput {
                arrival_group_id: Some(g.id.clone()),
                given_name: Some(p.given_name.clone()),
                family_name: Some(p.family_name.clone()),
                name_original_script: p.name_original_script.clone(),
                sex: Some(sex(p.sex).into()),
                date_of_birth: match p.birth {
                    Birth::Full(d) => Some(d.to_string()),
                    Birth::Year(y) => Some(format!("{y:04}")),
                    Birth::EstimatedAge(_) => None,
                },
                estimated_age: match p.birth {
                    Birth::EstimatedAge(a) => Some(i64::from(a)),
                    _ => None,
                },
                nationality: Some(p.nationality.clone()),
                languages: p.languages.clone(),
                has_identity_document: Some(p.has_document),
                needs: p.needs.iter().map(|n| need(*n).to_string()).collect(),
                notes: p.notes.clone(),
            })
            .collect();
        if inputs.is_empty() {
            continue;
        }
        // Registration at the desk follows the crossing by a little while.
        clock.advance(jiff::SignedDuration::from_mins(20));
        at_arrival
            .register_persons(&actor, &inputs)
            .await
            .context("loading the demo persons")?;
    }
    super::demo_logistics::load(&at_arrival)
        .await
        .context("loading the demo sites, movements and departures")?;
    super::demo_screening::load(&at_arrival, &clock)
        .await
        .context("loading the demo screening")?;
    super::demo_logistics::plan_departures(&at_arrival, &clock)
        .await
        .context("loading the demo departures")?;
    load_identity(store, &scenario).await
}

fn demo_actor(users: &[moei_store::accounts::User], name: &str) -> anyhow::Result<Actor> {
    let user = users
        .iter()
        .find(|u| u.username == name)
        .with_context(|| format!("the demo needs the {name} account"))?;
    Ok(Actor::new(user.principal(), "demo"))
}

fn birth_text(b: &Birth) -> String {
    match b {
        Birth::Full(d) => d.to_string(),
        Birth::Year(y) => format!("{y:04}"),
        Birth::EstimatedAge(_) => String::new(),
    }
}

/// The review queue's demo content: the second registrations found as duplicates, a small
/// embassy nominal roll linked against everyone, and three families' missing-person reports.
async fn load_identity(store: &Store, scenario: &moei_demo::Scenario) -> anyhow::Result<()> {
    let users = store.list_users(&Actor::cli()).await?;
    let admin = demo_actor(&users, "admin")?;
    moei_web::identity::dedup_persons(store, &admin)
        .await
        .context("finding the demo duplicates")?;

    let embassy = demo_actor(&users, "embassy-ind")?;
    let roll: Vec<ExternalRecord> = scenario
        .persons
        .iter()
        .filter(|p| p.nationality == "IND" && p.duplicate_of.is_none())
        .step_by(5)
        .take(12)
        .enumerate()
        .map(|(i, p)| ExternalRecord {
            row_number: i as i64 + 2,
            record_id: format!("IND-ROLL-{:03}", i + 1),
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            sex: sex(p.sex).into(),
            date_of_birth: birth_text(&p.birth),
            nationality: p.nationality.clone(),
            passport_number: p.passport_number.clone().unwrap_or_default(),
            ..Default::default()
        })
        .collect();
    let list = NewList {
        name: "Nominal roll of Indian nationals, Mae Sot".into(),
        source: "Embassy of India".into(),
        kind: "embassy_roll".into(),
    };
    let list = store.import_list(&embassy, &list, &roll, 0).await?;
    moei_web::identity::link_list(store, &embassy, &list.id)
        .await
        .context("linking the demo roll")?;

    // Families ask after a relative through the MDT's partner NGO; two agree to share with
    // their embassy.
    let ngo = demo_actor(&users, "mdt")?;
    for (nationality, consent, relationship) in [
        ("PHL", true, "sister"),
        ("IND", true, "father"),
        ("CHN", false, "wife"),
    ] {
        let Some(p) = scenario
            .persons
            .iter()
            .find(|p| p.nationality == nationality && p.duplicate_of.is_none())
        else {
            continue;
        };
        let report = MissingReportInput {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            name_original_script: p.name_original_script.clone().unwrap_or_default(),
            sex: sex(p.sex).into(),
            date_of_birth: birth_text(&p.birth).get(..4).unwrap_or("").into(),
            nationality: p.nationality.clone(),
            last_contact: "September 2025, a message from Myawaddy".into(),
            reporter_name: format!("Relative of {}", p.given_name),
            reporter_relationship: relationship.into(),
            reporter_contact: "through the NGO caseworker".into(),
            consent_to_share: consent,
            ..Default::default()
        };
        let report = store.create_missing_report(&ngo, &report).await?;
        moei_web::identity::match_reports(store, &ngo, Some(&report.id))
            .await
            .context("matching the demo reports")?;
    }
    Ok(())
}

fn mode(m: Mode) -> &'static str {
    match m {
        Mode::Bridge => "bridge",
        Mode::Boat => "boat",
        Mode::Raft => "raft",
        Mode::Wading => "wading",
        Mode::Other => "other",
    }
}

fn sex(s: Sex) -> &'static str {
    match s {
        Sex::F => "F",
        Sex::M => "M",
        Sex::X => "X",
    }
}

fn need(n: Need) -> &'static str {
    match n {
        Need::Injured => "injured",
        Need::Medical => "medical",
        Need::Minor => "minor",
        Need::Pregnant => "pregnant",
        Need::Unaccompanied => "unaccompanied",
    }
}
