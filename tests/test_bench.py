"""bench/run.py's figures across steps: ratios, growth, the targets and the README section."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402


def timed(seconds, cpu, peak=100.0, pagefind=0.0, returncode=0):
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": peak,
        "load_before": 1.0,
        "returncode": returncode,
        "pagefind_peak_rss_mb": pagefind,
    }


def session(edit_seconds, edit_cpu, nothing=0.2, added=2.0, search=5.0):
    def figure(pages, cpu, everything):
        return {
            "pages_seconds": pages,
            "pages_cpu_seconds": cpu,
            "all_seconds": everything,
            "rendered": 3,
        }

    return {
        "process": timed(30, 30),
        "first_build": figure(20, 20, 25),
        "nothing_changed": figure(nothing, nothing, nothing),
        "one_edited": figure(edit_seconds, edit_cpu, search),
        "one_added": figure(added, added, added + 1),
    }


def search(kb, seconds, broken=False):
    found = {
        "patroli (phone)": {"gzip_bytes": kb * 1000, "seconds_to_results_local": seconds},
        "warga (desktop)": {"gzip_bytes": 1000, "seconds_to_results_local": 0.1},
    }
    if broken:
        found["lalu lintas"] = "failed: TimeoutError: no results"
    return {"first_searches": found}


def result(steps, releases=10_000, growth=None, relevance=None):
    figures = {"releases": releases, "steps": steps, "growth": growth, "relevance": relevance}
    figures["ratios"] = run.ratios(steps)
    return figures


def met(rows, start):
    return next(row["met"] for row in rows if row["target"].startswith(start))


def all_met_steps():
    return {
        "plain": timed(200, 200),
        "archive": timed(50, 60, peak=900, pagefind=400),
        "hugo": timed(30, 40),
        "pagefind": timed(25, 30),
        "search": search(120, 0.8),
        "publish": {"cold": timed(70, 80), "warm_one_edited": timed(15, 15)},
        "preview": session(0.5, 0.4),
    }


def test_every_target_met():
    growth = {"from": "this run", "wall": 5.0, "cpu": 5.2, "peak_memory": 2.0}
    judged = {"queries": 31, "same_top_ten": 31, "from": "bench/results/x.json"}
    rows = run.targets(result(all_met_steps(), growth=growth, relevance=judged))
    assert len(rows) == 13
    assert [row["met"] for row in rows] == ["yes"] * 13


def test_each_target_can_fail():
    steps = all_met_steps()
    steps["archive"] = timed(80, 90, peak=1100)
    steps["search"] = search(151, 1.2)
    steps["publish"] = {"cold": timed(121, 130), "warm_one_edited": timed(31, 31)}
    steps["preview"] = session(1.1, 2.1, nothing=0.6, added=3.1, search=10.5)
    growth = {"from": "bench/results/a-50000.json", "wall": 5.0, "cpu": 5.6, "peak_memory": 2.0}
    judged = {"queries": 31, "same_top_ten": 30, "from": "bench/results/x.json"}
    rows = run.targets(result(steps, growth=growth, relevance=judged))
    assert [row["met"] for row in rows] == ["**no**"] * 13, rows


def test_full_build_split_verdicts():
    steps = all_met_steps()
    steps["archive"] = timed(50, 90)
    assert met(run.targets(result(steps)), "full build") == "by wall only"
    steps["archive"] = timed(60, 90)
    assert met(run.targets(result(steps)), "full build") == "**no**"


def test_memory_limit_depends_on_size():
    steps = all_met_steps()
    steps["archive"] = timed(50, 60, peak=1500)
    assert met(run.targets(result(steps, releases=10_000)), "peak memory ≤ 1 GB") == "**no**"
    assert met(run.targets(result(steps, releases=50_000)), "peak memory ≤ 2 GB") == "yes"


def test_skipped_and_failed_steps_are_not_measured_and_say_why():
    steps = all_met_steps()
    steps["hugo"] = "failed: CalledProcessError: apt-get"
    steps["pagefind"] = "skipped"
    steps["publish"] = {"cold": timed(1, 1, returncode=1), "warm_one_edited": timed(1, 1)}
    steps["preview"] = "skipped"
    steps["search"] = {"first_searches": "failed: ModuleNotFoundError: playwright"}
    rows = run.targets(result(steps))
    by_start = {row["target"].split(" ")[0]: row for row in rows}
    assert by_start["full"]["met"] == run.NOT_MEASURED
    assert by_start["full"]["figure"].startswith("hugo: failed")
    assert met(rows, "first search") == run.NOT_MEASURED
    assert "playwright" in next(r["figure"] for r in rows if r["target"].startswith("first"))
    assert met(rows, "publish cold") == run.NOT_MEASURED
    assert met(rows, "preview: one release edited") == run.NOT_MEASURED
    assert met(rows, "relevance") == run.NOT_MEASURED
    assert met(rows, "growth") == run.NOT_MEASURED


def test_a_failed_search_query_fails_its_targets():
    steps = all_met_steps()
    steps["search"] = search(100, 0.5, broken=True)
    rows = run.targets(result(steps))
    assert met(rows, "first search").startswith("**no**")
    assert met(rows, "time to results").startswith("**no**")


def test_ratios():
    figures = run.ratios(all_met_steps())
    assert figures["archive_to_hugo_pagefind_wall"] == round(50 / 55, 3)
    assert figures["archive_to_hugo_pagefind_cpu"] == round(60 / 70, 3)
    assert figures["publish_cold_to_archive_wall"] == 1.4
    assert figures["publish_warm_edit_to_cold_wall"] == round(15 / 70, 3)
    assert run.ratios({"archive": "skipped"}) == {}


def test_growth_against_the_other_size_in_a_file(tmp_path):
    old = {"site": {"full_build": timed(100, 200, peak=1000)}}  # the format before this one
    (tmp_path / "20261126T0216-10000.json").write_text(json.dumps(old))
    (tmp_path / "20261126T0100-10000.json").write_text(json.dumps({"steps": {}}))
    large = {"releases": 50_000, "steps": {"archive": timed(550, 1200, peak=3000)}}
    grown = run.growth_for(large, {}, tmp_path)
    assert (grown["wall"], grown["cpu"], grown["peak_memory"]) == (5.5, 6.0, 3.0)
    assert grown["from"].endswith("20261126T0216-10000.json")
    small = {"releases": 10_000, "steps": {"archive": timed(100, 200, peak=1000)}}
    assert run.growth_for(large, {10_000: small}, tmp_path)["from"] == "this run"
    assert run.growth_for({"releases": 1000, "steps": {}}, {}, tmp_path) is None


def test_readme_section_replaced_and_hand_written_text_kept():
    steps = all_met_steps()
    figures = result(steps)
    figures.update(
        file="bench/results/x-10000.json",
        date="2026-12-02T10:00:00+00:00",
        versions={"archive_commit": "abc1234"},
        seed=1,
        machine={"cores": 2},
        skipped=[],
        estimate_seconds=600,
        seconds=660,
    )
    figures["targets"] = run.targets(figures)
    section = run.generated_section([figures])
    text = run.replace_section("# Bench\n\nhand-written\n", section)
    assert text.startswith("# Bench\n\nhand-written\n")
    assert text.count(run.BEGIN) == 1 and "| full build ≤ Hugo + Pagefind" in text
    again = run.replace_section(text + "\n## Later, by hand\n", run.generated_section([figures]))
    assert again.count(run.BEGIN) == 1 and again.endswith("## Later, by hand\n")
    assert again.startswith("# Bench\n\nhand-written\n")


def test_readme_section_says_which_steps_were_not_measured():
    steps = all_met_steps()
    steps["hugo"] = "failed: CalledProcessError: apt-get"
    steps["pagefind"] = "skipped"
    steps["preview"] = timed(3, 3, returncode=1)
    figures = result(steps, releases=50_000)
    figures.update(
        file="x-50000.json",
        date="2026-12-02T10:00:00+00:00",
        versions={"archive_commit": "abc1234", "archive_dirty": True},
        seed=1,
        machine={"cores": 2},
        skipped=["pagefind"],
        estimate_seconds=600,
    )
    figures["targets"] = run.targets(figures)
    section = run.size_section(figures)
    assert (
        "Not measured: hugo: failed: CalledProcessError: apt-get; preview: exited with 1" in section
    )
    assert "Skipped: pagefind." in section and "(with uncommitted changes)" in section
    assert "| preview: nothing changed ≤ 0.5 s | preview: exited with 1 | not measured |" in section


def test_estimate_scales_the_nearest_result(tmp_path):
    steps = {
        "generate": {"seconds": 10},
        "plain": timed(100, 100),
        "archive": timed(200, 200),
        "hugo": timed(50, 50),
        "pagefind": timed(50, 50),
        "search": {"first_searches": {}},
        "publish": {"cold": timed(300, 300), "warm_one_edited": timed(100, 100)},
        "preview": session(1, 1),
    }
    (tmp_path / "20261202T0900-10000.json").write_text(
        json.dumps({"releases": 10_000, "steps": steps})
    )
    (tmp_path / "20261126T0216-50000.json").write_text(json.dumps({"site": {}}))  # older format
    older = {"releases": 10_000, "steps": {"plain": timed(1, 1)}}
    (tmp_path / "20261201T0900-10000.json").write_text(json.dumps(older))
    same, basis = run.estimate(10_000, set(), tmp_path)
    search = run.SECONDS_PER_RELEASE["search"] * 10_000 + run.FIXED_SECONDS["search"]
    assert same == 10 + 100 + 200 + 50 + 50 + search + 400 + 30
    assert "20261202T0900-10000.json" in basis
    trimmed, _ = run.estimate(10_000, {"publish", "preview", "hugo"}, tmp_path)
    assert trimmed == 10 + 100 + 200 + search
    larger, _ = run.estimate(50_000, {"search"}, tmp_path)
    assert larger == pytest.approx(sum((10, 100, 200, 50, 50, 400, 30)) * 5**run.GROWTH_EXPONENT)
