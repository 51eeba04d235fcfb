"""The bell in the header: the unread count, one query per page at most, run only when the page shows it."""

from django.utils.functional import cached_property

from .models import Message


class Unread:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return Message.objects.filter(user=self.user).unread().count()


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread": Unread(user)}
