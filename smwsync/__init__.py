"""smwsync: keep a campaign's public event map in step with a Google Form."""

__version__ = "0.1.0"
