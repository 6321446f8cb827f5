//! The token signing key: from `NIAGA_JWT_KEY`, or a key file made on first start.

use std::{
    io::{ErrorKind, Write},
    os::unix::fs::OpenOptionsExt,
    path::Path,
};

use anyhow::Context;
use rand::RngCore;

use crate::secret::Secret;

/// HS256 wants a key at least as long as its hash (RFC 7518 §3.2).
pub const MIN_KEY_BYTES: usize = 32;

/// Reads the key file, or creates it with [`MIN_KEY_BYTES`] random bytes if it does not exist,
/// readable by the owner only (0600). Created with `create_new`, so two instances starting on
/// the same data directory cannot both write one: the loser reads the winner's key.
pub fn load_or_create_key(path: &Path) -> anyhow::Result<Secret<Vec<u8>>> {
    let mut key = vec![0; MIN_KEY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut key);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(&key)
                .and_then(|()| file.sync_all())
                .with_context(|| format!("cannot write the JWT key file {}", path.display()))?;
            tracing::info!(path = %path.display(), "created a new JWT signing key file");
            Ok(Secret::new(key))
        }
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            let key = std::fs::read(path)
                .with_context(|| format!("cannot read the JWT key file {}", path.display()))?;
            anyhow::ensure!(
                key.len() >= MIN_KEY_BYTES,
                "the JWT key file {} holds {} bytes; it needs at least {MIN_KEY_BYTES}",
                path.display(),
                key.len()
            );
            Ok(Secret::new(key))
        }
        Err(error) => {
            Err(error).with_context(|| format!("cannot create the JWT key file {}", path.display()))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_missing_key_file_is_created_private_and_then_reused() {
        let dir = std::env::temp_dir().join(format!("niaga-key-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let path = dir.join("jwt.key");
        let first = load_or_create_key(&path).expect("created");
        assert_eq!(first.expose().len(), MIN_KEY_BYTES);
        let mode = std::fs::metadata(&path)
            .expect("exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let second = load_or_create_key(&path).expect("read");
        assert_eq!(first, second);
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }
}
