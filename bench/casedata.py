"""Case data at scale, generated inside PostgreSQL with INSERT … SELECT generate_series.

Rows never travel through Python: each table is one statement drawing from seeded
``random()`` (single backend, no parallel workers, so a run is reproducible) with the
distributions of bench/weights.py. Historical rows (simple-history) and access logs are
derived from the generated rows in proportion.
"""

import time

from django.apps import apps
from django.db import connection, transaction

from bench import weights
from bench.sql import array_literal, ids_by_code, weighted_case
from cases.models import ActionKind, Problem

# Step through the rows when a step draws some of them (second cases, orientations,
# feedbacks): a prime, so that every post gets its share whatever the number of posts (a
# step of 7 with 504 posts gave every second case, and every orientation, to one post in
# seven).
STRIDE = 7919


class Generator:
    def __init__(self, scale, log=print):
        self.scale = scale
        self.log = log
        self.timings: dict[str, float] = {}

    TABLES = (
        "cases.Beneficiary",
        "cases.Case",
        "cases.Action",
        "cases.Referral",
        "cases.Orientation",
        "cases.UnitFeedback",
        "cases.AnonymousContact",
    )

    def run(self, cursor):
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        self._posts(cursor)
        # Bulk load as a restore would: no per-row foreign-key triggers (ids are generated
        # consistent) and secondary indexes rebuilt once at the end.
        cursor.execute("SET session_replication_role = replica")
        indexes = self._drop_secondary_indexes(cursor)
        steps = [
            ("bénéficiaires", self._beneficiaries),
            ("accompagnements", self._cases),
            ("actes", self._actions),
            ("saisines", self._referrals),
            ("orientations", self._orientations),
            ("retours aux unités", self._feedbacks),
            ("contacts anonymes", self._contacts),
            ("historique", self._history),
        ]
        for label, step in steps:
            started = time.monotonic()
            cursor.execute("SELECT setseed(0.42)")
            count = step(cursor)
            self.timings[label] = time.monotonic() - started
            self.log(f"  {label:<22} {count:>12,} lignes  {self.timings[label]:7.1f} s")
        started = time.monotonic()
        for statement in indexes:
            cursor.execute(statement)
        cursor.execute("SET session_replication_role = origin")
        self.timings["index"] = time.monotonic() - started
        self.log(f"  {'index':<22} {len(indexes):>12,} index    {self.timings['index']:7.1f} s")
        self._reset_sequences(cursor)

    def settle(self, cursor):
        """VACUUM (ANALYZE), outside the transaction: statistics for the planner, and the
        visibility map that index-only reads need, as autovacuum keeps them in production."""
        started = time.monotonic()
        cursor.execute("VACUUM (ANALYZE)")
        self.timings["vacuum"] = time.monotonic() - started
        self.log(
            f"  {'vacuum, statistiques':<22} {'':>12}          {self.timings['vacuum']:7.1f} s"
        )

    def _drop_secondary_indexes(self, cursor) -> list[str]:
        tables = []
        for label in self.TABLES:
            model = apps.get_model(label)
            tables += [model._meta.db_table, model.history.model._meta.db_table]
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
             WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        rows = cursor.fetchall()
        for name, _definition in rows:
            cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _name, definition in rows]

    # -- the posts, with what each row needs to pick from --------------------------------
    def _posts(self, cursor):
        cursor.execute("DROP TABLE IF EXISTS bench_post")
        cursor.execute(
            """
            CREATE UNLOGGED TABLE bench_post AS
            SELECT row_number() OVER (ORDER BY p.id) AS idx, p.id AS post_id,
                   h.worker_id, e.department_id, p.main_site_id,
                   (SELECT array_agg(pu.unit_id ORDER BY pu.unit_id) FROM iscg_post_units pu
                     WHERE pu.post_id = p.id) AS unit_ids,
                   (SELECT array_agg(c.id ORDER BY c.id) FROM iscg_commune c
                     WHERE c.department_id = e.department_id) AS commune_ids,
                   (SELECT array_agg(pa.id ORDER BY pa.id) FROM partners_partner pa
                     WHERE pa.department_id = e.department_id) AS partner_ids
              FROM iscg_post p
              JOIN iscg_employer e ON e.id = p.employer_id
              JOIN LATERAL (SELECT worker_id FROM iscg_postholding ph WHERE ph.post_id = p.id
                            ORDER BY ph.start LIMIT 1) h ON true
             WHERE p.is_active
            """
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_post (idx)")
        cursor.execute("SELECT count(*) FROM bench_post")
        self.posts = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_beneficiary")
        self.base_beneficiary = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        self.base_case = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_referral")
        self.base_referral = cursor.fetchone()[0]
        self.n_beneficiaries = self.posts * self.scale.beneficiaries_per_post
        self.n_cases = int(self.n_beneficiaries * self.scale.cases_per_beneficiary)
        self.n_referrals = int(self.n_beneficiaries * self.scale.referrals_per_beneficiary)
        self.days = 365 * self.scale.years

    def _beneficiaries(self, cursor):
        age = "(CASE WHEN r.a < 0.1 THEN 6 + floor(r.b * 12) ELSE 18 + floor(power(r.b, 1.4) * 62) END)::int"
        cursor.execute(
            f"""
            INSERT INTO cases_beneficiary (id, post_id, last_name, first_name, search_text, sex,
                birth_date, birth_year, age_band, family_situation, children_count, commune_id,
                phone, email, profile, known_to_department, known_to_caf, created_at, created_by_id)
            SELECT %(base)s + g, p.post_id, n.last, n.first,
                   lower(n.last || ' ' || n.first || ' ' || n.phone), {weighted_case("r.c", weights.SEXES)},
                   NULL, CASE WHEN r.d < 0.8 THEN extract(year FROM now())::int - a.age END,
                   CASE WHEN r.d < 0.8 THEN 'unknown' ELSE
                     (CASE WHEN a.age < 18 THEN '0-17' WHEN a.age < 25 THEN '18-24'
                           WHEN a.age < 35 THEN '25-34' WHEN a.age < 45 THEN '35-44'
                           WHEN a.age < 55 THEN '45-54' WHEN a.age < 65 THEN '55-64'
                           ELSE '65+' END) END,
                   {weighted_case("r.e", weights.FAMILY)}, floor(r.f * 4)::int,
                   CASE WHEN r.g2 < 0.96 THEN p.commune_ids[1 + floor(r.h * array_length(p.commune_ids, 1))::int] END,
                   n.phone, '', {weighted_case("r.i", weights.PROFILES)},
                   {weighted_case("r.j", weights.KNOWN)}, {weighted_case("r.k", weights.KNOWN)},
                   now() - make_interval(days => floor(r.l * %(days)s)::int), p.worker_id
              FROM generate_series(1, %(n)s) g
              JOIN bench_post p ON p.idx = (g - 1) %% %(posts)s + 1
              CROSS JOIN LATERAL (SELECT random() a, random() b, random() c, random() d,
                     random() e, random() f, random() g2, random() h, random() i, random() j,
                     random() k, random() l, random() m, random() n2, g AS gg) r
              CROSS JOIN LATERAL (SELECT {age} AS age) a
              CROSS JOIN LATERAL (SELECT
                     ({array_literal(weights.LAST_NAMES)})[1 + floor(r.m * {len(weights.LAST_NAMES)})::int] AS last,
                     ({array_literal(weights.FIRST_NAMES)})[1 + floor(r.n2 * {len(weights.FIRST_NAMES)})::int] AS first,
                     '06' || lpad((g::bigint * 7919 %% 100000000)::text, 8, '0') AS phone) n
            """,
            {
                "base": self.base_beneficiary,
                "n": self.n_beneficiaries,
                "posts": self.posts,
                "days": self.days,
            },
        )
        return cursor.rowcount

    def _cases(self, cursor):
        nb = self.n_beneficiaries
        cursor.execute(
            f"""
            INSERT INTO cases_case (id, beneficiary_id, post_id, opened_on, closed_on,
                                    closing_reason, created_by_id, created_at,
                                    beneficiary_elsewhere)
            SELECT %(base)s + g, b.id, b.post_id, o.opened,
                   CASE WHEN o.opened + d.days < current_date THEN o.opened + d.days END,
                   CASE WHEN o.opened + d.days < current_date
                        THEN {weighted_case("r.b", weights.CLOSING_REASONS)} ELSE '' END,
                   b.created_by_id, o.opened::timestamptz, false
              FROM generate_series(1, %(n)s) g
              JOIN cases_beneficiary b ON b.id = %(bbase)s + ((g - 1)::bigint * CASE WHEN g > %(nb)s THEN %(stride)s ELSE 1 END) %% %(nb)s + 1
              CROSS JOIN LATERAL (SELECT random() a, random() b, random() c, g AS gg) r
              -- A second case opens within two years of the first, and never after today
              -- (clamping to today would open hundreds of cases, and their actes, today).
              CROSS JOIN LATERAL (SELECT b.created_at::date
                     + CASE WHEN g > %(nb)s
                            THEN floor(r.c * LEAST(730, current_date - b.created_at::date + 1))::int
                            ELSE 0 END AS opened) o
              CROSS JOIN LATERAL (SELECT floor(exp(r.a * 5.6))::int AS days) d
            """,
            {
                "base": self.base_case,
                "n": self.n_cases,
                "nb": nb,
                "bbase": self.base_beneficiary,
                "stride": STRIDE,
            },
        )
        return cursor.rowcount

    def _actions(self, cursor):
        n = int(self.n_cases * self.scale.actions_per_case)
        kinds = ids_by_code(ActionKind, weights.ACTION_KINDS)
        cursor.execute(
            f"""
            INSERT INTO cases_action (case_id, post_id, kind_id, occurred_at, duration_minutes,
                                      site_id, author_id, confidential_note, created_at)
            SELECT c.id, c.post_id, {weighted_case("r.a", kinds, quote=False)}, t.at,
                   (ARRAY[15, 20, 30, 45, 60, 90])[1 + floor(r.c * 6)::int], p.main_site_id,
                   c.created_by_id, ({array_literal(weights.NOTES)})[1 + floor(r.d * {len(weights.NOTES)})::int], t.at
              FROM generate_series(1, %(n)s) g
              JOIN cases_case c ON c.id = %(cbase)s + (g - 1) %% %(nc)s + 1
              JOIN bench_post p ON p.post_id = c.post_id
              CROSS JOIN LATERAL (SELECT random() a, random() b, random() c, random() d, g AS gg) r
              CROSS JOIN LATERAL (SELECT (c.opened_on + floor(r.b * (coalesce(c.closed_on, current_date) - c.opened_on + 1))::int)::timestamptz
                     + make_interval(hours => 8 + floor(r.c * 10)::int, mins => floor(r.d * 60)::int) AS at) t
            """,
            {"n": n, "nc": self.n_cases, "cbase": self.base_case},
        )
        return cursor.rowcount

    def _referrals(self, cursor):
        problems = ids_by_code(Problem, weights.PROBLEMS)
        cursor.execute(
            f"""
            INSERT INTO cases_referral (id, number, received_at, source_unit_id, submitted_by_id,
                origin, partner_id, circumstance, main_problem_id, procedure_kind,
                procedure_reference, consent_to_contact, urgency, status, person_last_name,
                person_first_name, person_phone, person_sex, person_birth_year, person_age,
                person_commune_id, context, post_id, beneficiary_id, case_id, taken_by_id,
                taken_at, created_at, updated_at, last_feedback_at, refusal_feedback_sent)
            SELECT %(base)s + g, 'S' || extract(year FROM t.at)::int || '-' || lpad((%(base)s + g)::text, 7, '0'),
                   t.at, CASE WHEN o.origin IN ('fsi_direct', 'fsi_indirect')
                              THEN p.unit_ids[1 + floor(r.b * array_length(p.unit_ids, 1))::int] END,
                   NULL, o.origin, NULL, {weighted_case("r.c", weights.CIRCUMSTANCES)},
                   {weighted_case("r.d", problems, quote=False)}, {weighted_case("r.e", weights.PROCEDURES)},
                   '', r.f < 0.93, CASE WHEN r.g2 < 0.15 THEN 'urgent' ELSE 'normal' END,
                   {weighted_case("r.h", weights.REFERRAL_STATUSES)}, b.last_name, b.first_name,
                   b.phone, b.sex, b.birth_year, NULL, b.commune_id, '', b.post_id, b.id,
                   c.id, p.worker_id, t.at + interval '1 day', t.at, t.at, NULL, false
              FROM generate_series(1, %(n)s) g
              JOIN cases_beneficiary b ON b.id = %(bbase)s + (g - 1) %% %(nb)s + 1
              JOIN cases_case c ON c.id = %(cbase)s + (g - 1) %% %(nb)s + 1
              JOIN bench_post p ON p.post_id = b.post_id
              CROSS JOIN LATERAL (SELECT random() a, random() b, random() c, random() d,
                     random() e, random() f, random() g2, random() h, random() i, g AS gg) r
              CROSS JOIN LATERAL (SELECT {weighted_case("r.a", weights.ORIGINS)} AS origin) o
              CROSS JOIN LATERAL (SELECT c.opened_on::timestamptz - make_interval(days => floor(r.i * 4)::int)
                     + interval '10 hours' AS at) t
            """,
            {
                "base": self.base_referral,
                "n": self.n_referrals,
                "nb": self.n_beneficiaries,
                "bbase": self.base_beneficiary,
                "cbase": self.base_case,
            },
        )
        return cursor.rowcount

    def _orientations(self, cursor):
        n = int(self.n_cases * self.scale.orientations_per_case)
        cursor.execute(
            f"""
            INSERT INTO cases_orientation (case_id, post_id, partner_id, oriented_on, reason,
                                           status, partner_answer, author_id, created_at)
            SELECT c.id, c.post_id, p.partner_ids[1 + floor(r.a * array_length(p.partner_ids, 1))::int],
                   c.opened_on + floor(r.b * 20)::int, 'Orientation pour accompagnement',
                   {weighted_case("r.c", weights.ORIENTATION_STATUSES)}, '', c.created_by_id,
                   (c.opened_on + floor(r.b * 20)::int)::timestamptz
              FROM generate_series(1, %(n)s) g
              JOIN cases_case c ON c.id = %(cbase)s + ((g - 1)::bigint * %(stride)s) %% %(nc)s + 1
              JOIN bench_post p ON p.post_id = c.post_id
              CROSS JOIN LATERAL (SELECT random() a, random() b, random() c, g AS gg) r
            """,
            {"n": n, "nc": self.n_cases, "cbase": self.base_case, "stride": STRIDE},
        )
        return cursor.rowcount

    def _feedbacks(self, cursor):
        n = int(self.n_referrals * self.scale.feedbacks_per_referral)
        cursor.execute(
            f"""
            INSERT INTO cases_unitfeedback (referral_id, kind, attempts, message, author_id, sent_at)
            SELECT f.id, {weighted_case("r.a", weights.FEEDBACK_KINDS)}, NULL, '', f.taken_by_id,
                   f.received_at + make_interval(days => 1 + floor(r.b * 10)::int)
              FROM generate_series(1, %(n)s) g
              JOIN cases_referral f ON f.id = %(base)s + ((g - 1)::bigint * %(stride)s) %% %(nr)s + 1
              CROSS JOIN LATERAL (SELECT random() a, random() b, g AS gg) r
             WHERE f.source_unit_id IS NOT NULL
            """,
            {"n": n, "nr": self.n_referrals, "base": self.base_referral, "stride": STRIDE},
        )
        count = cursor.rowcount
        # What UnitFeedback.save records on each referral.
        cursor.execute(
            """
            UPDATE cases_referral r SET last_feedback_at = f.latest, refusal_feedback_sent = f.refused
              FROM (SELECT referral_id, max(sent_at) AS latest,
                           bool_or(kind = 'refused_help') AS refused
                      FROM cases_unitfeedback WHERE referral_id > %(base)s GROUP BY 1) f
             WHERE r.id = f.referral_id
            """,
            {"base": self.base_referral},
        )
        return count

    def _contacts(self, cursor):
        n = self.posts * self.scale.anonymous_contacts_per_post
        problems = ids_by_code(Problem, weights.PROBLEMS)
        cursor.execute(
            f"""
            INSERT INTO cases_anonymouscontact (post_id, occurred_on, site_id, mode,
                source_unit_id, problem_id, sex, age_band, author_id, created_at)
            SELECT p.post_id, current_date - floor(r.a * %(days)s)::int, p.main_site_id,
                   CASE WHEN r.b < 0.6 THEN 'phone' ELSE 'in_person' END,
                   p.unit_ids[1 + floor(r.c * array_length(p.unit_ids, 1))::int],
                   {weighted_case("r.d", problems, quote=False)}, {weighted_case("r.e", weights.SEXES)},
                   (ARRAY['18-24','25-34','35-44','45-54','55-64','65+','unknown'])[1 + floor(r.f * 7)::int],
                   p.worker_id, now()
              FROM generate_series(1, %(n)s) g
              JOIN bench_post p ON p.idx = (g - 1) %% %(posts)s + 1
              CROSS JOIN LATERAL (SELECT random() a, random() b, random() c, random() d,
                     random() e, random() f, g AS gg) r
            """,
            {"n": n, "posts": self.posts, "days": self.days},
        )
        return cursor.rowcount

    def _history(self, cursor):
        """One creation row per generated object, as simple-history would have written."""
        total = 0
        sources = [
            ("cases.Beneficiary", "created_at", "created_by_id", "id > %s" % self.base_beneficiary),
            ("cases.Case", "created_at", "created_by_id", "id > %s" % self.base_case),
            ("cases.Referral", "created_at", "taken_by_id", "id > %s" % self.base_referral),
            ("cases.Action", "created_at", "author_id", "case_id > %s" % self.base_case),
        ]
        for label, date_column, user_column, where in sources:
            model = apps.get_model(label)
            history = model.history.model
            columns = [
                f.column
                for f in history._meta.concrete_fields
                if not f.column.startswith("history_")
            ]
            cols = ", ".join(columns)
            cursor.execute(
                f"""
                INSERT INTO {history._meta.db_table} ({cols}, history_date, history_type,
                                                      history_user_id, history_change_reason)
                SELECT {cols}, {date_column}, '+', {user_column}, NULL
                  FROM {model._meta.db_table} WHERE {where}
                """
            )
            total += cursor.rowcount
        return total

    def _reset_sequences(self, cursor):
        for label in (
            "cases.Beneficiary",
            "cases.Case",
            "cases.Referral",
            "cases.Action",
            "cases.Orientation",
            "cases.UnitFeedback",
            "cases.AnonymousContact",
        ):
            table = apps.get_model(label)._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 1))"
            )


def generate_case_data(scale, log=print) -> dict[str, float]:
    """One transaction: a failure leaves the database as it was, indexes included."""
    generator = Generator(scale, log)
    with transaction.atomic(), connection.cursor() as cursor:
        generator.run(cursor)
    with connection.cursor() as cursor:
        generator.settle(cursor)
    return generator.timings
