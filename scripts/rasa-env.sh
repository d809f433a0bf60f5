# Defaults for the ${VARIABLES} in endpoints.yml; sourced before any `rasa` command.
# Override any of them in the environment (e.g. SVAR_TRACKER_URL=postgresql://...).
: "${SVAR_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export SVAR_ACTION_URL="${SVAR_ACTION_URL:-http://127.0.0.1:${BOT_PORT:-5055}/webhook}"
export SVAR_TRACKER_DIALECT="${SVAR_TRACKER_DIALECT:-sqlite}"
export SVAR_TRACKER_URL="${SVAR_TRACKER_URL:-}"
export SVAR_TRACKER_DB="${SVAR_TRACKER_DB:-$SVAR_ROOT/var/tracker.db}"
export SVAR_LOCK_STORE="${SVAR_LOCK_STORE:-in_memory}"
export SVAR_REDIS_HOST="${SVAR_REDIS_HOST:-127.0.0.1}"
export SVAR_REDIS_PORT="${SVAR_REDIS_PORT:-6379}"
export SVAR_REDIS_DB="${SVAR_REDIS_DB:-1}"
# Channel secrets for credentials.yml (docs/channels.md, "Channels"). Empty: that webhook rejects all.
for var in SVAR_ACTION_TOKEN SVAR_REST_TOKEN SVAR_WIDGET_SECRET WHATSAPP_VERIFY_TOKEN WHATSAPP_APP_SECRET WHATSAPP_ACCESS_TOKEN \
    WHATSAPP_PHONE_NUMBER_ID MESSENGER_VERIFY_TOKEN MESSENGER_APP_SECRET MESSENGER_PAGE_ACCESS_TOKEN \
    TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_WHATSAPP_NUMBER TWILIO_WEBHOOK_URL; do
    export "$var=${!var:-}"
done
export SVAR_GRAPH_URL="${SVAR_GRAPH_URL:-https://graph.facebook.com}"
export SVAR_GRAPH_VERSION="${SVAR_GRAPH_VERSION:-v24.0}"
export TWILIO_API_URL="${TWILIO_API_URL:-https://api.twilio.com}"
# Rasa-side code (svar_rasa, svar_langid) is imported from the repository root.
export PYTHONPATH="$SVAR_ROOT${PYTHONPATH:+:$PYTHONPATH}"
# Keep Rasa and TensorFlow quiet and off the network.
export TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
mkdir -p "$SVAR_ROOT/var"
