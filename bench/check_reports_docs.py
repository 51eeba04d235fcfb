"""The old name of bench/check_officedoc.py, kept so that existing notes and commands still work.

.venv/bin/python bench/check_reports_docs.py     # same as: .venv/bin/python bench/check_officedoc.py
"""

import runpy
from pathlib import Path

if __name__ == "__main__":
    runpy.run_path(str(Path(__file__).with_name("check_officedoc.py")), run_name="__main__")
