"""Let Pelican write draft releases: gives each draft the default category.

With category pages switched off (CATEGORY_SAVE_AS = ""), Pelican 4.12 leaves
articles without a category, and its draft writer reads `draft.category`
unguarded: any release with `Status: draft` stopped the build. Drafts are what
`invoke import` and `invoke new` write, so they must build (under /draf/).
"""

from __future__ import annotations

from pelican import signals
from pelican.urlwrappers import Category


def give_drafts_a_category(generator):
    name = generator.settings.get("DEFAULT_CATEGORY") or "rilis"
    for draft in (*generator.drafts, *generator.drafts_translations):
        if not hasattr(draft, "category"):
            draft.category = Category(name, generator.settings)


def register():
    signals.article_generator_finalized.connect(give_drafts_a_category)
