"""Create the project's virtual environment, even where Python's `venv` has no pip.

Debian and Ubuntu ship `python3` without `ensurepip` unless python3-venv is installed. Then
the environment is created without pip and pip is installed from its wheel on PyPI (a wheel
can run pip from inside itself). Standard library only.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import venv
from pathlib import Path


def main(target: str) -> int:
    path = Path(target)
    python = path / "bin" / "python"
    if python.exists() and subprocess.call([python, "-m", "pip", "--version"],
                                           stdout=subprocess.DEVNULL) == 0:
        return 0
    try:
        venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(path)
        return 0
    except (subprocess.CalledProcessError, OSError) as error:
        print(f"venv with pip failed ({error}); installing pip from its wheel instead.")
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    install_pip_from_wheel(python)
    return 0


def install_pip_from_wheel(python: Path) -> None:
    """Fetch pip's newest wheel from PyPI and let it install itself into ``python``."""
    index = "https://pypi.org/pypi/pip/json"
    with urllib.request.urlopen(index, timeout=60) as response:
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["filename"].endswith(".whl"))
    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = Path(tmp) / wheel["filename"]
        url = urllib.parse.urljoin(index, wheel["url"])
        with urllib.request.urlopen(url, timeout=120) as response:
            wheel_path.write_bytes(response.read())
        subprocess.check_call([python, f"{wheel_path}/pip", "install", "--quiet", str(wheel_path)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".venv"))
