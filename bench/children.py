"""How the benchmarks run smwsync as a child process: as an installed smwsync runs.

pip compiles an installed package's bytecode once; a child that compiled every module on every
run (as it does where PYTHONDONTWRITEBYTECODE is set, as on the machine these numbers come
from) would time Python's compiler, about 0.1 s a run. So the children keep their bytecode in
bench/out/pycache, which leaves the source tree alone; `bytecode=False` measures them compiling
every module instead.
"""

from __future__ import annotations

import os
from pathlib import Path

PYCACHE = Path(__file__).resolve().parent / "out" / "pycache"


def child_environment(bytecode: bool = True) -> dict[str, str]:
    """The environment the children run in: with bytecode kept in bench/out, or none at all."""
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env
