"""The bench's walk of every page of every role (bench/every_page.py) finds each role's
lists and the pages of the objects it reads, and measures them."""

from django.urls import clear_url_caches, reverse

from bench.every_page import _candidates, every_page
from tests.iscg.factories import UserFactory


def test_the_bench_walks_every_page_of_every_role(world, settings):
    settings.ROOT_URLCONF = "bench.urls"
    clear_url_caches()
    world.file("own")
    # The newest account of the base is another département's: not the one to open.
    outsider = UserFactory(prefecture=True, department=world.department["other_department"])
    opened = dict(_candidates(world.user("admin")))["administration:user_detail"]
    assert opened != reverse("administration:user_detail", args=[outsider.pk])
    users = {role: world.user(role) for role in ("worker", "unit_agent", "admin", "funder")}
    try:
        results = every_page(users, repeat=1)
    finally:
        clear_url_caches()
    pages = {role: {row["page"] for row in rows} for role, rows in results["roles"].items()}
    assert {"home", "cases:beneficiary_list", "cases:case_detail"} <= pages["worker"]
    assert {"referrals:unit_list", "referrals:unit_detail"} <= pages["unit_agent"]
    assert (
        "administration:user_list" in pages["admin"] and "cases:case_detail" not in pages["admin"]
    )
    assert all(row["queries"] > 0 and row["median_ms"] > 0 for row in results["roles"]["worker"])
    assert results["bare"]["queries"] >= 1
