/* opt.c - start-up, shared options, usage errors. */
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <unistd.h>
#include "opt.h"
#include "config.h"

const char hark_common_help[] =
"Common options:\n"
"  -c, --config FILE   read this config file (default: $XDG_CONFIG_HOME/hark/config)\n"
"      --no-config     read no config file\n"
"  -o, --output FILE   write to FILE (atomically: temporary file, then rename)\n"
"      --rejects FILE  copy every rejected input line verbatim to FILE\n"
"      --strict        stop at the first invalid record\n"
"      --skip-invalid  report invalid records but do not exit 3 for them\n"
"      --unbuffered    flush the output after every record\n"
"  -q, --quiet         do not print warnings\n"
"  -v, --verbose       print a summary on standard error\n"
"      --progress      show progress on standard error even if not a terminal\n"
"      --no-progress   never show progress\n"
"      --color WHEN    colour output: auto, always or never\n"
"  -h, --help          print this help and exit\n"
"      --version       print the version and exit\n";

void hark_err_init_faults(void);

static void
reopen_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int nfd = open("/dev/null", fd == 0 ? O_RDONLY :
			    O_WRONLY);

			if (nfd >= 0 && nfd != fd) {
				dup2(nfd, fd);
				close(nfd);
			}
		}
}

void
hark_init(struct hark_common *c, const char *name, const char *synopsis,
    const char *help)
{
	sigset_t set;

	hark_progname = name;
	reopen_std_fds();
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	setlocale(LC_CTYPE, "");
	hark_err_init_faults();
	memset(c, 0, sizeof(*c));
	c->synopsis = synopsis;
	c->help = help;
	c->progress = -1;
	c->color = HARK_COLOR_AUTO;
}

static HARK_NORETURN void
print_and_exit(const char *text)
{
	fputs(text, stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		hark_die(HARK_EXIT_FAILURE, "write error: %s",
		    strerror(errno));
	exit(HARK_EXIT_OK);
}

int
hark_common_option(struct hark_common *c, int opt, const char *arg)
{
	switch (opt) {
	case 'c':
		c->config = arg;
		c->no_config = 0;
		return 1;
	case HARK_OPT_NO_CONFIG:
		c->no_config = 1;
		c->config = NULL;
		return 1;
	case 'h':
		printf("%s\n%s\n%s", c->synopsis, c->help ? c->help : "",
		    hark_common_help);
		print_and_exit("");
	case HARK_OPT_VERSION:
		printf("%s (hark) %s\n", hark_progname, HARK_VERSION);
		print_and_exit("");
	case 'q':
		hark_quiet = 1;
		return 1;
	case 'v':
		c->verbose++;
		return 1;
	case 'o':
		c->output = arg;
		return 1;
	case HARK_OPT_PROGRESS:
		c->progress = 1;
		return 1;
	case HARK_OPT_NO_PROGRESS:
		c->progress = 0;
		return 1;
	case HARK_OPT_COLOR:
		if (strcmp(arg, "auto") == 0)
			c->color = HARK_COLOR_AUTO;
		else if (strcmp(arg, "always") == 0)
			c->color = HARK_COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			c->color = HARK_COLOR_NEVER;
		else
			hark_usage_error(c, "--color: '%s' is not auto, "
			    "always or never", arg);
		return 1;
	case HARK_OPT_UNBUFFERED:
		c->unbuffered = 1;
		return 1;
	case HARK_OPT_REJECTS:
		c->rejects = arg;
		return 1;
	case HARK_OPT_STRICT:
		c->strict = 1;
		return 1;
	case HARK_OPT_SKIP_INVALID:
		c->skip_invalid = 1;
		return 1;
	default:
		return 0;
	}
}

void
hark_usage_error(const struct hark_common *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "%s: %s\n%s\nTry '%s --help' for more information.\n",
	    hark_progname, msg, c->synopsis, hark_progname);
	exit(HARK_EXIT_USAGE);
}

void
hark_bad_option(const struct hark_common *c, int opt, char **argv)
{
	const char *word = argv[optind - 1];
	char clean[128];

	hark_sanitize(clean, sizeof(clean), word, strlen(word));
	if (opt == ':') {
		if (optopt && optopt < 0x100 && word[0] == '-' && word[1] != '-')
			hark_usage_error(c, "option '-%c' requires an argument",
			    optopt);
		hark_usage_error(c, "option '%s' requires an argument", clean);
	}
	if (optopt && optopt < 0x100 && !(word[0] == '-' && word[1] == '-'))
		hark_usage_error(c, "unknown option '-%c'", optopt);
	{
		char *eq = strchr(clean, '=');

		if (eq && strncmp(clean, "--", 2) == 0) {
			/* "--opt=value" for an option that takes none */
			if (optopt)
				hark_usage_error(c, "option '%.*s' takes no "
				    "argument", (int)(eq - clean), clean);
			*eq = '\0';
		}
	}
	hark_usage_error(c, "unknown option '%s'", clean);
}

long long
hark_opt_number(const struct hark_common *c, const char *name,
    const char *arg, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || errno == ERANGE || v < min ||
	    v > max) {
		char clean[64];

		hark_usage_error(c, "%s: '%s' is not a number from %lld to "
		    "%lld", name, hark_sanitize(clean, sizeof(clean), arg,
		    strlen(arg)), min, max);
	}
	return v;
}

int
hark_progress_enabled(const struct hark_common *c)
{
	if (c->progress >= 0)
		return c->progress;
	return isatty(STDERR_FILENO);
}

int
hark_color_enabled(const struct hark_common *c, FILE *fp)
{
	const char *nc;

	if (c->color == HARK_COLOR_ALWAYS)
		return 1;
	if (c->color == HARK_COLOR_NEVER)
		return 0;
	nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	return isatty(fileno(fp));
}

int
hark_common_config(const struct hark_common *c, struct hark_config *cfg)
{
	struct hark_err err = HARK_ERR_INIT;

	if (hark_config_load_default(cfg, c->config, c->no_config, &err) == 0)
		return 0;
	hark_error_at(cfg->path != NULL ? cfg->path : c->config, &err);
	hark_config_release(cfg);
	return HARK_EXIT_USAGE;
}
