"""Hostile content never reaches the site: sanitizer, autoescape, feeds."""
# ruff: noqa: E501  (the hostile release and expected HTML are verbatim one-liners)

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import feedparser
import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, Build, free_port, run_pelican
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_csp import static_site

from arsip.text import has_invisible, strip_invisible
from pelicanconf import MARKDOWN
from plugins.sanitize import browser_url, clean_html, is_local_url, plain_text, split_list

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


# Releases that try every way the issue found past the old sanitizer, one
# payload per marker: alert(...) for script, evil.example for an off-site load.
# (Unit and activity names must resolve: those the registry checks.)
EXPOSED_RELEASES = {
    "2024-12-01-rilis-metadata.md": """\
Title: Rilis &#60;script&#62;alert('t1')&#60;/script&#62; &lt;img src=x onerror=alert('t2')&gt; uji\u202e\u200b satu
Date: 2024-12-01 10:00
Slug: rilis-metadata
Summary: Ringkasan &lt;script&gt;alert('s1')&lt;/script&gt; dan `<b onclick=alert('s2')>` dan &#60;iframe src=//evil.example/s3&#62; selesai.
Units: Polsek Menteng
Officers: Kompol Bayu Mar\u200bfiando
Activities: Ngopi Kamtibmas
Places: "><svg onload=alert('p1')>; Jalan A; Jalan\u2066 B; Gedung AT&amp;amp;T
Sources: &#60;script&#62;alert('src1')&#60;/script&#62;kabar.co; kabar&amp;lt;img src=x onerror=alert('src2')&amp;gt;.co
Status: published

Isi biasa.
""",
    "2024-12-03-rilis-isi.md": """\
Title: Rilis isi berbahaya </script><script>alert('ld1')</script>
Date: 2024-12-03 10:00
Slug: rilis-isi
Summary: Ringkasan biasa.
Units: Polsek Menteng
Activities: Ngopi Kamtibmas
Sources: kabar.co
Status: published

<p><img src="/&#9;/evil.example/a.png" alt="a">
<img src="/&#10;/evil.example/b.png" alt="b">
<img src="\\\\evil.example/c.png" alt="c">
<img src="/\\evil.example/d.png" alt="d">
<img src=" //evil.example/e.png" alt="e">
<img src="&#1;//evil.example/f.png" alt="f">
<img src="https:evil.example/g.png" alt="g">
<img src="/&#13;/evil.example/h.png" alt="h">
<img src="\\/evil.example/i.png" alt="i">
<img src="&#x20;&#x0c;//evil.example/j.png" alt="j">
<img src="/&#x200b;/evil.example/k.png" alt="k">
<img src="/gambar/lokal.png" alt="&lt;script&gt;alert('alt1')&lt;/script&gt;Foto" title="&lt;svg onload=alert('ttl')&gt;"></p>

<p><a href="java&#9;script:alert('a1')">a1</a>
<a href="&#x20;javascript:alert('a2')">a2</a>
<a href="jav&#x0A;ascript:alert('a3')">a3</a>
<a href="vbscript:alert('a4')">a4</a>
<a href="data:text/html,&lt;script&gt;alert('a5')&lt;/script&gt;">a5</a></p>

Kode `<script>alert('c1')</script>` dan `<img src=x onerror=alert('c2')>` di teks.

    <svg onload=alert('c3')>

Teks &lt;script&gt;alert('e1')&lt;/script&gt; dan &amp;lt;script&amp;gt;alert('e2')&amp;lt;/script&amp;gt;
dan &lt;scr<em>ipt&gt;alert('e3')&lt;/scr</em>ipt&gt; dan &#60;iframe srcdoc=x&#62;.

Teks tak terlihat:\u2028 a\u202eb\u2066c\u2069d\u200be\u00adf\ufeffg\u2060h\u200fi&#x202e;j.

![md1](//evil.example/md1.png) ![md2](/\\evil.example/md2.png)

| Kolom | Nilai |
|:------|------:|
| A     | 1     |
""",
}
# Strings no output file may hold, in any layer: as written, entities decoded,
# JSON strings decoded.
MARKERS = ("alert(", "evil.example", "onload=", "onerror=", "onclick=", "javascript:", "vbscript:")
TAG_START = re.compile(r"<[a-zA-Z/!?]")


@pytest.fixture(scope="module")
def hostile_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(CONTENT, content)
    (content / "rilis" / "2024" / "2024-11-30-rilis-uji-keamanan.md").write_text(
        HOSTILE_RELEASE, encoding="utf-8"
    )
    for name, text in EXPOSED_RELEASES.items():
        (content / "rilis" / "2024" / name).write_text(text, encoding="utf-8")
    return content


def build_hostile(content: Path, tmp_path_factory, kind: str, cache: Path, *extra) -> Build:
    """The hostile content built as `kind`; `warnings` are the lines it printed."""
    settings = "publishconf.py" if kind == "publish" else "pelicanconf.py"
    site_url = f"http://127.0.0.1:{free_port()}"
    if kind == "publish":
        os.environ["SITEURL"] = site_url
    try:
        build = run_pelican(
            content,
            tmp_path_factory.mktemp(f"hostile-{kind}"),
            settings,
            "-e",
            f"CACHE_PATH={json.dumps(str(cache))}",
            *extra,
        )
    finally:
        os.environ.pop("SITEURL", None)
    assert build.returncode == 0, build.stdout + build.stderr
    build.kind, build.content, build.warnings, build.site_url, build.cache = (
        kind,
        content,
        build.stderr,
        site_url,
        cache,
    )
    return build


@pytest.fixture(scope="module")
def hostile_serial(hostile_content, tmp_path_factory) -> Build:
    """The development build, every release read in the build's own process."""
    return build_hostile(
        hostile_content, tmp_path_factory, "serial", tmp_path_factory.mktemp("hostile-cache")
    )


@pytest.fixture(scope="module")
def hostile_published(hostile_content, tmp_path_factory) -> Build:
    """publishconf.py with an absolute SITEURL: JSON-LD, minified HTML, .gz and .br files."""
    return build_hostile(
        hostile_content, tmp_path_factory, "publish", tmp_path_factory.mktemp("hostile-cache")
    )


@pytest.fixture(scope="module", params=["serial", "publish"])
def hostile_site(request) -> Build:
    return request.getfixturevalue(
        f"hostile_{'published' if request.param == 'publish' else request.param}"
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_reading_pool_and_the_content_cache_clean_as_the_build_does(
    hostile_serial, tmp_path_factory
):
    """Releases parsed by engine/pool.py's worker processes, and a second
    build from the content cache (whose parses the sanitizer marks as already
    cleaned), give the serial build's site byte for byte and report the same lines:
    every test of the serial build holds for them too."""
    content = hostile_serial.content
    pool = build_hostile(
        content,
        tmp_path_factory,
        "pool",
        tmp_path_factory.mktemp("hostile-cache"),
        "READ_PARALLEL_MIN=1",
        "READ_WORKERS=2",
    )
    expected = files_of(hostile_serial.output)
    assert files_of(pool.output) == expected
    assert located(pool.warnings) == located(hostile_serial.warnings)
    assert any(hostile_serial.cache.rglob("*")), "the serial build left no content cache"
    warm = build_hostile(content, tmp_path_factory, "warm", hostile_serial.cache)
    assert files_of(warm.output) == expected
    assert located(warm.warnings) == located(hostile_serial.warnings)


def located(printed: str) -> list[str]:
    """The `path:line: level: message` lines a build printed."""
    return [
        line
        for line in printed.splitlines()
        if re.match(r"^\S.*:\d+: (error|warning|note): ", line)
    ]


def text_layers(path):
    """What a reader of `path` may take from it: the text (decompressed), the text
    with HTML entities decoded, and, for JSON, every string in it."""
    data = path.read_bytes()
    name = path.name
    if name.endswith(".gz") or name.endswith(".pf_fragment"):
        data = gzip.decompress(data)
    elif name.endswith(".br"):
        data = brotli.decompress(data)
    text = data.decode("utf-8")
    layers = [text, html.unescape(text)]
    base = re.sub(r"\.(gz|br)$", "", name)
    if base.endswith((".json", ".pf_fragment")):
        layers.append("\n".join(json_strings(json.loads(text.removeprefix("pagefind_dcd")))))
    return layers


def json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def decoded(text: str) -> str:
    while (unescaped := html.unescape(text)) != text:
        text = unescaped
    return text


# Files whose text comes from the content (not the theme's or Pagefind's code).
CONTENT_FILES = re.compile(r"\.(html|xml|json|csv|txt|pf_fragment)(\.gz|\.br)?$")


def content_files(build):
    files = [p for p in build.output.rglob("*") if p.is_file() and CONTENT_FILES.search(p.name)]
    assert any(p.name.endswith(".pf_fragment") for p in files)
    assert any(p.name.endswith(".csv") for p in files)
    return sorted(files)


def test_no_payload_reaches_any_output_file(hostile_site):
    files = content_files(hostile_site)
    assert any(p.suffix == ".xml" for p in files) and len(files) > 10
    if hostile_site.kind == "publish":
        assert any(p.suffix == ".br" for p in files) and any(p.suffix == ".gz" for p in files)
    for path in files:
        for text in text_layers(path):
            for marker in MARKERS:
                assert marker not in text.lower(), (path, marker)
            body = text.removeprefix("\ufeff") if path.suffix == ".csv" else text
            assert not has_invisible(body), (path, strip_invisible(body)[1])
            assert "\u2028" not in text and "\u2029" not in text, path


def test_no_text_that_spells_markup_in_data_or_search_records(hostile_site):
    """Open data, Pagefind's records and feed titles hold text a reader sees,
    never markup, however often a consumer decodes it."""
    for path in content_files(hostile_site):
        if not path.name.endswith((".json", ".pf_fragment")) or "schema" in path.name:
            continue  # (the schema is the project's own text, and names `<slug>`)
        *_, strings = text_layers(path)
        for string in strings.split("\n"):
            assert not TAG_START.search(decoded(string)), (path, string)
    csv_text = (hostile_site.output / "data" / "releases.csv").read_text(encoding="utf-8-sig")
    for row in csv.reader(io.StringIO(csv_text)):
        for cell in row:
            assert not TAG_START.search(decoded(cell)), cell
    feed = feedparser.parse(hostile_site.output / "feeds" / "semua.atom.xml")
    for entry in feed.entries:
        assert not TAG_START.search(decoded(entry.title)), entry.title


def test_json_files_write_markup_characters_as_escapes(hostile_site):
    data = [
        *hostile_site.output.joinpath("data").glob("*.json"),
        *hostile_site.output.glob("satuan/*/index.json"),
    ]
    assert len(data) > 3
    for path in data:
        raw = path.read_text(encoding="utf-8")
        assert not re.search("[<>&]", raw), path
        json.loads(raw)


def test_json_ld_cannot_end_its_script_element(hostile_published):
    """JSON-LD is written with an absolute SITEURL only."""
    pages = 0
    for path in hostile_published.output.glob("rilis/*/*/*/index.html"):
        raw = path.read_text(encoding="utf-8")
        blocks = re.findall(r"<script type=\"?application/ld\+json\"?>(.*?)</script>", raw, re.S)
        assert len(blocks) == 1, path
        assert not re.search("[<>\u2028\u2029]", blocks[0]), path
        data = json.loads(blocks[0])
        heading = BeautifulSoup(raw, "html.parser").find("h1").get_text()
        assert data["headline"].split() == heading.split()
        pages += 1
    assert pages == 6


def release_record(build, slug):
    data = json.loads((build.output / "data" / "releases.json").read_text(encoding="utf-8"))
    return next(record for record in data["releases"] if record["slug"] == slug)


def test_a_malformed_list_item_costs_that_item_only(hostile_site):
    record = release_record(hostile_site, "rilis-metadata")
    # Decoded once, like any text: the file wrote "&amp;amp;" to show "&amp;".
    assert record["places"] == ["Jalan A", "Jalan B", "Gedung AT&amp;T"]
    assert record["sources"][0] == "kabar.co"
    skip_minified(hostile_site)
    page = hostile_site.html("rilis/2024/12/rilis-metadata/")
    places = page.select_one(".release-facts").select("ul.plain")[0]
    assert [li.get_text() for li in places.find_all("li")] == [
        "Jalan A",
        "Jalan B",
        "Gedung AT&amp;T",
    ]


def test_invisible_characters_do_not_hide_names(hostile_site):
    record = release_record(hostile_site, "rilis-metadata")
    assert record["title"] == "Rilis uji satu"
    assert [officer["slug"] for officer in record["officers"]] == ["bayu-marfiando"]
    assert record["officers"][0]["as_written"] == "Kompol Bayu Marfiando"


def test_search_records_hold_the_text_the_page_shows(hostile_site):
    records = {}
    for path in hostile_site.output.glob("pagefind/shards/*/fragment/*.pf_fragment"):
        record = json.loads(
            gzip.decompress(path.read_bytes()).decode().removeprefix("pagefind_dcd")
        )
        records[record["url"].rstrip("/").rsplit("/", 1)[-1]] = record
    page = hostile_site.html("rilis/2024/12/rilis-metadata/")
    assert records["rilis-metadata"]["meta"]["title"] == page.find("h1").get_text()
    body = page.select_one(".release-body").get_text(" ")
    assert " ".join(body.split()) in records["rilis-metadata"]["content"]
    content = records["rilis-isi"]["content"]
    # (the unclosed iframe takes the rest of its paragraph, as a browser's parser would)
    assert "Kode dan di teks. Teks dan dan dan Teks tak terlihat" in " ".join(content.split())
    assert "abcdefghij" in content
    # Its picture is the one image the sanitizer kept, from the archive itself.
    assert records["rilis-isi"]["meta"]["image"] == "/gambar/lokal.png"


def test_removals_are_reported_where_the_editor_can_fix_them(hostile_site):
    warnings = hostile_site.warnings.splitlines()
    found = {}
    for line in warnings:
        match = re.match(r"^(?:.*/)?(2024-12-0[13]-[a-z-]+\.md):(\d+): warning: (.+)$", line)
        if match:
            found.setdefault(match[1], []).append((int(match[2]), match[3]))
    metadata = found["2024-12-01-rilis-metadata.md"]
    assert any(line == 1 and "spells markup" in m and "Title" in m for line, m in metadata)
    assert any(line == 1 and "U+202E RIGHT-TO-LEFT OVERRIDE" in m for line, m in metadata)
    assert any(line == 4 and "spells markup" in m for line, m in metadata)
    assert any(line == 6 and "Officers" in m and "U+200B" in m for line, m in metadata)
    assert any(line == 8 and "markup removed from the Places" in m for line, m in metadata)
    assert any(line == 9 and "Sources" in m and "src1" in m for line, m in metadata)
    body = found["2024-12-03-rilis-isi.md"]
    assert any(line == 1 and "Title" in m for line, m in body)
    assert any(line == 10 and '"//evil.example/a.png"' in m for line, m in body)
    assert any(line == 13 and '"//evil.example/d.png"' in m for line, m in body)
    assert any(line == 20 and '"//evil.example/k.png"' in m for line, m in body)
    assert any(line == 21 and "spells markup" in m for line, m in body)  # alt text
    assert any(line == 29 and "spells markup" in m for line, m in body)  # inline code
    assert any(line == 31 and "code block" in m for line, m in body)
    assert any(line == 33 and "spells markup" in m for line, m in body)
    assert any(line == 36 and "U+202E" in m and "U+00AD SOFT HYPHEN" in m for line, m in body)
    assert all(re.match(r"^\S+\.md:\d+: warning: \S", line) for line in warnings if ".md:" in line)


def test_a_sanitized_page_loads_nothing_from_another_host_in_chromium(hostile_published, browser):
    """Chromium itself judges the URLs: the published release page, served with no
    header and its Content-Security-Policy taken out, asks no other host for anything."""
    hostile_site = hostile_published
    page_path = hostile_site.output / "rilis/2024/12/rilis-isi/index.html"
    raw = page_path.read_text(encoding="utf-8")
    without_policy = re.sub(r"<meta [^>]*Content-Security-Policy[^>]*>", "", raw)
    assert without_policy != raw
    # The control: the same trick written into the page by hand does reach the other host.
    control = without_policy.replace(
        "<div class=release-body>",
        '<div class=release-body><img src="/&#9;/evil.example/control.png">',
    )
    assert control != without_policy
    requested: dict[str, list[str]] = {}
    port = int(hostile_site.site_url.rsplit(":", 1)[1])

    def recorder(seen):
        def record(route):
            seen.append(route.request.url)
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()

        return record

    with static_site(hostile_site.output, port) as base:
        for name, text in (("sanitized", without_policy), ("control", control)):
            page_path.write_text(text, encoding="utf-8")
            page = browser.new_page()
            page.route("**/*", recorder(requested.setdefault(name, [])))
            try:
                page.goto(base + "rilis/2024/12/rilis-isi/", wait_until="networkidle")
            finally:
                page.close()
    page_path.write_text(raw, encoding="utf-8")
    assert len(requested["sanitized"]) > 2  # the page and its stylesheets
    assert [url for url in requested["sanitized"] if "127.0.0.1" not in url] == []
    assert "http://evil.example/control.png" in requested["control"]


def test_no_dangerous_element_or_attribute_in_html(hostile_site):
    for path in hostile_site.pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        # The theme itself draws charts (svg), a search form and its own scripts;
        # what comes from releases may carry none of them.
        for name in ("iframe", "style", "object", "embed"):
            assert soup.find(name) is None, (path, name)
        for script in soup.find_all("script"):
            source = script.get("src", "").removeprefix(hostile_site.site_url)
            assert script.get("type") == "application/ld+json" or (
                source and not re.match(r"^(https?:)?//", source)
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
    entries = re.findall(r"<entry>.*?</entry>", raw, re.S)
    written = next(e for e in entries if "rilis-uji-keamanan" in e)
    body = BeautifulSoup(
        html.unescape(re.search(r"<content[^>]*>(.*?)</content>", written, re.S)[1]),
        "html.parser",
    )
    assert body.find("script") is None and body.find("iframe") is None
    assert body.find("a", href="https://contoh.example/berita") is not None


def skip_minified(build):
    """html.parser, which the structural tests use, does not close what minified
    HTML leaves open (`<li>` without `</li>`): those tests read unminified builds."""
    if build.kind == "publish":
        pytest.skip("minified HTML: read in the serial build")


def test_legitimate_markup_survives(hostile_serial):
    hostile_site = hostile_serial  # unminified: see skip_minified
    page = hostile_site.html("rilis/2024/11/rilis-uji-keamanan/")
    body = page.select_one(".release-body")
    link = body.find("a", href="https://contoh.example/berita")
    assert link is not None and link.get_text() == "tautan sah"
    assert link["rel"] == ["noopener", "noreferrer"]
    assert body.find("img", alt="Foto lokal")["src"] == "/gambar/foto.jpg"
    assert "src" not in body.find("img", alt="Foto kegiatan").attrs  # another site's image
    assert body.find("em").get_text() == "miring"
    cell = body.find("table").find("td", class_="align-right")  # was style="text-align:right"
    assert cell.get_text() == "1" and "style" not in cell.attrs
    paragraph = body.find("em").parent
    assert not {"style", "class", "id"} & set(paragraph.attrs)


def test_metadata_is_text_and_escaped(hostile_serial):
    hostile_site = hostile_serial  # unminified: see skip_minified
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


def test_summary_keeps_allowed_markup_only(hostile_serial):
    hostile_site = hostile_serial  # unminified: see skip_minified
    link = hostile_site.html("").find("a", href=re.compile("rilis-uji-keamanan"))
    card = link.find_parent("article").select_one(".release-card__summary")
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
    own = hostile_site.site_url if hostile_site.kind == "publish" else None
    assert_loads_nothing_from_other_sites(hostile_site, own)


def assert_loads_nothing_from_other_sites(build, own: str | None = None):
    for path in build.pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for name, attribute in LOADED.items():
            for tag in soup.find_all(name):
                url = tag.get(attribute, "").strip()
                if own and url.startswith(own + "/"):
                    url = url.removeprefix(own)  # the site's own absolute URLs
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


# -- URLs as a browser reads them -------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("/\t/evil.example/x.png", "//evil.example/x.png"),
        ("/\n/evil.example", "//evil.example"),
        ("/\r\n/evil.example", "//evil.example"),
        ("\\\\evil.example", "//evil.example"),
        ("/\\evil.example", "//evil.example"),
        (" \x01\x0c//evil.example/x ", "//evil.example/x"),
        ("java\nscript:alert(1)", "javascript:alert(1)"),
        ("HTTPS:\\\\evil.example", "HTTPS://evil.example"),
        ("mailto:a\\b@x.example", "mailto:a\\b@x.example"),  # not a special scheme
        ("/gambar/foto.jpg", "/gambar/foto.jpg"),
        ("{static}/gambar/foto.jpg", "{static}/gambar/foto.jpg"),
    ],
)
def test_urls_are_read_as_a_browser_reads_them(written, read):
    assert browser_url(written) == read


URL_PIECES = ["/", "\\", "\t", "\n", "\r", " ", "\x01", "\x1f", ":", "https", "http:", "javascript"]
URL_PIECES += ["evil.example", "@", "%2f", "%5c", "?", "#", ".", "..", "a", "{static}"]


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.lists(st.sampled_from(URL_PIECES), min_size=1, max_size=7).map("".join),
        min_size=400,
        max_size=400,
    )
)
def test_every_url_judged_local_stays_on_the_site_in_chromium(browser, values):
    """Chromium's own URL parser is the judge: whatever `is_local_url` lets an
    image load stays on the archive's host."""
    values += ["/\t/evil.example/x", "\\\\evil.example", "/\\evil.example", " //evil.example"]
    page = browser.new_page()
    try:
        hosts = page.evaluate(
            "values => values.map(v => { try { return new URL(v, 'http://127.0.0.1:8000/rilis/x/').host }"
            " catch (e) { return null } })",
            values,
        )
    finally:
        page.close()
    for value, host in zip(values, hosts, strict=True):
        if is_local_url(browser_url(value)):
            assert host in ("127.0.0.1:8000", None), (value, host)


@pytest.mark.parametrize(
    ("value", "items"),
    [
        (
            '"><svg onload=alert(1)>; Jalan A; Jalan B',
            ['"><svg onload=alert(1)>', " Jalan A", " Jalan B"],
        ),
        ("Harga 5 &lt; 6; Jalan &amp; Raya", ["Harga 5 &lt; 6", " Jalan &amp; Raya"]),
        ("a &amp;lt;b; c", ["a &amp;lt;b", " c"]),
        ("Halaman PLN, Jalan Anyer", ["Halaman PLN", "Jalan Anyer"]),
    ],
)
def test_list_fields_split_outside_character_references(value, items):
    assert split_list(value) == items


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Rilis &#60;script&#62;alert(1)&#60;/script&#62; uji", "Rilis uji"),
        ("Rilis &amp;lt;img src=x onerror=alert(1)&amp;gt; uji", "Rilis uji"),
        ("Rilis &lt;svg onload=alert(1) uji", "Rilis"),  # a browser drops an unfinished tag
        ("Ri\u202elis\u200b uji\u2028satu", "Rilis uji satu"),
        ("Harga 5 &lt; 6 &amp; 7 &gt; 3", "Harga 5 < 6 & 7 > 3"),
        ("AT&amp;amp;T", "AT&amp;T"),  # text about an entity, not markup: kept as written
    ],
)
def test_plain_text_is_what_a_reader_sees_and_spells_no_markup(value, text):
    assert plain_text(value) == text


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (
            "<p>Kode <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> teks</p>",
            "<p>Kode <code></code> teks</p>",
        ),
        ("<p>&lt;scr<em>ipt&gt;x&lt;/scr</em>ipt&gt; y</p>", "<p><em></em> y</p>"),
        ("<p>&lt;b&gt;a</p><p>b&lt;/b&gt;</p>", "<p>a</p><p>b</p>"),  # runs end at blocks
        ('<img src="/a.png" alt="&lt;b onclick=x&gt;Foto">', '<img src="/a.png" alt="Foto">'),
        # Inside an svg, as inside a script, nothing is text: it goes with the element.
        ('<img src="/a.png" alt="&lt;svg onload=x&gt;Foto">', '<img src="/a.png" alt="">'),
        ("<p>a\u202eb\u200bc&#x2066;d</p>", "<p>abcd</p>"),
        ("<p>5 &lt; 6 &amp;&amp; x &gt; 2</p>", "<p>5 &lt; 6 &amp;&amp; x &gt; 2</p>"),
        (
            '<table><tr><td style="text-align: center">x</td></tr></table>',
            '<table><tbody><tr><td class="align-center">x</td></tr></tbody></table>',
        ),
    ],
)
def test_text_that_spells_markup_leaves_the_body(fragment, expected):
    assert clean_html(fragment) == expected


ENCODINGS = [
    lambda s: s,
    html.escape,
    lambda s: html.escape(html.escape(s)),
    lambda s: "".join(f"&#{ord(c)};" if c in "<>" else c for c in s),
    lambda s: f"<code>{html.escape(s)}</code>",
    lambda s: f"<em>{html.escape(s[:3])}</em>{html.escape(s[3:])}",
]
MARKUP = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe srcdoc=x>",
        "</p><p onclick=x>",
        "<!-- x -->",
        "<a href=javascript:x>",
        "<",
        ">",
        "\u202e",
        "\u200b",
        " teks ",
        "5 < 6",
    ]
)


@given(st.lists(st.tuples(MARKUP, st.sampled_from(ENCODINGS)), max_size=8))
def test_no_encoding_of_markup_survives_as_text(parts):
    fragment = "<p>" + "".join(encode(piece) for piece, encode in parts) + "</p>"
    cleaned = clean_html(fragment)
    soup = BeautifulSoup(cleaned, "html.parser")
    texts = [soup.get_text()] + [v for t in soup.find_all(True) for v in t.attrs.values()]
    for text in texts:
        assert not re.search(r"<[a-zA-Z/!?]", decoded(str(text))), (fragment, cleaned)
        assert not has_invisible(str(text)), (fragment, cleaned)
    assert clean_html(cleaned) == cleaned


def test_a_title_of_nothing_but_markup_stops_the_build(content_copy, build_content):
    (content_copy / "rilis" / "2024" / "2024-12-05-tanpa-judul.md").write_text(
        "Title: &lt;script&gt;alert(1)&lt;/script&gt;\u202e\nDate: 2024-12-05 10:00\n"
        "Slug: tanpa-judul\nSummary: Ringkasan.\nUnits: Polsek Menteng\n"
        "Activities: Ngopi Kamtibmas\nSources: kabar.co\nStatus: published\n\nIsi.\n",
        encoding="utf-8",
    )
    build = build_content(content_copy)
    assert build.returncode == 1
    assert re.search(
        r"^\S*2024-12-05-tanpa-judul\.md:1: error: the Title is nothing but markup",
        build.stderr,
        re.M,
    )
    assert not (build.output / "rilis" / "2024" / "12" / "tanpa-judul").exists()


def test_the_checker_reports_what_the_build_reports(hostile_site):
    """`invoke check` and the build print the same lines for hostile content."""
    from arsip.rules import check_content
    from arsip.settings import load

    checked = [str(problem) for problem in check_content(hostile_site.content, load())]
    printed = [
        line
        for line in hostile_site.warnings.splitlines()
        if re.match(r"^\S.*:\d+: (error|warning|note): ", line)
    ]
    assert printed == checked
