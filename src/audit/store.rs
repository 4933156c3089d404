//! The durable store: one RON file per audit that never loses a confirmed change.
//!
//! Every change runs as a transaction under an exclusive lock on
//! `AUDIT.ron.lock`: re-read the record, apply the change, write a temp file
//! in the same folder, fsync it, rename it over the record, fsync the folder.
//! The previous good version is kept as `AUDIT.ron.bak`. A record that does
//! not parse is never written over.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::legacy::{self, LegacyRecord};
use super::model::{AuditRecord, FORMAT_VERSION};
use super::unique;
use crate::ronfile::{self, ParseError};

/// Why a record could not be read or written. Nothing on disk was changed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: cannot {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    #[error("{error}\n  the record was not changed{}", backup_hint(path_of(error), backup.as_deref()))]
    Parse {
        error: ParseError,
        backup: Option<PathBuf>,
    },
    #[error(
        "{}: written by a newer fieldaudit (record format {found}, this one reads up to {supported}); upgrade fieldaudit to open it",
        path.display()
    )]
    NewerFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{}: already exists; fieldaudit never overwrites a record (choose another name or remove it yourself)", path.display())]
    Exists { path: PathBuf },
    #[error("{}: no such audit record (create one with `fieldaudit new`)", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: cannot save the change ({step}): {source}\n  the record was not changed", record.display())]
    Save {
        record: PathBuf,
        step: String,
        source: io::Error,
    },
    #[error("cannot encode the record: {0}")]
    Encode(#[from] ron::Error),
}

fn path_of(error: &ParseError) -> &Path {
    &error.path
}

fn backup_hint(record: &Path, backup: Option<&Path>) -> String {
    match backup {
        Some(bak) => format!(
            "; fix it by hand, or go back to the previous good version {} (cp {} {})",
            bak.display(),
            bak.display(),
            record.display()
        ),
        None => "; fix it by hand (there is no .bak to go back to)".into(),
    }
}

fn io_err<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// `AUDIT.ron` → `AUDIT.ron.bak` (and `.lock`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The previous good version kept beside a record.
pub fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".bak")
}

/// The lock file beside a record.
pub fn lock_path(path: &Path) -> PathBuf {
    sibling(path, ".lock")
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Only the version, read before the rest so a newer layout gets a clear message.
#[derive(Deserialize)]
#[serde(rename = "AuditRecord")]
struct VersionProbe {
    format_version: u32,
}

/// Parse a record's bytes, read from `path`. Never panics, whatever the bytes;
/// a refusal names the place (`PATH:LINE:COLUMN`) and, as for any record that
/// does not parse, the `.bak` beside `path` to go back to.
pub fn parse_record(bytes: &[u8], path: &Path) -> Result<AuditRecord, StoreError> {
    let text = ronfile::text_from_bytes(bytes, path).map_err(|error| parse_error(error, path))?;
    parse(text, path)
}

fn parse_error(error: ParseError, path: &Path) -> StoreError {
    let bak = backup_path(path);
    StoreError::Parse {
        error,
        backup: bak.is_file().then_some(bak),
    }
}

/// Parse record text read from `path`: as [`parse_record`], for text.
pub fn parse(text: &str, path: &Path) -> Result<AuditRecord, StoreError> {
    let probe = ronfile::parse::<VersionProbe>(text, path);
    if let Ok(probe) = &probe
        && probe.format_version > FORMAT_VERSION
    {
        return Err(StoreError::NewerFormat {
            path: path.to_path_buf(),
            found: probe.format_version,
            supported: FORMAT_VERSION,
        });
    }
    let current = || unique::checking_ids(|| ronfile::parse::<AuditRecord>(text, path));
    let legacy = || {
        unique::checking_ids(|| ronfile::parse::<LegacyRecord>(text, path)).map(AuditRecord::from)
    };
    let parsed = match probe {
        Ok(probe) if probe.format_version <= legacy::LAST_FORMAT => legacy(),
        Ok(_) => current(),
        // No version to go by: the layout that reads further is the one the
        // record was written in, and its refusal is the one that helps.
        Err(_) => current().or_else(|now| {
            legacy().map_err(|then| {
                if (then.line, then.column) > (now.line, now.column) {
                    then
                } else {
                    now
                }
            })
        }),
    };
    let mut record = parsed.map_err(|error| parse_error(error, path))?;
    // Read in any earlier layout, it is the current one from now on.
    record.format_version = FORMAT_VERSION;
    record.fill_uids();
    Ok(record)
}

fn read(path: &Path) -> Result<(String, AuditRecord), StoreError> {
    let bytes = fs::read(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            StoreError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            io_err(path, "read the record")(source)
        }
    })?;
    let text = ronfile::string_from_bytes(bytes, path).map_err(|error| parse_error(error, path))?;
    let record = parse(&text, path)?;
    Ok((text, record))
}

/// Read a record (no lock needed: a record on disk is always a whole version).
pub fn load(path: &Path) -> Result<AuditRecord, StoreError> {
    read(path).map(|(_, record)| record)
}

/// Holds the exclusive lock on a record until dropped.
struct Lock {
    _file: File,
}

fn lock(path: &Path) -> Result<Lock, StoreError> {
    let lock_path = lock_path(path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io_err(&lock_path, "open the lock file"))?;
    // Waits while another fieldaudit writes the same record.
    file.lock().map_err(io_err(&lock_path, "lock the record"))?;
    Ok(Lock { _file: file })
}

const TEMP_INFIX: &str = ".fieldaudit-";
const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RANDOM: usize = 8;

/// Temp files for `a.ron` are `.a.ron.fieldaudit-XXXXXXXX.tmp`.
fn temp_prefix(target: &Path) -> String {
    format!(
        ".{}{TEMP_INFIX}",
        target.file_name().unwrap_or_default().to_string_lossy()
    )
}

fn is_temp_of(name: &str, target: &Path) -> bool {
    name.strip_prefix(&temp_prefix(target))
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|random| {
            random.len() == TEMP_RANDOM && random.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Remove temp files a killed writer of this record left behind. Only called
/// under the record's lock, so no live writer owns them.
fn remove_stale_temps(path: &Path) {
    let Ok(entries) = fs::read_dir(folder_of(path)) else {
        return;
    };
    let bak = backup_path(path);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_temp_of(&name, path) || is_temp_of(&name, &bak) {
            // Best effort: a leftover temp file is harmless.
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Write `bytes` to `target` atomically: temp file in the same folder, fsync,
/// rename. With `no_clobber`, fail instead of replacing an existing target.
fn write_atomic(target: &Path, bytes: &[u8], no_clobber: bool) -> Result<(), StoreError> {
    let folder = folder_of(target);
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM)
        .tempfile_in(folder)
        .map_err(io_err(folder, "create a temporary file in"))?;
    // Named after the file it becomes: the temp file's name means nothing
    // to the auditor, and it is gone once this fails.
    fill(temp.as_file_mut(), bytes).map_err(io_err(target, "write"))?;
    if no_clobber {
        temp.persist_noclobber(target).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                StoreError::Exists {
                    path: target.to_path_buf(),
                }
            } else {
                io_err(target, "create")(e.error)
            }
        })?;
    } else {
        temp.persist(target)
            .map_err(|e| io_err(target, "replace")(e.error))?;
    }
    Ok(())
}

/// Write `bytes` to a fresh temp file and flush them to the disk.
fn fill(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    #[cfg(test)]
    full_disk::Sink(file).write_all(bytes)?;
    #[cfg(not(test))]
    file.write_all(bytes)?;
    file.sync_all()
}

/// Tests run the real write path on a disk that fills up.
#[cfg(test)]
mod full_disk {
    use std::cell::Cell;
    use std::fs::File;
    use std::io::{self, Write};

    thread_local! {
        /// Bytes this thread may still write; `None`: the disk never fills.
        static ROOM: Cell<Option<usize>> = const { Cell::new(None) };
    }

    /// From now on this thread's saves find only `room` free bytes.
    pub fn leave_room(room: Option<usize>) {
        ROOM.set(room);
    }

    /// Writes to a file until the room is used up, then fails as a full
    /// disk does.
    pub struct Sink<'a>(pub &'a mut File);

    impl Write for Sink<'_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let Some(room) = ROOM.get() else {
                return self.0.write(buf);
            };
            if room == 0 && !buf.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "No space left on device",
                ));
            }
            let written = self.0.write(&buf[..buf.len().min(room)])?;
            ROOM.set(Some(room - written));
            Ok(written)
        }

        fn flush(&mut self) -> io::Result<()> {
            self.0.flush()
        }
    }
}

fn sync_folder(path: &Path) -> Result<(), StoreError> {
    let folder = folder_of(path);
    File::open(folder)
        .and_then(|f| f.sync_all())
        .map_err(io_err(folder, "sync the folder"))
}

/// Write a new record; refuses to replace an existing file.
pub fn create(path: &Path, record: &AuditRecord) -> Result<(), StoreError> {
    if path.exists() {
        return Err(StoreError::Exists {
            path: path.to_path_buf(),
        });
    }
    let text = ronfile::to_string(record)?;
    let _lock = lock(path)?;
    write_atomic(path, text.as_bytes(), true)?;
    sync_folder(path)
}

/// Replace the record at `path` with `record` durably (temp file, fsync,
/// rename, folder synced), without a lock or a `.bak`: for a file another
/// program owns and waits on, as git's merge driver writes its `%A`.
pub fn overwrite(path: &Path, record: &AuditRecord) -> Result<(), StoreError> {
    let text = ronfile::to_string(record)?;
    write_atomic(path, text.as_bytes(), false)?;
    sync_folder(path)
}

/// Apply `change` to the record at `path` as one durable transaction.
///
/// The record is re-read under the lock, so changes made meanwhile by other
/// processes are kept. If `change` fails nothing is written. If the record
/// comes out unchanged nothing is written either.
pub fn update<T, E>(
    path: &Path,
    change: impl FnOnce(&mut AuditRecord) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    let _lock = lock(path)?;
    remove_stale_temps(path);
    let (old_text, mut record) = read(path)?;
    let result = change(&mut record)?;
    // Whatever it was read as, it is written in this binary's layout.
    record.format_version = FORMAT_VERSION;
    let new_text = ronfile::to_string(&record).map_err(StoreError::from)?;
    if new_text != old_text {
        save(path, &old_text, &new_text)?;
    }
    Ok(result)
}

/// Keep `old_text` as the `.bak`, then replace the record with `new_text`.
fn save(path: &Path, old_text: &str, new_text: &str) -> Result<(), StoreError> {
    let bak = backup_path(path);
    let saving = |step: String| {
        move |error| match error {
            StoreError::Io { source, .. } => StoreError::Save {
                record: path.to_path_buf(),
                step,
                source,
            },
            other => other,
        }
    };
    write_atomic(&bak, old_text.as_bytes(), false).map_err(saving(format!(
        "keeping the previous version as {}",
        bak.display()
    )))?;
    write_atomic(path, new_text.as_bytes(), false)
        .map_err(saving("writing the new version".into()))?;
    sync_folder(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditType, Change, Criterion, Member, Meta, Role};

    fn record() -> AuditRecord {
        AuditRecord::new(
            Meta {
                team: vec![Member::new("Lee", Role::LeadAuditor)],
                ..Meta::new("Acme", AuditType::Stage2)
            },
            vec![Criterion::Builtin("iso42001-2023".into())],
            None,
            &Change::now("Lee"),
        )
    }

    #[test]
    fn create_then_update_keeps_backup_of_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        create(&path, &record()).unwrap();
        let first = fs::read_to_string(&path).unwrap();
        update(&path, |r| {
            r.meta.site = Some("Leeds".into());
            Ok::<_, StoreError>(())
        })
        .unwrap();
        assert_eq!(fs::read_to_string(backup_path(&path)).unwrap(), first);
        assert_eq!(load(&path).unwrap().meta.site.as_deref(), Some("Leeds"));
        // No temp files left behind.
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn stale_temp_files_of_this_record_only_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        create(&path, &record()).unwrap();
        let ours = [
            ".a.ron.fieldaudit-AbC123xy.tmp",
            ".a.ron.bak.fieldaudit-AbC123xy.tmp",
        ];
        let theirs = [
            ".a.ron.x.ron.fieldaudit-AbC123xy.tmp",
            ".a.ron.fieldaudit-short.tmp",
            "notes.tmp",
        ];
        for name in ours.iter().chain(&theirs) {
            fs::write(dir.path().join(name), "partial").unwrap();
        }
        update(&path, |r| {
            r.meta.site = Some("x".into());
            Ok::<_, StoreError>(())
        })
        .unwrap();
        for name in ours {
            assert!(!dir.path().join(name).exists(), "{name} left");
        }
        for name in theirs {
            assert!(dir.path().join(name).exists(), "{name} removed");
        }
    }

    #[test]
    fn create_refuses_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        fs::write(&path, "precious").unwrap();
        assert!(matches!(
            create(&path, &record()),
            Err(StoreError::Exists { .. })
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), "precious");
    }

    #[test]
    fn failed_change_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        create(&path, &record()).unwrap();
        let before = fs::read(&path).unwrap();
        let result: Result<(), StoreError> = update(&path, |r| {
            r.meta.client = "changed".into();
            Err(StoreError::NotFound { path: "x".into() })
        });
        assert!(result.is_err());
        assert_eq!(fs::read(&path).unwrap(), before);
        assert!(!backup_path(&path).exists());
    }

    #[test]
    fn unparsable_record_is_never_overwritten_and_bak_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        create(&path, &record()).unwrap();
        update(&path, |r| {
            r.meta.site = Some("x".into());
            Ok::<_, StoreError>(())
        })
        .unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let broken = &text[..text.len() / 2];
        fs::write(&path, broken).unwrap();
        let err = update(&path, |_| Ok::<_, StoreError>(())).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("{}:", path.display())),
            "{message}"
        );
        assert!(message.contains("a.ron.bak"), "{message}");
        assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    }

    /// Change a fresh record on a disk with room for `room(record size)`
    /// bytes: the folder, the record's path, its bytes before, the error.
    fn change_on_a_full_disk(
        room: impl Fn(usize) -> usize,
    ) -> (tempfile::TempDir, PathBuf, Vec<u8>, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        create(&path, &record()).unwrap();
        let before = fs::read(&path).unwrap();
        full_disk::leave_room(Some(room(before.len())));
        let result = update(&path, |r| {
            r.meta.site = Some("Leeds".into());
            Ok::<_, StoreError>(())
        });
        full_disk::leave_room(None);
        let message = result.unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("{}: cannot save the change", path.display())),
            "{message}"
        );
        (dir, path, before, message)
    }

    #[test]
    fn a_full_disk_names_the_record_and_keeps_it() {
        // Room for the .bak (a copy of the record), not for the new version.
        let (dir, path, before, message) = change_on_a_full_disk(|len| len + 10);
        assert!(message.contains("No space left on device"), "{message}");
        assert!(message.contains("the record was not changed"), "{message}");
        assert!(
            !message.contains(TEMP_INFIX) && !message.contains(".tmp:"),
            "names the temp file: {message}"
        );
        assert_eq!(fs::read(&path).unwrap(), before);
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(TEMP_SUFFIX))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_disk_full_before_the_backup_names_the_record_too() {
        let (_dir, path, before, message) = change_on_a_full_disk(|_| 3);
        assert!(message.contains("a.ron.bak"), "{message}");
        assert!(!message.contains(TEMP_INFIX), "{message}");
        assert_eq!(fs::read(&path).unwrap(), before);
        assert!(!backup_path(&path).exists());
    }

    #[test]
    fn newer_format_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        let text = ronfile::to_string(&record()).unwrap().replace(
            &format!("format_version: {FORMAT_VERSION},"),
            "format_version: 99,\n    shiny_new_field: true,",
        );
        fs::write(&path, &text).unwrap();
        let err = load(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::NewerFormat { found: 99, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("upgrade fieldaudit"));
    }
}
