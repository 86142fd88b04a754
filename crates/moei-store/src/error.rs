use moei_domain::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Absent, or outside what the actor may see: the two are indistinguishable on purpose.
    #[error("not found")]
    NotFound,
    #[error("not allowed for this role")]
    Forbidden,
    #[error("invalid input: {0}")]
    Invalid(#[from] ValidationErrors),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The non-punishment safeguard refused a punitive action; the text says why.
    #[error("non-punishment safeguard: {0}")]
    Safeguard(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Unsupported(String),
}

impl StoreError {
    pub fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }
}

impl From<moei_domain::FieldError> for StoreError {
    fn from(e: moei_domain::FieldError) -> Self {
        StoreError::Invalid(ValidationErrors::from(e))
    }
}
