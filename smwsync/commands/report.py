"""`smwsync report`: the campaign in numbers for organisers, written as one HTML page in `out`.

It reads and checks the responses as `smwsync check` does, publishing nothing, and never writes
into the public site: the page names rows and councils (never an email address or a name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from smwsync.config import Settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.publish.coverage import Coverage, campaign_coverage
from smwsync.publish.coverage_page import REPORT_FILE, render_coverage_page
from smwsync.sync import pipeline
from smwsync.sync.files import write_atomically


@dataclass(frozen=True)
class CampaignReport:
    """The numbers, and where the page was written."""

    coverage: Coverage
    path: Path


def write_campaign_report(
    settings: Settings,
    *,
    today: dt.date,
    environ: Mapping[str, str] | None = None,
    path: Path | None = None,
    gazetteer: Gazetteer | None = None,
) -> CampaignReport:
    """Check every response, count the campaign, and write the page (default `out`'s
    campaign-report.html)."""
    gazetteer = gazetteer or Gazetteer.load()
    report = pipeline.run(settings, write=False, gazetteer=gazetteer, environ=environ, today=today)
    coverage = campaign_coverage(
        report,
        gazetteer.local_councils(),
        gazetteer.county_councils(),
        timezone=ZoneInfo(settings.source.timezone),
    )
    target = path or settings.publish.out / REPORT_FILE
    page = render_coverage_page(coverage, title=settings.publish.title, today=today)
    write_atomically(target, page)
    return CampaignReport(coverage, target)
