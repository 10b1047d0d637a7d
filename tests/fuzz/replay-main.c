/*
 * replay-main.c - run a libFuzzer target over a corpus without libFuzzer:
 * every regular file in the directory argv[1] is fed to
 * LLVMFuzzerTestOneInput once; TAP on stdout.  `make check` runs it on
 * tests/fuzz/corpus/<target>/ (under ASan in the sanitizer pass).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;

	if (argc != 2) {
		fprintf(stderr, "usage: replay CORPUS-DIR\n");
		return 2;
	}
	if ((d = opendir(argv[1])) == NULL) {
		printf("1..0 # SKIP no corpus at %s\n", argv[1]);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		char path[4096];
		FILE *fp;
		struct stat st;
		uint8_t *buf;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    (fp = fopen(path, "rb")) == NULL) {
			printf("not ok %zu - %s (unreadable)\n", i + 1, names[i]);
			continue;
		}
		buf = malloc((size_t)st.st_size + 1);
		len = fread(buf, 1, (size_t)st.st_size, fp);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		printf("ok %zu - %s\n", i + 1, names[i]);
		free(names[i]);
	}
	free(names);
	printf("1..%zu\n", n);
	return 0;
}
