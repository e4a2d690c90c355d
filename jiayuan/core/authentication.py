from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, the token from POST /api/v1/auth/token/.

    django-rest-knox: the database keeps a hash of each token, never the token; tokens expire
    (`JIAYUAN_API_TOKEN_HOURS`) and can be revoked one by one or all at once.
    """


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document (/api/schema/) describes it: HTTP bearer."""

    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
