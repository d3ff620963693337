"""Turn a SyncReport into what organisers read: a short summary, JSON, or a CSV of problems."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from smwsync.model import Problem, Severity, SyncReport
from smwsync.publish.text_safety import neutralise_formula
from smwsync.sync.changes import SyncOutcome, change_lines, changes_json

NO_CHANGES_LINE = "No changes since the last sync."


def summary_lines(
    report: SyncReport, outcome: SyncOutcome | None = None, max_problems: int = 10
) -> list[str]:
    """The summary `smwsync sync` prints: what was read, published, held back, and why.

    A sync that changed nothing (`outcome.nothing_changed`) is summed up in one line (two when
    it took over the lock of a sync that was killed).
    """
    if outcome is not None and outcome.nothing_changed:
        return unchanged_lines(outcome)
    not_events = _counted(
        (
            ("title_missing", "answer without a title", "answers without a title"),
            ("duplicate", "second copy", "second copies"),
        ),
        report.problems,
    )
    lines = [
        f"Read {plural(report.rows_read, 'row')} from {report.source or 'the responses'}: "
        f"{plural(len(report.events), 'event')}{f' ({not_events})' if not_events else ''}."
    ]
    verb = "Would publish" if report.dry_run else "Published"
    lines.append(f"{verb} {plural(len(report.published), 'event')}.")
    if report.published:
        lines.append(f"  by layer: {_counts(e.layer for e in report.published)}")
        lines.append(
            "  by precision: "
            + _counts(e.location.precision.value for e in report.published if e.location)
        )
        lines.append(
            "  by source: " + _counts(e.location.source for e in report.published if e.location)
        )
    lines.extend(geocoder_lines(report.geocoder_stats))
    reasons = [
        f"{len(report.rejected)} with errors" if report.rejected else "",
        f"{len(report.unplaced)} could not be placed" if report.unplaced else "",
    ]
    if any(reasons):
        off_map = len(report.rejected) + len(report.unplaced)
        because = ", ".join(reason for reason in reasons if reason)
        lines.append(f"Not on the map: {plural(off_map, 'event')} ({because}).")
    lines.extend(held_lines(report))
    errors, warnings = _severity_counts(report.problems)
    if report.problems:
        lines.append(f"Problems: {plural(errors, 'error')}, {plural(warnings, 'warning')}.")
        ordered = sorted(report.problems, key=lambda p: (p.severity is not Severity.ERROR,))
        for problem in ordered[:max_problems]:
            lines.append("  " + problem_line(problem))
        if len(report.problems) > max_problems:
            lines.append(
                f"  … and {len(report.problems) - max_problems} more: "
                "run `smwsync check` to list them all."
            )
    else:
        lines.append("No problems found.")
    if outcome is not None:
        lines.extend(change_lines(outcome.changes, limit=max_problems))
        lines.extend(takeover_lines(outcome))
    for notice in report.notices:
        lines.append(f"Note: {notice}")
    for path in report.outputs:
        lines.append(f"Wrote {path}")
    return lines


def unchanged_lines(outcome: SyncOutcome | None) -> list[str]:
    """The summary of a sync that changed nothing (but what a killed sync it finished
    changed), and any lock it took over."""
    if outcome is not None and outcome.changes:
        return [*change_lines(outcome.changes), *takeover_lines(outcome)]
    return [NO_CHANGES_LINE, *takeover_lines(outcome)]


def takeover_lines(outcome: SyncOutcome | None) -> list[str]:
    """ "Took over the lock of process 1234 (...), which ended unfinished; ..." or nothing."""
    if outcome is None or not outcome.taken_over:
        return []
    return [f"Took over the lock of {outcome.taken_over}."]


# Why events are off the map on purpose (not problems), as the summary and --json say it.
HELD_REASONS = (
    ("pending", "waiting for approval", "Waiting for approval: {n}."),
    ("hidden", "hidden", "Hidden by the organisers: {n}."),
    ("past", "past", "Past events left off the map: {n}."),
)


def plural(count: int, noun: str, nouns: str = "") -> str:
    """ "1 event", "2 events"."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _counted(kinds: tuple[tuple[str, str, str], ...], problems: tuple[Problem, ...]) -> str:
    counts = Counter(p.code for p in problems)
    return ", ".join(plural(counts[code], one, many) for code, one, many in kinds if counts[code])


def held_lines(report: SyncReport) -> list[str]:
    """One line for each reason events are off the map on purpose, when there are any."""
    return [
        line.format(n=len(getattr(report, name)))
        for name, _, line in HELD_REASONS
        if getattr(report, name)
    ]


def geocoder_lines(stats: dict[str, dict[str, int]]) -> list[str]:
    """One line per geocoding provider that did anything: requests, cache hits, failures."""
    return [
        f"  {name}: {counts.get('requests', 0)} requests, {counts.get('cache_hits', 0)} "
        f"from the cache, {counts.get('failures', 0)} failed"
        for name, counts in sorted(stats.items())
    ]


def problem_line(problem: Problem) -> str:
    """One problem on one line: where it is, how bad, and what to do."""
    return f"row {problem.row_number} {problem.field} ({problem.severity.value}): {problem.message}"


def unchanged_json(outcome: SyncOutcome) -> dict[str, Any]:
    """--json for a sync that stopped after the read: the last full report, no changes."""
    return {
        **(outcome.last_report or {}),
        "changes": changes_json(outcome.changes),
        "nothing_changed": True,
        "took_over_lock": outcome.taken_over or None,
    }


def report_json(report: SyncReport, outcome: SyncOutcome | None = None) -> dict[str, Any]:
    """The report as plain JSON-ready data; only public fields of events."""
    errors, warnings = _severity_counts(report.problems)
    changes = (
        {}
        if outcome is None
        else {
            "changes": changes_json(outcome.changes),
            "nothing_changed": outcome.nothing_changed,
            "took_over_lock": outcome.taken_over or None,
        }
    )
    if outcome is not None and outcome.emails is not None:
        from smwsync.notify.deliver import emails_json

        changes["emails"] = emails_json(outcome.emails)
    return {
        **changes,
        "rows_read": report.rows_read,
        "source": report.source,
        "events": len(report.events),
        "published": len(report.published),
        "dry_run": report.dry_run,
        "by_layer": dict(sorted(Counter(e.layer for e in report.published).items())),
        "geocoders": report.geocoder_stats,
        "by_precision": dict(
            sorted(
                Counter(e.location.precision.value for e in report.published if e.location).items()
            )
        ),
        "not_on_map": [
            {"row": e.row_number, "id": e.id, "title": e.title, "reason": reason}
            for reason, group in (
                ("error", report.rejected),
                ("not placed", report.unplaced),
                *((reason, getattr(report, name)) for name, reason, _ in HELD_REASONS),
            )
            for e in group
        ],
        "waiting_for_approval": len(report.pending),
        "hidden": len(report.hidden),
        "past": len(report.past),
        "problems": {
            "errors": errors,
            "warnings": warnings,
            "list": [_problem_dict(p) for p in report.problems],
        },
        "outputs": list(report.outputs),
        "notices": list(report.notices),
    }


def problems_csv(problems: tuple[Problem, ...]) -> str:
    """Every problem as CSV for organisers to sort or share; text cannot become a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["row", "field", "severity", "code", "message"])
    for p in problems:
        writer.writerow(
            [p.row_number, p.field, p.severity.value, p.code, neutralise_formula(p.message)]
        )
    return buffer.getvalue()


def _problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "row": problem.row_number,
        "field": problem.field,
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
    }


def _severity_counts(problems: tuple[Problem, ...]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return errors, len(problems) - errors


def _counts(values: Any) -> str:
    counts = Counter(values)
    return ", ".join(
        f"{name} {n}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
