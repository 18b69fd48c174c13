"""Files written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["write_whole"]


def write_whole(target: Path, data: bytes) -> None:
    """Write *data* to *target* whole or not at all: first to a hidden file beside it (named for this process),
    then moved into place in one step.  On any failure, an interrupt (Ctrl-C) included, the hidden file is
    removed and the failure raised again; *target* is then as it was."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(partial, "wb") as out:
            out.write(data)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
