
£
Ù
@Z2tlLWRldnBvb2wtM2I5ZTFjLW5vZGUtNzoxMjgwODUzODg4NDEzMTQ6NjMxMjk=™íè"/home/carol/project*/usr/bin/git2'-c core.quotepath=false status -z -uall:execve clone inInitTreeBò›½Öà××ŸJÿÿÿÿRÇ
ws-carolws-carol-c41a9e-0"…
Mcontainerd://3d845fc352011021e9d109e6460c2cac3841e7a59003a1e48eaf465367b4cd74dev/-registry.example.com/devenv/python-go:2026.10*7
"statefulset.kubernetes.io/pod-namews-carol-c41a9e-0*#
worktrace.io/workspace	carol-web*'
worktrace.io/ownercarol@example.com*6
controller-revision-hashws-carol-c41a9e-e5ea778734*!
apps.kubernetes.io/pod-index0* 
app.kubernetes.io/namedevenv2ws-carol-c41a9e:StatefulSetb@Z2tlLWRldnBvb2wtM2I5ZTFjLW5vZGUtNzoxMjY0NDg1OTg3NDc2NDc6NjA1MjI=¢Ä
@Z2tlLWRldnBvb2wtM2I5ZTFjLW5vZGUtNzoxMjY0NDg1OTg3NDc2NDc6NjA1MjI=êØè"/home/carol*/usr/lib/code-server/lib/node2‰--dns-result-order=ipv4first /usr/lib/code-server/lib/vscode/out/bootstrap-fork --type=extensionHost --transformURIs --useHostProxy=false:execve clone inInitTreeBŽ½Öý˜ø&JÿÿÿÿRÇ
ws-carolws-carol-c41a9e-0"…
Mcontainerd://3d845fc352011021e9d109e6460c2cac3841e7a59003a1e48eaf465367b4cd74dev/-registry.example.com/devenv/python-go:2026.10* 
app.kubernetes.io/namedevenv*6
controller-revision-hashws-carol-c41a9e-e5ea778734*!
apps.kubernetes.io/pod-index0*7
"statefulset.kubernetes.io/pod-namews-carol-c41a9e-0*'
worktrace.io/ownercarol@example.com*#
worktrace.io/workspace	carol-web2ws-carol-c41a9e:StatefulSetb@Z2tlLWRldnBvb2wtM2I5ZTFjLW5vZGUtNzoxMjY0MzkxMzQ1NDE5OTg6NjA0MDE=¢Â>gke-devpool-3b9e1c-node-7Ê>ò›½Öà××Ÿ