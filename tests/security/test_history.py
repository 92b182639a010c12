"""History pages: permission-checked like the object, confidential values masked."""

import datetime
import html
import re

from django.apps import apps
from django.urls import reverse

from iscg.history import CONFIDENTIAL, SENSITIVE_FIELDS
from tests.cases.factories import ActionFactory, BeneficiaryFactory, CaseFactory, ReferralFactory
from tests.iscg.factories import UserFactory

HISTORY_APPS = ("iscg", "cases", "partners", "conventions", "reporting")
# Models of those apps that need no history, and why.
NO_HISTORY = {
    "iscg.accesslog": "the access log is itself the audit trail, append-only",
    "iscg.postuserobjectpermission": "guardian grants, recomputed from relationships",
    "iscg.unituserobjectpermission": "guardian grants, recomputed from relationships",
    "iscg.employeruserobjectpermission": "guardian grants, recomputed from relationships",
    "conventions.conventionuserobjectpermission": "guardian grants, recomputed from parties",
    "reporting.reportuserobjectpermission": "guardian grants, recomputed from recipients",
    "cases.dataprotectionevent": "the data-protection register is itself an append-only trail",
    "cases.importbatch": "preview, import and undo are recorded in the data-protection register",
    "cases.weeklysummaryupload": "transient: its lines wait a day at most for the uploader; "
    "the saisines it records have their own history",
    "cases.referrallistvisit": "a unit user's last look at their saisines, moved forward "
    "on each visit: a time, no case data",
    "cases.notification": "e-mail outbox without personal data; its send state is its trail",
    "reporting.retainedcounts": "counts left by anonymisation, written once, registered",
    "reporting.frozenliveanswer": "perturbed counts of a closed quarter, written once, never "
    "edited: a history would repeat them",
    "iscg.submission": "a form's token kept a day against double submissions: no content",
    "iscg.accountsession": "a session, 12 hours at most: a history would keep its data (an "
    "import preview's messages) past its end; logins are in the access log",
    "iscg.department": "reference geography (INSEE), loaded by a command, never edited",
    "iscg.commune": "reference geography (INSEE), loaded by a command, never edited",
}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_sensitive_field_registry_names_real_fields():
    for label, policies in SENSITIVE_FIELDS.items():
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
        for policy in policies:
            assert policy.fields <= names, label


def _file():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    beneficiary = BeneficiaryFactory(post=post, created_by=worker, last_name="Nomsecret")
    case = CaseFactory(beneficiary=beneficiary, created_by=worker)
    action = ActionFactory(case=case, author=worker, confidential_note="Premiere note")
    action.confidential_note = "Seconde note"
    action._change_reason = None
    action.save()
    return worker, post, beneficiary, case, action


def test_the_worker_of_the_post_reads_who_changed_what(client):
    worker, _, _, _, action = _file()
    client.force_login(worker)
    response = client.get(reverse("history", args=["cases", "action", action.pk]))
    text = _text(response)
    assert response.status_code == 200
    assert "Création" in text and "Modification" in text
    assert "note confidentielle" in text
    assert "Premiere note" in text and "Seconde note" in text
    assert CONFIDENTIAL not in text


def test_a_unit_reads_its_referral_history_without_the_handling(client):
    worker, post, beneficiary, case, _ = _file()
    agent = UserFactory(unit_agent=True, department=post.employer.department)
    unit = agent.memberships.get().unit
    post.units.add(unit)
    referral = ReferralFactory(post=post, source_unit=unit, person_last_name="Declare")
    referral.beneficiary, referral.case, referral.taken_by = beneficiary, case, worker
    referral.status = "taken"
    referral.save()
    client.force_login(agent)
    text = _text(client.get(reverse("history", args=["cases", "referral", referral.pk])))
    assert "Prise en compte" in text  # the status, in French
    assert "Declare" in text  # what the unit entered
    assert CONFIDENTIAL in text
    assert text.count(CONFIDENTIAL) >= 3  # beneficiary, case, taken by
    client.force_login(worker)
    text = _text(client.get(reverse("history", args=["cases", "referral", referral.pk])))
    assert CONFIDENTIAL not in text


def test_history_is_refused_outside_scope_and_for_models_without_a_read_gate(client):
    _, _, beneficiary, _, action = _file()
    client.force_login(UserFactory(worker=True))
    assert client.get(reverse("history", args=["cases", "action", action.pk])).status_code == 404
    client.force_login(UserFactory(admin=True))
    for args in (
        ["cases", "beneficiary", beneficiary.pk],
        ["auth", "group", 1],
        ["iscg", "inconnu", 1],
        ["iscg", "user", 1],
    ):
        assert client.get(reverse("history", args=args)).status_code == 404, args


def test_a_bilans_draft_texts_stay_with_its_workers_and_employer_manager(client, monkeypatch):
    """A worker named someone in a bilan's evaluation, then rewrote it: once the bilan is
    sent, its recipients read its history without the drafts."""
    from reporting import services as reporting_services
    from reporting.models import ReportKind
    from reporting.periods import Period
    from reporting.scope import Scope
    from tests.iscg.factories import FunderFactory

    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    department = post.employer.department
    manager = UserFactory(employer_manager=True, employer=post.employer, department=department)
    funder = FunderFactory(department=department)
    funder_user = UserFactory(funder_user=True, funder=funder, department=department)
    readers_without_drafts = [
        funder_user,
        UserFactory(prefecture=True, department=department),
        UserFactory(admin=True, department=department),
    ]
    monkeypatch.setattr(
        reporting_services.creation,
        "funder_ids_covering",
        lambda *, post_ids, start, end: {funder.pk},
    )
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    report = reporting_services.report_create(
        kind=ReportKind.QUARTERLY, period=period, scope=Scope.for_post(post), acting_user=worker
    )
    for text, part, author in (
        ("Situation de Mme Brouillonnette", "worker", worker),
        ("Une année de coopération.", "worker", worker),
        ("Dossier de M. Premierjet", "employer", manager),
        ("Bonne coopération.", "employer", manager),
    ):
        report = reporting_services.report_update_evaluation(
            report=report, text=text, part=part, acting_user=author
        )
    reporting_services.report_validate(report=report, acting_user=manager)
    reporting_services.report_send(report=report, acting_user=manager)
    url = reverse("history", args=["reporting", "report", report.pk])
    for reader in readers_without_drafts:
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200, reader
        text = _text(response)
        assert "Brouillonnette" not in text and "Premierjet" not in text, reader
        assert "Une année de coopération." not in text, reader
        assert CONFIDENTIAL in text, reader
    for reader in (worker, manager):
        client.force_login(reader)
        text = _text(client.get(url))
        assert "Brouillonnette" in text and "Premierjet" in text, reader


def test_a_files_history_reads_as_a_timeline_a_person_understands(client):
    """Reproduced before: "n° 73", "poste n° 1", "commune de résidence n° 48", "created at",
    the internal search key, and a file's history without its actes, orientations and
    feedback."""
    from tests.cases.factories import OrientationFactory, UnitFeedbackFactory
    from tests.iscg.factories import CommuneFactory

    worker, post, beneficiary, case, action = _file()
    beneficiary.commune = CommuneFactory(name="Trévoux", code="01427")
    beneficiary.save()
    OrientationFactory(case=case, author=worker, reason="Accès au droit")
    referral = ReferralFactory(post=post, person_last_name="Declare")
    referral.case = case
    referral.save()
    UnitFeedbackFactory(referral=referral, author=worker, message="Contact établi")
    client.force_login(worker)

    text = _text(client.get(reverse("history", args=["cases", "case", case.pk])))
    assert f"Acte n° {action.pk} : Création" in " ".join(text.split())
    assert "Seconde note" in text  # the acte's change, in the file's timeline
    assert "Orientation n° " in text and "Accès au droit" in text
    assert "Retour à l'unité n° " in text and "Contact établi" in text
    assert f"<td>{post}</td>" in text and not re.search(r"<td>n° \d+</td>", text)
    assert "created at" not in text

    text = _text(client.get(reverse("history", args=["cases", "beneficiary", beneficiary.pk])))
    assert "Trévoux" in text
    assert "search" not in text and "nomsecret" not in text  # the lower-case search key
    assert "Nomsecret" in text  # the name itself, to the post's worker


def test_a_bilans_mask_and_audit_stay_with_its_workers(client):
    """A sent bilan's recipients read its figures with « s » for each masked count. Its
    history showed them the secrecy's record as stored: how many counts are 1 or 2
    (« primary »), every masked cell (the rows of a withheld table among them) and the
    communes a correction changed (failed before: the préfecture read them). Only the
    post's workers, who read its counts unmasked, read them."""
    from reporting import services as reporting_services
    from reporting.models import ReportKind
    from reporting.periods import Period
    from reporting.scope import Scope

    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    department = post.employer.department
    manager = UserFactory(employer_manager=True, employer=post.employer, department=department)
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    report = reporting_services.report_create(
        kind=ReportKind.QUARTERLY, period=period, scope=Scope.for_post(post), acting_user=worker
    )
    reporting_services.report_validate(report=report, acting_user=manager)
    report.refresh_from_db()
    reporting_services.report_send(report=report, acting_user=manager)
    url = reverse("history", args=["reporting", "report", report.pk])
    for reader in (manager, UserFactory(prefecture=True, department=department)):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200, reader
        text = _text(response)
        assert "primary" not in text and "with_reports" not in text, reader
        assert CONFIDENTIAL in text, reader
    client.force_login(worker)
    assert "primary" in _text(client.get(url))
