"""Re-saving a file through LibreOffice headless, as a unit whose spreadsheet program it is would.

Each call starts /usr/bin/soffice once (about three seconds) with a profile of its own, so that runs in
parallel do not share LibreOffice's lock."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = "/usr/bin/soffice"


def resave(data: bytes, *, suffix: str, to: str) -> bytes:
    """`data` (a .xlsx, say) opened and saved again by LibreOffice as `to` (xls, ods)."""
    soffice = shutil.which("soffice") or SOFFICE
    with tempfile.TemporaryDirectory(prefix="luoshi-lo-") as tmp:
        folder = Path(tmp)
        source = folder / f"台账{suffix}"
        source.write_bytes(data)
        out = folder / "out"
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", to,
             "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        return (out / f"台账.{to}").read_bytes()
