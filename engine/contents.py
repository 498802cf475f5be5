"""Seam: Pelican's Content internals: the private `_content` and `_summary`
where it keeps the body and the summary it renders (Content.get_content reads
the one; Content.refresh_metadata_intersite_links copies the other back into
the metadata, so both must change together), and the memo caches of
Content.get_content and get_summary (pelican.utils.memoized), class-wide.

Pelican has no public way to replace a release's body or summary once the
object exists; the sanitizer (plugins/sanitize.py) must, on
`content_object_init`, and does it through these functions. The memo caches
are emptied as each run starts: they would keep every earlier run's releases
alive in a process that builds again (`pelican --autoreload`, a preview
session), and a release a preview session reuses must render its links
against this run's context, not the last one's.
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Content


def body(content):
    """The body as the reader gave it, before Pelican's link expansion."""
    return getattr(content, "_content", None)


def replace_body(content, html: str) -> None:
    content._content = html


def replace_summary(content, html: str) -> None:
    content.metadata["summary"] = html
    content._summary = html


def forget_rendered_content(pelican):
    # get_generators is the first signal of each run; it asks for no generator here.
    Content.get_content.cache.clear()
    Content.get_summary.cache.clear()


def register():
    signals.get_generators.connect(forget_rendered_content)
