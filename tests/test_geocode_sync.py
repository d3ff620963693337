"""A whole `smwsync sync` online, against the fakes: what it costs the free services."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from click.testing import CliRunner

from smwsync.cli import cli, lookup_progress

from conftest import HEADERS, form_csv, sync_in_a_child
from kml_readers import extended_data, folders, parse_strict

if TYPE_CHECKING:
    from fake_geocoders import FakeGeocoders

pytest_plugins = ["fake_geocoders"]

VENUES = ["Leeds Central Library", "Civic Hall", "Kirkgate Market", "The Tetley"]


def online_config(tmp_path, fake: FakeGeocoders, rows: list[dict[str, str]]):
    (tmp_path / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")
    columns = "\n".join(f'{field} = "{title}"' for field, title in HEADERS.items())
    config = tmp_path / "smwsync.toml"
    config.write_text(
        f'[source]\ncsv = "responses.csv"\n\n[columns]\n{columns}\n\n'
        "[geocode]\nretries = 0\n\n"
        f'[geocode.postcodes_io]\nurl = "{fake.url}"\n\n'
        f'[geocode.nominatim]\nurl = "{fake.url}"\nuser_agent = "smwsync-tests"\n'
        "min_delay_seconds = 0\n\n"
        '[publish]\nout = "out"\nkml = "events.kml"\ntitle = "Test campaign"\n',
        encoding="utf-8",
    )
    return config


def rows_for(fake: FakeGeocoders, postcodes: int, repeats: int) -> list[dict[str, str]]:
    rows = []
    for n in range(postcodes):
        postcode = f"LS{2 + n // 100} {1 + n % 9}{'ABDEFGHJLN'[n // 9 % 10]}Z"
        fake.add_postcode(postcode, 53.80 + n * 1e-4, -1.55, "Leeds", "E08000035")
        rows.extend(
            {"title": f"Drop-in {n}.{r}", "council": "Leeds", "postcode": postcode.lower()}
            for r in range(repeats)
        )
    for n, venue in enumerate(VENUES):
        fake.add_place(venue, 53.79 + n / 500, -1.54)
        rows.extend(
            {"title": f"Talk {n}.{r}", "council": "Leeds", "venue": venue, "address": "Leeds"}
            for r in range(repeats)
        )
    return rows


def test_a_cold_sync_costs_one_request_per_100_postcodes_and_per_venue_and_a_warm_one_none(
    tmp_path, fake_geocoders
):
    postcodes = 130
    config = online_config(tmp_path, fake_geocoders, rows_for(fake_geocoders, postcodes, 2))

    cold = CliRunner().invoke(cli, ["sync", "--config", str(config)], catch_exceptions=False)

    assert cold.exit_code == 0, cold.output
    assert fake_geocoders.count("/postcodes", "POST") <= math.ceil(postcodes / 100)
    assert fake_geocoders.count("/search") == len(VENUES)
    assert fake_geocoders.count("/postcodes/") == 0
    assert "  postcodes.io: 2 requests, 0 from the cache, 0 failed" in cold.output
    assert "  nominatim: 4 requests, 0 from the cache, 0 failed" in cold.output
    kml = (tmp_path / "out" / "events.kml").read_bytes()
    assert b"\xc2\xa9 OpenStreetMap contributors" in kml
    placemarks = [mark for marks in folders(parse_strict(kml)).values() for mark in marks]
    assert len(placemarks) == 2 * (postcodes + len(VENUES))
    sources = {
        data["location_source"]: data["precision"] for data in map(extended_data, placemarks)
    }
    assert sources == {"postcodes.io": "postcode", "nominatim": "address"}

    fake_geocoders.reset_counts()
    warm = CliRunner().invoke(cli, ["sync", "--config", str(config)], catch_exceptions=False)

    assert warm.exit_code == 0, warm.output
    assert fake_geocoders.requests == []
    assert warm.output.strip() == "No changes since the last sync."
    assert (tmp_path / "out" / "events.kml").read_bytes() == kml


def test_a_sync_with_every_service_down_still_publishes_every_event(tmp_path, fake_geocoders):
    config = online_config(tmp_path, fake_geocoders, rows_for(fake_geocoders, 5, 1))
    fake_geocoders.fail("/", times=100, status=503)

    result = CliRunner().invoke(cli, ["sync", "--config", str(config)], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "Published 9 events." in result.output
    assert "  nominatim: 3 requests, 0 from the cache, 4 failed" in result.output
    assert "  by source: gazetteer 9" in result.output


def test_offline_on_the_command_line_asks_nothing_online(tmp_path, fake_geocoders):
    config = online_config(tmp_path, fake_geocoders, rows_for(fake_geocoders, 5, 1))

    result = CliRunner().invoke(
        cli, ["sync", "--offline", "--config", str(config)], catch_exceptions=False
    )

    assert result.exit_code == 0, result.output
    assert fake_geocoders.requests == []
    assert not (tmp_path / "geocode-cache.sqlite").exists()


def test_geocode_shows_each_step_and_caches_what_it_asked(tmp_path, fake_geocoders):
    config = online_config(tmp_path, fake_geocoders, [])
    fake_geocoders.add_postcode("LS1 1AA", 53.7997, -1.5492, "Leeds", "E08000035")
    fake_geocoders.add_place("Civic Hall", 53.8018, -1.5491, name="Civic Hall, Leeds")
    runner = CliRunner()

    by_postcode = runner.invoke(cli, ["geocode", "ls11aa", "--config", str(config)])
    by_address = runner.invoke(
        cli, ["geocode", "Civic Hall, Leeds", "--council", "Leeds", "--config", str(config)]
    )
    runner.invoke(cli, ["geocode", "ls11aa", "--config", str(config)])

    lines = by_postcode.output.splitlines()
    assert lines[0] == "override:          none"
    assert lines[2].startswith("postcodes.io:      postcode LS1 1AA (Leeds) (53.79970, -1.54920)")
    assert lines[-1] == (
        "used:              postcode LS1 1AA (Leeds) (53.79970, -1.54920) "
        "[postcode, from postcodes.io]"
    )
    assert "nominatim:         Civic Hall, Leeds (53.80180, -1.54910) (asked " in by_address.output
    assert "[address, from nominatim]" in by_address.output
    assert fake_geocoders.count("/postcodes", "POST") == 1  # the second time, from the cache
    assert fake_geocoders.count("/search") == 1


def test_the_json_report_counts_each_providers_work(tmp_path, fake_geocoders):
    config = online_config(tmp_path, fake_geocoders, rows_for(fake_geocoders, 3, 2))
    result = CliRunner().invoke(
        cli, ["sync", "--dry-run", "--json", "--config", str(config)], catch_exceptions=False
    )
    report = json.loads(result.output)
    assert report["geocoders"] == {
        "nominatim": {"requests": 4, "cache_hits": 0, "failures": 0, "placed": 8},
        "postcodes.io": {"requests": 1, "cache_hits": 0, "failures": 0, "placed": 6},
    }


def test_progress_is_one_line_on_stderr_and_only_past_a_handful(capsys):
    for done in (1, 2, 3):
        lookup_progress(done, 3)
    assert capsys.readouterr().err == ""
    for done in range(1, 8):
        lookup_progress(done, 7)
    err = capsys.readouterr().err
    assert err.endswith("\rLooking up venues online: 7/7\n")
    assert err.count("\n") == 1


def test_a_sync_placing_every_event_from_the_cache_loads_no_online_client(tmp_path, fake_geocoders):
    # requests and geopy take a tenth of a second to load, more than the rest of a small
    # sync with one answer changed: a cron run that asks no service does without them.
    rows = rows_for(fake_geocoders, 3, 1)
    config = online_config(tmp_path, fake_geocoders, rows)
    assert CliRunner().invoke(cli, ["sync", "--config", str(config)]).exit_code == 0
    asked = len(fake_geocoders.requests)
    rows[0]["title"] = "Drop-in, edited"
    (tmp_path / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")
    printed, loaded = sync_in_a_child(config)
    assert "1 updated" in printed
    assert "Drop-in, edited" in (tmp_path / "out" / "events.kml").read_text(encoding="utf-8")
    assert len(fake_geocoders.requests) == asked  # nothing asked online
    assert [name for name in loaded if name.split(".")[0] in ("requests", "geopy")] == []
