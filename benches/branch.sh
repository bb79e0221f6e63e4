#!/usr/bin/env bash
# Branch figures (issue 14) against a throwaway PostgreSQL started here (.ci/postgres-start,
# stopped at exit):
#   - branch_notify: notification latency p50/p95 from 10 writer connections to 10
#     listening desks over 1,000 changes (target p95 <= 1 s).
#   - the branch drill (tests/branch_drill.rs) at full size: 10 counters, each creating
#     100 orders as separate `paydesk create` processes, against one ledger and the
#     emulator: 1,000 rows, 0 duplicates, operator and counter right on every row.
#   - the fault drill (tests/branch_faults.rs): the server stopped with
#     `pg_ctl stop -m immediate` during sends, then started again.
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
PAYDESK_BRANCH_DRILL_ORDERS="${ORDERS:-100}" cargo test --locked --test branch_drill -- --nocapture
cargo test --locked --test branch_faults -- --nocapture
