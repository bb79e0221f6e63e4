//! Every file paydesk reads goes through [`read_text`] (issue 11, kinds 4 and 8): request
//! JSON (`validate`, `create --from`, the desk's `--from`), the config file, lender
//! profiles, themes, the desk's draft and the emulator's key file.
//!
//! Why one place: `paydesk validate /dev/zero` once read until the kernel killed it, and a
//! JSON file saved by a Windows editor (byte-order mark) was "not JSON". Here every read
//! has a size cap, refuses what is not a regular file before reading a byte (a FIFO would
//! block, a device never ends), accepts a UTF-8 byte-order mark and CRLF line ends, and
//! names UTF-16 when it refuses it.
//!
//! Files paydesk writes with customer data (the draft, the history, CSV exports) are made
//! here too (kind 9): 0600, in a 0700 directory when paydesk creates the directory.

use std::io::Read;
use std::path::Path;

/// Largest file paydesk reads, in bytes (1 MiB): far above any request, config, profile
/// or theme, far below what could hurt.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// Why a file could not be read. The text says why in words, without the path (callers
/// name the file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("it does not exist")]
    NotFound,
    #[error("{0}")]
    Refused(String),
}

/// The text of the regular file at `path`: at most [`MAX_BYTES`], UTF-8 (a leading
/// byte-order mark is dropped), CRLF line ends turned into LF.
///
/// Errors: [`ReadError::NotFound`]; [`ReadError::Refused`] for a directory, a device, FIFO
/// or socket, a larger file, UTF-16 or other non-UTF-8 bytes, or an I/O error.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let file = open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Refused(e.to_string()),
    })?;
    let meta = file
        .metadata()
        .map_err(|e| ReadError::Refused(e.to_string()))?;
    if meta.is_dir() {
        return Err(ReadError::Refused(
            "it is a directory, not a file".to_string(),
        ));
    }
    if !meta.is_file() {
        return Err(ReadError::Refused(
            "it is not a regular file (a device, FIFO or socket); give a saved file".to_string(),
        ));
    }
    let too_large = || {
        ReadError::Refused(format!(
            "it is larger than {} MiB; paydesk reads files up to that size",
            MAX_BYTES / (1024 * 1024)
        ))
    };
    if meta.len() > MAX_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Refused(e.to_string()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large());
    }
    decode(bytes)
}

/// UTF-8 text from file bytes: BOM dropped, CRLF made LF, UTF-16 named when refused.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if looks_like_utf16(&bytes) {
        return Err(ReadError::Refused(
            "it is UTF-16 text; save it as UTF-8 (in most editors: Save As, encoding UTF-8)"
                .to_string(),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        ReadError::Refused(format!(
            "it is not UTF-8 text (byte {} is not UTF-8); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.replace("\r\n", "\n"))
}

/// A UTF-16 byte-order mark, or a NUL among the first two bytes (JSON and TOML never
/// start with NUL; UTF-16 text of ASCII characters always does, in one byte of each pair).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || (bytes.len() >= 2 && (bytes[0] == 0) != (bytes[1] == 0))
}

/// Opens without blocking on a FIFO: the type check happens on the open handle, before
/// any read.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Creates `dir` and its missing parents, each 0700 (owner only). A directory that
/// already exists keeps its mode: it may be the person's own (`--config` can put the
/// history anywhere), and changing that is not paydesk's call.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// A new file at `path` that only its owner can read (0600), for customer data. When the
/// file exists: refused with `AlreadyExists` unless `overwrite`, then truncated and made
/// 0600.
pub fn create_private(path: &Path, overwrite: bool) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        // An existing file keeps its old mode through `open`.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(result: Result<String, ReadError>) -> String {
        match result {
            Err(ReadError::Refused(why)) => why,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        assert_eq!(
            decode(b"\xEF\xBB\xBF{\"a\":1}\r\n".to_vec()),
            Ok("{\"a\":1}\n".to_string())
        );
    }

    #[test]
    fn utf16_is_named() {
        let le: Vec<u8> = "\u{feff}{}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(refused(decode(le)).contains("UTF-16"));
        let be_no_bom: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(refused(decode(be_no_bom)).contains("UTF-16"));
        assert!(refused(decode(vec![b'{', 0xC3])).contains("not UTF-8"));
    }

    #[cfg(unix)]
    #[test]
    fn devices_directories_and_large_files_are_refused_without_reading() {
        assert!(refused(read_text(Path::new("/dev/zero"))).contains("not a regular file"));
        let dir = tempfile::tempdir().unwrap();
        assert!(refused(read_text(dir.path())).contains("directory"));
        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; MAX_BYTES as usize + 1]).unwrap();
        assert!(refused(read_text(&big)).contains("larger than 1 MiB"));
        assert_eq!(
            read_text(&dir.path().join("none")),
            Err(ReadError::NotFound)
        );
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_in_0700_directories_and_not_overwritten_by_default() {
        use std::io::Write;
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data/paydesk");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.path().join("data")), 0o700);
        let file = dir.join("export.csv");
        create_private(&file, false)
            .unwrap()
            .write_all(b"a")
            .unwrap();
        assert_eq!(mode(&file), 0o600);
        let again = create_private(&file, false).map(|_| ());
        assert_eq!(again.unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        create_private(&file, true).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read(&file).unwrap(), b"");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("request.json");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        assert!(refused(read_text(&fifo)).contains("FIFO"));
    }
}
