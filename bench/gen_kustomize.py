#!/usr/bin/env python3
"""Writes a Kustomize repository for the Kustomize benchmark: shared bases for a handful of
services and OVERLAYS overlays (default 48: clusters x environments), each with a name
prefix, a namespace, strategic-merge and JSON 6902 patches, a ConfigMap generated from
files and one from literals, a Secret generated from an env file, and images pinned, as
GitOps repositories lay them out (`apps/base/<service>`, `clusters/<cluster>/<env>`).
Deterministic: the same OVERLAYS gives the same files.

    gen_kustomize.py [OVERLAYS] [OUT]
"""
import os
import sys

overlays = int(sys.argv[1]) if len(sys.argv) > 1 else 48
out = sys.argv[2] if len(sys.argv) > 2 else f"/tmp/palisade-corpus/kustomize-{overlays}"
SERVICES = ["api", "worker", "web", "scheduler", "payments", "search"]
ENVS = ["dev", "staging", "prod", "perf"]


def write(path, text):
    path = os.path.join(out, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


for i, svc in enumerate(SERVICES):
    privileged = "true" if svc == "worker" else "false"
    write(f"apps/base/{svc}/deployment.yaml", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {svc}
  labels:
    app.kubernetes.io/name: {svc}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: {svc}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {svc}
    spec:
      serviceAccountName: {svc}
      containers:
        - name: {svc}
          image: registry.example.com/shop/{svc}:1.{i}.0
          ports:
            - containerPort: 8080
          securityContext:
            privileged: {privileged}
            allowPrivilegeEscalation: false
          envFrom:
            - configMapRef:
                name: {svc}-settings
""")
    write(f"apps/base/{svc}/service.yaml", f"""apiVersion: v1
kind: Service
metadata:
  name: {svc}
spec:
  selector:
    app.kubernetes.io/name: {svc}
  ports:
    - port: 80
      targetPort: 8080
""")
    write(f"apps/base/{svc}/rbac.yaml", f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: {svc}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {svc}
rules:
  - apiGroups: [""]
    resources: ["configmaps"{', "pods/exec"' if svc == "scheduler" else ""}]
    verbs: ["get", "list"{', "create"' if svc == "scheduler" else ""}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {svc}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {svc}
subjects:
  - kind: ServiceAccount
    name: {svc}
""")
    write(f"apps/base/{svc}/kustomization.yaml", f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
  - rbac.yaml
labels:
  - pairs:
      app.kubernetes.io/part-of: shop
""")

clusters = (overlays + len(ENVS) - 1) // len(ENVS)
made = 0
for c in range(clusters):
    for env in ENVS:
        if made == overlays:
            break
        made += 1
        d = f"clusters/eu-{c + 1}/{env}"
        replicas = {"dev": 1, "staging": 2, "prod": 4, "perf": 8}[env]
        services = SERVICES if env != "dev" else SERVICES[:3]
        resources = "\n".join(f"  - ../../../apps/base/{s}" for s in services)
        images = "\n".join(
            f"  - name: registry.example.com/shop/{s}\n    newTag: 1.{c}.{replicas}" for s in services)
        generators = "\n".join(f"""  - name: {s}-settings
    files:
      - config/{s}.properties
    literals:
      - ENVIRONMENT={env}
      - CLUSTER=eu-{c + 1}""" for s in services)
        write(f"{d}/kustomization.yaml", f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-{env}
namePrefix: {env}-
resources:
{resources}
  - network-policy.yaml
patches:
  - path: replicas.yaml
    target:
      kind: Deployment
  - path: debug.yaml
  - target:
      kind: Service
      name: api
    patch: |-
      - op: add
        path: /metadata/annotations
        value:
          cluster: eu-{c + 1}
configMapGenerator:
{generators}
secretGenerator:
  - name: database
    envs:
      - database.env
images:
{images}
""")
        write(f"{d}/replicas.yaml", f"""- op: replace
  path: /spec/replicas
  value: {replicas}
""")
        debug = "true" if env == "dev" else "false"
        write(f"{d}/debug.yaml", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          securityContext:
            readOnlyRootFilesystem: {"false" if debug == "true" else "true"}
""")
        write(f"{d}/network-policy.yaml", """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
""")
        for s in services:
            write(f"{d}/config/{s}.properties", f"log.level={'debug' if env == 'dev' else 'info'}\npool.size={replicas * 4}\n")
        write(f"{d}/database.env", f"DATABASE_HOST=mysql.shop-{env}.svc\nDATABASE_NAME=shop\n")
print(f"{made} overlays over {len(SERVICES)} bases in {out}")
