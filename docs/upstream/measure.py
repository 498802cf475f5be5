"""Time the two steps the patches change, on N articles, with the Pelican on PYTHONPATH.

    PYTHONPATH=/path/to/pelican-4.12.0 python docs/upstream/measure.py 10000 50000

Run it once against an unpatched copy of Pelican and once against a patched
one (docs/upstream/README.md). Articles are plain objects with a date and a
slug, one every seven hours, in one language; year and month archives are on.
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime, timedelta
from operator import attrgetter

from pelican import utils
from pelican.generators import ArticlesGenerator
from pelican.tests.support import get_context, get_settings


class Article:
    def __init__(self, date, slug):
        self.date, self.slug, self.source_path = date, slug, slug
        self.lang, self.metadata, self.in_default_lang = "en", {}, True


def main(sizes: list[int]) -> None:
    logging.disable(logging.CRITICAL)
    for size in sizes:
        start = datetime(2000, 1, 1, tzinfo=UTC)
        articles = [Article(start + timedelta(hours=7 * i), f"a{i}") for i in range(size)]
        settings = get_settings()
        settings["YEAR_ARCHIVE_SAVE_AS"] = "{date:%Y}/index.html"
        settings["MONTH_ARCHIVE_SAVE_AS"] = "{date:%Y}/{date:%m}/index.html"
        generator = ArticlesGenerator(
            context=get_context(settings),
            settings=settings,
            path=".",
            theme=settings["THEME"],
            output_path=None,
        )
        newest_first = sorted(articles, key=attrgetter("date"), reverse=True)
        started = time.perf_counter()
        generator._build_period_archives(newest_first, articles, settings)
        archives = time.perf_counter() - started
        started = time.perf_counter()
        utils.process_translations(list(articles), translation_id="slug")
        translations = time.perf_counter() - started
        print(
            f"{size:>7} articles: period archives {archives:.2f} s, translations {translations:.2f} s"
        )


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [10000])
