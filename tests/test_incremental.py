"""A sync that reuses the last sync's work publishes exactly what a sync from scratch would.

Two copies of one campaign go through the same long, random run of edits, deletions, copies,
re-sorts, new answers and settings changes. Before each step the second copy is made afresh
from the first, without the work cache; after it, every file in both out folders must be the
same bytes: outputs, live map, state, change log and status.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smwsync.config import load_settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.sync.pipeline import sync

EXAMPLES = Path(__file__).parent.parent / "examples" / "form-responses.csv"
with EXAMPLES.open(encoding="utf-8", newline="") as _file:
    _reader = csv.reader(_file)
    HEADERS = next(_reader)
    ANSWERS = [row for row in _reader]
SECRET = {"SMWSYNC_ID_SECRET": "5e" * 32}  # both copies key ids alike
TITLE = HEADERS.index("Event title")
TIMESTAMP = HEADERS.index("Timestamp")
# Questions whose answers a step may swap for another row's or for something typed badly.
EDITABLE = [index for index, name in enumerate(HEADERS) if name != "Timestamp"]
# Any answer may be typed badly, the time it was sent too (a date read near today's year).
TYPEABLE = list(range(len(HEADERS)))
TYPED = [
    "",
    "   ",
    "ls1 1ur",
    "SW1A1AA",
    "next tuesday",
    "24/03/2027",
    "24/03/2028",  # more than a year ahead until 24 March 2027
    "5/6/76",  # 1976 or 2076: the one nearest the year it was sent, or today's
    "March 25th 2027 2pm",
    "2pm",
    "14:00 - 16:30",
    "Leeds",
    "Scarborough Borough Council",
    "Online, Face-to-face",
    "yes",
    "hide",
    "call 07700 900123 to book",
    "write to jo.bloggs@example.com",
    "https://example.org/book?email=jo%40example.com",
    "Tea-camp: social media for community groups",
    "A very long answer " * 12,
]
SETTINGS = {
    "layer_by": ['"format"', '"event_type"', '"council"'],
    "hide_past_events": ["true", "false"],
    "max_text_length": ["2000", "120"],
    "require_approval": ["false", "true"],
    # What every placemark, calendar entry and page says besides the event itself.
    "title": ['"Social Media Week 2027 (demo)"', '"Council social media week"'],
    "form_url": ['"https://forms.gle/example-smw-2027"', '""'],
}
TODAYS = [dt.date(2026, 11, 24), dt.date(2027, 3, 24), dt.date(2027, 4, 30), dt.date(2076, 6, 1)]

step = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 99), st.sampled_from(EDITABLE), st.integers(0, 99)),
    st.tuples(
        st.just("type"), st.integers(0, 99), st.sampled_from(TYPEABLE), st.sampled_from(TYPED)
    ),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("add"), st.integers(0, 99)),
    st.tuples(st.just("copy"), st.integers(0, 99)),
    st.tuples(st.just("sort"), st.integers(0, 2**16)),
    st.tuples(st.just("setting"), st.sampled_from(sorted(SETTINGS)), st.integers(0, 2)),
    st.tuples(st.just("today"), st.integers(0, len(TODAYS) - 1)),
)


class Campaign:
    """The answers and settings both copies sync."""

    def __init__(self) -> None:
        self.rows = [list(row) for row in ANSWERS[:30]]
        self.choices = {name: values[0] for name, values in SETTINGS.items()}
        self.today = TODAYS[0]
        self.added = 0

    def apply(self, change: tuple) -> None:
        kind, *args = change
        rows = self.rows
        if kind == "edit" and rows:
            row, column, other = args
            rows[row % len(rows)][column] = ANSWERS[other % len(ANSWERS)][column]
        elif kind == "type" and rows:
            row, column, text = args
            rows[row % len(rows)][column] = text
        elif kind == "delete" and rows:
            del rows[args[0] % len(rows)]
        elif kind == "add":
            self.added += 1
            new = list(ANSWERS[args[0] % len(ANSWERS)])
            new[TIMESTAMP] = f"01/11/2026 10:{self.added % 60:02d}:00"
            new[TITLE] = f"{new[TITLE]} ({self.added})"
            rows.append(new)
        elif kind == "copy" and rows:
            rows.append(list(rows[args[0] % len(rows)]))  # sent twice
        elif kind == "sort":
            random.Random(args[0]).shuffle(rows)
        elif kind == "setting":
            name, choice = args
            self.choices[name] = SETTINGS[name][choice % len(SETTINGS[name])]
        elif kind == "today":
            self.today = TODAYS[args[0]]

    def write(self, folder: Path) -> Path:
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerows([HEADERS, *self.rows])
        (folder / "responses.csv").write_text(text.getvalue(), encoding="utf-8", newline="")
        config = folder / "smwsync.toml"
        demo = (EXAMPLES.parent.parent / "config" / "demo.toml").read_text(encoding="utf-8")
        demo = demo.replace('csv = "../examples/form-responses.csv"', 'csv = "responses.csv"')
        demo = demo.replace('out = "../out"', 'out = "out"')
        demo = demo.replace('layer_by = "format"\n', "")
        demo = demo.replace('title = "Social Media Week 2027 (demo)"\n', "")
        demo = demo.replace('form_url = "https://forms.gle/example-smw-2027"\n', "")
        extra = "".join(f"{name} = {value}\n" for name, value in self.choices.items())
        config.write_text(demo.replace("[publish]\n", "[publish]\n" + extra), encoding="utf-8")
        return config


def files_in(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def sync_once(folder: Path, campaign: Campaign, gazetteer: Gazetteer, number: int):
    """Sync `folder` as the `number`th step does; its report and every file in its out folder."""
    clock = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=number)
    report, _ = sync(
        load_settings(campaign.write(folder)),
        force=True,  # the guards would hold some random steps back
        gazetteer=gazetteer,
        environ=SECRET,
        clock=lambda: clock,
        today=campaign.today,
    )
    return report, files_in(folder / "out")


@pytest.mark.timeout(900)  # about half a minute on an idle machine; much more on a busy one
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=12, max_size=24))
def test_a_sync_that_reuses_work_publishes_what_a_sync_from_scratch_does(
    tmp_path_factory, gazetteer, steps
):
    root = tmp_path_factory.mktemp("campaign")
    folder, before, after = root / "campaign", root / "before", root / "after"
    folder.mkdir()
    work = folder / ".smwsync-work.sqlite"
    campaign = Campaign()
    for number, change in enumerate([("start",), *steps]):
        campaign.apply(change)
        shutil.copytree(folder, before)
        reusing, reused_files = sync_once(folder, campaign, gazetteer, number)
        assert work.exists()  # kept for the next step
        folder.rename(after)
        before.rename(folder)  # the same folder as before this step, without the work
        work.unlink(missing_ok=True)
        afresh, fresh_files = sync_once(folder, campaign, gazetteer, number)
        assert reused_files == fresh_files, change
        assert reusing.problems == afresh.problems, change
        assert reusing.notices == afresh.notices, change
        shutil.rmtree(folder)
        after.rename(folder)
