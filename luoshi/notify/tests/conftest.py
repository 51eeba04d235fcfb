"""Fixtures of the notify tests: the county clock, the local fakes, and the settings pointing at them."""

import pytest

from luoshi.work.tests.conftest import clock, rules  # noqa: F401  (pytest finds fixtures by name)

from .fakes import Mailbox, Robot


@pytest.fixture
def robot(settings):
    fake = Robot()
    settings.LUOSHI_NOTIFY_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.LUOSHI_SMS_URL = f"{fake.base}/sms"
    settings.LUOSHI_SMS_BODY = '{{"mobile": "{mobile}", "content": "{text}"}}'
    settings.LUOSHI_SMS_SUCCESS = '"code": 0'
    yield fake
    fake.close()


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = box.port
    yield box
    box.close()
