//! PDFs rendered in process with typst. A template (a file of ours, compiled into the
//! binary) reads its data from `/data.json`, which the world serves: text from users stays
//! data and is never parsed as markup. Fonts are typst's embedded ones; nothing is read from
//! the system or the network.

use std::sync::LazyLock;

use anyhow::{Context, anyhow};
use typst::{
    Library, LibraryExt, World,
    diag::{FileError, FileResult},
    foundations::{Bytes, Datetime, Duration},
    syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot},
    text::{Font, FontBook},
    utils::LazyHash,
};
use typst_layout::PagedDocument;

/// What every render shares: the standard library and the embedded fonts, loaded once.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// One render: the template and its data.
struct ReportWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
}

fn file_id(path: &str) -> anyhow::Result<FileId> {
    let path = VirtualPath::new(path).map_err(|e| anyhow!("{path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        let today = chrono::Utc::now().date_naive();
        use chrono::Datelike;
        Datetime::from_ymd(
            today.year(),
            u8::try_from(today.month()).ok()?,
            u8::try_from(today.day()).ok()?,
        )
    }
}

/// Renders `template` (typst markup) with `data` available as `json("/data.json")`; the
/// time it takes goes to the metrics under `kind`.
pub fn render(
    kind: &'static str,
    template: &str,
    data: &serde_json::Value,
) -> anyhow::Result<Vec<u8>> {
    let started = std::time::Instant::now();
    let pdf = compile(template, data);
    crate::metrics::report_rendered(kind, started.elapsed());
    pdf
}

fn compile(template: &str, data: &serde_json::Value) -> anyhow::Result<Vec<u8>> {
    let world = ReportWorld {
        main: Source::new(file_id("/main.typ")?, template.to_owned()),
        data_id: file_id("/data.json")?,
        data: Bytes::new(serde_json::to_vec(data).context("serialising report data")?),
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let document = compiled.map_err(|diagnostics| {
        let messages: Vec<String> = diagnostics.iter().map(|d| d.message.to_string()).collect();
        anyhow!(
            "typst could not compile the report: {}",
            messages.join("; ")
        )
    })?;
    let pdf =
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|diagnostics| {
            let messages: Vec<String> = diagnostics.iter().map(|d| d.message.to_string()).collect();
            anyhow!("typst could not write the PDF: {}", messages.join("; "))
        })?;
    // typst memoises across renders; keep a long-running server from growing.
    typst::comemo::evict(10);
    Ok(pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_renders_its_data_as_a_pdf() -> anyhow::Result<()> {
        let pdf = render(
            "test",
            "#let d = json(\"/data.json\")\n= Report for #d.name",
            &serde_json::json!({ "name": "Acme" }),
        )?;
        assert!(pdf.starts_with(b"%PDF-"));
        Ok(())
    }

    #[test]
    fn a_broken_template_is_an_error_not_a_panic() {
        let error = render("test", "#let x = ", &serde_json::json!({}));
        assert!(error.is_err());
    }
}
