# Container image for the todo service.
#
#   docker build -t todo-api .
#   docker run --env-file .env -p 8000:8000 todo-api
#
# The web command never migrates: run `python manage.py release` once per
# deploy (release phase / pre-deploy command) with the same image.

# --- builder: a virtualenv with the production dependencies only -------------
FROM python:3.11-slim-bookworm AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /build
COPY requirements.txt .
# Every package pinned and hashed in requirements.txt (make lock), nothing else.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --require-hashes -r requirements.txt

# --- runtime: slim, no compilers, non-root ------------------------------------
FROM python:3.11-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings \
    PORT=8000

RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
# Code stays owned by root: the service user can read it, not change it.
COPY . .

# Hashed, compressed static files are baked into the image (served by
# WhiteNoise). The secret is a throwaway that exists only in this RUN.
RUN DJANGO_SECRET_KEY="collectstatic-at-build-time-only-not-a-real-secret-0123456789" \
    python manage.py collectstatic --noinput --verbosity 1

USER 10001:10001
EXPOSE 8000

# /health answers whatever the Host and scheme; python is already in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=4)"]

CMD ["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi:application"]
