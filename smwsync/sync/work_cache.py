"""The work cache: what the last sync worked out, kept for the next one (smwsync/memo.py).

A private file beside the configuration (`[publish] work_cache`), never in `out`: it holds the
cleaned answers, email addresses included, as the sheet does. It is a cache and nothing
more: a missing, damaged or out-of-date one costs a sync the time to do everything again,
never a different file, so it is written without the commit's care (after the commit, by a
rename, readable by its owner only) and deleting it is always safe.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import smwsync
from smwsync.config import PublishSettings
from smwsync.errors import ConfigError
from smwsync.memo import Memo
from smwsync.sync.files import new_token, temporary_for
from smwsync.sync.fingerprint import OUTPUT_LIBRARIES, code_stamp, library_stamp

FORMAT = 1


def work_cache_path(publish: PublishSettings) -> Path:
    """Where the settings keep the work cache: beside the configuration file (settings made in
    code: beside the out folder). Raises ConfigError when that is inside `out`, which is
    published."""
    path = publish.out.parent / publish.work_cache
    out = publish.out.resolve()
    if path.resolve() == out or path.resolve().is_relative_to(out):
        raise ConfigError(
            f"[publish] work_cache = {path} is inside the out folder {publish.out}, which is "
            "published, and the work cache holds the answers: keep it beside the configuration "
            "file (the default)."
        )
    return path


def salt() -> str:
    """What every kept result depends on: smwsync's version and files, and the libraries
    that write the outputs. An upgrade of any of them makes the whole cache unusable."""
    return json.dumps(
        [smwsync.__version__, code_stamp(), library_stamp(OUTPUT_LIBRARIES)], default=str
    )


def load_work(path: Path) -> Memo:
    """The work the last sync kept at `path`: an empty memo when there is none, it cannot be
    read, or it was made by another version of smwsync."""
    current = salt()
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return Memo(salt=current)
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("salt") != current:
        return Memo(salt=current)
    work = data.get("work")
    return Memo(work if isinstance(work, dict) else {}, salt=current)


def save_work(path: Path, memo: Memo) -> str:
    """Keep what `memo` was asked for at `path` for the next sync; "" or, when it could not
    be written, a notice saying the next sync will take longer (the map is published)."""
    data = {"format": FORMAT, "salt": memo.salt, "work": memo.used()}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    temporary = temporary_for(path, new_token())
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(text.encode("utf-8", "surrogatepass"))
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        return (
            f"Could not keep this sync's work in {path} ({err.strerror or err}): the next sync "
            "will clean and render every answer again."
        )
    return ""
