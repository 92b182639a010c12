"""The people accompanied. Anyone may stay anonymous; one person, several files over time."""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat
from simple_history.models import HistoricalRecords

from cases.enums import AgeBand, FamilySituation, Profile, Sex, YesNoUnknown
from cases.files.models.cases import Case
from iscg import access
from iscg.gate import GatedQuerySet
from iscg.loaded_relations import TrustLoadedRelations
from iscg.pagination import OrderedParts

NAME_ORDER = ("last_name", "first_name", "pk")


class BeneficiaryQuerySet(GatedQuerySet):
    def readable_by(self, user, matching: models.Q | None = None):
        """Beneficiaries recorded by, or accompanied on, a post the user works on.

        Written as ``id IN (each post's records UNION ALL recorded elsewhere)``, without a
        join to the cases (no DISTINCT) nor an OR: the posts' parts are read from the
        (post, …) indexes of the records, the last from the few cases marked
        ``beneficiary_elsewhere``.
        ``matching`` (a search) narrows both halves where their rows are read: PostgreSQL
        then filters the post's names in the (post, search_text) index instead of reading
        every record of the post.
        """
        parts = [part.order_by().values("pk") for part in _parts(user, matching, live=False)]
        ids = parts[0].union(*parts[1:], all=True)
        return self.live().filter(pk__in=ids)

    def listed_for(
        self,
        user,
        matching: models.Q | None = None,
        order=NAME_ORDER,
        search: models.Q | None = None,
    ):
        """The live beneficiaries ``visible_to`` gives, as their parts (each post's
        records, then those recorded elsewhere) merged in name order a page at a time
        (``OrderedParts``): each post's part is read in name order from the
        ``beneficiary_post_name`` index, a page's rows (and the offset's) instead of
        every person of the posts sorted. ``matching``: the search and filters, applied
        to each part; ``search``, a condition on ``POST_SEARCH`` (cases.files.selectors
        .search_condition), is read for each post from the post's search index."""

        def rows(user):
            *posts, elsewhere = _parts(user, matching, live=True, search=search)
            return OrderedParts(posts, order, small=[elsewhere])

        return self.gated(user, rows)

    def live(self):
        """Without archived files: they leave every list and search (see
        cases.lifecycle.views.archive)."""
        return self.filter(archived_at__isnull=True)


# The searched text under a name of its own: an expression of ``search_text`` that the
# trigram index of every post's names (cases/migrations/0008) does not answer. Asked
# ``search_text LIKE '%martin%'``, PostgreSQL intersected that index (50,993 entries for
# « martin » on the national base, 18 ms) with the post's records; a post's search reads
# the post's entries of the (post, search_text) index alone (2.3 ms).
POST_SEARCH = "post_search_text"


def _searched(records, search: models.Q):
    return records.alias(**{POST_SEARCH: Concat("search_text", Value(""))}).filter(search)


def _parts(user, matching: models.Q | None, live: bool, search: models.Q | None = None) -> list:
    """The beneficiaries of each post the user works on, then those recorded by another
    post and accompanied on one of the user's (not one of the user's own records: a
    person is in one part only). One part per post: an index is read in name order for
    one post, not for several."""
    posts = sorted(access.worked_post_ids(user))
    records = Beneficiary.objects.live() if live else Beneficiary.objects.all()
    if matching is not None:
        records = records.filter(matching)
    elsewhere_ids = Case.objects.filter(post__in=posts, beneficiary_elsewhere=True).values(
        "beneficiary_id"
    )
    elsewhere = records.filter(pk__in=elsewhere_ids).exclude(post__in=posts)
    if search is None:
        return [*(records.filter(post=post) for post in posts), elsewhere]
    # The search alone in a subquery of the post: with another column in it (the
    # profile), PostgreSQL read the post's records to check it.
    return [
        *(
            records.filter(
                post=post,
                pk__in=_searched(Beneficiary.objects.filter(post=post), search).values("pk"),
            )
            for post in posts
        ),
        _searched(elsewhere, search),
    ]


class Beneficiary(TrustLoadedRelations, models.Model):
    post = models.ForeignKey(
        "iscg.Post",
        verbose_name="poste qui a créé la fiche",
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    last_name = models.CharField("nom", max_length=150, blank=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    # Lower-case, unaccented "last first phone" for accent- and case-insensitive search.
    search_text = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField("année de naissance", null=True, blank=True)
    age_band = models.CharField(
        "tranche d'âge",
        max_length=8,
        choices=AgeBand.choices,
        default=AgeBand.UNKNOWN,
        help_text="Si ni la date ni l'année de naissance ne sont connues.",
    )
    family_situation = models.CharField(
        "situation familiale",
        max_length=20,
        choices=FamilySituation.choices,
        default=FamilySituation.UNKNOWN,
    )
    children_count = models.PositiveSmallIntegerField(
        "nombre d'enfants dans le foyer", null=True, blank=True
    )
    commune = models.ForeignKey(
        "iscg.Commune",
        verbose_name="commune de résidence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    profile = models.CharField("profil", max_length=10, choices=Profile.choices)
    known_to_department = models.CharField(
        "déjà connu·e des services sociaux du Département",
        max_length=8,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    known_to_caf = models.CharField(
        "déjà connu·e de la CAF",
        max_length=8,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        "iscg.User", verbose_name="créée par", on_delete=models.PROTECT, related_name="+"
    )

    import_batch = models.ForeignKey(
        "cases.ImportBatch",
        verbose_name="import d'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    archived_at = models.DateTimeField("archivé le", null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)

    objects = BeneficiaryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bénéficiaire"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            # The list of a post's beneficiaries reads a page in name order from it. Not
            # partial (live files only): such an index, read whole, is a cheap way to every
            # live file of the table in the planner's eyes when its statistics lag, and it
            # took it to find the few people recorded elsewhere
            # (tests/permissions/test_rows_read.py).
            models.Index(
                fields=["post", "last_name", "first_name", "id"], name="beneficiary_post_name"
            ),
            # A search reads a post's names from this index alone (PostgreSQL: ``LIKE``
            # filters the index entries, then only the matching records are read).
            models.Index(
                fields=["post", "search_text"], include=["id"], name="beneficiary_post_search"
            ),
            # The archives list reads the archived files of its département's posts only
            # (without it, every file of the table, archived or not, was read to find them).
            models.Index(
                fields=["post", "-archived_at", "id"],
                condition=models.Q(archived_at__isnull=False),
                name="beneficiary_post_archived",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def is_anonymous(self) -> bool:
        return not (self.last_name or self.first_name)

    @property
    def display_name(self) -> str:
        return self.name_of(self.pk, self.last_name, self.first_name)

    @staticmethod
    def name_of(pk, last_name: str, first_name: str) -> str:
        """How a person is named on screen, from the columns alone (for rows read with
        ``values()``)."""
        if not (last_name or first_name):
            return f"Personne anonyme n° {pk}"
        return f"{last_name.upper()} {first_name}".strip()
