#!/usr/bin/env bash
# Neurite against PyTorch on this machine, the way docs/performance.md quotes it: for each round and
# setting (the MLP at batch 32 and 128, the CNN at batch 64), PyTorch with one and with two threads,
# then Neurite with one and with two threads, back to back. Prints every median (samples/s), how many
# of Neurite's two-thread jobs the fork gate forked, and Neurite's ratios over PyTorch's faster setting.
#   bench/side-by-side.sh [ROUNDS] [TORCH_RUNNER]
# ROUNDS defaults to 3; TORCH_RUNNER to ../shared/bench/run-torch.sh beside the repository (it installs
# Debian's python3-torch on first use). About 3 minutes a round; nothing else should run meanwhile.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
torch="${2:-$root/../shared/bench/run-torch.sh}"
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "side-by-side: ROUNDS must be a positive whole number, not '$rounds'" >&2
  exit 2
fi
if [ ! -f "$torch" ]; then
  echo "side-by-side: no PyTorch runner at $torch; pass the path of ../shared/bench/run-torch.sh as the second argument" >&2
  exit 2
fi

# runs a command, appends its output to side-by-side.log and prints that output
run() {
  local out
  out=$("$@" 2>&1) || true
  printf '%s\n' "$out" >> "$log"
  printf '%s\n' "$out"
}

# the median samples/s of a RESULT line in the output on stdin, or "failed"
median() {
  local m
  m=$(sed -n 's/^RESULT .* median_samples_per_s=\([0-9]*\).*/\1/p')
  printf '%s\n' "${m:-failed}"
}

# the share of parallel jobs the fork gate forked, from the "parallel jobs" line on stdin, or "-"
forked_share() {
  sed -n 's/^parallel jobs: \([0-9]*\) forked, \([0-9]*\) run.*/\1 \2/p' |
    awk '{ if ($1 + $2 > 0) share = sprintf("%d%%", 100 * $1 / ($1 + $2)) } END { print (share == "" ? "-" : share) }'
}

log="$root/bench/target/side-by-side.log"
mkdir -p "$(dirname "$log")"
: > "$log"
echo "# $(date -u +%FT%TZ), $(nproc) cores; every command's output in $log"
printf '%-5s %-5s %-5s | %8s %8s | %8s %8s %7s | %6s %6s\n' \
  round model batch torch1 torch2 neurite1 neurite2 forked ratio1 ratio2
for r in $(seq 1 "$rounds"); do
  for setting in "mlp 32" "mlp 128" "cnn 64"; do
    read -r model batch <<< "$setting"
    t1=$(run bash "$torch" "$model" "$batch" 1 | median)
    t2=$(run bash "$torch" "$model" "$batch" 2 | median)
    n1=$(run "$root/neurite" bench "$model" --batch "$batch" --threads 1 | median)
    two=$(run "$root/neurite" bench "$model" --batch "$batch" --threads 2)
    n2=$(printf '%s\n' "$two" | median)
    share=$(printf '%s\n' "$two" | forked_share)
    awk -v r="$r" -v m="$model" -v b="$batch" -v t1="$t1" -v t2="$t2" -v n1="$n1" -v n2="$n2" -v f="$share" 'BEGIN {
      best = (t1 + 0 > t2 + 0) ? t1 : t2
      r1 = (best + 0 > 0 && n1 + 0 > 0) ? sprintf("%.2f", n1 / best) : "-"
      r2 = (best + 0 > 0 && n2 + 0 > 0) ? sprintf("%.2f", n2 / best) : "-"
      printf "%-5s %-5s %-5s | %8s %8s | %8s %8s %7s | %6s %6s\n", r, m, b, t1, t2, n1, n2, f, r1, r2
    }'
  done
done
