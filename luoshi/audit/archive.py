"""Moving old trail and login-log entries out to a signed file, with the chain still verifiable across it.

An archive file is JSON lines: a header, every archived trail entry with its hashes, every archived login
event, and a last line with an HMAC-SHA256 of all the lines before it (keyed from SECRET_KEY). The trail
left in the database chains onto the last archived hash, which the archive's row keeps.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from luoshi.lib.errors import ActionError
from luoshi.org.models import LoginEvent

from .models import GENESIS, AuditArchive, AuditEntry, ChainHead
from .services import audit_record

_SALT = "luoshi.audit.archive"
_FORMAT = "luoshi-audit-archive/1"


def _at(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _entry_line(entry: AuditEntry) -> dict:
    return {
        "t": "audit", "seq": entry.seq, "ct": entry.content_type_id, "obj": entry.object_id, "actor": entry.actor_id,
        "actor_name": entry.actor_name, "action": entry.action, "note": entry.note, "before": entry.before,
        "after": entry.after, "at": _at(entry.at), "prev": entry.prev_hash, "hash": entry.hash,
    }  # fmt: skip


def _entry_from(line: dict) -> AuditEntry:
    return AuditEntry(
        seq=line["seq"], content_type_id=line["ct"], object_id=line["obj"], actor_id=line["actor"],
        actor_name=line["actor_name"], action=line["action"], note=line["note"], before=line["before"],
        after=line["after"], at=datetime.strptime(line["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
        prev_hash=line["prev"], hash=line["hash"],
    )  # fmt: skip


def _signature(body: bytes) -> str:
    return salted_hmac(_SALT, body, algorithm="sha256").hexdigest()


def _dump(line: dict) -> bytes:
    return (json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def archive_audit(*, before: datetime, folder: Path, by_name: str) -> AuditArchive | None:
    """Archive the trail and the login log older than `before` into a signed file in `folder`.

    1. refuse a cut-off younger than the retention period (180 days at the least);
    2. lock the chain head, take the oldest entries up to the cut-off, and verify them from the last archive
       (a trail already tampered with is not archived: it is reported);
    3. write the file beside its final name, sync it, rename it;
    4. record the archive, then delete what it holds (the database allows only that), and trace the archiving.
    Returns None when nothing is old enough.
    """
    keep = timedelta(days=settings.LUOSHI_AUDIT_RETENTION_DAYS)
    latest_allowed = timezone.now() - keep
    if before > latest_allowed:
        raise ActionError(
            f"审计日志和登录日志至少保留 {settings.LUOSHI_AUDIT_RETENTION_DAYS} 天:"
            f"只能归档 {timezone.localtime(latest_allowed):%Y-%m-%d} 以前的记录。"
        )
    folder.mkdir(parents=True, exist_ok=True)
    existing = set(folder.iterdir())
    try:
        return _archive(before, folder, by_name)
    except BaseException:
        # A run that failed leaves no file behind: the entries are still in the database.
        for path in set(folder.iterdir()) - existing:
            path.unlink(missing_ok=True)
        raise


def _archive(before: datetime, folder: Path, by_name: str) -> AuditArchive | None:
    with transaction.atomic():
        ChainHead.objects.select_for_update().get_or_create(pk=1)
        previous = AuditArchive.objects.order_by("-upto_seq").first()
        prev_hash = previous.upto_hash if previous else GENESIS
        login_upto = LoginEvent.objects.filter(at__lt=before).order_by("-id").values_list("id", flat=True).first()
        # The oldest run of entries, in chain order, up to the first one at or after the cut-off: an archive
        # takes a prefix of the chain, never a hole in it.
        entries = []
        for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
            if entry.at >= before:
                break
            entries.append(entry)
        if not entries:
            # Login events wait for the next archive with trail entries in it: an archive always continues the chain.
            return None
        expected_prev = prev_hash
        expected_seq = (previous.upto_seq + 1) if previous else 1
        for entry in entries:
            if entry.seq != expected_seq or entry.prev_hash != expected_prev or entry.content_hash() != entry.hash:
                raise ActionError(f"第 {entry.seq} 条留痕校验未通过,不能归档。请先运行 verify_audit 查明。")
            expected_seq, expected_prev = entry.seq + 1, entry.hash
        events = list(LoginEvent.objects.filter(id__lte=login_upto or 0, at__lt=before).order_by("id"))
        first_seq, upto_seq = entries[0].seq, entries[-1].seq
        header = {
            "t": "header", "format": _FORMAT, "first_seq": first_seq, "upto_seq": upto_seq, "prev_hash": prev_hash,
            "upto_hash": expected_prev, "before": _at(before), "created_at": _at(timezone.now()),
            "entries": len(entries), "login_events": len(events), "county": settings.LUOSHI_COUNTY_NAME,
        }  # fmt: skip
        body = _dump(header) + b"".join(_dump(_entry_line(entry)) for entry in entries)
        body += b"".join(
            _dump(
                {
                    "t": "login",
                    "id": e.id,
                    "at": _at(e.at),
                    "kind": e.kind,
                    "username": e.username,
                    "user": e.user_id,
                    "ip": e.ip,
                    "user_agent": e.user_agent,
                }
            )
            for e in events
        )
        content = body + _dump({"t": "signature", "hmac_sha256": _signature(body)})
        name = f"audit-{first_seq:09d}-{upto_seq:09d}-{timezone.localtime():%Y%m%d%H%M%S}.jsonl"
        path = folder / name
        partial = folder / (name + ".partial")
        with open(partial, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
        archive = AuditArchive.objects.create(
            first_seq=first_seq, upto_seq=upto_seq,
            upto_hash=expected_prev, entries=len(entries), login_events=len(events),
            login_upto_id=events[-1].id if events else (previous.login_upto_id if previous else 0),
            before=before, file_name=str(path), file_sha256=hashlib.sha256(content).hexdigest(), created_by=by_name,
        )  # fmt: skip
        AuditEntry.objects.filter(seq__gte=first_seq, seq__lte=upto_seq).delete()
        if events:
            LoginEvent.objects.filter(id__lte=archive.login_upto_id, at__lt=before).delete()
        audit_record(
            obj=archive, action="audit_archive", by=None,
            note=f"{by_name}归档 {timezone.localtime(before):%Y-%m-%d} 以前的留痕 {len(entries)} 条、登录日志 {len(events)} 条,"
            f"文件 {path.name}(SHA-256 {archive.file_sha256[:16]}…)",
        )  # fmt: skip
    return archive


def verify_archive(path: Path) -> tuple[int, str | None]:
    """Check an archive file: its signature, its entries' chain, and that it is the file its archive row names.

    Returns (entries checked, the first problem in Chinese or None).
    """
    try:
        lines = Path(path).read_bytes().splitlines(keepends=True)
    except OSError as exc:
        return 0, f"无法读取归档文件:{exc}"
    if len(lines) < 2:
        return 0, "归档文件不完整。"
    body, last = b"".join(lines[:-1]), json.loads(lines[-1])
    if last.get("t") != "signature" or not constant_time_compare(last.get("hmac_sha256", ""), _signature(body)):
        return 0, "归档文件的签名不符:文件被改动过,或不是本系统(本密钥)生成的。"
    header = json.loads(lines[0])
    if header.get("format") != _FORMAT:
        return 0, "不是落实系统的留痕归档文件。"
    expected_prev, expected_seq, checked = header["prev_hash"], header["first_seq"], 0
    for raw in lines[1:-1]:
        line = json.loads(raw)
        if line["t"] != "audit":
            continue
        entry = _entry_from(line)
        if entry.seq != expected_seq or entry.prev_hash != expected_prev:
            return checked, f"归档文件中第 {entry.seq} 条留痕与链不符。"
        if entry.content_hash() != entry.hash:
            return checked, f"归档文件中第 {entry.seq} 条留痕的内容已被改动(摘要不符)。"
        checked += 1
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    if expected_prev != header["upto_hash"]:
        return checked, "归档文件的截止摘要与其中的记录不符。"
    row = AuditArchive.objects.filter(upto_seq=header["upto_seq"], first_seq=header["first_seq"]).first()
    if row is None:
        return checked, "数据库中没有这份归档的登记。"
    if row.upto_hash != header["upto_hash"] or row.file_sha256 != hashlib.sha256(b"".join(lines)).hexdigest():
        return checked, "归档文件与数据库中的归档登记不符(摘要不同)。"
    return checked, None
