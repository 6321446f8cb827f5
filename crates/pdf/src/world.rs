//! The Typst world a document is compiled in: the template and its data as in-memory files,
//! the fonts embedded in the binary, and a "today" that is the document's own day. Nothing
//! is read from the disk or the network, so a render depends on its input only.

use std::{collections::HashMap, sync::LazyLock};

use chrono::{Datelike as _, NaiveDate};
use typst::{
    Library, LibraryExt as _, World,
    diag::{FileError, FileResult},
    foundations::{Bytes, Datetime, Duration},
    syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot},
    text::{Font, FontBook},
    utils::LazyHash,
};

/// The standard library, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The embedded fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono), parsed once.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    let book = FontBook::from_fonts(&fonts);
    (LazyHash::new(book), fonts)
});

/// The shared definitions every template imports.
const COMMON: &str = include_str!("../templates/common.typ");

/// One compilation: `main.typ` (the document kind's template), `common.typ`, and the data
/// files (`data.json`, images).
pub(crate) struct DocumentWorld {
    main: Source,
    common: Source,
    files: HashMap<FileId, Bytes>,
    today: NaiveDate,
}

fn file_id(path: &str) -> FileResult<FileId> {
    let vpath = VirtualPath::new(path).map_err(|_| FileError::AccessDenied)?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl DocumentWorld {
    /// `template` as `main.typ`, with `files` (name → bytes) beside it; `today` answers
    /// `datetime.today()`.
    pub(crate) fn new(
        template: &str,
        files: Vec<(&str, Vec<u8>)>,
        today: NaiveDate,
    ) -> FileResult<Self> {
        let mut data = HashMap::new();
        for (name, bytes) in files {
            data.insert(file_id(name)?, Bytes::new(bytes));
        }
        Ok(Self {
            main: Source::new(file_id("/main.typ")?, template.to_owned()),
            common: Source::new(file_id("/common.typ")?, COMMON.to_owned()),
            files: data,
            today,
        })
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.common.id() {
            Ok(self.common.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() || id == self.common.id() {
            return Ok(Bytes::from_string(self.source(id)?.text().to_owned()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.today.year(),
            u8::try_from(self.today.month()).ok()?,
            u8::try_from(self.today.day()).ok()?,
        )
    }
}
