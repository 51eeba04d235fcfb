"""A clone of the repository in a folder with no project shared folder beside it still runs the tests that read samples."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_reads_outside_the_repository(tmp_path):
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    copy = tmp_path / "alone" / "luoshi-copy"
    for name in filter(None, files):
        source = ROOT / os.fsdecode(name)
        if not source.is_file():
            continue
        target = copy / os.fsdecode(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    assert not (copy.parent.parent / "shared").exists()

    # The sample-reading tests of the ledger, run from the copy with the same interpreter.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/alone.sqlite3", "LUOSHI_VAR_DIR": str(tmp_path / "var")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "luoshi/ledger/tests/test_preview.py", "-k", "sample"],
        cwd=copy, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout
