# UnionHub production image: gunicorn by default; the same image runs the Celery worker and beat
# (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=unionhub.settings.production

# WeasyPrint's system libraries, fontconfig (its fc-cache builds the system font cache, so
# each PDF render does not rescan the CJK fonts), the CJK font for Chinese PDFs, and
# gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fontconfig \
        fonts-noto-cjk \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# pg_dump/pg_restore for manage.py backup/restore and the nightly backup. pg_dump refuses a server newer than
# itself and bookworm ships 15 while docker-compose.yml runs postgres:16, so the client comes from the
# PostgreSQL project's own repository (PGDG; postgresql-common's script adds it with its bundled key). Keep the
# client's major version >= the db service's.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 1000 unionhub \
    && useradd --uid 1000 --gid unionhub --create-home --shell /usr/sbin/nologin unionhub

WORKDIR /app

# Dependencies first, in their own layer, so that a code change does not reinstall them: exactly
# the pinned, hash-checked set in requirements.lock (the same file `make install` and CI use; it
# holds the [dev] tools too, a few MB that buy one lock file for every install).
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf build ./*.egg-info

# `pip install .` also copies the packages into site-packages, but without the top-level
# templates/, static/ and locale/, so the code must be imported from /app (settings' BASE_DIR
# is derived from it). From WORKDIR /app that already happens (manage.py's directory; gunicorn
# and celery's Django fixup put the cwd first on sys.path); PYTHONPATH makes it hold for any
# process started from another directory too. Set after the pip steps, so that pip does not
# take the source tree for an installed distribution.
ENV PYTHONPATH=/app

# BUILD-TIME ONLY dummy values: production.py refuses to load without SECRET_KEY (>= 32
# chars), ALLOWED_HOSTS and a PostgreSQL DATABASE_URL. They are exported inside this RUN
# only (not ENV), so they are not in the image; neither command connects to a database.
# The real values come from the environment at run time (docker-compose.yml).
# The media and backups volumes are mounted at /app/var/media and /app/var/backups; a new named volume takes
# the owner of its directory, so the non-root user can write uploads, generated PDFs and backup archives.
RUN export SECRET_KEY=build-only-dummy-key-not-a-secret-0123456789abcdef \
        ALLOWED_HOSTS=build \
        DATABASE_URL=postgres://build@localhost/build \
    && python manage.py compilemessages -l zh_Hans \
    && python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/backups \
    && chown unionhub:unionhub /app/var/media /app/var/backups

USER unionhub

EXPOSE 8000

CMD ["gunicorn", "unionhub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
