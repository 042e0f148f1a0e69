#!/bin/sh
# The pinned CDK CLI, quiet and offline: telemetry and notices are off in cdk.json, and the
# version check (the CLI's only other network call on synth) is off here. Usage: ./cdk.sh synth
set -eu
cd "$(dirname "$0")"
export CDK_DISABLE_VERSION_CHECK=1
export CDK_DISABLE_CLI_TELEMETRY=true
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
exec npx -y aws-cdk@2.1148.1 "$@"
