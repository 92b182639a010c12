# The permission tests' world: every role with its own objects, built once per module.
from tests.permissions.conftest import (  # noqa: F401 - fixtures
    _isolated_storage_and_cache,
    world,
    world_storage,
)
