"""How well deadlines are read, on the peer suite (JioNLP's time-parser cases): through `parse`, and in a sentence.

    DEBUG=1 .venv/bin/python bench/intake_deadlines.py [--jionlp-python PATH]

The table is samples/intake-peer/jionlp-time-parser.tsv (its README gives the source); the cases with
use=yes are deadline phrases, each with JioNLP's base and the last day of its expected span. Prints, for
Luoshi's `lib/deadlines`: the share read as expected by `parse` and, inside "各乡镇要在…完成排查整治工作。",
by the intake's `propose`, against the target (≥ 95%) and the baseline (the parser before the one-finder
change, commit 6249896); its import time, memory and CPU time per phrase.

With --jionlp-python, a Python that has `jionlp` installed (say a throw-away venv: `python -m venv
/tmp/jvenv && /tmp/jvenv/bin/pip install jionlp`), the same figures for `jionlp.parse_time` and
`jionlp.ner.extract_time`, so that the engine can be chosen on figures.
"""

import argparse
import csv
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TABLE = ROOT / "samples" / "intake-peer" / "jionlp-time-parser.tsv"
TARGET = 0.95
# Measured at commit 6249896 (lib/deadlines and intake/extract's own patterns) on the same 116 cases.
BASELINE = {"parse": 37, "propose": 14, "cases": 116}
TEMPLATE = "各乡镇要在{}完成排查整治工作。"

JIONLP = r"""
import csv, json, resource, sys, time
from datetime import datetime
t0, c0 = time.perf_counter(), time.process_time()
import jionlp
t1, c1 = time.perf_counter(), time.process_time()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t") if r["use"] == "yes"]
parsed = in_text = 0
spent = 0.0
for r in rows:
    base = datetime.fromisoformat(r["base"] + "T00:00:00").timestamp()
    want = r["expected_end"][:10]
    s = time.process_time()
    try:
        got = jionlp.parse_time(r["phrase"], time_base=base)["time"][1][:10]
    except Exception:
        got = None
    spent += time.process_time() - s
    parsed += got == want
    try:
        found = jionlp.ner.extract_time(sys.argv[2].format(r["phrase"]), time_base=base, with_parsing=True)
        got = found[-1]["detail"]["time"][1][:10] if found else None
    except Exception:
        got = None
    in_text += got == want
print(json.dumps({"version": jionlp.__version__, "cases": len(rows), "parse": parsed, "text": in_text,
                  "import_wall": t1 - t0, "import_cpu": c1 - c0, "rss_mb": rss / 1024, "ms": spent / len(rows) * 1000}))
"""


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d * 100:5.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jionlp-python", help="a Python interpreter with jionlp installed")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "1")
    os.environ["TZ"] = "Asia/Shanghai"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'intake.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    from luoshi.lib.deadlines import parser as deadlines

    t1, c1 = time.perf_counter(), time.process_time()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    import django

    django.setup()
    from luoshi.intake.extract import propose
    from luoshi.intake.reading import read_text

    with TABLE.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["use"] == "yes"]
    parsed = in_text = 0
    spent = 0.0
    misses = []
    for row in rows:
        base, want = date.fromisoformat(row["base"]), date.fromisoformat(row["expected_end"][:10])
        start = time.process_time()
        got = deadlines._parse_text.__wrapped__(row["phrase"], base, deadlines._default_workdays).date
        spent += time.process_time() - start
        parsed += got == want
        document = read_text(f"一、重点工作\n{TEMPLATE.format(row['phrase'])}", name="通知.txt")
        found = propose(document, base=base).rows
        got_text = found[0].deadline.date if found and found[0].deadline else None
        in_text += got_text == want
        if got != want or got_text != want:
            misses.append(
                f"   miss  line {row['line']} {row['phrase']}: expected {want}, parse {got}, in text {got_text}"
            )
    n = len(rows)
    print(f"== Luoshi lib/deadlines on {n} deadline cases of JioNLP's time-parser tests (target ≥ {TARGET:.0%})")
    print(f"   parse            {_pct(parsed, n)}   baseline {_pct(BASELINE['parse'], BASELINE['cases'])}"
          f"   ratio {parsed / n / (BASELINE['parse'] / BASELINE['cases']):.1f}x")  # fmt: skip
    print(f"   in a sentence    {_pct(in_text, n)}   baseline {_pct(BASELINE['propose'], BASELINE['cases'])}"
          f"   ratio {in_text / n / (BASELINE['propose'] / BASELINE['cases']):.1f}x")  # fmt: skip
    print(
        f"   import           {t1 - t0:.3f} s wall, {c1 - c0:.3f} s CPU, +{(rss_after - rss_before) / 1024:.1f} MB RSS"
    )
    print(f"   parse per phrase {spent / n * 1000:.3f} ms CPU (uncached)")
    print("\n".join(misses))
    if args.jionlp_python:
        out = subprocess.run(
            [args.jionlp_python, "-c", JIONLP, str(TABLE), TEMPLATE],
            capture_output=True, text=True, env={**os.environ, "TZ": "Asia/Shanghai"}, check=True,
        )  # fmt: skip
        import json

        figures = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"== jionlp {figures['version']} on the same cases")
        print(f"   parse_time       {_pct(figures['parse'], figures['cases'])}")
        print(f"   ner.extract_time {_pct(figures['text'], figures['cases'])}")
        print(f"   import           {figures['import_wall']:.3f} s wall, {figures['import_cpu']:.3f} s CPU,"
              f" {figures['rss_mb']:.0f} MB max RSS of the process")  # fmt: skip
        print(f"   parse per phrase {figures['ms']:.3f} ms CPU")
    return 0 if parsed / n >= TARGET and in_text / n >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
