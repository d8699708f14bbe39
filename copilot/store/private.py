"""Files only their owner can read: the calls, the settings, the reports and tables a rep writes.

A call's transcript holds what a buyer said in confidence: names, numbers, plans. On a
computer with several accounts and the usual umask of 022, a file made the ordinary way is
readable by every other account (the data folder came out ``drwxr-xr-x`` and ``sessions.db``
``-rw-r--r--``). Everything the copilot writes goes through here instead:

- folders are made ``0700`` (missing parents too, as the XDG base-directory spec asks);
- files are made ``0600`` from the moment they exist (never created readable, then tightened),
  written beside their name and renamed into place, so a reader never sees half a file and a
  failed write leaves the earlier file as it was;
- the app's own folders (data and config), made readable by an older version, are tightened
  on start (:func:`tighten_app_folders`), once: afterwards there is nothing left to tighten.

SQLite makes a database's ``-wal`` and ``-shm`` files with the database file's own mode, so a
database created ``0600`` has private companions (checked in the tests); the store still
tightens them after opening, for files an older version left behind. On Windows the modes
do little (files under the user's profile are private by its ACL); nothing here fails there.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["APP_NAME", "OWNER_DIR", "OWNER_FILE", "data_folder", "config_folder", "private_dir", "private_file",
           "write_private_text", "write_private_bytes", "open_private_stream", "open_private_binary", "create_private",
           "tighten", "tighten_app_folders"]

APP_NAME = "live-call-copilot"
OWNER_DIR = 0o700
OWNER_FILE = 0o600
_OTHERS = 0o077  # group and other permission bits: none of them should be set


def data_folder() -> Path:
    """The user's data folder of the app, where the calls are kept (~/.local/share/live-call-copilot on Linux)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_folder() -> Path:
    """The user's config folder of the app, where settings.toml is kept (~/.config/live-call-copilot on Linux)."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def private_dir(folder: str | Path) -> Path:
    """``folder``, made if missing with every missing parent, each readable by its owner only (0700).

    A folder that already exists is left as it is (it may be the rep's own, shared on
    purpose); the app's own folders are tightened by :func:`tighten_app_folders`. Raises
    OSError (NotADirectoryError when ``folder`` is a file)."""
    folder = Path(folder)
    missing: list[Path] = []
    p = folder
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=OWNER_DIR)
        except FileExistsError:
            continue  # made meanwhile by another process: theirs to decide
        os.chmod(d, OWNER_DIR)  # mkdir's mode passes through the umask; an odd umask could take the owner's bits
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", str(folder))
    return folder


def create_private(path: str | Path) -> bool:
    """Make ``path`` as an empty file readable by its owner only, if it is not there; True if it was made.

    The session store makes its database file this way before SQLite opens it (SQLite would
    make it 0644 under the usual umask, and its -wal and -shm files after it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), OWNER_FILE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


@contextmanager
def private_file(target: str | Path) -> Iterator[IO[bytes]]:
    """A new file, mode 0600 from its creation, renamed to ``target`` once written whole (raises OSError).

    The temporary file sits beside ``target`` (a rename never crosses file systems) under a
    hidden name of its own; it is removed if the write fails or is interrupted."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(3)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), OWNER_FILE)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` whole, owner-only (raises OSError); returns the path written."""
    with private_file(target) as out:
        out.write(data)
    return Path(target)


def write_private_text(target: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` whole, owner-only (raises OSError); returns the path written."""
    return write_private_bytes(target, text.encode("utf-8"))


def open_private_stream(target: str | Path) -> IO[str]:
    """``target`` opened for writing text as it comes (an event log), emptied, owner-only (raises OSError).

    Not renamed into place: it is read while it is written (``tail -f``)."""
    return os.fdopen(_private_fd(target), "w", encoding="utf-8")


def open_private_binary(target: str | Path) -> IO[bytes]:
    """``target`` opened for writing bytes as they come (a kept call's audio), emptied, owner-only (raises
    OSError)."""
    return os.fdopen(_private_fd(target), "wb")


def _private_fd(target: str | Path) -> int:
    """A file descriptor to write ``target`` from its start; a file that was there keeps its inode, so its
    mode is set again."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), OWNER_FILE)
    if hasattr(os, "fchmod"):
        try:
            os.fchmod(fd, OWNER_FILE)
        except OSError:
            pass  # not ours (another account's file we may write to): its mode is theirs
    return fd


def tighten(path: str | Path, mode: int | None = None) -> bool:
    """Take group and other permissions off ``path`` (a folder to 0700, a file to 0600 unless ``mode``);
    True if it was changed. A path that is gone or not ours is left alone."""
    try:
        st = os.stat(path)
        if not st.st_mode & _OTHERS:
            return False
        os.chmod(path, mode if mode is not None else OWNER_DIR if os.path.isdir(path) else OWNER_FILE)
    except OSError:
        return False
    return True


def tighten_app_folders(folders: tuple[Path, ...] | None = None) -> str | None:
    """Make the app's data and config folders (and everything in them) owner-only; a sentence if anything
    had to change (an older version made them readable by other accounts), None if nothing did.

    Run on every start: it costs a stat a file, and says something only the first time."""
    folders = folders if folders is not None else (data_folder(), config_folder())
    changed: list[Path] = []
    files = 0
    for top in folders:
        if not top.is_dir():
            continue
        touched = tighten(top)
        for root, dirs, names in os.walk(top):
            for d in dirs:
                touched = tighten(Path(root) / d) or touched
            for n in names:
                if tighten(Path(root) / n):
                    touched = True
                    files += 1
        if touched:
            changed.append(top)
    if not changed:
        return None
    where = " and ".join(str(p) for p in changed)
    return (f"Your calls and settings in {where} were readable by other accounts on this computer (made by an "
            f"earlier version); they are yours only now ({files} file{'s' if files != 1 else ''} tightened).")
