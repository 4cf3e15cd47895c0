#!/bin/bash
# Generates N rules for the rule-scaling benchmark: 90 % carry a literal key the compiler
# can index (process.basename == ...), 10 % cannot be indexed (a substring test only).
# Some keys are real developer tools so indexed rules do run on the capture.
n=${1:?usage: genrules.sh N}
tools=(git ssh ls cat grep go compile gcc make node python3 pip vim curl sudo apt-get dpkg kubectl sed find bash rg)
for ((i = 0; i < n; i++)); do
	if ((i % 10 == 9)); then
		printf 'rule gen.unindexed_%d { on exec when process.args contains "--flag-%d" severity low output "{process.args}" }\n' "$i" "$i"
	elif ((i % 50 == 0)); then
		t=${tools[$((i / 50 % ${#tools[@]}))]}
		printf 'rule gen.tool_%d { on exec, kprobe when process.basename == "%s" and process.args contains "--never-%d" severity low output "{process.args}" }\n' "$i" "$t" "$i"
	else
		printf 'rule gen.indexed_%d { on exec when process.basename in ["tool%d", "tool%d-bin"] and process.args contains "-x" severity low output "{process.args}" }\n' "$i" "$i" "$i"
	fi
done
