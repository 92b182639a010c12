"""Direct foreign-key object permission tables (django-guardian), one per granted model.

Grants are few and sit on the containers (a post, a unit, an employer): the cases,
referrals and bilans inside them follow through ``visible_to``.
"""

from django.db import models
from guardian.models import UserObjectPermissionBase


class PostUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("iscg.Post", on_delete=models.CASCADE)


class UnitUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("iscg.Unit", on_delete=models.CASCADE)


class EmployerUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("iscg.Employer", on_delete=models.CASCADE)
