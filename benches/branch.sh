#!/usr/bin/env bash
# Branch figures (issue 14) against a throwaway PostgreSQL started here (.ci/postgres-start,
# stopped at exit):
#   - branch_notify: notification latency p50/p95 from 10 writer connections to 10
#     listening desks over 1,000 changes (target p95 <= 1 s).
#
#   bash benches/branch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/postgres-start
cargo bench --bench branch_notify
