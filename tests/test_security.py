"""Hostile content never reaches the site: sanitizer, autoescape, feeds."""
# ruff: noqa: E501  (the hostile release and expected HTML are verbatim one-liners)

from __future__ import annotations

import html
import json
import re
import shutil

import feedparser
import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, run_pelican

from pelicanconf import MARKDOWN
from plugins.sanitize import clean_html, plain_text

# Every payload calls alert(...) so that a single marker finds any survivor.
HOSTILE_RELEASE = """\
Title: Rilis <script>alert('judul')</script>uji <img src=x onerror="alert('judul2')">keamanan
Date: 2024-11-30 10:00
Slug: rilis-uji-keamanan
Summary: Ringkasan <b onmouseover="alert('ringkasan')">tebal</b> <a href="javascript:alert('ringkasan2')">tautan</a>
Units: Polsek Menteng
Activities: Ngopi Kamtibmas
Places: <span onclick="alert('lokasi')">Jalan "Anyer" & Raya</span>; Harga 5 &lt; 6
Sources: kabar"><script>alert('sumber')</script>metro.co
Status: published

Paragraf pertama dengan <a href="javascript:alert('isi1')">tautan berbahaya</a>
dan <a href="JaVaScRiPt:alert('isi2')">tautan kedua</a> dan
<a href="https://contoh.example/berita" onclick="alert('isi3')">tautan sah</a>.

<script>alert('isi4')</script>

<iframe src="https://evil.example/" srcdoc="<script>alert('isi5')</script>"></iframe>

<style>body { background: url("javascript:alert('isi6')") }</style>

<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="data">
<img src="https://contoh.example/foto.jpg" alt="Foto kegiatan" onerror="alert('isi7')">
<img src="/gambar/foto.jpg" alt="Foto lokal">

<p style="color: red" class="evil" id="konten">Gaya <em>miring</em> <strong>tebal</strong>.</p>

<object data="x.swf"><embed src="x.swf"></object>
<form action="https://evil.example/"><input name="q"><button formaction="javascript:alert('isi8')">Kirim</button></form>

| Kolom | Nilai |
|:------|------:|
| A     | 1     |
"""


# "pool": releases parsed by plugins/parse_once.py's worker processes, which
# must clean them exactly as the build's own readers do. "warm": a second build
# from the content cache, whose parses the sanitizer marks as already cleaned.
@pytest.fixture(scope="module", params=["serial", "pool", "warm"])
def hostile_site(tmp_path_factory, request):
    content = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(CONTENT, content)
    (content / "rilis" / "2024" / "2024-11-30-rilis-uji-keamanan.md").write_text(
        HOSTILE_RELEASE, encoding="utf-8"
    )
    cache = tmp_path_factory.mktemp("hostile-cache")
    extra = ["-e", f"CACHE_PATH={json.dumps(str(cache))}"]
    if request.param == "pool":
        extra += ["READ_PARALLEL_MIN=1", "READ_WORKERS=2"]
    build = run_pelican(content, tmp_path_factory.mktemp("hostile-out"), "pelicanconf.py", *extra)
    assert build.returncode == 0, build.stdout + build.stderr
    if request.param == "warm":
        assert list(cache.rglob("ArticlesGenerator-Readers"))
        build = run_pelican(
            content, tmp_path_factory.mktemp("hostile-out"), "pelicanconf.py", *extra
        )
        assert build.returncode == 0, build.stdout + build.stderr
    return build


def output_files(build):
    return sorted(p for p in build.output.rglob("*") if p.suffix in {".html", ".xml"})


def test_no_payload_reaches_any_output_file(hostile_site):
    files = output_files(hostile_site)
    assert any(p.suffix == ".xml" for p in files) and len(files) > 10
    for path in files:
        raw = path.read_text(encoding="utf-8")
        # Feeds carry HTML escaped once more: look at both layers.
        for text in (raw, html.unescape(raw)):
            assert "alert(" not in text, path
            assert not re.search(r"javascript:", text, re.IGNORECASE), path


def test_no_dangerous_element_or_attribute_in_html(hostile_site):
    for path in hostile_site.pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        # The theme itself draws charts (svg), a search form and its own scripts;
        # what comes from releases may carry none of them.
        for name in ("iframe", "style", "object", "embed"):
            assert soup.find(name) is None, (path, name)
        for script in soup.find_all("script"):
            assert script.get("type") == "application/ld+json" or (
                script.get("src") and not re.match(r"^(https?:)?//", script["src"])
            ), (path, script)
        for region in soup.select(".release-body, .release-card__summary, .page, .release-facts"):
            for name in ("script", "form", "svg", "input", "button"):
                assert region.find(name) is None, (path, name)
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                assert not attribute.startswith("on"), (path, tag)
                if attribute in ("href", "src"):
                    assert not str(value).lower().startswith(("data:", "javascript:")), (path, tag)


def test_feed_entries_are_clean(hostile_site):
    raw = (hostile_site.output / "feeds" / "semua.atom.xml").read_text(encoding="utf-8")
    feed = feedparser.parse(raw)
    entry = next(e for e in feed.entries if "rilis-uji-keamanan" in e.link)
    assert entry.title.split() == ["Rilis", "uji", "keamanan"]
    body = BeautifulSoup(
        html.unescape(re.search(r"<content[^>]*>(.*?)</content>", raw, re.S)[1]), "html.parser"
    )
    assert body.find("script") is None and body.find("iframe") is None
    assert body.find("a", href="https://contoh.example/berita") is not None


def test_legitimate_markup_survives(hostile_site):
    page = hostile_site.html("rilis/2024/11/rilis-uji-keamanan/")
    body = page.select_one(".release-body")
    link = body.find("a", href="https://contoh.example/berita")
    assert link is not None and link.get_text() == "tautan sah"
    assert link["rel"] == ["noopener", "noreferrer"]
    assert body.find("img", alt="Foto lokal")["src"] == "/gambar/foto.jpg"
    assert "src" not in body.find("img", alt="Foto kegiatan").attrs  # another site's image
    assert body.find("em").get_text() == "miring"
    assert body.find("table").find("td", style="text-align:right").get_text() == "1"
    paragraph = body.find("em").parent
    assert not {"style", "class", "id"} & set(paragraph.attrs)


def test_metadata_is_text_and_escaped(hostile_site):
    page_path = hostile_site.output / "rilis/2024/11/rilis-uji-keamanan/index.html"
    raw = page_path.read_text(encoding="utf-8")
    page = BeautifulSoup(raw, "html.parser")
    # The no-break space is typogrify's widont, now a character rather than markup.
    assert page.find("h1").get_text() == "Rilis uji\xa0keamanan"
    assert page.title.get_text().split()[:4] == ["Rilis", "uji", "keamanan", "|"]
    facts = page.select_one(".release-facts")
    places = [li.get_text() for li in facts.select("ul.plain")[0].find_all("li")]
    assert places == ['Jalan "Anyer" & Raya', "Harga 5 < 6"]
    assert "Harga 5 &lt; 6" in raw and "&amp; Raya" in raw
    sources = [li.get_text() for li in facts.select("ul.plain")[1].find_all("li")]
    assert sources == ['kabar">metro.co']
    summary = BeautifulSoup(raw, "html.parser").find("meta", attrs={"name": "description"})
    assert summary["content"] == "Ringkasan tebal tautan"


def test_summary_keeps_allowed_markup_only(hostile_site):
    card = hostile_site.html("").select_one(".release-card__summary")
    assert card.find("b").get_text() == "tebal"
    assert card.find("b").attrs == {}
    assert "href" not in card.find("a").attrs


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (
            '<a href="https://x.example/" target="_blank">x</a>',
            '<a href="https://x.example/" rel="noopener noreferrer">x</a>',
        ),
        (
            '<a href="{filename}/rilis/x.md">x</a>',
            '<a href="{filename}/rilis/x.md" rel="noopener noreferrer">x</a>',
        ),
        (
            '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
            '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1" rel="noopener noreferrer">1</a></sup>',
        ),
        (
            '<span class="amp">&amp;</span> <span class="x">y</span>',
            '<span class="amp">&amp;</span> <span class="">y</span>',
        ),
        ("<h1>Judul</h1><h2>Sub</h2>", "Judul<h2>Sub</h2>"),
        ("<p>a<!-- komentar --></p>", "<p>a</p>"),
    ],
)
def test_clean_html_examples(fragment, expected):
    assert clean_html(fragment) == expected


def test_plain_text_drops_markup_and_decodes_entities():
    assert plain_text('Polsek <span class="amp">&amp;</span> Koramil') == "Polsek & Koramil"
    assert plain_text("<script>alert(1)</script>Judul&nbsp;rilis") == "Judul\xa0rilis"


# Elements whose URL the browser loads by itself, without a click.
LOADED = {
    "img": "src",
    "script": "src",
    "iframe": "src",
    "embed": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "track": "src",
    "object": "data",
    "link": "href",
}


def test_the_real_site_loads_nothing_from_other_sites(site):
    assert_loads_nothing_from_other_sites(site)


def test_a_hostile_release_loads_nothing_from_other_sites(hostile_site):
    assert_loads_nothing_from_other_sites(hostile_site)


def assert_loads_nothing_from_other_sites(build):
    for path in build.pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for name, attribute in LOADED.items():
            for tag in soup.find_all(name):
                url = tag.get(attribute, "").strip()
                if name == "link" and "alternate" in tag.get("rel", []):
                    continue  # a feed link is followed only by feed readers, on request
                assert not re.match(r"^([a-z][a-z0-9+.-]*:|[/\\]{2})", url, re.I), (path, tag)
        for tag in soup.find_all("script"):
            assert "cookie" not in tag.get_text().lower(), path
    for css in build.output.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?([a-z]+:|//)|@import", text, re.I), css


def test_only_sanitized_html_is_printed_unescaped():
    """Autoescape is on; `| safe` is kept for the HTML plugins/sanitize.py has cleaned."""
    sanitized = {"article.content", "page.content", "article.summary", "release.summary"}
    for template in (ROOT / "theme" / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for expression in re.findall(r"{{\s*([^}|]+?)\s*\|\s*safe\s*}}", text):
            assert expression in sanitized, (template, expression)
        assert "autoescape false" not in text and "Markup(" not in text, template


@pytest.mark.parametrize("source", sorted(CONTENT.glob("**/*.md")), ids=lambda path: path.name)
def test_real_content_loses_nothing_to_the_sanitizer(source):
    """The allow-list keeps every element and word the archive's own files use."""
    body = source.read_text(encoding="utf-8").split("\n\n", 1)[1]
    rendered = markdown.markdown(
        body,
        extensions=list(MARKDOWN["extension_configs"]),
        output_format=MARKDOWN["output_format"],
    )
    before = BeautifulSoup(rendered, "html.parser")
    after = BeautifulSoup(clean_html(rendered), "html.parser")
    assert [t.name for t in after.find_all(True)] == [t.name for t in before.find_all(True)]
    assert after.get_text() == before.get_text()
