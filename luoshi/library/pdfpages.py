"""A PDF read online as its pages: each rendered once to PNG by poppler's pdftoppm, and kept.

The reader is pdf.js (static/library/pdfview.js, vendored, no CDN); these images are the reader for a
browser without script or too old for pdf.js's modules, and show the original's layout (seals, tables,
红头) on any phone. Poppler reads a Chinese font that is not embedded only with poppler-data installed. The text layer (for search and highlight)
is shown beside it. pdftoppm runs as a separate process with a time and memory limit, so a hostile
PDF costs at most one bounded process.
"""

from __future__ import annotations

import re
import resource
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from .models import Document

PDFTOPPM = "/usr/bin/pdftoppm"
PDFINFO = "/usr/bin/pdfinfo"
# 110 dpi: an A4 page is 910 × 1286 pixels, sharp on a phone and about 150 KB.
DPI = 110
MAX_PAGES = 500
TIMEOUT_S = 30
MEMORY_BYTES = 512 * 1024 * 1024


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (TIMEOUT_S, TIMEOUT_S))


def _cache_dir(document: Document) -> Path:
    return Path(settings.MEDIA_ROOT) / "library" / "pages" / str(document.pk)


def _source_path(document: Document, work: Path) -> Path:
    path = work / "source.pdf"
    with document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


def page_count(document: Document) -> int:
    """The PDF's number of pages (at most MAX_PAGES shown), 0 when it has no PDF or poppler cannot read it."""
    if document.kind != Document.Kind.PDF or not document.file:
        return 0
    cached = _cache_dir(document) / "pages.txt"
    if cached.exists():
        return int(cached.read_text() or 0)
    with tempfile.TemporaryDirectory() as work:
        source = _source_path(document, Path(work))
        try:
            result = subprocess.run(
                [PDFINFO, str(source)], capture_output=True, timeout=TIMEOUT_S, preexec_fn=_limits, check=False
            )
        except (subprocess.TimeoutExpired, OSError):
            return 0
    match = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    count = min(int(match.group(1)), MAX_PAGES) if match and result.returncode == 0 else 0
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(str(count))
    return count


def page_png(document: Document, number: int) -> Path | None:
    """Page `number` (from 1) as a PNG, rendered at the first request and kept; None if it cannot be."""
    if not 1 <= number <= page_count(document):
        return None
    target = _cache_dir(document) / f"{number}.png"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory() as work:
        source = _source_path(document, Path(work))
        prefix = Path(work) / "page"
        try:
            result = subprocess.run(
                [PDFTOPPM, "-png", "-r", str(DPI), "-f", str(number), "-l", str(number), "-singlefile",
                 str(source), str(prefix)],
                capture_output=True, timeout=TIMEOUT_S, preexec_fn=_limits, check=False,
            )  # fmt: skip
        except (subprocess.TimeoutExpired, OSError):
            return None
        rendered = prefix.with_suffix(".png")
        if result.returncode != 0 or not rendered.exists():
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        rendered.replace(target)
    return target
