FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
# The project declares its dependencies only (no package): installing it installs them.
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --create-home iscg && mkdir -p /data/private /srv/static && chown iscg /data/private /srv/static
USER iscg
EXPOSE 8000
