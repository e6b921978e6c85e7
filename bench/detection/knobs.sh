#!/usr/bin/env bash
# Detection figures on SKAB and TEP, by their own protocols, with the default flags and with one or
# two detector flags changed at a time: the table behind "Detection quality" in BENCHMARKS.md.
# Usage: bench/detection/knobs.sh [DATA_DIR (default ../shared/data)] [OUT (default work/detection)]
#        KNOBS_ONLY='REGEX' bench/detection/knobs.sh ...   runs only the lines whose name matches
# About 30 s per SKAB run and 3 s per TEP run on a 2-core machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-$root/../shared/data}"
out="${2:-$root/work/detection}"
mkdir -p "$out"
variants=(
  "default|"
  "smoothing 0.05|--smoothing 0.05"
  "smoothing 0.2|--smoothing 0.2"
  "no smoothing|--smoothing 1"
  "target FAR 0.01|--target-far 0.01"
  "target FAR 0.0001|--target-far 0.0001"
  "smoothing 0.05, target FAR 0.01|--smoothing 0.05 --target-far 0.01"
  "mean-standardised statistic|--statistic mean-standardised"
  "raw statistic (E, as before)|--statistic raw"
  "window 1|--window 1"
  "window 10|--window 10"
  "persistence 5|--persistence 5"
  "adaptive baseline, half-life 2000 rows|--adapt-half-life 2000"
  "no spike channel|--no-spike-channel"
  "no cap|--no-cap"
  "no flatline channel|--no-flatline"
)
printf '| flags | SKAB F1 | SKAB FAR %% | SKAB MAR %% | TEP mean 18 faults %% | TEP mean 21 %% | TEP FAR first 160 %% | TEP FAR d00_te %% |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for v in "${variants[@]}"; do
  name="${v%%|*}"; flags="${v#*|}"; slug=$(echo "$name" | tr -c 'A-Za-z0-9' '-')
  if [[ -n "${KNOBS_ONLY:-}" && ! "$name" =~ $KNOBS_ONLY ]]; then continue; fi
  # shellcheck disable=SC2086
  skab=$("$root/bin/vaeguard" evaluate --data "$data/skab" --label-column anomaly --train-rows 400 $flags \
    --out "$out/skab-$slug" | grep '^all ')
  # shellcheck disable=SC2086
  tep=$("$root/bin/vaeguard" evaluate --protocol tep --data "$data/tep" $flags --out "$out/tep-$slug" | grep '^TEP:')
  f1=$(sed -E 's/.*F1 ([0-9.]+).*/\1/' <<<"$skab"); far=$(sed -E 's/.*FAR ([0-9.]+)%.*/\1/' <<<"$skab")
  mar=$(sed -E 's/.*MAR ([0-9.]+)%.*/\1/' <<<"$skab")
  t21=$(sed -E 's/.*21 faults ([0-9.]+)%.*/\1/' <<<"$tep"); t18=$(sed -E 's/.*3, 9, 15\) ([0-9.]+)%.*/\1/' <<<"$tep")
  f160=$(sed -E 's/.*first 160 samples ([0-9.]+)%.*/\1/' <<<"$tep"); f00=$(sed -E 's/.*d00_te ([0-9.]+)%.*/\1/' <<<"$tep")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "${flags:-(none)}" "$f1" "$far" "$mar" "$t18" "$t21" "$f160" "$f00"
done
