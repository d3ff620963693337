"""[geocode] and its nested tables, as organisers write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from smwsync.config import geocode_settings
from smwsync.errors import ConfigError

BASE = Path("/campaign")


def test_left_out_offline_stays_on_until_a_user_agent_identifies_the_deployment():
    assert geocode_settings({}, BASE).offline is True
    online = geocode_settings({"nominatim": {"user_agent": "smw-map (digital@leeds.gov.uk)"}}, BASE)
    assert online.offline is False
    assert online.nominatim.url == "https://nominatim.openstreetmap.org"
    assert online.cache == BASE / "geocode-cache.sqlite"
    assert online.codepoint == BASE / "codepoint.sqlite"


def test_going_online_without_a_user_agent_is_refused():
    with pytest.raises(ConfigError, match=r"needs \[geocode.nominatim\] user_agent"):
        geocode_settings({"offline": False}, BASE)


def test_the_public_nominatim_server_is_asked_at_most_once_a_second():
    with pytest.raises(ConfigError, match="1 or more for the public Nominatim server"):
        geocode_settings({"nominatim": {"user_agent": "x", "min_delay_seconds": 0.5}}, BASE)
    own = {"url": "http://nominatim.internal:8080", "user_agent": "x", "min_delay_seconds": 0}
    assert geocode_settings({"nominatim": own}, BASE).nominatim.min_delay_seconds == 0.0


def test_endpoints_paths_and_overrides_are_read():
    settings = geocode_settings(
        {
            "cache": "cache/answers.sqlite",
            "providers": ["ArcGIS"],
            "postcodes_io": {"url": "http://127.0.0.1:8000", "timeout_seconds": 3},
            "overrides": {"e-123": [53.8, -1.55], "Hall 9, Leeds": [53.81, -1.56]},
        },
        BASE,
    )
    assert settings.cache == BASE / "cache" / "answers.sqlite"
    assert settings.providers == ("arcgis",)
    assert settings.postcodes_io.url == "http://127.0.0.1:8000"
    assert settings.postcodes_io.timeout_seconds == 3.0
    assert settings.overrides == {"e-123": (53.8, -1.55), "Hall 9, Leeds": (53.81, -1.56)}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"nominatim": {"useragent": "x"}}, "unknown key 'useragent'. Did you mean 'user_agent'?"),
        ({"postcode_io": {}}, "Did you mean 'postcodes_io'?"),
        ({"overrides": {"e1": [53.8]}}, "must be \\[latitude, longitude\\]"),
        ({"overrides": {"e1": "53.8, -1.5"}}, "must be \\[latitude, longitude\\]"),
        ({"providers": [1]}, "must be a list of names"),
        ({"nominatim": "x"}, "\\[geocode.nominatim\\] must be a table"),
    ],
)
def test_mistakes_are_told_with_what_to_write(raw, message):
    with pytest.raises(ConfigError, match=message):
        geocode_settings(raw, BASE)
