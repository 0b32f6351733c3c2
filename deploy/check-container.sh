#!/usr/bin/env bash
# Builds the image and runs compose.yaml on this machine, then checks what docs/deploy.md promises of the
# container: healthy (its HEALTHCHECK), not root, serving the REST API with the demo household, exit 0 on
# `docker stop`. Needs Docker with the compose plugin and port 8080 free. The test suite checks the files
# statically and runs the health-check command against a live server; it does not run Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
export POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-$(openssl rand -hex 16)}"
project="voicecart-check-$$"
compose() { docker compose -p "$project" "$@"; }
trap 'compose down -v >/dev/null 2>&1 || true' EXIT

compose up -d --build
container="$(compose ps -q voicecart)"
status=starting
for _ in $(seq 1 60); do
    status="$(docker inspect -f '{{.State.Health.Status}}' "$container")"
    [ "$status" = healthy ] && break
    sleep 2
done
if [ "$status" != healthy ]; then
    echo "voicecart did not become healthy (health: $status)" >&2
    compose logs voicecart | tail -50 >&2
    exit 1
fi
uid="$(compose exec -T voicecart id -u)"
[ "$uid" != 0 ] || { echo "the container runs as root" >&2; exit 1; }
token="$(compose exec -T voicecart voicecart token --household demo | tr -d '\r')"
curl -fsS -H "Authorization: Bearer $token" http://127.0.0.1:8080/api/cart >/dev/null
compose stop -t 40 voicecart
code="$(docker inspect -f '{{.State.ExitCode}}' "$container")"
[ "$code" = 0 ] || { echo "voicecart exited with $code on docker stop (expected a graceful 0)" >&2; exit 1; }
echo "container check passed: healthy, uid $uid, API answering, graceful stop"
