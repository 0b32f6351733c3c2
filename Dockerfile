# voicecart as a container: `voicecart serve` (gunicorn, one worker per core) as a non-root user.
# With PostgreSQL: compose.yaml. Settings are the VOICECART_* variables (docs/deploy.md).

FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md skill.json ./
COPY reorder ./reorder
COPY intents ./intents
COPY skills ./skills
COPY device_sim ./device_sim
COPY voicecart ./voicecart
# The extras installed: `docker build --build-arg EXTRAS=postgres,contextual .` adds the contextual sentence encoder
# (about 300 MB more), which reads sparse third-party interaction models far better (docs/language.md);
# voicecart's own model reads with the static vectors either way.
ARG EXTRAS=postgres
# A C compiler in the build stage only: pip compiles the language engine's innermost modules with mypyc
# (docs/decisions/0003-compiled-engine.md); the image that runs has none.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends gcc libc6-dev >/dev/null \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/voicecart \
    && /opt/voicecart/bin/pip install --no-cache-dir ".[${EXTRAS}]"

FROM python:3.12-slim
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/voicecart voicecart
COPY --from=build /opt/voicecart /opt/voicecart
ENV PATH=/opt/voicecart/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    VOICECART_HOST=0.0.0.0 \
    VOICECART_PORT=8080
USER voicecart
WORKDIR /var/lib/voicecart
EXPOSE 8080
# gunicorn finishes the requests in flight on SIGTERM (docker stop), for up to VOICECART_GRACEFUL_TIMEOUT s.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('VOICECART_PORT', '8080') + '/healthz', timeout=4)"]
CMD ["voicecart", "serve"]
