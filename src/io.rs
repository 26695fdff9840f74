//! Small file-system helpers shared by the commands.
//!
//! In: paths and bytes. Out: files written atomically, directory walks in a
//! stable order.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` through a temporary file in the same directory and
/// a rename, so readers see the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

/// A file that appears at its path only when [`AtomicFile::commit`] is called;
/// dropped without commit, it leaves the previous file untouched.
///
/// A [`tempfile::NamedTempFile`] in the target's directory, persisted (renamed)
/// onto the target: tempfile picks an unused name and removes the file when
/// it is dropped, also on a panic.
pub struct AtomicFile {
    path: PathBuf,
    file: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let cannot = |e: std::io::Error| {
            std::io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
        };
        let prefix = format!(".{name}.");
        let mut b = tempfile::Builder::new();
        b.prefix(&prefix).suffix(".tmp");
        // The mode `File::create` gives (0o666 less the umask), not
        // tempfile's private 0o600: the file is an output meant to be read.
        #[cfg(unix)]
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let file = b.tempfile_in(dir).map_err(cannot)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            file: std::io::BufWriter::with_capacity(1 << 16, file),
        })
    }

    /// Flush, sync and move the file into place.
    pub fn commit(self) -> std::io::Result<()> {
        let f = self.file.into_inner().map_err(|e| e.into_error())?;
        f.as_file().sync_all()?;
        f.persist(&self.path).map(drop).map_err(|e| {
            std::io::Error::new(
                e.error.kind(),
                format!("cannot write {}: {}", self.path.display(), e.error),
            )
        })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Regular files under `dir`, recursively, sorted by path; hidden entries
/// (starting with `.`, so also `.git` and the other VCS folders) are
/// skipped, symbolic links followed (a link that leads nowhere is listed, as
/// a file that will fail to open).
///
/// [`walkdir`]: a loop of links is an error instead of a walk without end.
pub fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for e in walker {
        match e {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => out.push(e.into_path()),
            Err(e) if e.depth() > 0 && is_dangling_link(e.path()) => {
                out.push(e.path().expect("checked").to_path_buf())
            }
            // The I/O error itself (its message as `read_dir` gives it), or
            // walkdir's for a loop of links.
            Err(e) if e.io_error().is_some() => {
                return Err(e.into_io_error().expect("checked"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    out.sort();
    Ok(out)
}

fn is_dangling_link(path: Option<&Path>) -> bool {
    path.is_some_and(|p| p.is_symlink() && !p.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_file_leaves_old_content() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("m.json");
        write_atomic(&p, b"old").unwrap();
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"new, half written").unwrap();
        }
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn walk_is_sorted_and_skips_hidden() {
        let d = tempfile::tempdir().unwrap();
        for f in [
            "b/z.txt",
            "a.txt",
            "b/a.txt",
            ".git/x.txt",
            "c/.h.txt",
            "a/y.txt",
        ] {
            let p = d.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let got: Vec<_> = walk(d.path())
            .unwrap()
            .into_iter()
            .map(|p| p.strip_prefix(d.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(got, ["a/y.txt", "a.txt", "b/a.txt", "b/z.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn walk_lists_a_dangling_link_and_keeps_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(d.path().join("gone"), d.path().join("l.txt")).unwrap();
        assert_eq!(walk(d.path()).unwrap(), [d.path().join("l.txt")]);
        let p = d.path().join("out.json");
        write_atomic(&p, b"x").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_ne!(
            mode & 0o044,
            0,
            "readable by others as File::create makes it"
        );
    }
}
