//! What a file is, from its first bytes and structure: never from its name or the type the
//! browser declared, which anyone can set.

/// A type we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// GIF image.
    Gif,
    /// WebP image.
    Webp,
    /// Word document (Office Open XML).
    Docx,
    /// Excel workbook (Office Open XML).
    Xlsx,
    /// PowerPoint presentation (Office Open XML).
    Pptx,
    /// Comma-separated values.
    Csv,
    /// Plain UTF-8 text.
    Text,
    /// An SVG image (recognised so that it can be refused by name).
    Svg,
}

impl FileType {
    /// The content type to store and serve it with.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::Csv => "text/csv",
            Self::Text => "text/plain",
            Self::Svg => "image/svg+xml",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Webp => "webp",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
            Self::Pptx => "pptx",
            Self::Csv => "csv",
            Self::Text => "txt",
            Self::Svg => "svg",
        }
    }
}

/// The type of `bytes`, if it is one we know.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(PNG) {
        Some(FileType::Png)
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(FileType::Gif)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(FileType::Webp)
    } else if bytes.starts_with(b"PK\x03\x04") {
        office_document(bytes)
    } else {
        text(bytes)
    }
}

/// An Office Open XML file is a ZIP archive with `[Content_Types].xml` and a main part under
/// `word/`, `xl/` or `ppt/`; any other ZIP is not one of ours. Entry names are stored
/// uncompressed in the archive's headers.
fn office_document(bytes: &[u8]) -> Option<FileType> {
    let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    if !has(b"[Content_Types].xml") {
        return None;
    }
    if has(b"word/document.xml") {
        Some(FileType::Docx)
    } else if has(b"xl/workbook.xml") {
        Some(FileType::Xlsx)
    } else if has(b"ppt/presentation.xml") {
        Some(FileType::Pptx)
    } else {
        None
    }
}

/// UTF-8 text without NUL or other control characters (tabs and line ends aside): CSV when
/// its first lines have the same number of commas (at least one), SVG when it is an `<svg>`
/// document, plain text otherwise.
fn text(bytes: &[u8]) -> Option<FileType> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.is_empty()
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    {
        return None;
    }
    let head = text
        .trim_start()
        .get(..text.trim_start().len().min(512))
        .unwrap_or_default();
    let lower = head.to_ascii_lowercase();
    if lower.starts_with("<svg") || (lower.starts_with("<?xml") && lower.contains("<svg")) {
        return Some(FileType::Svg);
    }
    let commas: Vec<usize> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(20)
        .map(|line| line.matches(',').count())
        .collect();
    let csv = commas.len() >= 2 && commas[0] > 0 && commas.iter().all(|&n| n == commas[0]);
    Some(if csv { FileType::Csv } else { FileType::Text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        for name in names {
            bytes.extend_from_slice(b"\0\0\0\0");
            bytes.extend_from_slice(name.as_bytes());
        }
        bytes
    }

    #[test]
    fn types_are_told_by_their_bytes() {
        let cases: Vec<(Vec<u8>, Option<FileType>)> = vec![
            (b"%PDF-1.7\n...".to_vec(), Some(FileType::Pdf)),
            (b"\x89PNG\r\n\x1a\n\0\0".to_vec(), Some(FileType::Png)),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF".to_vec(), Some(FileType::Jpeg)),
            (b"GIF89a\x01\0".to_vec(), Some(FileType::Gif)),
            (b"RIFF\x24\0\0\0WEBPVP8 ".to_vec(), Some(FileType::Webp)),
            (
                zip_with(&["[Content_Types].xml", "word/document.xml"]),
                Some(FileType::Docx),
            ),
            (
                zip_with(&["[Content_Types].xml", "xl/workbook.xml"]),
                Some(FileType::Xlsx),
            ),
            (
                zip_with(&["[Content_Types].xml", "ppt/presentation.xml"]),
                Some(FileType::Pptx),
            ),
            (zip_with(&["evil.exe"]), None),
            (
                b"name,email\nAnn,ann@x.example\nBob,bob@x.example\n".to_vec(),
                Some(FileType::Csv),
            ),
            (
                b"Meeting notes:\n- hire two, maybe three\n".to_vec(),
                Some(FileType::Text),
            ),
            ("Café, crème\n".as_bytes().to_vec(), Some(FileType::Text)),
            (
                b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
                Some(FileType::Svg),
            ),
            (b"MZ\x90\0\x03\0\0\0".to_vec(), None),
            (b"\x7fELF\x02\x01".to_vec(), None),
            (b"text with a \0 NUL".to_vec(), None),
            (Vec::new(), None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(
                sniff(&bytes),
                expected,
                "{:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }
}
