#!/bin/sh
# Training data of the learned reflectance networks, in chunks of CHUNK subjects: each chunk holds the
# shared Chromium lock only while it runs, so other Chromium users get their turn between chunks.
#   tools/train/make-data.sh <out dir> [subjects=40] [chunk=5]
set -e
out=${1:?usage: tools/train/make-data.sh <out dir> [subjects] [chunk]}
subjects=${2:-40}
chunk=${3:-5}
cd "$(dirname "$0")/../.."
from=0
while [ "$from" -lt "$subjects" ]; do
  to=$((from + chunk))
  [ "$to" -gt "$subjects" ] && to=$subjects
  flock /tmp/chromium.lock nice -n 5 node tools/bin/make-training-data.mjs --out "$out" --from "$from" --to "$to"
  from=$to
done
