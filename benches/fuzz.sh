#!/usr/bin/env bash
# Runs every fuzz suite (proptest) with 100,000 cases per property, in release mode, and
# prints a summary. A plain `cargo test` runs the same properties with 256 cases each.
#
#   benches/fuzz.sh            # 100,000 cases per property
#   benches/fuzz.sh 20000      # fewer, for a quick look
#   benches/fuzz.sh 100000 fuzz_responses config_fuzz   # only these suites
#
# Release mode keeps 100,000 cases fast; overflow checks and debug assertions stay on for
# paydesk itself (not its dependencies), so arithmetic overflow still panics as it would
# in a debug build. A failing property prints its minimal failing input and proptest
# stores its seed in tests/<suite>.proptest-regressions (commit it); also turn the input
# into a named regression test next to the fix.
set -u
cd "$(dirname "$0")/.."

cases="${1:-${PROPTEST_CASES:-100000}}"
shift $(( $# > 0 ? 1 : 0 ))

# What each suite fuzzes:
#   fuzz_responses     SessionResponse / OrderStatus decoding, ErrorBody::parse,
#                      OrderState::parse, mask_client_auth_token
#   fuzz_json_import   request JSON import (mutated samples, token soup, fixed point,
#                      set_from_text)
#   session_props      request JSON import, validation, wire round trip (session's suite)
#   fuzz_profile_toml  lender profile TOML, the order_id pattern, ProfileSet::load
#   config_fuzz        config TOML with environment variables and flags, base URLs
#   fuzz_theme         theme TOML (the desk's colours)
#   hostile_input      CLI output for arbitrary server answers holds no terminal controls
#                      (runs the binary once per case, so it is the slow one; its other
#                      tests run once)
#   tui_hostile_answers the desk's screens for arbitrary Session API and Order Status answers
#                      from a loopback server (real client, App::update, TestBackend) hold
#                      no terminal controls, after the create and after a status poll
#   orders_model       order truth, model-based: random interleavings of sends, answers,
#                      kills, late commits, status answers, a short-timeout second process
#                      and restarts against the emulator. Each case is a whole scenario
#                      (an emulator, a history, up to 24 steps), so it runs at most
#                      10,000 cases (MODEL_CASES overrides), not the count above.
#   refunds_model      refunds, model-based: random partial and full refunds, failures,
#                      manual reviews, lost answers, clock moves and follows against the
#                      emulator, then reconciliation; a whole scenario per case, so capped
#                      like orders_model.
suites=(fuzz_responses fuzz_json_import session_props fuzz_profile_toml config_fuzz fuzz_theme hostile_input tui_hostile_answers orders_model refunds_model)
model_cases="${MODEL_CASES:-10000}"
if [ $# -gt 0 ]; then
    suites=("$@")
fi

export PROPTEST_CASES="$cases"
# Filters in the generators reject a few values; at 100,000 cases the default caps
# (65,536 local / 1,024 global rejects per property) could stop a run that is fine.
export PROPTEST_MAX_LOCAL_REJECTS=100000000
export PROPTEST_MAX_GLOBAL_REJECTS=100000000
export PROPTEST_MAX_SHRINK_ITERS=100000
# The config and profile suites write a small file per case; on a disk file system
# rewriting it waits for the journal (ext4 flushes a truncated file on close), which
# makes 100,000 cases take ten times longer. Use memory when there is some.
if [ -z "${PAYDESK_FUZZ_KEEP_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
fi

cargo_flags=(
    --release
    --config 'profile.release.package.paydesk.overflow-checks=true'
    --config 'profile.release.package.paydesk.debug-assertions=true'
)
test_args=()
for s in "${suites[@]}"; do
    test_args+=(--test "$s")
done

echo "building ${#suites[@]} fuzz suites (release)..."
if ! cargo test "${cargo_flags[@]}" --no-run "${test_args[@]}" 2>&1 | tail -n 3; then
    echo "build failed" >&2
    exit 1
fi

logdir="target/fuzz-logs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$logdir"
summary=()
failed=0
total_start=$(date +%s)
for s in "${suites[@]}"; do
    echo
    suite_cases="$cases"
    if { [ "$s" = orders_model ] || [ "$s" = refunds_model ]; } && [ "$cases" -gt "$model_cases" ]; then
        suite_cases="$model_cases"
    fi
    echo "== $s: $suite_cases cases per property"
    start=$(date +%s)
    PROPTEST_CASES="$suite_cases" cargo test "${cargo_flags[@]}" --test "$s" -- --test-threads=1 >"$logdir/$s.log" 2>&1
    code=$?
    secs=$(( $(date +%s) - start ))
    result=$(grep -E '^test result:' "$logdir/$s.log" | tail -n 1)
    passed=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$result")
    fails=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$result")
    grep -E '^test .* \.\.\. ' "$logdir/$s.log"
    if [ "$code" -eq 0 ]; then
        status=ok
    else
        status=FAILED
        failed=1
        grep -E 'minimal failing input|panicked at|Test failed|overflowed' "$logdir/$s.log" | head -n 20
    fi
    summary+=("$(printf '%-20s %-7s %4s passed %4s failed %6ss' "$s" "$status" "${passed:-0}" "${fails:-?}" "$secs")")
done

echo
echo "fuzz summary: $cases cases per property, release build, logs in $logdir"
printf '%s\n' "${summary[@]}"
echo "total: $(( $(date +%s) - total_start ))s"
exit "$failed"
