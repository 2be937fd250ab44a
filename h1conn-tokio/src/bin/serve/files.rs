//! Serving files under `--root`: content types, percent-decoding, path resolution.

use std::path::{Path, PathBuf};

/// The content type of a file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" | "md" | "rs" | "toml" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` when an escape is malformed.
pub fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Maps a request path onto a file under `root` (canonical), or the status to answer.
///
/// The path is percent-decoded first, then split on `/`: a segment that starts with `.` (`..`,
/// dot-files) or holds `\` or NUL is refused, so neither `/../x` nor `/%2e%2e/x` nor `/..%2fx`
/// leaves `root`. The result is canonicalized and must still lie under `root` (no escape through a
/// symbolic link). A directory maps to its `index.html`.
pub fn resolve(root: &Path, raw: &[u8]) -> Result<PathBuf, u16> {
    let decoded = percent_decode(raw).ok_or(400u16)?;
    let decoded = String::from_utf8(decoded).map_err(|_| 400u16)?;
    let mut path = root.to_path_buf();
    for seg in decoded.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        if seg.starts_with('.') || seg.contains('\\') || seg.contains('\0') {
            return Err(403);
        }
        path.push(seg);
    }
    let real = path.canonicalize().map_err(|_| 404u16)?;
    if !real.starts_with(root) {
        return Err(403);
    }
    let real = if real.is_dir() {
        real.join("index.html")
    } else {
        real
    };
    if real.is_file() {
        Ok(real)
    } else {
        Err(404)
    }
}
