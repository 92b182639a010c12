"""Worker screens: beneficiaries (list, creation from a referral, detail, update)."""

import itertools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.files import selectors
from cases.files.filters import BeneficiaryFilter
from cases.files.forms import BeneficiaryForm
from cases.files.services.beneficiaries import beneficiary_create, beneficiary_update
from cases.files.views.worker_objects import _referral_for_worker, _visible_beneficiary
from cases.models import Action, Beneficiary, Case, Orientation, Referral
from cases.permissions import worker_required
from cases.referrals.services.intake import referral_take_into_file
from cases.view_helpers import _bounded_page, _query_without_page
from iscg.audit import access_log_record, audited
from iscg.forms import apply_service_errors
from iscg.models import AccessAction


@worker_required
def beneficiary_list(request):
    queryset = selectors.beneficiary_list(request.user)
    filterset = BeneficiaryFilter(request.GET or None, queryset=queryset, user=request.user)
    page = _bounded_page(request, filterset.qs)
    page.object_list = selectors.with_open_case_counts(request.user, page.object_list)
    return render(
        request,
        "cases/files/beneficiary_list.html",
        {"filter": filterset, "page_obj": page, "query": _query_without_page(request)},
    )


def estimated_birth_year(referral: Referral) -> int | None:
    """The birth year the unit gave, or the one its stated age implies at the saisine's
    date (dropping the age left the file "âge inconnu" and the bilan one unknown more)."""
    if referral.person_birth_year:
        return referral.person_birth_year
    if referral.person_age is not None:
        return timezone.localtime(referral.received_at).year - referral.person_age
    return None


def _referral_initial(referral: Referral) -> dict:
    return {
        "post": referral.post_id,
        "last_name": referral.person_last_name,
        "first_name": referral.person_first_name,
        "phone": referral.person_phone,
        "sex": referral.person_sex,
        "birth_year": estimated_birth_year(referral),
        "commune": referral.person_commune_id,
    }


@worker_required
@audited
def beneficiary_create_view(request):
    referral = None
    if request.GET.get("saisine") or request.POST.get("saisine"):
        referral = _referral_for_worker(
            request, request.GET.get("saisine") or request.POST.get("saisine")
        )
    initial = _referral_initial(referral) if referral else {}
    form = BeneficiaryForm(request.POST or None, user=request.user, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            selectors.probable_duplicates(
                request.user,
                last_name=data["last_name"],
                first_name=data["first_name"],
                birth_date=data["birth_date"],
                birth_year=data["birth_year"],
                phone=data["phone"],
            )
        )
        if duplicates and not data["confirm_duplicate"]:
            form.data = form.data.copy()
            form.data["confirm_duplicate"] = "True"
        else:
            try:
                if referral is None:
                    beneficiary = beneficiary_create(
                        acting_user=request.user, post=data["post"], **form.service_fields()
                    )
                else:
                    case = referral_take_into_file(
                        referral=referral,
                        new_person={"post": data["post"], **form.service_fields()},
                        acting_user=request.user,
                    )
                    messages.success(
                        request,
                        f"Fiche de {case.beneficiary.display_name} créée, saisine "
                        f"{referral.number} prise en compte et accompagnement ouvert.",
                    )
                    return redirect("cases:case_detail", pk=case.pk)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Fiche de {beneficiary.display_name} créée.")
                return redirect("cases:beneficiary_detail", pk=beneficiary.pk)
    if referral is not None:
        # The form is pre-filled with the person the unit described: a read of the referral.
        access_log_record(
            user=request.user, action=AccessAction.VIEW, obj=referral, request=request
        )
    return render(
        request,
        "cases/files/beneficiary_form.html",
        {"form": form, "duplicates": duplicates, "referral": referral, "creating": True},
    )


@worker_required
def beneficiary_update_view(request, pk):
    beneficiary = _visible_beneficiary(request, pk)
    form = BeneficiaryForm(request.POST or None, instance=beneficiary, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        beneficiary.refresh_from_db()
        try:
            beneficiary_update(beneficiary=beneficiary, acting_user=request.user, **fields)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Fiche mise à jour.")
            return redirect("cases:beneficiary_detail", pk=beneficiary.pk)
    return render(
        request, "cases/files/beneficiary_form.html", {"form": form, "beneficiary": beneficiary}
    )


def _timeline(case: Case) -> list[dict]:
    """Referrals, actes and orientations of a case, most recent first."""
    events = itertools.chain(
        ({"kind": "referral", "at": r.received_at.date(), "obj": r} for r in case.referrals.all()),
        ({"kind": "action", "at": a.occurred_at.date(), "obj": a} for a in case.actions.all()),
        ({"kind": "orientation", "at": o.oriented_on, "obj": o} for o in case.orientations.all()),
    )
    return sorted(events, key=lambda e: e["at"], reverse=True)


@worker_required
@audited
def beneficiary_detail(request, pk):
    beneficiary = get_object_or_404(
        Beneficiary.objects.visible_to(request.user).select_related("commune", "post"), pk=pk
    )
    request.audit = (AccessAction.VIEW, beneficiary)
    cases = (
        Case.objects.visible_to(request.user)
        .filter(beneficiary=beneficiary)
        .select_related("post")
        .prefetch_related(
            Prefetch(
                "referrals", queryset=Referral.objects.select_related("source_unit", "main_problem")
            ),
            Prefetch("actions", queryset=Action.objects.select_related("kind", "site", "author")),
            Prefetch("orientations", queryset=Orientation.objects.select_related("partner")),
        )
    )
    timeline = [{"case": case, "events": _timeline(case)} for case in cases]
    return render(
        request,
        "cases/files/beneficiary_detail.html",
        {"beneficiary": beneficiary, "timeline": timeline},
    )
