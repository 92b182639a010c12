FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# pg_dump and pg_restore of the server's major version (postgres:16 in docker-compose.yml),
# from the PostgreSQL project's Debian repository: the backup service uses them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
# The project declares its dependencies only (no package): installing it installs them.
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --create-home iscg && mkdir -p /data/private /srv/static /backups && chown iscg /data/private /srv/static /backups
USER iscg
EXPOSE 8000
