"""The benchmark corpus generator writes content the real site builds."""

from __future__ import annotations

import datetime
import filecmp
import sys
from pathlib import Path

import yaml
from conftest import CORPUS_RELEASES as RELEASES
from conftest import CORPUS_SEED as SEED

from arsip.content import metadata_list
from arsip.registry import Registry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402

# `corpus` and `corpus_site`: tests/conftest.py, shared with the other modules.


def headers(folder):
    for path in sorted((folder / "rilis").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, body = text.split("\n\n", 1)
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        yield path, fields, body


def test_same_seed_writes_the_same_folder(corpus, tmp_path):
    again = tmp_path / "again"
    generate.generate(RELEASES, again, seed=SEED)
    files = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(
        corpus, again, [str(f) for f in files], shallow=False
    )
    assert not mismatch and not errors


def test_another_seed_writes_other_releases(corpus, tmp_path):
    other = tmp_path / "other"
    generate.generate(RELEASES, other, seed=SEED + 1)
    assert {p.name for p in other.rglob("*.md")} != {p.name for p in corpus.rglob("*.md")}


def test_releases_have_the_shape_the_issue_asks_for(corpus):
    found = list(headers(corpus))
    assert len(found) == RELEASES
    for path, fields, body in found:
        paragraphs = body.strip().split("\n\n")
        assert 6 <= len(paragraphs) <= 10, path
        assert 400 <= len(body.split()) <= 600, path
        date = datetime.datetime.strptime(fields["Date"], "%Y-%m-%d %H:%M")
        assert 2019 <= date.year <= 2026
        assert 1 <= len(metadata_list(fields["Units"])) <= 3
        assert 1 <= len(metadata_list(fields["Officers"])) <= 4
        assert 1 <= len(metadata_list(fields["Activities"])) <= 2


def test_registry_loads_and_officers_change_rank(corpus):
    registry = Registry.load(corpus)
    assert len(registry.all("units")) == 39
    assert len(registry.all("officers")) == generate.OFFICER_COUNT
    assert len(registry.all("activities")) == generate.ACTIVITY_COUNT
    promoted = [o for o in registry.all("officers") if len({s.rank for s in o.service}) > 1]
    assert len(promoted) > generate.OFFICER_COUNT // 3


def test_officers_are_written_in_varied_forms_with_the_rank_of_the_day(corpus):
    registry = Registry.load(corpus)
    with_post = rank_only = plain = 0
    for _path, fields, _body in headers(corpus):
        date = datetime.datetime.strptime(fields["Date"], "%Y-%m-%d %H:%M")
        for written in metadata_list(fields["Officers"]):
            entry, mention = registry.resolve_officer(written)
            with_post += mention.post is not None
            rank_only += mention.rank is not None and mention.post is None
            plain += mention.rank is None and mention.post is None
            if mention.rank:
                assert mention.rank == entry.service_at(date).rank, written
    assert with_post and rank_only and plain


def test_registry_yaml_is_plain_data(corpus):
    officers = yaml.safe_load((corpus / "registry" / "officers.yaml").read_text(encoding="utf-8"))
    starts = [item["from"] for o in officers for item in o["service"] if "from" in item]
    assert starts and all(isinstance(start, datetime.date) for start in starts)


def test_the_real_site_builds_the_corpus(corpus, corpus_site):
    build = corpus_site  # built with `--fatal errors`
    pages = [p for p in (build.output / "rilis").rglob("index.html")]
    assert len(pages) == RELEASES
    registry = Registry.load(corpus)
    officer_pages = {p.parent.name for p in (build.output / "personel").glob("*/index.html")}
    assert officer_pages <= {o.slug for o in registry.all("officers")}
    assert officer_pages
