#!/bin/sh
# cdk.json's app. Runs InnkeeperApp straight from target/classes plus the classpath file that
# Maven writes (about 4 s instead of 8-10 s through `mvn exec:java`), and recompiles through the
# reactor (so the topology is always built from its sources) only when something is stale.
set -eu
cd "$(dirname "$0")"

cp_file=target/cdk.classpath
# Written only here, right after a reactor compile: proof that the classpath file is ours.
stamp=target/cdk-app.stamp

stale() {
  [ -f "$stamp" ] && [ -f "$cp_file" ] && [ -d target/classes ] || return 0
  # Another Maven run rewrote the classpath since; it may name an installed, older topology jar.
  [ -z "$(find "$cp_file" -newer "$stamp")" ] || return 0
  newer=$(find src/main pom.xml ../pom.xml ../../pom.xml ../topology/pom.xml ../topology/src/main \
    -newer "$stamp" -print 2>/dev/null | head -n 1)
  [ -z "$newer" ] || return 0
  # A `mvn clean` elsewhere removed something on the classpath.
  old_ifs=$IFS
  IFS=:
  for entry in $(cat "$cp_file"); do
    if [ ! -e "$entry" ]; then
      IFS=$old_ifs
      return 0
    fi
  done
  IFS=$old_ifs
  return 1
}

if stale; then
  echo "innkeeper: compiling the CDK app (mvn compile -pl infra/cdk -am)" >&2
  # stdout belongs to the CDK CLI; Maven talks on stderr.
  (cd ../.. && ./mvnw -B -q -o compile -pl infra/cdk -am) 1>&2
  touch "$stamp"
fi

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
# jsii leaves a runtime folder in the temp directory on every run: keep them where `mvn clean` looks.
mkdir -p target/tmp
# The app's classes are Java 21: run them on the JDK the build uses (.mvn/find-jdk).
java_home=$(../../.mvn/find-jdk)
exec "$java_home/bin/java" -Djava.io.tmpdir=target/tmp -cp "target/classes:$(cat "$cp_file")" io.innkeeper.cdk.InnkeeperApp
