#!/bin/bash
# Server memory before and after load (see README.md, "Memory"). Run from the workspace root after
# `cargo build --release -p kho-server`:
#   INDEX=/tmp/idx100c bench/profiles/memtest.sh LABEL [VAR=value...]
# The variables are set for kho-serve (e.g. MALLOC_ARENA_MAX=1). /tmp/paths.txt holds one request path per
# line (`/api/search?q=...`, the query mix of make_queries.py, percent-encoded).
label=$1; shift
pkill -f "kho-serve --index ${INDEX:-/tmp/idx100c}"; sleep 1
env "$@" ./target/release/kho-serve --index ${INDEX:-/tmp/idx100c} --bind 127.0.0.1:8099 --cache-entries 0 > /tmp/serve-$label.log 2>&1 &
sleep 1; pid=$(pgrep -f "kho-serve --index ${INDEX:-/tmp/idx100c}")
for i in $(seq 1 40); do sleep 1; grep -q "suggestions built" /tmp/serve-$label.log && break; done
a=$(grep -E "RssAnon|RssFile" /proc/$pid/status | awk '{print $2/1024}' | tr '\n' ' ')
r=$(wrk -t2 -c8 -d8s -s ./bench/wrk/search.lua http://127.0.0.1:8099 -- /tmp/paths.txt 2 | tail -1 | python3 -c "import json,sys; d=json.load(sys.stdin); print(round(d['requests']/d['duration_us']*1e6), d['p50_us'], d['p99_us'])")
b=$(grep -E "RssAnon|RssFile|VmHWM" /proc/$pid/status | awk '{print $2/1024}' | tr '\n' ' ')
echo "$label built(anon file)=$a load=$r after(hwm anon file)=$b"
pkill -f "kho-serve --index ${INDEX:-/tmp/idx100c}"
