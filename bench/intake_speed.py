"""How fast the document intake reads a speech, after warm-up, and a batch of documents.

    DEBUG=1 .venv/bin/python bench/intake_speed.py [--chars 30000] [--batch 200]

Builds a 30,000-character speech from the sample's paragraphs (repeated, under numbered parts), reads it
as a .docx and as text, and proposes its rows against the demo county's directory in a throw-away SQLite
database under var/bench/. The target (issue 5): ≤ 1 s per 30,000-character speech after warm-up.
Baseline: building the unit scanner per document, as a request would without the process-wide one;
Luoshi's way: the scanner is loaded once per process and rebuilt only when the directory changes.
The intake does not use jieba (its markers are matched on characters), so there is no dictionary to load.
"""

import argparse
import io
import os
import statistics
import sys
import time
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

import docx  # noqa: E402
from django.core.management import call_command  # noqa: E402

from luoshi.intake.extract import propose  # noqa: E402
from luoshi.intake.mentions import Scanner, current_scanner  # noqa: E402
from luoshi.intake.reading import chinese_numeral, read_upload  # noqa: E402
from luoshi.org.demo import demo_load  # noqa: E402
from luoshi.org.models import Unit  # noqa: E402
from luoshi.testing import SAMPLES  # noqa: E402

TARGET_SECONDS = 1.0
BASE = date(2022, 3, 15)


def speech_paragraphs(chars: int) -> list[str]:
    sample = read_upload("s.docx", (SAMPLES / "speech-2022-work-deployment.reconstructed.docx").read_bytes())
    out, part = [sample.paragraphs[0]], 0
    while sum(len(p) for p in out) < chars:
        part += 1
        out.append(f"{chinese_numeral(part)}、第{chinese_numeral(part)}部分工作")
        out += sample.paragraphs[1:]
    return out


def as_docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=30_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        demo_load()

    paragraphs = speech_paragraphs(args.chars)
    word = as_docx(paragraphs)
    text = "\n".join(paragraphs).encode("utf-8")
    chars = sum(len(p) for p in paragraphs)

    def once(content: bytes, name: str, scanner) -> int:
        return len(propose(read_upload(name, content), base=BASE, scanner=scanner).rows)

    scanner = current_scanner()
    once(word, "speech.docx", scanner)  # warm-up
    timings = {}
    for name, content in (("speech.docx", word), ("speech.txt", text)):
        runs = []
        for _ in range(args.runs):
            started = time.perf_counter()
            rows = once(content, name, current_scanner())
            runs.append(time.perf_counter() - started)
        timings[name] = (statistics.median(runs), rows)

    started = time.perf_counter()
    for _ in range(args.runs):
        Scanner.load()
    build = (time.perf_counter() - started) / args.runs
    started = time.perf_counter()
    for _ in range(args.runs):
        current_scanner()
    check = (time.perf_counter() - started) / args.runs

    started = time.perf_counter()
    total_rows = 0
    for number in range(args.batch):
        content, name = (word, "speech.docx") if number % 2 else (text, "speech.txt")
        total_rows += once(content, name, current_scanner())
    batch = time.perf_counter() - started

    print(f"speech: {chars:,} characters, {len(paragraphs)} paragraphs")
    for name, (seconds, rows) in timings.items():
        verdict = "met" if seconds <= TARGET_SECONDS else "NOT MET"
        print(
            f"{name:<12} {seconds * 1000:8.0f} ms median of {args.runs}, {rows} rows  (target ≤ {TARGET_SECONDS:.0f} s: {verdict})"
        )
    print(f"baseline: building the unit scanner (directory + leaders): {build * 1000:6.1f} ms per document")
    print(f"shared:   the process's scanner, checked for directory changes: {check * 1000:6.1f} ms per document")
    print(f"ratio:    {build / check:6.1f}x")
    print(f"batch: {args.batch} documents in {batch:.1f} s = {args.batch / batch:.1f} documents/s, "
          f"{args.batch * chars / batch / 1000:,.0f}k characters/s, {total_rows} rows")  # fmt: skip


if __name__ == "__main__":
    main()
