dist_man_MANS += man/wtc.1 man/worktraced.8 man/wt.5 man/worktrace-bytecode.5 man/worktrace.yaml.5
