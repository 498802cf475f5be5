"""Seam: Content.get_url_setting's `override_url`/`override_save_as`, and the
SITEURL that Writer.write_file gives each page.

The template function `release_card(release)`: the release's card for lists
(template includes/release_card.html), shown on the index, archive, term and
related lists.

With the speed-ups on, what many pages repeat is computed once per build:
- every release's `url` and `save_as`, once the articles generator has read
  every release (no plugin changes a slug or a date after that), kept as
  Pelican's own overrides instead of being formatted again each time a page
  links to the release;
- each card, rendered once with a placeholder for SITEURL, which each page
  replaces with its own (relative URLs differ with the page's depth): the
  page's SITEURL is the only thing a card takes from the page.
Off, each card is rendered for each page, with that page's context.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from engine import speedups

CARD_TEMPLATE = "includes/release_card.html"
# Stands for the page's SITEURL in a cached card; no release text contains it.
SITEURL_PLACEHOLDER = "\x00SITEURL\x00"
CARDS_KEY = "release_cards"  # per-build cache in the context shared by all generators


def freeze_urls(generator):
    if not speedups.on(generator.settings):
        return
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
    env = generator.env
    if not speedups.on(generator.settings):

        @pass_context
        def release_card(page, release):
            return Markup(env.get_template(CARD_TEMPLATE).render(page.get_all(), release=release))

        env.globals["release_card"] = release_card
        return

    # Every generator of one build shares `context`; a new build gets new cards.
    cards = generator.context.setdefault(CARDS_KEY, {})

    @pass_context
    def cached_release_card(page, release):
        card = cards.get(release)
        if card is None:
            template = env.get_template(CARD_TEMPLATE)
            card = cards[release] = template.render(
                generator.context, SITEURL=SITEURL_PLACEHOLDER, release=release
            )
        return Markup(card.replace(SITEURL_PLACEHOLDER, page.get("SITEURL", "")))

    env.globals["release_card"] = cached_release_card


def register():
    signals.article_generator_finalized.connect(freeze_urls)
    signals.generator_init.connect(add_release_card)
