"""Reading the configuration file and command-line overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from smwsync.config import Overrides, load_settings
from smwsync.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "smwsync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_are_relative_to_the_config_file(tmp_path):
    path = write(tmp_path, '[source]\ncsv = "data/r.csv"\n[columns]\ntitle = "Event title"\n')
    settings = load_settings(path)
    assert settings.source.csv == tmp_path / "data" / "r.csv"
    assert settings.publish.out == tmp_path / "out"
    assert settings.columns == {"title": "Event title"}


def test_command_line_overrides_the_file(tmp_path):
    path = write(tmp_path, '[source]\ncsv = "r.csv"\n[columns]\ntitle = "T"\n')
    settings = load_settings(path, Overrides(csv=Path("other.csv"), out=Path("o"), offline=True))
    assert settings.source.csv == Path("other.csv")
    assert settings.publish.out == Path("o")
    assert settings.geocode.offline is True


def test_unknown_field_name_suggests_the_right_one(tmp_path):
    path = write(tmp_path, '[columns]\ntitle = "T"\npostcde = "Postcode"\n')
    with pytest.raises(ConfigError, match="Did you mean 'postcode'"):
        load_settings(path)


def test_unknown_section_is_refused(tmp_path):
    path = write(tmp_path, '[colums]\ntitle = "T"\n')
    with pytest.raises(ConfigError, match="Did you mean 'columns'"):
        load_settings(path)


def test_title_column_is_required(tmp_path):
    path = write(tmp_path, '[columns]\nvenue = "Venue"\n')
    with pytest.raises(ConfigError, match="needs title"):
        load_settings(path)


def test_wrong_types_are_explained(tmp_path):
    path = write(tmp_path, '[columns]\ntitle = "T"\n[geocode]\noffline = "yes"\n')
    with pytest.raises(ConfigError, match=r"\[geocode\] offline must be true or false"):
        load_settings(path)


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path, "[columns\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings(path)


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match=r"smwsync init --csv"):
        load_settings(tmp_path / "smwsync.toml")


def test_text_without_quotes_says_text_needs_quotes(tmp_path):
    path = write(tmp_path, "[publish]\ntitle = Social Media Week\n")
    with pytest.raises(ConfigError, match=r"line 2.*Text needs double quotes"):
        load_settings(path)


def test_layer_by_must_be_known(tmp_path):
    path = write(tmp_path, '[columns]\ntitle = "T"\n[publish]\nlayer_by = "colour"\n')
    with pytest.raises(ConfigError, match="layer_by"):
        load_settings(path)


def test_a_sheet_and_a_csv_together_are_refused(tmp_path):
    path = write(tmp_path, '[source]\ncsv = "r.csv"\nsheet = "abc"\n[columns]\ntitle = "T"\n')
    with pytest.raises(ConfigError, match="both a sheet and a csv"):
        load_settings(path)


def test_csv_on_the_command_line_reads_a_download_instead_of_the_sheet(tmp_path):
    path = write(tmp_path, '[source]\nsheet = "abc"\n[columns]\ntitle = "T"\n')
    settings = load_settings(path, Overrides(csv=Path("download.csv")))
    assert settings.source.csv == Path("download.csv")
    assert settings.source.sheet == ""


@pytest.mark.parametrize(
    ("endpoint", "accepted"),
    [
        ("https://sheets.example.org", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:9000", True),
        ("http://sheets.example.org", False),  # would send the Google token unencrypted
        ("ftp://127.0.0.1", False),
    ],
)
def test_plain_http_endpoints_only_on_this_machine(tmp_path, endpoint, accepted):
    path = write(
        tmp_path, f'[source]\nsheet = "abc"\napi_endpoint = "{endpoint}"\n[columns]\ntitle = "T"\n'
    )
    if accepted:
        assert load_settings(path).source.api_endpoint == endpoint
    else:
        with pytest.raises(ConfigError, match="api_endpoint"):
            load_settings(path)
