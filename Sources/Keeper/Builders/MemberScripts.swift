/// The shell scripts Keeper ships in the ConfigMap. They run inside the official image
/// (bash, `nc` from netcat-openbsd, ZooKeeper's `bin` on PATH, `ZOO_*` variables) as the
/// image's non-root user.
public enum MemberScripts {
    /// Where the ConfigMap is mounted in the member pods.
    public static let mountPath = "/keeper"
    /// The data volume's mount path (the image's `ZOO_DATA_DIR`).
    public static let dataPath = "/data"

    /// Starts one member: derives `myid` from the pod ordinal, writes the static settings on
    /// every start, keeps the membership on the data volume, and execs ZooKeeper in the
    /// foreground as the image's own command does.
    public static let start = #"""
    #!/usr/bin/env bash
    # Starts one ZooKeeper member. Written by Keeper; do not edit (the ConfigMap is kept up to date).
    #  - myid = pod ordinal + 1, derived from the pod name.
    #  - The static settings (zoo.cfg in the ConfigMap) are rewritten on every start, so a
    #    configuration change takes effect when the member restarts.
    #  - The membership (the dynamic config file, which ZooKeeper itself rewrites on
    #    reconfiguration, and the zoo.cfg line pointing at it) lives on the data volume and is
    #    seeded from the ConfigMap only when absent.
    set -euo pipefail

    TEMPLATE_DIR="${KEEPER_TEMPLATE_DIR:-/keeper}"
    DATA_DIR="${ZOO_DATA_DIR:-/data}"
    IMAGE_CONF_DIR="${ZOO_CONF_DIR:-/conf}"
    CONF_DIR="$DATA_DIR/conf"
    POD_NAME="${POD_NAME:-$(hostname)}"

    ORDINAL="${POD_NAME##*-}"
    case "$ORDINAL" in
      ''|*[!0-9]*) echo "keeper: cannot derive the member id from pod name '$POD_NAME'" >&2; exit 1 ;;
    esac
    MYID=$((10#$ORDINAL + 1))

    mkdir -p "$CONF_DIR"
    echo "$MYID" > "$DATA_DIR/myid"

    # Keep the image's logging configuration (logback.xml, log4j.properties) in use.
    if [ -d "$IMAGE_CONF_DIR" ]; then
      for file in "$IMAGE_CONF_DIR"/*; do
        case "$(basename "$file")" in
          zoo.cfg|zoo.cfg.*) ;;
          *) if [ -f "$file" ]; then cp -f "$file" "$CONF_DIR/"; fi ;;
        esac
      done
    fi

    # The membership file ZooKeeper last pointed at, if it is still there; else the seed.
    DYNAMIC=""
    if [ -f "$CONF_DIR/zoo.cfg" ]; then
      DYNAMIC="$(sed -n 's/^dynamicConfigFile=//p' "$CONF_DIR/zoo.cfg" | tail -n 1)"
    fi
    if [ -z "$DYNAMIC" ] || [ ! -s "$DYNAMIC" ]; then
      DYNAMIC="$CONF_DIR/zoo.cfg.dynamic"
      if [ ! -s "$DYNAMIC" ]; then
        cp "$TEMPLATE_DIR/zoo.cfg.dynamic" "$DYNAMIC"
      fi
    fi

    # A member missing from its membership (a new member, or one removed earlier that comes
    # back with its old claim) starts with that membership plus itself, without its version:
    # ZooKeeper's way to join (it syncs with the leader as a non-voting follower, takes the
    # leader's newer configuration, and Keeper then adds it with `reconfig`). Without its own
    # line ZooKeeper exits with "My id N not in the peer list".
    if [ -n "${KEEPER_MEMBER_DOMAIN:-}" ] && ! grep -q "^server\.$MYID=" "$DYNAMIC"; then
      HOST="$POD_NAME.$KEEPER_MEMBER_DOMAIN"
      {
        grep '^server\.' "$DYNAMIC" || true
        echo "server.$MYID=$HOST:2888:3888:participant;$HOST:2181"
      } > "$CONF_DIR/zoo.cfg.dynamic.tmp"
      mv -f "$CONF_DIR/zoo.cfg.dynamic.tmp" "$CONF_DIR/zoo.cfg.dynamic"
      DYNAMIC="$CONF_DIR/zoo.cfg.dynamic"
      echo "keeper: member $MYID is not in its membership file; joining as itself plus the last known members"
    fi

    {
      cat "$TEMPLATE_DIR/zoo.cfg"
      echo "dataDir=$DATA_DIR"
      echo "dynamicConfigFile=$DYNAMIC"
    } > "$CONF_DIR/zoo.cfg.tmp"
    mv -f "$CONF_DIR/zoo.cfg.tmp" "$CONF_DIR/zoo.cfg"

    # The superuser Keeper reconfigures as (its digest only; the password stays in the Secret).
    if [ -n "${KEEPER_SUPER_DIGEST:-}" ]; then
      export SERVER_JVMFLAGS="${SERVER_JVMFLAGS:-} -Dzookeeper.DigestAuthenticationProvider.superDigest=$KEEPER_SUPER_DIGEST"
    fi

    export ZOOCFGDIR="$CONF_DIR"
    echo "keeper: starting member $MYID ($POD_NAME) with $CONF_DIR/zoo.cfg"
    exec zkServer.sh start-foreground
    """# + "\n"

    /// Readiness: the member serves in a role, i.e. `srvr` answers with a `Mode:` line (a
    /// member outside a quorum answers "not currently serving requests").
    ///
    /// While it does not, the script asks again every 0.1 s for up to 0.9 s before saying no,
    /// and the kubelet runs it every second: Ready then follows the moment the member serves
    /// (within ~0.1 s, not up to a probe period later). That moment gates a rolling restart,
    /// since the PodDisruptionBudget admits the next eviction only once the pod restarted
    /// before is Ready. The cost is a 10 Hz `srvr` poll while the member is not serving; a
    /// serving member answers the first one. A member that stops serving is unready after
    /// three failed probes, about 3 s (the kubelet's `failureThreshold`).
    public static let ready = #"""
    #!/usr/bin/env bash
    # Readiness probe, written by Keeper: ready when `srvr` shows a Mode: line. While not,
    # ask again every 0.1 s for up to 0.9 s (EPOCHREALTIME: bash 5, microseconds).
    now() { local t="${EPOCHREALTIME/[.,]/}"; echo "${t:-0}"; }
    end=$(( $(now) + 900000 ))
    while :; do
      OUTPUT="$(echo srvr | nc -w 1 "${POD_IP:-127.0.0.1}" 2181 2>/dev/null)" || true
      case "$OUTPUT" in
        *"Mode: "*) exit 0 ;;
      esac
      [ $(( $(now) + 100000 )) -lt "$end" ] || break
      sleep 0.1
    done
    echo "not serving: ${OUTPUT:-no answer}" >&2
    exit 1
    """# + "\n"

    /// Liveness: the server process answers `ruok` with `imok`.
    public static let live = #"""
    #!/usr/bin/env bash
    # Liveness probe, written by Keeper: alive when `ruok` answers imok.
    OUTPUT="$(echo ruok | nc -w 3 "${POD_IP:-127.0.0.1}" 2181 2>/dev/null)" || true
    [ "$OUTPUT" = "imok" ] && exit 0
    echo "ruok: ${OUTPUT:-no answer}" >&2
    exit 1
    """# + "\n"
}
