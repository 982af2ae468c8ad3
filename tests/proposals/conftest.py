"""Fixtures of the applicant's proposal pages: an applicant signed in, an open call, a clock."""
from datetime import timedelta

import pytest

from tests.factories import CallFactory, make_user
from tests.helpers import web_login
from unscar.dates import freeze_clock, utcnow


@pytest.fixture
def applicant(app):
    return make_user("applicant")


@pytest.fixture
def call(app):
    return CallFactory()


@pytest.fixture
def signed_in(client, applicant):
    web_login(client, applicant.email)
    return client


@pytest.fixture
def clock():
    freeze_clock(utcnow())
    yield lambda **delta: freeze_clock(utcnow() + timedelta(**delta))
    freeze_clock(None)
