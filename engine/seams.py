"""Every Pelican function the engine copies, overrides or relies on, with the
hash of its source in the Pelican the engine was written against.

tests/test_engine_guard.py compares each hash with the installed Pelican's.
After a Pelican upgrade, for each seam it names: read the new code, change the
engine module named next to it if needed, then record the new hashes
(`python -m engine.seams` prints them) and the new version below.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from dataclasses import dataclass
from importlib import metadata

PELICAN = "4.12.0"  # the Pelican the engine was written against


@dataclass(frozen=True)
class Seam:
    name: str  # module.Class.function, as imported
    module: str  # the engine module that uses it
    use: str  # how
    sha256: str  # of inspect.getsource, in PELICAN


SEAMS = (
    Seam(
        "pelican.Pelican.run",
        "engine/preview.py",
        "runs it again and again: each run makes new generators, a new context and a new writer; engine/contents.py relies on get_generators being its first signal",
        "296180f3ec4d7bff349b930f2e0fca689fceb970fa50648d194a81000cf46487",
    ),
    Seam(
        "pelican.Pelican.run",
        "engine/parallel.py",
        "relies on it calling each generator's generate_output once, in order, with one writer, once the context is complete (after all_generators_finalized)",
        "296180f3ec4d7bff349b930f2e0fca689fceb970fa50648d194a81000cf46487",
    ),
    Seam(
        "pelican.cache.FileDataCacher.__init__",
        "engine/cache.py",
        "relies on one cache file under CACHE_PATH, keyed by path alone",
        "0e94df62b258a9c2801579e71fcf8d45382b6668f93934019e323dfeb2aad57d",
    ),
    Seam(
        "pelican.cache.FileDataCacher.save_cache",
        "engine/incremental.py",
        "replaces it on a preview session's Readers",
        "ac07627d0831e861cca7e8d8f042f710c035e7b1335b286f9462d80556a273d1",
    ),
    Seam(
        "pelican.cache.FileStampDataCacher.cache_data",
        "engine/incremental.py",
        "replaces it on the instance (generator and Readers)",
        "1278c0b3c9b2ca32e638730a6a4bb5ef9a1a2762a21b6084bd0f971a24673ceb",
    ),
    Seam(
        "pelican.cache.FileStampDataCacher.get_cached_data",
        "engine/incremental.py",
        "replaces it on the articles generator",
        "9e22f9c49dede667229137f7bf19e7dca9a059902b8e93c21321f0482e97131f",
    ),
    Seam(
        "pelican.contents.Content.__init__",
        "engine/contents.py",
        "relies on the private _content and _summary it sets; engine/preview.py on _context",
        "38b67e4211facf9d8f5c97ab1ac9c3345d87c5c093dd1c53dfb7583c1c9eb652",
    ),
    Seam(
        "pelican.contents.Content.get_content",
        "engine/contents.py",
        "clears its memo cache and relies on it reading _content",
        "5b963ce7e6237a1bc08c29c1fcf173b29ca51e86d42a4e88b42cccf0242315a4",
    ),
    Seam(
        "pelican.contents.Content.get_summary",
        "engine/contents.py",
        "clears its memo cache",
        "4a3c3104bdebd41dce041371c8c8cb442e82503e4205a3746b6a3a8178490593",
    ),
    Seam(
        "pelican.contents.Content._update_content",
        "engine/links.py",
        "replaces it on the class, calling the original when a body has an intrasite link",
        "b446bacdf3e46a3a0b19137ac6c416e520429e33312f1932d4ed23b3929f3549",
    ),
    Seam(
        "pelican.contents.Content._get_intrasite_link_regex",
        "engine/links.py",
        "relies on it finding every link _update_content would expand",
        "5d6b5c2523b5193e478029b63b1bc16b6b69e0b41d49dc0985db49fb98782292",
    ),
    Seam(
        "pelican.contents.Content.get_url_setting",
        "engine/render.py",
        "relies on override_url and override_save_as",
        "e0eb063bf0a5ae24d6f0c1e7b7ffa31ecc673a3f672136e694e2005b702e1113",
    ),
    Seam(
        "pelican.contents.Content.refresh_metadata_intersite_links",
        "engine/contents.py",
        "relies on it copying _summary into the metadata",
        "3b1caecaf71617f30630e0ef01c8f926cec43114769efb1d1d19c5a9b02c2bf9",
    ),
    Seam(
        "pelican.generators.ArticlesGenerator._build_period_archives",
        "engine/periods.py",
        "overrides it on the instance, same result",
        "c19e3024444c4c43b91c678d95652b51960e73fd307d749d2dc86c9f036104e9",
    ),
    Seam(
        "pelican.generators.ArticlesGenerator.generate_output",
        "engine/parallel.py",
        "overrides it on the instance and runs it in every process; relies on it writing only through the writer and sending article_writer_finalized last",
        "4b3e7da42dab41901524ddf984f91c724cf3f94c41baeba61759cabcb8d3028d",
    ),
    Seam(
        "pelican.generators.ArticlesGenerator.generate_articles",
        "engine/render.py",
        "relies on override_save_as meaning override_output",
        "5494d418a930a36fd7a5fd52ad5588b39218f1efaba10762eafae9eac4aa94dd",
    ),
    Seam(
        "pelican.generators.ArticlesGenerator.generate_context",
        "engine/incremental.py",
        "relies on its calls of get_cached_data, cache_data and _build_period_archives and on its order of signals (engine/ordering.py, engine/pool.py too)",
        "16f8066e3e5b8a42181fdf7a90d98bfc2000abec5bac48a7eb9d1586b5731702",
    ),
    Seam(
        "pelican.generators.Generator.__init__",
        "engine/readers.py",
        "relies on the Readers existing when generator_init is sent",
        "d04d97193f6681102f4df0757f5830dad74fe1e23590f76dab20b54ad818589e",
    ),
    Seam(
        "pelican.plugins._utils.load_plugins",
        "engine/pool.py",
        "calls this private loader in each worker",
        "164d62ad7f780ab73d3605ea33974dfdbb9cbca07c63e9928bca38c705a99ebf",
    ),
    Seam(
        "pelican.readers.MarkdownReader.__init__",
        "engine/readers.py",
        "relies on it adding the meta extension, which the reader switches off",
        "49121e777b4f598a8413cffb8769c0e64bed0c3519d4e9e65ec64acb3725539a",
    ),
    Seam(
        "pelican.readers.MarkdownReader._parse_metadata",
        "engine/readers.py",
        "copies it for one value per field",
        "3f01f071bbc3672d341454c22fed793740b7a1014344f6db540c2b0bb3537a21",
    ),
    Seam(
        "pelican.readers.MarkdownReader.read",
        "engine/readers.py",
        "replaces it, setting _md and _source_path as it does",
        "1c8cfd04d8822d5708f08f3ad16acd33b34ebe9981c932d49688be7733de5985",
    ),
    Seam(
        "pelican.readers.Readers.__init__",
        "engine/readers.py",
        "relies on READERS and on the settings attribute read_file uses",
        "3026099450bc1e15471a4ba7230112fc24a2d9aa3b6c2e27eaf253ce387ae1cb",
    ),
    Seam(
        "pelican.readers.Readers.read_file",
        "engine/readers.py",
        "copies its Typogrify pass and turns it off through its settings; engine/pool.py fills its cache as it does",
        "356c609e59c1b30a36f6ea886b0d32e21f991d577f37f7ecf0dab7a48097bbbd",
    ),
    Seam(
        "pelican.readers._filter_discardable_metadata",
        "engine/pool.py",
        "calls this private function",
        "ddc12a0fe7a35f45223fd9cd0e08d4815297554776f64983e96e120cd1b0ccee",
    ),
    Seam(
        "pelican.utils.memoized",
        "engine/contents.py",
        "clears the cache attribute of Content's memoized methods",
        "e17e76fd986fe4f481f4e754761101ab0bd892b4fbabd390d16c03349c7dce6c",
    ),
    Seam(
        "pelican.utils.process_translations",
        "engine/ordering.py",
        "reproduces the order it gave",
        "895f109099fe40b93ad558d7d26216de336f8c513ddbf5baadd82a9a2833878a",
    ),
    Seam(
        "pelican.writers.Writer.__init__",
        "engine/writer.py",
        "relies on the private _written_files and _overridden_files",
        "2f892e0aa5e8eba8da4f6a3c72d190c85f006d381d812427567dc3667d665cf4",
    ),
    Seam(
        "pelican.writers.Writer._add_item_to_the_feed",
        "engine/writer.py",
        "calls it with a stand-in feed",
        "c52ed4daa728c7bcd67ed46c6427710585f519ded75239f55c3f445139cb325f",
    ),
    Seam(
        "pelican.writers.Writer._open_w",
        "engine/writer.py",
        "copies it",
        "69700ea0b4668663b0886011eee71e8b4ea9debd376fe2a2fe322c90ec5aee6d",
    ),
    Seam(
        "pelican.writers.Writer.write_feed",
        "engine/writer.py",
        "overrides it, and repeats its bookkeeping of a feed another process writes (engine/parallel.py)",
        "a3b5bc0d0a446c1061a43a358b53935e3fd673f760d11f47898df2e0ff2e8b6c",
    ),
    Seam(
        "pelican.writers.Writer.write_file",
        "engine/writer.py",
        "overrides it and repeats its pagination rule; calls it with a template that renders nothing for a page another process writes (engine/parallel.py), relying on _open_w being its only write; engine/render.py relies on SITEURL being all a page changes in a card",
        "6a604ad67bbeec997e58ef69a393930c22cf3178a760fdc21d2c42f1871da373",
    ),
    Seam(
        "blinker.Signal.muted",
        "engine/parallel.py",
        "mutes Pelican's signals in a worker (blinker, Pelican's signal library)",
        "e38ef84095c4d6bfdf8d0e3a973bc57e6e6c0540ffb9788f352076396e3d9fe6",
    ),
    Seam(
        "feedgenerator.Atom1Feed.write",
        "engine/feeds.py",
        "copies how it writes an entry (feedgenerator, Pelican's feed library)",
        "0fea57f52532cc08551250996724d706eff7d6df0826cf6bc3f32ff6ded1abe3",
    ),
    Seam(
        "feedgenerator.Atom1Feed.write_items",
        "engine/feeds.py",
        "replaces it on the instance",
        "621de3e7dc94611754d089b877878af2ab95e9a7c0672a3e966d106cf2a60064",
    ),
)


def source(name: str) -> str:
    """The source of the function, method or property `name` (module.Class.attribute)."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        break
    else:
        raise LookupError(f"{name}: no such module")
    for attribute in parts[split:]:
        # The raw attribute: a property, a memoized method, not what it returns.
        found = vars(found)[attribute] if attribute in vars(found) else getattr(found, attribute)
    for unwrap in ("fget", "func", "__func__"):
        found = getattr(found, unwrap, found)
    return inspect.getsource(found)


def digest(name: str) -> str:
    return hashlib.sha256(source(name).encode()).hexdigest()


def changed() -> list[str]:
    """One line per seam whose source differs from the one the engine was written against."""
    lines = []
    for seam in SEAMS:
        try:
            now = digest(seam.name)
        except (LookupError, KeyError, AttributeError, OSError, TypeError) as error:
            problem = f"not found ({type(error).__name__}: {error})"
        else:
            if now == seam.sha256:
                continue
            problem = f"its source changed (sha256 now {now})"
        lines.append(f"{seam.name}: {problem}; {seam.module} {seam.use}")
    return lines


def installed() -> str:
    return metadata.version("pelican")


if __name__ == "__main__":
    print(f"Pelican {installed()} installed; the engine was written against {PELICAN}")
    for seam in SEAMS:
        print(f"{seam.name}\t{digest(seam.name)}")
