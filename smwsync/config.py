"""Settings: a TOML file plus command-line overrides, loaded once and passed down."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from smwsync.errors import ConfigError
from smwsync.model import FORM_FIELDS, REQUIRED_FIELDS

DEFAULT_CONFIG = Path("smwsync.toml")
LAYER_FIELDS = ("format", "event_type", "council", "nation", "region")


@dataclass(frozen=True)
class SourceSettings:
    """Where the form's responses come from and how to read their text."""

    csv: Path | None = None
    encoding: str = "utf-8"
    locale: str = "en_GB"
    timezone: str = "Europe/London"
    # The live response sheet: its address (URL) or key, and which tab holds the responses.
    sheet: str = ""
    worksheet: str = ""
    gid: int | None = None
    credentials: Path | None = None
    api_endpoint: str = ""
    timeout_seconds: float = 30.0
    retries: int = 4

    @property
    def day_first(self) -> bool:
        """UK and most other locales write 02/03 for 2 March; the US writes it for 3 February."""
        return not self.locale.lower().replace("-", "_").endswith("_us")


@dataclass(frozen=True)
class GeocodeSettings:
    """How events are placed on the map."""

    offline: bool = True
    council_distance_km: float = 40.0


@dataclass(frozen=True)
class PublishSettings:
    """Which files to write, where, and how the map is laid out."""

    out: Path = Path("out")
    kml: str = "smw-events.kml"
    layer_by: str = "format"
    title: str = "Social Media Week events"
    description: str = ""
    form_url: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything a sync needs to know, read from one configuration file."""

    source: SourceSettings = field(default_factory=SourceSettings)
    columns: Mapping[str, str] = field(default_factory=dict)
    geocode: GeocodeSettings = field(default_factory=GeocodeSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    config_path: Path | None = None


@dataclass(frozen=True)
class Overrides:
    """Command-line options that take precedence over the configuration file."""

    csv: Path | None = None
    out: Path | None = None
    offline: bool | None = None


def load_settings(path: Path | None = None, overrides: Overrides | None = None) -> Settings:
    """Read the configuration file at `path` (default ./smwsync.toml) and apply overrides."""
    config_path = path or DEFAULT_CONFIG
    if not config_path.is_file():
        hint = (
            "Copy config/smwsync.example.toml to smwsync.toml and edit it, or pass --config PATH."
        )
        raise ConfigError(f"No configuration file at {config_path}. {hint}")
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{config_path} is not valid TOML: {err}") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{config_path} is not UTF-8 text: {err}") from err
    settings = settings_from_mapping(data, base_dir=config_path.resolve().parent)
    settings = replace(settings, config_path=config_path)
    return apply_overrides(settings, overrides or Overrides())


def settings_from_mapping(data: Mapping[str, Any], base_dir: Path) -> Settings:
    """Build Settings from parsed TOML, resolving relative paths against `base_dir`."""
    _check_keys(data, ("source", "columns", "geocode", "publish"), "the configuration")
    source = _section(SourceSettings, data.get("source", {}), "source")
    if source.csv is not None and source.sheet:
        raise ConfigError(
            "[source] names both a sheet and a csv file: keep one (--csv PATH on the command "
            "line reads a download instead of the sheet for one run)."
        )
    if source.csv is not None:
        source = replace(source, csv=_resolve(base_dir, source.csv))
    if source.credentials is not None:
        source = replace(source, credentials=_resolve(base_dir, source.credentials))
    _check_source(source)
    publish = _section(PublishSettings, data.get("publish", {}), "publish")
    publish = replace(publish, out=_resolve(base_dir, publish.out))
    if publish.layer_by not in LAYER_FIELDS:
        raise ConfigError(
            f"[publish] layer_by = {publish.layer_by!r} is not one of {', '.join(LAYER_FIELDS)}."
        )
    geocode = _section(GeocodeSettings, data.get("geocode", {}), "geocode")
    columns = _columns(data.get("columns", {}))
    return Settings(source=source, columns=columns, geocode=geocode, publish=publish)


def apply_overrides(settings: Settings, overrides: Overrides) -> Settings:
    """Return settings with every option given on the command line taking precedence."""
    source, publish, geocode = settings.source, settings.publish, settings.geocode
    if overrides.csv is not None:
        source = replace(source, csv=overrides.csv, sheet="")
    if overrides.out is not None:
        publish = replace(publish, out=overrides.out)
    if overrides.offline is not None:
        geocode = replace(geocode, offline=overrides.offline)
    return replace(settings, source=source, publish=publish, geocode=geocode)


def closest(word: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The candidate most like `word`, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else None


def _columns(raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ConfigError('[columns] must be a table of field = "Question title" lines.')
    _check_keys(raw, FORM_FIELDS, "[columns]")
    columns: dict[str, str] = {}
    for name, title in raw.items():
        if not isinstance(title, str) or not title.strip():
            raise ConfigError(f"[columns] {name} must be the question's title, as text.")
        columns[name] = title
    missing = [name for name in REQUIRED_FIELDS if name not in columns]
    if missing:
        raise ConfigError(
            f"[columns] needs {', '.join(missing)}: the title of the question that asks for it."
        )
    return columns


def _section(cls: type, raw: Any, name: str) -> Any:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"[{name}] must be a table.")
    known = {f.name: f for f in fields(cls)}
    _check_keys(raw, tuple(known), f"[{name}]")
    values = {}
    for key, value in raw.items():
        default = getattr(cls(), key)
        values[key] = _coerce(value, default, f"[{name}] {key}", str(known[key].type))
    return cls(**values)


def _coerce(value: Any, default: Any, where: str, annotation: str = "") -> Any:
    # `annotation` is the field's type as written ("int | None"): a None default alone cannot
    # tell a path from a number.
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}.")
        return value
    if isinstance(default, int) or annotation.startswith("int"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be a whole number, not {value!r}.")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where} must be a number, not {value!r}.")
        return float(value)
    if isinstance(default, Path) or default is None:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a path, as text.")
        return Path(value)
    if isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{where} must be text, not {value!r}.")
    return value


def _check_source(source: SourceSettings) -> None:
    if source.gid is not None and source.gid < 0:
        raise ConfigError("[source] gid must be 0 or more (the number after #gid= in the URL).")
    if source.retries < 0:
        raise ConfigError("[source] retries must be 0 or more.")
    if not source.timeout_seconds > 0:
        raise ConfigError("[source] timeout_seconds must be more than 0.")
    if source.api_endpoint and not source.api_endpoint.startswith(("https://", "http://")):
        raise ConfigError(
            f"[source] api_endpoint = {source.api_endpoint!r} must be an address starting "
            "https:// (leave it out to use Google's own, https://sheets.googleapis.com)."
        )


def _check_keys(raw: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key not in known:
            suggestion = closest(key, known)
            hint = f" Did you mean {suggestion!r}?" if suggestion else ""
            raise ConfigError(
                f"{where} has an unknown key {key!r}.{hint} Known keys: {', '.join(known)}."
            )


def _resolve(base_dir: Path, path: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else base_dir / path
