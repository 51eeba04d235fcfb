"""Mutation scores of the rules that decide dates and lights (issue 21), with mutmut.

    .venv/bin/python bench/mutation.py                 # all four modules, one after another
    .venv/bin/python bench/mutation.py cadence         # one module
    .venv/bin/python bench/mutation.py deadlines --sample 150   # a fixed sample (seed 21) of its mutants
    .venv/bin/python bench/mutation.py cadence --at c0bbc8a    # a past commit: the figures before a change
    make mutate MODULES=cadence

Each module is mutated in a copy of the repository under var/mutate/<module>/ (the work tree
is never touched), and only the module's own fast tests run against each mutant. mutmut forks
every mutant from a warm process, so Django and pytest start once per module, not once per
mutant. The light code is the four light functions of work/models.py, not the whole file.
mutmut mutates the code inside functions: module-level constants (the deadline patterns) and
decorated functions other than static and class methods (deadlines._parse_text, which is an
lru_cache, and properties) are not mutated, so they are not in the figures.

It prints, per module, the mutants, the killed, the score, the score counting the mutants
judged equivalent (EQUIVALENT below, each with its reason) as killed, and the target; then the
surviving mutants with their diffs. Too slow for every CI run: run it before closing an issue
that touches these modules, and give the figures in the closing note.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
TARGET = 90.0

# The figures of issue 21, measured before the work on it, as the baseline.
BASELINE = {"lights": 98.9, "workdays": 84.9, "cadence": 69.7, "deadlines": 58.7}


@dataclass
class Module:
    path: str
    tests: list[str]
    # Mutant names start with the dotted module; `functions` narrows to some of its functions.
    functions: list[str] = field(default_factory=list)
    # Tests that need the database share one SQLite file, so their mutants run one at a time.
    database: bool = False
    # The root conftest collects the static files once per pytest session, and mutmut starts one session per
    # mutant: tests that need none of its fixtures run without it.
    conftest: bool = False


MODULES = {
    # The package: parser, finder, festivals and result. Each of its test files reaches only the package.
    "deadlines": Module(
        "luoshi/lib/deadlines/*",
        [
            "luoshi/tests/test_deadlines.py",
            "luoshi/tests/test_deadlines_relative.py",
            "luoshi/tests/test_deadlines_in_text.py",
        ],
    ),
    "cadence": Module("luoshi/work/cadence.py", ["luoshi/work/tests/test_cadence.py"]),
    "workdays": Module("luoshi/lib/workdays.py", ["luoshi/tests/test_workdays.py"], database=True),
    "lights": Module(
        "luoshi/work/models.py",
        ["luoshi/work/tests/test_lights.py"],
        functions=[
            "xǁTaskQuerySetǁlight_q",
            "xǁTaskQuerySetǁwith_light",
            "xǁTaskQuerySetǁlight_counts",
            "xǁTaskǁlight_for",
        ],
        database=True,
        conftest=True,
    ),
}

# Surviving mutants read and judged equivalent: no input can tell them from the original.
# Keyed by mutant name; the reason is printed with the mutant. mutmut numbers the mutants of a function
# in order, so a change to a function renumbers them: read its survivors again and update their names here.
EQUIVALENT: dict[str, str] = {
    "luoshi.lib.workdays.xǁCalendarǁadd__mutmut_5": "n >= 0 → n > 0 differs only at n = 0, where no step is taken",
    "luoshi.lib.workdays.xǁCalendarǁadd__mutmut_6": "n >= 0 → n >= 1 differs only at n = 0, where no step is taken",
    "luoshi.lib.workdays.xǁCalendarǁbetween__mutmut_10": (
        "weeks = None skips the whole-week shortcut; the day-by-day loop gives the same count, only slower"
    ),
    "luoshi.lib.workdays.xǁCalendarǁbetween__mutmut_13": (
        "// 8 takes fewer whole weeks (still whole weeks of 7 days); the loop counts the rest, same count"
    ),
    "luoshi.lib.workdays.xǁCalendarǁbetween__mutmut_19": "count = … and count += … are the same: count is 0 there",
    "luoshi.lib.deadlines.parser.x__cadence__mutmut_61": (
        "每年(12月20日)?: the month and the day are written together or not at all, so group 1 and group 2 agree"
    ),
    "luoshi.lib.deadlines.festivals.x__seasons__mutmut_9": (
        'configured = "" or None: both are read as `configured or {}`, no setting'
    ),
    "luoshi.lib.deadlines.festivals.x_festival_date__mutmut_3": (
        "the default of _FESTIVAL_NAMES.get: every name the patterns give is a key; an unknown name is a KeyError either way"
    ),
    "luoshi.lib.deadlines.festivals.x_festival_date__mutmut_4": (
        "the default of _FESTIVAL_NAMES.get: every name the patterns give is a key; an unknown name is a KeyError either way"
    ),
    "luoshi.lib.deadlines.festivals.x_festival_date__mutmut_5": (
        "the default of _FESTIVAL_NAMES.get: every name the patterns give is a key; an unknown name is a KeyError either way"
    ),
    "luoshi.lib.deadlines.festivals.x_festival_date__mutmut_50": (
        "the window searched for 清明: the solar term falls on 4, 5 or 6 April in every year chinese-calendar knows"
    ),
    "luoshi.lib.deadlines.festivals.x_festival_date__mutmut_57": (
        "the window searched for 清明: the solar term falls on 4, 5 or 6 April in every year chinese-calendar knows"
    ),
    "luoshi.lib.deadlines.festivals.x_festival_date__mutmut_58": (
        "the window searched for 清明: the solar term falls on 4, 5 or 6 April in every year chinese-calendar knows"
    ),
    "luoshi.lib.deadlines.parser.x__convert_numeral__mutmut_7": (
        "the character before a numeral at the start: string[-1:0] and the mutated default are both no 第/每/前/近/周/后"
    ),
    "luoshi.lib.deadlines.parser.x__convert_numeral__mutmut_10": (
        "the character before a numeral at the start: string[-1:0] and the mutated default are both no 第/每/前/近/周/后"
    ),
    "luoshi.lib.deadlines.parser.x__cadence__mutmut_9": (
        'a weekly cadence without a day: "XXXX" and "" both give day 0 (find gives -1)'
    ),
    "luoshi.lib.deadlines.parser.x__cadence__mutmut_15": (
        "rfind and find agree: each weekday character appears once in 一二三四五六日天"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_26": (
        "前后/上下 need not be removed: a festival reads 前后 as the festival's day, and dates ignore the words after them"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_27": (
        "前后/上下 need not be removed: a festival reads 前后 as the festival's day, and dates ignore the words after them"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_180": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_191": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_213": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_236": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_245": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_254": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_285": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_302": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_329": (
        "a replacement wrapped in XX: X is no date character, and the replacement reads the same by itself"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_181": (
        "季度度 never arises: 首个?季度? takes the 度, so the clean-up has nothing to replace"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_182": (
        "季度度 never arises: 首个?季度? takes the 度, so the clean-up has nothing to replace"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_275": (
        "年初始 is rewritten by the 年初 rule before it, so the 初始 branch's group is never read"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_276": (
        "年初始 is rewritten by the 年初 rule before it, so the 初始 branch's group is never read"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_314": (
        "月底/月末/月内 → this month, with or without 底: a month alone is read as its last day too"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_315": (
        "月底/月末/月内 → this month, with or without 底: a month alone is read as its last day too"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_316": (
        "月底/月末/月内 → this month, with or without 底: a month alone is read as its last day too"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_319": (
        "月底/月末/月内 → this month, with or without 底: a month alone is read as its last day too"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_320": (
        "月底/月末/月内 → this month, with or without 底: a month alone is read as its last day too"
    ),
    "luoshi.lib.deadlines.parser.x__absolute__mutmut_321": (
        "月底/月末/月内 → this month, with or without 底: a month alone is read as its last day too"
    ),
    "luoshi.lib.deadlines.parser.x__days_and_weeks__mutmut_29": (
        "the week prefix's lookup: None, 下一个 and the stripped characters give the same key (下, 下下 or none)"
    ),
    "luoshi.lib.deadlines.parser.x__days_and_weeks__mutmut_30": (
        "the week prefix's lookup: None, 下一个 and the stripped characters give the same key (下, 下下 or none)"
    ),
    "luoshi.lib.deadlines.parser.x__days_and_weeks__mutmut_31": (
        "the week prefix's lookup: None, 下一个 and the stripped characters give the same key (下, 下下 or none)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_22": (
        "h.at < at or <=: two hits never start at the same place (each match is blanked before the next scan)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_32": (
        "h.at < at or <=: two hits never start at the same place (each match is blanked before the next scan)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_480": (
        "h.at < at or <=: two hits never start at the same place (each match is blanked before the next scan)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_57": (
        "the word after a festival or a season: XXXX and the empty string are both none of the words compared"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_107": (
        "the word after a festival or a season: XXXX and the empty string are both none of the words compared"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_636": ("lstrip of XX个XX and of 个: no unit starts with X"),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_164": (
        "the text shown when a season's end does not exist: its month is checked by calendar.monthrange first"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_179": (
        "the text shown when a season's end does not exist: its month is checked by calendar.monthrange first"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_370": (
        "the text a quarter or a half year passes is shown only for a month that does not exist; 3, 6, 9, 12 exist"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_376": (
        "the text a quarter or a half year passes is shown only for a month that does not exist; 3, 6, 9, 12 exist"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_443": (
        "the text a quarter or a half year passes is shown only for a month that does not exist; 3, 6, 9, 12 exist"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_457": (
        "the text a quarter or a half year passes is shown only for a month that does not exist; 3, 6, 9, 12 exist"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_378": (
        "a quarter without its own year has the year of the date before it: a later date takes that same year"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_380": (
        "a quarter without its own year has the year of the date before it: a later date takes that same year"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_415": (
        "a quarter without its own year has the year of the date before it: a later date takes that same year"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_417": (
        "a quarter without its own year has the year of the date before it: a later date takes that same year"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_459": (
        "a half year without its own year has the year of the date before it: a later date takes that same year"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_461": (
        "a half year without its own year has the year of the date before it: a later date takes that same year"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_564": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_568": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_588": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_592": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_719": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_731": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_758": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_759": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_771": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_796": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_855": (
        "where the hit stands: no scan after it reads the position (whole-text forms, durations, year ends)"
    ),
    "luoshi.lib.deadlines.parser.x__later__mutmut_1": (
        "the years tried: a past date's year - 1 is before the document, and no year after base.year + 1 is tried"
    ),
    "luoshi.lib.deadlines.parser.x__later__mutmut_16": (
        "the years tried: a past date's year - 1 is before the document, and no year after base.year + 1 is tried"
    ),
    "luoshi.lib.deadlines.parser.x_past_warning__mutmut_12": (
        "_later always finds a date (the same day in base.year + 1 is never before base), so 请核对 is never shown"
    ),
    "luoshi.lib.deadlines.parser.x_past_warning__mutmut_13": (
        "_later always finds a date (the same day in base.year + 1 is never before base), so 请核对 is never shown"
    ),
    "luoshi.lib.deadlines.parser.x_parse__mutmut_25": (
        "every phrase read without the cache: the same readings, only slower"
    ),
    "luoshi.lib.deadlines.finder.x__candidates__mutmut_17": (
        "an empty run: b >= a and a <= b only go on past an empty run, and an empty run yields no phrase"
    ),
    "luoshi.lib.deadlines.finder.x__candidates__mutmut_39": (
        "an empty run: b >= a and a <= b only go on past an empty run, and an empty run yields no phrase"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_26": (
        "the words around a run are matched at its edge, at most two characters: a wider window reads the same"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_60": (
        "the words around a run are matched at its edge, at most two characters: a wider window reads the same"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_27": (
        "a year alone before 前/内/底 never happens: they are date words, so the run takes them (2025年前)"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_28": (
        "a year alone before 前/内/底 never happens: they are date words, so the run takes them (2025年前)"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_43": (
        "a year alone before 前/内/底 never happens: they are date words, so the run takes them (2025年前)"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_44": (
        "a year alone before 前/内/底 never happens: they are date words, so the run takes them (2025年前)"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_45": (
        "a year alone before 前/内/底 never happens: they are date words, so the run takes them (2025年前)"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_46": (
        "a year alone before 前/内/底 never happens: they are date words, so the run takes them (2025年前)"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_47": (
        "a year alone before 前/内/底 never happens: they are date words, so the run takes them (2025年前)"
    ),
    "luoshi.lib.deadlines.finder.x_find__mutmut_48": (
        "a year alone before 前/内/底 never happens: they are date words, so the run takes them (2025年前)"
    ),
    "luoshi.lib.deadlines.finder.x_milestones__mutmut_29": ("split(...)[0] is the same whatever maxsplit"),
    "luoshi.lib.deadlines.finder.x_milestones__mutmut_32": ("split(...)[0] is the same whatever maxsplit"),
    "luoshi.lib.deadlines.finder.x_milestones__mutmut_42": (
        "a clause never starts with 前/以前/之前/内/底前: they are date words, so the phrase before takes them"
    ),
    "luoshi.lib.deadlines.finder.x_milestones__mutmut_43": (
        "a clause never starts with 前/以前/之前/内/底前: they are date words, so the phrase before takes them"
    ),
    "luoshi.work.models.xǁTaskQuerySetǁwith_light__mutmut_7": (
        "output_field=None: every branch is a Value of a str, so Django infers the same CharField"
    ),
    "luoshi.work.models.xǁTaskQuerySetǁwith_light__mutmut_13": (
        "no output_field: every branch is a Value of a str, so Django infers the same CharField"
    ),
}


def copy_repository(dest: Path, at: str | None) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if at:
        # A past commit, code and tests as they were then: the figures before a change.
        archive = subprocess.run(["git", "archive", at], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        return
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            target = dest / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def configure(dest: Path, module: Module, workers: int) -> None:
    pytest_args = (
        ["-q", "-x"] + (["--reuse-db"] if module.database else []) + ([] if module.conftest else ["--noconftest"])
    )
    with (dest / "pyproject.toml").open("a", encoding="utf-8") as out:
        out.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["luoshi"]\n'
            f'only_mutate = ["{module.path}"]\n'
            'also_copy = ["templates", "static", "samples", "conftest.py", "manage.py"]\n'
            f"pytest_add_cli_args = {pytest_args!r}\n".replace("'", '"')
            + f"pytest_add_cli_args_test_selection = {module.tests!r}\n".replace("'", '"')
            # forkserver: the suite's warm-up run must not fill lru_caches (deadlines._parse_text) that the
            # mutants would then answer from.
            + 'process_isolation = "forkserver"\n'
            # A wall-clock limit per mutant: a pytest session takes tens of seconds on a busy machine.
            "timeout_multiplier = 1.0\n"
            "timeout_constant = 60.0\n"
            "use_git_change_detection = false\n"
        )


def mutant_names(dest: Path, env: dict) -> list[str]:
    out = subprocess.run(
        [str(VENV_BIN / "mutmut"), "results", "--all", "true"], cwd=dest, env=env, capture_output=True, text=True
    ).stdout
    return re.findall(r"^\s+(\S+): (.+)$", out, re.M)


def run(name: str, module: Module, *, workers: int, sample: int | None, seed: int, at: str | None) -> dict:
    dest = ROOT / "var" / "mutate" / name
    copy_repository(dest, at)
    configure(dest, module, workers)
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{dest / 'var' / 'mutate.sqlite3'}"
    (dest / "var").mkdir(exist_ok=True)
    env.pop("MUTANT_UNDER_TEST", None)
    dotted = module.path.removesuffix(".py").replace("/", ".")
    patterns = [f"{dotted}.{function}__mutmut_*" for function in module.functions] or [f"{dotted}.*"]
    selected: list[str] = []
    if sample:
        # Generate the mutants first (a run with a name that matches nothing), then pick a fixed sample.
        subprocess.run(
            [str(VENV_BIN / "mutmut"), "run", "--max-children", "1", "none.matches.this"],
            cwd=dest,
            env=env,
            capture_output=True,
        )
        every = sorted(n for n, _ in mutant_names(dest, env) if any(_match(p, n) for p in patterns))
        selected = sorted(random.Random(seed).sample(every, min(sample, len(every))))
    started = time.monotonic()
    with (dest / "mutmut.log").open("w") as log:
        subprocess.run(
            [str(VENV_BIN / "mutmut"), "run", "--max-children", str(1 if module.database else workers)]
            + (selected or patterns),
            cwd=dest,
            env=env,
            check=False,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    seconds = time.monotonic() - started
    results = [(n, s) for n, s in mutant_names(dest, env) if any(_match(p, n) for p in patterns)]
    if selected:
        results = [(n, s) for n, s in results if n in set(selected)]
    survivors = [n for n, s in results if s not in ("killed", "timeout", "caught by type check")]
    killed = len(results) - len(survivors)
    equivalent = [n for n in survivors if n in EQUIVALENT]
    diffs = {
        n: subprocess.run(
            [str(VENV_BIN / "mutmut"), "show", n], cwd=dest, env=env, capture_output=True, text=True
        ).stdout
        for n in survivors
    }
    return {
        "name": name,
        "total": len(results),
        "killed": killed,
        "timeouts": sum(1 for _, s in results if s == "timeout"),
        "equivalent": equivalent,
        "survivors": survivors,
        "statuses": dict(results),
        "diffs": diffs,
        "seconds": seconds,
        "log": dest / "mutmut.log",
        "sample": sample,
    }


def _match(pattern: str, name: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(name, pattern)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"some of {', '.join(MODULES)}; all when none")
    parser.add_argument("--workers", type=int, default=2, help="mutants run at once (the database modules use 1)")
    parser.add_argument("--sample", type=int, help="test a fixed random sample of this many mutants per module")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--at", help="measure a past commit (e.g. the one before a change) instead of the work tree")
    args = parser.parse_args()
    if unknown := set(args.modules) - set(MODULES):
        parser.error(f"unknown modules: {', '.join(sorted(unknown))}")
    reports = [
        run(name, MODULES[name], workers=args.workers, sample=args.sample, seed=args.seed, at=args.at)
        for name in (args.modules or list(MODULES))
    ]
    failed = False
    print("\n模块        变异体  杀死  超时  得分    计入等价后  目标   基线    比基线   用时")
    for r in reports:
        total = r["total"] or 1
        score = 100 * r["killed"] / total
        counted = 100 * (r["killed"] + len(r["equivalent"])) / total
        failed |= counted < TARGET
        sample = f"(抽样{r['sample']})" if r["sample"] else ""
        print(
            f"{r['name']:<11} {r['total']:>5}{sample} {r['killed']:>5} {r['timeouts']:>4}  {score:5.1f}%  "
            f"{counted:6.1f}%    ≥{TARGET:.0f}%  {BASELINE[r['name']]:5.1f}%  ×{counted / BASELINE[r['name']]:.2f}  "
            f"{r['seconds']:5.0f}s"
        )
    for r in reports:
        for n in r["survivors"]:
            reason = EQUIVALENT.get(n)
            head = f"等价(已阅):{reason}" if reason else f"存活:{r['statuses'][n]}"
            print(f"\n--- {n}  {head}\n{r['diffs'][n].strip()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
