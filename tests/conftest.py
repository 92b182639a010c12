import pytest
from django.core.cache import cache


@pytest.hookimpl(tryfirst=True)  # before pytest-django sorts the tests by their marker
def pytest_collection_modifyitems(items):
    """Every test may use the database, as in les-emplois, unless marked ``no_db``."""
    for item in items:
        if not any(item.get_closest_marker(name) for name in ("no_db", "browser", "django_db")):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _isolated_storage_and_cache(request, settings, tmp_path):
    if request.node.get_closest_marker("browser"):
        yield
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    cache.clear()
    yield
