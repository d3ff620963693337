"""How to reach Google, said once: the account, the endpoint, and the clock and dice of retries."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from smwsync.google.account import USER_TOKEN_FILE


@dataclass(frozen=True)
class GoogleAccess:
    """What every request to Google needs beside the settings, in one small value.

    `credentials_file` and `endpoint` are the values of GOOGLE_APPLICATION_CREDENTIALS and
    SMWSYNC_SHEETS_ENDPOINT (the caller reads the environment: see `from_environ`); `sleep` and
    `rng` pace the retries, and tests replace them so nothing waits; `user_token_file` is where
    `smwsync auth login` keeps a person's sign-in.
    """

    credentials_file: str | None = None
    endpoint: str | None = None
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random | None = field(default=None, compare=False)
    user_token_file: Path = USER_TOKEN_FILE

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], **options: object) -> GoogleAccess:
        """The access the environment variables describe; `options` set the other fields."""
        return cls(
            credentials_file=environ.get("GOOGLE_APPLICATION_CREDENTIALS") or None,
            endpoint=environ.get("SMWSYNC_SHEETS_ENDPOINT") or None,
            **options,  # type: ignore[arg-type]
        )
