"""Email after a sync: each member of staff hears what happened to their entry, once for each
change, and the organisers get a digest of what needs them. Off unless `[notify] enabled`."""
