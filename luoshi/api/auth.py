"""Authentication for the JSON API: a personal API token (Bearer), or the browser's session."""

from ninja.security import HttpBearer
from ninja.security import SessionAuth as DjangoSessionAuth

from luoshi.org.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer ls_…`, a token the user made on their account page.

    The request then acts as that user: `request.user` is set, so every endpoint
    starts from `visible_to(request.user)` whichever way the caller logged in.
    No CSRF check applies: a browser never sends this header by itself.
    """

    def authenticate(self, request, token: str):
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


class SessionAuth(DjangoSessionAuth):
    """The browser's session, with ninja's CSRF check, but only for a logged-in session.

    Without a session there is nothing for CSRF to protect: a client that sent no token, or a revoked or
    mistyped one, is told 401 (not logged in), not 403 (CSRF), so that it knows to fix its token.
    """

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)
