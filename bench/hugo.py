"""The same corpus as a Hugo site, for the side-by-side benchmark (bench/run.py).

    python bench/hugo.py CONTENT SITE     # write the Hugo site; then `hugo -s SITE`

`convert` writes a Hugo site from a corpus of bench/generate.py: one page per
published release under content/rilis/ with its title, date, summary and the
three taxonomies (units, officers, activity types) in the front matter, as
registry slugs (the names releases write are resolved against the corpus's
registry, as the archive resolves them, so both sites have the same terms);
hugo.toml with the archive's pagination (10), term feeds holding as many
entries as the archive's (FEED_MAX_ITEMS) and the archive's release URLs; and
the layouts in bench/hugo/layouts/: a release's page marks its article for
Pagefind with the attributes the archive's article.html uses (title, date
sort, year and term filters).

`ensure_hugo` installs Debian's `hugo` package when the command is missing,
as scripts/test installs its packages (sudo when not root).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LAYOUTS = BENCH / "hugo" / "layouts"
RELEASE_GLOB = "rilis/*/*/*/index.html"  # rilis/<year>/<month>/<slug>/: release pages only
sys.path.insert(0, str(ROOT))

from arsip.kinds import KINDS  # noqa: E402
from arsip.registry import Registry, UnknownName  # noqa: E402

# Metadata fields of a release and the registry kind each one names.
FIELDS = {"Units": "units", "Officers": "officers", "Activities": "activities"}


def ensure_hugo() -> str:
    """The `hugo` command, installed from Debian's package if missing."""
    found = shutil.which("hugo")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "hugo"],
        check=True,
        env=environment,
    )
    found = shutil.which("hugo")
    if not found:
        raise RuntimeError("apt-get installed hugo but no `hugo` command is on PATH")
    return found


def hugo_version(binary: str) -> str:
    result = subprocess.run([binary, "version"], capture_output=True, text=True)
    return result.stdout.strip() or result.stderr.strip()


def read_release(path: Path) -> tuple[dict, str]:
    """The header fields and the Markdown body of a corpus release."""
    text = path.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    fields = {}
    for line in header.splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields, body


def _slugs(registry: Registry, kind: str, value: str) -> list[str]:
    slugs = []
    for text in filter(None, (part.strip() for part in value.split(";"))):
        try:
            slugs.append(registry.resolve(kind, text).slug)
        except UnknownName:
            continue  # the archive would refuse the release; Hugo just lacks the term
    return list(dict.fromkeys(slugs))


def config(feed_items: int, timezone: str) -> str:
    taxonomies = "\n".join(f'{kind[:-1]} = "{kind}"' for kind in FIELDS.values())
    return f"""baseURL = "http://127.0.0.1:8000/"
languageCode = "id"
title = "Arsip rilis pers"
timeZone = "{timezone}"
paginate = 10
paginatePath = "halaman"
rssLimit = {feed_items}
disableKinds = ["sitemap", "robotsTXT", "404"]

[taxonomies]
{taxonomies}

[permalinks]
rilis = "/rilis/:year/:month/:slug/"

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
"""


def convert(content: Path, site: Path, feed_items: int = 100, timezone: str = "UTC") -> int:
    """Write the Hugo site for `content` into `site` (replaced); returns the releases written."""
    shutil.rmtree(site, ignore_errors=True)
    pages = site / "content" / "rilis"
    pages.mkdir(parents=True)
    shutil.copytree(LAYOUTS, site / "layouts")
    (site / "hugo.toml").write_text(config(feed_items, timezone), encoding="utf-8")
    labels = {kind: KINDS[kind].label for kind in FIELDS.values()}
    (site / "data").mkdir()
    (site / "data" / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
    registry = Registry.load(content)
    written = 0
    for path in sorted((content / "rilis").rglob("*.md")):
        fields, body = read_release(path)
        if fields.get("Status", "published") != "published":
            continue
        day, _, clock = fields["Date"].partition(" ")
        front = {
            "title": fields["Title"],
            "slug": fields["Slug"],
            "date": f"{day}T{clock or '00:00'}:00",
            "summary": fields.get("Summary", ""),
        }
        for name, kind in FIELDS.items():
            front[kind] = _slugs(registry, kind, fields.get(name, ""))
        # Hugo reads a page that starts with a JSON object as JSON front matter.
        text = json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + body
        page = pages / path.relative_to(content / "rilis")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
        written += 1
    return written


def hugo_command(binary: str, site: Path, public: Path) -> list[str]:
    return [binary, "--source", str(site), "--destination", str(public), "--quiet"]


def pagefind_command(binary: str, public: Path, bundle: Path) -> list[str]:
    """Pagefind over Hugo's release pages only, in the archive's language."""
    return [
        binary,
        "--site",
        str(public),
        "--glob",
        RELEASE_GLOB,
        "--output-path",
        str(bundle),
        "--force-language",
        "id",
        "--silent",
    ]


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])), "releases written")
