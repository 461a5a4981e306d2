#!/usr/bin/env bash
# Stands in for ../shared/bench/run-torch.sh in CI (the real one needs python3-torch): the RESULT line
# in the same form, a fixed 50,000 samples/s, so CI checks bench/side-by-side.sh's plumbing, not PyTorch.
echo "RESULT torch $1 batch=$2 threads=$3 median_samples_per_s=50000"
