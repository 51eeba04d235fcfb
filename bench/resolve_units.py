"""How fast unit names resolve, as the ledger import will call unit_resolve for every cell.

Baseline: unit_resolve(text) with no directory, which loads the directory
from the database on every call. Luoshi's way: one UnitDirectory loaded once
and passed to every call. Prints both rates and the ratio.

    DEBUG=1 .venv/bin/python bench/resolve_units.py [--names 20000]

Runs against a throw-away SQLite database under var/bench/ with the demo county.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'resolve.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from luoshi.org.demo import demo_load  # noqa: E402
from luoshi.org.models import Unit, UnitAlias  # noqa: E402
from luoshi.org.services import UnitDirectory, unit_resolve  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=20_000, help="names resolved with the directory")
    parser.add_argument("--baseline-names", type=int, default=500, help="names resolved the slow way")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    demo_load()
    written = [unit.name for unit in Unit.objects.all()]
    written += [f"县{unit.short_name}" for unit in Unit.objects.all() if unit.short_name]
    written += list(UnitAlias.objects.values_list("alias", flat=True))
    written += ["各乡镇", "县直各单位", "县国土资源规划局", "项目单位"]
    rng = random.Random(2022)

    names = [rng.choice(written) for _ in range(args.baseline_names)]
    started = time.perf_counter()
    for name in names:
        unit_resolve(name)
    baseline = len(names) / (time.perf_counter() - started)

    names = [rng.choice(written) for _ in range(args.names)]
    started = time.perf_counter()
    directory = UnitDirectory.load()
    for name in names:
        unit_resolve(name, directory=directory)
    shared = len(names) / (time.perf_counter() - started)

    print(f"units in directory:              {Unit.objects.count()}")
    print(f"baseline (directory per call):   {baseline:10,.0f} names/s")
    print(f"one shared UnitDirectory:        {shared:10,.0f} names/s")
    print(f"ratio:                           {shared / baseline:10.1f}x")


if __name__ == "__main__":
    main()
