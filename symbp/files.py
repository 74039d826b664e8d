"""Reading the user's files and writing ``-o FILE``: the one place symbp touches the file system.

Reading (:func:`read_text`): a file, a named pipe or standard input (``-``) is read as at
most ``limit + 1`` bytes — ``-f /dev/zero`` stops after a few megabytes instead of filling
memory — then decoded as strict UTF-8; an invalid byte is named with its offset.  A named
pipe that no program writes to does not hang symbp: it waits :data:`FIFO_WAIT` seconds for
data and then says so.

Writing (:class:`OutputFile`) follows what careful tools do (coreutils, vim's
``backupcopy=auto``):

- only a regular file or a new path is written; a device, directory, named pipe or socket
  is refused (``-o -`` is standard output; ``> /dev/null`` discards);
- a symbolic link is followed: its target is written and the link kept;
- an input of the same run (``-f``, ``--spec``) is never overwritten, however it is named
  (the same device and inode: through a symlink or a hard link too);
- the whole output is produced before the file is touched, then written to a temporary
  file in the target's folder with the target's permission bits and renamed over it: a
  failure at any point leaves the old file as it was.  Renaming would silently split a
  file with several hard links (the other names would keep the old text) or hand the
  file to a new owner, so such a file is written in place instead, after the space for
  the new content has been reserved (``posix_fallocate``) — a full disk is then noticed
  before the old content is touched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import stat
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import SymbpError

__all__ = ["FIFO_WAIT", "STDIO", "OutputFile", "display_path", "read_bytes", "read_text",
           "size_text"]

STDIO = "-"
"""The path that means standard input (reading) or standard output (writing)."""

FIFO_WAIT = 10.0
"""Seconds to wait for data from a named pipe before giving up."""

_CHUNK = 1 << 16


def display_path(path: str | os.PathLike) -> str:
    """A path as a message shows it: bytes that are not UTF-8 as ``\\xff`` escapes."""
    text = os.fspath(path)
    if text == STDIO:
        return "standard input"
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    # a newline or an escape sequence in a file name must not break the one-line message
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)


def read_bytes(path: str | os.PathLike, *, limit: int, note: str = "") -> bytes:
    """The bytes of ``path`` (``"-"``: standard input), at most ``limit``.

    Every problem is a one-line :class:`SymbpError` naming the file: missing, a folder,
    too big (``limit`` is named, with ``note`` saying why), a named pipe without a writer.
    """
    if not os.fspath(path):
        raise SymbpError("the file name is empty")
    shown = display_path(path)
    try:
        if os.fspath(path) == STDIO:
            data = _read_limited(sys.stdin.buffer.read, limit)
        else:
            data = _read_path(os.fspath(path), limit, shown)
    except OSError as exc:
        raise SymbpError(f"cannot read {shown}: {_reason(exc)}") from None
    if len(data) > limit:
        raise SymbpError(f"cannot read {shown}: more than {limit:,} bytes, the limit"
                         + (f" for {note}" if note else ""))
    return data


def read_text(path: str | os.PathLike, *, limit: int, note: str = "") -> str:
    """The UTF-8 text of ``path`` (``"-"``: standard input), at most ``limit`` bytes.

    Every problem is a one-line :class:`SymbpError` naming the file: missing, a folder,
    too big (``limit`` is named, with ``note`` saying why), not UTF-8 (the offset of the
    first bad byte), a named pipe without a writer.
    """
    data = read_bytes(path, limit=limit, note=note)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SymbpError(f"cannot read {display_path(path)}: it is not UTF-8 text (byte "
                         f"0x{data[exc.start]:02x} at offset {exc.start:,}, line {line})") from None


def _read_path(path: str, limit: int, shown: str) -> bytes:
    # O_NONBLOCK: opening a named pipe must not wait for a writer that never comes
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise OSError(errno.EISDIR, "it is a folder")
        if stat.S_ISFIFO(mode):
            return _read_fifo(fd, limit, shown)
        os.set_blocking(fd, True)
        return _read_limited(lambda size: os.read(fd, size), limit)
    finally:
        os.close(fd)


def _read_limited(read: Callable[[int], bytes], limit: int) -> bytes:
    """At most ``limit + 1`` bytes: one more than allowed is enough to refuse."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _read_fifo(fd: int, limit: int, shown: str) -> bytes:
    """A named pipe: read until its writers close it, waiting at most FIFO_WAIT for data."""
    chunks: list[bytes] = []
    size = 0
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    while size <= limit:
        if not poll.poll(FIFO_WAIT * 1000):
            raise SymbpError(f"cannot read {shown}: a named pipe that nothing wrote to for "
                             f"{FIFO_WAIT:g} seconds")
        try:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
        except BlockingIOError:
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _reason(exc: OSError) -> str:
    reasons = {errno.ENOENT: "no such file", errno.EISDIR: "it is a folder",
               errno.EACCES: "permission denied", errno.ELOOP: "too many levels of symbolic "
               "links", errno.ENOTDIR: "a part of the path is not a folder"}
    return reasons.get(exc.errno, exc.strerror or str(exc))  # type: ignore[arg-type]


def size_text(size: int) -> str:
    """``812 bytes``, ``14 KB``, ``2.5 MB``: a file size for a person (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}" if size < 10 else f"{size:.0f} {unit}"
    raise AssertionError("unreachable")


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISSOCK, "a socket"))


@dataclass(frozen=True)
class OutputFile:
    """Where ``-o FILE`` writes, checked before any work is done and again when writing.

    ``path`` is what the user typed; ``target`` the file really written (symbolic links
    followed); ``inputs`` the files this run reads, which must not be overwritten.
    """

    path: Path
    target: Path
    inputs: tuple[Path, ...] = ()

    @classmethod
    def check(cls, path: str | os.PathLike, inputs: tuple[str | os.PathLike | None, ...] = ()
              ) -> OutputFile:
        """The checked output file, or a :class:`SymbpError` saying why ``path`` cannot be one."""
        if not os.fspath(path):
            raise SymbpError("-o: the file name is empty")
        path = Path(path)
        shown = display_path(path)
        try:
            target = _follow(path)
        except OSError as exc:
            raise SymbpError(f"cannot write {shown}: {_reason(exc)}") from None
        folder = target.parent
        if not folder.is_dir():
            raise SymbpError(f"cannot write {shown}: the folder {display_path(folder)} does "
                             "not exist")
        output = cls(path, target, tuple(Path(p) for p in inputs
                                         if p is not None and os.fspath(p) != STDIO))
        output._refuse_clobbering()
        return output

    def _refuse_clobbering(self) -> None:
        """Only a regular file or a new path, and never an input of this run."""
        shown = display_path(self.path)
        try:
            info = os.stat(self.target)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise SymbpError(f"cannot write {shown}: {_reason(exc)}") from None
        for test, kind in _KINDS:
            if test(info.st_mode):
                hint = (" (-o - writes to standard output)" if kind.endswith("device")
                        else "")
                raise SymbpError(f"cannot write {shown}: it is {kind}, not a regular file"
                                 f"{hint}")
        for source in self.inputs:
            try:
                same = os.path.samestat(os.stat(source), info)
            except OSError:
                continue
            if same:
                via = "" if os.path.abspath(source) == os.path.abspath(self.path) else (
                    f" ({shown} and {display_path(source)} are the same file)")
                raise SymbpError(f"cannot write {shown}: it is an input of this run{via}; "
                                 "choose another output file")

    def write(self, data: str | bytes) -> int:
        """Write the whole ``data`` (text as UTF-8) or leave the file as it was; the size."""
        self._refuse_clobbering()  # again: things may have changed while symbp worked
        payload = data.encode("utf-8") if isinstance(data, str) else data
        try:
            old = os.stat(self.target)
        except FileNotFoundError:
            old = None
        try:
            if old is not None and (old.st_nlink > 1 or old.st_uid != os.geteuid()):
                _write_in_place(self.target, payload)
            else:
                _replace(self.target, payload, old)
        except OSError as exc:
            raise SymbpError(f"cannot write {display_path(self.path)}: {_reason(exc)}"
                             ) from None
        return len(payload)


def _follow(path: Path) -> Path:
    """The file a path names, symbolic links followed; a dangling link is refused
    (as ``cp`` does: writing through it would create a file somewhere unexpected)."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if not target.exists():
        with contextlib.suppress(FileNotFoundError):
            os.stat(path)
        # any other error (ELOOP: a loop of links) says it better than "does not exist"
        raise SymbpError(f"cannot write {display_path(path)}: it is a symbolic link to "
                         f"{display_path(target)}, which does not exist")
    return target


def _replace(target: Path, payload: bytes, old: os.stat_result | None) -> None:
    """A temporary file in the same folder, with the old file's permissions, renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            # mkstemp makes 0600: keep the old file's mode, or a new file's usual 0666 - umask
            os.fchmod(stream.fileno(), stat.S_IMODE(old.st_mode) if old is not None
                      else 0o666 & ~_umask())
            if old is not None and old.st_gid != os.getegid():
                # not a member of that group: the file gets ours, as with cp
                with contextlib.suppress(OSError):
                    os.fchown(stream.fileno(), -1, old.st_gid)
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_in_place(target: Path, payload: bytes) -> None:
    """Overwrite the file itself (its inode, so hard links and owner stay), space reserved
    first so that a full disk is noticed before the old content is touched."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        if payload and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(fd, 0, len(payload))
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL):
                    raise
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(payload))
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
