"""Public pages: accessibility statement and legal notice."""

from django.contrib.auth.decorators import login_not_required
from django.views.generic import TemplateView


class PublicPage(TemplateView):
    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


accessibility = PublicPage.as_view(template_name="iscg/accessibility.html")
legal_notice = PublicPage.as_view(template_name="iscg/legal_notice.html")
personal_data = PublicPage.as_view(template_name="iscg/personal_data.html")
