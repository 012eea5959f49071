import Foundation
import Testing
@testable import KubeModel

/// Decodes server-shaped documents (as `kubectl get -o json` prints them) into the typed
/// models and checks that encoding gives the same JSON back.
@Suite struct WorkloadModelTests {
    static let statefulSetJSON = #"""
    {
      "apiVersion": "apps/v1",
      "kind": "StatefulSet",
      "metadata": {
        "name": "zk", "namespace": "default", "uid": "9b1c", "resourceVersion": "812", "generation": 3,
        "creationTimestamp": "2024-05-01T12:00:00Z",
        "labels": {"app.kubernetes.io/name": "zookeeper"},
        "ownerReferences": [{"apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster", "name": "zk", "uid": "abc", "controller": true, "blockOwnerDeletion": true}]
      },
      "spec": {
        "replicas": 3,
        "serviceName": "zk-headless",
        "podManagementPolicy": "Parallel",
        "revisionHistoryLimit": 10,
        "minReadySeconds": 0,
        "selector": {"matchLabels": {"app.kubernetes.io/instance": "zk"},
                     "matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]},
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2, "maxUnavailable": "50%"}},
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Delete"},
        "template": {
          "metadata": {"labels": {"app.kubernetes.io/instance": "zk"}, "annotations": {"keeper.dev/config-hash": "abc"}},
          "spec": {
            "terminationGracePeriodSeconds": 30,
            "restartPolicy": "Always",
            "dnsPolicy": "ClusterFirst",
            "securityContext": {"runAsUser": 1000, "runAsGroup": 1000, "fsGroup": 1000, "runAsNonRoot": true},
            "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
              {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                "labelSelector": {"matchLabels": {"app.kubernetes.io/instance": "zk"}}}}]}},
            "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "zk", "effect": "NoSchedule"}],
            "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
              "labelSelector": {"matchLabels": {"app.kubernetes.io/instance": "zk"}}}],
            "containers": [{
              "name": "zookeeper", "image": "zookeeper:3.9.4", "imagePullPolicy": "IfNotPresent",
              "command": ["/bin/bash", "/scripts/start.sh"],
              "ports": [{"name": "client", "containerPort": 2181, "protocol": "TCP"}],
              "env": [
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "MEM", "valueFrom": {"resourceFieldRef": {"containerName": "zookeeper", "resource": "limits.memory", "divisor": "1Mi"}}},
                {"name": "PASS", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k", "optional": true}}},
                {"name": "JVMFLAGS", "value": "-Xmx512m"}],
              "envFrom": [{"configMapRef": {"name": "extra"}, "prefix": "X_"}],
              "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"memory": "1Gi"}},
              "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "config", "mountPath": "/scripts", "readOnly": true, "subPath": "scripts"}],
              "readinessProbe": {"exec": {"command": ["/bin/bash", "/scripts/ready.sh"]}, "initialDelaySeconds": 5, "periodSeconds": 10, "timeoutSeconds": 5, "successThreshold": 1, "failureThreshold": 3},
              "livenessProbe": {"tcpSocket": {"port": 2181}},
              "startupProbe": {"httpGet": {"path": "/commands/ruok", "port": "admin", "scheme": "HTTP"}},
              "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}},
              "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}},
              "terminationMessagePath": "/dev/termination-log",
              "terminationMessagePolicy": "File"
            }],
            "volumes": [
              {"name": "config", "configMap": {"name": "zk-config", "defaultMode": 493, "items": [{"key": "start.sh", "path": "scripts/start.sh"}]}},
              {"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}},
              {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi"}}
            ]
          }
        },
        "volumeClaimTemplates": [{
          "apiVersion": "v1", "kind": "PersistentVolumeClaim",
          "metadata": {"name": "data"},
          "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}, "volumeMode": "Filesystem"},
          "status": {"phase": "Pending"}
        }]
      },
      "status": {
        "observedGeneration": 3, "replicas": 3, "readyReplicas": 2, "currentReplicas": 3, "updatedReplicas": 1,
        "availableReplicas": 2, "currentRevision": "zk-7d9f", "updateRevision": "zk-5c4b", "collisionCount": 0
      }
    }
    """#

    static let podJSON = #"""
    {
      "apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "zk-0", "namespace": "default", "labels": {"controller-revision-hash": "zk-7d9f", "apps.kubernetes.io/pod-index": "0"}},
      "spec": {"hostname": "zk-0", "subdomain": "zk-headless", "nodeName": "node-1", "containers": [{"name": "zookeeper", "image": "zookeeper:3.9.4"}]},
      "status": {
        "phase": "Running", "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}], "hostIP": "192.168.1.1",
        "startTime": "2024-05-01T12:00:00Z",
        "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-01T12:00:10Z"}],
        "containerStatuses": [{
          "name": "zookeeper", "ready": true, "started": true, "restartCount": 1, "image": "docker.io/library/zookeeper:3.9.4",
          "imageID": "docker.io/library/zookeeper@sha256:00", "containerID": "containerd://abc",
          "state": {"running": {"startedAt": "2024-05-01T12:00:05Z"}},
          "lastState": {"terminated": {"exitCode": 143, "reason": "Error", "startedAt": "2024-05-01T11:00:00Z", "finishedAt": "2024-05-01T12:00:00Z", "containerID": "containerd://old"}}
        }]
      }
    }
    """#

    @Test func statefulSetDecodesEveryField() throws {
        let set = try JSONDecoder().decode(StatefulSet.self, from: Data(Self.statefulSetJSON.utf8))
        #expect(set.metadata.generation == 3)
        #expect(set.spec?.serviceName == "zk-headless")
        #expect(set.spec?.selector?.matchExpressions?.first?.operator == "In")
        #expect(set.spec?.updateStrategy?.rollingUpdate?.partition == 2)
        #expect(set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable == .string("50%"))
        #expect(set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled == "Delete")
        let pod = try #require(set.spec?.template?.spec)
        #expect(pod.securityContext?.fsGroup == 1000)
        #expect(pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.first?.podAffinityTerm?.topologyKey == "kubernetes.io/hostname")
        let container = try #require(pod.containers?.first)
        #expect(container.env?[0].valueFrom?.fieldRef?.fieldPath == "metadata.name")
        #expect(container.env?[1].valueFrom?.resourceFieldRef?.divisor == "1Mi")
        #expect(container.env?[2].valueFrom?.secretKeyRef?.optional == true)
        #expect(container.resources?.requests?["cpu"] == "500m")
        #expect(container.volumeMounts?[1].subPath == "scripts")
        #expect(container.livenessProbe?.tcpSocket?.port == .int(2181))
        #expect(container.startupProbe?.httpGet?.port == .string("admin"))
        #expect(container.lifecycle?.preStop?.exec?.command == ["sleep", "5"])
        #expect(pod.volumes?[0].configMap?.defaultMode == 0o755)
        #expect(pod.volumes?[1].projected?.sources?[0].serviceAccountToken?.expirationSeconds == 3607)
        #expect(set.spec?.volumeClaimTemplates?.first?.spec?.resources?.requests?["storage"] == "10Gi")
        #expect(set.status?.updateRevision == "zk-5c4b")
        #expect(set.status?.collisionCount == 0)
    }

    @Test func encodingGivesTheSameDocumentBack() throws {
        for (type, text) in [(StatefulSet.self as any KubeObject.Type, Self.statefulSetJSON), (Pod.self, Self.podJSON)] {
            let original = try JSONValue.parse(Data(text.utf8))
            let typed = try JSONDecoder().decode(type, from: Data(text.utf8))
            var reencoded = try JSONValue(encoding: typed)
            // `lastProbeTime: null` is the one explicit null in the samples; it is omitted on the way back.
            var expected = original
            if var conditions = expected[path: ["status", "conditions"]]?.arrayValue {
                for index in conditions.indices { conditions[index]["lastProbeTime"] = nil }
                expected[path: ["status", "conditions"]] = .array(conditions)
            }
            reencoded = try JSONValue.parse(reencoded.serialized())
            #expect(reencoded == expected)
        }
    }

    @Test func podStatusDecodes() throws {
        let pod = try JSONDecoder().decode(Pod.self, from: Data(Self.podJSON.utf8))
        let status = try #require(pod.status)
        #expect(status.podIPs == [PodIP(ip: "10.0.0.5")])
        #expect(status.conditions?.first?.lastProbeTime == nil)
        let container = try #require(status.containerStatuses?.first)
        #expect(container.state?.running?.startedAt == "2024-05-01T12:00:05Z")
        #expect(container.lastState?.terminated?.exitCode == 143)
        #expect(container.restartCount == 1)
    }

    @Test func listItemsWithoutKindGetTheirTypesDefaults() throws {
        let list = try JSONDecoder().decode(ObjectList<Service>.self, from: Data(#"{"items": [{"metadata": {"name": "a"}}, {}]}"#.utf8))
        #expect(list.items.map(\.kind) == ["Service", "Service"])
        #expect(list.items.map(\.apiVersion) == ["v1", "v1"])
        #expect(list.items[1].metadata == ObjectMeta())
        #expect(list.items[1].spec == nil)
    }

    @Test func kindsDecodeWithoutHeader() throws {
        func decode<Object: KubeObject>(_: Object.Type, _ text: String) throws -> Object {
            try JSONDecoder().decode(Object.self, from: Data(text.utf8))
        }
        // No apiVersion, kind or metadata, and a field the model does not know.
        let lease = try decode(Lease.self, #"{"spec": {"holderIdentity": "a"}, "unknownField": 1}"#)
        #expect((lease.apiVersion, lease.kind) == ("coordination.k8s.io/v1", "Lease"))
        #expect(lease.metadata == ObjectMeta())
        #expect(lease.spec?.holderIdentity == "a")

        let revision = try decode(ControllerRevision.self, #"{"revision": 3}"#)
        #expect((revision.apiVersion, revision.kind, revision.revision) == ("apps/v1", "ControllerRevision", 3))
        #expect(revision.metadata == ObjectMeta())

        let event = try decode(Event.self, #"{"reason": "Started", "count": 2}"#)
        #expect((event.apiVersion, event.kind, event.reason, event.count) == ("v1", "Event", "Started", 2))

        let budget = try decode(PodDisruptionBudget.self, "{}")
        #expect(budget == PodDisruptionBudget())
        #expect(try decode(Eviction.self, "{}") == Eviction())
        #expect(try decode(Scale.self, "{}") == Scale())
        #expect(try decode(Secret.self, "{}") == Secret())

        // Only what is missing defaults: a header that is there is kept as written.
        let partial = try decode(ConfigMap.self, #"{"kind": "Other", "metadata": {"name": "c"}, "data": {"k": "v"}}"#)
        #expect((partial.apiVersion, partial.kind, partial.metadata.name) == ("v1", "Other", "c"))
        #expect(partial.data == ["k": "v"])
        let versioned = try decode(StatefulSet.self, #"{"apiVersion": "apps/v1beta2"}"#)
        #expect((versioned.apiVersion, versioned.kind) == ("apps/v1beta2", "StatefulSet"))

        // Lenient about absence, not about type.
        #expect(throws: DecodingError.self) { try decode(Pod.self, #"{"kind": 7}"#) }
        #expect(throws: DecodingError.self) { try decode(Node.self, #"{"metadata": "n"}"#) }
    }

    @Test func nilFieldsAreOmitted() throws {
        let service = Service(metadata: ObjectMeta(name: "zk-client"), spec: ServiceSpec(ports: [ServicePort(name: "client", port: 2181, targetPort: 2181)]))
        let json = String(decoding: try JSONValue(encoding: service).serialized(), as: UTF8.self)
        #expect(json == #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"zk-client"},"spec":{"ports":[{"name":"client","port":2181,"targetPort":2181}]}}"#)
    }

    @Test func everyKindKnowsItsAPIVersion() {
        let kinds: [(String, String)] = [
            (PodDisruptionBudget().apiVersion, "policy/v1"), (ConfigMap().apiVersion, "v1"), (Lease().apiVersion, "coordination.k8s.io/v1"),
            (Scale().apiVersion, "autoscaling/v1"), (Eviction().apiVersion, "policy/v1"), (ControllerRevision().apiVersion, "apps/v1"),
            (Event().kind, "Event"), (Node().kind, "Node"), (PersistentVolume().kind, "PersistentVolume"), (Namespace().kind, "Namespace"),
            (Secret().kind, "Secret"), (ServiceAccount().kind, "ServiceAccount"), (Endpoints().kind, "Endpoints"),
        ]
        for (actual, expected) in kinds { #expect(actual == expected) }
    }

    @Test func intOrStringKeepsItsForm() throws {
        let budget = PodDisruptionBudget(spec: PodDisruptionBudgetSpec(minAvailable: "50%", maxUnavailable: 1))
        let json = try JSONValue(encoding: budget)
        #expect(json[path: ["spec", "minAvailable"]] == "50%")
        #expect(json[path: ["spec", "maxUnavailable"]] == 1)
        #expect(try json.decode(as: PodDisruptionBudget.self) == budget)
    }

    @Test func smallerKindsRoundTrip() throws {
        let samples: [String] = [
            #"{"apiVersion":"v1","kind":"Event","metadata":{"name":"zk.1"},"involvedObject":{"kind":"ZookeeperCluster","name":"zk","namespace":"default","uid":"u"},"reason":"InvalidSpec","message":"m","type":"Warning","count":2,"firstTimestamp":"2024-05-01T12:00:00Z","lastTimestamp":"2024-05-01T12:01:00Z","eventTime":"2024-05-01T12:00:00.000000Z","source":{"component":"keeper"},"reportingComponent":"keeper","reportingInstance":"keeper-0","action":"Validate"}"#,
            #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"keeper"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15,"acquireTime":"2024-05-01T12:00:00.000000Z","renewTime":"2024-05-01T12:00:05.000000Z","leaseTransitions":1}}"#,
            #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"spec":{"taints":[{"key":"k","effect":"NoSchedule"}]},"status":{"capacity":{"cpu":"2","memory":"4Gi","pods":"110"},"allocatable":{"cpu":"2"},"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2024-05-01T12:00:00Z","reason":"KubeletReady","message":"ok"}],"addresses":[{"type":"InternalIP","address":"127.0.0.1"}],"nodeInfo":{"kubeletVersion":"v1.32.0","architecture":"amd64","operatingSystem":"linux"}}}"#,
            #"{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-1"},"spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Delete","hostPath":{"path":"/var/pv/1","type":"DirectoryOrCreate"},"claimRef":{"namespace":"default","name":"data-zk-0","uid":"u"},"nodeAffinity":{"required":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"In","values":["n"]}]}]}}},"status":{"phase":"Bound"}}"#,
            #"{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data-zk-0"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"10Gi"}},"storageClassName":"standard","volumeName":"pv-1"},"status":{"phase":"Bound","capacity":{"storage":"10Gi"}}}"#,
            #"{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"zk"},"spec":{"replicas":5},"status":{"replicas":3,"selector":"app=zk"}}"#,
            #"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"zk-0","namespace":"default"},"deleteOptions":{"gracePeriodSeconds":30,"preconditions":{"uid":"u"}}}"#,
            #"{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"zk-7d9f"},"data":{"spec":{"template":{"$patch":"replace"}}},"revision":2}"#,
            #"{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"zk-client"},"subsets":[{"addresses":[{"ip":"127.0.0.2","hostname":"zk-0","targetRef":{"kind":"Pod","name":"zk-0"}}],"ports":[{"name":"client","port":2181,"protocol":"TCP"}]}]}"#,
            #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}"#,
            #"{"apiVersion":"v1","data":{"k":"dg=="},"kind":"Secret","metadata":{"name":"s"},"type":"Opaque"}"#,
            #"{"apiVersion":"v1","automountServiceAccountToken":false,"kind":"ServiceAccount","metadata":{"name":"keeper"}}"#,
            #"{"apiVersion":"v1","data":{"zoo.cfg":"tickTime=2000\n"},"kind":"ConfigMap","metadata":{"name":"zk-config"}}"#,
            #"{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"zk"},"spec":{"maxUnavailable":1,"selector":{"matchLabels":{"a":"b"}}},"status":{"currentHealthy":3,"desiredHealthy":2,"disruptionsAllowed":1,"expectedPods":3,"observedGeneration":1}}"#,
        ]
        let types: [any KubeObject.Type] = [Event.self, Lease.self, Node.self, PersistentVolume.self, PersistentVolumeClaim.self, Scale.self, Eviction.self,
                                            ControllerRevision.self, Endpoints.self, Namespace.self, Secret.self, ServiceAccount.self, ConfigMap.self, PodDisruptionBudget.self]
        for (type, text) in zip(types, samples) {
            let original = try JSONValue.parse(Data(text.utf8))
            let typed = try JSONDecoder().decode(type, from: Data(text.utf8))
            #expect(try JSONValue(encoding: typed) == original, "\(type)")
        }
    }
}
