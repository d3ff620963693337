"""The campaign's secret, which public ids are keyed with: made once, kept beside the state.

Without it nobody can tell from an event's id who sent it (an unkeyed hash of an email address
and a title can be confirmed by anyone holding a staff list). It is 32 random bytes, written as
hex to a file readable by its owner only. Losing it changes every id once: back it up with the
state.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from smwsync.clean.identity import IdKey
from smwsync.errors import StateError

SECRET_BYTES = 32


def read_secret(path: Path) -> IdKey | None:
    """The secret kept at `path`, or None when there is none yet."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise StateError(f"Could not read the id secret {path}: {err}.") from err
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) != SECRET_BYTES:
        raise StateError(
            f"The id secret {path} is damaged. Put back the copy backed up with the state; "
            "deleting it instead gives every event a new id once (the next sync is held back "
            "until you run it with --force)."
        )
    return IdKey(secret)


def campaign_key(path: Path) -> IdKey:
    """The secret at `path`, made and saved (owner-only) the first time."""
    key = read_secret(path)
    if key is not None:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:  # mkstemp makes it 0600
            handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)  # never over a secret another process just made
    except FileExistsError:
        pass
    except OSError as err:
        raise StateError(f"Could not write the id secret {path}: {err.strerror}.") from err
    finally:
        temporary.unlink(missing_ok=True)
    return read_secret(path) or IdKey(b"")  # read back: the one on disk is the one used
