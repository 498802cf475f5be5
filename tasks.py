"""Tasks for building, previewing and checking the archive: `invoke --list`."""

import os
import shlex
import shutil
import sys
import time
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

SETTINGS = {
    "content": "content",
    "output": "output",
    "dev_settings": "pelicanconf.py",
    "host": "127.0.0.1",
    "port": 8000,
}


def pelican_run(c, args):
    c.run(f"{shlex.quote(sys.executable)} -m pelican {args}", pty=sys.stdout.isatty())


def _build_args(content, output, settings, extra=""):
    return f"{shlex.quote(content)} -s {shlex.quote(settings)} -o {shlex.quote(output)} {extra}"


@task
def clean(c, output=SETTINGS["output"]):
    """Remove the generated site (a symlink stays: the folder it names goes), the
    folders killed builds left beside it, and Pelican's content cache."""
    from invoke.exceptions import Exit

    from arsip.output import OutputError, remove

    try:
        remove(output)
    except OutputError as error:
        raise Exit(str(error), code=1) from None
    shutil.rmtree(ROOT / "cache", ignore_errors=True)


# A build writes into a new folder beside `output` and puts it in place only
# when every step succeeded (plugins/output_swap.py, for any `pelican` command).


@task
def build(c, content=SETTINGS["content"], output=SETTINGS["output"]):
    """Build the site with the development settings; a failed build keeps the old output."""
    pelican_run(c, _build_args(content, output, SETTINGS["dev_settings"]))


@task
def rebuild(c, content=SETTINGS["content"], output=SETTINGS["output"]):
    """Build from scratch, ignoring Pelican's cache; a failed build keeps the old output."""
    pelican_run(c, _build_args(content, output, SETTINGS["dev_settings"], "--ignore-cache"))


@task
def regenerate(c, content=SETTINGS["content"], output=SETTINGS["output"]):
    """Rebuild whenever content, theme or settings change; a failed run keeps the old output."""
    pelican_run(c, _build_args(content, output, SETTINGS["dev_settings"], "--autoreload"))


@task
def serve(c, output=SETTINGS["output"], host=SETTINGS["host"], port=SETTINGS["port"]):
    """Serve the built site on http://127.0.0.1:8000."""
    pelican_run(
        c,
        f"--listen --bind {host} --port {port} -o {shlex.quote(output)} -s {SETTINGS['dev_settings']}",
    )


@task
def livereload(
    c,
    content=SETTINGS["content"],
    output=SETTINGS["output"],
    host=SETTINGS["host"],
    port=SETTINGS["port"],
):
    """Build, serve on http://127.0.0.1:8000, rebuild and reload the browser on every change.

    Releases are rebuilt in this process (engine/preview.py): only what a
    change touches is read and rendered again. A change to the registry starts
    a new preview session; a change to the theme, the plugins, the code or the
    settings restarts this task, so that they are loaded anew.
    """
    from livereload import Server

    from arsip.problems import ContentError
    from arsip.registry import REGISTRY_DIR
    from engine.preview import PreviewSession

    # Builds in place, unlike `build`: this is a local preview that is never
    # deployed, and the server keeps serving the same folder between builds.
    def registry_files():
        folder = Path(content) / REGISTRY_DIR
        stats = ((path.name, path.stat()) for path in folder.glob("*"))
        return sorted((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats)

    preview = {}

    def rebuild():
        started = time.perf_counter()
        try:
            preview["session"].build()
        except ContentError:  # its problems are printed; the old pages stay
            print("Pembangunan gagal: perbaiki masalah di atas lalu simpan lagi.", file=sys.stderr)
            return
        except Exception as error:  # the old pages stay; the next save tries again
            print(f"Pembangunan gagal: {error}", file=sys.stderr)
            return
        seconds = time.perf_counter() - started
        rendered = len(preview["session"].rendered)
        print(f"Pratinjau siap: {rendered} berkas ditulis ulang dalam {seconds:.1f} detik")

    def content_changed():
        if preview and preview["registry"] == registry_files():
            rebuild()
            return
        if preview:
            preview["session"].wait()
        preview["registry"] = registry_files()
        # No Content-Security-Policy <meta>: it would block livereload's inline reload script.
        preview["session"] = PreviewSession(
            content, output, SETTINGS["dev_settings"], {"CONTENT_SECURITY_POLICY": ""}
        )
        rebuild()

    def code_changed():
        preview["session"].wait()
        os.execv(sys.executable, [sys.executable, *sys.argv])

    content_changed()
    server = Server()
    server.watch(f"{content}/**/*", content_changed)
    for pattern in ("theme/**/*", "plugins/*.py", "engine/*.py", "arsip/*", "pelicanconf.py"):
        server.watch(pattern, code_changed)
    print(f"Arsip berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)")
    server.serve(host=host, port=port, root=output, open_url_delay=None)


@task
def test(c, k=""):
    """Run the whole test suite."""
    selection = f"-k {shlex.quote(k)}" if k else ""
    c.run(f"{shlex.quote(sys.executable)} -m pytest {selection}", pty=sys.stdout.isatty())


# -- Editors' tools: import raw releases, scaffold new ones, check content (docs/editors.md) --


@task(
    name="import",
    help={
        "source": "a raw release (.txt) or a folder of them",
        "dest": "write the releases here instead of content/rilis/<year>/",
        "add-to-registry": "add the units, officers and activity types the registry lacks",
    },
)
def import_releases(c, source, dest=None, add_to_registry=False, content=SETTINGS["content"]):
    """Import raw releases pasted from outlets as Markdown releases (drafts)."""
    from invoke.exceptions import Exit

    from arsip.importer import import_releases as run_import
    from arsip.importer import suggestions_text
    from arsip.registry import RegistryError

    try:
        report = run_import(source, content, dest, add=add_to_registry)
    except RegistryError as error:
        print(error, file=sys.stderr)
        raise Exit("the registry has errors: fix them first", code=1) from None
    for path in report.written:
        print(path)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    suggestions = suggestions_text(report)
    if suggestions:
        print(f"\n{suggestions}", end="")
    if report.failed:
        raise Exit(code=1)


@task(
    name="eval-import",
    help={
        "source": "a folder of raw releases (.txt) with their gold metadata in expected.json",
        "json": "also write the figures and misses to this JSON file",
    },
)
def eval_import(c, source, json=""):
    """Score the importer against hand-made gold metadata (bench/eval_import.py)."""
    extra = f" --json {shlex.quote(json)}" if json else ""
    c.run(
        f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'bench' / 'eval_import.py'))}"
        f" {shlex.quote(source)}{extra}",
        pty=sys.stdout.isatty(),
    )


@task(help={"title": "the release's title"})
def new(c, title, content=SETTINGS["content"]):
    """Scaffold a new release dated now (Asia/Jakarta) and print its path."""
    from invoke.exceptions import Exit

    from arsip.scaffold import new_release

    try:
        print(new_release(title, content))
    except FileExistsError as error:
        raise Exit(f"{error.filename} already exists: not overwritten", code=1) from None
    except ValueError as error:
        raise Exit(str(error), code=1) from None


@task(name="check", help={"json": "print the findings as a JSON list"})
def check_content(c, content=SETTINGS["content"], json=False):
    """Check all content without building, as the build does; exit 1 on errors."""
    import json as json_module

    from invoke.exceptions import Exit

    from arsip.problems import summary
    from arsip.rules import check_content as run_check
    from arsip.settings import SettingsError, load

    try:
        settings = load()
    except SettingsError as error:
        for message in error.messages:
            print(f"settings:1: error: {message}", file=sys.stderr)
        raise Exit(code=1) from None
    problems = run_check(content, settings)
    if json:
        print(json_module.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem)
    print(f"{content}: {summary(problems)}", file=sys.stderr)
    if any(p.level == "error" for p in problems):
        raise Exit(code=1)


# --- search (issue 4) -------------------------------------------------------


@task(name="search-size")
def search_size(c, output=SETTINGS["output"], query="patroli", label=""):
    """Measure the search index and a first query's downloads (bench/search_size.py)."""
    extra = f" --label {shlex.quote(label)}" if label else ""
    c.run(
        f"{shlex.quote(sys.executable)} bench/search_size.py {shlex.quote(output)}"
        f" --query {shlex.quote(query)}{extra}",
        pty=sys.stdout.isatty(),
    )


# --- Publishing: build with publishconf.py, check, deploy (docs/deploy.md) ---
# arsip/publish.py does the work; these tasks turn its errors into exit statuses.


@task(
    help={
        "target": "a folder, or user@host:path (rsync over ssh); the live site is TARGET/current",
        "gh-pages": "push to the GitHub Pages branch instead of a target",
        "branch": "the branch for --gh-pages",
        "dry-run": "build and check, then only show what would change",
        "keep": "how many releases a target keeps for rollback",
        "content": "the content folder to build",
    }
)
def publish(
    c,
    target="",
    gh_pages=False,
    branch="gh-pages",
    dry_run=False,
    keep=5,
    content=SETTINGS["content"],
):
    """Build the public site (SITEURL from the environment), check it, then deploy it."""
    from invoke.exceptions import Exit

    from arsip import publish as deploy

    try:
        where = deploy.destination(target, gh_pages, branch, ROOT)
        deploy.publish(content, where, dry_run=dry_run, keep=keep)
    except deploy.UsageError as error:
        raise Exit(str(error), code=2) from None
    except deploy.PublishError as error:
        raise Exit(str(error), code=1) from None


@task(help={"target": "the folder or user@host:path given to publish"})
def rollback(c, target):
    """Switch TARGET/current back to the release before the live one."""
    from invoke.exceptions import Exit

    from arsip import publish as deploy

    try:
        deploy.rollback(target)
    except deploy.PublishError as error:
        raise Exit(str(error), code=1) from None


# -- benchmarks (bench/README.md) ------------------------------------------


@task(
    iterable=["releases"],
    help={
        "releases": "corpus size; repeat for several (default 1000)",
        "skip": "steps to leave out, comma-separated: plain,archive,hugo,pagefind,search,"
        "publish,preview",
    },
)
def bench(c, releases=None, seed=1, skip=""):
    """Build plain Pelican, the archive, Hugo + Pagefind and a publish side by side, and
    write issue 16's targets into bench/README.md: `invoke bench --releases 10000`."""
    sizes = " ".join(f"--releases {int(n)}" for n in (releases or ["1000"]))
    options = f"{sizes} --seed {int(seed)}" + (f" --skip {shlex.quote(skip)}" if skip else "")
    c.run(f"{shlex.quote(sys.executable)} bench/run.py {options}", pty=sys.stdout.isatty())
