from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, the token from POST /api/v1/auth/token/.

    django-rest-knox: the database keeps a hash of each token, never the token; tokens expire
    (`JIAYUAN_API_TOKEN_HOURS`) and can be revoked one by one or all at once.
    """

    def _cleanup_token(self, auth_token: Any) -> bool:
        """Whether the presented token has expired (it is then removed and refused).

        knox also sweeps the user's other tokens on every request, one more query each time; an
        expired token is refused whenever it is presented, so the sweep buys nothing here.
        """
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document (/api/schema/) describes it: HTTP bearer."""

    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
