"""`invoke publish` / `invoke rollback`: the public build, its checks and folder deploys."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import brotli
import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, PUBLISHED_DRAFT, ROOT, run_invoke

from arsip import publish as deploy
from arsip.content import read_release
from arsip.settings import with_defaults

RELEASE = "rilis/2024/11/ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def html(root: Path, path: str) -> BeautifulSoup:
    file = root / path / "index.html" if path == "" or path.endswith("/") else root / path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def listed(report: str, *marks: str) -> set[str]:
    """Paths a --dry-run report lists with the given marks (+ added, ~ changed, - removed)."""
    return {line[4:] for line in report.splitlines() if line[:4] in {f"  {m} " for m in marks}}


def pages(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))


# --- the public build -------------------------------------------------------


def test_publish_deploys_a_checked_build_as_the_current_release(published):
    assert "Build checked" in published.stdout
    current = published.target / "current"
    assert current.is_symlink()
    assert not Path(current.readlink()).is_absolute()  # the target folder can move
    (release,) = deploy.releases(published.target)
    assert published.live == release
    assert re.fullmatch(r"\d{8}T\d{6}Z-([0-9a-f]{7,}(-dirty)?|nogit)", release.name)
    assert "index.html" in {p.name for p in release.iterdir()}


def test_siteurl_is_required_with_a_clear_error(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    for value in (None, "arsip.example.id"):
        if value:
            environment["SITEURL"] = value
        result = subprocess.run(
            [sys.executable, "-m", "pelican", str(CONTENT), "-s", "publishconf.py"]
            + ["-o", str(tmp_path / "out")],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert "SITEURL must be the public address" in result.stderr
        assert not (tmp_path / "out" / "index.html").exists()


def test_every_page_has_its_absolute_canonical_url_and_social_tags(published):
    live = published.live
    for page in pages(live):
        soup = html(live, page)
        assert soup.title and soup.title.get_text(strip=True), page
        if page == "404.html":
            assert soup.find("link", rel="canonical") is None
            assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
            continue
        expected = f"{published.site_url}/{deploy.page_path(page)}"
        assert soup.find("link", rel="canonical")["href"] == expected, page
        assert soup.find("meta", property="og:url")["content"] == expected, page
        for name in ("og:title", "og:description", "og:site_name"):
            assert soup.find("meta", property=name)["content"].strip(), (page, name)
        assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"


def test_feeds_use_absolute_links(published):
    feed = (published.live / "feeds" / "semua.atom.xml").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', feed)
    assert links and all(link.startswith(published.site_url + "/") for link in links)


def test_release_page_describes_itself_as_a_news_article(published):
    soup = html(published.live, RELEASE)
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"].replace("\xa0", " ") == soup.h1.get_text().replace("\xa0", " ")
    assert data["url"] == data["mainEntityOfPage"] == f"{published.site_url}/{RELEASE}"
    assert data["datePublished"].startswith("2024-11-08T00:00:00+07:00")
    assert data["publisher"]["@type"] == "GovernmentOrganization"
    assert data["publisher"]["name"] == "Humas Polres Metro Jakarta Pusat"
    assert "Ngopi Kamtibmas" in data["keywords"]
    assert soup.find("meta", property="og:type")["content"] == "article"


@pytest.fixture(scope="module")
def stretched(tmp_path_factory) -> Path:
    """The live folder of content/ published with a title holding "<" and 12 more
    releases (the home page gets a second page), to a target of its own."""
    content = tmp_path_factory.mktemp("stretched") / "content"
    shutil.copytree(CONTENT, content)
    release = next((content / "rilis").rglob("*ngopi*.md"))
    text = release.read_text(encoding="utf-8")
    for day in range(10, 22):
        release.with_name(f"2024-10-{day}-uji.md").write_text(
            text.replace("Date: 2024-11-08", f"Date: 2024-10-{day}").replace(
                "Slug: ngopi-kamtibmas", f"Slug: uji-{day}-ngopi-kamtibmas"
            ),
            encoding="utf-8",
        )
    release.write_text(text.replace("Title: Ngopi", "Title: Warga <3 Ngopi", 1), encoding="utf-8")
    target = tmp_path_factory.mktemp("stretched-target")
    result = _publish_copy(content, target)
    assert result.returncode == 0, result.stdout + result.stderr
    return (target / "current").resolve()


def test_json_ld_escapes_what_could_end_the_script(stretched):
    # "<" in a title is text; in JSON-LD it is written \u003c, so no title can
    # contain "</script>" or "<!--" for the browser's HTML parser.
    page = (stretched / RELEASE / "index.html").read_text(encoding="utf-8")
    block = BeautifulSoup(page, "html.parser").find("script", type="application/ld+json")
    assert "<" not in block.string
    assert '"Warga \\u003c3 Ngopi' in block.string
    assert json.loads(block.string)["headline"].startswith("Warga <3 Ngopi")


def test_sitemap_lists_every_page_but_the_404_and_robots_names_it(published):
    live = published.live
    tree = ET.parse(live / "sitemap.xml")
    listed = {loc.text for loc in tree.findall("sm:url/sm:loc", SITEMAP_NS)}
    expected = {
        f"{published.site_url}/{deploy.page_path(page)}"
        for page in pages(live)
        if page != "404.html"
    }
    assert listed == expected
    release_entry = next(
        url
        for url in tree.findall("sm:url", SITEMAP_NS)
        if url.find("sm:loc", SITEMAP_NS).text.endswith(RELEASE)
    )
    assert release_entry.find("sm:lastmod", SITEMAP_NS).text.startswith("2024-11-08")
    robots = (live / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {published.site_url}/sitemap.xml" in robots.splitlines()


def test_html_and_css_are_minified(published, site):
    for page in ("index.html", RELEASE + "index.html"):
        public = (published.live / page).read_text(encoding="utf-8")
        development = (site.output / page).read_text(encoding="utf-8")
        assert re.search(r">\n\s*<", development)
        assert not re.search(r">\n\s*<", public)  # no line breaks and indentation between tags
        # Same visible text: minifying changed the markup, not the content.
        assert BeautifulSoup(public, "html.parser").get_text(" ", strip=True).split() == (
            BeautifulSoup(development, "html.parser").get_text(" ", strip=True).split()
        )
    for css in (published.live / "theme").rglob("*.css"):
        assert "\n" not in css.read_text(encoding="utf-8").strip()


def test_css_and_js_names_carry_the_hash_of_their_bytes_and_pages_use_them(published):
    live = published.live
    assets = sorted(p for p in (live / "theme").rglob("*") if p.suffix in (".css", ".js"))
    assert {"arsip.css", "print.css"} <= {
        re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", p.name) for p in assets
    }
    for asset in assets:
        digest = hashlib.sha256(asset.read_bytes()).hexdigest()[:12]
        assert asset.name.endswith(f".{digest}{asset.suffix}")
    urls = {f"{published.site_url}/{p.relative_to(live).as_posix()}" for p in assets}
    for page in ("", RELEASE, "tentang/"):
        soup = html(live, page)
        linked = {link["href"] for link in soup.find_all("link", rel="stylesheet")}
        linked |= {script["src"] for script in soup.find_all("script", src=True)}
        assert len(linked) >= 2 and linked <= urls, page


def test_every_text_file_has_gzip_and_brotli_copies_of_its_final_bytes(published):
    live = published.live
    texts = [
        p
        for p in live.rglob("*")
        if p.is_file() and p.suffix in (".html", ".css", ".js", ".xml", ".txt", ".json")
    ]
    assert len(texts) > 30
    for path in texts:
        data = path.read_bytes()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path


def test_the_check_finds_broken_links_and_missing_canonicals(published, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(published.live, copy)
    assert deploy.check_site(copy, published.site_url) == []
    shutil.rmtree(copy / "kegiatan" / "ngopi-kamtibmas")
    about = copy / "tentang" / "index.html"
    about.write_text(
        re.sub(r"<link[^>]*rel=canonical[^>]*>", "", about.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    problems = deploy.check_site(copy, published.site_url)
    assert any(
        p.startswith(RELEASE + "index.html: broken link") and "kegiatan/ngopi-kamtibmas/" in p
        for p in problems
    )
    assert any(p.startswith("tentang/index.html: canonical URL is None") for p in problems)


def test_the_check_understands_a_site_under_a_path(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    url = "https://org.github.io/arsip"
    page = '<title>A</title><link rel=canonical href="{}"><a href="{}">x</a>'
    (site / "index.html").write_text(page.format(f"{url}/", f"{url}/a/"))
    (site / "a" / "index.html").write_text(page.format(f"{url}/a/", "/elsewhere/"))
    assert deploy.check_site(site, url) == [
        f"a/index.html: link /elsewhere/ points outside the site ({url})"
    ]


# --- deploys that must leave the live site alone ---------------------------


def _publish_copy(content: Path, target: Path, *extra) -> subprocess.CompletedProcess:
    return run_invoke(
        "publish",
        "--target",
        str(target),
        "--content",
        str(content),
        *extra,
        site_url="https://arsip.example.id",
    )


def test_a_failed_build_leaves_the_live_site_untouched(published, content_copy, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(published.target, target, symlinks=True)
    before = (target / "current").readlink()
    release = next((content_copy / "rilis").rglob("*ngopi*.md"))
    release.write_text(
        release.read_text(encoding="utf-8").replace(
            "Activities: Ngopi Kamtibmas", "Activities: Ngopi Kamtibmaz"
        ),
        encoding="utf-8",
    )
    result = _publish_copy(content_copy, target)
    assert result.returncode != 0
    assert "nothing was deployed" in result.stderr
    assert (target / "current").readlink() == before
    assert len(deploy.releases(target)) == 1
    assert not list((target / "releases").glob(".*"))


def test_paginated_pages_pass_the_check(stretched):
    # (The publish of `stretched` ran the check.)
    assert (
        html(stretched, "").find("a", rel="next")["href"] == "https://arsip.example.id/halaman/2/"
    )
    assert (
        html(stretched, "halaman/2/").find("a", rel="prev")["href"] == "https://arsip.example.id/"
    )


def test_drafts_are_not_published(extended_site, published):
    """`published` holds a draft (tests/conftest.py: PUBLISHED_DRAFT), which the
    development build shows."""
    slug = read_release(PUBLISHED_DRAFT).metadata["slug"]
    assert (extended_site.output / "draf" / slug / "index.html").is_file()  # the draft is real
    assert not (published.live / "draf").exists()
    assert slug not in (published.live / "sitemap.xml").read_text(encoding="utf-8")
    named = [
        p for p in published.live.rglob("*") if p.is_file() and slug.encode() in p.read_bytes()
    ]
    assert named == []


def test_dry_run_lists_changes_and_deploys_nothing(published, content_copy, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(published.target, target, symlinks=True)
    before = (target / "current").readlink()
    about = content_copy / "pages" / "tentang.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nParagraf baru.\n", encoding="utf-8")
    # Same SITEURL as the live release, so only the edit shows as a change.
    result = run_invoke(
        "publish",
        "--target",
        str(target),
        "--content",
        str(content_copy),
        "--dry-run",
        site_url=published.site_url,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Exactly the edited page changed: builds are byte-identical, search index
    # included, and the live site's draft left no trace.
    assert listed(result.stdout, "~") == {
        "tentang/index.html",
        "tentang/index.html.gz",
        "tentang/index.html.br",
    }
    assert not listed(result.stdout, "+", "-")
    assert (target / "current").readlink() == before
    assert len(deploy.releases(target)) == 1


def test_publish_keeps_five_releases_and_rollback_steps_back(published, tmp_path):
    target = tmp_path / "target"
    names = [deploy.release_name("abc1234").replace("Z-", f"{n}Z-") for n in range(7)]
    for name in names:
        deploy.deploy_to_folder(published.live, target, name)
    kept = [p.name for p in deploy.releases(target)]
    assert kept == names[-5:]
    assert deploy.current_release(target).name == names[-1]
    # Unchanged files are hard links to the previous release, not copies.
    assert (target / "releases" / names[-1] / "index.html").stat().st_nlink == 5

    result = run_invoke("rollback", "--target", str(target), site_url=None)
    assert result.returncode == 0, result.stderr
    assert deploy.current_release(target).name == names[-2]
    for _ in range(3):
        deploy.rollback_folder(target)
    assert deploy.current_release(target).name == names[-5]
    result = run_invoke("rollback", "--target", str(target), site_url=None)
    assert result.returncode != 0
    assert "cannot roll back" in result.stderr
    assert deploy.current_release(target).name == names[-5]
    # A publish after a rollback goes live and keeps the rolled-back ones.
    deploy.deploy_to_folder(published.live, target, names[-1].replace("6Z-", "7Z-"))
    assert deploy.current_release(target).name.startswith(names[-1][:15] + "7Z")


def test_a_real_folder_in_place_of_current_is_not_replaced(published, tmp_path):
    target = tmp_path / "target"
    (target / "current").mkdir(parents=True)
    (target / "current" / "index.html").write_text("hand-made")
    with pytest.raises(deploy.PublishError, match="real folder"):
        deploy.deploy_to_folder(published.live, target, deploy.release_name("abc1234"))
    assert (target / "current" / "index.html").read_text() == "hand-made"


def test_one_deploy_at_a_time_per_target(published, tmp_path):
    target = tmp_path / "target"
    deploy.deploy_to_folder(published.live, target, deploy.release_name("abc1234"))
    with deploy.exclusive(target):
        with pytest.raises(deploy.PublishError, match="another publish or rollback"):
            deploy.deploy_to_folder(published.live, target, "29991231T000000Z-abc1234")
        with pytest.raises(deploy.PublishError, match="another publish or rollback"):
            deploy.rollback_folder(target)
    assert len(deploy.releases(target)) == 1


def test_publish_needs_exactly_one_destination():
    result = run_invoke("publish", site_url="https://arsip.example.id")
    assert result.returncode != 0
    assert "--target TARGET or --gh-pages" in result.stderr


# --- rsync over ssh: the commands, and the remote scripts run locally -------


def test_remote_targets_are_recognised():
    remote = deploy.RemoteTarget.parse("deploy@web1.example.id:/srv/arsip/")
    assert remote == deploy.RemoteTarget("deploy@web1.example.id", "/srv/arsip")
    assert deploy.RemoteTarget.parse("web1:arsip") == deploy.RemoteTarget("web1", "arsip")
    for local in ("/srv/arsip", "output", "./dir:with-colon", "C/x"):
        assert deploy.RemoteTarget.parse(local) is None


def test_remote_deploy_commands(tmp_path):
    remote = deploy.RemoteTarget("deploy@web1", "/srv/arsip dua")
    prepare, upload, switch = remote.deploy_commands(tmp_path / "site", "20261125T000000Z-abc")
    assert prepare[:2] == ["ssh", "deploy@web1"]
    assert "mkdir -p '/srv/arsip dua'/releases;" in prepare[2]
    assert upload[0] == "rsync" and "--delete" in upload and "--archive" in upload
    assert "--link-dest=../../current/" in upload
    assert upload[-2:] == [
        f"{tmp_path / 'site'}/",
        "deploy@web1:/srv/arsip dua/releases/.20261125T000000Z-abc.partial/",
    ]
    assert switch[:2] == ["ssh", "deploy@web1"]
    dry = remote.dry_run(tmp_path / "site")
    assert "--dry-run" in dry and dry[-1] == "deploy@web1:/srv/arsip dua/current/"


def _sh(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", "-c", script], capture_output=True, text=True)


def test_remote_switch_and_rollback_scripts_work_on_a_real_folder(tmp_path):
    """What ssh would run on the server, run here on the same layout."""
    path = tmp_path / "srv arsip"
    remote = deploy.RemoteTarget("deploy@web1", str(path))
    assert _sh(remote.prepare_script()).returncode == 0
    names = [f"2026112{n}T000000Z-abc" for n in range(7)]
    for name in names:
        (path / "releases" / name).mkdir()
        result = _sh(remote.switch_script(name, keep=5))
        assert result.returncode == 0, result.stderr
        assert (path / "current").readlink() == Path("releases") / name
    assert [p.name for p in deploy.releases(path)] == names[-5:]
    result = _sh(remote.rollback_script())
    assert result.returncode == 0, result.stderr
    assert (path / "current").readlink() == Path("releases") / names[-2]
    assert deploy.current_release(path).name == names[-2]
    # Switching to a release that was not uploaded fails and changes nothing.
    assert _sh(remote.switch_script("20991231T000000Z-missing")).returncode != 0
    assert deploy.current_release(path).name == names[-2]
    for _ in range(3):
        assert _sh(remote.rollback_script()).returncode == 0
    result = _sh(remote.rollback_script())
    assert result.returncode != 0 and "cannot roll back" in result.stderr
    assert deploy.current_release(path).name == names[-5]


# --- GitHub Pages branch ----------------------------------------------------


def test_gh_pages_pushes_the_checked_build_to_a_branch(tmp_path):
    origin = tmp_path / "origin.git"
    work = tmp_path / "work.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    subprocess.run(["git", "init", "-q", "--bare", str(work)], check=True)
    subprocess.run(
        ["git", "--git-dir", str(work), "remote", "add", "origin", str(origin)], check=True
    )
    env = {
        "GIT_DIR": str(work),  # keep the project's own repository out of it
        "GIT_COMMITTER_NAME": "Uji",
        "GIT_COMMITTER_EMAIL": "uji@example.id",
        "GIT_AUTHOR_NAME": "Uji",
        "GIT_AUTHOR_EMAIL": "uji@example.id",
    }
    url = "https://org.github.io/arsip"
    dry = run_invoke("publish", "--gh-pages", "--dry-run", site_url=url, env=env)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert re.search(r"Would push to gh-pages: \d+ added, 0 changed, 0 removed", dry.stdout)
    result = run_invoke("publish", "--gh-pages", site_url=url, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    files = subprocess.run(
        ["git", "--git-dir", str(origin), "ls-tree", "-r", "--name-only", "gh-pages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert {".nojekyll", "404.html", "index.html", "sitemap.xml", RELEASE + "index.html"} <= set(
        files
    )
    index = subprocess.run(
        ["git", "--git-dir", str(origin), "show", "gh-pages:index.html"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"href={url}/ rel=canonical" in index
    again = run_invoke("publish", "--gh-pages", "--dry-run", site_url=url, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not listed(again.stdout, "+", "~", "-")  # the same build, byte for byte
    assert "CNAME" not in files  # a github.io address needs none


def test_a_custom_domain_becomes_the_pages_cname():
    assert deploy.pages_custom_domain("https://arsip.example.id") == "arsip.example.id"
    assert deploy.pages_custom_domain("https://org.github.io/arsip") is None


# --- the Brotli cache -------------------------------------------------------


def test_brotli_results_are_reused_by_content_and_old_entries_expire(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "plugins"))
    import compress

    output = tmp_path / "out"
    output.mkdir()
    (output / "a.html").write_text("<title>a</title>" + "arsip " * 200, encoding="utf-8")
    (output / "b.css").write_text("body{color:red}", encoding="utf-8")
    settings = with_defaults({"CACHE_PATH": str(tmp_path / "cache")})
    quality = settings["COMPRESS_BROTLI_QUALITY"]
    pelican = type("Pelican", (), {"output_path": str(output), "settings": settings})
    cache = compress.cache_folder(settings)
    compress.compress_output(pelican)
    assert len(list(cache.iterdir())) == 2
    # An entry is what the next build uses for the same bytes: prove it by planting one.
    planted = brotli.compress(b"planted")
    key = hashlib.sha256((output / "a.html").read_bytes()).hexdigest()
    (cache / f"{key}.q{quality}.br").write_bytes(planted)
    # Entries unused for longer than COMPRESS_CACHE_DAYS go; recent unused ones stay.
    stale, recent = cache / "stale.q10.br", cache / "recent.q10.br"
    stale.write_bytes(b"x")
    recent.write_bytes(b"x")
    eight_days_ago = time.time() - 8 * 86400
    os.utime(stale, (eight_days_ago, eight_days_ago))
    os.utime(cache / f"{key}.q{quality}.br", (eight_days_ago,) * 2)
    (output / "b.css").write_text("body{color:blue}", encoding="utf-8")
    compress.compress_output(pelican)
    assert (output / "a.html.br").read_bytes() == planted
    assert brotli.decompress((output / "b.css.br").read_bytes()) == b"body{color:blue}"
    assert not stale.exists() and recent.exists()
    assert (cache / f"{key}.q{quality}.br").exists()  # used: kept
    assert len(list(cache.iterdir())) == 4  # a, old b, new b, recent
