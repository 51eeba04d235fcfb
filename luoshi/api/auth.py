"""Authentication for the JSON API: a personal API token (Bearer), or the browser's session."""

from ninja.security import HttpBearer

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
