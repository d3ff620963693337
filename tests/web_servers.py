"""Local web servers for the live map's browser tests: the site's folder, and fake map tiles.

Both listen on 127.0.0.1 only, in threads, and log every path asked for; the tile server
answers any /z/x/y.png with the same small PNG, as a tile host would answer with a map.
"""

from __future__ import annotations

import functools
import http.server
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def tile_png(size: int = 256, grey: int = 0xE8) -> bytes:
    """A plain light-grey PNG tile, made here (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes([grey]) * size  # filter byte, then one grey byte a pixel
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


@dataclass
class Served:
    """A running server: its address and the paths it was asked for."""

    url: str
    asked: list[str] = field(default_factory=list)


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    served: Served

    def log_message(self, format: str, *args: object) -> None:
        self.served.asked.append(self.path)


class _Tiles(http.server.BaseHTTPRequestHandler):
    served: Served
    png = tile_png()

    def do_GET(self) -> None:
        self.served.asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.png)))
        self.end_headers()
        self.wfile.write(self.png)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[Served]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    served = Served(f"http://127.0.0.1:{server.server_address[1]}")
    handler.served = served  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_folder(folder: Path) -> Iterator[Served]:
    """Serve `folder` as a static web host would."""
    handler = type(
        "Files",
        (_QuietFiles,),
        {"__init__": functools.partialmethod(_QuietFiles.__init__, directory=str(folder))},
    )
    with _serve(handler) as served:
        yield served


@contextmanager
def serve_tiles() -> Iterator[Served]:
    """A fake tile server: any path gets the same PNG."""
    with _serve(type("Tiles", (_Tiles,), {})) as served:
        yield served
