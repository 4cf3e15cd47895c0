# A jq filter equivalent to the core of the stdlib's direct rules, for `make bench`: the
# exec and kprobe conditions of the main detections (host-namespace entry, netcat and
# /dev/tcp shells, miners, scp with root's key, binaries from scratch dirs, module loads,
# history wiping, service-account token / shadow / private key / cron / static pod /
# release_agent / core_pattern / runtime socket paths, setns).
def base: (. // "") | split("/") | last;
select(
  (.process_exec.process as $p | $p != null and (
     ($p.binary | base) as $b | ($p.arguments // "") as $a |
     ($b == "nsenter" and ($a | test("(^| )(-t|--target) ?1( |$)"))) or
     (($b == "nc" or $b == "ncat" or $b == "netcat") and ($a | test("(^| )-[ec]( |$)|--exec|--sh-exec"))) or
     ($a | test("/dev/(tcp|udp)/")) or
     ($a | test("stratum\\+(tcp|ssl)://|--donate-level")) or
     (($b == "scp" or $b == "rsync") and ($a | test("-i /root/\\.ssh/"))) or
     ($p.binary // "" | test("^/(tmp|dev/shm|var/tmp)/")) or
     ($b == "insmod" or $b == "modprobe") or
     ($a | test("history -c|HISTFILE=/dev/null|\\.bash_history"))
  )) or
  (.process_kprobe as $k | $k != null and (
     ([$k.args[]? | (.file_arg.path? // .path_arg.path? // .string_arg?) | select(. != null) | tostring]
       | any(test("/serviceaccount/|/etc/g?shadow$|release_agent$|core_pattern$|/\\.ssh/id_|/etc/cron|/etc/kubernetes/manifests|ld\\.so\\.preload|containerd\\.sock|docker\\.sock"))) or
     ($k.function_name == "__x64_sys_setns") or
     ([$k.args[]? | .module_arg? | select(. != null)] | length > 0)
  ))
)
