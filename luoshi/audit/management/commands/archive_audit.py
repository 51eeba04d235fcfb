"""Move the trail and the login log older than a date into a signed archive file (at least 180 days are kept)."""

import getpass
from datetime import datetime, time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from luoshi.audit.archive import archive_audit
from luoshi.lib.errors import ActionError


class Command(BaseCommand):
    help = "把某日以前的留痕和登录日志归档到签名文件并移出数据库(至少保留 180 天,不会删除更新的记录)。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, metavar="YYYY-MM-DD", help="归档这一天以前的记录")
        parser.add_argument(
            "--dir", default=str(settings.VAR_DIR / "audit-archive"), metavar="目录", help="归档文件存放目录"
        )

    def handle(self, *args, **options):
        try:
            day = datetime.strptime(options["before"], "%Y-%m-%d").date()
        except ValueError:
            raise CommandError(f"--before “{options['before']}”不是日期,请写成 2026-05-31。") from None
        before = datetime.combine(day, time.min, timezone.get_current_timezone())
        try:
            archive = archive_audit(
                before=before,
                folder=Path(options["dir"]),
                by_name=f"命令行 archive_audit(操作系统用户 {getpass.getuser()})",
            )
        except ActionError as error:
            raise CommandError(error.message) from None
        if archive is None:
            self.stdout.write(f"{day} 以前没有可归档的留痕。")
            return
        self.stdout.write(
            f"已归档第 {archive.first_seq}–{archive.upto_seq} 条留痕、{archive.login_events} 条登录日志到 {archive.file_name}"
            f"(SHA-256 {archive.file_sha256})。请把该文件另行备份保存。"
        )
