"""The online services a sync may ask (postcodes.io, Nominatim, optional providers), each
behind its own limiter, made when first asked.

Their clients load requests and geopy, a tenth of a second at every start: a sync whose
events are all placed from the cache, the Code-Point index or the gazetteer never loads them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from smwsync.config import GeocodeSettings
from smwsync.errors import ConfigError
from smwsync.geocode.services import NOMINATIM, POSTCODES_IO

if TYPE_CHECKING:
    import requests

    from smwsync.geocode.limiter import Limiter
    from smwsync.geocode.nominatim import NominatimSearch
    from smwsync.geocode.postcodes_io import PostcodesIo
    from smwsync.geocode.providers import GeopyProvider


class Online:
    """The online services the settings name; a ConfigError without a Nominatim user_agent.

    `clock` and `sleep` drive the limiters (tests pass a virtual clock); `session` is the HTTP
    session postcodes.io is asked through."""

    def __init__(
        self,
        settings: GeocodeSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        if not settings.nominatim.user_agent.strip():
            raise ConfigError(
                "Online geocoding needs [geocode.nominatim] user_agent: a name that identifies "
                'your deployment to OpenStreetMap, such as "smw-map (you@council.gov.uk)". '
                "Or run with --offline."
            )
        self.settings = settings
        self.user_agent = settings.nominatim.user_agent.strip()
        self._clock = clock
        self._sleep = sleep
        self._session = session
        self.limiters: dict[str, Limiter] = {}
        if self.extra_names:
            self.extra  # noqa: B018 - made now: a provider that cannot be used stops the start

    @property
    def extra_names(self) -> tuple[str, ...]:
        """The optional venue providers the settings name, asked after Nominatim."""
        return tuple(self.settings.providers)

    @cached_property
    def postcodes_io(self) -> PostcodesIo:
        from smwsync.geocode.postcodes_io import PostcodesIo

        service = self.settings.postcodes_io
        return PostcodesIo(
            service.url,
            timeout=service.timeout_seconds,
            session=self._session,
            user_agent=self.user_agent,
        )

    @cached_property
    def nominatim(self) -> NominatimSearch:
        from smwsync.geocode.nominatim import NominatimSearch

        nominatim = self.settings.nominatim
        return NominatimSearch(
            nominatim.url,
            user_agent=self.user_agent,
            email=nominatim.email,
            timeout=nominatim.timeout_seconds,
        )

    @cached_property
    def extra(self) -> tuple[GeopyProvider, ...]:
        from smwsync.geocode.providers import optional_provider

        key = self.settings.google_api_key
        return tuple(optional_provider(name, google_api_key=key) for name in self.extra_names)

    @cached_property
    def failures(self) -> tuple[type[Exception], ...]:
        """The errors a service raises when asking it failed (geopy's, which the clients
        raise for HTTP errors and timeouts too)."""
        from geopy.exc import GeocoderServiceError, GeopyError

        return (GeopyError, GeocoderServiceError)

    def limiter(self, name: str) -> Limiter:
        """The limiter for provider `name`, made on first use: postcodes.io with no gap,
        Nominatim at its minimum delay, an optional provider a second apart, any other with
        no gap and two tries."""
        if name not in self.limiters:
            from smwsync.geocode.limiter import Limiter

            retries = self.settings.retries
            gap, tries = 0.0, 2
            if name == POSTCODES_IO:
                gap, tries = 0.0, retries
            elif name == NOMINATIM:
                gap, tries = self.settings.nominatim.min_delay_seconds, retries
            elif name in self.extra_names:
                gap, tries = 1.0, retries
            self.limiters[name] = Limiter(gap, tries, clock=self._clock, sleep=self._sleep)
        return self.limiters[name]


def online_services(
    settings: GeocodeSettings,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    session: requests.Session | None = None,
) -> Online:
    """The online services the settings name (see `Online`)."""
    return Online(settings, clock=clock, sleep=sleep, session=session)
