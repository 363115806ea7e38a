# Rex as a service: `docker build -t rex .`, then `rex migrate` once per upgrade and any
# number of `rex run` replicas on PostgreSQL (see compose.yaml and the README's Operations).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=3000 \
    REX_LOG_FORMAT=json

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY scripts/install.sh ./scripts/install.sh
# the same script CI runs on a plain machine
RUN sh scripts/install.sh \
    && useradd --system --uid 10001 --no-create-home --home-dir /app rex

USER rex
EXPOSE 3000
# 200 only when the database answers, the scheduler runs and Slack takes the token
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)" || exit 1
# SIGTERM: stop taking work, finish or hand back what is held, exit within 10 s
STOPSIGNAL SIGTERM
ENTRYPOINT ["rex"]
CMD ["run"]
