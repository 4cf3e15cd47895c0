# Packaging: the default configuration (installed with the configured paths), the
# container recipe, Kubernetes manifests, Helm chart and Tetragon TracingPolicies.
# The configuration is written at install time, so that `make install prefix=/usr ...`
# (packaging/rootfs.sh, the container image) names the directories it installs into.
WT_CONF = $(DESTDIR)$(sysconfdir)/worktrace/worktrace.yaml
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)/worktrace' '$(DESTDIR)$(localstatedir)/lib/worktrace'
	sed -e 's|/usr/share/worktrace|$(pkgdatadir)|g' \
		-e 's|/var/lib/worktrace|$(localstatedir)/lib/worktrace|g' \
		$(srcdir)/packaging/worktrace.yaml >'$(WT_CONF).tmp'
	mv '$(WT_CONF).tmp' '$(WT_CONF)'
	chmod 644 '$(WT_CONF)'
uninstall-local:
	rm -f '$(WT_CONF)'

# The TracingPolicies, for `wtc lint --policies $(pkgdatadir)/tetragon` on installed rules.
tetragondir = $(pkgdatadir)/tetragon
dist_tetragon_DATA = $(sort $(wildcard $(srcdir)/packaging/tetragon/*.yaml))

EXTRA_DIST += packaging/worktrace.yaml packaging/Dockerfile packaging/Dockerfile.dockerignore packaging/rootfs.sh \
	packaging/kubernetes packaging/helm packaging/tetragon

# The installation directories, for testsuite/install.sh and packaging/rootfs.sh.
print-installdirs:
	@echo "prefix='$(prefix)' bindir='$(bindir)' sbindir='$(sbindir)' pkgdatadir='$(pkgdatadir)'"
	@echo "sysconfdir='$(sysconfdir)' localstatedir='$(localstatedir)' mandir='$(mandir)'"
.PHONY: print-installdirs
