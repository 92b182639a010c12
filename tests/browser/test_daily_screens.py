"""Pages a worker and an agent meet daily, as a browser lays them out, with axe-core."""

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.enums import ReferralStatus
from tests.browser.conftest import all_violations, describe, force_login
from tests.cases.factories import ActionFactory, BeneficiaryFactory, CaseFactory, ReferralFactory
from tests.iscg.factories import UnitFactory, UserFactory


def test_a_long_unbroken_word_wraps_in_the_actes_table(page, live_server, reference_lists):
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    case = CaseFactory(
        beneficiary=BeneficiaryFactory(post=post, created_by=worker),
        opened_on=timezone.localdate(),
    )
    ActionFactory(case=case, author=worker, confidential_note="x" * 400)
    page.set_viewport_size({"width": 1024, "height": 800})
    force_login(page, live_server, worker)
    page.goto(reverse("cases:case_detail", args=[case.pk]))
    for selector in (".fr-table", ".fr-table table"):
        sizes = page.locator(f"section[aria-labelledby=actes] {selector}").evaluate(
            "el => [el.scrollWidth, el.clientWidth]"
        )
        assert sizes[0] <= sizes[1], (selector, sizes)
    violations = all_violations(page)
    assert violations == [], describe(violations)


def test_the_unit_list_paginates_without_a_contrast_failure(page, live_server, reference_lists):
    unit = UnitFactory()
    agent = UserFactory(unit_agent=True, unit=unit, department=unit.department)
    for _ in range(25):
        ReferralFactory(source_unit=unit, submitted_by=agent, status=ReferralStatus.RECEIVED)
    force_login(page, live_server, agent)
    for path in ("/saisines/unite/", "/saisines/unite/?page=2"):
        page.goto(path)
        violations = all_violations(page)
        assert violations == [], f"{path}\n" + describe(violations)
    expect(page.get_by_role("link", name="Page précédente")).to_be_visible()
