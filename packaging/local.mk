# Packaging: the default configuration (installed with the configured paths), the
# container recipe, Kubernetes manifests, Helm chart and Tetragon TracingPolicies.
wtconfdir = $(sysconfdir)/worktrace
nodist_wtconf_DATA = packaging/etc/worktrace.yaml
CLEANFILES += packaging/etc/worktrace.yaml
packaging/etc/worktrace.yaml: $(srcdir)/packaging/worktrace.yaml Makefile
	$(AM_V_GEN)$(MKDIR_P) packaging/etc && sed \
		-e 's|/usr/share/worktrace|$(pkgdatadir)|g' \
		-e 's|/var/lib/worktrace|$(localstatedir)/lib/worktrace|g' \
		$(srcdir)/packaging/worktrace.yaml >$@.tmp && mv $@.tmp $@

# the state directory (behavioral baselines) exists after an install
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(localstatedir)/lib/worktrace'

EXTRA_DIST += packaging/worktrace.yaml packaging/Dockerfile packaging/rootfs.sh \
	packaging/kubernetes packaging/helm packaging/tetragon

# The installation directories, for testsuite/install.sh and packaging/rootfs.sh.
print-installdirs:
	@echo "prefix='$(prefix)' bindir='$(bindir)' sbindir='$(sbindir)' pkgdatadir='$(pkgdatadir)'"
	@echo "sysconfdir='$(sysconfdir)' localstatedir='$(localstatedir)' mandir='$(mandir)'"
.PHONY: print-installdirs
