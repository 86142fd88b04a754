//! Reading a zone from an uploaded image of a document, shared by the API
//! (`POST /api/v1/mrz/read`) and the person page. The caller must be allowed
//! to record documents (and to see the person, when one is named); every
//! read is audited with its outcome; the image is never stored.

use moei_mrz_image::{ImageError, ImageRead};
use moei_store::{Actor, Store, StoreError};

/// Largest accepted image: a phone photo saved as JPEG is well below this.
pub const MAX_MRZ_IMAGE_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug)]
pub enum ReadError {
    Store(StoreError),
    Image(ImageError),
}

impl From<StoreError> for ReadError {
    fn from(e: StoreError) -> Self {
        ReadError::Store(e)
    }
}

/// Checks the caller, reads the image off the async threads, audits.
pub async fn read_audited(
    store: &Store,
    actor: &Actor,
    person_id: Option<&str>,
    image: axum::body::Bytes,
) -> Result<ImageRead, ReadError> {
    store.authorize_mrz_image_read(actor, person_id).await?;
    let today = store.clock().today();
    let result = tokio::task::spawn_blocking(move || moei_mrz_image::read_image(&image, today))
        .await
        .unwrap_or(Err(ImageError::Decode("the reader stopped".into())));
    let outcome = match &result {
        Ok(read) => match read.report.format() {
            Some(f) if read.report.is_valid() => format!("{f} valid"),
            Some(f) => format!("{f} invalid"),
            None => "no zone found".into(),
        },
        Err(ImageError::TooLarge { .. }) => "image too large".into(),
        Err(_) => "image not decodable".into(),
    };
    store
        .audit_mrz_image_read(actor, person_id, &outcome)
        .await?;
    result.map_err(ReadError::Image)
}
