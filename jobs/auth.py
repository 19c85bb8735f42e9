"""WebSocket authentication: the session cookie (browser) or a DRF token (the CLI client).

The token comes in an `Authorization: Token <key>` header or a `?token=` query
parameter; AuthMiddlewareStack's session user is used when there is none.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware


@database_sync_to_async
def user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    return token.user if token and token.user.is_active else None


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        key = _token(scope)
        if key:
            user = await user_for_token(key)
            if user is not None:
                scope = {**scope, "user": user}
        return await super().__call__(scope, receive, send)


def _token(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            kind, _, key = value.decode().partition(" ")
            if kind.lower() == "token" and key:
                return key.strip()
    query = parse_qs(scope.get("query_string", b"").decode())
    return query.get("token", [None])[0]


def AuthStack(inner):  # noqa: N802 - named like AuthMiddlewareStack, which it wraps
    return AuthMiddlewareStack(TokenAuthMiddleware(inner))
