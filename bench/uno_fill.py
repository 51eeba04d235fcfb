"""Fill a ledger's 进展情况 cells inside LibreOffice through UNO, as a unit typing in Calc would, and save it.

Run with the system Python that has LibreOffice's `uno` module (Debian: apt-get install python3-uno), not the
project's virtualenv; bench/ledger_roundtrip.py calls it:

    /usr/bin/python3 bench/uno_fill.py IN.xlsx OUT.ods '{"事项4": "台账填报4"}'

The sheet 台账 has its header on row 2; the rows are found by their 工作任务.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {".ods": "calc8", ".xlsx": "Calc MS Excel 2007 XML", ".xls": "MS Excel 97"}


def _prop(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def main(source: str, target: str, texts: dict) -> None:
    pipe = f"luoshi_uno_{os.getpid()}"
    profile = tempfile.mkdtemp(prefix="luoshi-uno-")
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
         f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - NoConnectException until soffice listens
                time.sleep(0.25)
        else:
            sys.exit("LibreOffice 未能启动")
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(Path(source).resolve())), "_blank", 0,
                                                (_prop("Hidden", True),))  # fmt: skip
        sheet = document.Sheets.getByName("台账")
        headers = [sheet.getCellByPosition(c, 1).getString() for c in range(40)]
        title, progress = headers.index("工作任务"), headers.index("进展情况")
        row = 2
        while sheet.getCellByPosition(0, row).getString() or sheet.getCellByPosition(title, row).getString():
            name = sheet.getCellByPosition(title, row).getString()
            if name in texts:
                sheet.getCellByPosition(progress, row).setString(texts[name])
            row += 1
        out = Path(target).resolve()
        document.storeToURL(uno.systemPathToFileUrl(str(out)), (_prop("FilterName", FILTERS[out.suffix]),))
        document.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as soffice exits
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
