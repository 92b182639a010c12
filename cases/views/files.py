"""Worker screens: beneficiaries, referrals to take, cases, actes, orientations, contacts.

Every object is read through ``visible_to`` (404 outside the worker's posts) and every
view is reserved to the worker role (403 otherwise). Writes go through the services.
"""

import itertools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.enums import ReferralStatus
from cases.filters import AnonymousContactFilter, BeneficiaryFilter
from cases.forms import (
    ActionForm,
    AnonymousContactForm,
    BeneficiaryForm,
    CaseCloseForm,
    OrientationForm,
    OrientationStatusForm,
    PartnerQuickForm,
    ReferralRecordForm,
)
from cases.models import Action, AnonymousContact, Beneficiary, Case, Orientation, Referral
from cases.permissions import worker_required
from cases.selectors import files as selectors
from cases.services.actions import action_log
from cases.services.beneficiaries import beneficiary_create, beneficiary_update
from cases.services.cases import case_close, case_open, case_reopen
from cases.services.contacts import anonymous_contact_log
from cases.services.intake import referral_record
from cases.services.orientations import orientation_create, orientation_update
from cases.services.referrals import referral_take
from iscg.audit import access_log_record, audited
from iscg.models import AccessAction
from iscg.pagination import OneQueryPaginator
from partners.models import Partner
from partners.services import partner_create

PAGE_SIZE = 25


def _apply_errors(form, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form, on its field when there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _page(request, queryset):
    return OneQueryPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# Beneficiaries ---------------------------------------------------------------------------


@worker_required
def beneficiary_list(request):
    queryset = selectors.beneficiary_list(request.user).order_by("last_name", "first_name", "pk")
    filterset = BeneficiaryFilter(request.GET or None, queryset=queryset, user=request.user)
    page = _page(request, filterset.qs)
    return render(
        request,
        "cases/beneficiary_list.html",
        {"filter": filterset, "page_obj": page, "query": _query_without_page(request)},
    )


def _referral_for_worker(request, pk):
    return get_object_or_404(
        Referral.objects.for_workers_of(request.user).select_related(
            "source_unit", "main_problem", "post", "person_commune", "partner"
        ),
        pk=pk,
    )


def _referral_initial(referral: Referral) -> dict:
    return {
        "post": referral.post_id,
        "last_name": referral.person_last_name,
        "first_name": referral.person_first_name,
        "phone": referral.person_phone,
        "sex": referral.person_sex,
        "birth_year": referral.person_birth_year,
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
                beneficiary = beneficiary_create(
                    acting_user=request.user, post=data["post"], **form.service_fields()
                )
                if referral is not None:
                    case = case_open(
                        beneficiary=beneficiary, post=referral.post, acting_user=request.user
                    )
                    referral_take(
                        referral=referral,
                        beneficiary=beneficiary,
                        case=case,
                        acting_user=request.user,
                    )
                    messages.success(
                        request,
                        f"Fiche de {beneficiary.display_name} créée, saisine {referral.number} "
                        "prise en compte et accompagnement ouvert.",
                    )
                    return redirect("cases:case_detail", pk=case.pk)
            except ValidationError as error:
                _apply_errors(form, error)
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
        "cases/beneficiary_form.html",
        {"form": form, "duplicates": duplicates, "referral": referral, "creating": True},
    )


def _visible_beneficiary(request, pk):
    return get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=pk)


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
            _apply_errors(form, error)
        else:
            messages.success(request, "Fiche mise à jour.")
            return redirect("cases:beneficiary_detail", pk=beneficiary.pk)
    return render(
        request, "cases/beneficiary_form.html", {"form": form, "beneficiary": beneficiary}
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
        "cases/beneficiary_detail.html",
        {"beneficiary": beneficiary, "timeline": timeline},
    )


@worker_required
@require_POST
def case_open_view(request, pk):
    beneficiary = _visible_beneficiary(request, pk)
    try:
        case = case_open(beneficiary=beneficiary, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:beneficiary_detail", pk=pk)
    messages.success(request, "Accompagnement ouvert.")
    return redirect("cases:case_detail", pk=case.pk)


# Cases -----------------------------------------------------------------------------------


def _visible_case(request, pk):
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "beneficiary", "beneficiary__commune", "post", "post__main_site"
        ),
        pk=pk,
    )


def _case_context(request, case, *, action_form=None, close_form=None):
    return {
        "case": case,
        "beneficiary": case.beneficiary,
        "referrals": case.referrals.select_related("source_unit", "main_problem").prefetch_related(
            "feedbacks"
        ),
        "actions": case.actions.select_related("kind", "site", "author"),
        "orientations": case.orientations.select_related("partner", "partner__kind"),
        "action_form": action_form or ActionForm(case=case),
        "close_form": close_form or CaseCloseForm(),
    }


def _render_case(request, case, *, status=200, **forms):
    """The case page, its read recorded in the access log (also when a form is re-shown)."""
    access_log_record(user=request.user, action=AccessAction.VIEW, obj=case, request=request)
    return render(
        request, "cases/case_detail.html", _case_context(request, case, **forms), status=status
    )


@worker_required
@audited
def case_detail(request, pk):
    return _render_case(request, _visible_case(request, pk))


@worker_required
@audited
def action_create(request, pk):
    case = _visible_case(request, pk)
    if request.method != "POST":
        return redirect(reverse("cases:case_detail", args=[pk]) + "#nouvel-acte")
    form = ActionForm(request.POST, case=case)
    if form.is_valid():
        try:
            action_log(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Acte enregistré.")
            return redirect(reverse("cases:case_detail", args=[pk]) + "#actes")
    return _render_case(request, case, status=400, action_form=form)


@worker_required
@audited
def case_close_view(request, pk):
    case = _visible_case(request, pk)
    if request.method != "POST":
        return redirect(reverse("cases:case_detail", args=[pk]) + "#cloture")
    form = CaseCloseForm(request.POST)
    if form.is_valid():
        try:
            case_close(
                case=case,
                reason=form.cleaned_data["reason"],
                closed_on=form.cleaned_data["closed_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Accompagnement clôturé.")
            return redirect("cases:case_detail", pk=pk)
    return _render_case(request, case, status=400, close_form=form)


@worker_required
@require_POST
def case_reopen_view(request, pk):
    case = _visible_case(request, pk)
    try:
        case_reopen(case=case, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Accompagnement rouvert.")
    return redirect("cases:case_detail", pk=pk)


# Orientations ----------------------------------------------------------------------------


def _partner_results(request, query: str):
    partners = Partner.objects.visible_to(request.user).filter(is_active=True)
    partners = partners.select_related("kind", "commune")
    for token in query.split():
        partners = partners.filter(
            Q(name__icontains=token)
            | Q(kind__label__icontains=token)
            | Q(commune__name__icontains=token)
        )
    return partners.order_by("name")[:15]


@worker_required
def orientation_create_view(request, pk):
    case = _visible_case(request, pk)
    initial = {}
    if request.GET.get("partenaire"):
        initial["partner"] = request.GET["partenaire"]
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        # A partner picked among the search results wins over the drop-down list.
        if data.get("partner_pick"):
            data["partner"] = data["partner_pick"]
    form = OrientationForm(data, user=request.user, initial=initial)
    query = (request.POST or request.GET).get("partner_query", "").strip()
    if request.method == "POST" and "search" in request.POST:
        form = OrientationForm(
            initial={**data.dict(), "partner": data.get("partner") or None},
            user=request.user,
        )
    elif request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "partner_query"}
        try:
            orientation_create(case=case, acting_user=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Orientation vers {data['partner']} enregistrée.")
            return redirect(reverse("cases:case_detail", args=[pk]) + "#orientations")
    return render(
        request,
        "cases/orientation_form.html",
        {
            "case": case,
            "form": form,
            "query": query,
            "partners": _partner_results(request, query) if query else None,
        },
    )


@worker_required
def partner_search(request):
    """htmx fragment: partners matching the search box of the orientation form."""
    query = request.GET.get("partner_query", "").strip()
    return render(
        request,
        "cases/_partner_results.html",
        {"partners": _partner_results(request, query) if query else None, "query": query},
    )


@worker_required
def partner_quick_create(request, pk):
    case = _visible_case(request, pk)
    form = PartnerQuickForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Partenaire « {partner.name} » ajouté à l'annuaire.")
            return redirect(
                reverse("cases:orientation_create", args=[pk]) + f"?partenaire={partner.pk}"
            )
    return render(request, "cases/partner_quick_form.html", {"case": case, "form": form})


@worker_required
def orientation_update_view(request, pk):
    orientation = get_object_or_404(
        Orientation.objects.visible_to(request.user).select_related("case", "partner"), pk=pk
    )
    form = OrientationStatusForm(request.POST or None, instance=orientation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        orientation.refresh_from_db()
        try:
            orientation_update(orientation=orientation, acting_user=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Orientation mise à jour.")
            return redirect(
                reverse("cases:case_detail", args=[orientation.case_id]) + "#orientations"
            )
    return render(
        request,
        "cases/orientation_update.html",
        {"orientation": orientation, "case": orientation.case, "form": form},
    )


# Referrals -------------------------------------------------------------------------------


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
                if case is None:
                    case = case_open(
                        beneficiary=beneficiary, post=referral.post, acting_user=request.user
                    )
                referral_take(
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
        "cases/referral_take.html",
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
            _apply_errors(form, error)
        else:
            messages.success(request, f"Saisine {referral.number} enregistrée.")
            return redirect("cases:referral_take", pk=referral.pk)
    return render(request, "cases/referral_record.html", {"form": form})


# Anonymous contacts ----------------------------------------------------------------------


@worker_required
def contact_list(request):
    queryset = (
        AnonymousContact.objects.visible_to(request.user)
        .select_related("site", "problem", "source_unit", "post")
        .order_by("-occurred_on", "-pk")
    )
    filterset = AnonymousContactFilter(request.GET or None, queryset=queryset)
    return render(
        request,
        "cases/contact_list.html",
        {
            "filter": filterset,
            "page_obj": _page(request, filterset.qs),
            "query": _query_without_page(request),
        },
    )


@worker_required
def contact_create(request):
    form = AnonymousContactForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            anonymous_contact_log(
                acting_user=request.user, post=form.cleaned_data["post"], **form.service_fields()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Contact anonyme enregistré.")
            return redirect("cases:contact_list")
    return render(request, "cases/contact_form.html", {"form": form})
