"""Django's `changepassword`, traced: a password set from the command line is in the hash chain too."""

import getpass

from django.contrib.auth.management.commands import changepassword

from luoshi.audit.services import audit_changes, field_values
from luoshi.org.models import User


class Command(changepassword.Command):
    def handle(self, *args, **options):
        username = options.get("username") or getpass.getuser()
        user = User.objects.filter(username=username).first()
        before = field_values(user) if user else None
        result = super().handle(*args, **options)
        if user is not None:
            user.refresh_from_db()
            audit_changes(
                obj=user, before=before, by=None, action="command_password",
                note=f"命令行 changepassword 修改“{username}”的密码(操作系统用户 {getpass.getuser()})",
            )  # fmt: skip
        return result
