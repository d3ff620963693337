"""Settings: a TOML file plus command-line overrides, loaded once and passed down."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from smwsync.errors import ConfigError
from smwsync.model import FORM_FIELDS, REQUIRED_FIELDS

DEFAULT_CONFIG = Path("smwsync.toml")
LAYER_FIELDS = ("format", "event_type", "council", "nation", "region")
# The file outputs [publish] can switch on, in the order a sync writes them.
OUTPUT_KEYS = ("kml", "kmz", "geojson", "ics", "csv")


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
class PostcodesIoSettings:
    """[geocode.postcodes_io]: the postcode service (often self-hosted)."""

    url: str = "https://api.postcodes.io"
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class NominatimSettings:
    """[geocode.nominatim]: OpenStreetMap's search, for venues without a usable postcode."""

    url: str = "https://nominatim.openstreetmap.org"
    user_agent: str = ""
    email: str = ""
    min_delay_seconds: float = 1.0
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class GeocodeSettings:
    """How events are placed on the map."""

    # Left out of the file: online only once [geocode.nominatim] user_agent is set.
    offline: bool = True
    council_distance_km: float = 40.0
    cache: Path = Path("geocode-cache.sqlite")
    retry_not_found_days: float = 30.0
    codepoint: Path = Path("codepoint.sqlite")
    retries: int = 2
    providers: tuple[str, ...] = ()
    google_api_key: str = ""
    # Event id or address (as typed) -> (latitude, longitude).
    overrides: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    postcodes_io: PostcodesIoSettings = field(default_factory=PostcodesIoSettings)
    nominatim: NominatimSettings = field(default_factory=NominatimSettings)


@dataclass(frozen=True)
class PublishSettings:
    """Which files to write, where, and how the map is laid out."""

    out: Path = Path("out")
    kml: str = "smw-events.kml"
    # More file outputs, each on when given a file name ("" is off); `csv` is a name prefix.
    kmz: str = ""
    geojson: str = ""
    ics: str = ""
    csv: str = ""
    layer_by: str = "format"
    title: str = "Social Media Week events"
    description: str = ""
    form_url: str = ""
    # Write-back to the live sheet (ignored for a CSV): a tab of published events for My Maps,
    # and a column on the response tab saying what happened to each response. "" is off.
    sheet_tab: str = ""
    status_column: str = ""
    # Running unattended: files kept beside the outputs (a relative path is inside `out`).
    state: Path = Path(".smwsync-state.json")
    change_log: Path = Path("changes.jsonl")
    status_file: Path = Path("status.json")
    # The secret public ids are keyed with: relative to the configuration file, never in `out`
    # (which is published). SMWSYNC_ID_SECRET, when set, is used instead (sync/id_secret.py).
    id_secret: Path = Path(".smwsync-id-secret")
    # What the last sync worked out for each answer and each event, so the next one redoes
    # only what changed: private (it holds the answers), beside the configuration like the
    # secret, never in `out`; safe to delete (the next sync then does everything again).
    # None ("" in the file): no cache, for a machine short of memory. A configuration file
    # that does not set it gets one named after it (`work_cache_name`).
    work_cache: Path | None = Path(".smwsync-work.sqlite")
    # Guards: hold publication back when the map would shrink, or rows fail, by more than this.
    max_drop: float = 0.25
    max_failed_rows: float = 0.5
    # Privacy and moderation: publish only rows the organisers' approval column approves; leave
    # events whose date has passed off the map; cut longer form answers (with a warning).
    require_approval: bool = False
    hide_past_events: bool = True
    max_text_length: int = 2000
    # The live web map: the folder of `out` it is written to ("map"); "" writes none.
    site: str = ""


# The live map's files ([publish] site): one folder of `out` holding a page, its data, its
# scripts and styles, and a copy of the calendar under the calendar's own name.
SITE_FILES = frozenset(
    (
        "index.html",
        "numbers.html",  # the week in numbers
        "numbers.csv",
        "events.json",
        "search.json",
        "site.js",
        "site.css",
        "leaflet.js",
        "leaflet.css",
        "leaflet.markercluster.js",
        "MarkerCluster.css",
        "leaflet-gesture-handling.js",
        "leaflet-gesture-handling.css",
    )
)

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@dataclass(frozen=True)
class SiteSettings:
    """[site]: the live web map's tiles and where it is served ([publish] site switches it on)."""

    # An XYZ tile address ({z}/{x}/{y}, optional {s}) and the credit its provider requires.
    tiles: str = OSM_TILES
    tile_attribution: str = "© OpenStreetMap contributors"
    tile_attribution_url: str = "https://www.openstreetmap.org/copyright"
    max_zoom: int = 19
    # Where the site will be served ("https://example.org/map/"): for share links and the
    # embed snippet. "" makes links relative to wherever the page is opened.
    url: str = ""
    # How far (km) "near me" looks for online and phone events from nearby councils.
    nearby_km: float = 40.0


@dataclass(frozen=True)
class NotifySettings:
    """Email to the staff who filled the form, and a digest to the organisers. Off by default.

    The password is never in the configuration: `password_env` names the environment variable
    that holds it. `per_minute` paces sending, and one run sends at most a minute's worth, so a
    large first run neither floods the relay nor holds the sync's lock for long.
    """

    enabled: bool = False
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"  # "starttls", "tls", or "none" (this machine only)
    username: str = ""
    password_env: str = ""
    sender: str = ""
    organisers: tuple[str, ...] = ()
    per_minute: int = 20
    max_attempts: int = 3
    # Staff are emailed only at addresses in these domains ("gov.uk" takes "leeds.gov.uk"), as
    # a form takes whatever address is typed; [] emails any address. At most this many emails
    # go to one address a day.
    staff_domains: tuple[str, ...] = ("gov.uk", "gov.scot", "gov.wales")
    per_address_per_day: int = 5
    timeout_seconds: float = 30.0
    # Addresses that asked for no more email, one a line (relative to the configuration file).
    unsubscribed: Path = Path("unsubscribed.txt")
    # What staff are told when organisers hide their event or it waits for approval.
    hidden_text: str = "The organisers have taken it off the map for now."
    waiting_text: str = "It will appear on the map once the organisers have approved it."
    # Where delivery is recorded (relative to the configuration file, not in `out`, which is
    # deleted and published); it holds no email address. Back it up with the state.
    ledger: Path = Path(".smwsync-notify.sqlite")


@dataclass(frozen=True)
class Settings:
    """Everything a sync needs to know, read from one configuration file."""

    source: SourceSettings = field(default_factory=SourceSettings)
    columns: Mapping[str, str] = field(default_factory=dict)
    geocode: GeocodeSettings = field(default_factory=GeocodeSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    site: SiteSettings = field(default_factory=SiteSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)
    config_path: Path | None = None
    # The date that counts as today (which events are past); None means the real date.
    today: dt.date | None = None


@dataclass(frozen=True)
class Overrides:
    """Command-line options that take precedence over the configuration file."""

    csv: Path | None = None
    out: Path | None = None
    offline: bool | None = None
    today: dt.date | None = None


def load_settings(
    path: Path | None = None, overrides: Overrides | None = None, *, required: bool = True
) -> Settings:
    """Read the configuration file at `path` (default ./smwsync.toml) and apply overrides.

    Commands that read no responses pass `required=False`: with no --config and no
    ./smwsync.toml they run on the default settings, relative to this folder.
    """
    config_path = path or DEFAULT_CONFIG
    if not config_path.is_file():
        if path is None and not required:
            return apply_overrides(Settings(), overrides or Overrides())
        hint = (
            'Make one from your form\'s responses with `smwsync init --csv "<your download>"`, '
            "or pass --config PATH."
        )
        raise ConfigError(f"No configuration file at {config_path}. {hint}")
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{config_path} is not valid TOML: {err}.{_toml_hint(err)}") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{config_path} is not UTF-8 text: {err}") from err
    base_dir = config_path.resolve().parent
    settings = settings_from_mapping(data, base_dir=base_dir)
    settings = replace(settings, config_path=config_path)
    if "work_cache" not in data.get("publish", {}):
        # Named after the configuration, so two in one folder keep their own work.
        cache = base_dir / work_cache_name(config_path)
        settings = replace(settings, publish=replace(settings.publish, work_cache=cache))
    return apply_overrides(settings, overrides or Overrides())


def work_cache_name(config_path: Path) -> str:
    """The work cache's default name for a configuration file: ".smwsync-work.sqlite" beside
    smwsync.toml, ".preview-work.sqlite" beside preview.toml."""
    return f".{config_path.stem.lstrip('.') or 'smwsync'}-work.sqlite"


def _toml_hint(err: tomllib.TOMLDecodeError) -> str:
    # tomllib says "Invalid value" for the usual slip: text typed without its quotes.
    if not str(err).startswith("Invalid value"):
        return ""
    return (
        ' Text needs double quotes around it, like title = "Social Media Week events"; only '
        "numbers, true and false go without."
    )


def settings_from_mapping(data: Mapping[str, Any], base_dir: Path) -> Settings:
    """Build Settings from parsed TOML, resolving relative paths against `base_dir`."""
    _check_keys(
        data, ("source", "columns", "geocode", "publish", "site", "notify"), "the configuration"
    )
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
    publish = replace(
        publish,
        out=_resolve(base_dir, publish.out),
        id_secret=_resolve(base_dir, publish.id_secret),
        work_cache=(
            None
            if publish.work_cache is None or str(publish.work_cache) == "."
            else _resolve(base_dir, publish.work_cache)
        ),
    )
    if publish.layer_by not in LAYER_FIELDS:
        raise ConfigError(
            f"[publish] layer_by = {publish.layer_by!r} is not one of {', '.join(LAYER_FIELDS)}."
        )
    check_output_names(publish)
    for key in ("max_drop", "max_failed_rows"):
        if not 0 <= getattr(publish, key) <= 1:
            raise ConfigError(f"[publish] {key} must be a share from 0 to 1, such as 0.25.")
    _check_site_folder(publish)
    site = _section(SiteSettings, data.get("site", {}), "site")
    _check_site(site)
    geocode = geocode_settings(data.get("geocode", {}), base_dir)
    columns = _columns(data.get("columns", {}))
    _check_moderation(publish, columns)
    notify = notify_settings(data.get("notify", {}), base_dir)
    return Settings(
        source=source,
        columns=columns,
        geocode=geocode,
        publish=publish,
        site=site,
        notify=notify,
    )


def apply_overrides(settings: Settings, overrides: Overrides) -> Settings:
    """Return settings with every option given on the command line taking precedence."""
    source, publish, geocode = settings.source, settings.publish, settings.geocode
    if overrides.csv is not None:
        source = replace(source, csv=overrides.csv, sheet="")
    if overrides.out is not None:
        publish = replace(publish, out=overrides.out)
    if overrides.offline is not None:
        geocode = replace(geocode, offline=overrides.offline)
    today = overrides.today if overrides.today is not None else settings.today
    return replace(settings, source=source, publish=publish, geocode=geocode, today=today)


SMTP_SECURITY = ("starttls", "tls", "none")


def notify_settings(raw: Any, base_dir: Path) -> NotifySettings:
    """The [notify] table, checked: a setting that cannot work is an error before any sync."""
    notify = _section(NotifySettings, raw, "notify")
    notify = replace(
        notify,
        unsubscribed=_resolve(base_dir, notify.unsubscribed),
        ledger=_resolve(base_dir, notify.ledger),
    )
    if notify.smtp_security not in SMTP_SECURITY:
        raise ConfigError(
            f"[notify] smtp_security = {notify.smtp_security!r} must be one of "
            f"{', '.join(SMTP_SECURITY)}."
        )
    if notify.smtp_security == "none" and notify.smtp_host not in ("localhost", "127.0.0.1", "::1"):
        raise ConfigError(
            f'[notify] smtp_security = "none" would send the password and every email '
            f'unencrypted to {notify.smtp_host or "the relay"}: use "starttls" (port 587) or '
            '"tls" (port 465). "none" is only for a relay on this machine.'
        )
    if not isinstance(notify.organisers, tuple) or not all(
        isinstance(address, str) and "@" in address for address in notify.organisers
    ):
        raise ConfigError(
            '[notify] organisers must be a list of email addresses, like ["smw@example.gov.uk"].'
        )
    if not all(isinstance(domain, str) and "." in domain for domain in notify.staff_domains):
        raise ConfigError(
            '[notify] staff_domains must be a list of domains, like ["gov.uk"], or [] for any.'
        )
    if min(notify.per_minute, notify.max_attempts, notify.per_address_per_day) < 1:
        raise ConfigError(
            "[notify] per_minute, max_attempts and per_address_per_day must be 1 or more."
        )
    if "<" in notify.sender or " " in notify.sender.strip():
        raise ConfigError(
            f"[notify] sender = {notify.sender!r} must be the address alone, like "
            '"smw-map@example.gov.uk"; the campaign\'s name is added from [publish] title.'
        )
    if notify.enabled:
        missing = [key for key in ("smtp_host", "sender") if not getattr(notify, key)]
        if missing:
            raise ConfigError(
                f"[notify] enabled = true needs {' and '.join(missing)}: the mail relay's name "
                "(such as smtp.office365.com) and the address the emails come from."
            )
        if notify.username and not notify.password_env:
            raise ConfigError(
                "[notify] username is set but password_env is not: name the environment "
                'variable that holds the password, such as password_env = "SMWSYNC_SMTP_PASSWORD".'
            )
    return notify


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
    if isinstance(default, tuple) and isinstance(value, list):
        return tuple(value)  # what the items must be, each section checks
    if isinstance(default, Path) or default is None:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a path, as text.")
        return Path(value)
    if isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{where} must be text, not {value!r}.")
    return value


def geocode_settings(raw: Any, base_dir: Path) -> GeocodeSettings:
    """[geocode] with its nested tables; online only with an identifying Nominatim user_agent."""
    if not isinstance(raw, Mapping):
        raise ConfigError("[geocode] must be a table.")
    nested = {"postcodes_io": PostcodesIoSettings, "nominatim": NominatimSettings}
    flat = {key: value for key, value in raw.items() if key not in (*nested, "overrides")}
    geocode = _section(GeocodeSettings, flat, "geocode")
    if not all(isinstance(name, str) for name in geocode.providers):
        raise ConfigError('[geocode] providers must be a list of names, like ["arcgis"].')
    parts = {key: _section(cls, raw.get(key, {}), f"geocode.{key}") for key, cls in nested.items()}
    nominatim: NominatimSettings = parts["nominatim"]
    offline = raw.get("offline", not nominatim.user_agent.strip())
    if not offline and not nominatim.user_agent.strip():
        raise ConfigError(
            "[geocode] offline = false needs [geocode.nominatim] user_agent: a name that "
            'identifies your deployment to OpenStreetMap, such as "smw-map (you@council.gov.uk)".'
        )
    if nominatim.min_delay_seconds < 1 and "nominatim.openstreetmap.org" in nominatim.url:
        raise ConfigError(
            "[geocode.nominatim] min_delay_seconds must be 1 or more for the public Nominatim "
            "server: its usage policy allows one request a second."
        )
    return replace(
        geocode,
        offline=offline,
        cache=_resolve(base_dir, geocode.cache),
        codepoint=_resolve(base_dir, geocode.codepoint),
        providers=tuple(str(name).strip().lower() for name in geocode.providers),
        overrides=_overrides(raw.get("overrides", {})),
        **parts,
    )


def _overrides(raw: Any) -> dict[str, tuple[float, float]]:
    if not isinstance(raw, Mapping):
        raise ConfigError(
            '[geocode.overrides] must be a table of "event id or address" = [latitude, longitude].'
        )
    found: dict[str, tuple[float, float]] = {}
    for key, value in raw.items():
        ok = isinstance(value, list) and len(value) == 2
        if not ok or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            raise ConfigError(
                f"[geocode.overrides] {key!r} must be [latitude, longitude], like [53.8, -1.55]."
            )
        found[key] = (float(value[0]), float(value[1]))
    return found


def _check_moderation(publish: PublishSettings, columns: Mapping[str, str]) -> None:
    if publish.require_approval and "approved" not in columns:
        raise ConfigError(
            "[publish] require_approval = true needs [columns] approved: the title of the "
            "organisers' approval column in the sheet (without it nothing could be published)."
        )
    if publish.max_text_length < 100:
        raise ConfigError("[publish] max_text_length must be 100 characters or more.")


def _check_site_folder(publish: PublishSettings) -> None:
    name = publish.site
    if not name:
        return
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise ConfigError(
            f"[publish] site = {name!r} must be a folder name, without a slash, such as "
            '"map": the site goes in that folder of [publish] out.'
        )
    taken = {publish.kml, publish.kmz, publish.geojson, publish.ics}
    if name in taken or (publish.csv and name.startswith(publish.csv + "-")):
        raise ConfigError(
            f"[publish] site = {name!r} is also the name of another output: give the site's "
            "folder its own name."
        )
    if publish.ics in SITE_FILES:
        raise ConfigError(
            f"[publish] ics = {publish.ics!r} is also the name of one of the live map's files, "
            "and the map keeps a copy of the calendar beside them: call the calendar something "
            'else, such as "smw-events.ics".'
        )


def _check_site(site: SiteSettings) -> None:
    parts = urlsplit(site.tiles)
    if parts.scheme not in ("https", "http") or not parts.hostname or "{z}" not in site.tiles:
        raise ConfigError(
            f"[site] tiles = {site.tiles!r} must be a tile address starting https:// with "
            "{z}, {x} and {y} in it, such as " + repr(OSM_TILES) + "."
        )
    if not all(part in site.tiles for part in ("{x}", "{y}")):
        raise ConfigError(f"[site] tiles = {site.tiles!r} needs {{x}} and {{y}} as well as {{z}}.")
    for key in ("url", "tile_attribution_url"):
        value = getattr(site, key)
        if value and urlsplit(value).scheme not in ("https", "http"):
            raise ConfigError(
                f"[site] {key} = {value!r} must be a web address starting https:// (or http://)."
            )
    if not 1 <= site.max_zoom <= 22:
        raise ConfigError("[site] max_zoom must be a whole number from 1 to 22, such as 19.")
    if not site.nearby_km > 0:
        raise ConfigError("[site] nearby_km must be more than 0, such as 40.")


def _check_source(source: SourceSettings) -> None:
    if source.gid is not None and source.gid < 0:
        raise ConfigError("[source] gid must be 0 or more (the number after #gid= in the URL).")
    if source.retries < 0:
        raise ConfigError("[source] retries must be 0 or more.")
    if not source.timeout_seconds > 0:
        raise ConfigError("[source] timeout_seconds must be more than 0.")
    if source.api_endpoint and not is_safe_endpoint(source.api_endpoint):
        raise ConfigError(
            f"[source] api_endpoint = {source.api_endpoint!r} must be an address starting "
            "https:// (leave it out to use Google's own, https://sheets.googleapis.com)."
        )


def is_safe_endpoint(url: str) -> bool:
    """True for https:// addresses, and for plain http:// only on this machine (a test or a
    local proxy): anywhere else plain http would send the Google sign-in token unencrypted."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https":
        return bool(host)
    return parts.scheme == "http" and (host in ("localhost", "::1") or host.startswith("127."))


def _check_keys(raw: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key not in known:
            suggestion = closest(key, known)
            hint = f" Did you mean {suggestion!r}?" if suggestion else ""
            raise ConfigError(
                f"{where} has an unknown key {key!r}.{hint} Known keys: {', '.join(known)}."
            )


def _resolve(base_dir: Path, path: Path) -> Path:
    """`path` as the configuration file means it: relative to its folder, with ".." folded, so
    messages name "/srv/smw/out/map.kml" rather than "/srv/smw/config/../out/map.kml"."""
    path = path.expanduser()
    return Path(os.path.normpath(path if path.is_absolute() else base_dir / path))


def check_output_names(settings: PublishSettings) -> None:
    """Raise ConfigError unless every output's name is a plain file name used only once."""
    seen: dict[str, str] = {}
    for key in OUTPUT_KEYS:
        name = getattr(settings, key)
        if not name:
            continue
        if "/" in name or "\\" in name or name in (".", ".."):
            raise ConfigError(
                f"[publish] {key} = {name!r} must be a file name, without a folder: the files "
                "go in [publish] out (or --out PATH)."
            )
        if name in seen:
            raise ConfigError(
                f"[publish] {key} and {seen[name]} are both {name!r}: give each output its own "
                "file name."
            )
        seen[name] = key
