"""How fast a 100,000-row 任务分解表 goes in and a 100,000-task ledger comes out (issue 4).

One run builds the table with openpyxl, then measures:

- read: our reader (python-calamine, plus the sheet metadata it cannot see) beside openpyxl's
  load_workbook(read_only=True), the baseline (target: ours ≥ 3× faster), and openpyxl's default mode;
- preview: read, find the header, map, resolve units and leaders, parse deadlines (target ≤ 20 s);
- commit: every row through task_create_many, in one transaction, on SQLite (target ≤ 60 s);
- export: the 100,000 tasks as a streamed ledger .xlsx (target ≤ 20 s), and its peak Python memory
  (measured in a second pass under tracemalloc, which slows it).

    .venv/bin/python bench/xlsx_io.py                 # 100,000 rows on var/bench/xlsx_io.sqlite3
    .venv/bin/python bench/xlsx_io.py --rows 20000    # a quicker look
"""

import argparse
import gc
import io
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {"preview": 20.0, "commit": 60.0, "export": 20.0, "read_ratio": 3.0}
DEADLINES = ["2027年6月底前", "年底前", "三季度", "每季度末", "2027.3.31", "2027年12月", "10月底前", "每月25日前",
             "长期坚持", "6月底", "2027年9月30日", None]  # fmt: skip
LEADERS = ["常务副县长", "县长", "分管水利副县长", "分管农业副县长", "分管自然资源副县长", "分管副县长", ""]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def setup_django(path: Path):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop")
    os.environ.setdefault("LUOSHI_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


def build_table(rows: int, seed: int, names: list[str]) -> bytes:
    """A decomposition table shaped as offices publish them: title, date line, header, merged categories."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("任务分解表")
    sheet.append(["示范县2027年重点工作任务分解表"])
    sheet.append(["(2027年1月)"])
    sheet.append(["序号", "类别", "工作任务", "具体措施", "责任县领导", "牵头单位", "配合单位", "完成时限", "备注"])
    categories = ["一、立足于争一流", "二、立足于善谋划", "三、立足于早着手", "四、立足于破难题"]
    for index in range(1, rows + 1):
        supporting = "、".join(rng.sample(names, rng.choice([0, 1, 2, 3])))
        if rng.random() < 0.03:
            supporting = (supporting + "、各乡镇").strip("、")
        deadline = rng.choice(DEADLINES)
        if deadline is None:
            deadline = f"2027-{rng.randint(2, 12):02d}-{rng.randint(1, 28):02d}"
        sheet.append([
            index, categories[index * 4 // (rows + 1)], f"第{index}项重点工作任务:推进{rng.choice(names)}牵头的专项工作",
            "明确目标,倒排工期,按月调度,确保按期完成", rng.choice(LEADERS), rng.choice(names), supporting, deadline,
            "",
        ])  # fmt: skip
    sheet.append(["合计", f"{rows}项"])
    sheet.append(["注:牵头单位只填一个。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(label: str, call):
    started = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - started
    return result, seconds


def main() -> None:
    args = parse_args()
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    setup_django(bench_dir / "xlsx_io.sqlite3")

    from django.conf import settings
    from django.core.management import call_command
    from openpyxl import load_workbook

    from luoshi.ledger.export import ledger_workbook
    from luoshi.ledger.preview import preview_ledger
    from luoshi.ledger.services import ledger_import
    from luoshi.lib import workdays, xlsx
    from luoshi.lib.sheets import read_workbook
    from luoshi.org.demo import demo_load
    from luoshi.org.models import Unit, User
    from luoshi.work.models import Task

    call_command("migrate", verbosity=0)
    demo_load()
    office = User.objects.get(username="office")
    names = [unit.short_name or unit.name for unit in Unit.objects.filter(kind=Unit.Kind.DEPARTMENT)]
    data, built = timed("build", lambda: build_table(args.rows, args.seed, names))
    print(f"{args.rows:,} 行任务分解表:{len(data) / 1e6:.1f} MB,生成用时 {built:.1f} s")

    def ours():
        return read_workbook(io.BytesIO(data), max_cells=settings.LUOSHI_MAX_SPREADSHEET_CELLS)

    def openpyxl_read_only():
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
        return rows

    def openpyxl_default():
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]

    read_ours = timed("ours", ours)[1]
    read_ro = timed("openpyxl read_only", openpyxl_read_only)[1]
    read_default = timed("openpyxl default", openpyxl_default)[1]
    gc.collect()  # the baselines' million cells are not part of the pipeline measured next

    preview, preview_s = timed("preview", lambda: preview_ledger(data, name="bench.xlsx", user=office))
    assert preview.ok, [str(p) for p in preview.errors[:5]]
    before = Task.objects.count()
    result, commit_s = timed("commit", lambda: ledger_import(preview=preview, by=office))
    created = Task.objects.count() - before

    t = workdays.thresholds()
    tasks = Task.objects.filter(year=2027).leaves().order_by("deadline", "id")
    period = (t.today.replace(month=1, day=1), t.today)

    def export():
        workbook = ledger_workbook(tasks, t=t, year=2027, as_of=t.today, period=period)
        buffer = io.BytesIO()
        xlsx.save(workbook, buffer)
        return buffer.getvalue()

    content, export_s = timed("export", export)
    tracemalloc.start()
    export()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print()
    print(f"{'步骤':<28}{'用时':>10}{'目标':>10}{'目标/实测':>10}")
    rows = [
        ("读取(本系统,calamine)", read_ours, None),
        ("读取(openpyxl read_only)", read_ro, None),
        ("读取(openpyxl 默认模式)", read_default, None),
        (f"预览 {len(preview.rows):,} 行", preview_s, TARGETS["preview"]),
        (f"导入 {created:,} 个事项", commit_s, TARGETS["commit"]),
        (f"导出 {tasks.count():,} 个事项", export_s, TARGETS["export"]),
    ]
    for label, seconds, target in rows:
        ratio = f"{target / seconds:.2f}" if target else ""
        print(f"{label:<28}{seconds:>9.2f}s{(f'{target:.0f}s' if target else ''):>10}{ratio:>10}")
    print()
    print(f"读取:比 openpyxl read_only 快 {read_ro / read_ours:.1f} 倍(目标 ≥ {TARGETS['read_ratio']:.0f} 倍),"
          f"比 openpyxl 默认模式快 {read_default / read_ours:.1f} 倍")  # fmt: skip
    print(f"导出文件 {len(content) / 1e6:.1f} MB,流式写出的 Python 内存峰值 {peak / 1e6:.0f} MB(tracemalloc)")
    print(f"预览:错误 {len(preview.errors)},提示 {len(preview.warnings)};导入:{result.tasks:,} 个事项")


if __name__ == "__main__":
    main()
