"""The one door to Google: credentials, the HTTP client with its retries, reading the response
tab (and the events tab with it), and sending a batch of writes.

What to write is decided in `smwsync.publish`; this package only carries it.
"""
