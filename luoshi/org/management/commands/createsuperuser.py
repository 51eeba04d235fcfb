"""Django's `createsuperuser`, traced. The account it makes is a 系统管理员 (role admin): under 三员分立 no
account holds every power, whatever its superuser flag says (User.has_perm)."""

import getpass

from django.contrib.auth.management.commands import createsuperuser

from luoshi.audit.services import audit_changes
from luoshi.org.models import User


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        last = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        result = super().handle(*args, **options)
        for user in User.objects.filter(pk__gt=last):
            audit_changes(
                obj=user, before=None, by=None, action="command_create_admin",
                note=f"命令行 createsuperuser 创建管理员账号“{user.username}”(操作系统用户 {getpass.getuser()})",
            )  # fmt: skip
        return result
