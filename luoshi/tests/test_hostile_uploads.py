"""No upload takes a worker down: each hostile file is refused in Chinese, or read, within 256 MB and 30 s.

Each file is read in a forked child of a process that has loaded Django and the readers (as a web worker
has), with its address space capped at its size then + 256 MB (`resource.setrlimit(RLIMIT_AS)`) and 30 s of
CPU. A reader that tried to allocate past that would die or raise MemoryError; the parent survives either
and reports it. The corpus is built here, small on disk (see luoshi/tests/hostile.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from luoshi.tests.hostile import BUDGET, MB, SECONDS, corpus

ROOT = Path(__file__).resolve().parents[2]

# What each refusal must say (a fragment of the Chinese message), or None for a file that is read.
EXPECTED = {
    "corner bomb XFD1048576": "一直延伸到第 1,048,576 行、XFD 列",
    "corner bomb XFD4096": "一直延伸到第 4,096 行、XFD 列",
    "corner bomb in .ods (row 4096, column XFD)": "一直延伸到第 4,096 行、XFD 列",
    "corner bomb in .xls (IV65536)": "一直延伸到第 65,536 行、IV 列",
    "a 30 KB string in 5,000 .xls cells": "文字总量超过",
    "one 400 MB cell (shared string)": "超过 32,767 个字",
    "one 400 MB cell (inline)": "超过 32,767 个字",
    "a 30 KB string in 2 million cells": "文字总量超过",
    "2 million short text cells": "超过一次导入能处理的上限",
    "billion laughs in xlsx": "DTD 或实体声明",
    "XXE in xlsx": "DTD 或实体声明",
    "a zip that lies about its size (xlsx)": "已损坏",
    "200k rows": None,
    "deep nesting in xlsx": None,
    "billion laughs in docx": "外部实体声明",
    "XXE in docx": "外部实体声明",
    "XXE behind 8 KB of comment in docx": "外部实体声明",
    "a zip that lies about its size (docx)": "已损坏",
    "a docx of 66 million characters": "超过 2,000,000 字的上限",
    "deep nesting in docx": "已损坏",
    "a PDF that unpacks to 1 GB": "解压后过大",
    "an attachment .docx that is a web page": "网页或脚本部件",
    # Stored as it came, never unpacked: only its directory and content types are read.
    "an attachment .xlsx that is a 1 GB zip bomb": None,
}


def test_every_hostile_file_is_refused_or_read_within_256_mb_and_30_seconds(tmp_path):
    files = corpus(tmp_path)
    assert set(files) == set(EXPECTED)
    assert sum(path.stat().st_size for _kind, path in files.values()) < 8 * MB

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "luoshi.settings", "PYTHONPATH": str(ROOT)}
    commands = "".join(f"{kind}\t{path}\n" for kind, path in files.values())
    server = subprocess.run(
        [sys.executable, "-m", "luoshi.tests.hostile"],
        input=commands,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=len(files) * SECONDS,
        check=True,
    )
    results = {json.loads(line)["path"]: json.loads(line) for line in server.stdout.splitlines()}

    report = []
    for name, (_kind, path) in files.items():
        result = results[str(path)]
        report.append(f"{name}: {result['outcome']}, {result.get('peak_mb')} MB, {result.get('seconds')} s")
        expected = EXPECTED[name]
        assert result["outcome"] == ("read" if expected is None else "refused"), (name, result)
        if expected is not None:
            assert expected in result["message"], (name, result["message"])
        assert result["peak_mb"] < BUDGET / MB, (name, result)
        assert result["seconds"] < SECONDS, (name, result)
    print("\n".join(report))
