"""The campaign's secret, which public ids are keyed with: made once, never published.

Without it nobody can tell from an event's id who sent it (an unkeyed hash of an email address
and a title can be confirmed by anyone holding a staff list). It is 32 random bytes, written as
hex to a file readable by its owner only, beside the configuration file ([publish] id_secret),
never in the `out` folder, which is published. A run with the environment variable
SMWSYNC_ID_SECRET set (a CI job's repository secret) uses that and writes no file. Losing it
changes every id once: back it up with the state.

Versions before this one kept the secret in the `out` folder, beside the state; the first sync
moves it out (or, with the environment variable, removes it once it matches), so the ids stay.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

from smwsync.clean.identity import IdKey
from smwsync.errors import ConfigError, StateError

SECRET_BYTES = 32
ENV_NAME = "SMWSYNC_ID_SECRET"
RESTORE = (
    "put back the secret backed up with the state, overwriting the new one this run made at "
    f"[publish] id_secret (or set {ENV_NAME} to it)"
)


def read_secret(path: Path) -> IdKey | None:
    """The secret kept at `path`, or None when there is none yet."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise StateError(f"Could not read the id secret {path}: {err}.") from err
    secret = _secret_bytes(text)
    if secret is None:
        raise StateError(
            f"The id secret {path} is damaged. Overwrite it with the copy backed up with the "
            "state; deleting it instead gives every event a new id once (the next sync is held "
            "back until you run it with --force)."
        )
    return IdKey(secret)


def secret_from_environment(environ: Mapping[str, str]) -> IdKey | None:
    """The secret SMWSYNC_ID_SECRET holds, or None when it is not set."""
    text = environ.get(ENV_NAME, "").strip()
    if not text:
        return None
    secret = _secret_bytes(text)
    if secret is None:
        raise ConfigError(
            f"{ENV_NAME} must be {SECRET_BYTES * 2} hex digits, the content of an id secret "
            "file (`python -c 'import secrets; print(secrets.token_hex(32))'` makes a new one)."
        )
    return IdKey(secret)


def known_key(path: Path, old: Path, environ: Mapping[str, str]) -> IdKey | None:
    """The campaign's secret for a run that writes nothing: from the environment, `path`, or
    where an older version kept it (`old`); None before the first sync."""
    return secret_from_environment(environ) or read_secret(path) or read_secret(old)


def campaign_key(
    path: Path, *, old: Path, out: Path, environ: Mapping[str, str]
) -> tuple[IdKey, tuple[str, ...]]:
    """The campaign's secret and what the organiser should know about it.

    From SMWSYNC_ID_SECRET when set, else the file at `path`, made (owner-only) the first time.
    A secret an older version kept at `old`, in the published `out` folder, is moved to `path`
    (or removed, when the environment variable holds the same secret), so ids stay the same.
    """
    if _inside(path, out):
        raise ConfigError(
            f"[publish] id_secret = {path} is inside the out folder {out}, which is published: "
            "keep the secret beside the configuration file (the default) or in "
            f"the environment variable {ENV_NAME}."
        )
    from_environment = secret_from_environment(environ)
    kept = from_environment or read_secret(path)
    before = read_secret(old)
    if before is None:
        return kept or _made(path), ()
    if kept is not None and kept != before:
        where = ENV_NAME if from_environment else str(path)
        raise StateError(
            f"Two id secrets: {old}, in the published out folder, where an older version kept "
            f"it, and {where}. The ids so far are keyed with the one in {old}: put it in "
            f"{where} (overwriting the other), then delete {old}."
        )
    if kept is None:
        _write_new(path, before)
    _remove(old)
    if from_environment:
        return before, (f"Removed the id secret {old}: {ENV_NAME} holds the same secret.",)
    return before, (
        f"Moved the id secret from {old} to {path}: the out folder is published and the "
        "secret must not be. Every id stays the same. Back it up with the state; if a copy of "
        f"{old} was pushed or served, see 'The id secret' in the README.",
    )


def _made(path: Path) -> IdKey:
    _write_new(path, IdKey(secrets.token_bytes(SECRET_BYTES)))
    return read_secret(path) or IdKey(b"")  # read back: the one on disk is the one used


def _write_new(path: Path, key: IdKey) -> None:
    """Write `key` to `path` (owner-only), never over a secret another process just made."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise StateError(f"Could not write the id secret {path}: {err.strerror}.") from err
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:  # mkstemp makes it 0600
            handle.write(key.secret.hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except FileExistsError:
        pass
    except OSError as err:
        raise StateError(f"Could not write the id secret {path}: {err.strerror}.") from err
    finally:
        temporary.unlink(missing_ok=True)


def _remove(old: Path) -> None:
    try:
        old.unlink(missing_ok=True)
    except OSError as err:
        raise StateError(
            f"Could not remove the id secret {old} from the published out folder: "
            f"{err.strerror}. Delete it by hand."
        ) from err


def _secret_bytes(text: str) -> bytes | None:
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        return None
    return secret if len(secret) == SECRET_BYTES else None


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
