"""`make wheelhouse` builds every wheel Luoshi needs; an intranet installs them with no index."""

import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.wheelhouse
def test_luoshi_installs_from_the_wheelhouse_with_no_package_index(tmp_path):
    wheelhouse = tmp_path / "wheelhouse"
    subprocess.run(
        ["make", "wheelhouse", f"WHEELHOUSE={wheelhouse}"], cwd=ROOT, check=True, capture_output=True, timeout=900
    )
    assert any(wheelhouse.glob("Django-*.whl")) or any(wheelhouse.glob("django-*.whl"))

    target = tmp_path / "offline-venv"
    venv.create(target, with_pip=True)
    # No index, no find-links from this machine's pip configuration: only the wheelhouse.
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1"}
    env.pop("PIP_FIND_LINKS", None)
    env.pop("PIP_EXTRA_INDEX_URL", None)
    env.pop("PIP_INDEX_URL", None)
    subprocess.run(
        [target / "bin" / "pip", "install", "--no-index", "--find-links", wheelhouse, "-r", ROOT / "requirements.txt"],
        check=True, capture_output=True, timeout=600, env=env,
    )  # fmt: skip
    check = subprocess.run(
        [target / "bin" / "python", "manage.py", "check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ["PATH"], "DEBUG": "1", "LUOSHI_VAR_DIR": str(tmp_path / "var")},
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout
