//! Niaga's document store: the files a record points at (a signed delivery order's signature
//! image now, rendered PDFs later), kept for the statutory seven years.
//!
//! Each object is **content-addressed**: its key in the object store is its SHA-256
//! (`sha256/ab/abcdef…`), so a stored object cannot be changed without its key no longer
//! matching, and the same bytes stored twice are one object. A metadata row per stored
//! document version (the `documents` table) says what it is, its media type, size, digest,
//! when it was stored, until when it must be kept (`retention_until`) and whether a legal
//! hold keeps it beyond that. Deleting earlier, or under a hold, is refused
//! ([`DocumentError::Retained`], [`DocumentError::LegalHold`]).
//!
//! The objects live in a local folder by default ([`DocumentStore::local`]) and in an
//! S3-compatible bucket in production ([`DocumentStore::s3`]); only configuration differs.

mod error;
mod key;
mod metadata;
mod retention;

use std::{path::Path, sync::Arc};

use chrono::{DateTime, NaiveDate, Utc};
use niaga_store::Database;
use object_store::{
    ObjectStore, ObjectStoreExt as _, PutMode, PutOptions, PutPayload,
    aws::{AmazonS3, AmazonS3Builder},
    local::LocalFileSystem,
};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

pub use error::DocumentError;
pub use key::DocumentKey;
pub use metadata::StoredDocument;
pub use retention::retention_until;

/// What to store: the bytes and what they are.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// What kind of document, e.g. [`SIGNATURE_IMAGE`]. Stable: stored in the metadata.
    pub kind: &'static str,
    /// The id of the record it belongs to (a delivery order's id).
    pub document_id: String,
    /// The version of that record the document goes with.
    pub version: u64,
    pub media_type: &'static str,
    /// The business day the document was issued: its retention runs from the end of that year.
    pub issued_on: NaiveDate,
    pub bytes: Vec<u8>,
}

/// The kind of a customer's signature drawn on the public page (PNG).
pub const SIGNATURE_IMAGE: &str = "delivery_order_signature";

/// The S3-compatible bucket of the production store.
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    pub bucket: String,
    /// An endpoint other than AWS's (MinIO, Ceph, a local stand-in); AWS when `None`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Plain HTTP to the endpoint: for a stand-in on the same host only.
    pub allow_http: bool,
}

/// The metadata table on the database plus the objects in their store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct DocumentStore {
    db: Database,
    objects: Arc<dyn ObjectStore>,
}

/// The outcome of re-hashing every stored object: how many were checked, and each one whose
/// bytes no longer match its metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    pub checked: u64,
    pub broken: Vec<BrokenDocument>,
}

/// A stored document whose object is missing or does not hash to its recorded digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenDocument {
    pub key: DocumentKey,
    pub kind: String,
    pub document_id: String,
    pub version: u64,
    pub problem: String,
}

impl std::fmt::Display for BrokenDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "document {} ({} {} version {}): {}",
            self.key, self.kind, self.document_id, self.version, self.problem
        )
    }
}

impl DocumentStore {
    /// Objects under `dir` (created if missing), metadata in `db`.
    pub fn local(db: Database, dir: &Path) -> Result<Self, DocumentError> {
        std::fs::create_dir_all(dir)?;
        let objects = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self::new(db, Arc::new(objects)))
    }

    /// Objects in an S3-compatible bucket; credentials from the usual `AWS_*` environment.
    pub fn s3(db: Database, settings: &S3Settings) -> Result<Self, DocumentError> {
        Ok(Self::new(db, Arc::new(s3_bucket(settings)?)))
    }

    /// Objects in memory, gone when the process ends: for tests.
    pub fn in_memory(db: Database) -> Self {
        Self::new(db, Arc::new(object_store::memory::InMemory::new()))
    }

    pub fn new(db: Database, objects: Arc<dyn ObjectStore>) -> Self {
        Self { db, objects }
    }

    /// Stores `document`: its object (unless the same bytes are there already) and a new
    /// metadata row. Returns the row.
    pub async fn put(
        &self,
        document: NewDocument,
        now: DateTime<Utc>,
    ) -> Result<StoredDocument, DocumentError> {
        let stored = self
            .put_object(document, DocumentKey::from_uuid(Uuid::now_v7()), now)
            .await?;
        metadata::insert(&self.db, &stored).await?;
        Ok(stored)
    }

    /// Stores `document` under `key`, a key the caller derives from what the document is
    /// (a PDF's kind, record and version), at most once: when `key` is stored already its
    /// row is returned and nothing is written, so a retried or concurrent issue of the same
    /// document leaves one row, the first one's.
    pub async fn put_once(
        &self,
        key: DocumentKey,
        document: NewDocument,
        now: DateTime<Utc>,
    ) -> Result<StoredDocument, DocumentError> {
        if let Some(found) = metadata::find(&self.db, key).await? {
            return Ok(found);
        }
        let stored = self.put_object(document, key, now).await?;
        metadata::insert_once(&self.db, &stored).await?;
        // The row that won, ours or a concurrent writer's.
        self.find(key).await
    }

    /// Writes the object of `document` and returns the row that describes it under `key`.
    async fn put_object(
        &self,
        document: NewDocument,
        key: DocumentKey,
        now: DateTime<Utc>,
    ) -> Result<StoredDocument, DocumentError> {
        let sha256 = hex::encode(Sha256::digest(&document.bytes));
        let path = key::object_path(&sha256);
        let size = document.bytes.len() as u64;
        // Create, not overwrite: an object already there has these very bytes (its key is
        // their digest), and a stored object is never rewritten.
        let put = self
            .objects
            .put_opts(
                &path,
                PutPayload::from(document.bytes),
                PutOptions {
                    mode: PutMode::Create,
                    ..PutOptions::default()
                },
            )
            .await;
        match put {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => {}
            Err(error) => return Err(error.into()),
        }
        Ok(StoredDocument {
            key,
            kind: document.kind.to_owned(),
            document_id: document.document_id,
            version: document.version,
            media_type: document.media_type.to_owned(),
            size_bytes: size,
            sha256,
            stored_at: now,
            retention_until: retention_until(document.issued_on),
            legal_hold: false,
        })
    }

    /// The metadata of one stored document.
    pub async fn find(&self, key: DocumentKey) -> Result<StoredDocument, DocumentError> {
        metadata::find(&self.db, key)
            .await?
            .ok_or(DocumentError::NotFound(key))
    }

    /// The documents stored for a record, oldest first.
    pub async fn for_document(
        &self,
        kind: &str,
        document_id: &str,
    ) -> Result<Vec<StoredDocument>, DocumentError> {
        metadata::for_document(&self.db, kind, document_id).await
    }

    /// Every stored document of a kind, in key order (for checks across the whole store).
    pub async fn of_kind(&self, kind: &str) -> Result<Vec<StoredDocument>, DocumentError> {
        metadata::of_kind(&self.db, kind).await
    }

    /// The metadata and the bytes, checked against the recorded digest on the way out: a
    /// tampered object is an error, never served as the document.
    pub async fn get(&self, key: DocumentKey) -> Result<(StoredDocument, Vec<u8>), DocumentError> {
        let stored = self.find(key).await?;
        let bytes = self.read_object(&stored.sha256).await?;
        let actual = hex::encode(Sha256::digest(&bytes));
        if actual != stored.sha256 {
            return Err(DocumentError::Tampered { key, actual });
        }
        Ok((stored, bytes))
    }

    /// Puts a legal hold on a document (or lifts it): held, it cannot be deleted even after
    /// its retention date.
    pub async fn set_legal_hold(&self, key: DocumentKey, hold: bool) -> Result<(), DocumentError> {
        if metadata::set_legal_hold(&self.db, key, hold).await? {
            Ok(())
        } else {
            Err(DocumentError::NotFound(key))
        }
    }

    /// Deletes a document whose retention is over and that no legal hold keeps: its row,
    /// and its object unless another row has the same bytes. `today` is the business day.
    pub async fn delete(&self, key: DocumentKey, today: NaiveDate) -> Result<(), DocumentError> {
        let stored = self.find(key).await?;
        if stored.legal_hold {
            return Err(DocumentError::LegalHold(key));
        }
        if today <= stored.retention_until {
            return Err(DocumentError::Retained {
                key,
                until: stored.retention_until,
            });
        }
        // The row goes first: a crash between the two leaves an object nobody points at,
        // never a row pointing at nothing.
        if !metadata::delete(&self.db, key).await? {
            // A hold put on since the check above.
            return Err(DocumentError::LegalHold(key));
        }
        if metadata::count_with_sha256(&self.db, &stored.sha256).await? == 0 {
            match self.objects.delete(&key::object_path(&stored.sha256)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(())
    }

    /// Re-hashes every stored object against its metadata (digest and size). A missing or
    /// altered object is reported, not an error; only a failure to read the metadata or to
    /// reach the object store is.
    pub async fn verify_all(&self) -> Result<Verification, DocumentError> {
        let mut verification = Verification::default();
        let mut after: Option<DocumentKey> = None;
        loop {
            let page = metadata::page(&self.db, after, 200).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.key);
            for stored in page {
                verification.checked += 1;
                let problem = match self.read_object(&stored.sha256).await {
                    Err(DocumentError::Objects(object_store::Error::NotFound { .. })) => {
                        Some("the object is missing".to_owned())
                    }
                    Err(error) => return Err(error),
                    Ok(bytes) => {
                        let actual = hex::encode(Sha256::digest(&bytes));
                        if actual != stored.sha256 {
                            Some(format!(
                                "the object hashes to {actual}, not the recorded {}",
                                stored.sha256
                            ))
                        } else if bytes.len() as u64 != stored.size_bytes {
                            Some(format!(
                                "the object has {} bytes, not the recorded {}",
                                bytes.len(),
                                stored.size_bytes
                            ))
                        } else {
                            None
                        }
                    }
                };
                if let Some(problem) = problem {
                    verification.broken.push(BrokenDocument {
                        key: stored.key,
                        kind: stored.kind,
                        document_id: stored.document_id,
                        version: stored.version,
                        problem,
                    });
                }
            }
        }
        Ok(verification)
    }

    async fn read_object(&self, sha256: &str) -> Result<Vec<u8>, DocumentError> {
        let object = self.objects.get(&key::object_path(sha256)).await?;
        Ok(object.bytes().await?.to_vec())
    }

    /// Where the object of a digest lives in the store, relative to its root (for tests and
    /// operators: `sha256/ab/abcdef…`).
    pub fn object_location(sha256: &str) -> String {
        key::object_path(sha256).to_string()
    }
}

/// A client of the bucket `settings` name.
fn s3_bucket(settings: &S3Settings) -> Result<AmazonS3, DocumentError> {
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(&settings.bucket)
        .with_allow_http(settings.allow_http);
    if let Some(endpoint) = &settings.endpoint {
        // Stand-ins and most self-hosted stores address buckets by path.
        builder = builder
            .with_endpoint(endpoint)
            .with_virtual_hosted_style_request(false);
    }
    if let Some(region) = &settings.region {
        builder = builder.with_region(region);
    }
    Ok(builder.build()?)
}

#[cfg(test)]
mod tests;
