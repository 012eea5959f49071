#!/bin/sh
# Starts a local ZooKeeper ensemble on 127.0.0.1 for manual experiments, configured as Keeper
# configures its clusters: dynamic reconfiguration on, standalone mode off, the 4lw whitelist
# Keeper needs, and a superuser (digest) allowed to run `reconfig`.
#
#   hack/zk-local.sh start [SIZE] [DIR]   # default 3 members in $TMPDIR/keeper-zk-local
#   hack/zk-local.sh stop [DIR]
#
# Member N listens for clients on 127.0.0.1:(21800+N), quorum 28880+N, election 38880+N.
# Superuser: super:keeper (zkCli.sh: `addauth digest super:keeper`, then `reconfig -remove 3`).
set -eu
command=${1:-start}
case "$command" in
start) size=${2:-3}; dir=${3:-${TMPDIR:-/tmp}/keeper-zk-local} ;;
stop) dir=${2:-${TMPDIR:-/tmp}/keeper-zk-local} ;;
*) echo "usage: $0 start [SIZE] [DIR] | stop [DIR]" >&2; exit 2 ;;
esac

if [ "$command" = stop ]; then
    for pidfile in "$dir"/server*/pid; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null && echo "stopped $(dirname "$pidfile")"
        rm -f "$pidfile"
    done
    exit 0
fi

classpath=/usr/share/java/zookeeper.jar
[ -f /usr/share/java/slf4j-simple.jar ] && classpath=$classpath:/usr/share/java/slf4j-simple.jar
[ -n "${ZOOKEEPER_HOME:-}" ] && classpath="$ZOOKEEPER_HOME/lib/*"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# base64(sha1("super:keeper")), what DigestCredentials(user: "super", password: "keeper").digest gives.
digest="super:$(printf %s super:keeper | openssl dgst -binary -sha1 | openssl base64)"

members=""
i=1
while [ "$i" -le "$size" ]; do
    members="${members}server.$i=127.0.0.1:$((28880 + i)):$((38880 + i)):participant;127.0.0.1:$((21800 + i))
"
    i=$((i + 1))
done

mkdir -p "$dir"
root=$(cd "$dir" && pwd)
i=1
while [ "$i" -le "$size" ]; do
    server=$root/server$i
    mkdir -p "$server/data"
    echo "$i" > "$server/data/myid"
    [ -f "$server/zoo.cfg.dynamic" ] || printf %s "$members" > "$server/zoo.cfg.dynamic"
    cat > "$server/zoo.cfg" <<CFG
tickTime=1000
initLimit=10
syncLimit=5
dataDir=$server/data
preAllocSize=1024
admin.enableServer=false
4lw.commands.whitelist=srvr,mntr,ruok,conf
reconfigEnabled=true
standaloneEnabled=false
dynamicConfigFile=$server/zoo.cfg.dynamic
CFG
    "$java" -Xmx128m -XX:+UseSerialGC "-Dzookeeper.DigestAuthenticationProvider.superDigest=$digest" \
        -cp "$classpath" org.apache.zookeeper.server.quorum.QuorumPeerMain "$server/zoo.cfg" \
        > "$server/server.log" 2>&1 < /dev/null &
    echo $! > "$server/pid"
    echo "member $i: client 127.0.0.1:$((21800 + i)), log $server/server.log"
    i=$((i + 1))
done
echo "stop with: $0 stop $dir"
