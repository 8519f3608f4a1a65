"""Publishing builds: one writer at a time, each build beside the last, swapped in by one os.replace.

A build is written to DIR.d/<build-id>.partial, renamed when complete, and the
symlink DIR is pointed at it atomically, so readers see either the old
complete build or the new one, even if ingest is killed. Readers resolve the
link once and read everything from that build folder (ingest/index/reader.py).

Builds the link no longer names are removed afterwards (or by the next
ingest), except while a reader holds one: a load takes a shared lock on its
build folder (`reading`) and garbage collection skips a build it cannot lock
exclusively, so a reader that resolved the link just before a swap reads the
old build to the end (issue 14: one load in 362 during a publish failed). The
next collection removes it.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import IndexWriteError
from . import layout


@contextmanager
def build_lock(index: Path) -> Iterator[None]:
    """One writer at a time per index; a second ingest waits, then finds nothing to do."""
    lock_path = layout.lock_path(index)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(lock_path, "a+")
    except OSError as exc:
        raise IndexWriteError(f"cannot create {lock_path}: {exc.strerror or exc}") from exc
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def new_build_dir(index: Path) -> Path:
    root = layout.builds_dir(index)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = root / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000:05d}{layout.PARTIAL}"
    try:
        path.mkdir(parents=True)
    except OSError as exc:
        raise IndexWriteError(f"cannot create {path}: {exc.strerror or exc}") from exc
    return path


def check_target(index: Path) -> None:
    """Refuse, before any work is done, to replace a folder at the index path that is not an index."""
    try:
        foreign = (index.is_dir() and not index.is_symlink() and not (index / layout.MANIFEST).is_file()
                   and any(index.iterdir()))
    except OSError as exc:
        raise IndexWriteError(f"cannot inspect {index}: {exc.strerror or exc}") from exc
    if foreign:
        raise IndexWriteError(
            f"{index} is a folder that is not an index; refusing to replace it. "
            "Move it away or choose another --index."
        )


def publish(build: Path, index: Path) -> Path:
    """Finish a build (rename .partial away) and point `index` at it atomically.

    If any step fails, everything this call did is undone: the unpublished
    build is removed and a legacy index folder is put back, so a failed
    publish leaves exactly the previous index and no stray build behind.
    """
    check_target(index)
    final = build.with_name(build.name.removesuffix(layout.PARTIAL))
    link_tmp = index.with_name(f".{index.name}.link-{os.getpid()}")
    legacy: Path | None = None
    try:
        os.replace(build, final)
        if index.is_dir() and not index.is_symlink():
            legacy = layout.builds_dir(index) / f"legacy-{os.getpid()}"
            os.replace(index, legacy)
        if link_tmp.is_symlink() or link_tmp.exists():
            link_tmp.unlink()
        os.symlink(os.path.relpath(final, index.parent), link_tmp)
        os.replace(link_tmp, index)
    except OSError as exc:
        with suppress(OSError):
            if legacy is not None and legacy.exists() and not os.path.lexists(index):
                os.replace(legacy, index)
        with suppress(OSError):
            link_tmp.unlink()
        shutil.rmtree(final, ignore_errors=True)
        raise IndexWriteError(
            f"could not publish the new index ({exc.strerror or exc}); the previous index is unchanged"
        ) from exc
    collect_garbage(index)
    return final


def collect_garbage(index: Path) -> None:
    """Remove builds that the link no longer names (old ones, killed partial ones), unless being read."""
    root = layout.builds_dir(index)
    if not root.is_dir():
        return
    current = index.resolve() if index.is_symlink() else None
    for entry in root.iterdir():
        if current is not None and entry.resolve() == current:
            continue
        if entry.name.endswith(layout.PARTIAL):
            pid = entry.name.split("-")[-2] if entry.name.count("-") >= 2 else ""
            if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
                continue  # another ingest is writing it right now
        with _unread(entry) as free:
            if free:
                shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def reading(build: Path) -> Iterator[None]:
    """Hold `build` against garbage collection while it is read (a shared flock on the folder).

    A folder that cannot be opened is not locked: the read itself then reports it missing.
    Closing the descriptor releases the lock.
    """
    fd = _open_folder(build)
    if fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def _open_folder(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDONLY)
    except OSError:
        return None


@contextmanager
def _unread(entry: Path) -> Iterator[bool]:
    """True, holding an exclusive lock on `entry` until it is removed, when no reader holds it."""
    fd = _open_folder(entry)
    if fd is None:
        yield True  # gone already, or not openable: rmtree decides
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False  # a reader is on it; the next collection removes it
            return
        yield True
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
