#!/usr/bin/env python3
"""Writes N realistic Kubernetes manifests (default 10,000) for the Kubernetes benchmark.

Each file is one of: a Deployment with Service, a StatefulSet with a PVC template, a CronJob,
a Role + RoleBinding, a ClusterRole + ClusterRoleBinding, a Namespace with a NetworkPolicy,
a ServiceAccount, an Ingress — spread over 50 namespaces, some hardened and some not, so that
every Kubernetes rule has work to do. Deterministic: the same N gives the same files.
"""
import os
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/palisade-corpus/k8s-10k"
rng = random.Random(42)
os.makedirs(out, exist_ok=True)

HARDENED = """        securityContext:
          runAsNonRoot: true
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: ["ALL"]
          seccompProfile:
            type: RuntimeDefault
        resources:
          limits: {{cpu: 500m, memory: 256Mi}}
"""
LOOSE = """        securityContext:
          privileged: {priv}
          capabilities:
            add: ["NET_ADMIN"]
        env:
          - name: DB_PASSWORD
            value: "s3cret-{i}"
"""


def deployment(i, ns):
    hardened = rng.random() < 0.5
    image = f"registry.example.com/team{i % 17}/svc-{i}:1.{i % 9}.{i % 5}" + ("@sha256:" + "ab" * 32 if hardened else "")
    body = HARDENED.format() if hardened else LOOSE.format(priv="true" if i % 7 == 0 else "false", i=i)
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{i}
  namespace: {ns}
  labels: {{app: svc-{i}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: svc-{i}}}
  template:
    metadata:
      labels: {{app: svc-{i}}}
    spec:
      serviceAccountName: svc-{i}
      containers:
      - name: app
        image: {image}
        ports:
        - containerPort: 8080
{body}---
apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  namespace: {ns}
spec:
  type: {"LoadBalancer" if i % 11 == 0 else "ClusterIP"}
  selector: {{app: svc-{i}}}
  ports:
  - port: 80
    targetPort: 8080
"""


def statefulset(i, ns):
    return f"""apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db-{i}
  namespace: {ns}
spec:
  serviceName: db-{i}
  selector:
    matchLabels: {{app: db-{i}}}
  template:
    metadata:
      labels: {{app: db-{i}}}
    spec:
      containers:
      - name: mysql
        image: mysql:8.0.{i % 40}
        volumeMounts:
        - name: data
          mountPath: /var/lib/mysql
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 10Gi
"""


def cronjob(i, ns):
    return f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup-{i}
  namespace: {ns}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: dump
            image: mysql:8.0.36
            command: ["sh", "-c", "mysqldump --all-databases > /backup/dump.sql"]
"""


def role(i, ns):
    verbs = '["*"]' if i % 13 == 0 else '["get", "list", "watch"]'
    resources = '["secrets", "configmaps"]' if i % 3 == 0 else '["pods", "pods/log"]'
    subject = "default" if i % 19 == 0 else f"svc-{i}"
    return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: role-{i}
  namespace: {ns}
rules:
- apiGroups: [""]
  resources: {resources}
  verbs: {verbs}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: role-{i}
  namespace: {ns}
subjects:
- kind: ServiceAccount
  name: {subject}
  namespace: {ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: role-{i}
"""


def clusterrole(i, ns):
    group = "system:authenticated" if i % 101 == 0 else f"team-{i % 23}"
    return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cr-{i}
rules:
- apiGroups: [""]
  resources: ["pods/exec", "pods"]
  verbs: ["create", "get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cr-{i}
subjects:
- kind: Group
  name: {group}
  apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {"cluster-admin" if i % 97 == 0 else f"cr-{i}"}
"""


def namespace(i, ns):
    label = "\n  labels:\n    pod-security.kubernetes.io/enforce: restricted" if i % 2 else ""
    return f"""apiVersion: v1
kind: Namespace
metadata:
  name: {ns}{label}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: {ns}
spec:
  podSelector: {{}}
  policyTypes: ["Ingress", "Egress"]
"""


def serviceaccount(i, ns):
    return f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: svc-{i}
  namespace: {ns}
automountServiceAccountToken: {"false" if i % 2 else "true"}
"""


def ingress(i, ns):
    tls = f"""
  tls:
  - hosts: ["svc-{i}.example.com"]
    secretName: svc-{i}-tls""" if i % 3 else ""
    return f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: svc-{i}
  namespace: {ns}
spec:{tls}
  rules:
  - host: svc-{i}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: svc-{i}
            port:
              number: 80
"""


kinds = [deployment] * 5 + [statefulset, cronjob, role, role, clusterrole, namespace, serviceaccount, serviceaccount, ingress]
for i in range(n):
    ns = f"team-{i % 50}"
    make = kinds[i % len(kinds)]
    folder = os.path.join(out, ns)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{make.__name__}-{i}.yaml"), "w") as f:
        f.write(make(i, ns))
print(f"{n} manifests in {out}")
