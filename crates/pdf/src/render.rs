//! Compiling a template with its data and exporting the PDF, deterministically.

use chrono::{DateTime, Datelike as _, Timelike as _, Utc};
use serde::Serialize;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::{PdfError, world::DocumentWorld};

/// What one render needs: the template of the kind, the data it reads as `data.json`, the
/// images it places, and the document's identity (which fixes the PDF's date and id).
pub(crate) struct Job<'a, D: Serialize> {
    /// The kind's name, for errors (`invoice`).
    pub kind: &'static str,
    pub template: &'static str,
    pub data: &'a D,
    /// Further files by name (`signature.png`, `qr.svg`).
    pub files: Vec<(&'static str, Vec<u8>)>,
    /// A stable, unique name of this document version (kind and number): the PDF's `/ID`.
    pub ident: String,
    pub issued_at: DateTime<Utc>,
}

pub(crate) fn render<D: Serialize>(job: Job<'_, D>) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(job.data).map_err(|e| PdfError::Data(e.to_string()))?;
    let mut files = job.files;
    files.push(("/data.json", data));
    let world = DocumentWorld::new(job.template, files, job.issued_at.date_naive())
        .map_err(|e| template_error(job.kind, format!("{e:?}")))?;
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| template_error(job.kind, describe(&errors)))?;
    let options = PdfOptions {
        // Both fixed by the document itself: the bytes never depend on the day of rendering.
        ident: Smart::Custom(job.ident),
        timestamp: Some(Timestamp::new_utc(datetime(job.issued_at).ok_or_else(
            || PdfError::Data(format!("issue time {} out of range", job.issued_at)),
        )?)),
        creator: Smart::Custom(Some("Niaga".to_owned())),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export {
        template: job.kind,
        message: describe(&errors),
    })
}

fn template_error(template: &'static str, message: String) -> PdfError {
    PdfError::Template { template, message }
}

fn describe(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

fn datetime(at: DateTime<Utc>) -> Option<Datetime> {
    Datetime::from_ymd_hms(
        at.year(),
        u8::try_from(at.month()).ok()?,
        u8::try_from(at.day()).ok()?,
        u8::try_from(at.hour()).ok()?,
        u8::try_from(at.minute()).ok()?,
        u8::try_from(at.second()).ok()?,
    )
}
