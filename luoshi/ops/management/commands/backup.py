"""Back up the database and the uploaded files into one folder, with a signed manifest of checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "备份数据库和上传文件到一个新目录:SQLite 用在线备份(网站运行中也可备份),PostgreSQL 用 pg_dump;"
        "附带清单(各文件 SHA-256、程序版本、各表行数)和签名。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录:不存在或为空,例如 /backup/luoshi-2026-11-30")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup_create(Path(directory), say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"备份失败:{exc}") from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成:{directory}\n"
                f"  数据库 {manifest['engine']},{len(manifest['tables'])} 张表,{rows:,} 行;"
                f"上传文件 {len(manifest['media'])} 个;留痕 {manifest['audit']['entries']} 条。\n"
                f"  恢复:manage.py restore {directory}(恢复到空数据库和空的上传目录)"
            )
        )
