//! Users, agencies, API tokens and web sessions. Secrets are stored only as digests.

use jiff::SignedDuration;
use moei_domain::validation::FieldError;
use moei_domain::{Action, Principal, Role, ValidationErrors};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::row::{int, new_id, opt_text, parse_ts, split_list, text, ts};
use crate::{Actor, Result, Store, StoreError};

/// A web session lasts a working shift.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub role: Role,
    pub agency: Option<String>,
    pub nationalities: Vec<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub agency: Option<String>,
    pub nationalities: Vec<String>,
    pub disabled: bool,
    pub created_at: String,
}

impl User {
    pub fn principal(&self) -> Principal {
        Principal {
            user_id: self.id.clone(),
            username: self.username.clone(),
            role: self.role,
            agency: self.agency.clone(),
            nationalities: self.nationalities.clone(),
        }
    }
}

fn validate_user(u: &NewUser) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let name_ok = (2..=64).contains(&u.username.len())
        && u.username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !name_ok {
        errors.push(FieldError::new(
            "username",
            "invalid_username",
            "must be 2 to 64 characters: a-z, 0-9, dot, dash, underscore",
        ));
    }
    if u.role == Role::EmbassyOfficer && u.nationalities.is_empty() {
        errors.push(FieldError::new(
            "nationality",
            "required",
            "an embassy officer must be scoped to at least one nationality",
        ));
    }
    if u.role != Role::EmbassyOfficer && !u.nationalities.is_empty() {
        errors.push(FieldError::new(
            "nationality",
            "not_applicable",
            "only embassy officers are scoped to nationalities",
        ));
    }
    for n in &u.nationalities {
        if !moei_domain::countries::is_known(n) {
            errors.push(FieldError::new(
                "nationality",
                "unknown_nationality",
                format!("{n} is not a known code"),
            ));
        }
    }
    if let Some(p) = &u.password
        && p.chars().count() < 10
    {
        errors.push(FieldError::new(
            "password",
            "too_short",
            "must be at least 10 characters",
        ));
    }
    if let Some(a) = &u.agency
        && (a.trim().is_empty() || a.chars().count() > 200)
    {
        errors.push(FieldError::new(
            "agency",
            "invalid_agency",
            "must be 1 to 200 characters",
        ));
    }
    errors.into_result(())
}

const USER_SELECT: &str = "SELECT u.id, u.username, u.role, a.name AS agency, u.nationalities, u.disabled, \
     u.created_at, u.password_hash FROM users u LEFT JOIN agencies a ON a.id = u.agency_id";

fn user_from_row(r: &AnyRow) -> Result<User> {
    let role = text(r, "role")?;
    Ok(User {
        id: text(r, "id")?,
        username: text(r, "username")?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::corrupt(format!("unknown role {role}")))?,
        agency: opt_text(r, "agency")?,
        nationalities: split_list(&text(r, "nationalities")?),
        disabled: int(r, "disabled")? != 0,
        created_at: text(r, "created_at")?,
    })
}

impl Store {
    pub async fn create_user(&self, actor: &Actor, new: &NewUser) -> Result<User> {
        if !actor.principal.may(Action::ManageUsers) {
            return Err(StoreError::Forbidden);
        }
        let mut new = new.clone();
        new.nationalities = new
            .nationalities
            .iter()
            .map(|n| n.trim().to_ascii_uppercase())
            .collect();
        new.nationalities.sort();
        new.nationalities.dedup();
        validate_user(&new)?;
        let password_hash = match &new.password {
            Some(p) => Some(
                moei_crypto::hash_password(p)
                    .map_err(|e| StoreError::Unsupported(e.to_string()))?,
            ),
            None => None,
        };
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        if sqlx::query("SELECT id FROM users WHERE username = $1")
            .bind(&new.username)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(StoreError::Conflict(format!(
                "user {} already exists",
                new.username
            )));
        }
        let agency_id = match &new.agency {
            Some(name) => {
                let name = name.trim();
                match sqlx::query("SELECT id FROM agencies WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&mut *tx)
                    .await?
                {
                    Some(r) => Some(text(&r, "id")?),
                    None => {
                        let id = new_id(now);
                        sqlx::query(
                            "INSERT INTO agencies (id, name, created_at) VALUES ($1, $2, $3)",
                        )
                        .bind(&id)
                        .bind(name)
                        .bind(ts(now))
                        .execute(&mut *tx)
                        .await?;
                        Some(id)
                    }
                }
            }
            None => None,
        };
        let id = new_id(now);
        sqlx::query(
            "INSERT INTO users (id, username, role, agency_id, nationalities, password_hash, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
        )
        .bind(&id)
        .bind(&new.username)
        .bind(new.role.as_str())
        .bind(agency_id)
        .bind(new.nationalities.join(","))
        .bind(password_hash)
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        let detail = format!(
            "role={} agency={} nationalities={}",
            new.role.as_str(),
            new.agency.as_deref().unwrap_or("-"),
            new.nationalities.join(",")
        );
        self.audit(&mut tx, actor, "user.create", "user", &id, &detail)
            .await?;
        tx.commit().await?;
        Ok(User {
            id,
            username: new.username.clone(),
            role: new.role,
            agency: new.agency.clone().map(|a| a.trim().to_string()),
            nationalities: new.nationalities.clone(),
            disabled: false,
            created_at: ts(now),
        })
    }

    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<User>> {
        if !actor.principal.may(Action::ManageUsers) {
            return Err(StoreError::Forbidden);
        }
        let rows = sqlx::query(&format!("{USER_SELECT} ORDER BY u.username"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn user_by(&self, column: &str, value: &str) -> Result<Option<(User, Option<String>)>> {
        let row = sqlx::query(&format!("{USER_SELECT} WHERE u.{column} = $1"))
            .bind(value)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some((user_from_row(&r)?, opt_text(&r, "password_hash")?))),
            None => Ok(None),
        }
    }

    /// Checks a password; every attempt, good or bad, is audited.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        origin: &str,
    ) -> Result<Option<Principal>> {
        let found = self.user_by("username", username).await?;
        // Hash something even for an unknown user, so timing does not reveal which names exist.
        let (ok, user) = match &found {
            Some((user, Some(hash))) if !user.disabled => (
                moei_crypto::verify_password(password, hash).unwrap_or(false),
                Some(user),
            ),
            _ => {
                let _ = moei_crypto::hash_password(password);
                (false, found.as_ref().map(|(u, _)| u))
            }
        };
        let actor = match user {
            Some(u) => Actor::new(u.principal(), origin),
            None => Actor::new(anonymous(), origin),
        };
        let action = if ok { "login.success" } else { "login.failure" };
        let target = user.map(|u| u.id.clone()).unwrap_or_default();
        self.audit_event(&actor, action, "user", &target, "")
            .await?;
        Ok(if ok { user.map(User::principal) } else { None })
    }

    /// Creates an API token for `username`; the secret is returned once and stored as a digest.
    pub async fn create_token(&self, actor: &Actor, username: &str, label: &str) -> Result<String> {
        if !actor.principal.may(Action::ManageUsers) {
            return Err(StoreError::Forbidden);
        }
        let (user, _) = self
            .user_by("username", username)
            .await?
            .ok_or(StoreError::NotFound)?;
        let secret = format!("moei_{}", moei_crypto::new_secret());
        let now = self.clock.now();
        let id = new_id(now);
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, token_digest, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(&user.id)
        .bind(label)
        .bind(moei_crypto::secret_digest(&secret))
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        self.audit(&mut tx, actor, "token.create", "user", &user.id, label)
            .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// The user an API token acts for, in one query (it runs on every API request).
    pub async fn principal_for_token(&self, token: &str) -> Result<Option<Principal>> {
        let row = sqlx::query(&format!(
            "{USER_SELECT} JOIN api_tokens t ON t.user_id = u.id \
             WHERE t.token_digest = $1 AND t.revoked_at IS NULL"
        ))
        .bind(moei_crypto::secret_digest(token))
        .fetch_optional(&self.pool)
        .await?;
        let user = row.as_ref().map(user_from_row).transpose()?;
        Ok(user.filter(|u| !u.disabled).map(|u| u.principal()))
    }

    /// Starts a session: returns (cookie secret, CSRF token).
    pub async fn create_session(&self, principal: &Principal) -> Result<(String, String)> {
        let secret = moei_crypto::new_secret();
        let csrf = moei_crypto::new_secret();
        let now = self.clock.now();
        let expires = now.saturating_add(SESSION_LIFETIME).unwrap_or(now);
        let _guard = self.write_guard().await;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(ts(now))
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_digest, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(moei_crypto::secret_digest(&secret))
        .bind(&principal.user_id)
        .bind(&csrf)
        .bind(ts(now))
        .bind(ts(expires))
        .execute(&self.pool)
        .await?;
        Ok((secret, csrf))
    }

    /// The principal and CSRF token of a live session.
    pub async fn session(&self, secret: &str) -> Result<Option<(Principal, String)>> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_digest = $1",
        )
        .bind(moei_crypto::secret_digest(secret))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        if parse_ts(&text(&row, "expires_at")?)? < self.clock.now() {
            return Ok(None);
        }
        let user = self.user_by("id", &text(&row, "user_id")?).await?;
        let csrf = text(&row, "csrf_token")?;
        Ok(user
            .filter(|(u, _)| !u.disabled)
            .map(|(u, _)| (u.principal(), csrf)))
    }

    pub async fn end_session(&self, secret: &str) -> Result<()> {
        let _guard = self.write_guard().await;
        sqlx::query("DELETE FROM sessions WHERE id_digest = $1")
            .bind(moei_crypto::secret_digest(secret))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn anonymous() -> Principal {
    Principal {
        user_id: String::new(),
        username: "anonymous".into(),
        role: Role::Analyst,
        agency: None,
        nationalities: Vec::new(),
    }
}
