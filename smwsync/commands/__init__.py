"""The work behind the commands that are not a sync: init, doctor and auth.

`cli.py` parses options, calls one function from here (or from `smwsync.sync`) and prints.
"""
