"""The files the live map's page loads: Leaflet and its plugins, and the page's own script and
style, all served from the site itself (no other host, no CDN).

Leaflet, Leaflet.markercluster and Leaflet.GestureHandling are copied from the PyPI packages
that ship them (xstatic-leaflet, xstatic-leaflet-markercluster,
xstatic-leaflet-gesturehandling); the page's own files are in smwsync/publish/site/static/.
Each file's address carries a hash of its bytes (`?v=1a2b3c4d`), so a browser that cached an
older copy asks for the new one, while the name stays the same for hosts that keep old files.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_gesturehandling
import xstatic.pkg.leaflet_markercluster


@dataclass(frozen=True)
class Asset:
    """One file of the site: its name in the site's folder, and its bytes."""

    name: str
    data: bytes

    @property
    def address(self) -> str:
        """The relative address the page loads it from, with its version."""
        return f"{self.name}?v={content_version(self.data)}"

    @property
    def sha256(self) -> str:
        """The file's hash as a Content-Security-Policy source ('sha256-...')."""
        digest = base64.b64encode(hashlib.sha256(self.data).digest()).decode("ascii")
        return f"'sha256-{digest}'"

    @property
    def text(self) -> str:
        """The file as text (every asset is UTF-8)."""
        return self.data.decode("utf-8")


# (site file name, package, file name in the package's data folder), in the order the page
# loads them: Leaflet first, then its plugins.
_LIBRARY_FILES = (
    ("leaflet.css", xstatic.pkg.leaflet, "leaflet.css"),
    ("MarkerCluster.css", xstatic.pkg.leaflet_markercluster, "MarkerCluster.css"),
    (
        "leaflet-gesture-handling.css",
        xstatic.pkg.leaflet_gesturehandling,
        "leaflet-gesture-handling.min.css",
    ),
    ("leaflet.js", xstatic.pkg.leaflet, "leaflet.js"),
    ("leaflet.markercluster.js", xstatic.pkg.leaflet_markercluster, "leaflet.markercluster.js"),
    (
        "leaflet-gesture-handling.js",
        xstatic.pkg.leaflet_gesturehandling,
        "leaflet-gesture-handling.min.js",
    ),
)
OWN_FILES = ("site.css", "site.js")


# The hex digits of a file's SHA-256 in its address ("events.json?v=1a2b3c4d5e").
VERSION_DIGITS = 10


def content_version(data: bytes) -> str:
    """A short hash of a file's bytes, for its address."""
    return hashlib.sha256(data).hexdigest()[:VERSION_DIGITS]


@functools.cache
def styles() -> tuple[Asset, ...]:
    """The style sheets, in the order the page loads them (its own last, so it wins)."""
    return tuple(a for a in _all_assets() if a.name.endswith(".css"))


@functools.cache
def scripts() -> tuple[Asset, ...]:
    """The scripts, in the order the page loads them (its own last: it uses the others)."""
    return tuple(a for a in _all_assets() if a.name.endswith(".js"))


def _all_assets() -> tuple[Asset, ...]:
    library = [
        Asset(name, _library_file(package.BASE_DIR, file)) for name, package, file in _LIBRARY_FILES
    ]
    own = [Asset(name, static_file(name)) for name in OWN_FILES]
    return (*library, *own)


def _library_file(folder: str, name: str) -> bytes:
    # Line ends as an HTML parser leaves them (leaflet.css has CRLF): the preview inlines these
    # files and allows each by the hash of its text as the browser reads it.
    data = (Path(folder) / name).read_bytes().replace(b"\r\n", b"\n")
    # The packages end their minified files with a pointer to a source map they may not ship;
    # the site does not copy the maps, so the pointer would only bring a 404 in the console.
    lines = data.rstrip(b"\n").split(b"\n")
    if lines[-1].startswith((b"//# sourceMappingURL=", b"/*# sourceMappingURL=")):
        lines = lines[:-1]
    return b"\n".join(lines) + b"\n"


@functools.cache
def static_file(name: str) -> bytes:
    """One of the page's own files (its HTML template, script or style)."""
    return resources.files("smwsync.publish.site").joinpath("static", name).read_bytes()
