"""The worker's objects read by several views.

Each is read within the worker's posts (``visible_to``, ``for_workers_of``): 404 outside.
"""

from django.shortcuts import get_object_or_404

from cases.models import Beneficiary, Case, Referral


def _referral_for_worker(request, pk):
    return get_object_or_404(
        Referral.objects.for_workers_of(request.user).select_related(
            "source_unit", "main_problem", "post", "person_commune", "partner"
        ),
        pk=pk,
    )


def _visible_beneficiary(request, pk):
    return get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=pk)


def _visible_case(request, pk):
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "beneficiary", "beneficiary__commune", "post", "post__main_site"
        ),
        pk=pk,
    )
