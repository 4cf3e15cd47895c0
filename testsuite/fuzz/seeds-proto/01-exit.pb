*±
Ω
@Z2tlLWRldnBvb2wtM2I5ZTFjLW5vZGUtNzoxMjgwODUzODg4NDEzMTQ6NjMxMjk=™νθ"/home/carol/project*/usr/bin/git2'-c core.quotepath=false status -z -uall:execve clone inInitTreeBς›½ΦΰΧΧJÿÿÿÿRΗ
ws-carolws-carol-c41a9e-0"…
Mcontainerd://3d845fc352011021e9d109e6460c2cac3841e7a59003a1e48eaf465367b4cd74dev/-registry.example.com/devenv/python-go:2026.10*#
worktrace.io/workspace	carol-web*'
worktrace.io/ownercarol@example.com*!
apps.kubernetes.io/pod-index0* 
app.kubernetes.io/namedevenv*6
controller-revision-hashws-carol-c41a9e-e5ea778734*7
"statefulset.kubernetes.io/pod-namews-carol-c41a9e-02ws-carol-c41a9e:StatefulSetb@Z2tlLWRldnBvb2wtM2I5ZTFjLW5vZGUtNzoxMjY0NDg1OTg3NDc2NDc6NjA1MjI=ΆΔ
@Z2tlLWRldnBvb2wtM2I5ZTFjLW5vZGUtNzoxMjY0NDg1OTg3NDc2NDc6NjA1MjI=κΨθ"/home/carol*/usr/lib/code-server/lib/node2‰--dns-result-order=ipv4first /usr/lib/code-server/lib/vscode/out/bootstrap-fork --type=extensionHost --transformURIs --useHostProxy=false:execve clone inInitTreeB½Φύψ&JÿÿÿÿRΗ
ws-carolws-carol-c41a9e-0"…
Mcontainerd://3d845fc352011021e9d109e6460c2cac3841e7a59003a1e48eaf465367b4cd74dev/-registry.example.com/devenv/python-go:2026.10*'
worktrace.io/ownercarol@example.com*7
"statefulset.kubernetes.io/pod-namews-carol-c41a9e-0*!
apps.kubernetes.io/pod-index0*6
controller-revision-hashws-carol-c41a9e-e5ea778734* 
app.kubernetes.io/namedevenv*#
worktrace.io/workspace	carol-web2ws-carol-c41a9e:StatefulSetb@Z2tlLWRldnBvb2wtM2I5ZTFjLW5vZGUtNzoxMjY0MzkxMzQ1NDE5OTg6NjA0MDE=Ά*ς›½Φπή®Β>gke-devpool-3b9e1c-node-7Κ>ς›½Φπή®