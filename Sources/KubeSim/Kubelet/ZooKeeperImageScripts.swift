/// The scripts kube-sim installs into its emulated `zookeeper` image.
enum ZooKeeperImageScripts {
    /// Upstream's `zkEnv.sh` conventions over Debian's jars. Debian's own `zkEnv.sh` pins
    /// `/etc/zookeeper/conf`, so the image gets this one; Debian's `zkServer.sh`/`zkCli.sh`
    /// source it from their own directory.
    static func zkEnv(jar: String) -> String {
        """
        #!/usr/bin/env bash
        # zkEnv.sh of kube-sim's emulated zookeeper image: upstream's variables, Debian's jars.
        ZOOBINDIR="${ZOOBINDIR:-/usr/bin}"
        ZOOKEEPER_PREFIX="${ZOOBINDIR}/.."

        if [ "x$ZOOCFGDIR" = "x" ]; then
          ZOOCFGDIR="$ZOOKEEPER_PREFIX/conf"
        fi
        if [ -f "$ZOOCFGDIR/zookeeper-env.sh" ]; then
          . "$ZOOCFGDIR/zookeeper-env.sh"
        fi
        if [ "x$ZOOCFG" = "x" ]; then
          ZOOCFG="zoo.cfg"
        fi
        ZOOCFG="$ZOOCFGDIR/$ZOOCFG"
        if [ -f "$ZOOCFGDIR/java.env" ]; then
          . "$ZOOCFGDIR/java.env"
        fi
        if [ "x$ZOO_LOG_DIR" = "x" ]; then
          ZOO_LOG_DIR="$ZOOKEEPER_PREFIX/logs"
        fi

        if [[ -n "$JAVA_HOME" ]] && [[ -x "$JAVA_HOME/bin/java" ]]; then
          JAVA="$JAVA_HOME/bin/java"
        else
          JAVA=java
        fi

        # Debian's jar names its dependencies in its manifest; slf4j-simple stands in for the
        # image's logback console appender, so the server logs to the container's output.
        CLASSPATH="$ZOOCFGDIR:\(jar):/usr/share/java/slf4j-simple.jar${CLASSPATH:+:$CLASSPATH}"

        ZK_SERVER_HEAP="${ZK_SERVER_HEAP:-1000}"
        SERVER_JVMFLAGS="-Xmx${ZK_SERVER_HEAP}m -Dorg.slf4j.simpleLogger.logFile=System.out -Dorg.slf4j.simpleLogger.showDateTime=true $SERVER_JVMFLAGS"
        # Pods share the host's network: the AdminServer listens on the pod's own address
        # (a real pod's 0.0.0.0:8080) unless zoo.cfg says otherwise.
        _kube_sim_pod_ip="$(hostname -i 2>/dev/null | awk '{print $1}')"
        if [ -n "$_kube_sim_pod_ip" ]; then
          SERVER_JVMFLAGS="-Dzookeeper.admin.serverAddress=$_kube_sim_pod_ip $SERVER_JVMFLAGS"
        fi
        export SERVER_JVMFLAGS
        ZK_CLIENT_HEAP="${ZK_CLIENT_HEAP:-256}"
        export CLIENT_JVMFLAGS="-Xmx${ZK_CLIENT_HEAP}m $CLIENT_JVMFLAGS"

        """
    }

    /// The official image's entrypoint, re-expressed: create the directories, drop from root
    /// to the zookeeper user for `zkServer.sh`, write `zoo.cfg` and `myid` only when absent.
    static let entrypoint = """
        #!/bin/bash
        # docker-entrypoint.sh of kube-sim's emulated zookeeper image.
        set -e

        mkdir -p "$ZOO_DATA_DIR" "$ZOO_DATA_LOG_DIR" "$ZOO_LOG_DIR"

        # Run as root (no runAsUser): the server itself runs as the zookeeper user (1000).
        if [[ "$1" = 'zkServer.sh' && "$(id -u)" = '0' ]]; then
          chown -R 1000:1000 "$ZOO_DATA_DIR" "$ZOO_DATA_LOG_DIR" "$ZOO_LOG_DIR"
          exec setpriv --reuid=1000 --regid=1000 --clear-groups "$0" "$@"
        fi

        if [[ ! -f "$ZOO_CONF_DIR/zoo.cfg" ]]; then
          config="$ZOO_CONF_DIR/zoo.cfg"
          {
            echo "dataDir=$ZOO_DATA_DIR"
            echo "dataLogDir=$ZOO_DATA_LOG_DIR"
            echo "tickTime=$ZOO_TICK_TIME"
            echo "initLimit=$ZOO_INIT_LIMIT"
            echo "syncLimit=$ZOO_SYNC_LIMIT"
            echo "autopurge.snapRetainCount=$ZOO_AUTOPURGE_SNAPRETAINCOUNT"
            echo "autopurge.purgeInterval=$ZOO_AUTOPURGE_PURGEINTERVAL"
            echo "maxClientCnxns=$ZOO_MAX_CLIENT_CNXNS"
            echo "standaloneEnabled=$ZOO_STANDALONE_ENABLED"
            echo "admin.enableServer=$ZOO_ADMINSERVER_ENABLED"
          } >> "$config"
          servers="${ZOO_SERVERS:-server.1=localhost:2888:3888;2181}"
          for server in $servers; do
            echo "$server" >> "$config"
          done
          if [[ -n "$ZOO_4LW_COMMANDS_WHITELIST" ]]; then
            echo "4lw.commands.whitelist=$ZOO_4LW_COMMANDS_WHITELIST" >> "$config"
          fi
          for entry in $ZOO_CFG_EXTRA; do
            echo "$entry" >> "$config"
          done
        fi

        if [[ ! -f "$ZOO_DATA_DIR/myid" ]]; then
          echo "${ZOO_MY_ID:-1}" > "$ZOO_DATA_DIR/myid"
        fi

        exec "$@"

        """

    static let sampleConfig = """
        # The number of milliseconds of each tick
        tickTime=2000
        initLimit=10
        syncLimit=5
        dataDir=/tmp/zookeeper
        clientPort=2181

        """
}
