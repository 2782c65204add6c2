"""The privacy tests' small generated university (tests/support/privacy_world.py)."""

from tests.support.privacy_world import delivered, university  # noqa: F401 (fixtures)
