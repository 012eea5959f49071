/// Kubeconfig files as kubectl, kind and the cloud CLIs write them (secrets shortened).
enum KubeconfigFixtures {
    /// `kubectl config view --raw` after `kubectl config set-*`.
    static let kubectl = """
    apiVersion: v1
    clusters:
    - cluster:
        certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
        server: https://192.168.49.2:8443
      name: minikube
    - cluster:
        insecure-skip-tls-verify: true
        server: http://127.0.0.1:8001
      name: proxy
    contexts:
    - context:
        cluster: minikube
        namespace: zookeeper
        user: minikube
      name: minikube
    current-context: minikube
    kind: Config
    preferences: {}
    users:
    - name: minikube
      user:
        token: eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJl
    """

    /// `kind create cluster` (note the quoted, YAML-1.1-style layout and the empty preferences).
    static let kind = """
    apiVersion: v1
    clusters:
    - cluster:
        certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
        server: https://127.0.0.1:40915
      name: kind-kind
    contexts:
    - context:
        cluster: kind-kind
        user: kind-kind
      name: kind-kind
    current-context: kind-kind
    kind: Config
    preferences: {}
    users:
    - name: kind-kind
      user:
        client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
        client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==
    """

    /// `gcloud container clusters get-credentials` with the gke-gcloud-auth-plugin.
    static let gke = """
    apiVersion: v1
    clusters:
    - cluster:
        certificate-authority-data: LS0tLS1CRUdJTiBDRVJU
        server: https://34.118.10.20
      name: gke_my-project_europe-west1_zk
    contexts:
    - context:
        cluster: gke_my-project_europe-west1_zk
        user: gke_my-project_europe-west1_zk
      name: gke_my-project_europe-west1_zk
    current-context: gke_my-project_europe-west1_zk
    kind: Config
    preferences: {}
    users:
    - name: gke_my-project_europe-west1_zk
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1beta1
          command: gke-gcloud-auth-plugin
          installHint: Install gke-gcloud-auth-plugin for use with kubectl by following
            https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
          provideClusterInfo: true
          interactiveMode: IfAvailable
    """

    /// `aws eks update-kubeconfig` (indented lists, args and env, a `null` env).
    static let eks = """
    apiVersion: v1
    clusters:
      - cluster:
          certificate-authority-data: LS0tLS1CRUdJTiBDRVJU
          server: https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com
        name: arn:aws:eks:eu-west-1:123456789012:cluster/zk
    contexts:
      - context:
          cluster: arn:aws:eks:eu-west-1:123456789012:cluster/zk
          user: arn:aws:eks:eu-west-1:123456789012:cluster/zk
        name: arn:aws:eks:eu-west-1:123456789012:cluster/zk
    current-context: arn:aws:eks:eu-west-1:123456789012:cluster/zk
    kind: Config
    preferences: {}
    users:
      - name: arn:aws:eks:eu-west-1:123456789012:cluster/zk
        user:
          exec:
            apiVersion: client.authentication.k8s.io/v1beta1
            args:
              - --region
              - eu-west-1
              - eks
              - get-token
              - --cluster-name
              - zk
              - --output
              - json
            command: aws
            env:
              - name: AWS_PROFILE
                value: "prod"
              - name: AWS_STS_REGIONAL_ENDPOINTS
                value: 'regional'
            interactiveMode: IfAvailable
            provideClusterInfo: false
    """
}
