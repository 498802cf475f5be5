"""Domain code shared by the build (plugins/) and the editors' tools (tasks.py).

One parser of metadata, one resolver of registry names, one formatter of
Indonesian dates: the Pelican plugins and the import/new/check tasks both call
into this package so that they can never disagree.
"""
