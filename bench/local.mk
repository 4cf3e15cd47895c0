# make bench: see bench/
