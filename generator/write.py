"""Write stage: the only module that writes or removes files of the site.

Rules:
- Never delete or overwrite a file the generator did not create.  A manifest
  (`.tijdlijn-manifest.json`) in the output folder lists every file it made,
  with a hash of its bytes.  An output folder that is not empty and has no
  manifest is refused; a file in it that the manifest does not list is
  carried over untouched, and refused if a page would take its place.
- Never leave a half-updated site.  The new site is completed in a hidden
  sibling folder (`.site.tijdlijn-staging`) and swapped with the output folder
  in one atomic rename (Linux `renameat2(RENAME_EXCHANGE)`).  The swapped-out
  tree, with its own manifest, becomes the next build's staging folder, so a
  rebuild writes only the files whose bytes changed since then.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import OutputError, display_path

MANIFEST = ".tijdlijn-manifest.json"
INCOMPLETE = ".tijdlijn-incomplete.json"  # a staging tree whose update did not finish
GENERATOR = "tijdlijn"


@dataclass(frozen=True)
class WriteReport:
    files: int  # files in the new site
    changed: int  # files whose bytes differ from the previous site (added or changed)
    removed: int  # files of the previous site that are gone
    written: int  # files actually written to disk this build

    @property
    def unchanged(self) -> bool:
        return self.changed == 0 and self.removed == 0


@dataclass
class Manifest:
    # relative POSIX path -> [sha256 of the bytes, size, mtime_ns when written]; size and
    # mtime tell whether someone changed the file since (then it is not trusted)
    files: dict[str, list[str | int]]
    carried: list[str]  # links to files of others, carried over from the output folder

    def holds(self, root: Path, path: str, digest: str) -> bool:
        """Whether the file at `path` under `root` is known to have exactly these bytes."""
        entry = self.files.get(path)
        if not entry or entry[0] != digest:
            return False
        try:
            stat = (root / path).stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == entry[1:]

    def dump(self) -> str:
        return json.dumps(
            {"generator": GENERATOR, "files": self.files, "carried": self.carried},
            sort_keys=True,
            indent=0,
        )


def staging_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.tijdlijn-staging"


def _read_manifest(folder: Path, name: str = MANIFEST) -> Manifest | None:
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR:
        return None
    files = data.get("files")
    carried = data.get("carried", [])
    if not isinstance(files, dict) or not isinstance(carried, list):
        return None
    return Manifest(dict(files), list(carried))


def check_output(out: Path, source: Path | None = None) -> Manifest:
    """The manifest of the current site in `out` (empty if there is none yet), or
    OutputError if writing there could lose someone's files."""
    shown = display_path(out)
    if source is not None and source.resolve().is_relative_to(out.resolve()):
        raise OutputError(
            f"{shown}: the output folder contains the source folder; choose another --out"
        )
    if not out.exists():
        return Manifest({}, [])
    if not out.is_dir():
        raise OutputError(f"{shown}: exists and is not a folder; choose another --out")
    manifest = _read_manifest(out)
    if manifest is None:
        if any(out.iterdir()):
            raise OutputError(
                f"{shown}: folder is not empty and was not made by tijdlijn "
                f"(it has no {MANIFEST}); nothing was written. Choose another --out, "
                "or move its files away yourself."
            )
        return Manifest({}, [])
    return manifest


def safe_relative(path: str) -> PurePosixPath:
    """A page path that cannot point outside the output folder."""
    relative = PurePosixPath(path)
    if (
        not path
        or relative.is_absolute()
        or "\\" in path
        or any(part in ("", ".", "..") for part in path.split("/"))
        or relative.name in (MANIFEST, INCOMPLETE)
    ):
        raise ValueError(f"unsafe path in site: {path!r}")
    return relative


@dataclass(frozen=True)
class Unchanged:
    """In place of a page's bytes: the page is the same as in the current site."""

    digest: str


class StaleOutput(Exception):
    """A page said to be unchanged is not as recorded in the output folder (someone
    edited or removed it): the caller must render it after all."""


def write_site(
    out: Path, files: Iterable[tuple[str, bytes | Unchanged]], source: Path | None = None
) -> WriteReport:
    """Make `out` hold exactly `files` (plus any files of others already there).

    Only files whose bytes differ from the current site are written; if none differ
    (and none are gone), nothing at all is written."""
    current = check_output(out, source)
    staging = _prepare_staging(out)
    staged = _read_manifest(staging) or _read_manifest(staging, INCOMPLETE) or Manifest({}, [])
    marked = False

    def mark_incomplete() -> None:
        nonlocal marked
        if not marked:
            _save_manifest(staging, staged, INCOMPLETE)
            (staging / MANIFEST).unlink(missing_ok=True)
            for link in staged.carried:  # links from an earlier swap: drop, re-link below
                _remove_file(staging, link)
            staged.carried = []
            marked = True

    digests: dict[str, str] = {}
    same_as_current: list[str] = []  # copied from `out` into staging only if we swap
    written = 0
    for path, data in files:
        relative = safe_relative(path)
        if path in digests:
            raise ValueError(f"two files at {path!r}")
        if isinstance(data, Unchanged):
            if not current.holds(out, path, data.digest):
                raise StaleOutput(path)
            digests[path] = data.digest
            same_as_current.append(path)
            continue
        digest = hashlib.sha256(data).hexdigest()
        digests[path] = digest
        if current.holds(out, path, digest):
            same_as_current.append(path)
            continue
        if staged.holds(staging, path, digest):
            continue
        mark_incomplete()
        written += _put(staging, relative, data, staged, digest)

    changed = sum(1 for path, d in digests.items() if current.files.get(path, [""])[0] != d)
    removed = sum(1 for path in current.files if path not in digests)
    if out.exists() and changed == 0 and removed == 0:
        # The published site is already right: leave it (and staging) alone.
        if marked:
            _save_manifest(staging, staged, MANIFEST)
            (staging / INCOMPLETE).unlink(missing_ok=True)
        return WriteReport(len(digests), 0, 0, written)

    mark_incomplete()
    for path in same_as_current:
        if not staged.holds(staging, path, digests[path]):
            written += _put(
                staging, safe_relative(path), (out / path).read_bytes(), staged, digests[path]
            )
    for path in [p for p in staged.files if p not in digests]:
        _remove_file(staging, path)
        del staged.files[path]
    staged.carried = _carry_foreign_files(out, current, staging, digests)
    _save_manifest(staging, staged, MANIFEST)
    (staging / INCOMPLETE).unlink(missing_ok=True)
    _swap(staging, out)
    _after_swap(staging)
    return WriteReport(len(digests), changed, removed, written)


def _put(root: Path, relative: PurePosixPath, data: bytes, manifest: Manifest, digest: str) -> int:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    stat = target.stat()
    manifest.files[relative.as_posix()] = [digest, stat.st_size, stat.st_mtime_ns]
    return 1


def _prepare_staging(out: Path) -> Path:
    """The staging folder, marked incomplete while it is being changed."""
    staging = staging_folder(out)
    if not staging.exists():
        staging.mkdir(parents=True)
        _save_manifest(staging, Manifest({}, []), INCOMPLETE)
        return staging
    if (staging / MANIFEST).is_file() and _read_manifest(staging) is not None:
        return staging  # complete; marked incomplete once something in it changes
    if (staging / INCOMPLETE).is_file() and _read_manifest(staging, INCOMPLETE) is not None:
        # A build was stopped while updating it: its files are unknown, start afresh.
        # Everything in a staging folder was made by us (or is a link we made).
        shutil.rmtree(staging)
        return _prepare_staging(out)
    if staging.is_dir() and not any(staging.iterdir()):
        _save_manifest(staging, Manifest({}, []), INCOMPLETE)
        return staging
    raise OutputError(f"{display_path(staging)}: exists and was not made by tijdlijn; move it away")


def _after_swap(old: Path) -> None:
    """The swapped-out tree: keep it, with its manifest, as the next staging folder."""
    if _read_manifest(old) is None and not any(old.iterdir()):
        old.rmdir()  # the output folder was an empty folder: nothing to keep


def _save_manifest(folder: Path, manifest: Manifest, name: str) -> None:
    temporary = folder / f"{name}.tmp"
    temporary.write_text(manifest.dump(), encoding="utf-8")
    temporary.replace(folder / name)


def _remove_file(root: Path, path: str) -> None:
    """Remove one file we made, then any folders it leaves empty."""
    target = root / safe_relative(path)
    target.unlink(missing_ok=True)
    parent = target.parent
    while parent != root:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def _foreign_files(out: Path, manifest: Manifest) -> list[str]:
    """Files in `out` the generator did not make."""
    ours = set(manifest.files) | {MANIFEST}
    foreign = []
    for folder, _, names in os.walk(out):
        for name in names:
            path = (Path(folder) / name).relative_to(out).as_posix()
            if path not in ours:
                foreign.append(path)
    return sorted(foreign)


def _carry_foreign_files(
    out: Path, manifest: Manifest, staging: Path, new_files: dict[str, str]
) -> list[str]:
    """Link files of others into the new tree, so the swap leaves them in place."""
    if not out.exists():
        return []
    foreign = _foreign_files(out, manifest)
    clashes = [path for path in foreign if path in new_files]
    if clashes:
        raise OutputError(
            *(
                f"{display_path(out / path)}: was not made by tijdlijn and a page would "
                "replace it; nothing was written. Move it away or rename the article."
                for path in clashes
            )
        )
    for path in foreign:
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(out / path, target)
        except OSError:
            shutil.copy2(out / path, target)
    return foreign


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` at `out` atomically; the previous `out` ends up at `staging`."""
    if not out.exists():
        staging.rename(out)
        staging.mkdir()  # an empty staging folder: the next build writes everything
        _save_manifest(staging, Manifest({}, []), INCOMPLETE)
        return
    if _exchange(staging, out):
        return
    # No atomic exchange on this system: three renames, undone on the next build if
    # interrupted (see _prepare_staging).  Readers may see no site for an instant.
    backup = out.parent / f".{out.name}.tijdlijn-previous"
    out.rename(backup)
    staging.rename(out)
    backup.rename(staging)


def _exchange(first: Path, second: Path) -> bool:
    library = ctypes.util.find_library("c")
    if os.name != "posix" or library is None:
        return False
    libc = ctypes.CDLL(library, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(error, os.strerror(error), str(second))
