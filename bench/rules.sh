#!/bin/sh
# Makes DIR a rules folder for bench/reference-policy.lua over the bundled
# facts: what make bench, the lean-path test and the account fuzzer run.
# One place knows what such a folder holds (the facts, the accounts it
# decides for, the policy).
#   bench/rules.sh DIR
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
cp -R "$TOP/rules/facts" "$TOP/rules/accounts.lua" "$TOP/bench/reference-policy.lua" "$1/"
