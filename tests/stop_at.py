"""Run a real smwsync sync in this process and stop it at a chosen file-system call.

A test harness, run as a script by the tests (never imported by smwsync). It wraps the
standard library's file-system calls in `os` (open, write, fsync, replace, rename, unlink,
mkdir, rmdir), which smwsync's own code uses unchanged, and counts them. At the call chosen
(N: the N-th watched call; NAME:N: the N-th call to os.NAME) it:

- kill:  sends itself SIGKILL before making the call (as `kill -9` would);
- hold:  says "inside" on stderr and waits for a line on stdin, then goes on;
- full:  fails that write, and every write after it, with "No space left on device" (the
         disk stays full; files can still be truncated and rewritten where they were);
- count: nothing; the number of calls made is printed on stderr at the end.

    python stop_at.py kill replace:2 -- sync --config smwsync.toml
    python stop_at.py serve

`serve` loads smwsync and its gazetteer once, then, for each line "ACTION AT FOLDER TIME" on
stdin, forks a child that runs `pipeline.sync` on FOLDER/smwsync.toml, the gazetteer loaded
already and the clock fixed at TIME (UTC), so that two runs write the same bytes. The child
writes the lock it took over, if any, to FOLDER/child.out and its error to FOLDER/child.err;
the answer is one line: "killed", or "exit CODE CALLS". Forking keeps a hundred kills to
seconds: each child is a fresh, real process.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import gc
import importlib
import os
import pkgutil
import signal
import sys
from pathlib import Path

WATCHED = ("open", "write", "fsync", "replace", "rename", "unlink", "mkdir", "rmdir")


class Stopper:
    """Counts the watched calls and acts at the one chosen ("17", "replace:2"; "0": none)."""

    def __init__(self, action: str, at: str) -> None:
        self.action = action
        self.name, _, number = at.rpartition(":")
        self.at = int(number)
        self.calls = 0
        self.named_calls = 0
        self.disk_full = False

    def install(self) -> None:
        for name in WATCHED:
            setattr(os, name, self._wrap(name, getattr(os, name)))

    def _wrap(self, name, real):
        def watched(*args, **kwargs):
            if self.disk_full and name == "write":
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.calls += 1
            if not self.name:
                if self.calls == self.at:
                    self._act(name)
            elif name == self.name:
                self.named_calls += 1
                if self.named_calls == self.at:
                    self._act(name)
            return real(*args, **kwargs)

        return watched

    def _act(self, name: str) -> None:
        if self.action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif self.action == "hold":
            print("inside", file=sys.stderr, flush=True)
            sys.stdin.readline()
        elif self.action == "full" and name == "write":
            self.disk_full = True
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def run_cli(args: list[str]) -> int:
    """`smwsync ARGS...` as the console script runs it; its exit code."""
    from smwsync.cli import cli

    try:
        cli.main(args=args, prog_name="smwsync")
    except SystemExit as end:
        return end.code if isinstance(end.code, int) else 1
    return 0


def serve() -> None:
    import smwsync
    from smwsync.config import load_settings
    from smwsync.errors import SmwsyncError
    from smwsync.geocode.gazetteer import Gazetteer
    from smwsync.sync import pipeline

    for module in pkgutil.walk_packages(smwsync.__path__, "smwsync."):
        if not module.name.endswith("__main__"):  # what a sync imports as it goes, once
            importlib.import_module(module.name)
    gazetteer = Gazetteer.load()
    gc.freeze()  # the children's collector leaves the loaded objects alone: no copy of them
    for line in sys.stdin:
        action, at, folder, time = line.split()
        moment = dt.datetime.fromisoformat(time).replace(tzinfo=dt.UTC)
        calls_read, calls_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(calls_read)
            os.chdir(folder)
            stopper = Stopper(action, at)
            stopper.install()
            code = 0
            try:
                settings = load_settings(Path("smwsync.toml"))
                _, outcome = pipeline.sync(
                    settings,
                    gazetteer=gazetteer,
                    clock=functools.partial(lambda at: at, moment),
                    today=moment.date(),
                )
                Path("child.out").write_text(outcome.taken_over, encoding="utf-8")
            except SmwsyncError as err:
                Path("child.err").write_text(f"{err}\n", encoding="utf-8")
                code = err.exit_code
            os.write(calls_write, str(stopper.calls).encode())
            os._exit(code)
        os.close(calls_write)
        _, status = os.waitpid(pid, 0)
        with os.fdopen(calls_read, "rb") as pipe:
            calls = pipe.read().decode()
        if os.WIFSIGNALED(status):
            answer = "killed" if os.WTERMSIG(status) == signal.SIGKILL else "signal"
        else:
            answer = f"exit {os.WEXITSTATUS(status)} {calls}"
        print(answer, flush=True)


def main() -> None:
    if sys.argv[1] == "serve":
        serve()
        return
    action, at, separator, *args = sys.argv[1:]
    assert separator == "--"
    stopper = Stopper(action, at)
    stopper.install()
    code = run_cli(args)
    if action == "count":
        print(f"calls: {stopper.calls}", file=sys.stderr, flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
