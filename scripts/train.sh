#!/usr/bin/env bash
# Train the Rasa model if its training data or configuration changed.
# The model is named by a checksum of everything Rasa trains on, so an
# unchanged project reuses models/svar-<checksum>.tar.gz without starting Rasa.
# The knowledge base (data/faq) is not part of it: a KB change never retrains, and
# neither does a change to the channel connectors (svar_rasa/channels).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/rasa-env.sh

RASA_INPUTS=(config.yml domain data/nlu data/rules data/stories svar_rasa svar_langid requirements/rasa.lock)
sum="$(find "${RASA_INPUTS[@]}" -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' -o -name '*.lock' \) \
        -not -path '*/__pycache__/*' -not -path 'svar_rasa/channels/*' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)"
model="models/svar-$sum.tar.gz"
if [[ -f "$model" ]]; then
    echo "train: Rasa model $model is up to date"
else
    echo "train: training Rasa model $model (about two minutes on two cores)"
    .venv-rasa/bin/rasa data validate --domain domain --data data/nlu data/rules data/stories \
        --config config.yml --quiet
    .venv-rasa/bin/rasa train --domain domain --data data/nlu data/rules data/stories \
        --config config.yml --out models --fixed-model-name "svar-$sum" --quiet
fi
ln -sfn "svar-$sum.tar.gz" models/current.tar.gz
# The last line names the model, for callers that must not race on the link.
echo "$model"
