"""Seam: a content object's `_content` and `_summary`, where Pelican's Content
keeps the body and the summary it renders (Content.get_content reads the one;
Content.refresh_metadata_intersite_links copies the other back into the
metadata, so both must change together).

Pelican has no public way to replace a release's body or summary once the
object exists; the sanitizer (plugins/sanitize.py) must, on
`content_object_init`, and does it through these functions.
"""

from __future__ import annotations


def body(content):
    """The body as the reader gave it, before Pelican's link expansion."""
    return getattr(content, "_content", None)


def replace_body(content, html: str) -> None:
    content._content = html


def replace_summary(content, html: str) -> None:
    content.metadata["summary"] = html
    content._summary = html
