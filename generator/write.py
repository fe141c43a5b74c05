"""Write stage: the only module that writes or removes files of the site.

Rules:
- Never delete or overwrite a file the generator did not create.  A manifest
  (`.tijdlijn-manifest.json`) in the output folder lists every file it made,
  with a hash of its bytes.  An output folder that is not empty and has no
  manifest is refused; a file in it that the manifest does not list is
  carried over untouched, and refused if a page (or a page's folder) would
  take its place.
- Never leave a half-updated site.  The new site is completed in a hidden
  sibling folder (`.site.tijdlijn-staging`) and swapped with the output folder
  in one atomic rename (Linux `renameat2(RENAME_EXCHANGE)`).  The swapped-out
  tree, with its own manifest, becomes the next build's staging folder, so a
  rebuild writes only the files whose bytes changed since then.  A page the
  staging folder lacks that the output has already is linked to it (a hard link:
  no second copy on disk), so the two trees share files and a file in the staging
  folder is never written into, only replaced (`Tree._room_for`).  The one
  exception is `patch_output`, for an edit that changes a few files of a large
  site (`serve`, `build --incremental`): those replaced in place, each
  atomically, with the manifest listing a new file before it is written (a
  page rendered by a worker process waits in the scratch folder, in the cache
  folder, until every changed page is made).  A
  clean build always swaps.
- Write nothing when nothing changed: a file whose bytes equal the published
  one is not written, and if no file differs the output is not touched at all.

Rendering processes write their pages into the staging folder themselves
(`SiteWriter.place`: on a site of thousands of folders the system calls cost as much
as the rendering); the staging folder is marked incomplete before they start.  The
manifest, removals and the swap stay with the build's own process.

The manifest holds only paths and hashes, so the same site gives the same bytes.
When each file was written (to notice a file someone edited since) is kept apart,
in `.tijdlijn-cache/trees/`, per folder; without that record a file is hashed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from .errors import OutputError, display_path

MANIFEST = ".tijdlijn-manifest.json"
INCOMPLETE = ".tijdlijn-incomplete.json"  # a staging tree whose update did not finish
MARKERS = (MANIFEST, INCOMPLETE, f"{MANIFEST}.tmp", f"{INCOMPLETE}.tmp")
GENERATOR = "tijdlijn"
CACHE_FOLDER = ".tijdlijn-cache"
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)

# A file too large to hold at once (timeline.json of a large site): a function that
# makes its bytes in parts, anew each time it is called.
Parts = Callable[[], Iterable[bytes]]
Content = bytes | Parts


def digest_of(data: Content) -> str:
    """sha256 of a file's bytes, given whole or in parts."""
    if isinstance(data, (bytes, bytearray)):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    for part in data():
        digest.update(part)
    return digest.hexdigest()


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
class Tree:
    """One folder of ours (the site, or its staging twin): its manifest, and the size
    and time of each file when we wrote or last checked it."""

    root: Path
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256
    carried: list[str] = field(default_factory=list)  # links to files of others
    stats: dict[str, int] = field(default_factory=dict)  # path -> file_stat(size, mtime_ns)
    _folders: set[str] = field(default_factory=set, repr=False)  # known to exist
    stamp: tuple[int, ...] = ()  # the manifest file's identity, size and time as last read

    def holds(self, path: str, digest: str) -> bool:
        """Whether the file at `path` has exactly the bytes with this digest."""
        if self.files.get(path) != digest:
            return False
        target = os.path.join(self.root, path)  # (not a Path: checked for every file)
        try:
            stat = os.stat(target)
            if self.stats.get(path) == file_stat(stat.st_size, stat.st_mtime_ns):
                return True
            with open(target, "rb") as file:
                if hashlib.sha256(file.read()).hexdigest() != digest:
                    return False
        except OSError:
            return False
        self.stats[path] = file_stat(stat.st_size, stat.st_mtime_ns)
        return True

    def put(self, path: str, data: Content, digest: str) -> None:
        """Write one file.  Few system calls: a site has a folder per page, and on some
        disks each call that looks a path up costs a fraction of a millisecond."""
        target = self._room_for(path)
        folder = os.path.dirname(target)
        try:
            descriptor = os.open(target, _WRITE_FLAGS, 0o666)
        except FileNotFoundError:  # its folder was removed since (see `remove`)
            os.makedirs(folder, exist_ok=True)
            descriptor = os.open(target, _WRITE_FLAGS, 0o666)
        try:
            with os.fdopen(descriptor, "wb", closefd=False) as file:
                if isinstance(data, (bytes, bytearray)):
                    file.write(data)
                else:
                    file.writelines(data())
            stat = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        self.files[path] = digest
        self.stats[path] = file_stat(stat.st_size, stat.st_mtime_ns)

    def share(self, other: Tree, path: str, digest: str) -> bool:
        """Give this tree the file `other` has at `path` (as `other.holds` found it): a
        hard link to it, or where the file system has none, a copy (then True: written).
        The first rebuild after a build into an empty folder gives the staging folder
        every page that did not change: copied, that rebuild took 14.7-17.2 s at 10,000
        articles, linked 9.6 s (a cold build 9.5 s)."""
        target = self._room_for(path)
        try:
            os.link(os.path.join(other.root, path), target)
        except OSError:
            self.put(path, Path(other.root, path).read_bytes(), digest)
            return True
        self.files[path] = digest
        stat = other.stats.get(path)  # the same file: its size and time
        if stat is None:
            found = os.stat(target)
            stat = file_stat(found.st_size, found.st_mtime_ns)
        self.stats[path] = stat
        return False

    def _room_for(self, path: str) -> str:
        """Where the file at `path` goes, its folder made and the file there unlinked:
        never written into, as it may be a hard link to a published file (`share`)."""
        target = os.path.join(self.root, safe_relative(path))
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        if path in self.files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        return target

    def remove(self, path: str) -> None:
        """Remove one file we made (or a link we made), then folders it leaves empty."""
        target = self.root / safe_relative(path)
        target.unlink(missing_ok=True)
        self.files.pop(path, None)
        self.stats.pop(path, None)
        parent = target.parent
        while parent != self.root:
            try:
                parent.rmdir()
            except OSError:
                break
            self._folders.discard(str(parent))
            parent = parent.parent

    def save(self, name: str = MANIFEST, stats: bool = True) -> None:
        """Write the manifest (as `name`), and the files' times unless `stats` is False
        (then the saved times are older than some files: those files are hashed)."""
        # "generator" first: even a file cut short by a kill says whose it is.
        # Each line made as it is written: 10 ms for 12,000 files, 5 ms less when `serve`
        # kept every line from one edit to the next, but then a 100,000-article build
        # held 30 MB more at its peak.
        files = self.files
        listed = (file_line(path, files[path]) for path in sorted(files))
        _write_atomically(self.root / name, manifest_parts(sorted(self.carried), listed))
        self.stamp = _stamp(self.root / name)
        for other in MARKERS[:2]:
            if other != name:
                (self.root / other).unlink(missing_ok=True)
        if stats:
            self.save_stats()

    def save_stats(self) -> None:
        path = _stats_file(self.root)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            members = (  # [size, mtime_ns] each, as json.dumps writes them
                f"{_string(file)}: [{stat & _SIZE_MASK}, {stat >> _SIZE_BITS}]"
                for file, stat in sorted(self.stats.items())
            )
            _write_atomically(path, json_object_parts(members))


def manifest_parts(carried: list[str], lines: Iterable[str]) -> Iterator[str]:
    """The manifest, in pieces to write one after the other (at 100,000 articles it is
    20 MB of text: not made whole in memory): what `json.dumps(data, indent=0)` makes of
    `{"generator": GENERATOR, "carried": carried, "files": files}`, given the files'
    lines (`file_line`)."""
    carried_text = "[\n" + ",\n".join(map(_string, carried)) + "\n]" if carried else "[]"
    yield f'{{\n"generator": {_string(GENERATOR)},\n"carried": {carried_text},\n"files": '
    yield from json_object_parts(lines)
    yield "\n}"


def json_object_parts(members: Iterable[str]) -> Iterator[str]:
    """A JSON object as `json.dumps(indent=0)` writes it, in pieces, from its members
    (`"key": value` each)."""
    separator = "{\n"
    for member in members:
        yield separator
        yield member
        separator = ",\n"
    yield "{}" if separator == "{\n" else "\n}"


def file_line(path: str, digest: str) -> str:
    """One file's line in the manifest."""
    return f"{_string(path)}: {_string(digest)}"


_string = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def _write_atomically(path: Path, text: str | Iterable[str]) -> None:
    temporary = path.with_name(f"{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as file:
        file.writelines([text] if isinstance(text, str) else text)
    temporary.replace(path)


def _stamp(path: Path) -> tuple[int, ...]:
    try:
        stat = path.stat()
    except OSError:
        return ()
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _stats_file(root: Path) -> Path | None:
    """Where a folder's file times are kept: by the folder's identity (device and inode),
    which stays the same when the folder is renamed or swapped."""
    try:
        stat = root.stat()
    except OSError:
        return None
    return root.parent / CACHE_FOLDER / "trees" / f"{stat.st_dev}-{stat.st_ino}.json"


def read_tree(
    root: Path,
    name: str = MANIFEST,
    known: Tree | None = None,
    like: Shared | None = None,
) -> Tree | None:
    """The tree at `root` if it has our manifest (under `name`), else None.  `known`:
    this tree as this process last saved or read it, kept if its manifest is unchanged.
    `like`: another tree's paths and digests, whose objects this one shares where equal."""
    stamp = _stamp(root / name)
    if known is not None and known.root == root and stamp and known.stamp == stamp:
        return known
    try:
        data = json.loads((root / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR:
        return None
    files, carried = data.get("files"), data.get("carried", [])
    if not isinstance(files, dict) or not isinstance(carried, list):
        return None
    tree = Tree(root, {}, list(carried))
    if like is None:
        tree.files = {p: d for p, d in files.items() if isinstance(d, str)}
    else:
        tree.files = {
            like.path(p): like.digest(p, d) for p, d in files.items() if isinstance(d, str)
        }
    del data, files  # before the stats are read: a lower peak
    tree.stamp = stamp
    stats_file = _stats_file(root)
    if stats_file is not None:
        try:
            stats = json.loads(stats_file.read_text(encoding="utf-8"))
            # keyed by the manifest's own strings, not the stats file's: 12 MB less for
            # each tree at 100,000 articles
            tree.stats = {p: file_stat(*s) for p in tree.files if _is_stat(s := stats.get(p))}
        except (OSError, ValueError, AttributeError):
            pass
    return tree


class Shared:
    """Paths and their digests (one tree's, or a state's), to be shared by the other
    trees and tables of a build where they are equal: every path and most digests of
    the site in the output, of the one in the staging folder and of the new one are the
    same.  Each as its own string (JSON and pickles make a new one each time), the three
    came to 140 MiB at 100,000 articles."""

    def __init__(self, digests: Mapping[str, str]) -> None:
        self.digests = digests  # path -> digest
        self.paths = {path: path for path in digests}  # 5 MB at 100,000 files

    def path(self, path: str) -> str:
        """The same path, as the tree's own string if it has it."""
        return self.paths.get(path, path)

    def digest(self, path: str, digest: str) -> str:
        """The same digest, as the tree's own string if it has it for `path`."""
        own = self.digests.get(path)
        return own if own == digest else digest


def staging_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.tijdlijn-staging"


def _backup_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.tijdlijn-previous"


def _trash_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.tijdlijn-trash"


_SIGNATURE = b'{\n"generator": "tijdlijn"'


def _is_ours(folder: Path) -> bool:
    """Whether a folder has one of our markers (our manifest, or its temporary copy)."""
    for marker in MARKERS:
        try:
            with (folder / marker).open("rb") as file:
                if file.read(len(_SIGNATURE)) == _SIGNATURE:
                    return True
        except OSError:
            continue
    return False


def recover_needed(out: Path) -> bool:
    """Whether a stopped build left something for `recover` to finish."""
    return _backup_folder(out).exists() or _trash_folder(out).exists()


def recover(out: Path) -> None:
    """Finish or undo what a stopped build left half done: a swap by three renames
    (where the atomic exchange is missing), or a staging folder being thrown away."""
    backup, staging, trash = _backup_folder(out), staging_folder(out), _trash_folder(out)
    if backup.exists() and _is_ours(backup):
        if not out.exists():
            backup.rename(out)  # stopped after the first rename: undo it
        elif not staging.exists():
            backup.rename(staging)  # stopped after the second: finish the swap
    if trash.exists() and (_is_ours(trash) or not any(trash.iterdir())):
        _delete_tree(trash)


def _delete_tree(root: Path) -> None:
    """Delete a folder of ours, its markers last: stopped half-way, it is still ours."""
    for folder, subfolders, names in os.walk(root, topdown=False):
        for name in names:
            if folder != str(root) or name not in MARKERS:
                os.unlink(os.path.join(folder, name))
        for name in subfolders:
            os.rmdir(os.path.join(folder, name))
    for name in MARKERS:
        (root / name).unlink(missing_ok=True)
    root.rmdir()


def check_output(out: Path, source: Path | None = None) -> Tree:
    """The current site in `out` (empty if there is none yet), or OutputError if writing
    there could lose someone's files.  Finishes a stopped build's swap first."""
    shown = display_path(out)
    if source is not None and source.resolve().is_relative_to(out.resolve()):
        raise OutputError(
            f"{shown}: the output folder contains the source folder; choose another --out"
        )
    recover(out)
    if not out.exists():
        return Tree(out)
    if not out.is_dir():
        raise OutputError(f"{shown}: exists and is not a folder; choose another --out")
    tree = read_tree(out)
    if tree is None:
        if any(out.iterdir()):
            raise OutputError(
                f"{shown}: folder is not empty and was not made by tijdlijn "
                f"(it has no {MANIFEST}); nothing was written. Choose another --out, "
                "or move its files away yourself."
            )
        return Tree(out)
    return tree


def safe_relative(path: str) -> str:
    """A page path that cannot point outside the output folder (or at our markers)."""
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(part in ("", ".", "..") for part in parts)
        or parts[-1] in MARKERS
    ):
        raise ValueError(f"unsafe path in site: {path!r}")
    return path


@dataclass(frozen=True, slots=True)
class Placed:
    """A page's bytes, already dealt with where they were rendered (`SiteWriter.place`):
    all the writer needs to know of them, without the bytes."""

    digest: str
    published: bool  # the output folder holds these bytes already
    repaired: bool = False  # ours, but edited or removed by hand since: put back
    written: bool = False  # written into the staging folder just now
    stat: int | None = None  # the file's `file_stat` if newly known


class SiteWriter:
    """Makes the output folder hold exactly the files added (plus files of others).

    Pages may be placed into the staging folder by other processes (`place`, after
    `prepare`, in workers forked from this one) and their `Placed` results added here
    in order; the manifest, the swap and every removal stay with this process."""

    def __init__(self, out: Path, source: Path | None = None) -> None:
        self.out = out
        self.current = check_output(out, source)
        self.shared = Shared(self.current.files)
        self.staging = _staging_tree(out, self.shared)
        self.marked = False
        self.digests: dict[str, str] = {}
        self.same_as_current: list[str] = []  # linked into staging from `out` if we swap
        self.written = 0
        self.repaired = 0

    def prepare(self) -> None:
        """Mark the staging folder incomplete before other processes write into it: a
        build stopped half-way must not leave a staging folder that says it is whole."""
        if not self.marked:
            self.staging.save(INCOMPLETE)
            for link in self.staging.carried:  # links from an earlier swap: re-linked later
                self.staging.remove(link)
            self.staging.carried = []
            self.marked = True

    def place(self, path: str, data: Content) -> Placed:
        """Write one file's bytes into the staging folder unless the output or the
        staging folder already has them.  Runs here, or in a worker after `prepare`.
        (In parts, the bytes are made twice when written: once for their digest.)"""
        safe_relative(path)
        digest = digest_of(data)
        current, staging = self.current, self.staging
        if current.holds(path, digest):
            return Placed(digest, True, stat=current.stats.get(path))
        repaired = current.files.get(path) == digest
        if staging.holds(path, digest):
            return Placed(digest, False, repaired, stat=staging.stats.get(path))
        self.prepare()
        staging.put(path, data, digest)
        return Placed(digest, False, repaired, True, staging.stats[path])

    def add(self, path: str, item: Placed) -> None:
        """The next file of the site, as `place` left it (or `Placed(digest,
        published=True)` for a page the caller found as published)."""
        safe_relative(path)
        if path in self.digests:
            raise ValueError(f"two files at {path!r}")
        path, digest = self.shared.path(path), self.shared.digest(path, item.digest)
        self.digests[path] = digest
        tree = self.current if item.published else self.staging
        if item.published:
            self.same_as_current.append(path)
        else:
            self.staging.files[path] = digest
        if item.stat is not None:
            tree.stats[path] = item.stat
        self.repaired += item.repaired
        self.written += item.written

    def finish(self) -> WriteReport:
        """Swap the completed staging folder in, unless the output is already right."""
        out, current, staging, digests = self.out, self.current, self.staging, self.digests
        changed = self.repaired + sum(
            1 for path, digest in digests.items() if current.files.get(path) != digest
        )
        removed = sum(1 for path in current.files if path not in digests)
        if out.exists() and changed == 0 and removed == 0:
            # The published site is already right: leave it alone (and staging, as it is).
            if self.marked:
                staging.save()
            current.save_stats()
            return WriteReport(len(digests), 0, 0, self.written)

        foreign = _foreign_files(out, current, digests)
        self.prepare()
        for path in self.same_as_current:
            if not staging.holds(path, digests[path]):
                self.written += staging.share(current, path, digests[path])
        for path in [p for p in staging.files if p not in digests]:
            staging.remove(path)
        staging.carried = _link_files_of_others(out, staging.root, foreign)
        staging.save()
        _swap(staging.root, out)
        _after_swap(staging.root, current, staging.carried)
        return WriteReport(len(digests), changed, removed, self.written)


def intact_tree(out: Path, known: Tree | None = None, like: Shared | None = None) -> Tree | None:
    """The tree of our site at `out` if every file of it is as its manifest says (checked
    by size and time when the manifest is read, not when it is `known`'s, unchanged);
    None if there is no site of ours or a file of it was edited or removed by hand.
    `like`: as `read_tree`'s."""
    tree = read_tree(out, known=known, like=like)
    if tree is None:
        return None
    if tree is not known and not all(tree.holds(p, d) for p, d in tree.files.items()):
        return None  # a build repairs it
    return tree


class Scratch(NamedTuple):
    """A file's new bytes, already written to a file of their own in the scratch folder
    (by a worker process, see build.py's `_Survey`): `patch_output` moves it into place
    instead of writing the bytes, which then never pass through the build's process."""

    file: Path
    digest: str  # sha256 of its bytes


def to_scratch(file: Path, data: bytes | bytearray) -> Scratch:
    """The bytes written to a new file of the scratch folder."""
    file.write_bytes(data)
    return Scratch(file, hashlib.sha256(data).hexdigest())


def scratch_folder(out: Path) -> Path:
    """Where the pages of an edit that are written in place wait until every one of them
    is made; emptied by `clear_scratch` (all in it is ours: the cache folder is)."""
    return out.parent / CACHE_FOLDER / f"{out.name}.patch"


def clear_scratch(out: Path) -> None:
    shutil.rmtree(scratch_folder(out), ignore_errors=True)


def patch_output(
    out: Path,
    files: Sequence[tuple[str, bytes | Scratch]],
    gone: Sequence[str],
    known: Tree | None = None,
    expected: Mapping[str, str] | None = None,
) -> tuple[WriteReport, Tree] | None:
    """Change a few files of the published site in place, after an edit (see patch.py
    and build.py's `_Survey`): no staging folder and no swap, whose cost grows with the
    site.
    `known`: the site's tree as the last call returned it (read again if its manifest
    changed since).  Returns what changed, and the tree as it is now; None, with
    nothing written, when there is no site of ours, a file of it is not as the manifest
    says (checked by size and time whenever the manifest is read, not `known`), a file
    `gone` is not in it (the site is not the one the caller's last build made), or a new
    file would take the place of someone else's: the caller then builds in full.
    `expected`: the new site's other files, each with the digest it must have already;
    with it, every file of the site that is in neither is gone.

    Each file is replaced atomically, but not the set of them: for an instant a reader
    may see an edited page with the search index from before.  Stopped half-way, the
    next build puts the rest right: the manifest lists a new file before it is written,
    and a file's new digest only after it is (until then its old digest and time show
    it as out of date); the files' times are not saved (the few written are hashed)."""
    tree = intact_tree(out, known)
    if tree is None:
        return None
    digests = {
        path: data.digest if isinstance(data, Scratch) else hashlib.sha256(data).hexdigest()
        for path, data in files
    }
    for path in digests:
        if path not in tree.files and _taken(out, safe_relative(path)):
            return None  # someone else's file (or folder) is there, or where a folder must be
    if any(path not in tree.files for path in gone):
        return None  # the site is not as the caller's last build left it
    if expected is not None:
        if any(tree.files.get(path) != digest for path, digest in expected.items()):
            return None  # not the site the caller's last build made
        listed = expected.keys() | digests.keys()
        gone = [*gone, *(path for path in tree.files if path not in listed)]
    changed = [(path, data) for path, data in files if not tree.holds(path, digests[path])]
    gone = [path for path in gone if path not in digests]
    if not changed and not gone:
        return WriteReport(len(tree.files), 0, 0, 0), tree
    new = [path for path, _ in changed if path not in tree.files]
    if new:
        tree.files.update((path, digests[path]) for path in new)
        tree.save(stats=False)
    temporary = out.parent / CACHE_FOLDER / f"{out.name}.patch.tmp"
    temporary.parent.mkdir(parents=True, exist_ok=True)
    for path, data in changed:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Scratch):
            ready = data.file
        else:
            temporary.write_bytes(data)
            ready = temporary
        try:
            ready.replace(target)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            # the cache folder is on another disk: not atomic
            target.write_bytes(ready.read_bytes())
        tree.files[path] = digests[path]
        stat = target.stat()
        tree.stats[path] = file_stat(stat.st_size, stat.st_mtime_ns)
    for path in gone:
        tree.remove(path)
    tree.save(stats=False)
    return WriteReport(len(tree.files), len(changed), len(gone), len(changed)), tree


def _taken(out: Path, path: str) -> bool:
    """Whether a new file at `path` would take the place of something not ours: a file or
    folder there, or a file (or a link) where one of its folders must be."""
    target = out / path
    if target.exists() or target.is_symlink():
        return True
    folder = target.parent
    while folder != out:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return True
        folder = folder.parent
    return False


def _is_stat(value: object) -> bool:
    """[size, mtime_ns], as `Tree.save_stats` writes it (a file edited by hand may not)."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(type(part) is int for part in value)  # ints, not bools
    )


_SIZE_BITS = 64
_SIZE_MASK = (1 << _SIZE_BITS) - 1


def file_stat(size: int, mtime_ns: int) -> int:
    """A file's size and time as one int, as a tree keeps them: a list of two ints took
    about 130 bytes a file, 17 MB in the build's process at 100,000 articles."""
    return mtime_ns << _SIZE_BITS | size


def _staging_tree(out: Path, like: Shared | None = None) -> Tree:
    """The staging folder: the site from before the last swap, or a new empty one."""
    staging = staging_folder(out)
    if not staging.exists():
        staging.mkdir(parents=True)
        return Tree(staging)
    tree = read_tree(staging, like=like)
    if tree is not None:
        return tree
    if _is_ours(staging):
        # A build was stopped while changing it: its files are unknown.  Everything in
        # a staging folder was made by us (or is a link we made); rename first, so that
        # a build stopped while deleting leaves no half-deleted folder behind.
        trash = _trash_folder(out)
        if trash.exists():
            _delete_tree(trash)
        staging.rename(trash)
        _delete_tree(trash)
        return _staging_tree(out, like)
    if staging.is_dir() and not any(staging.iterdir()):
        return Tree(staging)
    raise OutputError(f"{display_path(staging)}: exists and was not made by tijdlijn; move it away")


def _after_swap(old: Path, previous: Tree, carried: list[str]) -> None:
    """The swapped-out tree is the next staging folder.  It still holds the files of
    others that were linked into the new site: note them, so the next build drops them."""
    if not _is_ours(old):
        if not any(old.iterdir()):
            old.rmdir()  # the output folder was an empty folder: nothing to keep
        return
    previous.root = old
    previous.carried = sorted(set(carried) | set(previous.carried))
    previous.save()


def _foreign_files(out: Path, current: Tree, new_files: dict[str, str]) -> list[str]:
    """Files in `out` the generator did not make; OutputError if the new site needs
    their place (the same path, a folder where they are, or a file above them)."""
    if not out.exists():
        return []
    ours = current.files
    foreign = []
    root = str(out)
    for folder, _, names in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else f"{relative}/"
        for name in names:
            path = prefix + name
            if path not in ours and path not in MARKERS:
                foreign.append(path)
    if not foreign:  # as usual: no need for the new site's folders (36 MiB at 100,000)
        return []
    folders: set[str] = set()  # every folder the new site has, and those above them
    for parent in {path.rpartition("/")[0] for path in new_files}:
        parts = parent.split("/") if parent else []
        folders.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    clashes = [
        path
        for path in foreign
        if path in new_files
        or path in folders
        or any(str(parent) in new_files for parent in PurePosixPath(path).parents)
    ]
    if clashes:
        raise OutputError(
            *(
                f"{display_path(out / path)}: was not made by tijdlijn and the new site needs "
                "its place; nothing was written. Move it away or rename the article."
                for path in sorted(clashes)
            )
        )
    return sorted(foreign)


def _link_files_of_others(out: Path, staging: Path, foreign: list[str]) -> list[str]:
    """Link files of others into the new tree, so the swap leaves them in place."""
    for path in foreign:
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and os.path.samefile(out / path, target):
            continue
        target.unlink(missing_ok=True)  # an older link of ours
        try:
            os.link(out / path, target)
        except OSError:  # no hard links here: a copy (of a file, never into a folder)
            shutil.copyfile(out / path, target)
    return foreign


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` at `out` atomically; the previous `out` ends up at `staging`."""
    if not out.exists():
        staging.rename(out)
        staging.mkdir()  # an empty staging folder: the next build writes everything
        return
    if _exchange(staging, out):
        return
    # No atomic exchange on this system: three renames; `recover` finishes or undoes
    # them if the build is stopped in between.  Readers may see no site for an instant.
    backup = _backup_folder(out)
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
