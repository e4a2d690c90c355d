import pytest
import time_machine

from tests.clock import PINNED_NOW


@pytest.fixture(autouse=True, scope="session")
def _pinned_clock_for_set_up():  # type: ignore[no-untyped-def]
    """What runs outside a test (a TestCase's setUpTestData, module fixtures) runs on the day too."""
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _pinned_clock(_pinned_clock_for_set_up):  # type: ignore[no-untyped-def]
    """Every test starts at the same moment (see tests/clock.py): none reads the wall clock."""
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "zh-hans"
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded files never land in the project's var/
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not carry over from one test to the next


@pytest.fixture(autouse=True)
def _sms_to_memory(settings):  # type: ignore[no-untyped-def]
    """Texts go to memory (jiayuan.testing.sms reads them): the outbox keeps codes redacted."""
    from jiayuan.notifications.backends import MemoryBackend

    settings.JIAYUAN_SMS_BACKEND = "jiayuan.notifications.backends.MemoryBackend"
    MemoryBackend.sent.clear()


@pytest.fixture(autouse=True, scope="session")
def _huey_immediate():  # type: ignore[no-untyped-def]
    """Background tasks (SMS delivery) run where they are queued, after the commit, as a worker would."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from jiayuan.testing.world import build_world

    return build_world()


@pytest.fixture
def actor_of(world):  # type: ignore[no-untyped-def]
    from jiayuan.core.actor import actor_for

    def get(name: str):  # type: ignore[no-untyped-def]
        user = world.users[name]
        user.__dict__.pop("_jiayuan_actor", None)
        return actor_for(user)

    return get
