#!/usr/bin/env bash
# Whole-program figures for paydesk (issue 7), each beside the same-run figure of the floor
# (examples/floor.rs: the smallest ratatui app) and the ratio to it.
#
#   bash benches/startup.sh            # RUNS=10 IDLE_SECONDS=10 ROWS=100000 by default
#
# Needs the Rust toolchain; uses hyperfine for the headless commands when it is installed.
# Every run uses a temporary HOME / XDG directories (never yours) and no JUSPAY_* or
# PAYDESK_* variables. The desk runs in a 120×40 pseudo-terminal driven by
# examples/probe.rs, which parses the screen as a terminal would:
#   - first frame: launch → "DEMO" (the header badge) on screen;
#   - ready: the demo emulator has started ("starting…" gone from the header) and, with a
#     seeded history, the newest order is listed in the history pane;
#   - peak RSS: VmHWM once the screen has been quiet for 300 ms;
#   - Ctrl-S → the result view ("Juspay ID") for the travel sample, against the embedded
#     emulator (floor: Ctrl-S → "FLOOR SENT");
#   - idle: CPU time of all threads (schedstat, ns) and bytes written to the terminal over
#     IDLE_SECONDS with nothing happening.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
IDLE_SECONDS=${IDLE_SECONDS:-10}
ROWS=${ROWS:-100000}

echo "building (release)…" >&2
cargo build --release --bins --examples --quiet
BIN=target/release/paydesk
FLOOR=target/release/examples/floor
PROBE=target/release/examples/probe
SEED=target/release/examples/seed_history

WORK=$(mktemp -d "${TMPDIR:-/tmp}/paydesk-startup.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Runs a command with HOME and the XDG directories under $1 and no JUSPAY_*/PAYDESK_*.
in_home() {
    local home=$1
    shift
    mkdir -p "$home"
    local unset=()
    local name
    for name in $(compgen -e); do
        case $name in JUSPAY_* | PAYDESK_*) unset+=(-u "$name") ;; esac
    done
    env "${unset[@]}" HOME="$home" XDG_CONFIG_HOME="$home/.config" \
        XDG_DATA_HOME="$home/.local/share" XDG_STATE_HOME="$home/.local/state" \
        XDG_CACHE_HOME="$home/.cache" "$@"
}

# The value of key $2 in a probe output line $1.
field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
bytes_to_mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
# "yes" when $1 <= $2.
within() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "yes" : "NO" }'; }

ROWS_OUT=()
row() { # figure, paydesk, floor, target
    local ok="-"
    [[ $4 != "-" ]] && ok=$(within "$2" "$4")
    ROWS_OUT+=("$(printf '%-44s %10s %9s %8s %8s %4s' "$1" "$2" "$3" "$(ratio "$2" "$3")" "$4" "$ok")")
}

EMPTY="$WORK/empty"
FULL="$WORK/full"
SAMPLE=assets/samples/travel.json

echo "floor: start-up, key → frame, idle…" >&2
floor_start=$(in_home "$EMPTY" "$PROBE" startup --runs "$RUNS" --marker "FLOOR READY" -- "$FLOOR")
floor_send=$(in_home "$EMPTY" "$PROBE" send --runs "$RUNS" --ready "FLOOR READY" --marker "FLOOR SENT" -- "$FLOOR")
floor_idle=$(in_home "$EMPTY" "$PROBE" idle --seconds "$IDLE_SECONDS" --ready "FLOOR READY" -- "$FLOOR")

echo "paydesk --demo, empty history…" >&2
empty_start=$(in_home "$EMPTY" "$PROBE" startup --runs "$RUNS" --marker DEMO --gone "starting…" -- "$BIN" --demo)

echo "seeding $ROWS history rows…" >&2
in_home "$FULL" "$SEED" --rows "$ROWS" >&2
newest=$(printf 'PD2026%07d' $((ROWS - 1)))
echo "paydesk --demo, $ROWS history rows…" >&2
full_start=$(in_home "$FULL" "$PROBE" startup --runs "$RUNS" --marker DEMO --then "$newest" --gone "starting…" -- "$BIN" --demo)

echo "paydesk: Ctrl-S → QR on the emulator…" >&2
# A home of its own: the orders sent here stay out of the other figures.
send_home="$WORK/send"
send=$(in_home "$send_home" "$PROBE" send --runs "$RUNS" --ready DEMO --gone "starting…" --marker "Juspay ID" -- "$BIN" --demo --from "$SAMPLE")

echo "paydesk: idle for $IDLE_SECONDS s…" >&2
idle=$(in_home "$EMPTY" "$PROBE" idle --seconds "$IDLE_SECONDS" --ready DEMO --gone "starting…" -- "$BIN" --demo)

bin_size=$(stat -c %s "$BIN")
floor_size=$(stat -c %s "$FLOOR")

row "first frame, empty history (ms)" "$(field "$empty_start" first_frame_ms)" "$(field "$floor_start" first_frame_ms)" 15
row "demo ready, empty history (ms)" "$(field "$empty_start" ready_ms)" "$(field "$floor_start" first_frame_ms)" "-"
row "first frame, $ROWS rows (ms)" "$(field "$full_start" first_frame_ms)" "$(field "$floor_start" first_frame_ms)" 15
row "history listed, $ROWS rows (ms)" "$(field "$full_start" ready_ms)" "$(field "$floor_start" first_frame_ms)" "-"
row "peak RSS, empty history (MiB)" "$(kib_to_mib "$(field "$empty_start" peak_rss_kib)")" "$(kib_to_mib "$(field "$floor_start" peak_rss_kib)")" 10
row "peak RSS, $ROWS rows (MiB)" "$(kib_to_mib "$(field "$full_start" peak_rss_kib)")" "$(kib_to_mib "$(field "$floor_start" peak_rss_kib)")" 40
row "Ctrl-S to QR on screen (ms)" "$(field "$send" send_to_result_ms)" "$(field "$floor_send" send_to_result_ms)" 30
row "idle CPU over ${IDLE_SECONDS} s (ms)" "$(field "$idle" idle_cpu_ms)" "$(field "$floor_idle" idle_cpu_ms)" 10
row "bytes written while idle" "$(field "$idle" output_bytes_while_idle)" "$(field "$floor_idle" output_bytes_while_idle)" 0
row "release binary (MiB)" "$(bytes_to_mib "$bin_size")" "$(bytes_to_mib "$floor_size")" 15

echo
echo "paydesk $("$BIN" --version | awk '{print $2}') · $(rustc --version) · $(nproc) cores · $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
echo "medians of $RUNS runs (idle: one run of $IDLE_SECONDS s); floor = examples/floor.rs, same run"
echo
printf '%-44s %10s %9s %8s %8s %4s\n' "figure" "paydesk" "floor" "ratio" "target" "ok"
printf '%s\n' "${ROWS_OUT[@]}"
echo
echo "raw:"
for name in floor_start floor_send floor_idle empty_start full_start send idle; do
    printf '  %-12s %s\n' "$name" "${!name}"
done

if command -v hyperfine >/dev/null; then
    echo
    echo "headless commands (hyperfine, $ROWS history rows):"
    in_home "$FULL" hyperfine --style basic --warmup 3 --runs 20 -N \
        "$BIN --version" \
        "$BIN history --limit 50" \
        "$BIN history --search kumar --limit 50" \
        "$BIN validate $SAMPLE" 2>&1 | grep -E 'Benchmark|Time \(mean'
fi
