"""Backup and restore of the whole site: the database, the uploaded files, and a signed manifest.

A backup is a folder:

    manifest.json      what the backup holds: format, program version, database engine, the migrations
                       applied, every table's row count, the trace's head, each file's size and SHA-256
    manifest.sig       HMAC-SHA256 of manifest.json under the site's SECRET_KEY
    database.sqlite3   SQLite: a copy made by SQLite's online backup API (safe while the site runs, in WAL)
    database.pgdump    PostgreSQL: `pg_dump --format=custom` of one exported snapshot
    media/…            the files under MEDIA_ROOT

The row counts are taken in the same snapshot as the copy (the copy itself on SQLite; the snapshot
exported to pg_dump on PostgreSQL), so that a restore can prove it holds every row the backup saw.
The folder is written under a temporary name and renamed when complete: a folder without a manifest
is a backup that did not finish.

A restore checks everything before it writes anything: format, signature, checksums, no file missing
or added, the engine, and that the backup's migrations are all known to this program. It then fills an
empty database and an empty media folder, compares every table's count with the manifest, and walks
the trace's hash chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.crypto import salted_hmac

FORMAT = "luoshi-backup/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore refused, with a Chinese message that says what to do."""


def program_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        return tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库类型 {vendor}:只能备份 SQLite 和 PostgreSQL。")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _signature(manifest_bytes: bytes) -> str:
    return salted_hmac("luoshi.ops.backup", manifest_bytes, algorithm="sha256").hexdigest()


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


# ---------------------------------------------------------------------------------------------------------------
# Backup


def backup_create(target: Path, *, say: Callable[[str], None] = lambda text: None) -> dict:
    """Write a complete backup into `target`, which must not exist or be empty. Returns the manifest.

    1. copy the database (one consistent snapshot) and count its rows in that snapshot;
    2. copy the media files, hashing each as it is copied;
    3. write the manifest and its signature, then rename the folder into place.
    """
    target = Path(target).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"备份目录 {target} 已存在且不为空:请换一个新目录(每次备份一个目录),不会覆盖已有备份。")
    engine = _engine()
    work = target.with_name(f".{target.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        started = timezone.now()
        say("正在复制数据库…")
        snapshot = _backup_sqlite(work) if engine == "sqlite" else _backup_postgresql(work)
        say(f"数据库已复制:{len(snapshot['tables'])} 张表,{sum(snapshot['tables'].values()):,} 行。")
        media = _copy_media(Path(settings.MEDIA_ROOT), work / MEDIA_DIR)
        say(f"上传文件已复制:{len(media)} 个。")
        database_file = work / snapshot.pop("file")
        manifest = {
            "format": FORMAT,
            "program_version": program_version(),
            "engine": engine,
            "started_at": started.isoformat(),
            "finished_at": timezone.now().isoformat(),
            "database": {
                "file": database_file.name,
                "size": database_file.stat().st_size,
                "sha256": _sha256(database_file),
            },
            **snapshot,
            "media": media,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        (work / MANIFEST).write_bytes(manifest_bytes)
        (work / SIGNATURE).write_text(_signature(manifest_bytes) + "\n", "ascii")
        for path in (database_file, work / MANIFEST, work / SIGNATURE):
            _fsync(path)
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _snapshot_facts(cursor, tables: list[str], quote: Callable[[str], str]) -> dict:
    """Row counts, applied migrations and the trace's head, read through one snapshot's cursor."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    audit = {"entries": counts.get("audit_auditentry", 0), "head_seq": 0, "head_hash": ""}
    if "audit_chainhead" in counts:
        cursor.execute("SELECT seq, last_hash FROM audit_chainhead WHERE id = 1")
        row = cursor.fetchone()
        if row:
            audit["head_seq"], audit["head_hash"] = int(row[0]), row[1]
    return {"tables": counts, "migrations": migrations, "audit": audit}


def _backup_sqlite(work: Path) -> dict:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"找不到数据库文件 {source_path}:请检查 DATABASE_URL。")
    copy_path = work / SQLITE_FILE
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(copy_path)
    try:
        source.execute("PRAGMA busy_timeout=30000")
        # One step (pages=-1) reads the whole file inside one read transaction: in WAL mode writers go on,
        # and the copy is the database as of the moment the step began.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = [
            row[0]
            for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        facts = _snapshot_facts(copy.cursor(), tables, lambda name: '"' + name.replace('"', '""') + '"')
    finally:
        copy.close()
        source.close()
    return {"file": SQLITE_FILE, **facts}


def _pg_settings() -> dict:
    db = connections["default"].settings_dict
    return {
        "dbname": db["NAME"],
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
    }


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"找不到 {name}:PostgreSQL 的备份和恢复要用它。请安装 postgresql-client"
            "(版本不低于数据库服务器),或把它所在的目录加入 PATH。"
        )
    return found


def _pg_args(params: dict) -> tuple[list[str], dict]:
    args = []
    if params["host"]:
        args += ["--host", params["host"]]
    if params["port"]:
        args += ["--port", params["port"]]
    if params["user"]:
        args += ["--username", params["user"]]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if params["password"]:
        env["PGPASSWORD"] = params["password"]
    return args, env


def _pg_connect(params: dict):
    import psycopg

    kwargs = {key: value for key, value in params.items() if value}
    return psycopg.connect(**kwargs)


def _backup_postgresql(work: Path) -> dict:
    import psycopg

    pg_dump = _pg_tool("pg_dump")
    params = _pg_settings()
    dump_path = work / PG_FILE
    with _pg_connect(params) as conn:
        # Export this transaction's snapshot to pg_dump, and count the rows in the same snapshot.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = [row[0] for row in cursor.fetchall()]
            facts = _snapshot_facts(cursor, tables, lambda name: '"' + name.replace('"', '""') + '"')
            args, env = _pg_args(params)
            result = subprocess.run(
                [
                    pg_dump,
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot_id}",
                    f"--file={dump_path}",
                    params["dbname"],
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump 失败:{result.stderr.strip()[:500]}")
    return {"file": PG_FILE, **facts}


def _copy_media(source: Path, destination: Path) -> list[dict]:
    """Copy every regular file under `source`, hashing it as it is read; symlinks are not followed."""
    destination.mkdir(parents=True, exist_ok=True)
    files: list[dict] = []
    if not source.is_dir():
        return files
    for root, dirs, names in os.walk(source, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(source).as_posix()
            out = destination / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            size = 0
            try:
                with path.open("rb") as handle, out.open("wb") as copy:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        copy.write(chunk)
                        size += len(chunk)
            except FileNotFoundError:
                # Deleted while the backup ran: it is not part of this backup.
                out.unlink(missing_ok=True)
                continue
            files.append({"path": relative, "size": size, "sha256": digest.hexdigest()})
    return files


# ---------------------------------------------------------------------------------------------------------------
# Verification


def backup_verify(source: Path, *, trust_other_key: bool = False) -> dict:
    """Check a backup folder completely without writing anything; returns its manifest or raises BackupError."""
    source = Path(source).absolute()
    if not source.is_dir():
        raise BackupError(f"找不到备份目录 {source}。")
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"备份不完整:{source} 中没有 {MANIFEST}(备份可能没有做完),不能恢复。")
    manifest_bytes = manifest_path.read_bytes()
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"备份的 {MANIFEST} 已损坏,无法读取,不能恢复。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"备份格式为 {found!r},本程序只能恢复 {FORMAT!r} 格式的备份。请用制作该备份的程序版本恢复。")

    signature_path = source / SIGNATURE
    signature = signature_path.read_text("ascii", errors="replace").strip() if signature_path.is_file() else ""
    if not hmac.compare_digest(signature, _signature(manifest_bytes)) and not trust_other_key:
        raise BackupError(
            "备份清单的签名不符:清单被改动过,或备份来自 SECRET_KEY 不同的另一套系统。"
            "如确认备份来源可信(例如原服务器已损毁、密钥随之丢失),可加 --trust-other-key 只凭校验和恢复。"
        )

    try:
        database = manifest["database"]
        media = manifest["media"]
        tables = manifest["tables"]
        migrations = manifest["migrations"]
        engine = manifest["engine"]
    except KeyError as exc:
        raise BackupError(f"备份清单缺少“{exc.args[0]}”一项,不完整,不能恢复。") from None

    current = _engine()
    if engine != current:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"这是 {names.get(engine, engine)} 数据库的备份,当前 DATABASE_URL 指向 {names.get(current, current)}:"
            "请把 DATABASE_URL 指向同类数据库再恢复。"
        )
    expected_file = SQLITE_FILE if engine == "sqlite" else PG_FILE
    if database.get("file") != expected_file:
        raise BackupError(f"备份清单中的数据库文件名 {database.get('file')!r} 不对,应为 {expected_file}。")

    known = {f"{app}.{name}" for app, name in known_migrations()}
    unknown = sorted(set(migrations) - known)
    if unknown:
        listed = "、".join(unknown[:5]) + ("等" if len(unknown) > 5 else "")
        raise BackupError(
            f"备份来自较新或不同的程序版本 {manifest.get('program_version', '未知')}:其中有本程序不认识的数据库迁移"
            f"({listed})。请先把程序升级到与备份相同的版本,再恢复。"
        )

    expected: dict[str, dict] = {database["file"]: database}
    for entry in media:
        relative = PurePosixPath(str(entry.get("path", "")))
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise BackupError(f"备份清单中的文件路径 {entry.get('path')!r} 不合法,不能恢复。")
        expected[f"{MEDIA_DIR}/{relative}"] = entry

    present = {
        path.relative_to(source).as_posix()
        for path in source.rglob("*")
        if (path.is_file() or path.is_symlink()) and path.name not in (MANIFEST, SIGNATURE)
    }
    missing = sorted(set(expected) - present)
    if missing:
        raise BackupError(f"备份不完整:缺少 {len(missing)} 个文件(如 {missing[0]}),不能恢复。")
    extra = sorted(present - set(expected))
    if extra:
        raise BackupError(f"备份中有清单之外的文件 {extra[0]} 等 {len(extra)} 个:备份被改动过,不能恢复。")
    for relative, entry in sorted(expected.items()):
        path = source / relative
        if path.is_symlink():
            raise BackupError(f"备份中的 {relative} 是符号链接:备份被改动过,不能恢复。")
        if path.stat().st_size != entry.get("size") or _sha256(path) != entry.get("sha256"):
            raise BackupError(f"备份文件 {relative} 的校验和与清单不符:文件已损坏或被改动,不能恢复。")
    if not isinstance(tables, dict) or not all(isinstance(count, int) for count in tables.values()):
        raise BackupError("备份清单中的行数记录已损坏,不能恢复。")
    return manifest


# ---------------------------------------------------------------------------------------------------------------
# Restore


def backup_restore(source: Path, *, trust_other_key: bool = False, say: Callable[[str], None] = lambda text: None):
    """Restore a verified backup into the configured, empty database and media folder.

    1. verify the whole backup (nothing is written if it fails);
    2. check the database and the media folder are empty;
    3. load the database, then compare every table's row count with the manifest;
    4. copy the media files;
    5. walk the trace's hash chain. Returns a summary dict.
    """
    source = Path(source).absolute()
    manifest = backup_verify(source, trust_other_key=trust_other_key)
    say("备份校验通过:清单签名、校验和、文件齐全。")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"上传文件目录 {media_root} 不为空:只能恢复到空目录。请换一个目录,或先把它移走。")
    if manifest["engine"] == "sqlite":
        _check_sqlite_empty()
        connections["default"].close()
        _restore_sqlite(source / SQLITE_FILE, manifest)
    else:
        _check_postgresql_empty()
        _restore_postgresql(source / PG_FILE, manifest)
    say(f"数据库已恢复:{len(manifest['tables'])} 张表,各表行数与清单一致。")

    staging = media_root.with_name(f".{media_root.name}.restoring-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    for entry in manifest["media"]:
        out = staging / entry["path"]
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / MEDIA_DIR / entry["path"], out)
    staging.mkdir(parents=True, exist_ok=True)
    if media_root.exists():
        media_root.rmdir()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(media_root)
    say(f"上传文件已恢复:{len(manifest['media'])} 个。")

    from luoshi.audit.services import verify_chain

    checked, problem = verify_chain()
    if problem:
        raise BackupError(f"数据已恢复,但留痕哈希链校验未通过:{problem}")
    audit = manifest.get("audit", {})
    if checked != audit.get("entries", checked):
        raise BackupError(f"恢复后留痕有 {checked} 条,清单记录为 {audit.get('entries')} 条。")
    pending = sorted({f"{app}.{name}" for app, name in known_migrations()} - set(manifest["migrations"]))
    return {"manifest": manifest, "audit_checked": checked, "pending_migrations": pending}


def _compare_counts(counts: dict[str, int], manifest: dict) -> None:
    expected = manifest["tables"]
    differing = [
        f"{table}(清单 {expected.get(table, '无')},实际 {counts.get(table, '无')})"
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)
    ]
    if differing:
        raise BackupError("恢复后的行数与备份清单不符:" + ";".join(differing[:5]))


def _sqlite_path() -> Path:
    return Path(connections["default"].settings_dict["NAME"])


def _check_sqlite_empty() -> None:
    target = _sqlite_path()
    if target.exists() and target.stat().st_size > 0:
        with sqlite3.connect(target) as existing:
            has_tables = existing.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
        if has_tables:
            raise BackupError(
                f"目标数据库 {target} 不是空的:只能恢复到空数据库。请把 DATABASE_URL 指向一个新文件,或先把它移走。"
            )


def _restore_sqlite(dump: Path, manifest: dict) -> None:
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring-{os.getpid()}")
    shutil.copyfile(dump, staging)
    try:
        _check_sqlite_copy(staging, manifest)
        _fsync(staging)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


def _check_sqlite_copy(path: Path, manifest: dict) -> None:
    copy = sqlite3.connect(path)
    try:
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("备份中的 SQLite 数据库未通过完整性检查,不能恢复。")
        tables = [
            row[0]
            for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        counts = {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份中的 SQLite 数据库已损坏({exc}),不能恢复。") from None
    finally:
        copy.close()
    _compare_counts(counts, manifest)


def _check_postgresql_empty() -> None:
    params = _pg_settings()
    with _pg_connect(params) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    if tables:
        raise BackupError(
            f"目标数据库 {params['dbname']} 不是空的(已有 {tables} 张表):只能恢复到空数据库。"
            "请新建一个数据库(createdb),把 DATABASE_URL 指向它再恢复。"
        )


def _restore_postgresql(dump: Path, manifest: dict) -> None:
    pg_restore = _pg_tool("pg_restore")
    params = _pg_settings()
    args, env = _pg_args(params)
    result = subprocess.run(
        [
            pg_restore,
            *args,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={params['dbname']}",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore 失败,数据库未作改动:{result.stderr.strip()[:500]}")
    with _pg_connect(params) as conn:
        counts = _pg_counts(conn)
    try:
        _compare_counts(counts, manifest)
    except BackupError as exc:
        raise BackupError(f"{exc}。数据库 {params['dbname']} 已写入,请删除它(dropdb)后换一份备份恢复。") from None


def _pg_counts(conn) -> dict[str, int]:
    from psycopg import sql

    names = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return {
        name: conn.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(name))).fetchone()[0]
        for name in names
    }
