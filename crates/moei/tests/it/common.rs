//! Shared test harness: a fresh database per test on the chosen backend, users and tokens,
//! an in-process server on 127.0.0.1:0, and a small API client.

#![allow(dead_code)]

use std::sync::Arc;

use moei_crypto::field::FieldKey;
use moei_domain::{Clock, ManualClock, Role};
use moei_store::accounts::NewUser;
use moei_store::db::OpenOptions;
use moei_store::{Actor, DatabaseUrl, Store};

pub const PASSWORD: &str = "correct-horse-battery";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("MOEI_TEST_BACKEND").as_deref() {
        Ok("postgres") | Ok("pg") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

fn pg_admin_url() -> String {
    std::env::var("MOEI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        match backend() {
            Backend::Sqlite => {
                let url = dir.path().join("moei.db").display().to_string();
                TestDb {
                    url,
                    dir,
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                sqlx::any::install_default_drivers();
                let name = format!("moei_t_{}", uuid::Uuid::new_v4().simple());
                let admin = pg_admin_url();
                let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
                TestDb {
                    url: format!("{base}/{name}"),
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    pub async fn store_with_clock(&self, clock: Arc<dyn Clock>) -> Store {
        let options = OpenOptions {
            create_if_missing: true,
            ..OpenOptions::default()
        };
        let store = Store::open(&DatabaseUrl::parse(&self.url).unwrap(), &options, clock)
            .await
            .unwrap();
        // The screening key lives beside the database, as `moei migrate --create` puts it.
        store.with_field_key(FieldKey::load_or_create(&self.key_file()).unwrap())
    }

    /// The key file for encrypted screening fields (outside the database).
    pub fn key_file(&self) -> std::path::PathBuf {
        self.dir.path().join("keys").join("screening.key")
    }

    pub async fn store(&self) -> Store {
        self.store_with_clock(Arc::new(test_clock())).await
    }

    /// Runs raw SQL on the database behind the application's back (tamper tests).
    pub async fn raw(&self, sql: &str) {
        sqlx::any::install_default_drivers();
        let url = match backend() {
            Backend::Sqlite => format!("sqlite://{}", self.url),
            Backend::Postgres => self.url.clone(),
        };
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            let admin = pg_admin_url();
            // Drop in a thread with its own runtime: Drop cannot be async.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    if let Ok(mut conn) =
                        <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await
                    {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// 24 October 2025, 10:00 in Mae Sot: the morning 1,049 people were in custody.
pub fn test_clock() -> ManualClock {
    ManualClock::new("2025-10-24T03:00:00Z".parse().unwrap())
}

pub async fn add_user(store: &Store, name: &str, role: Role, nationalities: &[&str]) -> Actor {
    let user = store
        .create_user(
            &Actor::cli(),
            &NewUser {
                username: name.into(),
                role,
                agency: Some(format!("{name} agency")),
                nationalities: nationalities.iter().map(|s| s.to_string()).collect(),
                password: Some(PASSWORD.into()),
            },
        )
        .await
        .unwrap();
    Actor::new(user.principal(), "127.0.0.1")
}

/// Records consent as the legal basis for disclosing these persons to their embassy: without a
/// basis an embassy officer does not see them at all.
pub async fn consent_to_disclosure(store: &Store, persons: &[&moei_domain::Person]) {
    for p in persons {
        store
            .record_disclosure_basis(&moei_store::Actor::cli(), &p.id, "consent")
            .await
            .unwrap();
    }
}

pub fn person(given: &str, family: &str, nationality: &str) -> moei_domain::PersonInput {
    moei_domain::PersonInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        sex: Some("M".into()),
        date_of_birth: Some("1995-03-14".into()),
        nationality: Some(nationality.into()),
        ..Default::default()
    }
}

/// An in-process server on a free port.
pub struct TestServer {
    pub base: String,
    pub store: Store,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start(store: Store) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = moei_web::AppState::new(store.clone(), false);
        tokio::spawn(async move {
            let _ = moei_web::serve(listener, state, async move {
                let _ = rx.await;
            })
            .await;
        });
        TestServer {
            base,
            store,
            shutdown: Some(tx),
        }
    }

    pub async fn token_for(&self, username: &str) -> String {
        self.store
            .create_token(&Actor::cli(), username, "test")
            .await
            .unwrap()
    }

    pub fn client(&self, token: &str) -> Api {
        Api {
            base: self.base.clone(),
            token: token.to_string(),
            http: reqwest::Client::new(),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub struct Api {
    pub base: String,
    pub token: String,
    pub http: reqwest::Client,
}

impl Api {
    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::POST, path, body).await
    }

    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, serde_json::Value) {
        let r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }
}

/// Persons stored, seen by an administrator (for "nothing was stored" checks).
pub async fn person_count(store: &Store) -> i64 {
    store.counts(&Actor::cli(), None).await.unwrap().total
}

/// The text of a PDF as poppler extracts it (what a search box or a screen reader sees).
pub fn pdf_text(dir: &std::path::Path, bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let path = dir.join(format!("{}.pdf", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success(), "pdftotext rejected the PDF");
    String::from_utf8(out.stdout).unwrap()
}
