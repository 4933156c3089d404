//! Team audits over git: `team init` makes a git repository for an audit
//! record, `team join` clones one, `team configure` sets up fieldaudit's
//! merge driver in a clone (git never clones `.git/config`, so every clone
//! needs it once). Also the per-user name (`FIELDAUDIT_AS`) and the warning
//! given when a record lies in a clone whose merge driver is missing.
//!
//! The driver is configured as the absolute path of the fieldaudit binary
//! that configures it (`std::env::current_exe`), not `fieldaudit` looked up
//! on PATH: git runs drivers through `sh` with its own environment, and a
//! git GUI or an editor's git often has a PATH without `~/.cargo/bin` or a
//! downloaded binary's folder. If the binary moves, `fieldaudit team
//! configure` points the clone at the new one.

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use fieldaudit::audit::{self, AuditRecord, store};
use fieldaudit::evidence::collected;
use fieldaudit::text::Shown;

use super::out::{errln, outln};

/// The attribute line that routes audit records through the driver.
const ATTRIBUTE: &str = "merge=fieldaudit";
/// The git config key that names the driver's command.
const DRIVER_KEY: &str = "merge.fieldaudit.driver";
/// The environment variable that names the auditor when `--as` is not given.
pub const AUTHOR_VAR: &str = "FIELDAUDIT_AS";

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Make DIR (new or empty) a git repository holding the record and its
    /// collected files, with the merge driver configured, and commit it
    Init {
        /// The folder for the team's repository (created if missing)
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The record to share (copied in, with its collected files)
        #[arg(value_name = "AUDIT.ron")]
        record: PathBuf,
    },
    /// Clone the team's repository (a path or URL) into DIR and configure the
    /// merge driver in the clone
    Join {
        /// The team's repository: a path (a bare repository on a USB stick
        /// or a shared folder) or a URL
        #[arg(value_name = "REMOTE")]
        remote: PathBuf,
        /// The folder for your clone (new or empty)
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Configure the merge driver in an existing clone (what join does after
    /// cloning; also after moving the fieldaudit binary)
    Configure {
        /// A folder inside the clone
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
}

/// Run a `team` command.
pub fn run(command: TeamCommand, author: Option<&str>) -> Result<ExitCode> {
    match command {
        TeamCommand::Init { dir, record } => init(&dir, &record, author),
        TeamCommand::Join { remote, dir } => join(&remote, &dir),
        TeamCommand::Configure { dir } => {
            let root = work_tree(&dir)?;
            let driver = configure(&root)?;
            outln!(
                "configured the fieldaudit merge driver in {}: {}",
                Shown(root.display()),
                Shown(&driver)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The name in `FIELDAUDIT_AS`, if set; refused when it is not UTF-8.
pub fn author_from_env() -> Result<Option<String>> {
    match std::env::var(AUTHOR_VAR) {
        Ok(name) => Ok(Some(name)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => bail!(
            "{AUTHOR_VAR} is not valid UTF-8: set it to your name as the record should show it, or unset it"
        ),
    }
}

/// Who a change is recorded as, when given: `--as`, else `FIELDAUDIT_AS`
/// (a blank one counts as not given); then the record's lead auditor and the
/// login name follow ([`audit::author`]).
pub fn given_author<'a>(flag: Option<&'a str>, env: Option<&'a str>) -> Option<&'a str> {
    let named = |s: &&str| !s.trim().is_empty();
    flag.filter(named).or(env.filter(named))
}

/// `git`, with the output captured; a missing git is said plainly.
fn git(args: &[&OsStr], what: &str) -> Result<Output> {
    Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => anyhow::anyhow!(
                "cannot {what}: git is not installed (or not on PATH); install git and run this again"
            ),
            _ => anyhow::Error::new(e).context(format!("cannot {what}: git did not start")),
        })
}

/// Run git; refuse with what git said when it fails.
fn git_ok(args: &[&OsStr], what: &str) -> Result<String> {
    let out = git(args, what)?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        bail!("cannot {what}: git says: {}", Shown(said.trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The command git runs to merge a record: this binary, by absolute path,
/// quoted for `sh`.
fn driver_command() -> Result<String> {
    let exe = std::env::current_exe().context("cannot find the fieldaudit binary's path")?;
    let exe = exe.to_str().with_context(|| {
        format!(
            "{}: the fieldaudit binary's path is not valid UTF-8; configure the driver by hand: git config {DRIVER_KEY} \"fieldaudit merge-driver %O %A %B\"",
            Shown(exe.display())
        )
    })?;
    Ok(format!("{} merge-driver %O %A %B", shell_words::quote(exe)))
}

/// Configure the merge driver in the repository of work tree `root`; the
/// driver command set.
fn configure(root: &Path) -> Result<String> {
    let driver = driver_command()?;
    let what = "configure the merge driver";
    let c = root.as_os_str();
    git_ok(
        &[
            "-C".as_ref(),
            c,
            "config".as_ref(),
            "merge.fieldaudit.name".as_ref(),
            "fieldaudit audit record merge".as_ref(),
        ],
        what,
    )?;
    git_ok(
        &[
            "-C".as_ref(),
            c,
            "config".as_ref(),
            DRIVER_KEY.as_ref(),
            driver.as_ref(),
        ],
        what,
    )?;
    Ok(driver)
}

/// The top of the git work tree `dir` lies in.
fn work_tree(dir: &Path) -> Result<PathBuf> {
    let top = git_ok(
        &[
            "-C".as_ref(),
            dir.as_os_str(),
            "rev-parse".as_ref(),
            "--show-toplevel".as_ref(),
        ],
        &format!("find the git repository of {}", Shown(dir.display())),
    )?;
    Ok(PathBuf::from(top))
}

/// Refuse a `dir` that exists and is not an empty folder.
fn ensure_new_or_empty(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let empty = dir.is_dir()
        && fs::read_dir(dir)
            .with_context(|| format!("{}: cannot read the folder", Shown(dir.display())))?
            .next()
            .is_none();
    if !empty {
        bail!(
            "{}: exists and is not an empty folder; give a new folder for the team's repository",
            Shown(dir.display())
        );
    }
    Ok(())
}

/// A name git accepts in an identity: no `<`, `>` or control characters.
fn ident_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && *c != '<' && *c != '>')
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "fieldaudit".into()
    } else {
        clean.to_string()
    }
}

/// A git config value set for the repository (or the user), if any.
fn git_config(root: &Path, key: &str) -> Option<String> {
    let out = git(
        &[
            "-C".as_ref(),
            root.as_os_str(),
            "config".as_ref(),
            "--get".as_ref(),
            key.as_ref(),
        ],
        "read git's configuration",
    )
    .ok()?;
    let value = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !value.is_empty()).then_some(value)
}

/// Copy the collected files (`AUDIT.evidence/`, flat, named by SHA-256) into
/// `to`; anything there that is not a plain file is left out, and said.
fn copy_collected(from: &Path, to: &Path) -> Result<usize> {
    fs::create_dir(to).with_context(|| format!("{}: cannot create it", Shown(to.display())))?;
    let mut copied = 0;
    let entries =
        fs::read_dir(from).with_context(|| format!("{}: cannot read it", Shown(from.display())))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("{}: cannot read it", Shown(from.display())))?;
        let path = entry.path();
        let name = entry.file_name();
        let plain = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        let temp = name.to_string_lossy().ends_with(".tmp");
        if !plain || temp {
            errln!(
                "left out {}: not a collected file (a plain file named by its SHA-256)",
                Shown(path.display())
            );
            continue;
        }
        fs::copy(&path, to.join(&name))
            .with_context(|| format!("{}: cannot copy it", Shown(path.display())))?;
        copied += 1;
    }
    Ok(copied)
}

/// `team init DIR AUDIT.ron`.
fn init(dir: &Path, record_path: &Path, author: Option<&str>) -> Result<ExitCode> {
    let record = store::load(record_path)?;
    if record_path.extension().is_none_or(|x| x != "ron") {
        bail!(
            "{}: the team's repository merges records named *.ron (its .gitattributes line); rename the record to end in .ron and run this again",
            Shown(record_path.display())
        );
    }
    ensure_new_or_empty(dir)?;
    let existed = dir.exists();
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the folder", Shown(dir.display())))?;
    let root = dir
        .canonicalize()
        .with_context(|| format!("{}: cannot open the folder", Shown(dir.display())))?;
    match share(&root, record_path, &record, author) {
        Ok(code) => Ok(code),
        Err(e) => {
            // DIR was new or empty: everything in it now is ours to take back.
            let undone = if existed {
                fs::read_dir(&root).and_then(|entries| {
                    entries.into_iter().try_for_each(|entry| {
                        let path = entry?.path();
                        if path.is_dir() && !path.is_symlink() {
                            fs::remove_dir_all(path)
                        } else {
                            fs::remove_file(path)
                        }
                    })
                })
            } else {
                fs::remove_dir_all(&root)
            };
            match undone {
                Ok(()) => Err(e.context(format!("{} left as it was", Shown(dir.display())))),
                Err(_) => Err(e.context(format!(
                    "{} is half made: remove it before trying again",
                    Shown(dir.display())
                ))),
            }
        }
    }
}

/// Fill the new or empty folder `root` with the team's repository for
/// `record` (read from `record_path`), and commit it.
fn share(
    root: &Path,
    record_path: &Path,
    record: &AuditRecord,
    author: Option<&str>,
) -> Result<ExitCode> {
    let name = record_path
        .file_name()
        .with_context(|| format!("{}: not a record file", Shown(record_path.display())))?;
    let r = root.as_os_str();
    git_ok(
        &[
            "init".as_ref(),
            "-q".as_ref(),
            "-b".as_ref(),
            "main".as_ref(),
            r,
        ],
        "make the git repository",
    )?;
    let copy = root.join(name);
    store::create(&copy, record)?;
    let mut shared: Vec<PathBuf> = vec![name.into()];
    let collected_from = collected::folder_for(record_path);
    if collected_from.is_dir() {
        let collected_to = collected::folder_for(&copy);
        let n = copy_collected(&collected_from, &collected_to)?;
        if n > 0 {
            shared.push(collected::folder_for(Path::new(name)));
        }
    }
    let attributes = format!(
        "# Audit records merge through fieldaudit (git config merge.fieldaudit.driver)\n*.ron {ATTRIBUTE}\n"
    );
    let ignore = "# fieldaudit's working files beside a record, and secret keys: never shared\n*.lock\n*.bak\n*.tmp\n*.key\n";
    for (file, text) in [
        (".gitattributes", attributes.as_str()),
        (".gitignore", ignore),
    ] {
        fs::write(root.join(file), text)
            .with_context(|| format!("{}: cannot write {file}", Shown(root.display())))?;
        shared.push(file.into());
    }
    let driver = configure(root)?;

    let who = ident_name(&audit::author(
        author,
        Some(record),
        super::login().as_deref(),
    ));
    let email = git_config(root, "user.email").unwrap_or_default();
    let mut args: Vec<String> = Vec::new();
    if git_config(root, "user.name").is_none() || email.is_empty() {
        // A fresh laptop: git has no identity yet; commit as the auditor.
        args.extend(["-c".into(), format!("user.name={who}")]);
        args.extend(["-c".into(), format!("user.email={email}")]);
    }
    let message = format!(
        "Audit record of {} ({}), shared with the team",
        ident_name(&record.meta.client),
        record.meta.audit_type.label()
    );
    let mut add: Vec<&OsStr> = vec!["-C".as_ref(), r, "add".as_ref(), "--".as_ref()];
    add.extend(shared.iter().map(|p| p.as_os_str()));
    git_ok(&add, "add the record to the repository")?;
    let author_arg = format!("--author={who} <{email}>");
    let mut commit: Vec<&OsStr> = vec!["-C".as_ref(), r];
    commit.extend(args.iter().map(OsStr::new));
    for a in ["commit", "-q", &author_arg, "-m", &message] {
        commit.push(OsStr::new(a));
    }
    git_ok(&commit, "make the first commit")?;

    let stem = Path::new(name)
        .file_stem()
        .map_or_else(|| "audit".into(), |s| s.to_string_lossy().into_owned());
    let dir_shown = Shown(root.display());
    outln!(
        "{dir_shown} is the team's git repository for {} (first commit as {})",
        Shown(Path::new(name).display()),
        Shown(&who)
    );
    outln!("merge driver configured: {}", Shown(&driver));
    outln!(
        "next, give it a remote the team can reach, e.g. a bare repository on a USB stick or a shared folder:"
    );
    outln!("  git init --bare -b main /media/usb/{}.git", Shown(&stem));
    outln!(
        "  git -C {dir_shown} remote add origin /media/usb/{}.git",
        Shown(&stem)
    );
    outln!("  git -C {dir_shown} push -u origin HEAD");
    outln!(
        "then each auditor: fieldaudit team join /media/usb/{}.git {}-audit",
        Shown(&stem),
        Shown(&stem)
    );
    Ok(ExitCode::SUCCESS)
}

/// `team join REMOTE DIR`.
fn join(remote: &Path, dir: &Path) -> Result<ExitCode> {
    ensure_new_or_empty(dir)?;
    git_ok(
        &[
            "clone".as_ref(),
            "-q".as_ref(),
            "--".as_ref(),
            remote.as_os_str(),
            dir.as_os_str(),
        ],
        &format!("clone {}", Shown(remote.display())),
    )?;
    let root = dir
        .canonicalize()
        .with_context(|| format!("{}: cannot open the clone", Shown(dir.display())))?;
    let driver = configure(&root)?;
    outln!(
        "cloned {} into {}; merge driver configured: {}",
        Shown(remote.display()),
        Shown(root.display()),
        Shown(&driver)
    );
    if !attributes_name_driver(&root.join(".gitattributes")) {
        errln!(
            "warning: {}/.gitattributes does not name {ATTRIBUTE}: git will merge records as plain text; add the line `*.ron {ATTRIBUTE}` and commit it",
            Shown(root.display())
        );
    }
    let records = records_in(&root);
    if records.is_empty() {
        errln!(
            "warning: {} holds no audit record (*.ron) at its top",
            Shown(root.display())
        );
    }
    for (path, record) in records {
        outln!("it holds {}: {}", Shown(path.display()), describe(&record));
    }
    Ok(ExitCode::SUCCESS)
}

/// The audit records at the top of `root` that load, in name order.
fn records_in(root: &Path) -> Vec<(PathBuf, AuditRecord)> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron") && p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| match store::load(&p) {
            Ok(record) => Some((p, record)),
            Err(e) => {
                errln!("warning: {e}");
                None
            }
        })
        .collect()
}

/// One line about a record: type, client, lead auditor.
fn describe(record: &AuditRecord) -> String {
    let lead = record
        .meta
        .lead_auditor()
        .map_or_else(String::new, |l| format!(", lead auditor {}", Shown(l)));
    format!(
        "{} audit of {}{lead}",
        record.meta.audit_type.label(),
        Shown(&record.meta.client)
    )
}

/// Whether the `.gitattributes` file at `path` routes files through
/// fieldaudit's driver (read at most 64 KiB; a missing file names nothing).
fn attributes_name_driver(path: &Path) -> bool {
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let mut text = String::new();
    if file.take(64 * 1024).read_to_string(&mut text).is_err() {
        return false;
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .any(|l| l.split_whitespace().skip(1).any(|a| a == ATTRIBUTE))
}

/// The top of the git work tree holding `record`, when a `.gitattributes`
/// between the record and that top routes records through fieldaudit's
/// driver. Only looks at the file system: no git process.
fn clone_using_driver(record: &Path) -> Option<PathBuf> {
    let parent = match record.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = parent.canonicalize().ok()?;
    let mut named = false;
    for d in dir.ancestors() {
        named = named || attributes_name_driver(&d.join(".gitattributes"));
        if d.join(".git").exists() {
            return named.then(|| d.to_path_buf());
        }
    }
    None
}

/// Warn (one line on standard error) when `record` lies in a git clone
/// whose `.gitattributes` names fieldaudit's merge driver but whose config
/// lacks it: git would then merge the record line by line.
pub fn warn_if_driver_missing(record: &Path) {
    let Some(root) = clone_using_driver(record) else {
        return;
    };
    let Ok(out) = git(
        &[
            "-C".as_ref(),
            root.as_os_str(),
            "config".as_ref(),
            "--get".as_ref(),
            DRIVER_KEY.as_ref(),
        ],
        "read git's configuration",
    ) else {
        return;
    };
    let fix = Shown(shell_words::quote(&root.to_string_lossy()).into_owned());
    // 1: the key is not set. Any other failure is git's to report.
    if out.status.code() == Some(1) {
        errln!(
            "warning: {} is a git clone whose fieldaudit merge driver is not configured (git does not clone it), so git would merge audit records as plain text; run: fieldaudit team configure {fix}",
            Shown(root.display()),
        );
    } else if out.status.success()
        && let Some(program) = missing_program(&String::from_utf8_lossy(&out.stdout))
    {
        errln!(
            "warning: the fieldaudit merge driver configured in {} runs {}, which is not there any more (was fieldaudit moved?); run: fieldaudit team configure {fix}",
            Shown(root.display()),
            Shown(program.display())
        );
    }
}

/// The program a driver command runs, when it is an absolute path to
/// nothing (as after the binary moved); a bare name is looked up on PATH by
/// git, and left alone.
fn missing_program(command: &str) -> Option<PathBuf> {
    let words = shell_words::split(command.trim()).ok()?;
    let program = PathBuf::from(words.first()?);
    (program.is_absolute() && !program.exists()).then_some(program)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_environment_and_blanks_count_as_not_given() {
        assert_eq!(given_author(Some("Ann"), Some("Bo")), Some("Ann"));
        assert_eq!(given_author(None, Some("Bo")), Some("Bo"));
        assert_eq!(given_author(Some("  "), Some("Bo")), Some("Bo"));
        assert_eq!(given_author(None, Some(" ")), None);
        assert_eq!(given_author(None, None), None);
    }

    #[test]
    fn attributes_count_only_a_pattern_routed_to_the_driver() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".gitattributes");
        assert!(!attributes_name_driver(&path), "missing file");
        fs::write(&path, "# *.ron merge=fieldaudit\n*.txt text\n").unwrap();
        assert!(!attributes_name_driver(&path), "comment only");
        fs::write(&path, "*.txt text\n  *.ron   merge=fieldaudit\n").unwrap();
        assert!(attributes_name_driver(&path));
        fs::write(&path, "*.ron merge=fieldaudit-old\n").unwrap();
        assert!(!attributes_name_driver(&path));
    }

    #[test]
    fn a_clone_is_found_only_with_git_and_the_attribute_up_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("team");
        let sub = top.join("day1");
        fs::create_dir_all(&sub).unwrap();
        let record = sub.join("a.ron");
        assert_eq!(clone_using_driver(&record), None, "no .git");
        fs::create_dir(top.join(".git")).unwrap();
        assert_eq!(clone_using_driver(&record), None, "no attribute");
        fs::write(top.join(".gitattributes"), "*.ron merge=fieldaudit\n").unwrap();
        assert_eq!(
            clone_using_driver(&record),
            Some(top.canonicalize().unwrap())
        );
    }

    #[test]
    fn a_driver_is_stale_only_when_its_absolute_path_is_gone() {
        let gone = "'/nowhere/at all/fieldaudit' merge-driver %O %A %B";
        assert_eq!(
            missing_program(gone),
            Some(PathBuf::from("/nowhere/at all/fieldaudit"))
        );
        assert_eq!(missing_program("fieldaudit merge-driver %O %A %B"), None);
        let here = std::env::current_exe().unwrap();
        let here = format!(
            "{} merge-driver %O %A %B",
            shell_words::quote(here.to_str().unwrap())
        );
        assert_eq!(missing_program(&here), None);
        assert_eq!(missing_program("'unclosed"), None);
    }

    #[test]
    fn identity_names_lose_what_git_refuses() {
        assert_eq!(ident_name("Lee <x> Auditor\n"), "Lee x Auditor");
        assert_eq!(ident_name("<>"), "fieldaudit");
    }
}
