#!/usr/bin/env bash
# Installs what kho-bench needs besides Rust, all from Debian's packages (run as root, or with sudo):
#   - libxapian-dev (Xapian 1.4 headers and library) and nlohmann-json3-dev (a header-only JSON parser):
#     kho-bench compiles its Xapian peer, bench/peers/xapian_peer.cpp, against them with g++ at bench time;
#   - g++ and pkg-config, to compile it;
#   - wrk, the HTTP load generator run in its own process against the Kho server.
# `cargo test` needs none of this. Idempotent: installed packages are left alone.
set -euo pipefail

packages=(libxapian-dev nlohmann-json3-dev g++ pkg-config wrk)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup.sh: already installed: ${packages[*]}"
else
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    echo "setup.sh: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "setup.sh: Xapian $(pkg-config --modversion xapian-core), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)"
