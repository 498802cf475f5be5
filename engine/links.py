"""Seam: Content._update_content, replaced on the class (its original is kept and
called).

Pelican expands intrasite links (`{filename}...`) in a body once per SITEURL a
page renders it with (the release page, its feeds), and keeps each result in
get_content's memo for the rest of the build. A regular-expression
substitution with no match still returns a new copy of a `str` subclass such
as the sanitizer's final text, so every release's whole body was held three
times over. With the speed-ups on, a body with no intrasite link is returned
as it is: the same text, one copy.
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Content

from engine import speedups

_expand_links = Content._update_content
_state = {"on": False}


def _update_content(self, content: str, siteurl: str) -> str:
    if _state["on"] and content and not self._get_intrasite_link_regex().search(content):
        return content
    return _expand_links(self, content, siteurl)


def follow_settings(pelican):
    _state["on"] = speedups.on(pelican.settings)


def register():
    Content._update_content = _update_content
    signals.get_generators.connect(follow_settings)
