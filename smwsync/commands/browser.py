"""Open a page in the organiser's web browser, and know when none could be started."""

from __future__ import annotations

import shutil
import subprocess
import sys
import webbrowser
from pathlib import Path

# How long the desktop's opener may take to say it failed; one still running has started a
# browser, which may stay open for as long as the organiser reads.
OPENER_SECONDS = 2.0


def open_in_browser(page: Path, wait_seconds: float = OPENER_SECONDS) -> bool:
    """Ask the desktop to open `page`; False when no browser could be started.

    The opener's own complaints (xdg-open lists every browser it did not find) are kept off
    the terminal: the caller says it in one line.
    """
    opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if opener is None or sys.platform == "win32":
        return webbrowser.open(page.resolve().as_uri())
    process = subprocess.Popen(
        [opener, str(page)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return process.wait(timeout=wait_seconds) == 0
    except subprocess.TimeoutExpired:
        return True
