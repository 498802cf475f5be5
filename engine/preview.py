"""Seam: a content object's private `_context` (set by Content.__init__), pointed
at the new run's context when a release object serves a second run.

A preview session: build a content folder once, then again after each change,
rewriting only the pages whose inputs changed.

Pelican has no incremental build: every run reads every release and renders
every page. A session keeps one Pelican in this process and, between runs,
- the status (times, size, inode) of every file in the content folder when
  the last build that succeeded started: when none was added, removed or
  changed, and every page that build wrote is still there, a build does
  nothing. A file written within RACY_NS of being looked at is compared by
  the hash of its bytes too (two quick writes of the same size can leave the
  same status);
- the release objects of unchanged files (a file's stamp is the hash of its
  bytes, hashed again only when its status changed), so a run reads only the
  files that changed;
- for every output page and feed, a fingerprint of what it was rendered
  from: the template and the values of exactly the context variables the
  template (with what it extends, includes and imports) refers to.
Every run still computes the whole context (terms, neighbours, related
releases, archives), so nothing that depends on other releases goes stale;
only rendering is skipped, for a page whose fingerprint is unchanged (and for
a paginated listing whose lists and variables are unchanged, all its pages at
once). A build returns when the pages are written; the steps plugins defer
(open data, removing stale pages, the search index) follow in the background.

A release is fingerprinted by its source stamp. The page of the release
itself (`article`, `page`) also covers the releases it shows (its neighbours
and related releases). Everything a release shows of itself on lists (its
card) comes from its own file, the registry and the settings; the registry,
the settings, the theme and the plugins are fixed for the session: a change to
any of them needs a new session (`invoke livereload` starts one).

Values the fingerprint does not know get a fresh token, so their page is
always rendered: unknown never means unchanged. With the speed-ups off
(engine/speedups.py) every run is a full build in place: nothing is reused,
every page is rendered, and pages no longer written are still removed.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import os
import threading
import time
from pathlib import Path

from jinja2 import MemcachedBytecodeCache, Undefined, meta, nodes
from pelican import Pelican
from pelican.contents import Content
from pelican.paginator import Page as PaginatedPage
from pelican.paginator import Paginator
from pelican.settings import read_settings
from pelican.urlwrappers import URLWrapper

from arsip.registry import Registry
from engine import speedups

log = logging.getLogger(__name__)

SESSION_SETTING = "PREVIEW_SESSION"  # the session, in the settings of its builds
# Context variables holding the page's own content object: their page shows the
# releases linked from it too.
OWN_OBJECTS = ("article", "page")
# Attributes through which a release's page shows other releases (plugins/related.py).
LINKS = ("newer", "older", "related")
# Values that are the same for the whole session (see the module docstring).
SESSION_CONSTANTS = (Registry,)
# Set by Pelican's writer for every page.
PAGE_VARIABLES = ("SITEURL", "output_file")
# A file written this close to when its status was recorded may change again
# with the same time and size (the file system's clock is coarse): its status
# proves nothing, and it is read again.
RACY_NS = 2_000_000_000
# How a template uses a context variable (template_variables).
WHOLE = "*"
LENGTH = "#"


class PreviewSession:
    """One content folder built into one output folder, again and again."""

    def __init__(self, content, output, settings_file, overrides=None):
        settings = read_settings(
            str(settings_file),
            override={"PATH": str(content), "OUTPUT_PATH": str(output), **(overrides or {})},
        )
        settings[SESSION_SETTING] = self
        self.speedups = speedups.on(settings)
        if self.speedups:
            # Every run makes new generators, each with a new Jinja environment:
            # keep the compiled templates for the session.
            settings["JINJA_ENVIRONMENT"] = {
                **settings["JINJA_ENVIRONMENT"],
                "bytecode_cache": MemcachedBytecodeCache(_MemoryClient()),
            }
        self.output = Path(settings["OUTPUT_PATH"])
        self.pelican = Pelican(settings)
        self._articles: dict[str, tuple[bytes, Content]] = {}
        self._stamps: dict[str, tuple[tuple, bytes]] = {}  # path -> (its status, hash of bytes)
        # The status of every content file when the last build that succeeded
        # started, all its post-build steps done too; None when there is none.
        self._clean: dict[str, tuple] | None = None
        self._run_stamps: dict[str, bytes] = {}
        self._content_tokens: dict[str, tuple[bytes, bytes]] = {}  # path -> (stamp, token)
        self._signatures: dict[str, object] = {}  # output file -> fingerprint it was rendered from
        self._dependencies: dict[str, tuple] = {}  # template name -> variables it refers to
        self._outputs: set[str] = set()
        # First page of a paginated listing -> (fingerprint of the whole, its pages)
        self._listings: dict[str, tuple[object, list[str]]] = {}
        self._pending_listings: dict[str, object] = {}
        self._per_file: dict[tuple[str, str], tuple[bytes, object]] = {}
        self._constants: dict[str, object] = {}
        self.kept: dict[str, object] = {}  # what plugins keep from one run to the next
        self.rendered: list[str] = []  # output files rendered by the last run
        self._background: threading.Thread | None = None
        self.fingerprints = Fingerprints(self)

    # -- runs ------------------------------------------------------------

    def build(self) -> None:
        """Run the build, rendering only the pages whose inputs changed.

        Returns when every page is written; the post-build steps that plugins
        deferred (open data, removing stale pages, the search index) then run
        in the background, in order, until `wait()` or the next build."""
        self.wait()
        self.rendered = []
        content = self._content_status() if self.speedups else None
        if content is not None and self._same_content(content) and self._outputs_exist():
            return  # the inputs of the last build, whose output is in place
        self._clean = None
        self._run_stamps = {}
        self.fingerprints = Fingerprints(self)
        self.written: set[str] = set()
        self._deferred: list = []
        if not self.speedups:
            self.kept = {}
        try:
            self.pelican.run()
        finally:
            self.fingerprints = Fingerprints(self)  # let the run's objects go
        self._deferred.append(lambda: self._cleaned(content))
        if self.speedups:
            # Later runs read a few changed files: a pool of parsers would cost
            # more than it saves, and loading Pelican's reader cache (every
            # release's parse, pickled) more than parsing them again.
            self.pelican.settings.update(
                READ_WORKERS=1, LOAD_CONTENT_CACHE=False, CACHE_CONTENT=False
            )
        self._background = threading.Thread(target=self._run_deferred, args=(self._deferred,))
        self._background.start()

    def defer(self, step) -> None:
        """Run `step()` after this build's pages are written, in the background."""
        self._deferred.append(step)

    def wait(self) -> None:
        """Wait for the post-build steps of the last build."""
        if self._background is not None:
            self._background.join()
            self._background = None

    def _cleaned(self, content) -> None:
        """The build and its post-build steps succeeded: its output follows from `content`."""
        self._clean = content

    def _content_status(self) -> dict[str, tuple]:
        """Every file in the content folder: its status, and the hash of its
        bytes if it was written so recently that its status cannot tell a
        later change from it."""
        now = time.time_ns()
        found = {}
        for path in _files(self.pelican.settings["PATH"]):
            try:
                status = os.stat(path)
                recent = now - status.st_mtime_ns < RACY_NS or now - status.st_ctime_ns < RACY_NS
                found[path] = (_status(status), _hash(path) if recent else None)
            except OSError:  # gone while looked at (or a dangling link): the build will say
                continue
        return found

    def _same_content(self, found: dict[str, tuple]) -> bool:
        """Whether the content folder holds what it held when the last clean
        build started. If so, the files no longer recent need no hash from now on."""
        clean = self._clean
        if clean is None or found.keys() != clean.keys():
            return False
        if any(status != clean[path][0] for path, (status, _) in found.items()):
            return False
        for path, (_, known) in clean.items():
            if known is not None and (found[path][1] or _hash(path)) != known:
                return False
        self._clean = found
        return True

    def _outputs_exist(self) -> bool:
        return all(map(os.path.exists, self._outputs))

    def _run_deferred(self, steps) -> None:
        for step in steps:
            try:
                step()
            except Exception:
                # The pages are written; the next build runs every step again.
                log.exception("preview: a post-build step failed")
                self._signatures.clear()
                return

    def remove_stale_pages(self) -> None:
        """Remove the pages the previous run wrote and this one did not (a
        deleted or moved release), before the search index reads the folder."""
        for gone in sorted(self._outputs - self.written):
            self._remove(gone)
        self._outputs = self.written

    def _remove(self, path: str) -> None:
        self._signatures.pop(path, None)
        Path(path).unlink(missing_ok=True)
        folder = Path(path).parent
        while folder != self.output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

    # -- the articles generator's cache (engine/incremental.py) ---------

    def stamp(self, path: str) -> bytes:
        """The hash of a source file's bytes, read again only when its status
        (times, size, inode) changed or was too recent to tell, and looked at
        once per run."""
        digest = self._run_stamps.get(path)
        if digest is not None:
            return digest
        status = os.stat(path)
        known = self._stamps.get(path)
        if known and known[0] == _status(status):
            digest = known[1]
        else:
            now = time.time_ns()
            digest = _hash(path)
            recent = now - status.st_mtime_ns < RACY_NS or now - status.st_ctime_ns < RACY_NS
            if recent:
                self._stamps.pop(path, None)
            else:
                self._stamps[path] = (_status(status), digest)
        self._run_stamps[path] = digest
        return digest

    def content_token(self, path: str) -> bytes:
        """A release or page in a fingerprint: 16 bytes standing for its path and stamp."""
        stamp = self.stamp(path)
        known = self._content_tokens.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        token = _digest(f"content\0{path}\0{stamp.hex()}")
        self._content_tokens[path] = (stamp, token)
        return token

    def cached_article(self, path: str, context: dict):
        known = self._articles.get(path)
        if known is None or known[0] != self.stamp(path):
            return None
        article = known[1]
        article._context = context
        return article

    def remember_article(self, path: str, article: Content) -> None:
        self._articles[path] = (self.stamp(path), article)

    def per_file(self, kind: str, path, compute):
        """`compute()`, a fact about the file at `path`, again only when the file changed."""
        if not self.speedups:
            return compute()
        path = str(path)
        stamp = self.stamp(path)
        known = self._per_file.get((kind, path))
        if known is not None and known[0] == stamp:
            return known[1]
        value = compute()
        self._per_file[(kind, path)] = (stamp, value)
        return value

    def constant(self, kind: str, compute):
        """`compute()` once per session: for what depends only on what the session
        holds fixed (the registry, the settings)."""
        if not self.speedups:
            return compute()
        if kind not in self._constants:
            self._constants[kind] = compute()
        return self._constants[kind]

    # -- the writer (engine/writer.py) ------------------------------

    def unchanged(self, path: str, template, context: dict) -> bool:
        """Whether `path` exists as rendered from the same inputs; records `path` as written."""
        self.written.add(path)
        variables = self._variables(template)
        fingerprint = self.fingerprints.of_page(variables, context, template.environment)
        return self._same(path, (template.name, fingerprint))

    def unchanged_feed(self, path: str, elements, details: tuple) -> bool:
        self.written.add(path)
        return self._same(path, ("feed", details, self.fingerprints.token(elements)))

    def _same(self, path: str, signature) -> bool:
        """Whether `path` exists as rendered from `signature`; else it is to be rendered."""
        if self.speedups and self._signatures.get(path) == signature and os.path.exists(path):
            return True
        self._signatures[path] = signature
        self.rendered.append(path)
        return False

    def unchanged_listing(self, name: str, template, context: dict, inputs: list):
        """The pages of the paginated listing `name` if it is unchanged as a
        whole (template, variables, and `inputs`: the lists it paginates, its URL
        and pagination settings) and they all exist; records them as written.
        Otherwise None, and `listed` follows."""
        variables = self._variables(template)
        fingerprint = self.fingerprints.of_page(variables, context, template.environment)
        signature = (template.name, fingerprint, tuple(self.fingerprints.token(x) for x in inputs))
        known = self._listings.get(name)
        self._pending_listings[name] = signature
        if not self.speedups or known is None or known[0] != signature:
            return None
        if not all(map(os.path.exists, known[1])):
            return None
        self.written.update(known[1])
        return known[1]

    def listed(self, name: str, pages: list[str]) -> None:
        self._listings[name] = (self._pending_listings.pop(name), pages)

    def forget(self, path: str) -> None:
        """`path` was not written after all (its rendering failed): render it next time."""
        self._signatures.pop(path, None)
        self._listings.pop(path, None)

    def _variables(self, template) -> tuple:
        """What the page depends on: the template's variables but the settings,
        which are fixed for the session."""
        if template.name not in self._dependencies:
            settings = self.pelican.settings
            self._dependencies[template.name] = tuple(
                (name, uses)
                for name, uses in template_variables(template.environment, template.name)
                if name not in settings or name in PAGE_VARIABLES
            )
        return self._dependencies[template.name]


_MISSING = object()
_SCALARS = frozenset({type(None), bool, int, float})


def _status(found: os.stat_result) -> tuple:
    return (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino, found.st_dev)


def _hash(path: str) -> bytes:
    return _digest_bytes(Path(path).read_bytes())


def _files(root: str):
    """Every file under `root`, following links, never reading a folder twice."""
    seen = {os.path.realpath(root)}
    for folder, subfolders, names in os.walk(root, followlinks=True):
        for name in list(subfolders):
            real = os.path.realpath(os.path.join(folder, name))
            if real in seen:
                subfolders.remove(name)
            seen.add(real)
        for name in names:
            yield os.path.join(folder, name)


class Layers:
    """Dictionaries looked up in order, like a ChainMap, for the few variables
    a fingerprint reads: without a KeyError for each layer that lacks one."""

    def __init__(self, *layers: dict):
        self.layers = layers

    def get(self, name, default=None):
        for layer in self.layers:
            value = layer.get(name, _MISSING)
            if value is not _MISSING:
                return value
        return default


class _MemoryClient(dict):
    """Compiled templates in memory, for Jinja's MemcachedBytecodeCache."""

    def set(self, key, value, timeout=None):
        self[key] = value


class Fingerprints:
    """Small tokens standing for context values, computed once per value and run."""

    def __init__(self, session: PreviewSession):
        self.session = session
        # id(value) -> (value, token), for deep tokens and the others
        self._memo: tuple[dict, dict] = ({}, {})

    def of_page(self, variables: tuple, context, environment) -> tuple:
        """The page's fingerprint; `context` needs only `get` (a dict, or Layers)."""
        parts = []
        for name, uses in variables:
            value = context.get(name, _MISSING)
            if value is _MISSING:
                parts.append((name, None))
                continue
            if uses != WHOLE and not isinstance(value, Content):
                read = self._parts(value, uses, environment)
                if read is not None:
                    parts.append((name, read))
                    continue
            parts.append((name, self.token(value, deep=name in OWN_OBJECTS)))
        return tuple(parts)

    def _parts(self, value, uses: tuple, environment):
        """Tokens of the length and attributes a template reads; None if one is a method."""
        read = []
        for use in uses:
            if use == LENGTH:
                read.append(len(value))
                continue
            attribute = environment.getattr(value, use)
            if callable(attribute) and not isinstance(attribute, Undefined):
                return None  # a method may read anything of `value`
            read.append(self.token(attribute))
        return tuple(read)

    def token(self, value, deep: bool = False):
        if type(value) in _SCALARS:
            return value
        if isinstance(value, str):  # Markup too
            return value if len(value) <= 64 else _digest(value)
        if isinstance(value, (int, float)):  # their subclasses
            return value
        memo = self._memo[deep]
        known = memo.get(id(value))
        if known is not None:
            return known[1]
        token = self._compute(value, deep)
        memo[id(value)] = (value, token)  # keeps `value` alive, so its id is not reused
        return token

    def _compute(self, value, deep: bool):
        if isinstance(value, Content):
            own = self.session.content_token(value.source_path)
            if not deep:
                return own
            return (own, tuple(self.token(getattr(value, name, None)) for name in LINKS))
        if isinstance(value, (datetime.date, datetime.time)):
            return (type(value).__name__, value.isoformat())
        if isinstance(value, (list, tuple)):
            tokens = [self.token(item) for item in value]
            if (
                len(tokens) > 16
                and set(map(type, tokens)) == {bytes}
                and set(map(len, tokens)) == {16}
            ):
                # Digests alone (releases, long strings): joined, they cannot be confused.
                return ("digests", _digest_bytes(b"".join(tokens)))
            return _compact(("list", *tokens))
        if isinstance(value, dict):
            return _compact(("dict", *((self.token(k), self.token(v)) for k, v in value.items())))
        if isinstance(value, (set, frozenset)):
            return _digest(repr(sorted(repr(self.token(item)) for item in value)))
        if isinstance(value, URLWrapper):
            return (type(value).__name__, value.slug, value.name)
        if isinstance(value, PaginatedPage):
            return (
                "page",
                value.number,
                value.save_as,
                value.url,
                self.token(value.object_list),
                self.token(value.paginator),
            )
        if isinstance(value, Paginator):
            return ("paginator", value.name, value.url, value.count, value.num_pages)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = dataclasses.fields(value)
            return _compact(
                (type(value).__name__, *(self.token(getattr(value, f.name)) for f in fields))
            )
        if isinstance(value, Undefined):
            return ("undefined",)
        if isinstance(value, SESSION_CONSTANTS):
            return ("constant", type(value).__name__)
        log.debug("preview: no fingerprint for %s; its pages are always rendered", type(value))
        return object()  # equal to nothing: the page is rendered


def _compact(token: tuple):
    """A long token stands as its digest, so comparing two stays cheap."""
    return token if len(token) <= 16 else _digest(repr(token))


def _digest(text: str) -> bytes:
    return _digest_bytes(text.encode("utf-8", "surrogatepass"))


def _digest_bytes(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def template_variables(environment, name: str) -> tuple:
    """The context variables `name` refers to, with the templates it extends,
    includes and imports, and how: ((variable, uses), ...) in a fixed order,
    where `uses` is WHOLE, or the attributes read from it and LENGTH if the
    template takes its length. The variables the writer sets for every page
    are always there."""
    seen: set[str] = set()
    uses: dict[str, set] = {}
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = environment.loader.get_source(environment, current)
        tree = environment.parse(source)
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                raise ValueError(f"{current} names a template at run time; it cannot be previewed")
            pending.append(referenced)
        context_names = meta.find_undeclared_variables(tree)
        for variable, use in _name_uses(tree):
            if variable in context_names:
                uses.setdefault(variable, set()).add(use)
    for variable in PAGE_VARIABLES:
        uses.setdefault(variable, set()).add(WHOLE)
    return tuple(
        (variable, WHOLE if WHOLE in found else tuple(sorted(found)))
        for variable, found in sorted(uses.items())
    )


def _name_uses(node, parent=None):
    """(name, use) for every name the template reads: `name.attr` -> the
    attribute, `name | length` -> LENGTH, anything else -> WHOLE."""
    if isinstance(node, nodes.Name) and node.ctx == "load":
        if isinstance(parent, nodes.Getattr) and parent.node is node:
            yield node.name, parent.attr
        elif isinstance(parent, nodes.Filter) and parent.name == "length" and parent.node is node:
            yield node.name, LENGTH
        else:
            yield node.name, WHOLE
    for child in node.iter_child_nodes():
        yield from _name_uses(child, node)
