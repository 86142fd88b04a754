//! Configuration, in order of precedence: command-line flags, environment (`MOEI_*`), the
//! configuration file (`moei.toml` in the working directory, or `--config`), defaults.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

pub const DEFAULT_DATABASE: &str = "./moei-data/moei.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database: Option<String>,
    pub listen: Option<String>,
    /// Registration-post code: the prefix of registration numbers (2 to 4 letters).
    pub site: Option<String>,
    /// Mark session cookies Secure (set when Moei is served over HTTPS).
    pub secure_cookies: Option<bool>,
    /// The key file for encrypted screening fields (default: `keys/screening.key` beside a
    /// SQLite database, `./moei-data/keys/screening.key` for PostgreSQL). Keep it out of
    /// database backups.
    pub key_file: Option<String>,
}

impl FileConfig {
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<FileConfig> {
        let path: PathBuf = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let default = PathBuf::from("moei.toml");
                if !default.exists() {
                    return Ok(FileConfig::default());
                }
                default
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("in {}", path.display()))
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database: String,
    pub site: String,
    pub secure_cookies: bool,
    pub key_file: PathBuf,
}
