"""Rights of the people concerned (RGPD art. 15 to 17): access, rectification, erasure.

The worker of the post, or the departmental administrator acting as DPO, exercises them
on the person's behalf; every use is written to the DPO's register with its reason.
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from cases.files.services.beneficiaries import EDITABLE_FIELDS
from cases.lifecycle.services.register import log_event
from cases.lifecycle.services.retention import anonymise_beneficiaries
from cases.models import (
    Action,
    Beneficiary,
    Case,
    DataProtectionAction,
    Orientation,
    Referral,
    UnitFeedback,
)
from iscg import access
from iscg.enums import Role
from iscg.gate import signed_in
from iscg.pdf import html_to_pdf
from iscg.text import person_search_text

# What the person may have rectified: the beneficiary's fields but the worker's
# assessments (profile, already known to the Département or the CAF).
ASSESSMENT_FIELDS = ("profile", "known_to_department", "known_to_caf")
RECTIFIABLE_FIELDS = [name for name in EDITABLE_FIELDS if name not in ASSESSMENT_FIELDS]


def may_exercise_rights(user) -> bool:
    return user.is_authenticated and access.has_role(user, Role.WORKER, Role.ADMIN)


def dpo_beneficiaries(user):
    """Every file of the départements where the user is administrator, archived ones too."""
    departments = access.department_ids(user, roles=[Role.ADMIN])
    if not departments:
        return Beneficiary.objects.none()
    return Beneficiary.objects.filter(post__employer__department_id__in=departments)


def rights_beneficiaries(user):
    """Whose rights the user may exercise: files of their posts (worker), of the DPO."""
    if not signed_in(user):
        return Beneficiary.objects.none()
    visible = Beneficiary.objects.visible_to(user).values("pk")
    return Beneficiary.objects.filter(
        Q(pk__in=visible) | Q(pk__in=dpo_beneficiaries(user).values("pk"))
    )


def _check(beneficiary, acting_user):
    if not rights_beneficiaries(acting_user).filter(pk=beneficiary.pk).exists():
        raise PermissionDenied("Vous ne pouvez pas exercer les droits de cette personne.")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": "Indiquez le motif de la demande (5 caractères au moins)."}
        )
    return reason


IDENTITY_LABELS = {
    "nom": "Nom",
    "prenom": "Prénom",
    "sexe": "Sexe",
    "date_de_naissance": "Date de naissance",
    "annee_de_naissance": "Année de naissance",
    "tranche_d_age": "Tranche d'âge",
    "situation_familiale": "Situation familiale",
    "nombre_d_enfants": "Nombre d'enfants",
    "commune": "Commune de résidence",
    "telephone": "Téléphone",
    "courriel": "Courriel",
    "profil": "Profil",
    "connu_du_departement": "Déjà connu·e des services sociaux du Département",
    "connu_de_la_caf": "Déjà connu·e de la CAF",
    "fiche_creee_le": "Fiche créée le",
    "archivee_le": "Archivée le",
    "anonymisee_le": "Anonymisée le",
    "poste": "Poste",
    "employeur": "Employeur",
}


def identity_rows(data: dict) -> list[tuple[str, object]]:
    """The identity block of an export, with French labels, for pages and the PDF."""
    return [(IDENTITY_LABELS[key], value) for key, value in data["personne"].items()]


def _date(value):
    if value is None:
        return None
    if hasattr(value, "hour"):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _label(obj, field):
    getter = getattr(obj, f"get_{field}_display", None)
    return getter() if getter else getattr(obj, field)


def beneficiary_data(beneficiary: Beneficiary) -> dict:
    """Everything held about one person, in French keys, without other people's identifiers.

    Free texts and confidential notes are included: they are the person's data.
    """
    b = beneficiary
    data = {
        "personne": {
            "nom": b.last_name,
            "prenom": b.first_name,
            "sexe": b.get_sex_display(),
            "date_de_naissance": _date(b.birth_date),
            "annee_de_naissance": b.birth_year,
            "tranche_d_age": b.get_age_band_display(),
            "situation_familiale": b.get_family_situation_display(),
            "nombre_d_enfants": b.children_count,
            "commune": str(b.commune) if b.commune else "",
            "telephone": b.phone,
            "courriel": b.email,
            "profil": b.get_profile_display(),
            "connu_du_departement": b.get_known_to_department_display(),
            "connu_de_la_caf": b.get_known_to_caf_display(),
            "fiche_creee_le": _date(b.created_at),
            "archivee_le": _date(b.archived_at),
            "anonymisee_le": _date(b.anonymised_at),
            "poste": b.post.label,
            "employeur": b.post.employer.name,
        },
        "accompagnements": [],
        "saisines": [],
    }
    cases = Case.objects.filter(beneficiary=b).select_related("post").order_by("opened_on", "pk")
    for case in cases:
        actions = (
            Action.objects.filter(case=case).select_related("kind", "site").order_by("occurred_at")
        )
        orientations = (
            Orientation.objects.filter(case=case)
            .select_related("partner", "partner__kind")
            .order_by("oriented_on")
        )
        data["accompagnements"].append(
            {
                "numero": case.pk,
                "poste": case.post.label,
                "ouvert_le": _date(case.opened_on),
                "cloture_le": _date(case.closed_on),
                "motif_de_cloture": case.get_closing_reason_display() if case.closed_on else "",
                "actes": [
                    {
                        "date": _date(a.occurred_at),
                        "type": a.kind.label,
                        "duree_minutes": a.duration_minutes,
                        "lieu": a.site.name if a.site else "",
                        "note": a.confidential_note,
                    }
                    for a in actions
                ],
                "orientations": [
                    {
                        "date": _date(o.oriented_on),
                        "partenaire": str(o.partner),
                        "type_de_partenaire": str(getattr(o.partner, "kind", "") or ""),
                        "motif": o.reason,
                        "statut": o.get_status_display(),
                        "reponse_du_partenaire": o.partner_answer,
                    }
                    for o in orientations
                ],
            }
        )
    referrals = (
        Referral.objects.filter(Q(beneficiary=b) | Q(case__beneficiary=b))
        .select_related("source_unit", "main_problem", "person_commune", "partner")
        .prefetch_related("secondary_problems")
        .distinct()
        .order_by("received_at")
    )
    for r in referrals:
        data["saisines"].append(
            {
                "numero": r.number,
                "recue_le": _date(r.received_at),
                "unite": r.source_unit.name if r.source_unit else "",
                "origine": r.get_origin_display(),
                "partenaire": str(r.partner) if r.partner else "",
                "circonstance": r.get_circumstance_display() if r.circumstance else "",
                "problematique_principale": r.main_problem.label,
                "problematiques_secondaires": [p.label for p in r.secondary_problems.all()],
                "procedure": r.get_procedure_kind_display(),
                "reference_de_la_procedure": r.procedure_reference,
                "accepte_d_etre_contactee": r.consent_to_contact,
                "urgence": r.get_urgency_display(),
                "statut": r.get_status_display(),
                "personne_telle_que_saisie": {
                    "nom": r.person_last_name,
                    "prenom": r.person_first_name,
                    "telephone": r.person_phone,
                    "sexe": r.get_person_sex_display(),
                    "annee_de_naissance": r.person_birth_year,
                    "age": r.person_age,
                    "commune": str(r.person_commune) if r.person_commune else "",
                },
                "contexte": r.context,
                "retours_a_l_unite": [
                    {
                        "date": _date(f.sent_at),
                        "retour": f.get_kind_display(),
                        "tentatives": f.attempts,
                        "message": f.message,
                    }
                    for f in UnitFeedback.objects.filter(referral=r).order_by("sent_at")
                ],
            }
        )
    return data


@transaction.atomic
def without_confidential_notes(data: dict) -> dict:
    """``beneficiary_data`` for the administrator acting as DPO: everything but the
    confidential notes of the actes (DESIGN.md), which only the post's workers read."""
    for case in data["accompagnements"]:
        for action in case["actes"]:
            action.pop("note", None)
    return data


def beneficiary_export(*, beneficiary, fmt: str, reason: str, acting_user) -> tuple[bytes, str]:
    """The export for the right of access: JSON for a machine, PDF for the person.

    Made by a worker of the post, it holds the confidential notes; made by the DPO, it
    holds everything else (the worker completes it with the notes if the person asks).
    """
    _check(beneficiary, acting_user)
    reason = _reason(reason)
    data = beneficiary_data(beneficiary)
    if not Beneficiary.objects.visible_to(acting_user).filter(pk=beneficiary.pk).exists():
        without_confidential_notes(data)
    if fmt == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        content_type = "application/json"
    elif fmt == "pdf":
        html = render_to_string(
            "cases/lifecycle/rights_export_pdf.html",
            {"data": data, "identity": identity_rows(data), "generated_at": timezone.now()},
        )
        content = html_to_pdf(html)
        content_type = "application/pdf"
    else:
        raise ValidationError("Format inconnu : choisissez JSON ou PDF.")
    log_event(
        action=DataProtectionAction.EXPORT,
        acting_user=acting_user,
        obj=beneficiary,
        reason=reason,
        details={"format": fmt},
    )
    return content, content_type


@transaction.atomic
def beneficiary_rectify(*, beneficiary, changes: dict, reason: str, acting_user) -> Beneficiary:
    """Corrects identity fields at the person's request; history keeps the previous values."""
    _check(beneficiary, acting_user)
    reason = _reason(reason)
    if beneficiary.anonymised_at is not None:
        raise ValidationError("Cette fiche est anonymisée : il n'y a plus rien à rectifier.")
    changed = [
        name
        for name, value in changes.items()
        if name in RECTIFIABLE_FIELDS and getattr(beneficiary, name) != value
    ]
    for name in changed:
        setattr(beneficiary, name, changes[name])
    beneficiary.search_text = person_search_text(
        beneficiary.last_name, beneficiary.first_name, beneficiary.phone
    )
    beneficiary._change_reason = "Rectification (droits de la personne)"
    beneficiary.full_clean()
    beneficiary.save()
    log_event(
        action=DataProtectionAction.RECTIFY,
        acting_user=acting_user,
        obj=beneficiary,
        reason=reason,
        details={"fields": changed},
    )
    return beneficiary


@transaction.atomic
def beneficiary_erase(*, beneficiary, reason: str, acting_user) -> Beneficiary:
    """Erasure on request: the same anonymisation as at the end of the archive, at once
    (the person is replaced by counts and deleted; the returned object is no longer
    stored)."""
    _check(beneficiary, acting_user)
    reason = _reason(reason)
    beneficiaries, referrals = anonymise_beneficiaries(beneficiary_ids=[beneficiary.pk])
    log_event(
        action=DataProtectionAction.ERASE,
        acting_user=acting_user,
        obj=beneficiary,
        reason=reason,
        details={"referrals": referrals},
    )
    return beneficiary
