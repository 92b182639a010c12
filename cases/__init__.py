"""Case management: one Django app (label ``cases``), organised by feature.

- ``cases.files``: beneficiaries, cases, actes, orientations, anonymous contacts;
- ``cases.referrals``: saisines, intake into a file, feedback, notifications, auto-saisines;
- ``cases.lifecycle``: imports of past activity, retention, anonymisation, rights, archive.
Shared at this level: enums, reference lists, scope, permissions, home, demo, tasks, models."""
