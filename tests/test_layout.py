"""The package's layout reads one way down: no import cycles, no import of a higher stage.

The stages, lowest first, are the ones in the README's Development section. A module may
import from its own stage or any stage below it, never above; every import counts, at the top
of a file or inside a function, so a cycle cannot hide behind a late import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import smwsync

PACKAGE = Path(smwsync.__file__).parent

# Lowest first. The key is a module's first name under smwsync (its subpackage or module).
STAGES: tuple[tuple[str, ...], ...] = (
    ("__init__", "errors", "model", "config", "memo"),
    ("google",),
    ("sources",),
    ("clean",),
    ("geocode",),
    ("select",),
    ("publish",),
    ("notify",),
    ("sync",),
    ("commands",),
    ("cli", "__main__"),
)
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path, module: str) -> set[str]:
    """Every smwsync module this file imports, wherever in the file the import is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # `from smwsync.publish import kml` imports the module smwsync.publish.kml
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "smwsync" or name.startswith("smwsync.")}


def import_graph() -> dict[str, set[str]]:
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        graph[module] = {name for name in imports_of(path, module) if name in files} - {module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules (first repeated at the end), or [] if none."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> list[str]:
        if module in visiting:
            return [*visiting[visiting.index(module) :], module]
        if module in done:
            return []
        visiting.append(module)
        for target in sorted(graph[module]):
            cycle = visit(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(module)
        return []

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return []


def test_every_module_belongs_to_a_stage():
    unplaced = sorted(m for m in import_graph() if stage_of(m) not in RANK)
    assert unplaced == [], "add each new subpackage or module to STAGES in tests/test_layout.py"


def test_no_module_imports_from_a_stage_above_it():
    graph = import_graph()
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if RANK[stage_of(target)] > RANK[stage_of(module)]
    )
    assert upward == []


def test_there_is_no_import_cycle():
    assert find_cycle(import_graph()) == []


def test_the_checks_see_an_upward_import_and_a_cycle():
    # The checks themselves, on a made-up graph: a test that cannot fail protects nothing.
    graph = {
        "smwsync.config": {"smwsync.publish.outputs"},
        "smwsync.publish.outputs": {"smwsync.config"},
    }
    assert find_cycle(graph) == ["smwsync.config", "smwsync.publish.outputs", "smwsync.config"]
    assert RANK[stage_of("smwsync.publish.outputs")] > RANK[stage_of("smwsync.config")]


def test_late_and_relative_imports_are_seen(tmp_path):
    package = tmp_path / "smwsync" / "sync"
    package.mkdir(parents=True)
    source = package / "pipeline.py"
    source.write_text(
        "def run():\n    from smwsync.publish import kml\n    from . import state\n",
        encoding="utf-8",
    )
    found = imports_of(source, "smwsync.sync.pipeline")
    assert {"smwsync.publish.kml", "smwsync.sync.state"} <= found
