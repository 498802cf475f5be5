"""Tasks for building, previewing and checking the archive: `invoke --list`."""

import shlex
import shutil
import sys
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
    """Remove the generated site."""
    shutil.rmtree(output, ignore_errors=True)


@task
def build(c, content=SETTINGS["content"], output=SETTINGS["output"]):
    """Build the site with the development settings."""
    pelican_run(c, _build_args(content, output, SETTINGS["dev_settings"]))


@task
def rebuild(c, content=SETTINGS["content"], output=SETTINGS["output"]):
    """Build from scratch, removing the previous output first."""
    pelican_run(c, _build_args(content, output, SETTINGS["dev_settings"], "--delete-output-directory"))


@task
def regenerate(c, content=SETTINGS["content"], output=SETTINGS["output"]):
    """Rebuild whenever content, theme or settings change."""
    pelican_run(c, _build_args(content, output, SETTINGS["dev_settings"], "--autoreload"))


@task
def serve(c, output=SETTINGS["output"], host=SETTINGS["host"], port=SETTINGS["port"]):
    """Serve the built site on http://127.0.0.1:8000."""
    pelican_run(c, f"--listen --bind {host} --port {port} -o {shlex.quote(output)} -s {SETTINGS['dev_settings']}")


@task
def livereload(c, content=SETTINGS["content"], output=SETTINGS["output"], host=SETTINGS["host"], port=SETTINGS["port"]):
    """Build, serve on http://127.0.0.1:8000 and rebuild and reload on every change."""
    from livereload import Server

    def rebuild_site():
        c.run(f"{shlex.quote(sys.executable)} -m pelican {_build_args(content, output, SETTINGS['dev_settings'])}", warn=True)

    rebuild_site()
    server = Server()
    for pattern in (f"{content}/**/*", "theme/**/*", "plugins/*.py", "arsip/*", "pelicanconf.py"):
        server.watch(pattern, rebuild_site)
    print(f"Arsip berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)")
    server.serve(host=host, port=port, root=output, open_url_delay=None)


@task
def test(c, k=""):
    """Run the whole test suite."""
    selection = f"-k {shlex.quote(k)}" if k else ""
    c.run(f"{shlex.quote(sys.executable)} -m pytest {selection}", pty=sys.stdout.isatty())


# -- benchmarks (bench/README.md) ------------------------------------------


@task(iterable=["releases"])
def bench(c, releases=None, seed=1, full_only=False):
    """Time full builds and rebuilds against plain Pelican: `invoke bench --releases 10000`."""
    sizes = " ".join(f"--releases {int(n)}" for n in (releases or ["1000"]))
    options = f"{sizes} --seed {int(seed)}" + (" --full-only" if full_only else "")
    c.run(f"{shlex.quote(sys.executable)} bench/run.py {options}", pty=sys.stdout.isatty())
