#!/usr/bin/env bash
# Entry point of the vaeguard Flink image: puts vaeguard's Flink configuration (flink-conf/,
# mounted read-only at /opt/flink/conf-vaeguard by docker-compose.yml) into the image's conf
# directory, which the image's own entrypoint then adjusts (FLINK_PROPERTIES, jobmanager.rpc.address),
# and hands over to that entrypoint: jobmanager | taskmanager | any command (e.g. flink run).
set -euo pipefail

conf_src=/opt/flink/conf-vaeguard
if [ -d "$conf_src" ]; then
  cp "$conf_src"/config.yaml "$conf_src"/log4j*.properties "$FLINK_HOME/conf/"
fi
# This container's address on the compose network, for taskmanager.host in FLINK_PROPERTIES:
# flink-conf/config.yaml binds everything to 127.0.0.1, which only works on one machine.
CONTAINER_IP="$(hostname -i | awk '{print $1}')"
export CONTAINER_IP

exec /docker-entrypoint.sh "$@"
