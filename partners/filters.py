import django_filters
from django.db.models import Q

from iscg import access
from iscg.forms import DsfrForm
from iscg.models import Commune
from partners.models import Partner, PartnerKind


def _kinds_known_to(request):
    """The shared list and the user's départements' own kinds, never another's."""
    if request is None:
        return PartnerKind.objects.filter(department__isnull=True)
    return PartnerKind.objects.known_in(access.department_ids(request.user))


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="search")
    kind = django_filters.ModelChoiceFilter(
        label="Type", queryset=_kinds_known_to, empty_label="Tous"
    )
    commune = django_filters.ModelChoiceFilter(
        label="Commune", queryset=Commune.objects.none(), empty_label="Toutes"
    )

    class Meta:
        form = DsfrForm
        model = Partner
        fields = ["q", "kind", "commune"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["commune"].queryset = Commune.objects.filter(
            pk__in=self.queryset.values("commune")
        ).order_by("name")

    def search(self, queryset, name, value):
        for token in value.split():
            queryset = queryset.filter(
                Q(name__icontains=token)
                | Q(description__icontains=token)
                | Q(address__icontains=token)
            )
        return queryset
