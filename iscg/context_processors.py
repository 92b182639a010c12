from django.conf import settings

from iscg.navigation import menu_for


def site(request):
    user = getattr(request, "user", None)
    return {
        "PREFECTURE_NAME": settings.PREFECTURE_NAME,
        "PREFECTURE_LOGO_LINES": settings.PREFECTURE_LOGO_LINES,
        "SERVICE_NAME": "ISCG",
        "SERVICE_TAGLINE": "Intervenants sociaux en commissariat et gendarmerie",
        "main_menu": menu_for(user, request.path) if user and user.is_authenticated else [],
    }


def security(request):
    return {"OIDC_ENABLED": getattr(settings, "OIDC_ENABLED", False)}
