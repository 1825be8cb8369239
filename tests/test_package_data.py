"""What the library reads at run time ships in its wheel: every file beside the code under the
packages (models, their cards, templates) matches a `package-data` pattern in pyproject.toml.
A file left out is found only by an install from the wheel, at its first start."""

from __future__ import annotations

import subprocess
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "api")


def _shipped(path: str, package_data: dict[str, list[str]]) -> bool:
    for package, patterns in package_data.items():
        folder = package.replace(".", "/") + "/"
        if path.startswith(folder):
            inside = path[len(folder) :]
            if any(fnmatch(inside, pattern) for pattern in patterns):
                return True
    return False


def test_every_data_file_under_the_packages_ships_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    tracked = subprocess.run(
        ["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    data = [p for p in tracked if not p.endswith((".py", ".pyi", "/README.md", ".typed"))]
    assert data  # the listing itself worked
    assert [p for p in data if not _shipped(p, package_data)] == []
