//! Minisign key pairs for signing reports: `KEYBASE.key` (secret, password-
//! protected unless asked otherwise) and `KEYBASE.pub`, readable by the
//! `minisign` program. A secret key is created readable by its owner only
//! (0600) and refused, as ssh refuses one, when group or others can read it.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox};

use crate::text::Shown;

/// What can go wrong with a key file; paths are shown with control
/// characters escaped.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{}: already exists; fieldaudit never overwrites a key (choose another name)", Shown(.0.display()))]
    Exists(PathBuf),
    #[error("{}: {source}", Shown(path.display()))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a minisign key: {reason}", Shown(path.display()))]
    Bad { path: PathBuf, reason: String },
    #[error(
        "{}: wrong password for this secret key (or the key file is damaged); nothing was signed — try again with the password chosen at `fieldaudit keygen`",
        Shown(.0.display())
    )]
    WrongPassword(PathBuf),
    #[error("cannot create the key: {0}")]
    Generate(String),
    /// A secret key that group or others can read (as ssh refuses one).
    #[error(
        "{}: this secret key can be read by others (mode {mode:04o}); nothing was signed — make it yours alone with `chmod 600 {}` and try again",
        Shown(path.display()),
        Shown(shell_words::quote(&path.to_string_lossy()))
    )]
    Exposed { path: PathBuf, mode: u32 },
}

/// `KEYBASE.key` and `KEYBASE.pub`.
pub fn key_paths(base: &Path) -> (PathBuf, PathBuf) {
    let with = |ext: &str| {
        let mut name = base.as_os_str().to_os_string();
        name.push(ext);
        PathBuf::from(name)
    };
    (with(".key"), with(".pub"))
}

/// How the secret key is protected.
pub enum Protection {
    /// No password (for scripts and tests; not recommended).
    None,
    /// This password.
    Password(String),
    /// Ask on the terminal (minisign's own prompt).
    Prompt,
}

/// Who may read a new key file.
#[derive(Clone, Copy, PartialEq)]
enum Readers {
    /// Anyone the umask allows (a public key).
    Anyone,
    /// Its owner only, from the moment it exists (a secret key: 0600).
    OwnerOnly,
}

fn create_new(path: &Path, bytes: &[u8], readers: Readers) -> Result<(), KeyError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if readers == Readers::OwnerOnly {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = readers;
    let mut file = options.open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            KeyError::Exists(path.to_path_buf())
        } else {
            KeyError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Write a new key pair; refuses to replace either file. Returns the key id.
pub fn keygen(base: &Path, protection: Protection) -> Result<String, KeyError> {
    let (secret_path, public_path) = key_paths(base);
    for path in [&secret_path, &public_path] {
        if path.exists() {
            return Err(KeyError::Exists(path.clone()));
        }
    }
    let pair = match protection {
        Protection::None => KeyPair::generate_unencrypted_keypair(),
        Protection::Password(p) => KeyPair::generate_encrypted_keypair(Some(p)),
        Protection::Prompt => KeyPair::generate_encrypted_keypair(None),
    }
    .map_err(|e| KeyError::Generate(e.to_string()))?;
    let id = key_id(&pair.pk);
    let secret_box = pair
        .sk
        .to_box(Some(&format!("fieldaudit secret key {id}")))
        .map_err(|e| KeyError::Generate(e.to_string()))?;
    let public_box = pair
        .pk
        .to_box()
        .map_err(|e| KeyError::Generate(e.to_string()))?;
    create_new(
        &public_path,
        public_box.into_string().as_bytes(),
        Readers::Anyone,
    )?;
    if let Err(e) = create_new(
        &secret_path,
        secret_box.into_string().as_bytes(),
        Readers::OwnerOnly,
    ) {
        // Do not leave half a pair behind.
        let _ = std::fs::remove_file(&public_path);
        return Err(e);
    }
    Ok(id)
}

/// The key id minisign prints: 16 upper-case hex digits.
pub fn key_id(pk: &PublicKey) -> String {
    key_id_of(pk.keynum())
}

/// The key id for a raw minisign key number (as found in a signature).
pub fn key_id_of(keynum: &[u8]) -> String {
    let mut n = [0u8; 8];
    let len = keynum.len().min(8);
    n[..len].copy_from_slice(&keynum[..len]);
    format!("{:016X}", u64::from_le_bytes(n))
}

/// Read a public key file.
pub fn load_public(path: &Path) -> Result<PublicKey, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    PublicKeyBox::from_string(&text)
        .and_then(PublicKeyBox::into_public_key)
        .map_err(|e| KeyError::Bad {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

/// Refuse a secret key file that group or others can read.
#[cfg(unix)]
fn ensure_private(path: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::metadata(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyError::Exposed {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn ensure_private(_path: &Path) -> Result<(), KeyError> {
    Ok(())
}

/// Read and unlock a secret key file; refused if others can read it.
pub fn load_secret(path: &Path, protection: Protection) -> Result<SecretKey, KeyError> {
    ensure_private(path)?;
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let boxed = SecretKeyBox::from_string(&text).map_err(|e| KeyError::Bad {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let encrypted = !matches!(protection, Protection::None);
    let key = match protection {
        Protection::None => boxed.into_unencrypted_secret_key(),
        Protection::Password(p) => boxed.into_secret_key(Some(p)),
        Protection::Prompt => boxed.into_secret_key(None),
    };
    key.map_err(|e| match e.kind() {
        // The key decrypted with this password fails its own checksum.
        minisign::ErrorKind::Verify if encrypted => KeyError::WrongPassword(path.to_path_buf()),
        _ => KeyError::Bad {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn secret_keys_are_made_0600_and_refused_when_others_can_read_them() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("lead");
        keygen(&base, Protection::None).unwrap();
        let (sk_path, _) = key_paths(&base);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&sk_path), 0o600);
        std::fs::set_permissions(&sk_path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let refused = load_secret(&sk_path, Protection::None).unwrap_err();
        assert!(
            matches!(refused, KeyError::Exposed { ref path, mode: 0o640 } if *path == sk_path),
            "{refused:?}"
        );
        let text = refused.to_string();
        assert!(
            text.contains("(mode 0640)") && text.contains("`chmod 600 "),
            "{text}"
        );
        std::fs::set_permissions(&sk_path, std::fs::Permissions::from_mode(0o400)).unwrap();
        load_secret(&sk_path, Protection::None).unwrap();
    }

    #[test]
    fn keygen_writes_a_pair_once_and_keys_sign_and_verify() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("lead");
        let id = keygen(&base, Protection::Password("correct horse".into())).unwrap();
        assert_eq!(id.len(), 16);
        let (sk_path, pk_path) = key_paths(&base);
        let before = std::fs::read(&sk_path).unwrap();
        assert!(matches!(
            keygen(&base, Protection::None),
            Err(KeyError::Exists(_))
        ));
        assert_eq!(std::fs::read(&sk_path).unwrap(), before);
        let pk = load_public(&pk_path).unwrap();
        assert_eq!(key_id(&pk), id);
        let wrong = load_secret(&sk_path, Protection::Password("wrong".into())).unwrap_err();
        assert!(matches!(wrong, KeyError::WrongPassword(ref p) if *p == sk_path));
        assert!(wrong.to_string().contains("wrong password"), "{wrong}");
        let sk = load_secret(&sk_path, Protection::Password("correct horse".into())).unwrap();
        let sig = minisign::sign(Some(&pk), &sk, &b"manifest"[..], None, None).unwrap();
        minisign::verify(
            &pk,
            &sig,
            std::io::Cursor::new(b"manifest"),
            true,
            false,
            false,
        )
        .unwrap();
        assert!(
            minisign::verify(
                &pk,
                &sig,
                std::io::Cursor::new(b"tampered"),
                true,
                false,
                false
            )
            .is_err()
        );
    }
}
