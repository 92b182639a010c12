"""Posts pages of the departmental administration: employer, ETP, units, sites, holdings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from iscg import services
from iscg.forms import apply_service_errors
from iscg.models import Post, PostHolding
from iscg.permissions import administrator_required
from iscg.post_forms import HoldingEndForm, HoldingForm, PostForm
from iscg.selectors import administered_department_ids


def _posts(request):
    return Post.objects.administered_by(request.user)


@administrator_required
def post_list(request):
    posts = (
        _posts(request)
        .select_related("employer", "main_site")
        .prefetch_related("units")
        .order_by("employer__name", "label")
    )
    holdings = PostHolding.objects.filling().filter(post__in=posts).select_related("worker")
    by_post = {}
    for holding in holdings:
        by_post.setdefault(holding.post_id, []).append(holding)
    rows = [(post, by_post.get(post.pk, [])) for post in posts]
    return render(request, "iscg/admin/post_list.html", {"rows": rows})


@administrator_required
def post_detail(request, pk):
    post = get_object_or_404(
        _posts(request).select_related("employer", "main_site").prefetch_related("units"), pk=pk
    )
    holdings = post.postholding_set.select_related("worker").order_by("-start")
    filling = set(PostHolding.objects.filling().filter(post=post).values_list("pk", flat=True))
    return render(
        request,
        "iscg/admin/post_detail.html",
        {
            "post": post,
            "holdings": holdings,
            "filling": filling,
            "sites": post.sites.select_related("commune").prefetch_related("openings"),
            "today": timezone.localdate(),
        },
    )


@administrator_required
def post_create(request):
    return _post_form(request, Post())


@administrator_required
def post_edit(request, pk):
    return _post_form(request, get_object_or_404(_posts(request), pk=pk))


def _post_form(request, post):
    form = PostForm(
        request.POST or None,
        instance=post,
        department_ids=administered_department_ids(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_save(
                post=form.instance,
                units=list(form.cleaned_data["units"]),
                sites=list(form.cleaned_data["sites"]),
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Le poste est enregistré.")
            return redirect("administration:post_detail", pk=post.pk)
    return render(
        request,
        "iscg/admin/form.html",
        {
            "form": form,
            "title": f"Modifier le poste {post}" if post.pk else "Nouveau poste",
            "back": "administration:post_detail" if post.pk else "administration:post_list",
            "back_pk": post.pk,
        },
    )


@administrator_required
def holding_add(request, pk):
    post = get_object_or_404(_posts(request).select_related("employer"), pk=pk)
    form = HoldingForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_holding_start(post=post, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "L'affectation est enregistrée.")
            return redirect("administration:post_detail", pk=post.pk)
    return _holding_page(request, form, f"Affecter une personne au poste {post}", post)


@administrator_required
def holding_end(request, pk, item):
    post = get_object_or_404(_posts(request), pk=pk)
    holding = get_object_or_404(post.postholding_set.select_related("worker"), pk=item)
    form = HoldingEndForm(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_holding_end(
                holding=holding, end=form.cleaned_data["end"], acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "La fin de l'affectation est enregistrée.")
            return redirect("administration:post_detail", pk=post.pk)
    return _holding_page(request, form, f"Mettre fin à l'affectation de {holding.worker}", post)


def _holding_page(request, form, title, post):
    return render(
        request,
        "iscg/admin/form.html",
        {"form": form, "title": title, "back": "administration:post_detail", "back_pk": post.pk},
    )
