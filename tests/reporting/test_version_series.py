"""One version series per scope, kind and period.

Reproduced before: asking again for the "Bilan annuel 2025" of a scope created a second
"version 1" beside the existing one, its evaluation to be typed again.
"""

import datetime

from django.urls import reverse

from reporting import services
from reporting.models import Report, ReportKind, ReportStatus
from reporting.periods import Period
from reporting.scope import Scope
from tests.reporting.test_views import world  # noqa: F401 - fixture

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def test_asking_again_computes_the_next_version_with_the_evaluations(world):  # noqa: F811
    data, users, _sent, draft = world
    services.report_update_evaluation(
        report=draft, text="Présence appréciée des unités.", part="employer",
        acting_user=users["manager"],
    )  # fmt: skip
    again = services.report_create(
        kind=ReportKind.QUARTERLY,
        period=Q1,
        scope=Scope.for_employer(data["employer"]),
        acting_user=users["manager"],
    )
    assert (again.version, again.previous_version_id) == (2, draft.pk)
    assert again.employer_evaluation == "Présence appréciée des unités."
    assert again.status == ReportStatus.DRAFT
    series = Report.objects.of_series(
        department_id=draft.department_id,
        kind=ReportKind.QUARTERLY,
        period_start=Q1.start,
        period_end=Q1.end,
        scope=draft.scope,
    )
    assert sorted(series.values_list("version", flat=True)) == [1, 2]
    # Another kind of the same period is another series.
    monthly = services.report_create(
        kind=ReportKind.ON_DEMAND,
        period=Q1,
        scope=Scope.for_employer(data["employer"]),
        acting_user=users["manager"],
    )
    assert monthly.version == 1


def test_a_post_bilan_asked_again_by_its_worker_keeps_what_they_type(world):  # noqa: F811
    data, users, sent, _draft = world
    march = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    again = services.report_create(
        kind=ReportKind.MONTHLY,
        period=march,
        scope=Scope.for_post(data["post"]),
        acting_user=data["worker"],
        evaluation_text="Nouvelle évaluation saisie à la création.",
    )
    assert (again.version, again.previous_version_id) == (sent.version + 1, sent.pk)
    assert again.worker_evaluation == "Nouvelle évaluation saisie à la création."
    sent.refresh_from_db()
    assert sent.status == ReportStatus.SENT  # the sent version stays as it was


def test_the_creation_page_says_a_new_version_was_computed(client, world):  # noqa: F811
    data, users, _sent, draft = world
    client.force_login(users["manager"])
    response = client.post(
        reverse("reporting:create"),
        {
            "kind": ReportKind.QUARTERLY,
            "scope": f"employer:{data['employer'].pk}",
            "preset": "custom",
            "start": "2026-01-01",
            "end": "2026-03-31",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Ce bilan existait déjà : sa version 2 est calculée" in page
    assert response.context["report"].previous_version_id == draft.pk
