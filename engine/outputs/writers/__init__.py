"""Writers of the recommendation document: one module per format, each reading only the document.

:func:`write` picks the writer by the file's extension (``.html``, ``.docx``,
``.xlsx``, ``.md``), renders the whole file in memory and then puts it in
place: it is written beside the target under another name and renamed, so a
reader never sees half a file and a failure leaves nothing behind.  Each
writer module has ``render(doc, progress=None) -> bytes``; they are imported
only when used.  *progress*, if given, is called with ``(done, total)`` as the
document's blocks are written (see :func:`steps`).
"""

from __future__ import annotations

import importlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...files import write_whole

__all__ = ["FORMATS", "check_target", "render", "steps", "write"]

Progress = Callable[[int, int], None]

# extension -> writer module (in this package)
FORMATS = {".html": "html", ".docx": "docx", ".xlsx": "xlsx", ".md": "markdown"}


def check_target(path: str, flag: str = "-o") -> Path:
    """*path* as a file a writer can make: a known extension, in a folder that exists; else an :class:`InputError`."""
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise InputError(f"'{target.suffix or target.name}' is not a format crg can write", file=path, field=flag,
                         fix="end the file name in " + ", ".join(FORMATS))
    folder = target.parent
    if not folder.is_dir():
        raise InputError("the folder does not exist", file=path, field=flag,
                         fix=f"make the folder {str(folder)!r} first, or write somewhere else")
    if target.is_dir():
        raise InputError("is a folder, not a file", file=path, field=flag, fix="give the name of a file to write")
    return target


def render(doc: dict[str, Any], fmt: str, progress: Progress | None = None) -> bytes:
    """The whole file of *doc* in *fmt* (a key of :data:`FORMATS` or its name without the dot); *progress* as
    for :func:`write`."""
    module = FORMATS.get(fmt) or FORMATS.get(f".{fmt}")
    if module is None:
        raise ValueError(f"no writer for {fmt!r}")
    return importlib.import_module(f"{__name__}.{module}").render(doc, progress)


def write(doc: dict[str, Any], path: str, progress: Progress | None = None) -> None:
    """Write *doc* to *path*, in the format its extension names, never leaving a half-written file.

    *progress*, if given, is called with ``(done, total)`` as the blocks of the document are written (a large
    round's Word document takes seconds)."""
    target = check_target(path)
    data = render(doc, target.suffix.lower(), progress)
    try:
        write_whole(target, data)
    except OSError as exc:
        raise InputError(f"cannot be written ({exc.strerror})", file=path, field="-o",
                         fix="give a path in a folder that can be written") from None


def steps(progress: Progress | None, total: int) -> Callable[[], None]:
    """A step counter for a writer: each call is one step done of *total*, reported to *progress* (if given) as
    ``(done, total)``."""
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(min(done, total), total)

    return step


def steady_zip(data: bytes, rewrite=None) -> bytes:
    """A zip (an Office file) rewritten with every entry dated 1980-01-01, in its order, so that the same content
    gives the same bytes (the libraries date each entry with the time it was written).

    *rewrite*, if given, is called with each entry's name and content and returns the content to keep.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = source.read(info.filename)
            target.writestr(entry, rewrite(info.filename, content) if rewrite else content)
    return out.getvalue()
