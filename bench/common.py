"""What the benchmarks share: where the repository is, the machine they ran on, and the ``crg`` to run.

Nothing printed from here names an absolute path of the machine: paths inside the
repository are shown relative to it (``.venv/bin/crg``), and the interpreter by its version.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def shown(path: str | Path) -> str:
    """*path* relative to the repository, or only its name when it lies outside it."""
    path = Path(path)
    try:
        return str(Path(os.path.abspath(path)).relative_to(ROOT))
    except ValueError:
        return path.name


def crg_command() -> list[str]:
    """The ``crg`` console script of this Python (the venv's), else one on PATH, else this Python running it."""
    beside = Path(sys.executable).parent / "crg"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("crg")
    if found:
        return [found]
    return [sys.executable, "-c", "from engine.cli import main; main()"]


def python_version() -> str:
    """``CPython 3.11.7``."""
    return f"{platform.python_implementation()} {platform.python_version()}"


def machine() -> dict[str, Any]:
    """The platform, interpreter, CPU, versions, commit, date and load average of this run."""
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "?"

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = None
    return {
        "platform": platform.platform(),
        "python": python_version(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "durable_rules": version("durable-rules"),
        "crg": version("crg"),
        "commit": commit(),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average_start": load_average(),
    }


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "?"


def commit() -> str | None:
    """The checked-out commit, read from .git (git itself is not run); a worktree's .git file is followed."""
    git = ROOT / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>", whose refs live in the common folder
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        common = Path((git / "commondir").read_text().strip()) if (git / "commondir").exists() else Path(".")
        common = common if common.is_absolute() else git / common
        for place in (git, common):
            if (place / ref).exists():
                return (place / ref).read_text().strip()[:12]
            packed = place / "packed-refs"
            if packed.exists():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0][:12]
    except OSError:
        pass
    return None
