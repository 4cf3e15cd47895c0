# stdlib-rules
