# One image for every process of compose.yaml (web, worker, beat). Not built or run in this
# project's CI (no Docker there); the commands are the Procfile's.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=cms.settings.production
# Pango for WeasyPrint's certificates, DejaVu fonts, gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -e . \
    && SECRET_KEY=build ALLOWED_HOSTS=build SITE_URL=http://build REDIS_URL=redis://build python manage.py compilemessages --ignore=.venv -v 0 \
    && SECRET_KEY=build ALLOWED_HOSTS=build SITE_URL=http://build REDIS_URL=redis://build python manage.py collectstatic --no-input -v 0
RUN useradd --system --home /app tvc && mkdir -p /app/var && chown tvc /app/var
USER tvc
EXPOSE 8000
CMD ["sh", "-c", "gunicorn cms.wsgi --bind 0.0.0.0:${PORT:-8000} --workers ${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips '*'"]
