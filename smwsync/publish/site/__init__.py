"""The live public map: a static web site that every sync writes beside its other outputs.

`files.write_site` writes the site's files (the page, its data, its search index, Leaflet and
the page's own script and style); `preview.render_preview` makes the same page as one
self-contained file for `smwsync preview`, with the organisers' panel the public never sees.
"""
