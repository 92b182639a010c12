"""History pages: permission-checked like the object, confidential values masked."""

import html

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
    "iscg.department": "reference geography (INSEE), loaded by a command, never edited",
    "iscg.commune": "reference geography (INSEE), loaded by a command, never edited",
    "conventions.conventionuserobjectpermission": "guardian grants, recomputed",
    "reporting.reportuserobjectpermission": "guardian grants, recomputed",
    "cases.notification": "e-mail outbox (event, status, counts), no content",
    "cases.dataprotectionevent": "the DPO's register is itself an append-only trail",
    "cases.importbatch": "each import and undo is written to the DPO's register",
}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_every_model_holding_case_convention_report_or_user_data_has_history():
    missing = []
    for app_label in HISTORY_APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label_lower
            if model.__name__.startswith("Historical") or label in NO_HISTORY:
                continue
            if not getattr(model._meta, "simple_history_manager_attribute", None):
                missing.append(label)
    assert missing == [], f"Sans historique (django-simple-history) : {missing}"


def test_the_sensitive_field_registry_names_real_fields():
    for label, policy in SENSITIVE_FIELDS.items():
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
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
