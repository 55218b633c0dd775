#!/usr/bin/env bash
# Issue 23: qrbench against a PyTorch eager loop doing the same seven cases on the same images,
# alternating run by run so all sides see the same machine; run it with nothing else running.
#   benchmarks/seven-cases.sh [rounds=3] [images=2000] [threads=2]
# Each round runs benchmarks/suites/seven-cases.yaml, the same suite with fold-batchnorm
# (seven-cases-folded.yaml) and benchmarks/pytorch/seven_cases.py, in an order that rotates from
# round to round, and prints each run's wall time (process start to exit, JVM and Python start
# included) and the ratios to PyTorch's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds=${1:-3}
images=${2:-2000}
threads=${3:-2}
# Debian's python3-torch and python3-skimage live in the system interpreter
python=${PYTHON:-/usr/bin/python3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bin/qrbench --version >/dev/null # builds the jar first if the sources changed: not timed
side() {
  case $1 in
    0) QRBENCH_THREADS=$threads bin/qrbench run benchmarks/suites/seven-cases.yaml --limit "$images" --out "$out/q$2" ;;
    1) QRBENCH_THREADS=$threads bin/qrbench run benchmarks/suites/seven-cases-folded.yaml --limit "$images" --out "$out/f$2" ;;
    2) OMP_NUM_THREADS=$threads "$python" benchmarks/pytorch/seven_cases.py "$images" "$threads" ;;
  esac
}
names=(qrbench qrbench-folded pytorch)
# steal and total CPU time so far, in clock ticks (the cpu line of /proc/stat; 0 0 where absent)
ticks() { awk '/^cpu /{t=0; for (i=2;i<=NF;i++) t+=$i; print $9, t; exit}' /proc/stat 2>/dev/null || echo 0 0; }
for r in $(seq 1 "$rounds"); do
  declare -A took=() stole=()
  for k in 0 1 2; do
    s=$(((r + k) % 3))
    read -r s0 c0 < <(ticks)
    t0=$(date +%s.%N)
    side "$s" "$r" > "$out/$s-$r.log" 2>&1
    t1=$(date +%s.%N)
    read -r s1 c1 < <(ticks)
    took[$s]=$("$python" -c "print(f'{$t1 - $t0:.1f}')")
    stole[$s]=$("$python" -c "print(f'{100 * ($s1 - $s0) / max(1, $c1 - $c0):.0f}')")
  done
  "$python" -c "q, f, p = ${took[0]}, ${took[1]}, ${took[2]}; print(f'round $r: qrbench {q} s, folded {f} s, pytorch eager {p} s; qrbench/pytorch {q / p:.3f}, folded/pytorch {f / p:.3f}; steal ${stole[0]}%, ${stole[1]}%, ${stole[2]}%', flush=True)"
  echo "${took[0]} ${took[1]} ${took[2]}" >> "$out/rounds"
  for s in 0 1 2; do
    grep -E '^  [A-Za-z]+/|^  [a-z0-9-]+ +[0-9.]+ s' "$out/$s-$r.log" | sed "s/^/  ${names[$s]} /" || true
  done
done
# the medians of the rounds' ratios, the figures to report (single rounds drift with the machine)
"$python" - "$out/rounds" <<'PY'
import statistics, sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
for name, i in (("qrbench", 0), ("qrbench folded", 1)):
    r = sorted(row[i] / row[2] for row in rows)
    print(f"{name} / pytorch eager over {len(r)} round(s): median {statistics.median(r):.3f},"
          f" range {r[0]:.3f}-{r[-1]:.3f}")
PY
