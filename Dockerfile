# StudyCoach as a container: `docker compose up` (see compose.yaml and README, "Running it as
# a service"). Installs the package from this checkout (pip install . — .ci/run installs it
# too, with the test extras this image leaves out), runs as an unprivileged user, keeps its
# state in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# What pyproject.toml needs to build: its metadata, the README (the long description) and
# the packages it lists, curriculum data included.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY curriculum ./curriculum
COPY migrations ./migrations
RUN python -m pip install --upgrade pip && python -m pip install .

RUN useradd --create-home --uid 10001 coach && mkdir -p /data && chown coach:coach /data
USER coach

# State (the SQLite file if DATABASE_URL is unset, the synced-command hash, backups) lives
# in the volume; /healthz and /metrics listen on 9108 inside the container.
ENV DATA_DIR=/data \
    METRICS_PORT=9108 \
    METRICS_HOST=0.0.0.0 \
    LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 9108

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['METRICS_PORT'], timeout=4)"]

ENTRYPOINT ["coach"]
CMD ["run"]
