/* Data tables of genfleet.c: names, projects, images, destinations, the common command
 * table and the Zipf-ranked long tail of personal tools. Plain constant data, no logic.
 * Templates use {placeholders} expanded by genfleet.c:xp(). */

/* 256 quantiles of Exp(1) x 1000: integer-only exponential sampling (no libm). */
static const uint16_t exp_q[256] = {2, 6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46, 50, 54, 58, 62, 67, 71, 75, 79, 83, 88, 92, 96, 101, 105, 109, 114,
	118, 122, 127, 131, 136, 140, 145, 149, 154, 158, 163, 168, 172, 177, 182, 186, 191, 196, 200, 205, 210, 215, 220, 225, 230, 234, 239, 244,
	249, 254, 259, 265, 270, 275, 280, 285, 290, 296, 301, 306, 311, 317, 322, 328, 333, 338, 344, 349, 355, 361, 366, 372, 378, 383, 389, 395,
	401, 406, 412, 418, 424, 430, 436, 442, 448, 454, 461, 467, 473, 479, 486, 492, 499, 505, 511, 518, 525, 531, 538, 545, 551, 558, 565, 572,
	579, 586, 593, 600, 607, 614, 622, 629, 636, 644, 651, 659, 666, 674, 681, 689, 697, 705, 713, 721, 729, 737, 745, 754, 762, 770, 779, 787,
	796, 805, 813, 822, 831, 840, 849, 858, 868, 877, 886, 896, 906, 915, 925, 935, 945, 955, 965, 976, 986, 997, 1007, 1018, 1029, 1040, 1051,
	1062, 1074, 1085, 1097, 1108, 1120, 1132, 1145, 1157, 1169, 1182, 1195, 1208, 1221, 1234, 1248, 1262, 1275, 1290, 1304, 1318, 1333, 1348,
	1363, 1379, 1394, 1410, 1426, 1443, 1459, 1476, 1493, 1511, 1529, 1547, 1565, 1584, 1604, 1623, 1643, 1664, 1684, 1706, 1727, 1750, 1772,
	1796, 1819, 1844, 1869, 1895, 1921, 1948, 1976, 2004, 2034, 2064, 2095, 2127, 2161, 2195, 2231, 2268, 2306, 2347, 2388, 2432, 2477, 2525,
	2575, 2627, 2683, 2742, 2804, 2871, 2942, 3019, 3103, 3194, 3294, 3405, 3530, 3673, 3840, 4041, 4292, 4629, 5140, 6238};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const first_names[] = {"aaron", "abby", "adil", "aisha", "akira", "alex", "alice", "amara", "amir", "ana", "andrei", "anika",
	"arjun", "ben", "bianca", "bo", "bob", "camila", "carlos", "carol", "chen", "chloe", "dan", "daria", "david", "deepa", "diego", "dmitri",
	"elena", "eli", "emma", "eric", "esra", "fatima", "felix", "fiona", "gabe", "grace", "hana", "hannah", "hiro", "ian", "ines", "ivan", "jack",
	"jana", "javier", "jin", "joao", "jonas", "julia", "kai", "karim", "kate", "kenji", "kofi", "lars", "laura", "lea", "leo", "li", "lina",
	"luca", "lucia", "maya", "mei", "mika", "milan", "mo", "nadia", "nam", "nina", "noah", "nora", "olga", "omar", "oscar", "pablo", "paul",
	"priya", "rahul", "ravi", "rosa", "ryan", "sam", "sana", "sara", "sean", "shira", "sofia", "sven", "tara", "tom", "tariq", "uma", "victor",
	"wei", "yara", "yuki", "zoe"};
static const char *const last_names[] = {"adams", "ahmed", "alvarez", "bauer", "becker", "brown", "chan", "costa", "cruz", "das", "diaz", "dubois",
	"evans", "fischer", "garcia", "gupta", "haddad", "hansen", "hoang", "ibrahim", "ito", "jansen", "jones", "kaur", "khan", "kim", "klein",
	"kowalski", "kumar", "lee", "lopez", "martin", "meyer", "moreau", "mueller", "murphy", "nair", "nguyen", "novak", "okafor", "olsen", "park",
	"patel", "perez", "petrov", "quinn", "rao", "reyes", "rossi", "santos", "sato", "schmidt", "shah", "silva", "singh", "smith", "tanaka",
	"tran", "wagner", "walsh", "wang", "weber", "wong", "yamada", "yilmaz", "zhang"};

static const char *const proj_a[] = {"billing", "search", "ledger", "forecast", "catalog", "auth", "ingest", "report", "notify", "pricing",
	"inventory", "churn", "vision", "chat", "geo", "payments", "orders", "events", "metrics", "feature", "recsys", "fraud", "docs", "gateway",
	"media", "etl", "sensor", "claims", "onboard", "quota", "audit", "risk", "tile", "fleet", "route", "ads", "review", "shipping", "tax",
	"loyalty"};
static const char *const proj_b[] = {"api", "svc", "web", "ui", "pipeline", "model", "worker", "lib", "cli", "etl", "notebooks", "infra", "sdk",
	"core", "engine", "jobs", "portal", "proxy", "bot", "lab"};

/* identifiers for files, functions, branches, tables */
static const char *const words[] = {"parser", "cache", "client", "config", "handler", "router", "schema", "session", "storage", "token", "user",
	"account", "invoice", "export", "import", "metrics", "retry", "queue", "worker", "scheduler", "auth", "billing", "search", "index", "model",
	"features", "train", "eval", "dataset", "loader", "transform", "utils", "server", "db", "migrate", "events", "stream", "batch", "report",
	"notify", "limits", "pricing", "orders", "cart", "checkout", "profile", "upload", "thumbnail", "geo", "tiles", "embedding", "ranker",
	"predict", "validate", "format", "logger", "health", "webhook", "sync", "backfill"};
static const char *const ext_by_image[] = {"py", "ts", "go", "java", "rs", "cpp"};

static const char *const commit_msgs[] = {"fix {word} handling", "add {word} endpoint", "refactor {word}", "wip", "bump deps", "tests for {word}",
	"address review comments", "fix flaky {word} test", "update README", "handle empty {word}", "rename {word} to {word}", "cleanup",
	"add logging to {word}", "fix lint", "initial {word} support", "speed up {word}", "revert {word} change", "merge main"};
static const char *const branch_pfx[] = {"feature/", "fix/", "chore/", "exp/", "", "refactor/"};
static const char *const k8s_ns[] = {"dev", "staging", "team-data", "team-web", "ml", "sandbox", "default", "observability", "platform"};
static const char *const orgs[] = {"example-org", "acme-data", "acme-platform", "acme-web", "acme-ml", "acme-infra", "acme-mobile"};

/* ---- images ---------------------------------------------------------------------------- */
enum { IMG_PY, IMG_NODE, IMG_GO, IMG_JAVA, IMG_RUST, IMG_CPP, N_IMG };
#define M_PY (1u << IMG_PY)
#define M_NODE (1u << IMG_NODE)
#define M_GO (1u << IMG_GO)
#define M_JAVA (1u << IMG_JAVA)
#define M_RUST (1u << IMG_RUST)
#define M_CPP (1u << IMG_CPP)
#define M_ALL 63u
#define M_NOTNODE (M_ALL & ~M_NODE)
static const char *const image_names[N_IMG] = {"python-notebook", "code-server-node", "go", "java", "rust", "cpp"};
static const char *const image_tags[N_IMG] = {"2026.10.2", "2026.10", "1.23-2026.10", "21-2026.09", "1.82-2026.10", "13-2026.10"};
static const uint16_t image_share[N_IMG] = {30, 22, 16, 13, 9, 10};

/* package names per ecosystem (pip, npm, go module, crate, maven, apt) */
static const char *const pip_pkgs[] = {"pandas", "numpy", "scikit-learn", "matplotlib", "seaborn", "requests", "boto3", "sqlalchemy",
	"psycopg2-binary", "pyarrow", "polars", "torch", "transformers", "datasets", "xgboost", "lightgbm", "plotly", "fastapi", "uvicorn",
	"pydantic", "httpx", "redis", "tqdm", "pytest-cov", "black", "ruff", "mypy", "duckdb", "openai", "great-expectations", "mlflow", "optuna",
	"statsmodels", "scipy", "jupyterlab-git", "ipywidgets"};
static const char *const npm_pkgs[] = {"react", "react-dom", "vite", "typescript", "eslint", "prettier", "zod", "axios", "lodash", "dayjs", "vitest",
	"@types/node", "@types/react", "tailwindcss", "postcss", "express", "next", "@tanstack/react-query", "jest", "ts-node", "tsx", "esbuild",
	"@playwright/test", "prisma", "@prisma/client", "pino", "dotenv", "msw", "storybook", "husky", "lint-staged", "date-fns", "uuid",
	"classnames"};
static const char *const go_mods[] = {"github.com/stretchr/testify", "github.com/spf13/cobra", "go.uber.org/zap", "github.com/jackc/pgx/v5",
	"github.com/redis/go-redis/v9", "google.golang.org/grpc", "github.com/gin-gonic/gin", "github.com/prometheus/client_golang",
	"golang.org/x/sync", "github.com/google/uuid", "github.com/aws/aws-sdk-go-v2", "k8s.io/client-go", "github.com/go-chi/chi/v5",
	"go.opentelemetry.io/otel"};
static const char *const crates[] = {"serde", "serde_json", "tokio", "anyhow", "thiserror", "clap", "reqwest", "tracing", "axum", "sqlx", "rand",
	"regex", "chrono", "itertools", "bytes", "futures", "hyper", "tower", "uuid", "once_cell", "libc", "cc", "proc-macro2", "quote", "syn",
	"memchr", "log", "parking_lot", "smallvec", "hashbrown"};
static const char *const apt_pkgs[] = {"jq", "htop", "tree", "postgresql-client", "redis-tools", "graphviz", "build-essential", "libpq-dev", "ffmpeg",
	"unzip", "zip", "net-tools", "dnsutils", "iputils-ping", "tmux", "ripgrep", "fd-find", "bat", "sqlite3", "libssl-dev", "pkg-config", "strace",
	"gdb", "valgrind", "shellcheck", "make", "cmake", "protobuf-compiler", "libsqlite3-dev", "mysql-client", "nano", "less", "curl", "wget",
	"socat", "netcat-openbsd"};

/* ---- per-image commands, shell habits, notebook cells, IDE polling ------------------------------------- */
#define CSNODE "/usr/lib/code-server/lib/node"
#define PY3 "/opt/conda/bin/python3"
#define JAVA "/usr/lib/jvm/java-21-openjdk-amd64/bin/java"
#define GOTOOL "/usr/local/go/pkg/tool/linux_amd64/"
#define GCCX "/usr/libexec/gcc/x86_64-linux-gnu/13/"
#define RUSTC "{home}/.rustup/toolchains/1.82.0-x86_64-unknown-linux-gnu/bin/"
enum { A_CMD, A_EDIT, A_GIT, A_GITNET, A_BUILD, A_PKG, A_SUDO, A_CURL, A_KUBE, A_AWS, A_DOCKER, A_TAIL, A_KERN, A_SSH, A_IDE, N_ACT };
/* action weights per image                CMD EDIT GIT GNET BUILD PKG SUDO CURL KUBE AWS DOCK TAIL KERN SSH IDE */
static const uint16_t base_w[N_IMG][N_ACT] = {{110, 10, 25, 8, 40, 22, 3, 8, 0, 0, 0, 0, 300, 2, 0},
	{190, 20, 80, 22, 120, 22, 3, 7, 0, 0, 0, 0, 0, 2, 110}, {190, 25, 80, 22, 130, 12, 3, 7, 0, 0, 0, 0, 0, 3, 100},
	{160, 15, 70, 20, 120, 8, 3, 6, 0, 0, 0, 0, 0, 2, 100}, {180, 25, 75, 20, 130, 10, 3, 8, 0, 0, 0, 0, 0, 2, 100},
	{200, 45, 70, 18, 140, 4, 5, 6, 0, 0, 0, 0, 0, 4, 80}};

static const char *const subdirs[N_IMG][4] = {{"src", "notebooks", "tests", "scripts"}, {"src", "src/components", "tests", "scripts"},
	{"internal", "cmd", "pkg", "api"}, {"src/main/java", "src/test/java", "src/main/resources", "scripts"},
	{"src", "tests", "benches", "examples"}, {"src", "include", "tests", "tools"}};

static const char *const run_cmd[N_IMG] = {"/opt/conda/bin/python3 app.py", "/usr/bin/node server.js", "{pdir}/bin/{proj}",
	"/usr/lib/jvm/java-21-openjdk-amd64/bin/java -jar target/{proj}-0.1.0.jar", "{pdir}/target/debug/{proj}", "{pdir}/build/{proj}"};

static const char *const lsp_cmd[N_IMG][2] = {{0, 0},
	{CSNODE, "/usr/lib/code-server/lib/vscode/extensions/node_modules/typescript/lib/tsserver.js --serverMode partialSemantic "
	 "" "" "--useInferredProjectPerProjectRoot --disableAutomaticTypingAcquisition --locale en"},
	{"{home}/go/bin/gopls", "-mode=stdio"},
	{"/usr/lib/jvm/java-21-openjdk-amd64/bin/java", "--add-modules=ALL-SYSTEM -Declipse.application=org.eclipse.jdt.ls.core.id1 -Xmx1G -jar "
	 "" "" "{home}/.local/share/code-server/extensions/redhat.java-1.36.0-linux-x64/server/plugins/org.eclipse.equinox.launcher_1.6.900.jar"},
	{"{home}/.local/share/code-server/extensions/rust-lang.rust-analyzer-0.3.2146-linux-x64/server/rust-analyzer", ""},
	{"/usr/bin/clangd-18", "--background-index --clang-tidy"}};

static const char *const npm_scripts[][4] = {{"run build", "vite build", "vite build", "7"}, {"run build", "tsc -b && vite build", "tsc -b", "7"},
	{"test", "vitest run", "vitest run", "7"}, {"test", "jest --ci", "jest --ci", "7"}, {"run dev", "vite --host", "vite --host", "900"},
	{"run lint", "eslint .", "eslint .", "7"}, {"start", "nodemon server.js", "nodemon server.js", "900"},
	{"run typecheck", "tsc --noEmit", "tsc --noEmit", "7"}, {"exec -- prettier --write src", "prettier --write src", "prettier --write src", "3"},
	{"exec -- prisma generate", "prisma generate", "prisma generate", "3"}};

static const char *const cell_cmds[][2] = {{"pip install {pkg}", "/opt/conda/bin/pip"}, {"ls -la data/", "/usr/bin/ls"},
	{"head -5 data/{word}.csv", "/usr/bin/head"}, {"nvidia-smi", "/usr/bin/nvidia-smi"}, {"wc -l data/{word}.csv", "/usr/bin/wc"},
	{"git pull", "/usr/bin/git"}, {"du -sh data", "/usr/bin/du"}, {"unzip -o data/{word}.zip -d data/", "/usr/bin/unzip"},
	{"pip list", "/opt/conda/bin/pip"}};

static const char *const cell_helpers[][2] = {{"/bin/sh", "-c \"uname -p 2> /dev/null\""}, {"/sbin/ldconfig", "-p"}, {"/usr/bin/fc-list", ""},
	{"/usr/bin/lsb_release", "-a"}, {PY3, "-m joblib.externals.loky.backend.popen_loky_posix --process-name LokyProcess-1 --pipe 25"},
	{PY3, "-c \"from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=57, pipe_handle=61)\" --multiprocessing-fork"},
	{PY3, "-c \"from multiprocessing.resource_tracker import main;main(54)\""}};

static const char *const ide_git[] = {"-c core.quotepath=false show --textconv :{file}",
	"-c core.quotepath=false rev-parse --symbolic-full-name HEAD",
	"-c core.quotepath=false for-each-ref --format=%(refname)%00%(upstream:short) refs/heads/{branch} refs/remotes/{branch}",
	"-c core.quotepath=false check-ignore -v -z --stdin", "-c core.quotepath=false diff --no-ext-diff --numstat", "log --format=%H -n 1"};

static const char *const pipes[] = {"/usr/bin/grep -i {word}", "/usr/bin/head -20", "/usr/bin/less", "/usr/bin/wc -l", "/usr/bin/sort",
	"/usr/bin/tail -n 30", "/usr/bin/xargs -n1 echo"};

static const char *const editors[] = {"/usr/bin/vim", "/usr/bin/vim", "/usr/bin/vim", "/usr/bin/nano", "/usr/bin/less"};

static const char *const git_local[] = {"status", "status -sb", "diff", "diff --stat", "diff --cached", "log --oneline -n 20",
	"log --graph --oneline --all", "add -A", "add {file}", "add -p", "commit -m \"{msg}\"", "commit --amend --no-edit", "checkout -b {branch}",
	"checkout main", "switch {branch}", "branch -a", "stash", "stash pop", "show {h7}", "restore {file}", "blame {file}", "reset --soft HEAD~1",
	"log -p {file}", "grep -n {word}", "commit", "rebase -i HEAD~3", "status", "diff", "add .", "commit -am \"{msg}\""};

static const char *const git_remote[] = {"fetch origin", "pull", "pull --rebase", "push", "push -u origin HEAD", "fetch --all --prune",
	"pull origin main", "clone", "ls-remote origin"};

/* ---- destinations ---------------------------------------------------------------------- */
enum {
	D_GH, D_GH_OBJ, D_GH_API, D_PYPI, D_NPM, D_GOPROXY, D_CRATES, D_MAVEN, D_GRADLE, D_UBUNTU, D_AWS, D_DOCKERHUB,
	D_HF, D_DL, D_GCP, D_CONDA, D_TFREG, D_EXT_K8S, D_NGROK, D_KEYSERVER, D_GITPROTO, D_BASTION, D_GITLAB,
	D_AZURE, D_PULUMI, D_CONAN, D_RUSTUP, N_PUBLIC
};
/* a.b.[c0..c0+cn).[d0..d0+dn) and the usual port */
struct dstpool {
	uint8_t a, b, c0, cn, d0, dn;
	uint16_t port;
};
static const struct dstpool dst_public[N_PUBLIC] = {[D_GH] = {140, 82, 112, 10, 3, 4, 443}, [D_GH_OBJ] = {185, 199, 108, 4, 133, 1, 443},
	[D_GH_API] = {140, 82, 112, 10, 5, 2, 443}, [D_PYPI] = {151, 101, 0, 1, 223, 1, 443}, [D_NPM] = {104, 16, 0, 32, 34, 2, 443},
	[D_GOPROXY] = {142, 250, 64, 128, 1, 254, 443}, [D_CRATES] = {18, 160, 10, 40, 1, 254, 443}, [D_MAVEN] = {151, 101, 0, 1, 215, 1, 443},
	[D_GRADLE] = {104, 18, 0, 32, 1, 254, 443}, [D_UBUNTU] = {91, 189, 91, 1, 81, 3, 80}, [D_AWS] = {52, 216, 0, 255, 1, 254, 443},
	[D_DOCKERHUB] = {44, 205, 0, 255, 1, 254, 443}, [D_HF] = {18, 239, 50, 20, 1, 254, 443}, [D_DL] = {104, 20, 0, 32, 1, 254, 443},
	[D_GCP] = {172, 217, 0, 32, 1, 254, 443}, [D_CONDA] = {104, 17, 92, 2, 24, 2, 443}, [D_TFREG] = {3, 165, 100, 40, 1, 254, 443},
	[D_EXT_K8S] = {34, 118, 52, 4, 17, 3, 443}, [D_NGROK] = {3, 20, 0, 255, 1, 254, 443}, [D_KEYSERVER] = {185, 125, 188, 1, 26, 2, 11371},
	[D_GITPROTO] = {139, 178, 84, 1, 217, 1, 9418}, [D_BASTION] = {35, 246, 12, 4, 40, 6, 2222}, [D_GITLAB] = {172, 65, 251, 1, 78, 1, 443},
	[D_AZURE] = {20, 190, 128, 64, 1, 254, 443}, [D_PULUMI] = {52, 35, 0, 255, 1, 254, 443}, [D_CONAN] = {104, 26, 0, 16, 1, 254, 443},
	[D_RUSTUP] = {13, 224, 0, 255, 1, 254, 443}};
/* cluster services (10.96.0.0/12) a workspace may talk to */
enum { S_API, S_DNS, S_PG, S_PG2, S_REDIS, S_MYSQL, S_MONGO, S_KAFKA, S_ES, S_MINIO, S_VAULT, S_NEXUS, S_GRAFANA,
       S_PROM, S_OTEL, S_RABBIT, S_MLFLOW, S_BUILDKIT, S_IPERF, S_DIND, N_SVC };
static const struct {
	const char *ip, *name;
	uint16_t port;
} svcs[N_SVC] = {
	{"10.96.0.1", "kubernetes.default.svc", 443},	{"10.96.0.10", "kube-dns.kube-system.svc", 53},
	{"10.104.12.31", "postgres-dev.data.svc", 5432},    {"10.107.88.4", "analytics-pg.data.svc", 5432},
	{"10.98.201.7", "redis-dev.data.svc", 6379},	{"10.110.3.250", "mysql-legacy.data.svc", 3306},
	{"10.101.45.9", "mongo-dev.data.svc", 27017},	{"10.109.77.21", "kafka.data.svc", 9092},
	{"10.103.9.160", "elasticsearch.data.svc", 9200},   {"10.99.140.2", "minio.data.svc", 9000},
	{"10.100.30.8", "vault.platform.svc", 8200},	{"10.97.22.14", "nexus.platform.svc", 8081},
	{"10.105.61.33", "grafana.observability.svc", 3000}, {"10.106.2.19", "prometheus.observability.svc", 9090},
	{"10.108.4.200", "otel-collector.observability.svc", 4317}, {"10.102.55.6", "rabbitmq.data.svc", 5672},
	{"10.111.8.90", "mlflow.ml.svc", 5000},	{"10.112.40.3", "buildkitd.platform.svc", 1234},
	{"10.113.9.77", "iperf.netbench.svc", 5201},	{"10.114.6.12", "dind.platform.svc", 2376},
};
static const uint8_t db_svcs[] = {S_PG, S_PG, S_PG2, S_REDIS, S_REDIS, S_MYSQL, S_MONGO, S_KAFKA, S_ES, S_MINIO, S_RABBIT, S_GRAFANA, S_PROM, S_OTEL};

/* ---- time zones (offset minutes, weight) ------------------------------------------------- */
static const struct {
	int16_t off;
	uint8_t w;
} tzs[] = {{-480, 14}, {-420, 4}, {-360, 6}, {-300, 16}, {-180, 5}, {0, 12}, {60, 18}, {120, 7}, {180, 2},
	   {330, 9}, {480, 5}, {540, 4}, {600, 2}};

/* ---- tools ----------------------------------------------------------------------------------
 * A tool run: exec of bin with one of the '|'-separated argument templates, optional reads of
 * monitored files ('|'-separated, each read with probability 3/4), up to nconn connections to
 * destination dst (D_* public pool, or 100+S_* cluster service, or 200 = 127.0.0.1:port),
 * a typical duration, an optional child ("bin args" template) and a kernel-facing action. */
enum { KA_NONE, KA_PTRACE, KA_UNSHARE };
#define DST_SVC(s) (100 + (s))
#define DST_LOCAL 200
#define JAVA_HOME_BIN "/usr/lib/jvm/java-21-openjdk-amd64/bin/"
struct tool {
	const char *bin, *args, *reads;
	uint8_t dst, nconn;
	uint16_t port; /* overrides the pool's port when non-zero */
	uint32_t ms;   /* median duration */
	const char *child;
	uint8_t imgs, kact;
	uint16_t weight; /* use frequency among the owner's actions */
};

/* everyday shell commands, all images (weight = relative frequency) */
static const struct tool common_tools[] = {
	{"/usr/bin/ls", "|-la|-lh|-la {sub}|-1|-lt|-la {home}", 0, 0, 0, 0, 6, 0, 0, 0, 220},
	{"/usr/bin/cat", "{file}|README.md|{file}|.env.example|Makefile|{sub}/{word}.{ext}", 0, 0, 0, 0, 4, 0, 0, 0, 90},
	{"/usr/bin/grep", "-rn {word} {sub}|-rn \"TODO\" .|-i {word} {file}|-rl {word} --include=*.{ext} .", 0, 0, 0, 0, 40, 0, 0, 0, 70},
	{"/usr/bin/less", "{file}|{sub}/{word}.{ext}|+G logs/{word}.log", 0, 0, 0, 0, 45000, 0, 0, 0, 25},
	{"/usr/bin/head", "-n {n} {file}|-50 data/{word}.csv", 0, 0, 0, 0, 3, 0, 0, 0, 20},
	{"/usr/bin/tail", "-f logs/{word}.log|-n 100 {file}|-n {n} /tmp/{word}.log", 0, 0, 0, 0, 30000, 0, 0, 0, 20},
	{"/usr/bin/find", ". -name \"*.{ext}\"|. -name {word}* -type f|{sub} -newer Makefile|. -type d -name __pycache__", 0, 0, 0, 0, 120, 0, 0, 0,
	 25},
	{"/usr/bin/sed", "-n 1,{n}p {file}|-i s/{word}/{word}/g {file}|-i.bak s/v1/v2/ config.yaml", 0, 0, 0, 0, 5, 0, 0, 0, 12},
	{"/usr/bin/wc", "-l {file}|-l {sub}/*.{ext}", 0, 0, 0, 0, 3, 0, 0, 0, 12},
	{"/usr/bin/mkdir", "-p {sub}/{word}|-p /tmp/{word}|-p build", 0, 0, 0, 0, 2, 0, 0, 0, 12},
	{"/usr/bin/rm", "-rf build|{file}.bak|-rf /tmp/{word}|-f {word}.log|-rf .pytest_cache", 0, 0, 0, 0, 3, 0, 0, 0, 14},
	{"/usr/bin/cp", "{file} {file}.bak|-r {sub} /tmp/{word}|.env.example .env", 0, 0, 0, 0, 4, 0, 0, 0, 10},
	{"/usr/bin/mv", "{file} {sub}/|{word}.{ext} {word}_old.{ext}", 0, 0, 0, 0, 2, 0, 0, 0, 8},
	{"/usr/bin/touch", "{sub}/{word}.{ext}|.env|{sub}/__init__.py", 0, 0, 0, 0, 2, 0, 0, 0, 6},
	{"/usr/bin/chmod", "+x scripts/{word}.sh|600 {home}/.ssh/config|-R g+w {sub}|+x run.sh", 0, 0, 0, 0, 2, 0, 0, 0, 5},
	{"/usr/bin/diff", "-u {file}.bak {file}|-r {sub} /tmp/{word}", 0, 0, 0, 0, 5, 0, 0, 0, 5},
	{"/usr/bin/ps", "aux|-ef|aux --sort=-%mem|-o pid,etime,cmd -u {user}", 0, 0, 0, 0, 30, 0, 0, 0, 12},
	{"/usr/bin/top", "|-b -n 1", 0, 0, 0, 0, 20000, 0, 0, 0, 5},
	{"/usr/bin/df", "-h|-h {home}", 0, 0, 0, 0, 4, 0, 0, 0, 6},
	{"/usr/bin/du", "-sh *|-sh {sub}|-sh node_modules .venv target build", 0, 0, 0, 0, 400, 0, 0, 0, 7},
	{"/usr/bin/which", "python3|node|go|java|cargo|gcc|kubectl|{word}", 0, 0, 0, 0, 2, 0, 0, 0, 6},
	{"/usr/bin/env", "|-0", 0, 0, 0, 0, 2, 0, 0, 0, 5},
	{"/usr/bin/clear", "", 0, 0, 0, 0, 1, 0, 0, 0, 25},
	{"/usr/bin/sort", "-u {file}|-k2 -n data/{word}.tsv", 0, 0, 0, 0, 5, 0, 0, 0, 5},
	{"/usr/bin/file", "{file}|build/{proj}|data/*", 0, 0, 0, 0, 3, 0, 0, 0, 3},
	{"/usr/bin/ln", "-s {pdir}/scripts/{word}.sh {home}/.local/bin/{word}|-sf ../{word} current", 0, 0, 0, 0, 2, 0, 0, 0, 2},
	{"/usr/bin/tar", "xzf {word}-{n}.tar.gz|czf /tmp/{word}-backup.tgz {sub}|tf dist/{proj}.tar.gz", 0, 0, 0, 0, 900, "/usr/bin/gzip -d", 0, 0,
	 4},
	{"/usr/bin/unzip", "-q {word}.zip -d data/|-l artifacts.zip", 0, 0, 0, 0, 300, 0, 0, 0, 2},
	{"/usr/bin/xargs", "-n1 echo|-I{} rm {}", 0, 0, 0, 0, 5, 0, 0, 0, 2},
	{"/usr/bin/tree", "-L 2|-a -I node_modules -L 3", 0, 0, 0, 0, 30, 0, 0, 0, 4},
	{"/usr/bin/awk", "-F, '{print $2}' data/{word}.csv|'{s+=$1} END {print s}' /tmp/{word}.txt", 0, 0, 0, 0, 6, 0, 0, 0, 4},
	{"/usr/bin/id", "|-u", "/etc/passwd", 0, 0, 0, 1, 0, 0, 0, 1},
	{"/usr/bin/watch", "-n 2 kubectl get pods|-n 5 ls -la {sub}", 0, 0, 0, 0, 60000, 0, 0, 0, 1},
	{"/usr/bin/ssh-keygen", "-lf {home}/.ssh/{key}.pub|-R github.com|-t ed25519 -C {owner} -f {home}/.ssh/id_ed25519_{word}", 0, 0, 0, 0, 40, 0,
	 0, 0, 1},
	{"/usr/bin/sha256sum", "dist/*|{word}-{n}.tar.gz", 0, 0, 0, 0, 10, 0, 0, 0, 2},
	{"/usr/bin/whoami", "", "/etc/passwd", 0, 0, 0, 1, 0, 0, 0, 1},
	{"/usr/bin/git", "--version", 0, 0, 0, 0, 1, 0, 0, 0, 1},
	{"/usr/bin/python3", "-m json.tool {word}.json|-c \"import sys; print(sys.version)\"|-m http.server {port}|-m venv .venv", 0, 0, 0, 0, 90, 0,
	 0, 0, 6},
	{"/usr/bin/openssl", "rand -hex 32|x509 -in certs/tls.crt -noout -dates|s_client -connect {word}.example.com:443", 0, 0, 0, 0, 40, 0, 0, 0,
	 1},
	{"/usr/bin/dig", "+short {word}.{ns}.svc.cluster.local|{word}.example.com|+tcp postgres-dev.data.svc.cluster.local", 0, DST_SVC(S_DNS), 1, 0,
	 20, 0, 0, 0, 1},
	{"/usr/bin/nc", "-zv {dbhost} {dbport}|-zv localhost {port}", 0, DST_SVC(S_PG), 1, 0, 30, 0, 0, 0, 1},
	{"/usr/bin/ping", "-c 3 {dbhost}|-c 2 8.8.8.8", 0, 0, 0, 0, 2100, 0, 0, 0, 1},
};

/* the long tail: ranked by popularity, each user picks 0-3 with Zipf(1.1) over the rank */
static const struct tool tail_tools[] = {
	{"/usr/bin/jq", ". {word}.json|-r '.items[].metadata.name'|.version package.json|-c 'map(select(.{word}))' out.json", 0, 0, 0, 0, 15, 0,
	 M_ALL, 0, 60},
	{"/usr/bin/htop", "|-u {user}", 0, 0, 0, 0, 90000, 0, M_ALL, 0, 30},
	{"/usr/bin/rg", "{word}|-n {word} {sub}|--files|-i todo -g '*.{ext}'", 0, 0, 0, 0, 30, 0, M_ALL, 0, 60},
	{"/usr/bin/fzf", "|--preview 'batcat {}'", 0, 0, 0, 0, 8000, 0, M_ALL, 0, 30},
	{"/usr/bin/direnv", "export bash|allow|status|export zsh", 0, 0, 0, 0, 8, 0, M_ALL, 0, 120},
	{"/usr/local/bin/helm", "list -A|upgrade --install {proj} ./chart -n {ns}|template ./chart|repo update|dependency build chart",
	 "{home}/.kube/config", DST_SVC(S_API), 2, 0, 2500, 0, M_ALL, 0, 25},
	{"/usr/local/bin/yq", ".spec.replicas k8s/deployment.yaml|-i '.image.tag = \"{h7}\"' chart/values.yaml", 0, 0, 0, 0, 10, 0, M_ALL, 0, 20},
	{"{home}/.local/bin/pre-commit", "run --all-files|run|install|autoupdate", 0, D_GH, 1, 0, 6000, "/usr/bin/git diff --name-only --cached",
	 M_ALL, 0, 25},
	{"/usr/local/bin/terraform", "plan|init -upgrade|fmt -recursive|validate|plan -out tf.plan|apply tf.plan", "{home}/.aws/credentials",
	 D_TFREG, 2, 0, 9000, "{pdir}/.terraform/providers/registry.terraform.io/hashicorp/aws/5.74.0/linux_amd64/terraform-provider-aws_v5.74.0_x5",
	 M_ALL, 0, 25},
	{"/usr/bin/gh", "pr create --fill|pr list|pr checkout {n}|run watch|pr view --web|auth status", "{home}/.config/gh/hosts.yml", D_GH_API, 2,
	 0, 1500, 0, M_ALL, 0, 25},
	{"/usr/local/bin/k9s", "|-n {ns}", "{home}/.kube/config", DST_SVC(S_API), 3, 0, 300000, 0, M_ALL, 0, 15},
	{"/usr/bin/batcat", "{file}|-p {sub}/{word}.{ext}", 0, 0, 0, 0, 2000, 0, M_ALL, 0, 30},
	{"/usr/bin/fdfind", "-e {ext}|{word}|-H .env", 0, 0, 0, 0, 40, 0, M_ALL, 0, 25},
	{"/usr/bin/shellcheck", "scripts/*.sh|run.sh", 0, 0, 0, 0, 300, 0, M_ALL, 0, 10},
	{"/usr/bin/http", "GET localhost:{port}/api/{word}|POST :{port}/api/{word} name={word}|:{port}/health", 0, DST_LOCAL, 1, 0, 400, 0, M_ALL, 0,
	 20},
	{"/usr/bin/psql", "-h postgres-dev.data.svc -U dev {word}|-c \"select count(*) from {word}\"|-f migrations/{n}_{word}.sql", "{home}/.pgpass",
	 DST_SVC(S_PG), 1, 0, 60000, 0, M_ALL, 0, 20},
	{"/usr/bin/redis-cli", "-h redis-dev.data.svc ping|-h redis-dev.data.svc --scan --pattern '{word}:*'|-h redis-dev.data.svc info", 0,
	 DST_SVC(S_REDIS), 1, 0, 800, 0, M_ALL, 0, 15},
	{"/usr/local/bin/stern", "{proj} -n {ns}|-l app={proj} --since 10m", "{home}/.kube/config", DST_SVC(S_API), 2, 0, 120000, 0, M_ALL, 0, 12},
	{"/usr/local/bin/kubectx", "|staging|-", "{home}/.kube/config", 0, 0, 0, 20, 0, M_ALL, 0, 12},
	{"{home}/.local/bin/mkdocs", "serve -a 0.0.0.0:8000|build --strict", 0, 0, 0, 0, 60000, 0, M_ALL, 0, 10},
	{"/usr/local/bin/hugo", "server -D --bind 0.0.0.0|--minify", 0, 0, 0, 0, 60000, 0, M_ALL, 0, 8},
	{"/usr/bin/tig", "|log {sub}", 0, 0, 0, 0, 60000, "/usr/bin/git log --pretty=raw", M_ALL, 0, 15},
	{"/usr/local/bin/lazygit", "", 0, 0, 0, 0, 120000, "/usr/bin/git status --porcelain", M_ALL, 0, 12},
	{"{home}/.local/bin/poetry", "install|add {pkg}|run pytest -q|lock --no-update|show --outdated", 0, D_PYPI, 3, 0, 8000, 0, M_ALL, 0, 15},
	{"{home}/.local/bin/uv", "pip install {pkg}|sync|run pytest|venv|lock", 0, D_PYPI, 3, 0, 1200, 0, M_ALL, 0, 20},
	{"/usr/local/bin/vault", "kv get secret/dev/{proj}|login -method=oidc|token lookup|kv list secret/dev", "{home}/.vault-token",
	 DST_SVC(S_VAULT), 1, 0, 700, 0, M_ALL, 0, 10},
	{"/usr/bin/valgrind", "--leak-check=full ./build/{proj}|--tool=callgrind ./build/{proj}", 0, 0, 0, 0, 20000,
	 "/usr/libexec/valgrind/memcheck-amd64-linux", M_CPP | M_RUST, 0, 10},
	{"/usr/bin/perf", "record -g ./build/{proj}|stat -e cycles,instructions ./build/{proj}|report", 0, 0, 0, 0, 15000, 0, M_CPP | M_RUST | M_GO,
	 0, 8},
	{"/usr/bin/strace", "-f -o /tmp/trace.txt {run}|-c {run}|-e trace=network {run}", 0, 0, 0, 0, 8000, "{run}", M_NOTNODE, KA_PTRACE, 8},
	{"{home}/.cargo/bin/watchexec", "-e rs,toml cargo test|-r -e go go run .", 0, 0, 0, 0, 300000, 0, M_RUST | M_GO, 0, 6},
	{"/usr/local/bin/just", "test|build|fmt|dev|lint", 0, 0, 0, 0, 5000, "/bin/sh -c \"make {word}\"", M_ALL, 0, 12},
	{"/usr/bin/protoc", "--go_out=. --go-grpc_out=. api/{word}.proto|-I proto --python_out=gen proto/{word}.proto", 0, 0, 0, 0, 300, 0,
	 M_GO | M_PY | M_CPP | M_JAVA, 0, 8},
	{"/usr/local/bin/buf", "generate|lint|breaking --against .git#branch=main", 0, D_GCP, 1, 0, 2000, 0, M_ALL, 0, 8},
	{"/usr/local/bin/grpcurl", "-plaintext localhost:9090 list|-plaintext -d '{}' localhost:9090 {word}.v1.Service/Get", 0, DST_LOCAL, 1, 9090,
	 200, 0, M_ALL, 0, 6},
	{"/usr/local/bin/trivy", "fs .|image {proj}:dev|config k8s/", 0, D_GH, 2, 0, 25000, 0, M_ALL, 0, 6},
	{"/usr/bin/ansible-playbook", "-i inventory/dev site.yml --check|-i inventory/dev deploy.yml -l {word}", 0, 0, 0, 0, 40000,
	 "/usr/bin/ssh -o ControlMaster=auto -o ControlPersist=60s 10.{n}.4.{n} /bin/sh -c 'echo ~'", M_ALL, 0, 6},
	{"/usr/bin/rclone", "ls remote:{proj}|copy ./reports s3:{proj}-reports|sync data/ minio:{word}", "{home}/.config/rclone/rclone.conf", D_AWS,
	 2, 0, 12000, 0, M_ALL, 0, 6},
	{"/usr/bin/gpg", "--recv-keys {hexkey}|--verify SHA256SUMS.sig SHA256SUMS|--list-keys", 0, D_KEYSERVER, 1, 0, 1500, 0, M_ALL, 0, 5},
	{"/usr/local/bin/ngrok", "http {port}|http 8080 --domain {word}-dev.ngrok.app", "{home}/.config/ngrok/ngrok.yml", D_NGROK, 2, 0, 600000, 0,
	 M_ALL, 0, 4},
	{"/usr/bin/socat", "TCP-LISTEN:{port},fork,reuseaddr TCP:localhost:8080|- TCP:{dbhost}:{dbport}", 0, DST_LOCAL, 1, 8080, 120000, 0, M_ALL, 0,
	 4},
	{"/usr/bin/nmap", "-p {dbport} {dbhost}|-sT -p 80,443,8080 localhost", 0, DST_SVC(S_PG), 2, 0, 3000, 0, M_ALL, 0, 3},
	{"/usr/bin/bwrap", "--ro-bind / / --dev /dev --proc /proc --unshare-all --die-with-parent {run}", 0, 0, 0, 0, 3000, "{run}", M_NOTNODE,
	 KA_UNSHARE, 4},
	{"/usr/bin/podman", "run --rm -it docker.io/library/alpine:3.20 sh|build -t {proj}:dev .|ps -a|images", 0, D_DOCKERHUB, 2, 0, 20000,
	 "/usr/bin/conmon --api-version 1 -c {h40} -u {h40} -n {word}", M_NOTNODE, KA_UNSHARE, 6},
	{"/usr/local/bin/sops", "-d secrets/dev.enc.yaml|-e -i secrets/{word}.yaml|updatekeys secrets/dev.enc.yaml",
	 "{home}/.config/sops/age/keys.txt", 0, 0, 0, 150, 0, M_ALL, 0, 5},
	{"/usr/lib/google-cloud-sdk/bin/gcloud", "auth list|container clusters get-credentials dev --region europe-west4|storage ls gs://{proj}-dev",
	 "{home}/.config/gcloud/credentials.db", D_GCP, 2, 0, 3000, 0, M_ALL, 0, 4},
	{"/usr/local/bin/duckdb", "data/{word}.duckdb|-c \"select count(*) from 'data/{word}.parquet'\"", 0, 0, 0, 0, 20000, 0, M_ALL, 0, 4},
	{"/usr/bin/mongosh", "mongodb://mongo-dev.data.svc:27017/{word}", 0, DST_SVC(S_MONGO), 1, 0, 60000, 0, M_ALL, 0, 3},
	{"/usr/bin/kcat", "-b kafka.data.svc:9092 -L|-b kafka.data.svc:9092 -t {word}-events -C -c 10", 0, DST_SVC(S_KAFKA), 2, 0, 3000, 0, M_ALL, 0,
	 3},
	{"/usr/bin/mysql", "-h mysql-legacy.data.svc -u dev -p {word}|-h mysql-legacy.data.svc -e 'show tables' {word}", "{home}/.my.cnf",
	 DST_SVC(S_MYSQL), 1, 0, 40000, 0, M_ALL, 0, 3},
	{"/usr/bin/gdb", "-q ./build/{proj}|-p {pidn}", 0, 0, 0, 0, 60000, "{run}", M_RUST | M_GO, KA_PTRACE, 2},
};

/* ---- cluster and cloud CLIs, network clients, package managers (struct tool as above; imgs 0 = all) */
static const struct tool kube_tools[] = {
	{"/usr/local/bin/kubectl",
	 "get pods|get pods -n {ns}|get pods -A|get svc -n {ns}|get deploy -n {ns} -o yaml|get events --sort-by=.lastTimestamp",
	 "{home}/.kube/config", DST_SVC(S_API), 1, 0, 400, 0, 0, 0, 60},
	{"/usr/local/bin/kubectl",
	 "logs -f deploy/{proj} -n {ns}|logs {proj}-{h7}-{h7} --tail=100 -n {ns}|describe pod {proj}-{h7} -n {ns}|top pods -n {ns}",
	 "{home}/.kube/config", DST_SVC(S_API), 2, 0, 6000, 0, 0, 0, 30},
	{"/usr/local/bin/kubectl",
	 "apply -f k8s/|apply -k overlays/dev|rollout restart deploy/{proj} -n {ns}|delete pod {proj}-{h7} -n {ns}|rollout status deploy/{proj} -n "
	 "{ns}", "{home}/.kube/config", DST_SVC(S_API), 3, 0, 2500, 0, 0, 0, 15},
	{"/usr/local/bin/kubectl",
	 "port-forward svc/{proj} 8080:80 -n {ns}|port-forward svc/postgres 5432:5432 -n data|exec -it {proj}-{h7} -n {ns} -- sh",
	 "{home}/.kube/config", DST_SVC(S_API), 1, 0, 600000, 0, 0, 0, 8},
	{"/usr/local/bin/kubectl", "config use-context {ns}|config get-contexts|config current-context|version --client", "{home}/.kube/config", 0,
	 0, 0, 50, 0, 0, 0, 10},
};
static const struct tool aws_tools[] = {
	{"/usr/local/bin/aws",
	 "s3 ls s3://{proj}-{word}/|s3 cp s3://{proj}-data/{word}/ data/ --recursive|sts get-caller-identity|s3 sync reports/ s3://{proj}-reports/",
	 "{home}/.aws/credentials|{home}/.aws/config", D_AWS, 3, 0, 2500, 0, 0, 0, 40},
	{"/usr/local/bin/aws",
	 "ecr get-login-password --region eu-west-1|logs tail /aws/lambda/{proj} --follow|eks update-kubeconfig --name dev|sso login",
	 "{home}/.aws/credentials|{home}/.aws/config", D_AWS, 2, 0, 9000, 0, 0, 0, 15},
	{"/opt/conda/bin/python3", "scripts/sync_{word}.py|scripts/export_{word}_s3.py --bucket {proj}-data", "{home}/.aws/credentials", D_AWS, 3, 0,
	 8000, 0, M_PY, 0, 25},
	{"/usr/bin/python3", "scripts/{word}_to_s3.py|-c \"import boto3; print(boto3.client('s3').list_buckets())\"", "{home}/.aws/credentials",
	 D_AWS, 2, 0, 3000, 0, M_NOTNODE & ~M_PY, 0, 10},
};
static const struct tool docker_tools[] = {
	{"/usr/bin/docker", "ps|images|ps -a|logs -f {proj}|compose ps|inspect {proj}", "{home}/.docker/config.json", DST_SVC(S_DIND), 1, 0, 300, 0,
	 0, 0, 40},
	{"/usr/bin/docker",
	 "build -t {proj}:dev .|buildx build --platform linux/amd64 -t {proj}:{h7} .|push ghcr.io/{org}/{proj}:{h7}|pull postgres:16",
	 "{home}/.docker/config.json", DST_SVC(S_DIND), 2, 0, 40000, 0, 0, 0, 25},
	{"/usr/bin/docker", "compose up -d|compose down|compose logs -f", "{home}/.docker/config.json", DST_SVC(S_DIND), 2, 0, 5000,
	 "/usr/libexec/docker/cli-plugins/docker-compose compose up -d", 0, 0, 15},
	{"/usr/bin/docker", "login ghcr.io -u {user} --password-stdin", "{home}/.docker/config.json", DST_SVC(S_DIND), 1, 0, 900, 0, 0, 0, 5},
};
static const struct tool net_tools[] = {
	{"/usr/bin/curl",
	 "-fsSL -o {tmp} https://github.com/{org}/{proj}/releases/download/v1.{n}.0/{proj}_linux_amd64.tar.gz|-LO "
	 "https://github.com/cli/cli/releases/download/v2.62.0/gh_2.62.0_linux_amd64.tar.gz", 0, D_GH_OBJ, 1, 0, 2500, 0, 0, 0, 20},
	{"/usr/bin/curl",
	 "-s https://api.github.com/repos/{org}/{proj}/pulls|-s -H \"Authorization: Bearer $GITHUB_TOKEN\" https://api.github.com/user", 0, D_GH_API,
	 1, 0, 500, 0, 0, 0, 10},
	{"/usr/bin/curl",
	 "-sS localhost:8080/health|-s localhost:{port}/api/{word}|-X POST -H \"Content-Type: application/json\" localhost:8080/api/{word} -d "
	 "'{\"name\":\"{word}\"}'", 0, DST_LOCAL, 1, 8080, 60, 0, 0, 0, 30},
	{"/usr/bin/curl",
	 "-s http://mlflow.ml.svc:5000/api/2.0/mlflow/experiments/search|-s http://elasticsearch.data.svc:9200/_cat/indices|-s "
	 "http://prometheus.observability.svc:9090/api/v1/query?query=up", 0, DST_SVC(S_ES), 1, 0, 80, 0, 0, 0, 10},
	{"/usr/bin/curl",
	 "-LO https://dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl|-fsSL https://packages.cloud.google.com/apt/doc/apt-key.gpg -o {tmp}", 0,
	 D_GCP, 1, 0, 1500, 0, 0, 0, 6},
	{"/usr/bin/curl",
	 "-I https://pypi.org/simple/{pkg}/|-fsSL https://deb.nodesource.com/setup_20.x -o {tmp}|-sSfL https://sh.rustup.rs -o {tmp}", 0, D_DL, 1, 0,
	 400, 0, 0, 0, 6},
	{"/usr/bin/wget",
	 "-q https://raw.githubusercontent.com/{org}/{proj}/main/scripts/{word}.sh|https://github.com/{org}/{proj}/archive/refs/heads/main.zip", 0,
	 D_GH_OBJ, 1, 0, 1200, 0, 0, 0, 10},
	{"/usr/bin/wget",
	 "-q https://huggingface.co/datasets/{org}/{word}/resolve/main/data/train.parquet|-c "
	 "https://huggingface.co/{org}/{word}-base/resolve/main/model.safetensors", 0, D_HF, 1, 0, 20000, 0, M_PY, 0, 8},
	{"/usr/bin/wget", "http://archive.ubuntu.com/ubuntu/pool/universe/{word}.deb|-q http://deb.debian.org/debian/dists/bookworm/Release", 0,
	 D_UBUNTU, 1, 80, 900, 0, 0, 0, 2},
	{"/usr/bin/ssh", "-J bastion.{org}.dev {user}@10.20.{n}.{n}|-p 2222 {user}@bastion.{org}.dev", "{home}/.ssh/{key}", D_BASTION, 1, 0, 300000,
	 0, 0, 0, 6},
	{"/usr/bin/scp", "-P 2222 build/{proj}.tar.gz {user}@bastion.{org}.dev:/tmp/|-P 2222 {user}@bastion.{org}.dev:/var/log/{word}.log .", 0,
	 D_BASTION, 1, 0, 4000,
	 "/usr/bin/ssh -x -oPermitLocalCommand=no -oClearAllForwardings=yes -oRemoteCommand=none -oRequestTTY=no -oForwardAgent=no -l {user} -p "
	 "2222 -s -- bastion.{org}.dev sftp", 0, 0, 2},
	{"/usr/bin/git", "clone git://git.kernel.org/pub/scm/utils/{word}/{word}.git /tmp/{word}|ls-remote git://git.savannah.gnu.org/{word}.git", 0,
	 D_GITPROTO, 1, 0, 4000, "/usr/lib/git-core/git index-pack --stdin --fix-thin", M_CPP | M_RUST, 0, 2},
};
static const struct tool pkg_tools[] = {
	{"/opt/conda/bin/pip", "install {pkg}|install -r requirements.txt|install -U {pkg}|install -e .|install {pkg}=={n}.0", 0, D_PYPI, 4, 0, 6000,
	 "/opt/conda/bin/python3 /opt/conda/lib/python3.11/site-packages/pip/_vendor/pyproject_hooks/_in_process/_in_process.py build_wheel "
	 "/tmp/tmp{h7}", M_PY, 0, 60},
	{"/opt/conda/bin/conda", "install -y -c conda-forge {pkg}|list|env export", 0, D_CONDA, 3, 0, 30000, 0, M_PY, 0, 10},
	{"/usr/bin/npm", "install|ci|install {pkg}|install -D {pkg}|outdated|update {pkg}", 0, D_NPM, 6, 0, 9000, "/bin/sh -c \"node install.js\"",
	 M_NODE, 0, 60},
	{"/usr/local/go/bin/go", "mod tidy|get {pkg}@latest|mod download|get -u ./...", 0, D_GOPROXY, 4, 0, 3000, 0, M_GO, 0, 60},
	{"{home}/.cargo/bin/cargo", "add {pkg}|update|fetch|install cargo-watch", 0, D_CRATES, 4, 0, 5000, 0, M_RUST, 0, 60},
	{"/usr/share/maven/bin/mvn", "dependency:resolve|versions:display-dependency-updates|dependency:tree", 0, D_MAVEN, 6, 0, 12000,
	 JAVA_HOME_BIN "java -classpath /usr/share/maven/boot/plexus-classworlds-2.8.0.jar org.codehaus.plexus.classworlds.launcher.Launcher "
	 "dependency:resolve", M_JAVA, 0, 60},
	{"/usr/bin/conan", "install . --build=missing|search {word} -r conancenter", 0, D_CONAN, 3, 0, 20000, 0, M_CPP, 0, 30},
	{"/usr/bin/git", "submodule update --init --recursive", 0, D_GH, 2, 0, 4000, 0, M_CPP | M_RUST | M_GO, 0, 20},
};

static const struct tool py_tools[] = {
	{"/opt/conda/bin/ruff", "check .|check --fix src/|format .", 0, 0, 0, 0, 800, 0, M_PY, 0, 40},
	{"/opt/conda/bin/black", ".|src/ tests/|--check .", 0, 0, 0, 0, 1500, 0, M_PY, 0, 25},
	{"/opt/conda/bin/mypy", "src/|.", 0, 0, 0, 0, 9000, 0, M_PY, 0, 20},
	{"/opt/conda/bin/jupyter-nbconvert", "--to html --execute notebooks/{word}.ipynb", 0, 0, 0, 0, 30000,
	 "/opt/conda/bin/python3 -m ipykernel_launcher -f {tmp}.json", M_PY, 0, 8},
};
static const struct tool cpp_tools[] = {
	{"/usr/bin/gdb", "-q ./build/{proj}|-q --args ./build/{proj} --config dev.conf|-p {pidn}", 0, 0, 0, 0, 120000, "{run}", M_CPP, KA_PTRACE, 20},
	{"/usr/bin/strace", "-f -o /tmp/trace.txt ./build/{proj}|-c ./build/{proj}|-e trace=network ./build/{proj}|-f -e openat "
	 "./build/{proj}", 0, 0, 0, 0,
	 8000, "{run}", M_CPP, KA_PTRACE, 20},
	{"/usr/bin/ctest", "--test-dir build|--output-on-failure|-R {word}", 0, 0, 0, 0, 4000, "{pdir}/build/tests/test_{word}", M_CPP, 0, 20},
	{"/usr/bin/clang-format", "-i src/{word}.cpp|-i include/{word}.h", 0, 0, 0, 0, 200, 0, M_CPP, 0, 20},
	{"{pdir}/build/{proj}", "|--config dev.conf|--port {port}", 0, DST_SVC(S_REDIS), 1, 0, 30000, 0, M_CPP, 0, 20},
};

/* Zipf(1.1) weights of the ranks of tail_tools (100000 / rank^1.1) */
static const uint32_t zipf_w[] = {100000, 46652, 29865, 21764, 17027, 13933, 11760, 10153, 8919, 7943, 7153, 6500, 5952, 5486, 5085, 4737, 4431, 4161,
	3921, 3706, 3512, 3337, 3178, 3032, 2899, 2777, 2664, 2559, 2462, 2372, 2288, 2210, 2136, 2067, 2002, 1941, 1884, 1829, 1778, 1729, 1682,
	1638, 1597, 1557, 1519, 1482, 1448, 1415, 1383, 1352};
