#!/usr/bin/env bash
# Starts (or stops) the real servers the store tests run against, on free 127.0.0.1 ports:
#   etcd 3.4 (Debian etcd-server), S3Proxy 4.1.0 (Maven Central, transient in-memory blobs),
#   moto 5.2.1 (the machine's Python, served single-threaded so it is linearizable).
#
#   scripts/servers.sh start DIR   install what is missing, start all three, wait until each
#                                  answers, write DIR/*.pid and DIR/servers.env
#   scripts/servers.sh stop DIR    kill what DIR/*.pid names and wait for it to exit
#
# Then: source DIR/servers.env (BERTH_TEST_ETCD, BERTH_TEST_S3PROXY, BERTH_TEST_MOTO, ...).
set -euo pipefail

S3PROXY_VERSION=4.1.0
S3PROXY_IDENTITY=berth-test
S3PROXY_CREDENTIAL=berth-test-secret
WAIT_SECONDS=${BERTH_SERVERS_WAIT_SECONDS:-60}
JAVA_FOR_S3PROXY=${BERTH_S3PROXY_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

install_etcd() {
    if command -v etcd >/dev/null && command -v etcdctl >/dev/null; then
        return
    fi
    echo "servers.sh: installing etcd-server and etcd-client from Debian" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client >/dev/null
}

install_s3proxy() {
    local dir=$1
    local jar="$dir/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
    if [[ -f "$jar" ]]; then
        echo "$jar"
        return
    fi
    echo "servers.sh: fetching S3Proxy $S3PROXY_VERSION with Maven" >&2
    mvn -q dependency:copy -Dartifact=org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies \
        -DoutputDirectory="$dir" >&2
    [[ -f "$jar" ]] || { echo "servers.sh: S3Proxy jar not found at $jar after mvn dependency:copy" >&2; exit 1; }
    echo "$jar"
}

# wait_for NAME PIDFILE LOG COMMAND...: runs COMMAND until it succeeds, at most WAIT_SECONDS
wait_for() {
    local name=$1 pidfile=$2 log=$3
    shift 3
    local deadline=$((SECONDS + WAIT_SECONDS))
    until "$@" >/dev/null 2>&1; do
        if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            echo "servers.sh: $name exited while starting; last lines of $log:" >&2
            tail -20 "$log" >&2
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            echo "servers.sh: $name did not answer within ${WAIT_SECONDS}s; see $log" >&2
            exit 1
        fi
        sleep 0.3
    done
}

http_answers() {
    # any HTTP status (even 403) means the server is up
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true)
    [[ -n "$code" && "$code" != "000" ]]
}

start() {
    local dir
    mkdir -p "$1"
    dir=$(cd "$1" && pwd)
    for name in etcd s3proxy moto; do
        if [[ -f "$dir/$name.pid" ]] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
            echo "servers.sh: $name already runs with PID $(cat "$dir/$name.pid") (stop it first: $0 stop $dir)" >&2
            exit 1
        fi
    done
    install_etcd
    local jar
    jar=$(install_s3proxy "$dir")

    # etcd
    local etcd_port etcd_peer
    etcd_port=$(free_port)
    etcd_peer=$(free_port)
    rm -rf "$dir/etcd-data"
    etcd --name berth-test --data-dir "$dir/etcd-data" \
        --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
        --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
        --initial-cluster "berth-test=http://127.0.0.1:$etcd_peer" >"$dir/etcd.log" 2>&1 &
    echo $! >"$dir/etcd.pid"

    # S3Proxy, blobs in memory
    local s3proxy_port
    s3proxy_port=$(free_port)
    mkdir -p "$dir/s3proxy-data"
    cat >"$dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3proxy_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3PROXY_IDENTITY
s3proxy.credential=$S3PROXY_CREDENTIAL
jclouds.provider=transient
jclouds.identity=$S3PROXY_IDENTITY
jclouds.credential=$S3PROXY_CREDENTIAL
PROPS
    (cd "$dir/s3proxy-data" && exec "$JAVA_FOR_S3PROXY" -jar "$jar" --properties "$dir/s3proxy.properties") \
        >"$dir/s3proxy.log" 2>&1 &
    echo $! >"$dir/s3proxy.pid"

    # moto, single-threaded
    local moto_port
    moto_port=$(free_port)
    mkdir -p "$dir/moto-data"
    cat >"$dir/moto_single_thread.py" <<'PY'
import sys
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

# one request at a time: every conditional write is decided in order (linearizable)
run_simple("127.0.0.1", int(sys.argv[1]), DomainDispatcherApplication(create_backend_app),
           threaded=False, use_reloader=False)
PY
    (cd "$dir/moto-data" && exec python3 "$dir/moto_single_thread.py" "$moto_port") >"$dir/moto.log" 2>&1 &
    echo $! >"$dir/moto.pid"

    wait_for etcd "$dir/etcd.pid" "$dir/etcd.log" curl -sf --max-time 2 "http://127.0.0.1:$etcd_port/health"
    wait_for S3Proxy "$dir/s3proxy.pid" "$dir/s3proxy.log" http_answers "http://127.0.0.1:$s3proxy_port/"
    wait_for moto "$dir/moto.pid" "$dir/moto.log" http_answers "http://127.0.0.1:$moto_port/moto-api/"

    cat >"$dir/servers.env" <<ENV
export BERTH_TEST_ETCD=http://127.0.0.1:$etcd_port
export BERTH_TEST_S3PROXY=http://127.0.0.1:$s3proxy_port
export BERTH_TEST_S3PROXY_ACCESS_KEY=$S3PROXY_IDENTITY
export BERTH_TEST_S3PROXY_SECRET_KEY=$S3PROXY_CREDENTIAL
export BERTH_TEST_MOTO=http://127.0.0.1:$moto_port
ENV
    echo "servers.sh: etcd on $etcd_port, S3Proxy on $s3proxy_port, moto on $moto_port; source $dir/servers.env" >&2
}

stop() {
    local dir=$1 status=0
    for name in etcd s3proxy moto; do
        local pidfile="$dir/$name.pid"
        [[ -f "$pidfile" ]] || continue
        local pid
        pid=$(cat "$pidfile")
        if kill "$pid" 2>/dev/null; then
            local deadline=$((SECONDS + 15))
            while kill -0 "$pid" 2>/dev/null; do
                if ((SECONDS >= deadline)); then
                    echo "servers.sh: $name (PID $pid) did not stop in 15s; sending KILL" >&2
                    kill -9 "$pid" 2>/dev/null || true
                    status=1
                    break
                fi
                sleep 0.2
            done
        fi
        rm -f "$pidfile"
    done
    rm -f "$dir/servers.env"
    return $status
}

[[ $# -eq 2 ]] || usage
case $1 in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) usage ;;
esac
