#!/usr/bin/env bash
# The container test (npm run test:docker): builds the image and runs it the
# way a scheduler does. See docs/container.md.
#
#   1. the image: runs as `node`, no credentials in its environment, no npm/npx/corepack/yarn, --version works;
#      a SIGUSR1 while Node itself starts opens no inspector (--disable-sigusr1), and a docker stop then
#      ends it at once, 143 (tini as PID 1 passes the signal on);
#   2. embedded model, job file at /jobs, read-only root filesystem: output checked
#      row by row; a second run is "already done" (exit 0, output untouched);
#      a new export at the same path is scored afresh; an input folder mounted :ro is
#      read, and a --summary-json into it is exit 74, "on a read-only filesystem";
#      operator faults: `score - -o -` under --read-only is exit 74 naming /tmp, and
#      scores with --tmpfs /tmp; a full disk (1 MB tmpfs) and a folder the --user may
#      not write are exit 74 with the line that says so;
#   3. against the local Workers AI server (slow answers): `docker stop` mid-run
#      gives exit 130 and a checkpoint; the next run resumes and finishes; the
#      result is byte-identical (cmp) to an uninterrupted run's; a token file
#      missing on the host (docker makes a folder there) and, as root, one of
#      root's are exit 2 with the line that says what to do on the host;
#   4. with the result cache: an already-done export sends no request, and a new
#      export at the same path sends only its new texts; the cache in a fresh
#      named volume of its own at /data/cache is written and read;
#   5. exit codes a scheduler sees: 4 for a rejected token; 75 when the daily
#      allocation is used up, then the next run (after "midnight") resumes to 0;
#   6. figures: image size, cold start (docker run -> one row scored -> exit).
#
# Needs Docker (../shared/tools/docker-base-image.sh 24 provides it and the base
# image on a machine without either) and `npm ci` run in the repo (the host runs
# the local server and the checking scripts from dist/ and node_modules/).
# Environment: SENTIMENT_BATCH_IMAGE (default sentiment-batch), DOCKER_TEST_ROWS
# (rows of the interrupted run, default 2000).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
here="$repo/test/docker"
image="${SENTIMENT_BATCH_IMAGE:-sentiment-batch}"
rows="${DOCKER_TEST_ROWS:-2000}"
started_at=$(date +%s)

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok    $*"; }
flunk() { failed=$((failed + 1)); echo "  FAIL  $*"; }
# check DESCRIPTION COMMAND...: one counted assertion.
check() {
  local description=$1
  shift
  if "$@"; then pass "$description"; else flunk "$description"; fi
}
give_up() {
  echo "docker test: $*" >&2
  echo "docker: $passed passed, $((failed + 1)) failed"
  exit 1
}
now_ms() { date +%s%3N; }

# ---- the engine and the base image ----
base_script="$repo/../shared/tools/docker-base-image.sh"
if [ -f "$base_script" ]; then
  bash "$base_script" 24 || give_up "$base_script could not provide Docker and node:24-bookworm-slim"
fi
command -v docker >/dev/null || give_up "no docker command: install Docker (or run ../shared/tools/docker-base-image.sh 24) and try again"
docker info >/dev/null 2>&1 || give_up "no Docker engine answers ('docker info' failed): start dockerd, or check you may use /var/run/docker.sock"
[ -f dist/bin/cli.js ] || give_up "dist/bin/cli.js is missing: run 'npm ci' (it builds) before the container test"
[ -d node_modules/csv-parse ] || give_up "node_modules is missing: run 'npm ci' before the container test"

# ---- scratch space, containers and the server, all removed on exit ----
work="$(mktemp -d "${TMPDIR:-/tmp}/sentiment-batch-docker.XXXXXX")"
containers=()
server_pids=()
# The image declares VOLUME /data /jobs: a container that mounts nothing there gets an anonymous volume,
# which only `docker rm -v` (or run --rm) removes. Those of every container are noted here and checked at the end.
volumes=()
named_volumes=()
cleanup() {
  if [ "${#containers[@]}" -gt 0 ]; then docker rm -f -v "${containers[@]}" >/dev/null 2>&1 || true; fi
  if [ "${#named_volumes[@]}" -gt 0 ]; then docker volume rm -f "${named_volumes[@]}" >/dev/null 2>&1 || true; fi
  for pid in ${server_pids[@]+"${server_pids[@]}"}; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The image runs as `node` (uid 1000). As root, hand the mounted folders to
# uid 1000 as a real host would; otherwise run the container as ourselves.
user_args=()
if [ "$(id -u)" = 0 ]; then
  give_to_container() { chown -R 1000:1000 "$@"; }
else
  user_args=(--user "$(id -u):$(id -g)")
  give_to_container() { :; }
fi

# run_container NAME LOG DOCKER_RUN_ARGS...: runs to the end; its exit code is left in $rc.
rc=""
run_container() {
  local name=$1 log=$2
  shift 2
  containers+=("$name")
  rc=0
  timeout 600 docker run --name "$name" ${user_args[@]+"${user_args[@]}"} "$@" >"$log" 2>&1 || rc=$?
  remove_container "$name"
}
# remove_container NAME: the container and its anonymous volumes.
remove_container() {
  local mounted
  mounted=$(docker inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' "$1" 2>/dev/null || true)
  for volume in $mounted; do volumes+=("$volume"); done
  docker rm -f -v "$1" >/dev/null 2>&1 || true
}
none_left() { for volume in ${volumes[@]+"${volumes[@]}"}; do if docker volume inspect "$volume" >/dev/null 2>&1; then echo "        volume $volume is left" >&2; return 1; fi; done; }
is() { [ "$1" = "$2" ] || { echo "        expected $2, got $1" >&2; return 1; }; }
contains() { grep -q -- "$2" "$1" || { echo "        '$2' not in $1:" >&2; tail -n 5 "$1" | sed 's/^/        | /' >&2; return 1; }; }
absent() { [ ! -e "$1" ]; }
valid_json() { node -e 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))' "$1"; }
checked() { node "$here/check-output.mjs" "$@" | sed 's/^/        /'; }   # pipefail: node's status
finished() { [ -s "$1" ] && [ ! -e "$1.partial" ]; }
checkpoint_and_partial() { valid_json "$1.checkpoint.json" && [ -s "$1.partial" ] && [ ! -e "$1" ]; }
no_cloudflare_env() { ! docker image inspect -f '{{json .Config.Env}}' "$image" | grep -qi cloudflare; }

# start_server LOG SERVE_ARGS...: the local Workers AI server on the host, on a
# free port (left in $port); stopped by the cleanup.
port=""
start_server() {
  local log=$1
  shift
  node dist/bin/cli.js serve --port 0 "$@" >"$log" 2>&1 &
  server_pids+=("$!")
  port=""
  for _ in $(seq 1 100); do
    port=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 | sed 's/.*://' || true)
    [ -n "$port" ] && return 0
    kill -0 "$!" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  give_up "the local server did not start (log above)"
}

# ---- build ----
echo "building $image (docker build --network host)"
build_start=$(now_ms)
# A build whose npm ci lost its connection to the registry (the same ECONNRESET that .ci/run
# retries) is tried again, up to three times; any other build error gives up at once.
for attempt in 1 2 3; do
  if docker build --network host -t "$image" . >"$work/build.log" 2>&1; then break; fi
  tail -n 30 "$work/build.log" >&2
  if [ "$attempt" = 3 ] || ! grep -qE 'ECONNRESET|ETIMEDOUT|EAI_AGAIN|npm error network' "$work/build.log"; then
    give_up "docker build failed (log above)"
  fi
  echo "  docker build lost its network (attempt $attempt of 3); trying again in 20 s"
  sleep 20
done
build_ms=$(( $(now_ms) - build_start ))
image_bytes=$(docker image inspect -f '{{.Size}}' "$image")
base_bytes=$(docker image inspect -f '{{.Size}}' node:24-bookworm-slim 2>/dev/null || echo 0)
echo "  built in $((build_ms / 1000)) s; image $((image_bytes / 1000000)) MB (base node:24-bookworm-slim $((base_bytes / 1000000)) MB)"

echo "1. the image"
check "runs as the node user" is "$(docker image inspect -f '{{.Config.User}}' "$image")" node
check "no credentials in the image's environment" no_cloudflare_env
check "ENTRYPOINT is tini, then the CLI, Node started with --disable-sigusr1" is "$(docker image inspect -f '{{json .Config.Entrypoint}}' "$image")" \
  '["/usr/bin/tini","-s","--","node","--disable-sigusr1","/app/dist/bin/cli.js"]'
# Node's own start, before the CLI's first line handles signals, held for 3 s by a module NODE_OPTIONS loads first (a
# stand-in for a slow start: 20-200 ms measured, docs/container.md), so that a signal lands in it every time. The module
# prints 57005 as the hold begins: a signal sent before it could meet Node's first milliseconds, where the image's
# tini passes a SIGUSR1 on to a Node that does not hold it yet (exit 138).
held_start=(-e 'NODE_OPTIONS=--import=data:text/javascript,console.error(0xdead),Atomics.wait(new(Int32Array)(new(SharedArrayBuffer)(4)),0,0,3000)')
# start_held NAME: the image's --version in a container NAME, its start held; returns once the hold has begun.
start_held() {
  containers+=("$1")
  docker run -d --name "$1" ${user_args[@]+"${user_args[@]}"} --network none "${held_start[@]}" "$image" --version >/dev/null
  for _ in $(seq 1 200); do
    if docker logs "$1" 2>&1 | grep -qx 57005; then return 0; fi
    sleep 0.1
  done
}
name="sb-test-$$-usr1"
start_held "$name"
docker kill -s USR1 "$name" >/dev/null || true
rc=$(docker wait "$name")
docker logs "$name" >"$work/usr1.log" 2>&1
remove_container "$name"
check "SIGUSR1 while Node starts: no inspector opened, the run goes on (exit 0, its version printed)" \
  is "$rc:$(grep -c 'Debugger listening' "$work/usr1.log"):$(tail -n 1 "$work/usr1.log")" "0:0:$(node -p 'require("./package.json").version')"
# docker stop then: tini (PID 1) passes SIGTERM on to node, whose default action ends it at once (143). With node as
# PID 1 the signal is dropped and the run goes on (here: --version, exit 0 once the hold ends; a job: killed at the timeout, 137).
name="sb-test-$$-earlystop"
start_held "$name"
t0=$(now_ms)
docker stop -t 10 "$name" >/dev/null
early_stop_ms=$(( $(now_ms) - t0 ))
rc=$(docker wait "$name")
remove_container "$name"
check "docker stop while Node starts: exit 143 at once (${early_stop_ms} ms), not dropped" is "$rc:$([ "$early_stop_ms" -lt 2500 ] && echo soon)" "143:soon"
# /jobs holds what configures the job (docs/container.md, Trust): root's, so the fresh volume made there (none is
# mounted here) is not writable by the job; /data is the job's own.
run_container "sb-test-$$-owners" "$work/owners.log" --entrypoint sh "$image" -c 'stat -c "%n %U %a" /jobs /data; test ! -w /jobs'
check "/jobs is root's and not writable by the job, /data is node's" is "$rc:$(tr '\n' ' ' <"$work/owners.log")" "0:/jobs root 755 /data node 755 "
# The base image's package managers are removed from the runtime stage (the job never runs them).
run_container "sb-test-$$-npm" "$work/npm.log" --entrypoint sh "$image" -c \
  'for t in npm npx corepack yarn yarnpkg; do command -v "$t"; done; ls -A /usr/local/lib/node_modules 2>/dev/null; true'
check "no npm, npx, corepack or yarn in the image" is "$rc:$(tr '\n' ' ' <"$work/npm.log")" "0:"
run_container "sb-test-$$-version" "$work/version.log" "$image" --version
check "--version exits 0 and prints the package version" is "$rc:$(cat "$work/version.log")" "0:$(node -p 'require("./package.json").version')"

echo "2. embedded model, job file, read-only root filesystem"
e="$work/embedded"
mkdir -p "$e/data/in" "$e/jobs"
cp fixtures/reviews.csv "$e/data/in/reviews.csv"
cp jobs/docker-nightly.json "$e/jobs/"
give_to_container "$e/data"
embedded_run=(--read-only --cap-drop ALL --security-opt no-new-privileges
  -v "$e/data:/data" -v "$e/jobs:/jobs:ro" "$image" run /jobs/docker-nightly.json)
run_container "sb-test-$$-emb1" "$work/emb1.log" "${embedded_run[@]}"
check "first run exits 0" is "$rc" 0
check "output written, no .partial left" finished "$e/data/out/reviews.scored.csv"
check "every input record is in the output, scored, with the new columns" checked "$e/data/in/reviews.csv" "$e/data/out/reviews.scored.csv" review
check "checkpoint written" valid_json "$e/data/out/reviews.scored.csv.checkpoint.json"
check "summary written" valid_json "$e/data/out/reviews.summary.json"
cp "$e/data/out/reviews.scored.csv" "$work/emb1.csv"
t0=$(now_ms)
run_container "sb-test-$$-emb2" "$work/emb2.log" "${embedded_run[@]}"
already_ms=$(( $(now_ms) - t0 ))
check "second run exits 0 at once (${already_ms} ms): already done" is "$rc" 0
check "second run says it was already done" contains "$work/emb2.log" "already done"
check "second run left the output untouched" cmp -s "$work/emb1.csv" "$e/data/out/reviews.scored.csv"
node "$here/gen-reviews.mjs" 40 9001 7 >"$e/data/in/reviews.csv"   # tomorrow's export, same path
run_container "sb-test-$$-emb3" "$work/emb3.log" "${embedded_run[@]}"
check "a new export at the same path exits 0" is "$rc" 0
check "the new export is scored afresh, record for record" checked "$e/data/in/reviews.csv" "$e/data/out/reviews.scored.csv" review

echo "2b. an input folder mounted read-only (:ro), left its creator's (root's when the test runs as root)"
r="$work/ro-mount"
mkdir -p "$r/data" "$r/in"
cp fixtures/reviews.csv "$r/in/reviews.csv"
give_to_container "$r/data"
ro_mounts=(-v "$r/data:/data" -v "$r/in:/data/in:ro" "$image" score in/reviews.csv --text-column review -o out/reviews.scored.csv --progress off)
run_container "sb-test-$$-ro1" "$work/ro1.log" "${ro_mounts[@]}"
check "read from a read-only mount: exit 0" is "$rc" 0
check "read from a read-only mount: every record scored" checked "$r/in/reviews.csv" "$r/data/out/reviews.scored.csv" review
# access(2) says EACCES before EROFS for a folder the container's user does not own: the line said "chown" (until 2026-12-05).
run_container "sb-test-$$-ro2" "$work/ro2.log" "${ro_mounts[@]}" --restart --summary-json in/summary.json
check "--summary-json into the read-only mount: exit 74" is "$rc" 74
check "... said to be on a read-only filesystem, not to chown" contains "$work/ro2.log" "the folder /data/in is on a read-only filesystem: make it writable or choose another path"

echo "2c. operator faults: standard input under a read-only root, a full disk, a folder another user owns"
f="$work/faults"
mkdir -p "$f/in" "$f/not-yours"
node "$here/gen-reviews.mjs" 8000 1 11 >"$f/in/big.csv"   # 0.8 MB in, 1.2 MB out: more than a 1 MB disk holds
give_to_container "$f/in"
# score - -o - copies standard input to the temp folder, /tmp, which --read-only leaves unwritable (docs/container.md).
stdin_run() {
  local name=$1
  shift
  containers+=("$name")
  rc=0
  timeout 120 docker run -i --name "$name" ${user_args[@]+"${user_args[@]}"} --read-only --cap-drop ALL "$@" "$image" \
    score - --format csv --text-column review -o - --progress off <fixtures/reviews.csv >"$work/$name.csv" 2>"$work/$name.log" || rc=$?
  remove_container "$name"
}
stdin_run "sb-test-$$-stdin1"
check "score - -o - under --read-only: exit 74" is "$rc" 74
check "... naming /tmp and TMPDIR" contains "$work/sb-test-$$-stdin1.log" "the folder /tmp is on a read-only filesystem: mount it writable or write elsewhere (TMPDIR)"
stdin_run "sb-test-$$-stdin2" --tmpfs /tmp
check "score - -o - under --read-only with --tmpfs /tmp: exit 0" is "$rc" 0
check "... every record scored on standard output" checked fixtures/reviews.csv "$work/sb-test-$$-stdin2.csv" review
run_container "sb-test-$$-full" "$work/full-disk.log" -v "$f/in:/data/in:ro" --mount type=tmpfs,destination=/out,tmpfs-size=1m \
  "$image" score in/big.csv --text-column review -o /out/big.scored.csv --progress off
check "a full disk (a 1 MB tmpfs): exit 74" is "$rc" 74
check "... one line saying so and that the same command continues" contains "$work/full-disk.log" "no space left on the device holding /out/big.scored.csv.*then run the same command again (it continues from the checkpoint)"
run_container "sb-test-$$-notyours" "$work/not-yours.log" --user 1234:1234 -v "$f/not-yours:/data" -v "$f/in:/data/in:ro" \
  "$image" score in/big.csv --text-column review -o big.scored.csv --progress off
check "a folder uid 1234 may not write: exit 74" is "$rc" 74
check "... naming the folder and the uid" contains "$work/not-yours.log" "permission denied: the folder /data is not writable by the user this job runs as (uid 1234)"

echo "3. local Workers AI server with slow answers: docker stop, resume, compare"
start_server "$work/server.log" --latency 200-300ms --seed 1 --token docker-test-token
echo "  server on 127.0.0.1:$port (answers in 200-300 ms)"
slow_port=$port
# With --token the control endpoints need it too.
requests_so_far() { node -e 'fetch(process.argv[1], { headers: { authorization: "Bearer docker-test-token" } }).then((r) => r.json()).then((s) => console.log(s.total))' "http://127.0.0.1:$slow_port/__stats"; }
remote=(--network host -e CLOUDFLARE_ACCOUNT_ID=docker-test-account -e CLOUDFLARE_API_TOKEN=docker-test-token
  -e "CLOUDFLARE_BASE_URL=http://127.0.0.1:$port/client/v4")
score=(score /data/reviews.csv --text-column review -o /data/reviews.scored.csv --rpm 100000 --concurrency 32 --progress off)

a="$work/interrupted"
b="$work/uninterrupted"
mkdir -p "$a" "$b"
node "$here/gen-reviews.mjs" "$rows" 1 42 >"$a/reviews.csv"
cp "$a/reviews.csv" "$b/reviews.csv"
give_to_container "$a" "$b"

name="sb-test-$$-int1"
containers+=("$name")
docker run -d --name "$name" ${user_args[@]+"${user_args[@]}"} "${remote[@]}" -v "$a:/data" "$image" "${score[@]}" >/dev/null
# Stop it once a few hundred records are in the partial output.
lines_at_stop=0
for _ in $(seq 1 600); do
  lines_at_stop=$( (wc -l <"$a/reviews.scored.csv.partial") 2>/dev/null || echo 0)
  [ "$lines_at_stop" -ge 300 ] && break
  [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || break
  sleep 0.1
done
memory=$(docker stats --no-stream --format '{{.MemUsage}}' "$name" 2>/dev/null || echo '?')
t0=$(now_ms)
docker stop -t 20 "$name" >/dev/null
stop_ms=$(( $(now_ms) - t0 ))
rc=$(docker wait "$name")
docker logs "$name" >"$work/int1.log" 2>&1
remove_container "$name"
echo "  stopped with $lines_at_stop lines in the partial output (of $((rows + 1))); docker stop took ${stop_ms} ms; memory then: $memory"
check "stopped mid-run (the partial output had rows, not all of them)" test "$lines_at_stop" -ge 2 -a "$lines_at_stop" -le "$rows"
check "docker stop: exit code 130 (SIGTERM passed on by tini, handled by the CLI, not SIGKILL)" is "$rc" 130
check "docker stop: a valid checkpoint and the partial output are left, no final output" checkpoint_and_partial "$a/reviews.scored.csv"
run_container "sb-test-$$-int2" "$work/int2.log" "${remote[@]}" -v "$a:/data" "$image" "${score[@]}"
check "started again: exits 0" is "$rc" 0
check "started again: it resumed from the checkpoint" contains "$work/int2.log" "resuming from the checkpoint"
# The uninterrupted run reads its token from a mounted secret file, as in Kubernetes.
mkdir -p "$work/secret"
printf 'docker-test-token\n' >"$work/secret/api-token"
chmod 0400 "$work/secret/api-token"
give_to_container "$work/secret/api-token"
from_file=(--network host -e CLOUDFLARE_ACCOUNT_ID=docker-test-account -e CLOUDFLARE_API_TOKEN_FILE=/run/secrets/cloudflare-api-token
  -v "$work/secret/api-token:/run/secrets/cloudflare-api-token:ro" -e "CLOUDFLARE_BASE_URL=http://127.0.0.1:$port/client/v4")
run_container "sb-test-$$-full" "$work/full.log" "${from_file[@]}" -v "$b:/data" "$image" "${score[@]}"
check "uninterrupted run on a copy (token from CLOUDFLARE_API_TOKEN_FILE) exits 0" is "$rc" 0
check "interrupted+resumed output is byte-identical to the uninterrupted one (cmp)" cmp "$a/reviews.scored.csv" "$b/reviews.scored.csv"
# A secret mounted from a host file that does not exist: docker makes a folder at the mount point and at the host path,
# where "create the token file" then fails (Is a directory): the line says to remove that folder first. Exit 2, at once.
absent_token=(--network host -e CLOUDFLARE_ACCOUNT_ID=docker-test-account -e CLOUDFLARE_API_TOKEN_FILE=/run/secrets/cloudflare-api-token
  -v "$work/secret/missing-token:/run/secrets/cloudflare-api-token:ro" -e "CLOUDFLARE_BASE_URL=http://127.0.0.1:$port/client/v4")
run_container "sb-test-$$-notoken" "$work/notoken.log" "${absent_token[@]}" -v "$b:/data" "$image" "${score[@]}"
check "token file missing on the host: exit 2, the line says to remove the folder docker made there" is "$rc:$([ -d "$work/secret/missing-token" ] && echo folder)" "2:folder"
check "token file missing on the host: the line says rmdir" contains "$work/notoken.log" "on the host, remove that empty folder (rmdir) and create the token file there"
if [ "$(id -u)" = 0 ]; then
  # A token file of root's, mode 0400: unreadable to uid 1000. The remedy is the owner, not "chmod a+r" (a secret for all).
  printf 'docker-test-token\n' >"$work/secret/root-token" && chmod 0400 "$work/secret/root-token"
  run_container "sb-test-$$-roottoken" "$work/roottoken.log" --network host -e CLOUDFLARE_ACCOUNT_ID=docker-test-account \
    -e CLOUDFLARE_API_TOKEN_FILE=/run/secrets/cloudflare-api-token -v "$work/secret/root-token:/run/secrets/cloudflare-api-token:ro" \
    -e "CLOUDFLARE_BASE_URL=http://127.0.0.1:$port/client/v4" -v "$b:/data" "$image" "${score[@]}"
  check "token file of root's, mode 0400: exit 2, the line says to chown it to uid 1000 on the host" is "$rc" 2
  check "token file of root's: chown 1000 and mode 0400, on the host" contains "$work/roottoken.log" "make that user its owner, readable by it alone (chown 1000 /run/secrets/cloudflare-api-token && chmod 0400 /run/secrets/cloudflare-api-token; a file mounted into a container: on the host, the file mounted there)"
fi
check "every record present and scored" checked "$a/reviews.csv" "$a/reviews.scored.csv" review

echo "4. result cache: already done sends nothing, a new export sends only its new texts"
c="$work/cache"
mkdir -p "$c"
node "$here/gen-reviews.mjs" 300 1 5 >"$c/reviews.csv"
give_to_container "$c"
cached=("${remote[@]}" -v "$c:/data" "$image" "${score[@]}" --cache /data/cache)
before=$(requests_so_far)
run_container "sb-test-$$-cache1" "$work/cache1.log" "${cached[@]}"
after_first=$(requests_so_far)
check "first export (300 texts): exit 0, 300 requests" is "$rc:$((after_first - before))" "0:300"
run_container "sb-test-$$-cache2" "$work/cache2.log" "${cached[@]}"
after_second=$(requests_so_far)
check "same export again: exit 0, no request" is "$rc:$((after_second - after_first))" "0:0"
node "$here/gen-reviews.mjs" 350 1 5 >"$c/reviews.csv"   # the same 300 rows plus 50 new ones
run_container "sb-test-$$-cache3" "$work/cache3.log" "${cached[@]}"
after_third=$(requests_so_far)
check "new export (300 seen + 50 new texts): exit 0, 50 requests" is "$rc:$((after_third - after_second))" "0:50"
check "the new export's output is complete" checked "$c/reviews.csv" "$c/reviews.scored.csv" review
# The cache in a fresh named volume of its own at /data/cache, beside the bind-mounted /data: Docker gives such a volume
# the owner of the image's folder there (with none, root: exit 74, "/data/cache is not writable by uid 1000").
cache_volume="sb-test-$$-cache-volume"
docker volume create "$cache_volume" >/dev/null
named_volumes+=("$cache_volume")
run_container "sb-test-$$-cache4" "$work/cache4.log" "${remote[@]}" -v "$c:/data" -v "$cache_volume:/data/cache" "$image" \
  score /data/reviews.csv --text-column review -o /data/reviews.volume.csv --rpm 100000 --concurrency 32 --progress off --cache /data/cache
after_fourth=$(requests_so_far)
check "the cache in a fresh named volume at /data/cache: exit 0, 350 requests" is "$rc:$((after_fourth - after_third))" "0:350"
run_container "sb-test-$$-cache5" "$work/cache5.log" "${remote[@]}" -v "$c:/data" -v "$cache_volume:/data/cache" "$image" \
  score /data/reviews.csv --text-column review -o /data/reviews.volume2.csv --rpm 100000 --concurrency 32 --progress off --cache /data/cache
after_fifth=$(requests_so_far)
check "the same export to another output, that volume as its cache: exit 0, no request" is "$rc:$((after_fifth - after_fourth))" "0:0"
# A named volume outlives its containers by design: removed here, once both runs are done, so that the check for
# anonymous volumes left behind (remove_container notes every volume mounted) finds it gone.
docker volume rm -f "$cache_volume" >/dev/null

echo "5. what the scheduler sees: a rejected token exits 4; a used-up daily allocation exits 75 and the next run continues"
q="$work/quota"
mkdir -p "$q"
node "$here/gen-reviews.mjs" 200 1 9 >"$q/reviews.csv"
give_to_container "$q"
run_container "sb-test-$$-badtoken" "$work/badtoken.log" --network host -e CLOUDFLARE_ACCOUNT_ID=docker-test-account \
  -e CLOUDFLARE_API_TOKEN=wrong-token -e "CLOUDFLARE_BASE_URL=http://127.0.0.1:$slow_port/client/v4" -v "$q:/data" "$image" "${score[@]}"
check "rejected token: exit 4 (fatal API error: a person has to look)" is "$rc" 4
# 200 texts cost about 9 neurons: the first run pauses after about half, the next finishes.
start_server "$work/quota-server.log" --daily-neurons 5
quota_port=$port
quota=(--network host -e CLOUDFLARE_ACCOUNT_ID=docker-test-account -e CLOUDFLARE_API_TOKEN=docker-test-token
  -e "CLOUDFLARE_BASE_URL=http://127.0.0.1:$quota_port/client/v4" -v "$q:/data" "$image" "${score[@]}")
run_container "sb-test-$$-quota1" "$work/quota1.log" "${quota[@]}"
check "daily allocation used up: exit 75 (paused)" is "$rc" 75
check "paused: a valid checkpoint and the partial output are left" checkpoint_and_partial "$q/reviews.scored.csv"
# "Midnight UTC": the server forgets the day's usage, as Workers AI does.
node -e 'fetch(process.argv[1], { method: "POST" }).then((r) => process.exit(r.ok ? 0 : 1))' "http://127.0.0.1:$quota_port/__reset"
run_container "sb-test-$$-quota2" "$work/quota2.log" "${quota[@]}"
check "the next scheduled run resumes and exits 0" is "$rc" 0
check "the next scheduled run resumed from the checkpoint" contains "$work/quota2.log" "resuming from the checkpoint"
check "the paused-then-resumed output is complete" checked "$q/reviews.csv" "$q/reviews.scored.csv" review

echo "6. cold start"
s="$work/cold"
mkdir -p "$s"
node "$here/gen-reviews.mjs" 1 1 3 >"$s/one.csv"
give_to_container "$s"
cold=()
for i in 1 2 3; do
  rm -f "$s"/one.scored.csv*
  t0=$(now_ms)
  run_container "sb-test-$$-cold$i" "$work/cold$i.log" -v "$s:/data" "$image" score /data/one.csv --text-column review --progress off
  cold+=("$(( $(now_ms) - t0 ))")
  [ "$rc" = 0 ] || break
done
check "one-row run with the embedded model exits 0" is "$rc" 0
t0=$(now_ms)
run_container "sb-test-$$-bare" "$work/bare.log" --entrypoint node "$image" -e 0
bare_ms=$(( $(now_ms) - t0 ))
check "no anonymous volume left behind (${#volumes[@]} made for /data or /jobs)" none_left

echo
echo "image size:  $((image_bytes / 1000000)) MB ($image_bytes bytes; base node:24-bookworm-slim $((base_bytes / 1000000)) MB)"
echo "cold start:  ${cold[*]} ms  (docker run -> 1 row scored by the embedded model -> exit; runs 1..3)"
echo "             ${bare_ms} ms for 'docker run IMAGE node -e 0' (the container's own overhead)"
echo "already done: ${already_ms} ms (docker run on an export scored before)"
echo "docker stop:  ${stop_ms} ms (SIGTERM -> checkpoint -> exit 130)"
echo "total:        $(( $(date +%s) - started_at )) s"
echo "docker: $passed passed, $failed failed"
[ "$failed" = 0 ]
