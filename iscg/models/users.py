"""Users log in by e-mail; a membership gives them a role within a département."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from iscg import access
from iscg.enums import Role
from iscg.full_save import save_leaving_out


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    # ProConnect's stable identifier of the person, pinned at their first ProConnect login:
    # later logins match it, not the e-mail (which another identity could carry).
    proconnect_sub = models.CharField("identifiant ProConnect", max_length=255, blank=True)
    # Set by the account's first membership, never cleared (memberships are ended, not
    # deleted): the accounts attached to no département yet, which every administrator
    # manages, are read from an index of their own, not found by looking for the
    # memberships of every account of the country.
    attached = models.BooleanField("rattaché à un département", default=False, editable=False)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login", "attached"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["proconnect_sub"],
                condition=~models.Q(proconnect_sub=""),
                name="user_proconnect_sub_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "email"],
                condition=Q(attached=False, is_superuser=False),
                name="user_unattached_name",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, **kwargs):
        # « attached » is written by Membership.save alone: an account read before its
        # first role was granted, then saved (its password chosen meanwhile), would
        # otherwise be unattached again, shown to every administrator of the country.
        save_leaving_out(self, ["attached"], super().save, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def roles(self) -> set[str]:
        if not hasattr(self, "_roles_cache"):
            # The active memberships are read once per user object (access.memberships).
            self._roles_cache = {membership.role for membership in access.memberships(self)}
        return self._roles_cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def primary_role(self) -> str | None:
        for role in Role.values:
            if role in self.roles:
                return role
        return None


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(start__isnull=True) | Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on)
        )


class Membership(models.Model):
    """A role within a département, attached to the organisation it is exercised for."""

    user = models.ForeignKey(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "iscg.Department", verbose_name="département", on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "iscg.Unit",
        verbose_name="unité",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Pour un policier, un gendarme ou un chef d'unité.",
    )
    employer = models.ForeignKey(
        "iscg.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Pour un intervenant ou un responsable employeur.",
    )
    funder = models.ForeignKey(
        "iscg.Funder",
        verbose_name="financeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Pour un utilisateur financeur.",
    )
    start = models.DateField("début", null=True, blank=True)
    end = models.DateField("fin", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rôle"
        verbose_name_plural = "rôles"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[Role.UNIT_AGENT, Role.UNIT_LEAD]) | Q(unit__isnull=False),
                name="membership_unit_role_has_unit",
                violation_error_message="Un rôle d'unité doit désigner son unité.",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[Role.WORKER, Role.EMPLOYER_MANAGER])
                | Q(employer__isnull=False),
                name="membership_employer_role_has_employer",
                violation_error_message="Un rôle d'employeur doit désigner son employeur.",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.FUNDER) | Q(funder__isnull=False),
                name="membership_funder_role_has_funder",
                violation_error_message="Un rôle de financeur doit désigner son financeur.",
            ),
        ]

    def __str__(self):
        target = self.unit or self.employer or self.funder or self.department
        return f"{self.get_role_display()} — {target}"

    # The account is attached from its first role on, whatever path saves the role
    # (the service, the demo, the bench).
    def save(self, **kwargs):
        adding = self._state.adding
        super().save(**kwargs)
        if adding:
            User.objects.filter(pk=self.user_id, attached=False).update(attached=True)
            if Membership.user.is_cached(self):
                self.user.attached = True
