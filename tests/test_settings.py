"""The archive's settings in one place (arsip/settings.py), the post-build steps in
one checked order (arsip/post_build.py), and derived caches that outlive a
change to the plugins."""

from __future__ import annotations

import copy
import json
import re
import shutil
import types
from pathlib import Path

import pytest
import yaml
from conftest import CONTENT, ROOT, run_pelican
from pelican.settings import DEFAULT_CONFIG

from arsip import post_build
from arsip.settings import DEFAULTS, SettingsError, load, problems, with_defaults

SITE_URL = "https://arsip.example.id"


def pelican_defaults(**override) -> dict:
    return {**copy.deepcopy(DEFAULT_CONFIG), **override}


# --- settings ---------------------------------------------------------------


def test_every_setting_the_code_reads_has_a_value_whatever_the_settings_file():
    """A plugin reading settings["X"] fails with a KeyError unless Pelican, the
    archive's defaults or both settings files give X."""
    read = set()
    for path in [*ROOT.glob("plugins/*.py"), *ROOT.glob("arsip/**/*.py")]:
        read |= set(
            re.findall(r'settings\["([A-Z][A-Z0-9_]+)"\](?!\s*=[^=])', path.read_text("utf-8"))
        )
    given = set(DEFAULT_CONFIG) | set(DEFAULTS) | set(load()) | {"CACHE_ROOT"}
    assert read and read <= given, sorted(read - given)


def test_the_defaults_pass_their_own_checks(monkeypatch):
    assert problems(with_defaults(pelican_defaults())) == []
    monkeypatch.setenv("SITEURL", SITE_URL)
    assert load(ROOT / "publishconf.py")["POST_BUILD_STEPS"][-2:] == ["strict", "output_swap"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("RELEASE_MAX_BYTES", 0),
        ("RELEASE_MAX_BYTES", True),
        ("RELEASE_YEARS", (2100, 2000)),
        ("RELATED_COUNT", "5"),
        ("STATISTICS_TOP_OFFICERS", 0),
        ("COMPRESS_BROTLI_QUALITY", 12),
        ("COMPRESS_CACHE", "no"),
        ("COMPRESS_CACHE_DAYS", 0),
        ("COMPRESS_SUFFIXES", ["html"]),
        ("OPENDATA_TERM_JSON", "{slug}/index.json"),
        ("OPENDATA_RELEASES_CSV", "/data/releases.csv"),
        ("UNIT_SAVE_AS", "satuan/index.html"),
        ("SEARCH_BUNDLE_DIR", "a/b"),
        ("SEARCH_LANGUAGE", "Bahasa Indonesia"),
        ("THEME_COLOR", "blue"),
        ("WEBSUB_HUB", "hub.example.id"),
        ("POST_BUILD_STEPS", ["search", "search"]),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_setting_and_the_value(key, value):
    with pytest.raises(SettingsError) as refused:
        with_defaults(pelican_defaults(**{key: value}))
    (line,) = refused.value.messages
    assert line.startswith(f"{key} must be ") and repr(value) in line


def test_a_misspelt_setting_is_refused_with_the_name_it_resembles():
    settings = pelican_defaults(COMPRES_CACHE=False, SEARCH_LANG="id", MY_OWN_SETTING=1)
    with pytest.raises(SettingsError) as refused:
        with_defaults(settings)
    assert refused.value.messages == [
        "COMPRES_CACHE is not a setting of the archive (did you mean COMPRESS_CACHE?): "
        "rename or remove it",
        "SEARCH_LANG is not a setting of the archive (did you mean SEARCH_LANGUAGE?): "
        "rename or remove it",
    ]


def test_a_build_with_wrong_settings_stops_before_writing_with_one_line_each(tmp_path):
    out = tmp_path / "out"
    build = run_pelican(
        CONTENT,
        out,
        "pelicanconf.py",
        "-e",
        'RELATED_COUNT="lima"',
        'THEME_COLOR="biru"',
        "COMPRES_CACHE=false",
    )
    assert build.returncode == 1
    assert build.stderr.splitlines() == [
        "settings:1: error: RELATED_COUNT must be a whole number, 0 or more, not 'lima': "
        "fix it in the settings",
        "settings:1: error: THEME_COLOR must be a colour #rrggbb, e.g. '#0b3d91', not 'biru': "
        "fix it in the settings",
        "settings:1: error: COMPRES_CACHE is not a setting of the archive "
        "(did you mean COMPRESS_CACHE?): rename or remove it",
    ]
    assert "Traceback" not in build.stdout
    assert not out.exists()


# --- the order of the post-build steps --------------------------------------


def plugin(name: str, step: bool = True) -> types.ModuleType:
    module = types.ModuleType(name)
    if step:
        module.POST_BUILD_STEP = lambda pelican: None
    return module


LOADED = [plugin("search"), plugin("registry", step=False), plugin("strict"), plugin("output_swap")]


def test_the_list_agrees_with_the_loaded_plugins():
    assert post_build.disagreements(["search", "strict", "output_swap"], LOADED) == []


@pytest.mark.parametrize(
    ("listed", "problem"),
    [
        (["search", "compress", "strict", "output_swap"], "'compress', which is not in PLUGINS"),
        (["search", "registry", "strict", "output_swap"], "'registry', whose plugin has no"),
        (["strict", "output_swap"], "'search' has a post-build step that POST_BUILD_STEPS leaves"),
        (["strict", "search", "output_swap"], "must end with strict, output_swap"),
        (["search", "output_swap", "strict"], "must end with strict, output_swap"),
    ],
)
def test_a_list_that_disagrees_is_one_line_saying_what_to_do(listed, problem):
    (line,) = post_build.disagreements(listed, LOADED)
    assert problem in line


NOISY_PLUGIN = """
import logging

from arsip import post_build


def complain(pelican):
    logging.getLogger(__name__).error("noisy: the step could not finish")


POST_BUILD_STEP = complain


def register():
    post_build.connect()
"""


def test_an_error_any_post_build_step_logs_fails_the_build_and_keeps_the_output(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "noisy.py").write_text(NOISY_PLUGIN, encoding="utf-8")
    out = tmp_path / "out"
    first = run_pelican(CONTENT, out, "pelicanconf.py", "-e", f'CACHE_PATH="{tmp_path / "c"}"')
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    settings = load()
    extra = [
        f'CACHE_PATH="{tmp_path / "c"}"',
        f'PLUGIN_PATHS=["{ROOT / "plugins"}", "{plugins}"]',
        f"PLUGINS={json.dumps([*settings['PLUGINS'], 'noisy'])}",
    ]
    # Listed after strict: refused before anything is built.
    steps = '["search", "strict", "noisy", "output_swap"]'
    refused = run_pelican(CONTENT, out, "pelicanconf.py", "-e", *extra, f"POST_BUILD_STEPS={steps}")
    assert refused.returncode == 1
    assert "POST_BUILD_STEPS must end with strict, output_swap" in refused.stderr
    # Listed first, as a step whose error a collector running in plugin order missed.
    steps = '["noisy", "search", "strict", "output_swap"]'
    failed = run_pelican(CONTENT, out, "pelicanconf.py", "-e", *extra, f"POST_BUILD_STEPS={steps}")
    assert failed.returncode == 1
    assert f"{CONTENT}:1: error: noisy: the step could not finish" in failed.stderr.splitlines()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# --- caches -----------------------------------------------------------------


def test_editing_a_plugin_keeps_the_brotli_cache_and_the_search_index(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", SITE_URL)
    # The plugins as another checkout has them, beside the same code, schema and theme.
    plugins = tmp_path / "checkout" / "plugins"
    shutil.copytree(ROOT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("arsip", "schema", "theme"):
        (plugins.parent / name).symlink_to(ROOT / name)
    cache, out = tmp_path / "cache", tmp_path / "out"

    def publish():
        extra = [f'CACHE_PATH="{cache}"', f'PLUGIN_PATHS=["{plugins}"]']
        build = run_pelican(CONTENT, out, "publishconf.py", "-e", *extra)
        assert build.returncode == 0, build.stderr

    def content_caches() -> set[str]:
        return {p.name for p in cache.iterdir() if re.fullmatch(r"[0-9a-f]{16}", p.name)}

    def brotli_entries() -> list[Path]:
        return sorted(p.relative_to(cache) for p in (cache / "brotli").rglob("*.br"))

    def search_records() -> dict[str, int]:
        # Rewritten only when Pagefind ran.
        return {p.name: p.stat().st_mtime_ns for p in (cache / "search").glob("*.json")}

    publish()
    first_key, entries, records = content_caches(), brotli_entries(), search_records()
    assert len(first_key) == 1 and entries and records
    minify = plugins / "minify.py"
    minify.write_text(minify.read_text("utf-8") + "\n# edited\n", encoding="utf-8")
    publish()
    # The content cache starts afresh under a new key; Brotli compressed
    # nothing new, and Pagefind did not run again.
    assert len(content_caches() - first_key) == 1
    assert brotli_entries() == entries
    assert search_records() == records


def test_the_workflow_caches_the_folders_the_build_keeps_post_build_results_in(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "plugins"))
    monkeypatch.setenv("SITEURL", "https://arsip.example.id")  # for publishconf.py
    import compress
    import minify

    from arsip import publish

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text("utf-8"))
    cached = [
        set(step["with"]["path"].split())
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/cache@")
    ]
    folders = {"cache/brotli", "cache/gzip", "cache/minify", "cache/check"}
    assert cached and all(paths == folders for paths in cached)
    settings = load()
    for folder in (
        compress.cache_folder(settings),
        compress.gzip_cache_folder(settings),
        minify.cache_folder(settings),
        publish.check_cache("content").parent,
    ):
        assert any(Path(ROOT, name) in (folder, *folder.parents) for name in folders), folder
