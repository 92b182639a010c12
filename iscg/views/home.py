"""The home page: what each role does first. Apps contribute blocks per role."""

from django.shortcuts import render

from iscg import access, home_blocks
from iscg.enums import Role


def home(request):
    user = request.user
    # The roles the user holds: a superuser (the technical operator) holds none by being
    # one, and is not shown the blocks of roles whose pages are closed to them.
    roles = [role for role in Role.values if access.has_role(user, role)]
    blocks = home_blocks.blocks_for(request, roles)
    return render(
        request,
        "iscg/home.html",
        {
            "roles": [Role(role).label for role in roles],
            "blocks": blocks,
            "has_role": bool(roles),
            "operator": user.is_superuser,
        },
    )
