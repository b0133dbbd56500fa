"""Files a user names (conversations to ingest, the keys file, a checkpoint) are checked before
they are read: a regular file, under a size cap. A device (`/dev/zero`) would be read without
end, a FIFO would block until someone writes to it, and a huge file would be loaded whole; each
is refused with an error that says why."""

from __future__ import annotations

import stat
from pathlib import Path

from asof.graph.errors import InvalidInputError

#: The default cap on an input file (ASOF_MAX_FILE_BYTES for the CLI): 100 MB.
MAX_INPUT_BYTES = 100_000_000

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def check_input_file(path: str | Path, *, what: str = "input file",
                     max_bytes: int | None = MAX_INPUT_BYTES,
                     setting: str = "ASOF_MAX_FILE_BYTES") -> Path:
    """``path`` if it is a regular file of at most ``max_bytes``; otherwise
    :class:`InvalidInputError`. Only ``stat`` is called, so a FIFO is never opened."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise InvalidInputError(f"{what} {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
        raise InvalidInputError(f"{what} {path}: not a regular file ({kind}); asof reads "
                                "regular files only")
    if max_bytes is not None and info.st_size > max_bytes:
        raise InvalidInputError(f"{what} {path}: {info.st_size:,} bytes, over the limit of "
                                f"{max_bytes:,} bytes ({setting})")
    return path
