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
# Keyed by mutant name; the reason is printed with the mutant.
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
    "luoshi.lib.deadlines.parser.x__dates__mutmut_192": (
        "the text a half year (上半年/下半年) passes is shown only for a month that does not exist; 6 and 12 exist"
    ),
    "luoshi.lib.deadlines.parser.x__dates__mutmut_206": (
        "the text a half year (上半年/下半年) passes is shown only for a month that does not exist; 6 and 12 exist"
    ),
    "luoshi.lib.deadlines.parser.x__cadence__mutmut_61": (
        "每年(12月20日)?: the month and the day are written together or not at all, so group 1 and group 2 agree"
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
