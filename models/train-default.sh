#!/usr/bin/env bash
# Regenerates models/default/ from vaeguard's own synthetic generator, seeded: the same command
# gives the same training data and the same weights (see models/README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${VAEGUARD_WORK:-$root/target/default-model}"
mkdir -p "$work"

# Two days of clean one-minute readings of 20 entities (57,600 rows).
"$root/bin/vaeguard" synth --entities 20 --steps 2880 --step-millis 60000 --anomaly-rate 0 --seed 7 \
  --out "$work/train.csv"

"$root/bin/vaeguard" train --input "$work/train.csv" --exclude anomaly \
  --window 1 --hidden 64,32 --latent 8 --epochs 200 --seed 42 \
  --target-far 0.001 --smoothing 0.1 \
  --name vaeguard-default --model-version 1 --precision fp32,int8,fp16w \
  --out "$root/models/default"

# A labelled check on other data (another seed, 3% anomalous readings), to keep the card honest.
"$root/bin/vaeguard" synth --entities 20 --steps 1440 --step-millis 60000 --anomaly-rate 0.03 --seed 8 \
  --out "$work/check/labelled.csv" --labels-out "$work/check-spans.csv"
for p in fp32 int8; do
  "$root/bin/vaeguard" evaluate --model "$root/models/default" --precision "$p" --data "$work/check" \
    --label-column anomaly --out "$work/evaluation-$p"
done
