"""How well the document intake finds a speech's requirements, against a hand annotation.

    DEBUG=1 .venv/bin/python bench/intake_quality.py [--doc PATH --gold PATH] [--date YYYY-MM-DD]

By default it runs on both forms of the sample speech (the scraped .txt and the .docx) against
samples/speech-2022-work-deployment.requirements.json, then on every annotated document of
samples/intake-genres/ (work plans, minutes: each *.requirements.json names its file, date and genre;
those marked "real" are published texts with their source; the first four tuned the rules, the next three
were annotated before the intake was run on them and measured held out, then tuned on too; a second round of five
(华容, 开江, 临澧, 太白, 衡东) was annotated first and measured held out with the rules unchanged, then tuned on;
three more rounds of five were each annotated first, measured held out with the rules unchanged and then tuned on,
see samples/intake-genres/README.md),
with the demo county's directory in a throw-away SQLite database under var/bench/. Definitions and
targets: luoshi/intake/quality.py (the speech: recall ≥ 90%, precision ≥ 85%; each genre: recall
≥ 90%, precision ≥ 80%). Prints recall, precision and units for each document with the targets and the
baseline (the intake before issue 14's second round; for a held-out text, what the rules reached on it before
they were changed after seeing it), the missed anchors and the rows that match no item; with both forms of the
speech, also whether they cover the same items; then each genre's totals, which the exit status follows (0 when
the speech and each genre meet their targets).
"""

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'intake.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from luoshi.intake.extract import propose  # noqa: E402
from luoshi.intake.mentions import Scanner  # noqa: E402
from luoshi.intake.quality import (  # noqa: E402
    TARGET_GENRE_PRECISION,
    TARGET_PRECISION,
    TARGET_RECALL,
    TARGET_UNITS,
    load_gold,
    score,
)
from luoshi.intake.reading import read_upload  # noqa: E402
from luoshi.org.demo import demo_load  # noqa: E402
from luoshi.org.models import Unit  # noqa: E402
from luoshi.testing import SAMPLES  # noqa: E402

SPEECH = "speech-2022-work-deployment"
# The speech was given early in 2022; the tests freeze the clock at this day.
SAMPLE_DATE = date(2022, 3, 15)


def _pct(value: float) -> str:
    return f"{value * 100:5.1f}%"


GENRES = SAMPLES / "intake-genres"
# Measured with the intake at commit 6249896 (before issue 14's second round): recall, precision, rows.
BASELINE = {
    "speech-2022-work-deployment.scraped.txt": (1.0, 0.775, 40),
    "speech-2022-work-deployment.reconstructed.docx": (1.0, 0.775, 40),
    "plan-2023-rural-living-environment.txt": (10 / 16, 11 / 16, 16),
    "plan-2023-safety-inspection.txt": (9 / 11, 11 / 13, 13),
    "minutes-2023-executive-meeting.txt": (9 / 10, 9 / 10, 10),
    "minutes-2023-supervision-meeting.txt": (6 / 6, 6 / 11, 11),
    # Real published texts, annotated after the rules were written (held out), measured at commit d519121.
    "plan-2018-government-website-consolidation.real.txt": (14 / 18, 21 / 28, 28),
    "plan-2019-drug-centralised-procurement.real.txt": (14 / 27, 22 / 30, 30),
    "minutes-2023-zhongshan-urban-rural-task-force.real.txt": (4 / 4, 4 / 4, 4),
    "minutes-wangcang-county-special-meeting.real.txt": (6 / 8, 6 / 6, 6),
    # Real published texts found after the rules were tuned on the four above, annotated (commit d21954b) before the
    # intake was run on them: the honest held-out figures, measured at that commit. The rules were changed after
    # seeing them (samples/intake-genres/README.md), so what the bench prints for them now is no longer held out.
    "plan-county-four-disorders-cleanup.real.txt": (1 / 4, 2 / 3, 3),
    "plan-fuyu-rural-environment-supervision-notice.real.txt": (6 / 8, 7 / 8, 8),
    "minutes-shenqiu-county-weekly-meeting.real.txt": (8 / 18, 8 / 9, 9),
    # A second held-out round: real texts found after the rules were tuned on all seven above, annotated (commit
    # 1b26386) before the intake was run on them, measured with the intake of e3621bb, rules unchanged. Held out
    # for as long as the rules are not changed after seeing them.
    "plan-2021-huarong-county-key-work-tasks.real.txt": (5 / 5, 7 / 9, 9),
    "minutes-2019-kaijiang-county-executive-meeting.real.txt": (3 / 5, 3 / 3, 3),
    "minutes-linli-county-executive-meeting.real.txt": (4 / 12, 4 / 5, 5),
    "minutes-2020-taibai-county-executive-meeting.real.txt": (3 / 9, 3 / 3, 3),
    # Annotated in commit 31dd266, measured the same way.
    "minutes-2020-hengdong-county-executive-meeting.real.txt": (6 / 11, 7 / 7, 7),
    # Third held-out round, annotated in dea2669, measured with the rules of 8d9fbb0.
    "minutes-2018-danling-county-executive-meeting.real.txt": (6 / 10, 6 / 6, 6),
    "minutes-2021-taibai-county-head-office-meeting.real.txt": (11 / 12, 14 / 14, 14),
    "minutes-lushan-county-housing-rebuild-meeting.real.txt": (6 / 8, 6 / 7, 7),
    "plan-2020-sanmenxia-lingbao-empowerment.real.txt": (2 / 3, 3 / 6, 6),
    "plan-2021-chengbu-county-employment-workshops.real.txt": (2 / 5, 3 / 6, 6),
    # Fourth held-out round, annotated in b440070, measured with the rules of d630679.
    "minutes-2022-dongan-county-extreme-weather-meeting.real.txt": (6 / 9, 6 / 8, 8),
    "minutes-2024-xingxian-county-executive-meeting.real.txt": (4 / 7, 5 / 7, 7),
    "plan-2008-hekou-county-four-systems-inspection.real.txt": (3 / 8, 3 / 3, 3),
    "plan-2023-shengsi-county-key-work-responsibilities.real.txt": (5 / 7, 5 / 7, 7),
    "plan-2023-xixiang-county-work-report-task-notice.real.txt": (4 / 6, 6 / 7, 7),
    # Fifth held-out round, annotated in 8b1f06a, measured with the rules of 5a4bc4a.
    "minutes-2020-puyang-county-weekly-meeting.real.txt": (9 / 17, 9 / 11, 11),
    "minutes-2023-yangxian-county-executive-meeting.real.txt": (8 / 10, 11 / 12, 12),
    "minutes-2025-yongshou-county-head-office-meeting.real.txt": (10 / 14, 11 / 11, 11),
    "plan-2022-tongshan-county-key-work-tasks-notice.real.txt": (3 / 6, 3 / 3, 3),
    "plan-2023-jingxian-county-work-report-task-notice.real.txt": (4 / 9, 4 / 4, 4),
    # Sixth held-out round, annotated in 488edc1, measured with the rules of 4ec7fa5.
    "minutes-2018-daoxian-county-executive-meeting.real.txt": (5 / 9, 10 / 13, 13),
    "minutes-2024-huitong-county-executive-meeting.real.txt": (5 / 6, 6 / 7, 7),
    "minutes-2024-xinfeng-county-farmland-rectification-meeting.real.txt": (4 / 8, 5 / 7, 7),
    "plan-2017-yuncheng-emergency-system-responsibilities.real.txt": (5 / 5, 5 / 7, 7),
    "plan-2021-jiayu-county-key-work-responsibilities.real.txt": (4 / 9, 4 / 6, 6),
}


def run(
    doc: Path, gold: Path, base: date, scanner: Scanner, *, verbose: bool = True, precision_target=None, minutes=False
):
    document = read_upload(doc.name, doc.read_bytes())
    proposal = propose(document, base=base, scanner=scanner, minutes=minutes)
    result = score(proposal.rows, load_gold(gold), list(Unit.objects.active()))
    target = TARGET_PRECISION if precision_target is None else precision_target
    before = BASELINE.get(doc.name)
    was = f"  baseline recall {_pct(before[0])}, precision {_pct(before[1])}, {before[2]} rows" if before else ""
    print(f"== {doc.name}  ({len(document.paragraphs)} paragraphs, {document.chars} chars, {result.rows} rows){was}")
    print(f"   recall     {_pct(result.recall)}  target ≥ {_pct(TARGET_RECALL)}  ({result.must - len(result.missed)}/{result.must} must items)")  # fmt: skip
    print(f"   precision  {_pct(result.precision)}  target ≥ {_pct(target)}")
    result.target_precision = target
    print(f"   units      {_pct(result.units)}  target ≥ {_pct(TARGET_UNITS)}")
    met = result.recall >= TARGET_RECALL and result.precision >= target and result.units >= TARGET_UNITS
    result.met = met
    print(f"   targets    {'met' if met else 'NOT MET'}")
    if verbose:
        for item in result.missed:
            print(f"   missed     {item['id']} {item['anchor']}")
        for failure in result.unit_failures:
            print(f"   units miss {failure}")
        for source in result.unmatched_rows:
            print(f"   unmatched  {source[:70]}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", type=Path, action="append", help="an annotated document (repeatable)")
    parser.add_argument("--gold", type=Path, help="its requirements.json")
    parser.add_argument("--date", type=date.fromisoformat, default=SAMPLE_DATE, help="the document's date")
    parser.add_argument("--quiet", action="store_true", help="only the figures")
    args = parser.parse_args()
    docs = args.doc or [SAMPLES / f"{SPEECH}.scraped.txt", SAMPLES / f"{SPEECH}.reconstructed.docx"]
    gold = args.gold or SAMPLES / f"{SPEECH}.requirements.json"

    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        demo_load()
    scanner = Scanner.load()
    results = [run(doc, gold, args.date, scanner, verbose=not args.quiet) for doc in docs]
    ok = all(result.met for result in results)
    if len(results) == 2:
        same = results[0].covered == results[1].covered
        close = abs(results[0].rows - results[1].rows) <= 1
        print(f"== both forms: same covered items {'yes' if same else 'NO'}"
              f" ({len(results[0].covered)} / {len(results[1].covered)}),"
              f" row counts {results[0].rows} / {results[1].rows} {'within one' if close else 'DIFFER BY MORE THAN ONE'}")  # fmt: skip
        if not same:
            print(f"   only in the first:  {sorted(results[0].covered - results[1].covered)}")
            print(f"   only in the second: {sorted(results[1].covered - results[0].covered)}")
        ok = ok and same and close
    if not args.doc:
        # The targets are the genre's (issue 14: on each genre, recall of must items ≥ 90%, precision ≥ 80%): each
        # document's figures are printed, and the genre's totals decide.
        totals: dict[str, list[int]] = {}
        for gold_path in sorted(GENRES.glob("*.requirements.json")):
            meta = json.loads(gold_path.read_text(encoding="utf-8"))
            print(f"-- {meta['genre']}: {meta['document']}")
            result = run(
                GENRES / meta["file"], gold_path, date.fromisoformat(meta["date"]), scanner,
                verbose=not args.quiet, precision_target=TARGET_GENRE_PRECISION, minutes=meta["genre"] == "纪要",
            )  # fmt: skip
            total = totals.setdefault(meta["genre"], [0, 0, 0, 0, 0])
            matched = result.rows - len(result.unmatched_rows)
            for k, value in enumerate((result.must - len(result.missed), result.must, matched, result.rows, 1)):
                total[k] += value
        for genre, (covered, must, matched, rows, documents) in totals.items():
            met = covered / must >= TARGET_RECALL and matched / rows >= TARGET_GENRE_PRECISION
            print(f"== {genre}, {documents} documents: recall {_pct(covered / must)} ({covered}/{must} must items),"
                  f" precision {_pct(matched / rows)} ({matched}/{rows} rows)  targets {'met' if met else 'NOT MET'}")  # fmt: skip
            ok = ok and met
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
