"""A tiny Chrome DevTools Protocol client: start Debian's headless chromium, drive one page.

Chromium gets its own empty profile, no network (every host name fails to resolve but
127.0.0.1), and prints its DevTools address to stderr; the tests talk to it over a websocket
(websocket-client) and read what the page logged and every request it made.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

CHROMIUM = "/usr/bin/chromium"
START_SECONDS = 30.0
ANSWER_SECONDS = 30.0
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)


def find_chromium() -> str | None:
    """The chromium program, or None when it is not installed."""
    return CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")


class DevToolsError(RuntimeError):
    """Chromium did not start, did not answer, or answered a command with an error."""


@dataclass
class Page:
    """One browser tab driven over the DevTools protocol; `events` holds what it reported."""

    socket: websocket.WebSocket
    session_id: str
    events: list[dict[str, Any]] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command to the tab and return its result, keeping events that come first."""
        command_id = next(self._ids)
        message = {"id": command_id, "method": method, "params": params}
        message["sessionId"] = self.session_id
        self.socket.send(json.dumps(message))
        while True:
            answer = self._receive()
            if answer.get("id") == command_id:
                if "error" in answer:
                    raise DevToolsError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def open(self, url: str) -> None:
        """Go to `url` and wait until the page has loaded."""
        since = len(self.events)
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired", since)

    def wait_for(self, method: str, since: int = 0) -> dict[str, Any]:
        """Wait for the tab to report an event (say Page.loadEventFired) after the first
        `since` events; return its params."""
        for seen in self.events[since:]:
            if seen["method"] == method:
                return seen["params"]
        while True:
            answer = self._receive()
            if answer.get("method") == method:
                return answer.get("params", {})

    def evaluate(self, expression: str) -> Any:
        """Run JavaScript in the page and return its value (JSON-able values only)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise DevToolsError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """Save what the tab shows as a PNG."""
        shot = self.send("Page.captureScreenshot", format="png")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def reported(self, *methods: str) -> list[dict[str, Any]]:
        """The params of every event of these kinds the tab has reported so far."""
        return [seen["params"] for seen in self.events if seen["method"] in methods]

    def _receive(self) -> dict[str, Any]:
        try:
            answer = json.loads(self.socket.recv())
        except websocket.WebSocketTimeoutException as err:
            raise DevToolsError(f"chromium did not answer in {ANSWER_SECONDS} s") from err
        if "method" in answer and answer.get("sessionId") == self.session_id:
            self.events.append(answer)
        return answer


@contextmanager
def headless_page(width: int = 1400, height: int = 1000) -> Iterator[Page]:
    """Start chromium with a new empty profile and give one blank tab, with Runtime, Log,
    Network and Page events switched on; chromium and its profile are gone afterwards."""
    program = find_chromium()
    if program is None:
        raise DevToolsError("chromium is not installed")
    with tempfile.TemporaryDirectory(
        prefix="smwsync-chromium-", ignore_cleanup_errors=True
    ) as profile:
        process = subprocess.Popen(
            [
                program,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            address = _devtools_address(process)
            socket = websocket.create_connection(
                address, timeout=ANSWER_SECONDS, suppress_origin=True
            )
            try:
                yield _open_tab(socket, width, height)
            finally:
                socket.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _devtools_address(process: subprocess.Popen[str]) -> str:
    """The browser's websocket address, from the line chromium prints once it listens."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:  # read to the end, so chromium never blocks on a full pipe
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    said: list[str] = []
    deadline = time.monotonic() + START_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        said.append(line)
        if line.startswith("DevTools listening on "):
            return line.removeprefix("DevTools listening on ").strip()
    raise DevToolsError("chromium did not start its DevTools server: " + "".join(said[-10:]))


def _open_tab(socket: websocket.WebSocket, width: int, height: int) -> Page:
    target = _browser_command(socket, 1, "Target.createTarget", url="about:blank")
    attached = _browser_command(
        socket, 2, "Target.attachToTarget", targetId=target["targetId"], flatten=True
    )
    page = Page(socket, session_id=attached["sessionId"])
    for domain in ("Runtime", "Log", "Network", "Page"):
        page.send(f"{domain}.enable")
    page.send(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=height,
        deviceScaleFactor=1,
        mobile=False,
    )
    return page


def _browser_command(
    socket: websocket.WebSocket, command_id: int, method: str, **params: Any
) -> dict[str, Any]:
    socket.send(json.dumps({"id": command_id, "method": method, "params": params}))
    while True:
        answer = json.loads(socket.recv())
        if answer.get("id") == command_id and "sessionId" not in answer:
            if "error" in answer:
                raise DevToolsError(f"{method}: {answer['error']}")
            return answer["result"]
