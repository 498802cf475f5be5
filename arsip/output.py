"""Put a new build in place of the output folder only when it is complete.

A build writes into a fresh folder beside the output (`.output.new-XXXX`, on
the same file system) and, once everything succeeded, the fresh folder takes
the output's place: with one atomic exchange of the two folders where the file
system offers it (Linux `renameat2(RENAME_EXCHANGE)`), else with two renames.
A build that fails, or is killed, never touches the output.

An output that is a symlink (to a web root, say) is followed: the folder it
points to is replaced and the link stays. An output that is a file is refused.

Every temporary folder is locked (`flock`) by the process that made it, for as
long as it uses it. Whatever a killed process left beside the output is
unlocked, and the next build or `invoke clean` removes it; a folder another
running build still holds is left alone. A previous output that a kill caught
between the two renames (`.output.old-XXXX`, complete) is put back if the
output is missing. The previous output is removed by a process of its own
(`.output.del-XXXX`) while the build returns.

Used by plugins/output_swap.py (every `pelican` build) and tasks.py (`invoke
clean`, and the scratch folder of `invoke publish`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import glob
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

NEW, OLD, DELETING = "new", "old", "del"


class OutputError(Exception):
    """The output folder cannot be used or replaced; the message says what to do."""

    exitcode = 1


def real_folder(output: str | os.PathLike) -> Path:
    """The folder `output` names, symlinks followed (also when dangling); refuses a file."""
    real = Path(os.path.realpath(output))
    if real.exists() and not real.is_dir():
        raise OutputError(
            f"{output}: error: the output is a file, not a folder: "
            "move the file away or choose another output folder"
        )
    return real


def _name(real: Path, kind: str, suffix: str = "") -> str:
    return f".{real.name}.{kind}-{suffix}"


def _pattern(real: Path, kind: str) -> str:
    return glob.escape(_name(real, kind)) + "*"


def _lock(path: Path) -> int | None:
    """A lock on the folder `path`, held until the descriptor is closed (or the
    process ends); None if another process holds it."""
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def _unlocked(folders: Iterable[Path]) -> Iterator[Path]:
    """The folders no running process holds, each locked while the caller uses it."""
    for folder in sorted(folders):
        try:
            descriptor = _lock(folder)
        except OSError:  # gone meanwhile, or not a folder
            continue
        if descriptor is None:
            continue
        try:
            yield folder
        finally:
            os.close(descriptor)


# Removes a folder, holding its lock meanwhile: run apart from the build.
_REMOVER = (
    "import fcntl, os, shutil, sys\n"
    "try:\n"
    "    fcntl.flock(os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY), fcntl.LOCK_EX)\n"
    "except OSError:\n"
    "    sys.exit()\n"
    "shutil.rmtree(sys.argv[1], ignore_errors=True)\n"
)


def _delete(folder: Path, real: Path, wait: bool = True) -> None:
    """Remove `folder` (beside the output `real`): renamed aside first, so a kill
    midway leaves a name that is only ever garbage. Without `wait`, a process
    of its own removes it while the build returns: the files are garbage
    already, and removing a large site takes as long as writing it."""
    aside = real.with_name(_name(real, DELETING, secrets.token_hex(4)))
    try:
        folder.rename(aside)
    except FileNotFoundError:
        return
    except OSError:
        aside = folder
    if not wait:
        try:
            subprocess.Popen(
                [sys.executable, "-c", _REMOVER, str(aside)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
        except OSError:
            pass
    shutil.rmtree(aside, ignore_errors=True)


def clean_leftovers(output: str | os.PathLike) -> list[Path]:
    """Remove what killed builds left beside `output`; returns what was removed.
    A complete previous output caught between two renames is put back first."""
    real = real_folder(output)
    parent = real.parent
    if not parent.is_dir():
        return []
    removed = []
    for old in _unlocked(parent.glob(_pattern(real, OLD))):
        if not real.exists():
            old.rename(real)  # the previous output, whole: nothing newer was put in place
        else:
            _delete(old, real)
            removed.append(old)
    for kind in (NEW, DELETING):
        for leftover in _unlocked(parent.glob(_pattern(real, kind))):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


def _mode() -> int:
    """The mode a plain mkdir would give: mkdtemp's is private, and a web server
    must read the output."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


class FreshFolder:
    """A new, empty, locked folder beside `output` for a build to write into."""

    def __init__(self, output: str | os.PathLike):
        self.output = Path(output)
        self.target = real_folder(output)
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            clean_leftovers(output)
            self.path = Path(
                tempfile.mkdtemp(prefix=_name(self.target, NEW), dir=self.target.parent)
            )
        except OSError as error:
            raise OutputError(
                f"{output}: error: cannot make a build folder beside it ({error.strerror}): "
                "check the path and its permissions"
            ) from None
        self.path.chmod(_mode())
        self._lock = _lock(self.path)

    def put_in_place(self, retain: Iterable[str] = ()) -> None:
        """Make this folder the output; the previous output is removed. `retain`:
        names at the top of the previous output to carry over when the build
        did not write them (Pelican's OUTPUT_RETENTION)."""
        target = real_folder(self.output)  # again: the link may have been changed meanwhile
        retain = tuple(retain)
        if target.is_dir() and os.path.ismount(target):
            self._copy_into(target, retain)
            return
        try:
            if target.is_dir():
                self._carry(target, retain)
                self._look_like(target)
                previous = self._replace(target)
            else:
                self.path.rename(target)
                previous = None
        except OSError as error:
            self.discard()
            raise OutputError(
                f"{self.output}: error: the new build could not replace it ({error.strerror}); "
                "the output is unchanged"
            ) from None
        self._release()
        if previous is not None:
            _delete(previous, target, wait=False)

    def _look_like(self, target: Path) -> None:
        """The previous output's permissions (and group, where allowed): a web
        server may depend on them."""
        status = target.stat()
        self.path.chmod(stat.S_IMODE(status.st_mode))
        with contextlib.suppress(OSError):
            os.chown(self.path, -1, status.st_gid)

    def _copy_into(self, target: Path, retain: tuple[str, ...]) -> None:
        """A mount point cannot be renamed: copy the build into it, then remove
        what the build did not write. Not atomic, but only a complete build is
        copied."""
        try:
            shutil.copytree(self.path, target, symlinks=True, dirs_exist_ok=True)
            written = {p.relative_to(self.path) for p in self.path.rglob("*")}
            for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
                relative = path.relative_to(target)
                if relative in written or relative.parts[0] in retain:
                    continue
                if path.is_dir() and not path.is_symlink():
                    path.rmdir()
                else:
                    path.unlink()
        except OSError as error:
            raise OutputError(
                f"{self.output}: error: the new build was only partly copied into this mount "
                f"point ({error.strerror}): fix the cause and build again"
            ) from None
        finally:
            self.discard()

    def _carry(self, target: Path, retain: Iterable[str]) -> None:
        for name in retain:
            kept, new = target / name, self.path / name
            if new.exists() or new.is_symlink() or not (kept.exists() or kept.is_symlink()):
                continue
            if kept.is_dir() and not kept.is_symlink():
                shutil.copytree(kept, new, symlinks=True)
            else:
                shutil.copy2(kept, new, follow_symlinks=False)

    def _replace(self, target: Path) -> Path:
        """Swap the output for this folder; returns where the previous output now is."""
        if _exchange(self.path, target):
            return self.path
        old = target.with_name(_name(target, OLD, secrets.token_hex(4)))
        held = _lock(target)  # a cleanup must not take it for a killed build's leftover
        try:
            target.rename(old)
            try:
                self.path.rename(target)
            except OSError:
                old.rename(target)
                raise
        finally:
            if held is not None:
                os.close(held)
        return old

    def discard(self) -> None:
        """Remove this folder: the build failed."""
        shutil.rmtree(self.path, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def remove(output: str | os.PathLike) -> None:
    """Remove the output folder (the folder a symlink names; the link stays) and
    the leftovers beside it."""
    real = real_folder(output)
    clean_leftovers(output)
    if real.is_dir():
        _delete(real, real)


@contextlib.contextmanager
def scratch(prefix: str, parent: str | os.PathLike | None = None) -> Iterator[Path]:
    """A locked temporary folder, removed afterwards; folders with the same
    prefix that killed processes left in `parent` (the system's temporary
    folder by default) are removed first."""
    parent = Path(parent or tempfile.gettempdir())
    for leftover in _unlocked(parent.glob(glob.escape(prefix) + "*")):
        shutil.rmtree(leftover, ignore_errors=True)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    held = _lock(path)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        if held is not None:
            os.close(held)
