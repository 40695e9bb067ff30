#!/bin/sh
# DynamoDB Local runs on Java 17. Install Debian's headless JRE when no java is on the PATH.
set -eu
if command -v java >/dev/null 2>&1; then
  exit 0
fi
echo "Java not found: installing openjdk-17-jre-headless (DynamoDB Local needs it)" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
java -version
