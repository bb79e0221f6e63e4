#!/usr/bin/env bash
# Branch figures (issue 14) against a throwaway PostgreSQL started here (.ci/postgres-start,
# stopped at exit):
#   - branch_notify: notification latency p50/p95 from 10 writer connections to 10
#     listening desks over 1,000 changes (target p95 <= 1 s).
#
#   bash benches/branch.sh                 # PROFILE=dev by default
#   PROFILE=bench bash benches/branch.sh   # optimised (fat LTO: a long first build)
#
# The latency is the server's and the network's, not paydesk's CPU, so the debug build
# (which reuses the test build's dependencies) gives the same figures within noise.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/postgres-start
cargo bench --profile "${PROFILE:-dev}" --bench branch_notify
