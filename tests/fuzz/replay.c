/* replay: runs a fuzz harness's LLVMFuzzerTestOneInput on files, without
 * libFuzzer, so that every input a fuzzer ever crashed on (and every seed)
 * runs in the normal suite, plainly and under ASan/UBSan. Prints TAP: one
 * line per file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	int failed = 0;

	printf("1..%d\n", argc - 1);
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		char *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (f == NULL) {
			printf("not ok %d %s: cannot open\n", i, argv[i]);
			failed = 1;
			continue;
		}
		do {
			if (len + 65536 > cap && (buf = realloc(buf, cap = len + 65536)) == NULL)
				abort();
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		/* a crash or a sanitizer report ends the process: no "ok" line */
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		printf("ok %d %s\n", i, argv[i]);
		fflush(stdout);
		free(buf);
	}
	return failed;
}
