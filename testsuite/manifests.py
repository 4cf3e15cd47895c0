#!/usr/bin/env python3
# Structural checks of the deployment manifests (python3 + Debian's python3-yaml):
#   manifests.py k8s DIR [--emit-rules OUT]       plain manifests (every *.yaml of DIR)
#   manifests.py helm CHART [--set k=v]... [--emit-rules OUT]
#                                                 the chart rendered by a minimal renderer
#                                                 of the template subset the chart uses
#   manifests.py policies DIR                      Tetragon TracingPolicies
#   manifests.py config FILE                       a worktrace.yaml
#   manifests.py json k8s DIR | json helm CHART [--set k=v]...
#                                                 the documents as a JSON array of [source,
#                                                 document] (for tools/k8s-validate)
# Prints "ok - ..." / "not ok - ..." lines; exit status 1 when a check failed.
import glob, hashlib, os, re, sys
import yaml

failed = 0
report = sys.stdout


def check(cond, msg):
    global failed
    print(("ok - " if cond else "not ok - ") + msg, file=report)
    if not cond:
        failed += 1
    return cond


def get(d, path, default=None):
    for k in path.split("."):
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


# ---- a minimal Helm template renderer ------------------------------------------------------
# Supports what templates/ uses: {{ .Values.x }}, .Release.*, .Chart.*, $vars, pipelines with
# quote, nindent, indent, toYaml, sha256sum, include, eq, default; if/else/end, range $k, $v
# := X, with, define; {{- and -}} trimming. Anything else is an error, never ignored.

TOKEN = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)


def tokenize(text):
    out, pos = [], 0
    for m in TOKEN.finditer(text):
        lit = text[pos:m.start()]
        if m.group(1):
            lit = lit.rstrip()
        if out and out[-1][0] == "trim":
            lit = lit.lstrip()
            out.pop()
        out.append(("text", lit))
        out.append(("act", m.group(2)))
        if m.group(3):
            out.append(("trim", None))
        pos = m.end()
    lit = text[pos:]
    if out and out[-1][0] == "trim":
        lit = lit.lstrip()
        out.pop()
    out.append(("text", lit))
    return out


def parse(tokens, i=0, stop=("end",)):
    nodes = []
    while i < len(tokens):
        kind, val = tokens[i]
        if kind == "text":
            nodes.append(("text", val))
            i += 1
            continue
        word = val.split(None, 1)[0] if val else ""
        if word in stop:
            return nodes, i
        if word in ("if", "with", "range", "define"):
            body, j = parse(tokens, i + 1, ("end", "else"))
            other = []
            if tokens[j][1].split(None, 1)[0] == "else":
                other, j = parse(tokens, j + 1, ("end",))
            nodes.append((word, val.split(None, 1)[1], body, other))
            i = j + 1
            continue
        if word.startswith("/*"):
            i += 1
            continue
        nodes.append(("act", val))
        i += 1
    if stop != ("end",) or True:
        return nodes, i


def split_words(s):
    return re.findall(r'"(?:[^"\\]|\\.)*"|\S+', s)


class Renderer:
    def __init__(self, chart_dir, values, release="worktrace", namespace="worktrace"):
        self.chart = yaml.safe_load(open(os.path.join(chart_dir, "Chart.yaml")))
        self.defines = {}
        self.root = {"Values": values, "Release": {"Name": release, "Namespace": namespace},
                     "Chart": {"Name": self.chart["name"], "Version": self.chart["version"],
                               "AppVersion": self.chart["appVersion"]}}

    def lookup(self, word, dot, scope):
        if word == ".":
            return dot
        if word.startswith("$"):
            name, _, rest = word.partition(".")
            v = scope[name]
            return get(v, rest) if rest else v
        if word.startswith(".Values") or word.startswith(".Release") or word.startswith(".Chart"):
            v = self.root
            for k in word[1:].split("."):
                if not isinstance(v, dict) or k not in v:
                    raise KeyError("template: %s is not defined (values.yaml / Chart.yaml)" % word)
                v = v[k]
            return v
        if word.startswith("."):
            return get(dot, word[1:])
        if word.startswith('"'):
            return yaml.safe_load(word)
        if re.fullmatch(r"-?[0-9]+", word):
            return int(word)
        raise ValueError("template: unsupported operand %r" % word)

    def call(self, words, dot, scope, piped=None):
        fn, args = words[0], words[1:]
        vals = [self.lookup(a, dot, scope) for a in args] if fn not in ("include",) else None
        if piped is not None and vals is not None:
            vals.append(piped)
        if fn == "include":
            name = yaml.safe_load(args[0])
            return self.render_nodes(self.defines[name], self.lookup(args[1], dot, scope), scope).strip("\n")
        if fn == "toYaml":
            v = vals[0]
            return "{}" if v == {} else "[]" if v == [] else yaml.safe_dump(v, default_flow_style=False, sort_keys=False).rstrip("\n")
        if fn == "quote":
            return '"%s"' % str(vals[0]).replace('"', '\\"')
        if fn in ("nindent", "indent"):
            n, s = vals[0], str(vals[1])
            body = "\n".join((" " * n + l) if l else l for l in s.split("\n"))
            return ("\n" if fn == "nindent" else "") + body
        if fn == "sha256sum":
            return hashlib.sha256(str(vals[0]).encode()).hexdigest()
        if fn == "eq":
            return vals[0] == vals[1]
        if fn == "default":
            return vals[1] if vals[1] not in (None, "", [], {}) else vals[0]
        if len(words) == 1 and piped is None:
            return self.lookup(fn, dot, scope)
        raise ValueError("template: unsupported function %r" % fn)

    def expr(self, text, dot, scope):
        value = None
        for i, part in enumerate(p.strip() for p in re.split(r'\|(?=(?:[^"]*"[^"]*")*[^"]*$)', text)):
            value = self.call(split_words(part), dot, scope, value if i else None)
        return value

    def render_nodes(self, nodes, dot, scope):
        out = []
        for n in nodes:
            if n[0] == "text":
                out.append(n[1])
            elif n[0] == "act":
                v = self.expr(n[1], dot, scope)
                out.append("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
            elif n[0] == "define":
                self.defines[yaml.safe_load(n[1])] = n[2]
            elif n[0] == "if":
                out.append(self.render_nodes(n[2] if self.expr(n[1], dot, scope) else n[3], dot, scope))
            elif n[0] == "with":
                v = self.expr(n[1], dot, scope)
                out.append(self.render_nodes(n[2], v, scope) if v else self.render_nodes(n[3], dot, scope))
            elif n[0] == "range":
                m = re.fullmatch(r"\$(\w+)\s*,\s*\$(\w+)\s*:=\s*(.+)", n[1])
                if not m:
                    raise ValueError("template: unsupported range %r" % n[1])
                coll = self.expr(m.group(3), dot, scope) or {}
                items = sorted(coll.items()) if isinstance(coll, dict) else enumerate(coll)
                for k, v in items:
                    out.append(self.render_nodes(n[2], dot, dict(scope, **{"$" + m.group(1): k, "$" + m.group(2): v})))
        return "".join(out)

    def render(self, path):
        nodes, _ = parse(tokenize(open(path).read()))
        return self.render_nodes(nodes, self.root, {})


def set_value(values, assignment):
    key, _, raw = assignment.partition("=")
    d = values
    parts = key.split(".")
    for p in parts[:-1]:
        d = d.setdefault(p, {})
    d[parts[-1]] = yaml.safe_load(raw)


def render_chart(chart, sets):
    values = yaml.safe_load(open(os.path.join(chart, "values.yaml")))
    for s in sets:
        set_value(values, s)
    meta = yaml.safe_load(open(os.path.join(chart, "Chart.yaml")))
    check(meta.get("apiVersion") == "v2" and meta.get("name") and
          re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", str(meta.get("version"))) and meta.get("appVersion"),
          "Chart.yaml: apiVersion v2, name, semver version, appVersion")
    r = Renderer(chart, values)
    for helper in sorted(glob.glob(os.path.join(chart, "templates", "_*.tpl"))):
        r.render(helper)
    docs = []
    for t in sorted(glob.glob(os.path.join(chart, "templates", "*.yaml"))):
        text = r.render(t)
        try:
            docs += [d for d in yaml.safe_load_all(text) if d]
        except yaml.YAMLError as e:
            check(False, "%s renders to valid YAML: %s" % (os.path.basename(t), e))
            print(text)
    check(r.render(os.path.join(chart, "templates", "NOTES.txt")).strip() != "", "NOTES.txt renders")
    return docs


# ---- Kubernetes manifests ------------------------------------------------------------------

NAMESPACED = {"ConfigMap", "DaemonSet", "Service", "ServiceAccount", "ServiceMonitor"}


def load_dir(d):
    docs = []
    for f in sorted(glob.glob(os.path.join(d, "*.yaml"))):
        docs += [x for x in yaml.safe_load_all(open(f)) if x and x.get("kind") != "Kustomization"]
    return docs


def check_config(cfg, where):
    ok = check(isinstance(cfg, dict), "%s: the configuration is a mapping" % where)
    if not ok:
        return
    for key in ("input.tetragon.address", "rules", "metrics.listen", "behavioral.state_dir"):
        check(get(cfg, key) not in (None, ""), "%s: %s is set" % (where, key))
    sinks = cfg.get("sinks")
    check(isinstance(sinks, list) and sinks and all(isinstance(s, dict) and s.get("type") for s in sinks),
          "%s: sinks is a list of {type: ...}" % where)
    listen = str(get(cfg, "metrics.listen", ""))
    check(re.fullmatch(r"(\[[0-9a-f:]+\]|[0-9.]+|localhost):[0-9]+", listen) is not None,
          "%s: metrics.listen %r is HOST:PORT" % (where, listen))
    addr = str(get(cfg, "input.tetragon.address", ""))
    check(re.fullmatch(r"unix:///\S+|(localhost|127\.0\.0\.1|\[::1\]):[0-9]+", addr) is not None,
          "%s: input.tetragon.address %r is unix:///PATH or a loopback HOST:PORT" % (where, addr))


def check_k8s(docs, label, emit_rules=None):
    by_kind = {}
    for d in docs:
        kind, name = d.get("kind"), get(d, "metadata.name")
        check(bool(d.get("apiVersion")) and bool(kind) and bool(name),
              "%s: %s/%s has apiVersion, kind and metadata.name" % (label, kind, name))
        if kind in NAMESPACED:
            check(bool(get(d, "metadata.namespace")), "%s: %s/%s has a namespace" % (label, kind, name))
        by_kind.setdefault(kind, []).append(d)
    for kind in ("DaemonSet", "ConfigMap", "Service", "ServiceAccount", "ServiceMonitor"):
        check(kind in by_kind, "%s: has a %s" % (label, kind))
    if "DaemonSet" not in by_kind:
        return
    ds = by_kind["DaemonSet"][0]
    ns = get(ds, "metadata.namespace")
    pod = get(ds, "spec.template.spec", {})
    plabels = get(ds, "spec.template.metadata.labels", {})
    sel = get(ds, "spec.selector.matchLabels", {})
    check(sel and all(plabels.get(k) == v for k, v in sel.items()), "%s: DaemonSet selector matches its pod labels" % label)
    psc = pod.get("securityContext", {})
    check(psc.get("runAsNonRoot") is True, "%s: pod runAsNonRoot: true" % label)
    check(psc.get("runAsUser") == 65532 and psc.get("runAsGroup") == 65532,
          "%s: runs as the image's user 65532:65532" % label)
    check(get(psc, "seccompProfile.type") == "RuntimeDefault", "%s: seccomp RuntimeDefault" % label)
    containers = pod.get("containers", []) + pod.get("initContainers", [])
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for c in containers:
        n = c.get("name")
        sc = c.get("securityContext", {})
        check(sc.get("allowPrivilegeEscalation") is False, "%s: %s allowPrivilegeEscalation: false" % (label, n))
        check(sc.get("readOnlyRootFilesystem") is True, "%s: %s readOnlyRootFilesystem: true" % (label, n))
        check(get(sc, "capabilities.drop") == ["ALL"] and not get(sc, "capabilities.add"),
              "%s: %s drops ALL capabilities and adds none" % (label, n))
        check(not sc.get("privileged") and sc.get("runAsUser", 65532) != 0, "%s: %s is not privileged or root" % (label, n))
        for part in ("requests", "limits"):
            r = get(c, "resources." + part, {})
            check("cpu" in r and "memory" in r, "%s: %s has cpu and memory %s" % (label, n, part))
        for m in c.get("volumeMounts", []):
            check(m["name"] in volumes, "%s: %s mounts volume %s, which exists" % (label, n, m["name"]))
    main = [c for c in pod.get("containers", []) if "--config" in (c.get("args") or [])]
    if not check(len(main) == 1, "%s: one container runs worktraced --config" % label):
        return
    main = main[0]
    args = main["args"]
    conf_path = args[args.index("--config") + 1]
    check(conf_path == "/etc/worktrace/worktrace.yaml", "%s: --config /etc/worktrace/worktrace.yaml" % label)
    ports = {p.get("name"): p.get("containerPort") for p in main.get("ports", [])}
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        hg = get(main, probe + ".httpGet", {})
        port = hg.get("port")
        check(hg.get("path") == path and (port in ports or port in ports.values()),
              "%s: %s GET %s on the metrics port" % (label, probe, path))
    mounts = {m["mountPath"]: m for m in main.get("volumeMounts", [])}
    cm_mount = mounts.get(conf_path)
    cfg = None
    if check(cm_mount is not None and "configMap" in volumes.get(cm_mount["name"], {}),
             "%s: the configuration is mounted from a ConfigMap" % label):
        cm_name = volumes[cm_mount["name"]]["configMap"]["name"]
        cms = [c for c in by_kind.get("ConfigMap", []) if get(c, "metadata.name") == cm_name]
        key = cm_mount.get("subPath", "worktrace.yaml")
        if check(cms and key in cms[0].get("data", {}), "%s: ConfigMap %s has %s" % (label, cm_name, key)):
            cfg = yaml.safe_load(cms[0]["data"][key])
            check_config(cfg, "%s ConfigMap %s" % (label, cm_name))
    if cfg is None:
        return
    port = int(str(get(cfg, "metrics.listen")).rsplit(":", 1)[1])
    check(port in ports.values(), "%s: metrics.listen port %d is the container's metrics port" % (label, port))
    state = mounts.get(get(cfg, "behavioral.state_dir"))
    check(state is not None and not state.get("readOnly") and
          ("emptyDir" in volumes.get(state["name"], {}) or "hostPath" in volumes.get(state["name"], {})),
          "%s: behavioral.state_dir %s is a writable emptyDir or hostPath" % (label, get(cfg, "behavioral.state_dir")))
    rules = cfg.get("rules", "")
    init = pod.get("initContainers", [])
    producers = [c for c in init if rules in (c.get("args") or []) and "-o" in c["args"]]
    if check(producers, "%s: an init container compiles %s" % (label, rules)):
        p = producers[0]
        check(p.get("image") == main.get("image"), "%s: the init container uses the daemon's image" % label)
        pm = {m["mountPath"]: m["name"] for m in p.get("volumeMounts", [])}
        rdir = os.path.dirname(rules)
        check(pm.get(rdir) and pm.get(rdir) == mounts.get(rdir, {}).get("name"),
              "%s: %s is shared by the init container and the daemon" % (label, rdir))
        srcs = [a for a in p["args"] if a.startswith("/etc/")]
        for s in srcs:
            vol = volumes.get(pm.get(s), {})
            if check("configMap" in vol, "%s: rule directory %s comes from a ConfigMap" % (label, s)) and emit_rules:
                cms = [c for c in by_kind.get("ConfigMap", []) if get(c, "metadata.name") == vol["configMap"]["name"]]
                os.makedirs(emit_rules, exist_ok=True)
                for k, v in (cms[0].get("data") or {}).items() if cms else []:
                    with open(os.path.join(emit_rules, k), "w") as f:
                        f.write(v)
    addr = str(get(cfg, "input.tetragon.address"))
    if addr.startswith("unix://"):
        sock_dir = os.path.dirname(addr[len("unix://"):])
        m = mounts.get(sock_dir)
        check(m is not None and "hostPath" in volumes.get(m["name"], {}),
              "%s: the Tetragon socket directory %s is a hostPath mount" % (label, sock_dir))
        check(bool(psc.get("supplementalGroups")), "%s: unix transport: a supplemental group for the socket" % label)
        check(not pod.get("hostNetwork"), "%s: unix transport needs no hostNetwork" % label)
    else:
        check(pod.get("hostNetwork") is True and pod.get("dnsPolicy") == "ClusterFirstWithHostNet",
              "%s: loopback transport %s: hostNetwork with ClusterFirstWithHostNet" % (label, addr))
    check(pod.get("automountServiceAccountToken") is False, "%s: no service-account token in the pod" % label)
    check(any(t.get("operator") == "Exists" for t in pod.get("tolerations") or []), "%s: tolerates every taint (every node)" % label)
    svc = by_kind.get("Service", [{}])[0]
    ssel = get(svc, "spec.selector", {})
    check(ssel and all(plabels.get(k) == v for k, v in ssel.items()), "%s: Service selects the DaemonSet's pods" % label)
    sports = {p.get("name"): p for p in get(svc, "spec.ports", [])}
    check("metrics" in sports and sports["metrics"].get("targetPort") in ports and sports["metrics"].get("port") == port,
          "%s: Service port metrics targets the container's metrics port" % label)
    for sm in by_kind.get("ServiceMonitor", []):
        msel = get(sm, "spec.selector.matchLabels", {})
        slabels = get(svc, "metadata.labels", {})
        check(msel and all(slabels.get(k) == v for k, v in msel.items()), "%s: ServiceMonitor selects the Service" % label)
        check(all(e.get("port") in sports and e.get("path") == "/metrics" for e in get(sm, "spec.endpoints", [])),
              "%s: ServiceMonitor scrapes /metrics on the Service's port" % label)
        check(ns in get(sm, "spec.namespaceSelector.matchNames", []), "%s: ServiceMonitor looks in %s" % (label, ns))


# ---- TracingPolicies -----------------------------------------------------------------------

ARG_OPS = {"Equal", "NotEqual", "Prefix", "NotPrefix", "Postfix", "NotPostfix", "Mask", "GT", "LT", "InMap",
           "NotInMap", "SAddr", "NotSAddr", "DAddr", "NotDAddr", "SPort", "NotSPort", "DPort", "NotDPort",
           "SPortPriv", "NotSPortPriv", "DPortPriv", "NotDPortPriv", "Protocol", "Family", "State"}
NS_NAMES = {"Uts", "Ipc", "Mnt", "Pid", "PidForChildren", "Net", "Cgroup", "User", "Time", "TimeForChildren"}
ARG_TYPES = {"int", "uint32", "int32", "uint64", "int64", "size_t", "long", "uint16", "int16", "uint8", "int8",
             "string", "char_buf", "char_iovec", "const_buf", "file", "path", "fd", "linux_binprm", "sock", "skb",
             "sockaddr", "module", "load_info", "cred", "capability", "bpf_attr", "perf_event", "bpf_map",
             "user_namespace", "kernel_cap_t", "cap_inheritable", "cap_permitted", "cap_effective", "nop",
             "filename", "dentry", "bpf_prog", "kiocb", "iov_iter", "syscall64", "net_device"}
BIN_OPS = {"In", "NotIn", "Prefix", "NotPrefix", "Postfix", "NotPostfix"}


def check_policies(d):
    names = set()
    for f in sorted(glob.glob(os.path.join(d, "*.yaml"))):
        base = os.path.basename(f)
        for doc in yaml.safe_load_all(open(f)):
            if not doc:
                continue
            name = get(doc, "metadata.name")
            check(doc.get("apiVersion") == "cilium.io/v1alpha1" and doc.get("kind") == "TracingPolicy" and name,
                  "%s: cilium.io/v1alpha1 TracingPolicy with a name" % base)
            check(name not in names, "%s: policy name %s is unique" % (base, name))
            names.add(name)
            hooks = get(doc, "spec.kprobes", []) or []
            check(hooks, "%s: has kprobes" % base)
            for k in hooks:
                call = k.get("call")
                args = k.get("args") or []
                check(all(a.get("type") in ARG_TYPES for a in args), "%s: %s argument types are Tetragon types" % (base, call))
                idx = [a.get("index") for a in args]
                check(call and isinstance(k.get("syscall"), bool), "%s: %s has call and syscall" % (base, call))
                check(all(isinstance(a.get("index"), int) and a.get("type") for a in args) and len(set(idx)) == len(idx),
                      "%s: %s arguments have distinct indexes and types" % (base, call))
                sels = k.get("selectors") or []
                check(len(sels) <= 5, "%s: %s has at most 5 selectors" % (base, call))
                for s in sels:
                    for ma in s.get("matchArgs", []):
                        check(ma.get("index") in idx and ma.get("operator") in ARG_OPS and ma.get("values"),
                              "%s: %s matchArgs %s on declared argument %s" % (base, call, ma.get("operator"), ma.get("index")))
                    for mn in s.get("matchNamespaces", []):
                        check(mn.get("namespace") in NS_NAMES and mn.get("operator") in ("In", "NotIn") and
                              0 < len(mn.get("values", [])) <= 4,
                              "%s: %s matchNamespaces %s" % (base, call, mn.get("namespace")))
                    for mb in s.get("matchBinaries", []):
                        check(mb.get("operator") in BIN_OPS and mb.get("values"), "%s: %s matchBinaries %s" % (base, call, mb.get("operator")))
                check(sels or call in ("do_init_module", "find_module_sections", "security_kernel_module_request"),
                      "%s: %s is filtered in the kernel (or is a rare module event)" % (base, call))


def main(argv):
    global report
    as_json = argv[1] == "json"
    if as_json:
        argv = argv[1:]
        report = sys.stderr
    mode, target = argv[1], argv[2]
    emit = None
    sets = []
    i = 3
    while i < len(argv):
        if argv[i] == "--emit-rules":
            emit = argv[i + 1]
        elif argv[i] == "--set":
            sets.append(argv[i + 1])
        i += 2
    if as_json:
        import json
        docs = load_dir(target) if mode == "k8s" else render_chart(target, sets)
        print(json.dumps([[mode + ":" + get(d, "metadata.name", "?"), d] for d in docs]))
        return 0
    if mode == "k8s":
        check_k8s(load_dir(target), os.path.basename(target.rstrip("/")), emit)
    elif mode == "helm":
        label = "helm" + ("[" + ",".join(sets) + "]" if sets else "")
        check_k8s(render_chart(target, sets), label, emit)
    elif mode == "policies":
        check_policies(target)
    elif mode == "config":
        check_config(yaml.safe_load(open(target)), os.path.basename(target))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # a template or manifest the checker cannot read is a failure
        check(False, "%s: %s: %s" % (" ".join(sys.argv[1:3]), type(e).__name__, e))
        sys.exit(1)
