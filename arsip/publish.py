"""Check a built site and deploy it: to a folder, over rsync+ssh, or to a Git branch.

A folder TARGET holds every deployed build under `TARGET/releases/<name>/` and
the live site is the symlink `TARGET/current`. A deploy copies the build into a
new release folder (files unchanged since the live release are hard links to
it; `invoke publish` hard-links the others to its scratch build where the file
system allows) and only then points `current` at it with an atomic rename,
so readers see the old site or the new one, never a mix. The newest KEEP
releases are kept for `rollback`. A remote `user@host:path` target has the
same layout, written with rsync and switched by a small shell script over ssh;
a GitHub Pages branch is pushed with ghp-import. `publish` and `rollback` at
the end are what `invoke publish` and `invoke rollback` run, for whichever
destination the options name (`destination`).

A publish or rollback killed at any point leaves a working target: a release
is written as `releases/.<name>.partial` and renamed to its name only when
complete; an old release is renamed to `releases/.<name>.deleting` before it is
removed; `current` is replaced by renaming a new link over it. So every name
without a leading dot under `releases/` is a complete release, `current` names
one of them, and rollback picks only among them. The next publish or rollback
removes what a killed one left (dot names).
"""

from __future__ import annotations

import contextlib
import fcntl
import filecmp
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

RELEASES = "releases"
CURRENT = "current"
KEEP = 5
PARTIAL = ".partial"  # a release being written: releases/.<name>.partial
DELETING = ".deleting"  # a release being removed: releases/.<name>.deleting
# Pages hosts serve for unknown paths: no canonical URL of their own.
ERROR_PAGES = {"404.html"}


class PublishError(Exception):
    """A deploy that cannot go ahead; the message says what to do."""


# --- checking a build -------------------------------------------------------


class _PageParser(HTMLParser):
    """Collects what the check needs from one page: title, canonical, links, ids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.canonical: str | None = None
        self.links: list[str] = []
        self.ids: set[str] = set()
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "title":
            self._in_title = True
        elif tag == "link" and "canonical" in (attributes.get("rel") or "").split():
            self.canonical = attributes.get("href")
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def page_path(save_as: str) -> str:
    """The public path of an output file: "a/b/index.html" -> "a/b/"."""
    if save_as == "index.html":
        return ""
    if save_as.endswith("/index.html"):
        return save_as[: -len("index.html")]
    return save_as


def _target_exists(site: Path, files: set[str], path: str) -> bool:
    """Whether the site has `path` (a file, or a folder with an index.html);
    `files` are the site's files, so most answers need no look at the disk."""

    def found(relative: str) -> bool:
        return Path(relative).as_posix() in files or (site / relative).is_file()

    if path == "" or path.endswith("/"):
        return found(f"{path}index.html")
    return found(path) or found(f"{path}/index.html")


def _page_facts(text: str) -> tuple[bool, str | None, list[str], list[str]]:
    """What the check needs of one page: whether it has a title, its canonical
    URL, its links in order, and the `#...` links to an id the page lacks."""
    parser = _PageParser()
    parser.feed(text)
    missing = [
        link
        for link in parser.links
        if link.startswith("#") and link[1:] and unquote(link[1:]) not in parser.ids
    ]
    return bool(parser.title.strip()), parser.canonical, parser.links, missing


def _facts_of_pages(pages: list[Path], _shared=None) -> list:
    return [_page_facts(page.read_text(encoding="utf-8")) for page in pages]


def _site_files(site: Path) -> set[str]:
    files = set()
    for folder, _, names in os.walk(site):
        relative = Path(folder).relative_to(site)
        files.update((relative / name).as_posix() for name in names)
    return {file for file in files if (site / file).is_file()}


def _cached_facts(pages: list[Path], cache: Path | None) -> list:
    """`_page_facts` of each page, on every core, from `cache` (a JSON file of
    facts by SHA-256 of the page's bytes, this check's code included in the
    key) for pages an earlier check saw; the file then holds this site's."""
    from arsip import postprocess

    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    keys = [hashlib.sha256(page.read_bytes()).hexdigest() for page in pages]
    known = {}
    if cache is not None:
        try:
            record = json.loads(cache.read_text(encoding="utf-8"))
            if record.get("code") == code:
                known = record["pages"]
        except (OSError, ValueError, KeyError, AttributeError):
            known = {}
    missing = [i for i, key in enumerate(keys) if key not in known]
    found = postprocess.each(_facts_of_pages, [pages[i] for i in missing])
    for i, facts in zip(missing, found, strict=True):
        known[keys[i]] = list(facts)
    facts = [known[key] for key in keys]
    if cache is not None:
        with contextlib.suppress(OSError):  # without it, the next check parses every page
            cache.parent.mkdir(parents=True, exist_ok=True)
            pending = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
            pages_now = dict(zip(keys, facts, strict=True))
            pending.write_text(json.dumps({"code": code, "pages": pages_now}), encoding="utf-8")
            os.replace(pending, cache)
    return facts


def check_site(site: Path, site_url: str, cache: Path | None = None) -> list[str]:
    """Problems that must stop a deploy: pages without a title or the right canonical
    URL, and links to files of this site that the build does not contain. With
    `cache` (a file), pages an earlier check saw are not parsed again."""
    site_url = site_url.rstrip("/")
    base_path = urlsplit(site_url).path  # "" or "/repo" for a project site
    origin = _origin(site_url)
    problems = []
    pages = sorted(site.rglob("*.html"))
    files = _site_files(site)
    resolved: dict[tuple[str, str], tuple[str, str, str]] = {}
    for file, (titled, canonical, links, missing) in zip(
        pages, _cached_facts(pages, cache), strict=True
    ):
        save_as = file.relative_to(site).as_posix()
        own_url = f"{site_url}/{page_path(save_as)}"
        if not titled:
            problems.append(f"{save_as}: no <title>")
        if save_as not in ERROR_PAGES and canonical != own_url:
            problems.append(f"{save_as}: canonical URL is {canonical!r}, expected {own_url!r}")
        for link in links:
            if link.startswith("#"):
                if link in missing:
                    problems.append(f"{save_as}: link to missing anchor {link}")
                continue
            # A link from the root or to an address means the same on every page.
            key = ("", link) if link.startswith("/") or "://" in link else (own_url, link)
            if key not in resolved:
                absolute = urlsplit(urljoin(own_url, link))
                resolved[key] = (
                    absolute.scheme,
                    f"{absolute.scheme}://{absolute.netloc}",
                    unquote(absolute.path),
                )
            scheme, link_origin, path = resolved[key]
            if scheme not in ("http", "https"):
                continue  # mailto:, tel:, data:
            if link_origin != origin:
                continue  # another site
            if not path.startswith(base_path + "/"):
                problems.append(f"{save_as}: link {link} points outside the site ({site_url})")
            elif not _target_exists(site, files, path[len(base_path) + 1 :]):
                problems.append(f"{save_as}: broken link {link}")
    return problems


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- what a deploy changes --------------------------------------------------


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def report(self, limit: int = 50) -> str:
        lines = [
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"
        ]
        for mark, paths in (("+", self.added), ("~", self.changed), ("-", self.removed)):
            lines += [f"  {mark} {path}" for path in paths[:limit]]
            if len(paths) > limit:
                lines.append(f"  {mark} ... and {len(paths) - limit} more")
        return "\n".join(lines)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def compare_trees(new: Path, old: Path | None) -> Changes:
    """Files added, changed (by content) and removed going from `old` to `new`."""
    new_files = _files(new)
    old_files = _files(old) if old else set()
    return Changes(
        added=sorted(new_files - old_files),
        changed=sorted(
            path
            for path in new_files & old_files
            if not filecmp.cmp(new / path, old / path, shallow=False)
        ),
        removed=sorted(old_files - new_files),
    )


# --- folder targets ---------------------------------------------------------


def release_name(commit: str, now: datetime | None = None) -> str:
    """`20261125T223000Z-a9bae5c`: sorts by time, names the source commit."""
    return f"{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}-{commit}"


def git_commit(root: Path) -> str:
    """The source commit, "-dirty" when the work tree has changes it lacks."""
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--abbrev=7", "--exclude=*"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() if result.returncode == 0 else "nogit"


def releases(target: Path) -> list[Path]:
    """Deployed releases, oldest first (names start with the UTC time)."""
    folder = target / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def current_release(target: Path) -> Path | None:
    link = target / CURRENT
    if link.is_symlink():
        return (target / os.readlink(link)).resolve()
    if link.is_dir():
        raise PublishError(
            f"{link} is a real folder, not a symlink. Move it away (it may be a site "
            "deployed by hand), then publish again: publish manages it from then on."
        )
    if link.exists():
        raise PublishError(
            f"{link} is a file, not a symlink to a release: move it away, then publish again."
        )
    return None


def check_target(target: Path) -> None:
    """Refuse a target that is, or lies in, a file rather than a folder."""
    for folder in (target, target / RELEASES):
        if folder.exists() and not folder.is_dir():
            raise PublishError(
                f"{folder} is a file, not a folder: give a folder as the target "
                "(it is made if missing) or user@host:path."
            )
    for parent in target.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise PublishError(f"{parent} is a file, not a folder: give another target.")
            break


def _link_or_copy(previous: Path | None, site: Path, scratch: bool = False):
    """copytree copy function: hard-link files identical to the live release;
    with `scratch` (a build removed afterwards), hard-link the other files to
    the build's own where the file system allows, instead of copying them."""

    def copy(source: str, destination: str):
        if previous is not None:
            same = previous / Path(source).relative_to(site)
            if same.is_file() and filecmp.cmp(source, same, shallow=False):
                os.link(same, destination)
                return destination
        if scratch:
            try:
                os.link(source, destination)
                return destination
            except OSError:  # another file system, or links not allowed: copy
                pass
        return shutil.copy2(source, destination)

    return copy


def switch_current(target: Path, release: Path):
    """Point TARGET/current at `release` in one atomic rename."""
    current_release(target)  # refuses a real folder in the way
    temporary = target / f".{CURRENT}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path(RELEASES) / release.name, target_is_directory=True)
    os.replace(temporary, target / CURRENT)


@contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """One publish or rollback at a time per target (a second one would remove
    the first one's upload as a leftover). What killed ones left is removed."""
    check_target(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        lock = os.open(target / ".publish.lock", os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError as error:
        raise PublishError(
            f"{target}: cannot publish there ({error.strerror}): check the path and its permissions."
        ) from None
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(
                f"another publish or rollback to {target} is running: wait for it, then retry."
            ) from None
        remove_leftovers(target)
        yield
    finally:
        os.close(lock)


def remove_leftovers(target: Path) -> list[Path]:
    """Remove what killed publishes and rollbacks left: unfinished and
    half-removed releases, and a new `current` link never renamed into place."""
    found = [*target.glob(f".{CURRENT}.*.tmp")]
    if (target / RELEASES).is_dir():
        found += (target / RELEASES).glob(f".*{PARTIAL}")
        found += (target / RELEASES).glob(f".*{DELETING}")
    for leftover in found:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return found


def deploy_to_folder(
    site: Path, target: Path, name: str, keep: int = KEEP, scratch: bool = False
) -> Path:
    """Copy `site` into a new release under `target`, switch `current` to it, prune.
    `scratch`: `site` is removed afterwards, so its files may become the release's."""
    with exclusive(target):
        try:
            return _deploy(site, target, name, keep, scratch)
        except OSError as error:
            raise PublishError(
                f"{target}: the deploy stopped ({error.strerror}: {error.filename}); "
                f"{target / CURRENT} still names a complete release. Fix the cause, then "
                "publish again."
            ) from None


def _deploy(site: Path, target: Path, name: str, keep: int, scratch: bool) -> Path:
    live = current_release(target)
    final = target / RELEASES / name
    if final.exists():
        raise PublishError(f"{final} exists already; wait a second and publish again.")
    partial = target / RELEASES / f".{name}{PARTIAL}"
    final.parent.mkdir(parents=True, exist_ok=True)
    copy = _link_or_copy(live, site, scratch)
    shutil.copytree(site, partial, copy_function=copy, symlinks=False)
    partial.rename(final)
    switch_current(target, final)
    prune(target, keep)
    return final


def prune(target: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest `keep` releases (never the live one). Each is
    renamed aside first, so a kill midway never leaves a half-removed release
    under a name rollback would pick."""
    live = current_release(target)
    removed = []
    for old in releases(target)[:-keep]:
        if old != live:
            aside = old.with_name(f".{old.name}{DELETING}")
            old.rename(aside)
            shutil.rmtree(aside)
            removed.append(old)
    return removed


def rollback_folder(target: Path) -> tuple[Path, Path]:
    """Switch `current` to the release before the live one. Returns (from, to)."""
    check_target(target)
    if current_release(target) is None:
        raise PublishError(f"{target / CURRENT} does not exist: nothing is published there.")
    with exclusive(target):
        try:
            return _roll_back(target)
        except OSError as error:
            raise PublishError(
                f"{target}: the rollback stopped ({error.strerror}); {target / CURRENT} is unchanged."
            ) from None


def _roll_back(target: Path) -> tuple[Path, Path]:
    live = current_release(target)
    known = releases(target)
    if live not in known or known.index(live) == 0:
        raise PublishError(
            f"no release older than {live.name} under {target / RELEASES}: cannot roll back."
        )
    previous = known[known.index(live) - 1]
    switch_current(target, previous)
    return live, previous


# --- remote targets: user@host:path -----------------------------------------

_REMOTE = re.compile(r"^(?P<host>(?:[^@:/\s]+@)?[^@:/\s]+):(?P<path>.+)$")


@dataclass(frozen=True)
class RemoteTarget:
    """`user@host:path`: the folder layout on another machine, over ssh.

    The scripts are plain POSIX sh plus GNU `mv -T` and `head -n -N`;
    `deploy_commands` and `ssh` wrap them in ssh. As in a folder target, the
    upload goes to `releases/.<name>.partial/` and is renamed when complete, and
    pruned releases are renamed aside before they are removed, so a dropped
    connection or a killed publish never leaves an incomplete release under a
    release's name. One publish at a time per server: the next one removes
    what an earlier one left unfinished.
    """

    host: str
    path: str

    @classmethod
    def parse(cls, target: str) -> RemoteTarget | None:
        match = _REMOTE.match(target)
        return cls(match["host"], match["path"].rstrip("/") or "/") if match else None

    def upload(self, site: Path, name: str) -> list[str]:
        # Files unchanged since the live release become hard links to it.
        return [
            "rsync",
            "--archive",
            "--delete",
            "--compress",
            f"--link-dest=../../{CURRENT}/",
            f"{site}/",
            f"{self.host}:{self.path}/{RELEASES}/.{name}{PARTIAL}/",
        ]

    def dry_run(self, site: Path) -> list[str]:
        return [
            "rsync",
            "--archive",
            "--delete",
            "--checksum",
            "--dry-run",
            "--itemize-changes",
            f"{site}/",
            f"{self.host}:{self.path}/{CURRENT}/",
        ]

    def prepare_script(self) -> str:
        return (
            f"set -e; mkdir -p {shlex.quote(self.path)}/{RELEASES}; cd {shlex.quote(self.path)}; "
            f"rm -rf -- {RELEASES}/.*{PARTIAL} {RELEASES}/.*{DELETING} .{CURRENT}.tmp"
        )

    def switch_script(self, name: str, keep: int = KEEP) -> str:
        release = shlex.quote(f"{RELEASES}/{name}")
        partial = shlex.quote(f"{RELEASES}/.{name}{PARTIAL}")
        return (
            f"set -e; cd {shlex.quote(self.path)}; "
            f"if [ -d {partial} ]; then mv -T {partial} {release}; fi; "
            f"test -d {release}; "
            f"ln -sfn {release} .{CURRENT}.tmp; "
            f"mv -T .{CURRENT}.tmp {CURRENT}; "
            f"ls -1 {RELEASES} | sort | head -n -{keep} | grep -v -x -F {shlex.quote(name)} | "
            f'while IFS= read -r old; do mv -T "{RELEASES}/$old" "{RELEASES}/.$old{DELETING}"; '
            f"done; rm -rf -- {RELEASES}/.*{DELETING}"
        )

    def rollback_script(self) -> str:
        return (
            f"set -e; cd {shlex.quote(self.path)}; "
            f'live=$(basename "$(readlink {CURRENT})"); '
            f'previous=$(ls -1 {RELEASES} | sort | grep -B1 -x -F "$live" | head -n 1); '
            f'if [ -z "$previous" ] || [ "$previous" = "$live" ]; then '
            f'echo "no release older than $live: cannot roll back" >&2; exit 1; fi; '
            f'ln -sfn "{RELEASES}/$previous" .{CURRENT}.tmp; mv -T .{CURRENT}.tmp {CURRENT}; '
            f'echo "$live -> $previous"'
        )

    def ssh(self, script: str) -> list[str]:
        return ["ssh", self.host, script]

    def deploy_commands(self, site: Path, name: str, keep: int = KEEP) -> list[list[str]]:
        return [
            self.ssh(self.prepare_script()),
            self.upload(site, name),
            self.ssh(self.switch_script(name, keep)),
        ]

    # As a destination of `publish` and `rollback` (below); `run` runs a command.

    def check(self) -> None:
        """Nothing to check before the build: ssh says what is wrong when it connects."""

    def preview(self, site: Path, run) -> str:
        run(self.dry_run(site))  # rsync lists the changes itself
        return ""

    def put_live(self, site: Path, commit: str, keep: int, run) -> str:
        for command in self.deploy_commands(site, release_name(commit), keep):
            run(command)
        return f"Published to {self.host}:{self.path}/{CURRENT}."

    def roll_back(self, run) -> str:
        run(self.ssh(self.rollback_script()))  # the script prints "live -> previous"
        return ""


# --- Git branch (GitHub Pages) ----------------------------------------------


def git_blob_id(path: Path) -> str:
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# Written into the branch by ghp-import, not part of the build.
GHP_IMPORT_FILES = {".nojekyll", "CNAME"}


def pages_custom_domain(site_url: str) -> str | None:
    """The CNAME GitHub Pages needs when the site has its own domain."""
    host = urlsplit(site_url).hostname or ""
    return None if host.endswith(".github.io") else host


def compare_with_branch(site: Path, root: Path, branch: str) -> Changes:
    """What pushing `site` to `branch` would change, against the newest copy of the
    branch this repository has (origin's if fetched, else the local one)."""
    tree = {}
    for ref in (f"refs/remotes/origin/{branch}", f"refs/heads/{branch}"):
        listing = subprocess.run(
            ["git", "ls-tree", "-r", "-z", ref], cwd=root, capture_output=True, text=True
        )
        if listing.returncode == 0:
            for entry in filter(None, listing.stdout.split("\0")):
                meta, path = entry.split("\t", 1)
                if path not in GHP_IMPORT_FILES:
                    tree[path] = meta.split()[2]
            break
    local = {path: git_blob_id(site / path) for path in _files(site)}
    return Changes(
        added=sorted(local.keys() - tree.keys()),
        changed=sorted(p for p in local.keys() & tree.keys() if local[p] != tree[p]),
        removed=sorted(tree.keys() - local.keys()),
    )


# --- one publish or rollback, whatever the destination ----------------------

ROOT = Path(__file__).resolve().parent.parent
PUBLISH_SETTINGS = ROOT / "publishconf.py"


class UsageError(PublishError):
    """The command was given options that do not go together."""


def run_command(command: list[str]) -> None:
    """Run a deploy command (rsync, ssh), its output going to the terminal."""
    result = subprocess.run(command)
    if result.returncode != 0:
        raise PublishError(
            f"{command[0]} {command[1]} failed with exit status {result.returncode} "
            "(its message is above)"
        )


@dataclass(frozen=True)
class FolderTarget:
    """A folder on this machine: releases/ and the `current` link (see the top)."""

    folder: Path

    def check(self) -> None:
        check_target(self.folder)

    def preview(self, site: Path, run) -> str:
        changes = compare_trees(site, current_release(self.folder))
        return f"Would change {self.folder / CURRENT}: {changes.report()}"

    def put_live(self, site: Path, commit: str, keep: int, run) -> str:
        # The site is publish's scratch build (`publish` below): its files may be the release's.
        release = deploy_to_folder(site, self.folder, release_name(commit), keep, scratch=True)
        return f"Published {release.name}: {self.folder / CURRENT} -> {release}"

    def roll_back(self, run) -> str:
        live, previous = rollback_folder(self.folder)
        return f"Rolled back {self.folder / CURRENT}: {live.name} -> {previous.name}"


@dataclass(frozen=True)
class PagesBranch:
    """A Git branch GitHub Pages serves, pushed to `origin` with ghp-import."""

    branch: str
    root: Path

    def check(self) -> None:
        """Nothing to check before the build: git says what is wrong when it pushes."""

    def preview(self, site: Path, run) -> str:
        changes = compare_with_branch(site, self.root, self.branch)
        return f"Would push to {self.branch}: {changes.report()}"

    def put_live(self, site: Path, commit: str, keep: int, run) -> str:
        from ghp_import import ghp_import

        ghp_import(
            str(site),
            mesg=f"Publish {commit}",
            branch=self.branch,
            push=True,
            force=True,
            nojekyll=True,
            cname=pages_custom_domain(os.environ["SITEURL"]),
        )
        return f"Pushed the site to the {self.branch} branch."


def destination(target: str = "", gh_pages: bool = False, branch: str = "gh-pages", root=ROOT):
    """Where `invoke publish` deploys: a folder, `user@host:path`, or a Pages branch."""
    if bool(target) == gh_pages:
        raise UsageError("Give either --target TARGET or --gh-pages.")
    if gh_pages:
        return PagesBranch(branch, Path(root))
    return RemoteTarget.parse(target) or FolderTarget(Path(target))


def check_cache(content: str | Path) -> Path:
    """Where the check keeps what it found in each page of a build of `content`
    (CACHE_PATH/check/, beside the other caches of publishconf.py's builds)."""
    from arsip.settings import cache_folder, load

    name = hashlib.sha256(str(Path(content).resolve()).encode()).hexdigest()[:16]
    return cache_folder(load(PUBLISH_SETTINGS), "check") / f"{name}.json"


def build(content: str | Path, site: Path, say=print) -> None:
    """Build `content` into `site` with publishconf.py and check it; stop on any problem."""
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(PUBLISH_SETTINGS)]
    result = subprocess.run([*command, "-o", str(site), "--fatal", "errors"])
    if result.returncode != 0:
        raise PublishError("Build failed: nothing was deployed, the live site is unchanged.")
    problems = check_site(site, os.environ["SITEURL"], check_cache(content))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise PublishError(
            f"{len(problems)} problem(s) in the build: nothing was deployed, "
            "the live site is unchanged."
        )
    say(f"Build checked: {sum(1 for _ in site.rglob('*.html'))} pages, no problems.")


def publish(content, where, dry_run: bool = False, keep: int = KEEP, run=run_command, say=print):
    """Build, check, then deploy to `where` (or, with `dry_run`, say what would
    change), and tell the feeds' WebSub hubs. The build goes to a scratch folder
    removed afterwards; one a killed publish left is removed by the next."""
    from arsip import websub
    from arsip.output import scratch

    where.check()  # before a build that would be in vain
    with scratch("arsip-publish-") as work:
        site = work / "site"
        build(content, site, say)
        if dry_run:
            report = where.preview(site, run)
        else:
            report = where.put_live(site, git_commit(ROOT), keep, run)
        if report:
            say(report)
        if not dry_run:
            # A hub that does not answer costs a warning, not the publish (docs/alerts.md).
            websub.announce(site)


def rollback(target: str, run=run_command, say=print) -> None:
    """Point TARGET's `current` back at the release before the live one."""
    where = RemoteTarget.parse(target) or FolderTarget(Path(target))
    report = where.roll_back(run)
    if report:
        say(report)
