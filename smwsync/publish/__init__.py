"""Publishers: turn located events into the files people see (KML for Google My Maps, ...).

`fields` says which parts of an event are public and how each is shown; every publisher builds
on it, so a private field cannot reach one output and not another.
"""
