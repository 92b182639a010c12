"""Worker screens: a referral taken into a file, a referral recorded by the worker."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from cases.enums import ReferralStatus
from cases.files import selectors
from cases.files.forms import ReferralRecordForm
from cases.files.views.worker_objects import _referral_for_worker, _visible_beneficiary
from cases.models import Case
from cases.permissions import worker_required
from cases.referrals.services.intake import referral_record, referral_take_into_file
from iscg.audit import access_log_record, audited
from iscg.forms import apply_service_errors
from iscg.models import AccessAction


@worker_required
@audited
def referral_take_view(request, pk):
    referral = _referral_for_worker(request, pk)
    if referral.status != ReferralStatus.RECEIVED and referral.case_id:
        messages.info(request, f"La saisine {referral.number} est déjà prise en compte.")
        return redirect("cases:case_detail", pk=referral.case_id)
    candidates = list(selectors.referral_duplicates(request.user, referral))
    error = None
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if choice == "new":
            return redirect(reverse("cases:beneficiary_create") + f"?saisine={referral.pk}")
        try:
            beneficiary, case = _parse_take_choice(request, choice)
        except (ValueError, Http404):
            error = "Choisissez une personne existante ou la création d'une nouvelle fiche."
        else:
            try:
                case = referral_take_into_file(
                    referral=referral, beneficiary=beneficiary, case=case, acting_user=request.user
                )
            except (ValidationError, PermissionDenied) as exc:
                error = " ".join(getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(request, f"Saisine {referral.number} prise en compte.")
                return redirect("cases:case_detail", pk=case.pk)
    # The page shows the person the unit described and the matching files.
    access_log_record(user=request.user, action=AccessAction.VIEW, obj=referral, request=request)
    return render(
        request,
        "cases/files/referral_take.html",
        {
            "referral": referral,
            "candidates": candidates,
            "error": error,
            "choice": request.POST.get("choice", ""),
        },
        status=400 if error else 200,
    )


def _parse_take_choice(request, choice: str):
    """ "b<pk>" (new case for this person) or "b<pk>-c<pk>" (continue that case)."""
    if not choice.startswith("b"):
        raise ValueError(choice)
    parts = choice[1:].split("-c")
    beneficiary = _visible_beneficiary(request, int(parts[0]))
    case = None
    if len(parts) == 2:
        case = get_object_or_404(
            Case.objects.visible_to(request.user).open().filter(beneficiary=beneficiary),
            pk=int(parts[1]),
        )
    return beneficiary, case


@worker_required
def referral_record_view(request):
    form = ReferralRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        post = form.cleaned_data["post"]
        try:
            referral = referral_record(
                acting_user=request.user,
                post=post,
                origin=form.cleaned_data["origin"],
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Saisine {referral.number} enregistrée.")
            return redirect("cases:referral_take", pk=referral.pk)
    return render(request, "cases/files/referral_record.html", {"form": form})
