from typing import Any

from django.http import HttpRequest

from jiayuan.core.actor import actor_for


def actor(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"actor": actor_for(user)}
