import pytest

from tests.factories_public import reset_public_state


@pytest.fixture(autouse=True)
def _fresh_public_state(settings):
    reset_public_state(settings)
    yield
