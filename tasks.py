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


# --- Publishing: build with publishconf.py, check, deploy (docs/deploy.md) ---

PUBLISH_SETTINGS = "publishconf.py"


def _build_for_publishing(c, content, site):
    """Build into `site` with the public settings and check it; stop on any problem."""
    import os

    from invoke.exceptions import Exit

    from arsip.publish import check_site

    result = c.run(
        f"{shlex.quote(sys.executable)} -m pelican "
        f"{_build_args(content, str(site), PUBLISH_SETTINGS, '--fatal errors')}",
        warn=True,
    )
    if result.failed:
        raise Exit("Build failed: nothing was deployed, the live site is unchanged.", code=1)
    problems = check_site(site, os.environ["SITEURL"])
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise Exit(
            f"{len(problems)} problem(s) in the build: nothing was deployed, "
            "the live site is unchanged.",
            code=1,
        )
    print(f"Build checked: {sum(1 for _ in site.rglob('*.html'))} pages, no problems.")


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
    import os
    import tempfile

    from invoke.exceptions import Exit

    from arsip import publish as deploy

    if bool(target) == gh_pages:
        raise Exit("Give either --target TARGET or --gh-pages.", code=2)
    with tempfile.TemporaryDirectory(prefix="arsip-publish-") as work:
        site = Path(work) / "site"
        _build_for_publishing(c, content, site)
        commit = deploy.git_commit(ROOT)
        remote = deploy.RemoteTarget.parse(target) if target else None
        if gh_pages:
            if dry_run:
                changes = deploy.compare_with_branch(site, ROOT, branch)
                print(f"Would push to {branch}: {changes.report()}")
                return
            from ghp_import import ghp_import

            ghp_import(
                str(site),
                mesg=f"Publish {commit}",
                branch=branch,
                push=True,
                force=True,
                nojekyll=True,
                cname=deploy.pages_custom_domain(os.environ["SITEURL"]),
            )
            print(f"Pushed the site to the {branch} branch.")
        elif remote:
            if dry_run:
                c.run(shlex.join(remote.dry_run(site)))
                return
            for command in remote.deploy_commands(site, deploy.release_name(commit), keep):
                c.run(shlex.join(command))
            print(f"Published to {target}/current.")
        else:
            folder = Path(target)
            try:
                if dry_run:
                    changes = deploy.compare_trees(site, deploy.current_release(folder))
                    print(f"Would change {folder / deploy.CURRENT}: {changes.report()}")
                    return
                release = deploy.deploy_to_folder(site, folder, deploy.release_name(commit), keep)
            except deploy.PublishError as error:
                raise Exit(str(error), code=1) from None
            print(f"Published {release.name}: {folder / deploy.CURRENT} -> {release}")


@task(help={"target": "the folder or user@host:path given to publish"})
def rollback(c, target):
    """Switch TARGET/current back to the release before the live one."""
    from invoke.exceptions import Exit

    from arsip import publish as deploy

    remote = deploy.RemoteTarget.parse(target)
    if remote:
        c.run(shlex.join(remote.ssh(remote.rollback_script())))
        return
    try:
        live, previous = deploy.rollback_folder(Path(target))
    except deploy.PublishError as error:
        raise Exit(str(error), code=1) from None
    print(f"Rolled back {Path(target) / deploy.CURRENT}: {live.name} -> {previous.name}")
