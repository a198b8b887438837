#!/usr/bin/env bash
# Runs one benchmark: bench/run.sh <RulesBench|...> [args]
# Builds and installs the server jar first, then runs the benchmark in its own JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: bench/run.sh <benchmark class> [args]}
shift || true
command -v wrk >/dev/null 2>&1 && command -v hey >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q wrk hey; }
mvn -B -q -DskipTests install
mvn -B -q -f bench/pom.xml compile exec:exec -Dbench.main="dev.agentfactory.bench.$name" -Dbench.args="$*"
