from django.shortcuts import redirect
from django.urls import reverse

# Paths a user who must change their password may still reach.
_ALLOWED_NAMES = ("password_change", "logout")


class PasswordChangeRequiredMiddleware:
    """Send a user whose password was set by someone else to change it first.

    Imported users and users whose password an administrator reset carry
    `must_change_password` until they choose their own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in _ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(("/static/", "/healthz")):
                return redirect("password_change")
        return self.get_response(request)
