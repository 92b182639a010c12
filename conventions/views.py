"""Screens of the conventions: thin views over ``visible_to``, the services and ``plans``
(their files in document_views, the funding dashboard in dashboard_views)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conventions import plans, services
from conventions.forms import (
    AmendmentForm,
    BudgetLineForm,
    ConventionFilter,
    ConventionForm,
    CoveredPostForm,
    DocumentForm,
    FundingLineForm,
    PartyForm,
    PaymentForm,
)
from conventions.models import (
    Amendment,
    BudgetLine,
    Convention,
    ConventionDocument,
    ConventionParty,
    ConventionPost,
    FundingLine,
    Payment,
)
from conventions.roles import EDIT_ROLES, READ_ROLES
from iscg import access
from iscg.forms import apply_service_errors
from iscg.models import Department
from iscg.permissions import role_required


def convention_or_404(request, pk) -> Convention:
    return get_object_or_404(
        Convention.objects.visible_to(request.user).select_related("employer"), pk=pk
    )


def _editable(request, pk) -> Convention:
    return get_object_or_404(
        Convention.objects.visible_to(request.user)
        .editable_by(request.user)
        .select_related("employer"),
        pk=pk,
    )


def _can_edit(user) -> bool:
    return EDIT_ROLES.allow(user)


@role_required(READ_ROLES)
def convention_list(request):
    queryset = (
        Convention.objects.visible_to(request.user)
        .select_related("employer")
        .order_by("-start", "title")
    )
    filterset = ConventionFilter(request.GET or None, queryset=queryset, user=request.user)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "conventions/list.html",
        {"filter": filterset, "page_obj": page, "can_edit": _can_edit(request.user)},
    )


@role_required(READ_ROLES)
def convention_detail(request, pk):
    convention = convention_or_404(request, pk)
    can_edit = (
        _can_edit(request.user)
        and Convention.objects.editable_by(request.user).filter(pk=pk).exists()
    )
    parties = list(convention.parties.select_related("funder", "employer", "unit"))
    amendments = list(convention.amendments.all())
    return render(
        request,
        "conventions/detail.html",
        {
            "convention": convention,
            "parties": parties,
            "covered": convention.covered.select_related("post"),
            "plan": plans.financing_plan(convention),
            "timeline": plans.timeline(convention, parties=parties, amendments=amendments),
            "amendments": amendments,
            "documents": convention.documents.all(),
            "can_edit": can_edit,
        },
    )


@role_required(EDIT_ROLES)
def convention_create(request):
    return _convention_form(request, Convention())


@role_required(EDIT_ROLES)
def convention_edit(request, pk):
    return _convention_form(request, _editable(request, pk))


def _convention_form(request, convention):
    department_ids = access.department_ids(request.user, roles=EDIT_ROLES)
    if request.user.is_superuser and not department_ids:
        department_ids = list(Department.objects.values_list("pk", flat=True))
    form = ConventionForm(request.POST or None, instance=convention, department_ids=department_ids)
    if request.method == "POST" and form.is_valid():
        try:
            convention = services.convention_save(
                convention=form.instance, acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "La convention est enregistrée.")
            return redirect("conventions:detail", pk=convention.pk)
    return render(
        request,
        "conventions/form.html",
        {
            "form": form,
            "convention": convention if convention.pk else None,
            "title": "Modifier la convention" if convention.pk else "Nouvelle convention",
        },
    )


def _child_form(request, convention, form_class, title, save, anchor, instance=None, initial=None):
    kwargs = {"convention": convention}
    if instance is not None:
        kwargs["instance"] = instance
    form = form_class(request.POST or None, request.FILES or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Modification enregistrée.")
            return redirect(reverse("conventions:detail", args=[convention.pk]) + f"#{anchor}")
    return render(
        request,
        "conventions/child_form.html",
        {"form": form, "convention": convention, "title": title, "anchor": anchor},
    )


@role_required(EDIT_ROLES)
def party_add(request, pk):
    convention = _editable(request, pk)

    def save(form):
        form.instance.convention = convention
        services.party_add(party=form.instance, acting_user=request.user)

    return _child_form(
        request,
        convention,
        PartyForm,
        "Ajouter une partie",
        save,
        "parties",
        instance=ConventionParty(convention=convention),
    )


@role_required(EDIT_ROLES)
def post_add(request, pk):
    convention = _editable(request, pk)

    def save(form):
        form.instance.convention = convention
        services.post_cover(covered=form.instance, acting_user=request.user)

    return _child_form(
        request,
        convention,
        CoveredPostForm,
        "Ajouter un poste couvert",
        save,
        "postes",
        instance=ConventionPost(convention=convention),
    )


@role_required(EDIT_ROLES)
def budget_set(request, pk):
    convention = _editable(request, pk)

    def save(form):
        services.budget_line_set(
            convention=convention, acting_user=request.user, **form.cleaned_data
        )

    return _child_form(
        request,
        convention,
        BudgetLineForm,
        "Saisir une ligne de budget",
        save,
        "budget",
        initial={"year": convention.start.year},
    )


@role_required(EDIT_ROLES)
def funding_add(request, pk):
    convention = _editable(request, pk)

    def save(form):
        form.instance.convention = convention
        services.funding_line_save(line=form.instance, acting_user=request.user)

    return _child_form(
        request,
        convention,
        FundingLineForm,
        "Ajouter une ligne de cofinancement",
        save,
        "financement",
        instance=FundingLine(convention=convention),
    )


@role_required(EDIT_ROLES)
def funding_edit(request, pk, item):
    convention = _editable(request, pk)
    line = get_object_or_404(convention.funding, pk=item)

    def save(form):
        services.funding_line_save(line=form.instance, acting_user=request.user)

    return _child_form(
        request,
        convention,
        FundingLineForm,
        f"Modifier la ligne {line}",
        save,
        "financement",
        instance=line,
    )


@role_required(EDIT_ROLES)
def payment_add(request, pk, item):
    convention = _editable(request, pk)
    line = get_object_or_404(convention.funding.select_related("funder"), pk=item)

    def save(form):
        services.payment_record(funding_line=line, acting_user=request.user, **form.cleaned_data)

    return _child_form(
        request, convention, PaymentForm, f"Enregistrer un versement – {line}", save, "financement"
    )


@role_required(EDIT_ROLES)
def amendment_add(request, pk):
    convention = _editable(request, pk)

    def save(form):
        form.instance.convention = convention
        services.amendment_add(amendment=form.instance, acting_user=request.user)

    return _child_form(
        request,
        convention,
        AmendmentForm,
        "Ajouter un avenant",
        save,
        "avenants",
        instance=Amendment(convention=convention),
        initial={"number": convention.amendments.count() + 1},
    )


@role_required(EDIT_ROLES)
def document_add(request, pk):
    convention = _editable(request, pk)

    def save(form):
        form.instance.convention = convention
        services.document_add(document=form.instance, acting_user=request.user)

    return _child_form(
        request,
        convention,
        DocumentForm,
        "Déposer un document signé",
        save,
        "documents",
        instance=ConventionDocument(convention=convention),
    )


# Deletions: POST only, each through its service.
_DELETABLE = {
    "party": (
        ConventionParty,
        "parties",
        lambda obj, user: services.party_remove(party=obj, acting_user=user),
    ),
    "post": (
        ConventionPost,
        "postes",
        lambda obj, user: services.post_uncover(covered=obj, acting_user=user),
    ),
    "budget": (
        BudgetLine,
        "budget",
        lambda obj, user: services.budget_line_remove(line=obj, acting_user=user),
    ),
    "funding": (
        FundingLine,
        "financement",
        lambda obj, user: services.funding_line_remove(line=obj, acting_user=user),
    ),
}


@require_POST
@role_required(EDIT_ROLES)
def item_delete(request, pk, kind, item):
    convention = _editable(request, pk)
    if kind == "payment":
        obj = get_object_or_404(Payment, pk=item, funding_line__convention=convention)
        anchor = "financement"
        remove = lambda: services.payment_remove(payment=obj, acting_user=request.user)  # noqa: E731
    elif kind in _DELETABLE:
        model, anchor, service = _DELETABLE[kind]
        obj = get_object_or_404(model, pk=item, convention=convention)
        remove = lambda: service(obj, request.user)  # noqa: E731
    else:
        raise Http404
    try:
        remove()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Suppression enregistrée.")
    return redirect(reverse("conventions:detail", args=[convention.pk]) + f"#{anchor}")
