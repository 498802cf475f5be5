"""Compute once what many pages repeat: release URLs and release cards.

Adds to the build:
- every release's `url` and `save_as` are worked out once, after all plugins
  have settled slugs and dates (Pelican's own `override_url`/`override_save_as`),
  instead of being formatted again each time a page links to the release;
- the template function `release_card(release)`: the release's card for lists
  (template includes/release_card.html), rendered once per build and reused
  on the index, archive, term and related lists it appears on. A card is
  rendered with a placeholder for SITEURL, which each page replaces with its
  own (relative URLs differ with the page's depth).
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

CARD_TEMPLATE = "includes/release_card.html"
# Stands for the page's SITEURL in a cached card; no release text contains it.
SITEURL_PLACEHOLDER = "\x00SITEURL\x00"
CARDS_KEY = "release_cards"  # per-build cache in the context shared by all generators


def freeze_urls(generator):
    for release in (
        *generator.articles,
        *generator.translations,
        *generator.drafts,
        *generator.drafts_translations,
        *generator.hidden_articles,
    ):
        release.override_url = release.url
        release.override_save_as = release.save_as


def add_release_card(generator):
    # Every generator of one build shares `context`; a new build gets new cards.
    cards = generator.context.setdefault(CARDS_KEY, {})
    env = generator.env

    @pass_context
    def release_card(page, release):
        card = cards.get(release)
        if card is None:
            template = env.get_template(CARD_TEMPLATE)
            card = cards[release] = template.render(
                generator.context, SITEURL=SITEURL_PLACEHOLDER, release=release
            )
        return Markup(card.replace(SITEURL_PLACEHOLDER, page.get("SITEURL", "")))

    env.globals["release_card"] = release_card


def register():
    signals.article_generator_finalized.connect(freeze_urls)
    signals.generator_init.connect(add_release_card)
