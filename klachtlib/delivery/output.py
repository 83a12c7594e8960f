"""Writing output files: several replaced together or not at all, every error in Dutch.

`write_all_atomic(files)` replaces a report's executed notebook and its HTML (or a year's team
pages and their index) as one change:

1. it first undoes what an earlier, killed write into the same folder left behind (see 6) and
   removes that write's temporary files, recognised by their name (`.klachten-<host>-<pid>-...`);
2. it refuses a target that is a folder before anything changes;
3. every file is written in full to a temporary file beside its target and fsynced;
4. a journal (`...journal`) lists every target and the backup of its previous version;
5. each existing target gets a backup (a hard link, so no copy), then every target is replaced
   (`os.replace`);
6. removing the journal is the commit; then the backups go. An error in 3-5 is rolled back at
   once; a kill is rolled back by the next write into that folder (step 1), so a reader never
   finds a new notebook beside an old HTML file for longer than until the next run.

Every `OSError` comes out as `write_error(path, error)`: a `RenderError` (exit 3) that says in
Dutch what is wrong (folder read-only, a file where a folder should be, disk full, a folder
where the HTML should be) without a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
import socket
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from klachtlib.errors import Problem, RenderError, system_reason
from klachtlib.reading.files import read_input_bytes

PREFIX = ".klachten-"
STALE_ELSEWHERE = 3600  # seconds: leftovers of another machine's process count as abandoned after this

_REASONS: dict[int, str] = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "uw schijfruimte (quotum) is op",
    errno.EACCES: "u hebt geen toestemming om daar te schrijven (de map is alleen-lezen)",
    errno.EPERM: "u hebt geen toestemming om daar te schrijven (de map is alleen-lezen)",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENOTDIR: "een deel van het pad is een bestand in plaats van een map",
    errno.EEXIST: "er staat een bestand waar een map moet komen",
    errno.EISDIR: "op de plaats van het bestand staat een map",
    errno.ENAMETOOLONG: "de naam van het bestand of de map is te lang",
    errno.ENOENT: "de map bestaat niet (meer)",
    errno.EIO: "de schijf gaf een lees- of schrijffout",
}


@dataclass(frozen=True)
class Written:
    """What a command wrote: the path to print last, and warnings to show the coordinator."""

    path: Path
    warnings: list[Problem] = field(default_factory=list)
    also: list[Path] = field(default_factory=list)  # further files (the PDF), printed before `path`


def write_error(path: Path, error: OSError) -> RenderError:
    """A Dutch RenderError for an error writing `path` (exit 3 in the CLI, no traceback)."""
    reason = _REASONS.get(error.errno or 0) or system_reason(error)
    return RenderError(
        f"Het rapport is niet geschreven: {path} kan niet worden geschreven, want {reason}. "
        "Eerder gemaakte bestanden zijn ongewijzigd gebleven. Kies met --output-dir een map waarin u "
        "mag schrijven en waar ruimte is, of los het probleem op en probeer het opnieuw."
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


class _Write:
    """One write_all_atomic call: its token names every temporary file it makes."""

    def __init__(self) -> None:
        self.tag = f"{PREFIX}{_HOST}-{os.getpid()}-{secrets.token_hex(4)}"

    def temp(self, path: Path, kind: str) -> Path:
        return path.parent / f"{self.tag}-{path.name}.{kind}"

    def journal(self, directory: Path) -> Path:
        return directory / f"{self.tag}.journal"


def _stage(path: Path, data: str | bytes, temp: Path) -> None:
    """Write `data` in full to `temp` (beside `path`), with `path`'s permissions."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _FILE_MODE
    os.chmod(temp, mode)


def _backup(target: Path, backup: Path) -> None:
    try:
        os.link(target, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(target, backup)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_all_atomic(files: Iterable[tuple[Path, str | bytes]], remove: Iterable[Path] = ()) -> None:
    """Replace every file and remove every file in `remove`, or change nothing: see the module's
    docstring. RenderError (Dutch) on failure. A path in `remove` that does not exist is skipped."""
    items = [(Path(path), data) for path, data in files]
    removals = [Path(path) for path in remove if os.path.lexists(path)]
    if not items and not removals:
        return
    write = _Write()
    current: Path = (items or [(removals[0], "")])[0][0]
    try:
        for path, _ in items:  # before any folder is made
            current = path
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        for directory in dict.fromkeys([*(path.parent for path, _ in items), *(p.parent for p in removals)]):
            current = directory
            directory.mkdir(parents=True, exist_ok=True)
            recover(directory)
    except OSError as error:
        raise write_error(current, error) from None

    staged: list[tuple[Path, Path, Path | None]] = []  # (target, temp, backup)
    moved = [(path, write.temp(path, "del")) for path in removals]  # (removed file, where it waits)
    journal = write.journal(current if not items else items[0][0].parent)
    replaced: list[tuple[Path, Path | None]] = []
    try:
        for path, data in items:
            current = path
            temp = write.temp(path, "tmp")
            staged.append((path, temp, write.temp(path, "bak") if path.exists() else None))
            _stage(path, data, temp)
        current = journal
        _write_journal(journal, [*((path, backup) for path, _, backup in staged), *moved])
        for path, _, backup in staged:
            current = path
            if backup is not None:
                _backup(path, backup)
        for path, temp, backup in staged:
            current = path
            os.replace(temp, path)
            replaced.append((path, backup))
        for path, waiting in moved:  # removed by a rename, so a roll-back can put it back
            current = path
            os.replace(path, waiting)
            replaced.append((path, waiting))
        for directory in dict.fromkeys([*(path.parent for path, _ in items), *(p.parent for p in removals)]):
            _fsync_dir(directory)
        journal.unlink()  # the commit: from here on, the new files stand
    except BaseException as error:
        _roll_back(replaced)
        _remove(journal)
        for _, temp, backup in staged:
            _remove(temp)
            if backup is not None:
                _remove(backup)
        if isinstance(error, OSError):
            raise write_error(current, error) from None
        raise
    for _, _, backup in staged:
        if backup is not None:
            _remove(backup)
    for _, waiting in moved:
        _remove(waiting)


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write one file via a temporary file and os.replace; RenderError (Dutch) on failure."""
    path = Path(path)
    write_all_atomic([(path, data)])
    return path


def _write_journal(journal: Path, entries: list[tuple[Path, Path | None]]) -> None:
    record = {"bestanden": [[os.fspath(p), os.fspath(b) if b else None] for p, b in entries]}
    fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(record, handle)
        handle.flush()
        os.fsync(handle.fileno())


def _roll_back(replaced: list[tuple[Path, Path | None]]) -> None:
    """Put the previous versions back (a target that did not exist is removed again)."""
    for path, backup in reversed(replaced):
        with contextlib.suppress(OSError):
            if backup is not None and backup.exists():
                os.replace(backup, path)
            elif backup is None:
                path.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _abandoned(name: str, mtime: float) -> bool:
    """Whether the file of ours called `name` belongs to a write that can no longer finish."""
    parts = name[len(PREFIX) :].split("-", 2)
    if len(parts) < 3 or not parts[1].isdigit():
        return False
    host, pid = parts[0], int(parts[1])
    if host != _HOST:
        return time.time() - mtime > STALE_ELSEWHERE
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def recover(directory: Path) -> None:
    """Undo and clean up what killed writes left in `directory` (journals first, then temp files)."""
    try:
        leftovers = sorted(p for p in directory.iterdir() if p.name.startswith(PREFIX))
    except OSError:
        return
    abandoned = []
    for path in leftovers:
        try:
            if _abandoned(path.name, path.lstat().st_mtime):
                abandoned.append(path)
        except OSError:
            continue
    for journal in (p for p in abandoned if p.name.endswith(".journal")):
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))["bestanden"]
            _roll_back([(Path(p), Path(b) if b else None) for p, b in entries])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        _remove(journal)
    for path in abandoned:
        if not path.name.endswith(".journal") and path.is_file():
            _remove(path)


# --------------------------------------------------------------------------- what the workbook wrote

# In every folder of the output tree, the list of files the workbook wrote there: the only files
# it ever replaces or removes. A file it did not write is never touched (a name clash is an error).
MANIFEST = ".bestanden-klachten.json"
_LEGACY_MANIFESTS = (".teampaginas-klachten.json",)  # the teams folder's list before 2026


def _listed(manifest: Path) -> set[str] | None:
    """The plain file names in one manifest (nothing outside its folder); None without one."""
    if not os.path.lexists(manifest):
        return None
    data, problem = read_input_bytes(manifest)  # never opens a FIFO put there
    try:
        listed = json.loads(data or b"").get("bestanden", []) if problem is None else []
    except (ValueError, AttributeError):
        listed = []
    if not isinstance(listed, list):
        return set()
    return {
        name
        for name in listed
        if isinstance(name, str)
        and name == Path(name).name
        and name not in ("", ".", "..", MANIFEST)
        and not name.startswith(PREFIX)
        and "\\" not in name
        and "/" not in name
    }


def owned_names(directory: Path) -> set[str] | None:
    """The names of the files the workbook wrote in `directory`; None when the folder has no list
    (a folder an earlier version wrote, or a new one)."""
    found: set[str] | None = None
    for name in (MANIFEST, *_LEGACY_MANIFESTS):
        listed = _listed(Path(directory) / name)
        if listed is not None and name != MANIFEST:  # the teams folder's old list held pages only
            listed = {n for n in listed if n.endswith(".html")}
        if listed is not None:
            found = (found or set()) | listed
    return found


def stale_in(directory: Path, keep: Iterable[str]) -> list[Path]:
    """The files the workbook wrote in `directory` earlier that are not in `keep` (and still there,
    and not a folder someone put there since)."""
    keep = set(keep)
    stale = []
    for name in sorted((owned_names(directory) or set()) - keep):
        path = Path(directory) / name
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                stale.append(path)
        except OSError:
            continue
    return stale


def clash_error(path: Path) -> RenderError:
    """A Dutch RenderError for a file of the user's where the workbook wants to write."""
    return RenderError(
        f"Er is niets geschreven: {path} bestaat al en is niet door de werkmap gemaakt, en de "
        "werkmap overschrijft nooit een bestand van u. Eerder gemaakte bestanden zijn ongewijzigd "
        "gebleven. Geef uw bestand een andere naam of verplaats het, of kies met --output-dir een "
        "andere map."
    )


def planned_removals(remove: Iterable[Path], earlier: Iterable[Path] = ()) -> list[Path]:
    """What `write_set(..., remove, earlier)` will remove: the paths of `remove` on their folder's
    list, and those of `earlier` that exist in a folder without a list (never a folder)."""
    removals = [Path(p) for p in remove if Path(p).name in (owned_names(Path(p).parent) or set())]
    for path in map(Path, earlier):
        unlisted = owned_names(path.parent) is None and os.path.lexists(path) and not path.is_dir()
        if unlisted and path not in removals:
            removals.append(path)
    return removals


def write_set(
    files: Iterable[tuple[Path, str | bytes]], remove: Iterable[Path] = (), earlier: Iterable[Path] = ()
) -> None:
    """`write_all_atomic` in the output tree: each folder's list of the workbook's files
    (MANIFEST) is updated in the same change, and a file that is not on a folder's list is
    never replaced (`clash_error`) or removed. A folder without a list yet (written by an
    earlier version) gets one; there a file of the same name counts as the workbook's own, and
    `earlier` (exact names earlier versions wrote, such as the executed notebook beside the page)
    is removed too."""
    items = [(Path(path), data) for path, data in files]
    removals = planned_removals(remove, earlier)
    directories = dict.fromkeys([*(p.parent for p, _ in items), *(p.parent for p in removals)])
    manifests: list[tuple[Path, str | bytes]] = []
    legacy: list[Path] = []
    for directory in directories:
        owned = owned_names(directory)
        written = {p.name for p, _ in items if p.parent == directory}
        gone = {p.name for p in removals if p.parent == directory}
        if owned is not None:
            for path, _ in items:
                if path.parent == directory and path.name not in owned and os.path.lexists(path):
                    raise clash_error(path)
        names = sorted(((owned or set()) | written) - gone)
        manifests.append(
            (directory / MANIFEST, json.dumps({"bestanden": names}, ensure_ascii=False, indent=1) + "\n")
        )
        legacy += [directory / name for name in _LEGACY_MANIFESTS if os.path.lexists(directory / name)]
    write_all_atomic([*manifests, *items], [*removals, *legacy])
