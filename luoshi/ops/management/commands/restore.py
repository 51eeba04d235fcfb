"""Restore a backup made by `manage.py backup` into an empty database and media folder, after checking it all."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.ops.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "从 manage.py backup 做的备份恢复:先核对清单签名、每个文件的校验和、程序版本,"
        "再恢复到空数据库(DATABASE_URL)和空的上传目录,最后核对各表行数和留痕哈希链。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录")
        parser.add_argument("--check", action="store_true", help="只校验备份是否完整、未被改动,不恢复")
        parser.add_argument(
            "--trust-other-key",
            action="store_true",
            help="备份来自 SECRET_KEY 不同的系统(如原服务器已损毁)时,不核对签名,只凭校验和恢复",
        )

    def handle(self, *args, directory, check=False, trust_other_key=False, **options):
        try:
            if check:
                manifest = backup_verify(Path(directory), trust_other_key=trust_other_key)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"备份完好:{manifest['engine']},{len(manifest['tables'])} 张表,"
                        f"{sum(manifest['tables'].values()):,} 行,上传文件 {len(manifest['media'])} 个,"
                        f"程序版本 {manifest.get('program_version')},备份于 {manifest.get('started_at')}。"
                    )
                )
                return
            summary = backup_restore(Path(directory), trust_other_key=trust_other_key, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"恢复失败:{exc}") from None
        self.stdout.write(self.style.SUCCESS(f"恢复完成;留痕哈希链校验通过,共 {summary['audit_checked']} 条。"))
        if summary["pending_migrations"]:
            self.stdout.write(
                f"备份来自较早的版本,还有 {len(summary['pending_migrations'])} 个数据库迁移未执行:"
                "请运行 manage.py migrate。"
            )
